#include "tests/support/mosquitto.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace testsupport {

int freeTcpPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) throw std::runtime_error("socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        ::close(fd);
        throw std::runtime_error("could not find a free port");
    }
    ::close(fd);
    return ntohs(addr.sin_port);
}

bool waitForPort(int port, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(static_cast<uint16_t>(port));
        const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
        ::close(fd);
        if (ok) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

Mosquitto::Mosquitto() : m_port(freeTcpPort()) {
    std::ofstream conf(m_dir.file("mosquitto.conf"));
    conf << "listener " << m_port << " 127.0.0.1\n"
         << "allow_anonymous true\n"
         << "persistence true\n"
         << "persistence_location " << m_dir.path() << "/\n"
         << "autosave_interval 1\n"
         << "max_queued_messages 1000000\n"
         << "max_inflight_messages 100\n"
         << "log_dest file " << m_dir.file("mosquitto.log") << "\n"
         << "log_type error\nlog_type warning\nlog_type notice\n";
    if (::geteuid() == 0) conf << "user root\n";  // else it drops to 'mosquitto', who cannot write here
    conf.close();
    start();
}

Mosquitto::~Mosquitto() { stop(); }

std::string Mosquitto::url() const { return "tcp://127.0.0.1:" + std::to_string(m_port); }

int Mosquitto::pid() const { return m_process ? m_process->pid() : -1; }

void Mosquitto::start() {
    m_process = std::make_unique<ChildProcess>(std::vector<std::string>{"mosquitto", "-c", m_dir.file("mosquitto.conf")});
    if (!waitForPort(m_port, 5000)) {
        const std::string why = log() + m_process->stderrText();
        m_process.reset();
        throw std::runtime_error("mosquitto did not start on port " + std::to_string(m_port) + ": " + why);
    }
}

void Mosquitto::stop() {
    if (!m_process) return;
    m_process->stop();
    m_lastExit = m_process->exitCode();
    m_process.reset();
}

void Mosquitto::restart() {
    stop();
    start();
}

bool Mosquitto::running() { return m_process && m_process->running(); }

std::string Mosquitto::log() const {
    std::ifstream in(m_dir.file("mosquitto.log"));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace testsupport
