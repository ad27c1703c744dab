#include "app/desktop/sim_process.hpp"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace app::desktop {
namespace fs = std::filesystem;
using core::ErrorCode;
using core::makeError;

namespace {

// posix_spawn with stdout and stderr to files (created 0600); returns 0 or an errno value.
int spawn(std::vector<std::string> args, const std::string& outPath, const std::string& errPath, int& pid) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 2, errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t child = -1;
    const int rc = posix_spawn(&child, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc == 0) pid = child;
    return rc;
}

// SIGTERM, up to 3 s to exit, then SIGKILL.
void stopChild(int pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 30; ++i) {
        if (waitpid(pid, nullptr, WNOHANG) == pid) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

}  // namespace

SimProcess::~SimProcess() { stop(); }

std::string SimProcess::locate() {
    if (const char* env = std::getenv("PICKUPDESK_SIM"); env != nullptr && *env != '\0') return env;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) return {};
    const fs::path dir = self.parent_path();
    for (const fs::path& candidate : {dir / ".." / "sim" / "pickupdesk-sim", dir / "pickupdesk-sim"}) {
        if (fs::exists(candidate, ec)) return fs::weakly_canonical(candidate, ec).string();
    }
    return {};
}

core::Status SimProcess::start(const std::string& binary, const std::string& dir, const std::string& mqttUrl) {
    if (binary.empty() || !fs::exists(binary)) {
        return makeError(ErrorCode::Config, "The sandbox simulator (pickupdesk-sim) was not found next to this program. "
                                            "Build it (target pickupdesk-sim) or set PICKUPDESK_SIM to its path.");
    }
    const std::string portFile = (fs::path(dir) / "sim.port").string();
    std::error_code ec;
    fs::remove(portFile, ec);
    std::vector<std::string> args = {binary, "--port", "0", "--port-file", portFile};
    if (!mqttUrl.empty()) {
        args.push_back("--mqtt-url");
        args.push_back(mqttUrl);
    }
    const std::string logPath = (fs::path(dir) / "sim.log").string();
    const int rc = spawn(args, "/dev/null", logPath, m_pid);
    if (rc != 0) {
        return makeError(ErrorCode::Config, "Cannot start the sandbox simulator: " + std::string(std::strerror(rc)) +
                                                ". Check that " + binary + " is executable.");
    }
    for (int i = 0; i < 100; ++i) {
        std::ifstream in(portFile);
        int port = 0;
        if (in >> port && port > 0) {
            m_url = "http://127.0.0.1:" + std::to_string(port);
            return {};
        }
        if (waitpid(m_pid, nullptr, WNOHANG) == m_pid) {
            m_pid = -1;
            return makeError(ErrorCode::Config, "The sandbox simulator stopped at start-up; see " + logPath + ".");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    stop();
    return makeError(ErrorCode::Timeout, "The sandbox simulator did not start within 10 s; see " + logPath + ".");
}

void SimProcess::stop() {
    stopChild(m_pid);
    m_pid = -1;
}

BoardSimProcess::~BoardSimProcess() { stopChild(m_pid); }

core::Result<std::unique_ptr<BoardSimProcess>> BoardSimProcess::start(const std::string& binary, const std::string& model,
                                                                       const std::string& dir) {
    if (binary.empty() || !fs::exists(binary)) {
        return makeError(ErrorCode::Config, "The board simulator (pickupdesk-sim) was not found next to this program. "
                                            "Build it (target pickupdesk-sim) or set PICKUPDESK_SIM to its path.");
    }
    std::error_code ec;
    fs::create_directories(dir, ec);
    const std::string outPath = (fs::path(dir) / "board-sim.out").string();
    const std::string logPath = (fs::path(dir) / "board-sim.log").string();
    fs::remove(outPath, ec);
    std::unique_ptr<BoardSimProcess> sim(new BoardSimProcess());
    if (const int rc = spawn({binary, "board", "--pty", "--model", model}, outPath, logPath, sim->m_pid); rc != 0) {
        return makeError(ErrorCode::Config, "Cannot start the board simulator: " + std::string(std::strerror(rc)) + ".");
    }
    for (int i = 0; i < 100; ++i) {
        std::ifstream in(outPath);
        std::string line;
        if (std::getline(in, line) && !in.eof() && !line.empty()) {  // a whole line: the path
            sim->m_path = line;
            return sim;
        }
        if (waitpid(sim->m_pid, nullptr, WNOHANG) == sim->m_pid) {
            sim->m_pid = -1;
            return makeError(ErrorCode::Config, "The board simulator stopped at start-up; see " + logPath + ".");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return makeError(ErrorCode::Timeout, "The board simulator did not start within 10 s; see " + logPath + ".");
}

}  // namespace app::desktop
