#include "hw/sim/pty_server.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <poll.h>
#if defined(__APPLE__)
#include <util.h>
#else
#include <pty.h>
#endif
#include <termios.h>
#include <thread>
#include <unistd.h>

namespace hw::sim {

core::Result<PtyServer> PtyServer::open() {
    int master = -1, slave = -1;
    std::array<char, 256> name{};
    if (::openpty(&master, &slave, name.data(), nullptr, nullptr) != 0) {
        return core::makeError(core::ErrorCode::Network, std::string("Cannot create a pseudo-terminal: ") + std::strerror(errno) + ".");
    }
    termios tio{};
    ::tcgetattr(slave, &tio);
    ::cfmakeraw(&tio);
    ::tcsetattr(slave, TCSANOW, &tio);
    return PtyServer(master, slave, name.data());
}

PtyServer::PtyServer(PtyServer&& other) noexcept
    : m_master(other.m_master), m_slave(other.m_slave), m_path(std::move(other.m_path)), m_paceBaud(other.m_paceBaud),
      m_dropEvery(other.m_dropEvery), m_noise(other.m_noise) {
    other.m_master = -1;
    other.m_slave = -1;
}

PtyServer::~PtyServer() {
    if (m_master >= 0) ::close(m_master);
    if (m_slave >= 0) ::close(m_slave);
}

void PtyServer::serve(BoardSim& board, const std::atomic<bool>& stop) {
    std::array<std::uint8_t, 512> buf{};
    while (!stop.load()) {
        pollfd p{m_master, POLLIN, 0};
        const int ready = ::poll(&p, 1, 50);
        if (ready <= 0 || (p.revents & POLLIN) == 0) continue;
        const ssize_t n = ::read(m_master, buf.data(), buf.size());
        if (n <= 0) continue;
        auto wire = [this](std::size_t bytes) {
            if (m_paceBaud > 0) std::this_thread::sleep_for(std::chrono::microseconds(bytes * 10'000'000 / static_cast<std::size_t>(m_paceBaud)));
        };
        wire(static_cast<std::size_t>(n));
        Bytes out = board.feed(std::span(buf).first(static_cast<std::size_t>(n)));
        if (!out.empty() && m_dropEvery > 0 && ++m_answers % m_dropEvery == 0) continue;  // lost on the way
        if (!out.empty() && m_noise) out.insert(out.begin(), {0x00, 0xA5, 0xFF, 0x5A, 0xA5});
        wire(out.size());
        std::size_t done = 0;
        while (done < out.size()) {
            const ssize_t w = ::write(m_master, out.data() + done, out.size() - done);
            if (w < 0 && errno != EINTR && errno != EAGAIN) break;
            if (w > 0) done += static_cast<std::size_t>(w);
        }
    }
}

}  // namespace hw::sim
