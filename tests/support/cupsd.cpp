#include "tests/support/cupsd.hpp"

#include "tests/support/mosquitto.hpp"  // freeTcpPort, waitForPort

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace testsupport {
namespace fs = std::filesystem;

namespace {

// cupsd and its admin tools live in sbin, which is not on every user's PATH.
std::string tool(const std::string& name) {
    for (const char* dir : {"/usr/sbin/", "/usr/local/sbin/", "/sbin/"}) {
        if (::access((std::string(dir) + name).c_str(), X_OK) == 0) return dir + name;
    }
    return name;
}

// Where the system's CUPS keeps cups-exec (daemon/), which runs every backend.
std::string systemServerBin() {
    auto r = runProcess({"cups-config", "--serverbin"});
    std::string dir = r.exitCode == 0 ? r.out.substr(0, r.out.find('\n')) : "";
    return dir.empty() ? "/usr/lib/cups" : dir;
}

std::string readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

constexpr const char* kBackend = R"(#!/bin/sh
# capture:/path writes the job's data to /path and the copies asked for to /path.copies.
if [ $# -eq 0 ]; then echo 'direct capture "Unknown" "Test capture"'; exit 0; fi
out=${DEVICE_URI#capture:}
if [ -n "$6" ]; then cat "$6" > "$out.part"; else cat > "$out.part"; fi
echo "$4" > "$out.copies"
mv "$out.part" "$out"
)";

}  // namespace

Cupsd::Cupsd() : m_port(freeTcpPort()) {
    const std::string root = m_dir.path();
    // As root cupsd refuses to run jobs as root: they run as lp, who must reach the backend and
    // write the captured files.
    const bool asRoot = ::geteuid() == 0;
    const std::string user = asRoot ? "lp" : ::getpwuid(::geteuid())->pw_name;
    const std::string group = asRoot ? "lp" : ::getgrgid(::getegid())->gr_name;
    for (const char* sub : {"spool", "tmp", "cache", "state", "log", "out", "bin/backend"}) fs::create_directories(root + "/" + sub);
    ::chmod(root.c_str(), 0755);
    ::chmod((root + "/tmp").c_str(), 0777);
    ::chmod((root + "/out").c_str(), 0777);
    fs::create_directory_symlink(systemServerBin() + "/daemon", root + "/bin/daemon");
    {
        std::ofstream backend(root + "/bin/backend/capture");
        backend << kBackend;
    }
    ::chmod((root + "/bin/backend/capture").c_str(), 0755);  // 0755: runs as the job user, not root
    std::ofstream(root + "/cupsd.conf") << "Listen 127.0.0.1:" << m_port << "\nLogLevel info\nWebInterface No\nBrowsing No\n"
                                        << "DefaultAuthType None\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n";
    std::ofstream(root + "/cups-files.conf") << "ServerRoot " << root << "\nServerBin " << root << "/bin\nRequestRoot " << root
                                             << "/spool\nTempDir " << root << "/tmp\nCacheDir " << root << "/cache\nStateDir "
                                             << root << "/state\nErrorLog " << root << "/log/error_log\nAccessLog " << root
                                             << "/log/access_log\nPageLog " << root << "/log/page_log\nUser " << user
                                             << "\nGroup " << group << "\nSystemGroup " << (asRoot ? "root" : group) << "\n";
    m_process = std::make_unique<ChildProcess>(
        std::vector<std::string>{tool("cupsd"), "-f", "-c", root + "/cupsd.conf", "-s", root + "/cups-files.conf"});
    if (!waitForPort(m_port, 10000)) {
        const std::string why = log() + m_process->stderrText();
        m_process.reset();
        throw std::runtime_error("cupsd did not start on port " + std::to_string(m_port) + ": " + why);
    }
}

Cupsd::~Cupsd() {
    if (m_process) m_process->stop();
}

std::string Cupsd::server() const { return "127.0.0.1:" + std::to_string(m_port); }

void Cupsd::admin(const std::vector<std::string>& argv) {
    auto r = runProcess(argv, {{"CUPS_SERVER", server()}});
    if (r.exitCode != 0) throw std::runtime_error(argv[0] + " failed: " + r.err + r.out + log());
}

void Cupsd::addCapturePrinter(const std::string& name, bool makeDefault) {
    admin({tool("lpadmin"), "-p", name, "-E", "-v", "capture:" + capturedFile(name), "-D", "Test queue " + name});
    if (makeDefault) admin({tool("lpadmin"), "-d", name});
}

void Cupsd::rejectJobs(const std::string& name) { admin({tool("cupsreject"), name}); }

std::string Cupsd::capturedFile(const std::string& name) const { return m_dir.file("out/" + name + ".prn"); }

std::string Cupsd::waitForJob(const std::string& name, int timeoutMs) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(capturedFile(name))) return readAll(capturedFile(name));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return {};
}

int Cupsd::capturedCopies(const std::string& name) const {
    const std::string text = readAll(capturedFile(name) + ".copies");
    return text.empty() ? -1 : std::stoi(text);
}

std::string Cupsd::log() const { return readAll(m_dir.file("log/error_log")); }

}  // namespace testsupport
