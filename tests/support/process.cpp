#include "tests/support/process.hpp"

#if !defined(__unix__) && !defined(__APPLE__)
#error "tests/support/process.cpp uses posix_spawn: write a CreateProcess version for this platform"
#endif

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace testsupport {
namespace {

using Clock = std::chrono::steady_clock;

// The current environment with `env` merged in, as "K=V" strings.
std::vector<std::string> mergedEnvironment(const std::map<std::string, std::string>& env) {
    std::map<std::string, std::string> all;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        const std::string entry(*e);
        const auto eq = entry.find('=');
        if (eq != std::string::npos) all[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
    for (const auto& [k, v] : env) all[k] = v;
    std::vector<std::string> out;
    for (const auto& [k, v] : all) out.push_back(k + "=" + v);
    return out;
}

std::vector<char*> cStrings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

// posix_spawnp with prepared file actions; returns the pid or throws.
pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
            const posix_spawn_file_actions_t& actions) {
    if (argv.empty()) throw std::runtime_error("runProcess: argv is empty");
    std::vector<std::string> args = argv;
    std::vector<std::string> envStrings = mergedEnvironment(env);
    std::vector<char*> cArgs = cStrings(args);
    std::vector<char*> cEnv = cStrings(envStrings);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, args[0].c_str(), &actions, nullptr, cArgs.data(), cEnv.data());
    if (rc != 0) {
        throw std::runtime_error("cannot start '" + argv[0] + "': " + std::strerror(rc));
    }
    return pid;
}

int decodeStatus(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

struct Pipe {
    int read = -1;
    int write = -1;
    Pipe() {
        int fds[2];
#if defined(__linux__)
        if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
#else
        if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
        fcntl(fds[0], F_SETFD, FD_CLOEXEC);
        fcntl(fds[1], F_SETFD, FD_CLOEXEC);
#endif
        read = fds[0];
        write = fds[1];
    }
    ~Pipe() {
        closeRead();
        closeWrite();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void closeRead() {
        if (read >= 0) ::close(read);
        read = -1;
    }
    void closeWrite() {
        if (write >= 0) ::close(write);
        write = -1;
    }
};

// Moves data between the child's pipes until both outputs close or the deadline passes.
bool pumpPipes(Pipe& in, Pipe& out, Pipe& err, const std::string& stdinText, ProcessResult& result,
               Clock::time_point deadline) {
    size_t written = 0;
    if (stdinText.empty()) in.closeWrite();
    char buf[65536];
    while (out.read >= 0 || err.read >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) return false;
        pollfd fds[3] = {{out.read, POLLIN, 0}, {err.read, POLLIN, 0}, {in.write, POLLOUT, 0}};
        if (poll(fds, 3, static_cast<int>(left)) < 0 && errno != EINTR) return false;
        if (fds[2].revents != 0) {
            const ssize_t n = ::write(in.write, stdinText.data() + written, stdinText.size() - written);
            if (n > 0) written += static_cast<size_t>(n);
            if (n < 0 || written == stdinText.size()) in.closeWrite();
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].revents == 0) continue;
            Pipe& p = i == 0 ? out : err;
            const ssize_t n = ::read(p.read, buf, sizeof buf);
            if (n > 0) {
                (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                p.closeRead();
            }
        }
    }
    return true;
}

// Waits for the child to exit until the deadline; false on timeout.
bool waitUntil(pid_t pid, int& status, Clock::time_point deadline) {
    for (;;) {
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno != EINTR) {
            status = -1;  // already reaped elsewhere: decodes as exit code -1
            return true;
        }
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string makeTempFile(const char* tag) {
    std::string pattern = (std::filesystem::temp_directory_path() / (std::string("pd-") + tag + "-XXXXXX")).string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("cannot create a temp file in " + pattern);
    ::close(fd);
    return pattern;
}

void ignoreSigpipeOnce() {
    // Writing stdin to a child that exited early must give EPIPE, not kill the test.
    static const bool done = [] {
        std::signal(SIGPIPE, SIG_IGN);
        return true;
    }();
    (void)done;
}

}  // namespace

ProcessResult runProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                         const std::string& stdinText, int timeoutMs) {
    ignoreSigpipeOnce();
    Pipe in, out, err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
    pid_t pid = -1;
    try {
        pid = spawn(argv, env, actions);
    } catch (...) {
        posix_spawn_file_actions_destroy(&actions);
        throw;
    }
    posix_spawn_file_actions_destroy(&actions);
    in.closeRead();
    out.closeWrite();
    err.closeWrite();

    ProcessResult result;
    const auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
    const bool drained = pumpPipes(in, out, err, stdinText, result, deadline);
    int status = 0;
    if (!drained || !waitUntil(pid, status, deadline)) {
        result.timedOut = true;
        ::kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    result.exitCode = decodeStatus(status);
    return result;
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env)
    : m_outPath(makeTempFile("out")), m_errPath(makeTempFile("err")) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, m_outPath.c_str(), O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, m_errPath.c_str(), O_WRONLY | O_TRUNC, 0);
    try {
        m_pid = spawn(argv, env, actions);
    } catch (...) {
        posix_spawn_file_actions_destroy(&actions);
        std::filesystem::remove(m_outPath);
        std::filesystem::remove(m_errPath);
        throw;
    }
    posix_spawn_file_actions_destroy(&actions);
}

ChildProcess::~ChildProcess() {
    stop();
    std::error_code ec;
    std::filesystem::remove(m_outPath, ec);
    std::filesystem::remove(m_errPath, ec);
}

int ChildProcess::pid() const { return m_pid; }

bool ChildProcess::running() {
    if (m_reaped) return false;
    int status = 0;
    const pid_t r = waitpid(m_pid, &status, WNOHANG);
    if (r == 0) return true;
    m_reaped = true;
    m_exitCode = r == m_pid ? decodeStatus(status) : -1;
    return false;
}

void ChildProcess::stop() {
    if (!running()) return;
    ::kill(m_pid, SIGTERM);
    int status = 0;
    if (!waitUntil(m_pid, status, Clock::now() + std::chrono::seconds(3))) {
        ::kill(m_pid, SIGKILL);
        waitpid(m_pid, &status, 0);
    }
    m_reaped = true;
    m_exitCode = decodeStatus(status);
}

std::string ChildProcess::stderrText() { return readFile(m_errPath); }

std::string ChildProcess::stdoutText() { return readFile(m_outPath); }

int ChildProcess::exitCode() const { return m_exitCode; }

}  // namespace testsupport
