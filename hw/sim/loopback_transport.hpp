#pragma once
// In-process Transport to a BoardSim, with injectable link faults. Reads that find nothing advance
// the clock by their timeout, so with a FakeClock every timeout costs no real time.
#include "hw/sim/board_sim.hpp"
#include "hw/transport/transport.hpp"

#include <deque>
#include <mutex>

namespace hw::sim {

struct LinkFaults {
    int dropResponses = 0;        // the next N responses are lost
    int corruptResponses = 0;     // the next N responses get a flipped CRC byte
    Bytes garbageBefore;          // sent before every response
    std::size_t readChunk = 0;    // >0: reads return at most this many bytes (split reads)
    Millis responseDelay{0};      // responses arrive this much later
    bool unplugOnDispense = false;  // the board executes the next DISPENSE, then the link dies
    bool duplicateResponses = false;
};

class LoopbackTransport final : public transport::Transport {
public:
    LoopbackTransport(BoardSim& board, Clock& clock) : m_board(board), m_clock(clock) {}

    LinkFaults& faults() { return m_faults; }
    void unplug();
    void replug();

    core::Status write(std::span<const std::uint8_t> bytes, Millis timeout) override;
    core::Result<std::size_t> read(std::span<std::uint8_t> buf, Millis timeout) override;
    void close() override;
    std::string describe() const override { return "loopback simulator"; }

private:
    struct Chunk {
        Millis at;
        Bytes bytes;
    };
    core::Error gone() const;

    std::mutex m_mutex;
    BoardSim& m_board;
    Clock& m_clock;
    LinkFaults m_faults;
    std::deque<Chunk> m_rx;
    bool m_unplugged = false;
    bool m_closed = false;
};

}  // namespace hw::sim
