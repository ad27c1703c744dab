#pragma once
// Serves a BoardSim on a pseudo-terminal (POSIX): the app opens the slave path like /dev/ttyUSB0.
#include "hw/sim/board_sim.hpp"

#include "core/util/result.hpp"

#include <atomic>
#include <string>

namespace hw::sim {

class PtyServer {
public:
    static core::Result<PtyServer> open();  // openpty, raw mode
    PtyServer(PtyServer&& other) noexcept;
    PtyServer& operator=(PtyServer&&) = delete;
    PtyServer(const PtyServer&) = delete;
    ~PtyServer();

    const std::string& slavePath() const { return m_path; }
    // Moves bytes between the pty and the board until stop is set; polls every 50 ms.
    void serve(BoardSim& board, const std::atomic<bool>& stop);
    // A pty moves bytes at memory speed; with a baud rate set, the server waits the wire time of every
    // byte it receives and sends (10 bits per byte, 8N1), like a real board at that speed.
    void setPace(int baud) { m_paceBaud = baud; }
    // Link faults for demos and tests: lose every Nth answer (0 = never); put noise bytes before each answer.
    void setLinkFaults(int dropEvery, bool noise) {
        m_dropEvery = dropEvery;
        m_noise = noise;
    }

private:
    PtyServer(int master, int slave, std::string path) : m_master(master), m_slave(slave), m_path(std::move(path)) {}
    int m_master = -1;
    int m_slave = -1;  // kept open so the master never sees a hang-up between clients
    std::string m_path;
    int m_paceBaud = 0;
    int m_dropEvery = 0;
    bool m_noise = false;
    int m_answers = 0;
};

}  // namespace hw::sim
