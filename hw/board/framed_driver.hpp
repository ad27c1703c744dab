#pragma once
// BoardDriver over the framed protocol (docs/board-protocol.md): one request at a time, matched by
// SEQ; a retry resends the identical frame so the board replays instead of executing twice.
#include "hw/board/board_driver.hpp"
#include "hw/board/frame.hpp"
#include "hw/clock.hpp"
#include "hw/transport/transport.hpp"

#include <functional>
#include <string>

namespace hw::board {

struct DriverOptions {
    Millis responseTimeout{500};  // per try; 500 ms serial, 200 ms USB bulk
    int tries = 3;
};

// One frame as seen on the link, for the technician's frame log. Secrets (MQTT password) are masked.
struct FrameLogEntry {
    Millis at{0};
    bool outgoing = false;
    Frame frame;
    Bytes wire;          // encoded bytes (masked the same way)
    Millis latency{0};   // responses: time since the request was first written
    int attempt = 1;     // requests: 1 = first try, 2+ = resend with the same SEQ
};
using FrameObserver = std::function<void(const FrameLogEntry&)>;

class FramedDriver final : public BoardDriver {
public:
    FramedDriver(transport::Transport& transport, Clock& clock, DriverOptions options = {});

    void setObserver(FrameObserver observer) { m_observer = std::move(observer); }
    const DecoderStats& decoderStats() const { return m_decoder.stats(); }
    std::uint8_t lastSeq() const { return m_seq; }

    core::Result<Identity> identify() override;
    core::Result<BoardConfig> getConfig() override;
    core::Status setConfig(const BoardConfig& config) override;
    core::Result<std::uint16_t> commitConfig() override;
    core::Result<std::vector<ChannelInfo>> readChannels(std::uint8_t addr, std::uint8_t first, int count) override;
    core::Status setChannel(const ChannelInfo& channel) override;
    core::Result<DispenseAck> dispense(const DispenseRequest& request) override;
    core::Result<DispenseStatus> dispenseStatus(std::uint32_t txn) override;
    core::Status clearFault(std::uint8_t addr, std::uint8_t slot) override;
    core::Result<PingInfo> ping() override;
    core::Status reset() override;

private:
    // Sends cmd and returns the response payload (status byte included).
    core::Result<Bytes> transact(Cmd cmd, const Bytes& payload, bool mayVend);
    // transact + status OK check; returns the body after the status byte.
    core::Result<Bytes> call(Cmd cmd, const Bytes& payload);
    core::Result<Frame> awaitResponse(std::uint8_t seq, std::uint8_t cmd, Millis sentAt);
    void log(bool outgoing, const Frame& frame, Millis latency, int attempt);

    transport::Transport& m_transport;
    Clock& m_clock;
    DriverOptions m_options;
    FrameDecoder m_decoder;
    FrameObserver m_observer;
    std::uint8_t m_seq = 0;
    bool m_sessionOpen = false;  // HELLO answered in this session
};

// Board status → a core::Error (ErrorCode::Vendor, vendorCode = status) that says what to do.
core::Error boardStatusError(Cmd cmd, BoardStatus status);
// A copy of the frame with the MQTT password bytes replaced by '*' (SET_CONFIG, GET_CONFIG answer).
Frame maskSecrets(const Frame& frame);

}  // namespace hw::board
