#include "hw/board/framed_driver.hpp"

#include "hw/board/payloads.hpp"

#include <algorithm>
#include <array>

namespace hw::board {
namespace {

using transport::LinkError;
using transport::linkErrorOf;

std::string name(Cmd cmd) { return cmdName(static_cast<std::uint8_t>(cmd)); }

core::Error protocolError(Cmd cmd, const std::string& what) {
    return core::makeError(core::ErrorCode::Protocol,
                           "The board's answer to " + name(cmd) + " " + what +
                               ": check that the device is a Pickup Desk protocol board and update its firmware.");
}

core::Error outcomeUnknown(const std::string& why) {
    core::Error e = core::makeError(
        core::ErrorCode::OutcomeUnknown,
        "Dispense outcome unknown: " + why +
            ". The board may have vended. Check the slot before dispensing again; do not repeat the dispense blindly.");
    e.requestSent = true;
    return e;
}

// Requests that cannot have reached the board: safe to report as a plain failure even for DISPENSE.
bool neverSent(const core::Error& e) {
    const auto kind = linkErrorOf(e);
    return kind && (*kind == LinkError::Permission || *kind == LinkError::Busy || *kind == LinkError::NotFound);
}

}  // namespace

core::Error boardStatusError(Cmd cmd, BoardStatus status) {
    std::string what;
    switch (status) {
    case BoardStatus::BadLen:
    case BoardStatus::BadArg:
        what = "rejected the values sent: check the cabinet address (1-8), slot number and setting lengths";
        break;
    case BoardStatus::UnknownCmd: what = "does not support this command: update the board firmware"; break;
    case BoardStatus::Busy: what = "is busy with a dispense: wait until it finishes, then retry"; break;
    case BoardStatus::NotAllowed: what = "does not allow this now: clear faults and retry"; break;
    case BoardStatus::BadVersion: what = "speaks another protocol version: update the board firmware or Pickup Desk"; break;
    case BoardStatus::BadCrc: what = "received a corrupted frame: check the cable and retry"; break;
    case BoardStatus::Ok: what = "reported success"; break;
    }
    core::Error e = core::makeError(core::ErrorCode::Vendor,
                                    "Board refused " + name(cmd) + " (" + statusName(status) + "): the board " + what + ".");
    e.vendorCode = static_cast<int>(status);
    e.vendorMessage = statusName(status);
    return e;
}

Frame maskSecrets(const Frame& frame) {
    const auto base = static_cast<Cmd>(frame.cmd & ~kResponseBit);
    const bool response = (frame.cmd & kResponseBit) != 0;
    std::size_t pos = 0;
    if (base == Cmd::SetConfig && !response) pos = 0;
    else if (base == Cmd::GetConfig && response) pos = 1;
    else return frame;
    Frame out = frame;
    auto& p = out.payload;
    while (pos + 2 <= p.size()) {
        const std::size_t len = p[pos + 1];
        if (p[pos] == static_cast<std::uint8_t>(ConfigTag::MqttPassword)) {
            std::fill(p.begin() + static_cast<std::ptrdiff_t>(std::min(pos + 2, p.size())),
                      p.begin() + static_cast<std::ptrdiff_t>(std::min(pos + 2 + len, p.size())), '*');
        }
        pos += 2 + len;
    }
    return out;
}

FramedDriver::FramedDriver(transport::Transport& transport, Clock& clock, DriverOptions options)
    : m_transport(transport), m_clock(clock), m_options(options) {}

void FramedDriver::log(bool outgoing, const Frame& frame, Millis latency, int attempt) {
    if (!m_observer) return;
    FrameLogEntry entry{m_clock.now(), outgoing, maskSecrets(frame), {}, latency, attempt};
    entry.wire = encodeFrame(entry.frame);
    m_observer(entry);
}

core::Result<Frame> FramedDriver::awaitResponse(std::uint8_t seq, std::uint8_t cmd, Millis sentAt) {
    const Millis deadline = m_clock.now() + m_options.responseTimeout;
    std::array<std::uint8_t, 512> buf{};
    for (;;) {
        while (auto frame = m_decoder.next()) {
            if (frame->seq != seq || frame->cmd != (cmd | kResponseBit)) {
                log(false, *frame, m_clock.now() - sentAt, 0);  // stale answer to an earlier try
                continue;
            }
            log(false, *frame, m_clock.now() - sentAt, 0);
            return std::move(*frame);
        }
        const Millis left = deadline - m_clock.now();
        if (left <= Millis(0)) return transport::makeLinkError(LinkError::Timeout, "no answer");
        auto n = m_transport.read(buf, left);
        if (!n) return n.error();
        m_decoder.feed(std::span(buf).first(*n));
    }
}

core::Result<Bytes> FramedDriver::transact(Cmd cmd, const Bytes& payload, bool mayVend) {
    // A session starts with HELLO, which empties the board's replay cache: a new host process that
    // starts again at SEQ 1 must not be answered from the previous session's cache.
    if (!m_sessionOpen && cmd != Cmd::Hello) {
        if (auto id = identify(); !id) return id.error();
    }
    m_seq = static_cast<std::uint8_t>(m_seq == 255 ? 1 : m_seq + 1);
    const Frame request{kVersion, m_seq, static_cast<std::uint8_t>(cmd), payload};
    const Bytes wire = encodeFrame(request);
    const Millis firstSent = m_clock.now();
    for (int attempt = 1; attempt <= m_options.tries; ++attempt) {
        log(true, request, Millis(0), attempt);
        auto written = m_transport.write(wire, m_options.responseTimeout);
        if (!written) {
            if (mayVend && !(attempt == 1 && neverSent(written.error()))) {
                return outcomeUnknown("the link failed while sending (" + written.error().message + ")");
            }
            return written.error();
        }
        auto response = awaitResponse(m_seq, request.cmd, firstSent);
        if (response) {
            if (response->version != kVersion) return protocolError(cmd, "uses frame version " + std::to_string(response->version));
            if (response->payload.empty()) return protocolError(cmd, "has no status byte");
            return std::move(response->payload);
        }
        const auto kind = linkErrorOf(response.error());
        if (kind != LinkError::Timeout) {
            if (mayVend) return outcomeUnknown("the link failed while waiting for the answer (" + response.error().message + ")");
            return response.error();
        }
    }
    const std::string tried = std::to_string(m_options.tries) + " tries of " +
                              std::to_string(m_options.responseTimeout.count()) + " ms on " + m_transport.describe();
    if (mayVend) return outcomeUnknown("the board did not answer DISPENSE after " + tried);
    return transport::makeLinkError(LinkError::Timeout, "The board did not answer " + name(cmd) + " after " + tried +
                                                            ": check the cable, the board's power, the port and the "
                                                            "baud rate (9600 8N1).");
}

core::Result<Bytes> FramedDriver::call(Cmd cmd, const Bytes& payload) {
    auto response = transact(cmd, payload, false);
    if (!response) return response.error();
    const auto status = static_cast<BoardStatus>(response->front());
    if (status != BoardStatus::Ok) return boardStatusError(cmd, status);
    return Bytes(response->begin() + 1, response->end());
}

core::Result<Identity> FramedDriver::identify() {
    auto body = call(Cmd::Hello, {kHostProtocol});
    if (!body) return body.error();
    auto id = decodeIdentityBody(*body);
    if (!id) return protocolError(Cmd::Hello, "is malformed");
    m_sessionOpen = true;
    return *id;
}

core::Result<BoardConfig> FramedDriver::getConfig() {
    auto body = call(Cmd::GetConfig, {});
    if (!body) return body.error();
    auto config = decodeConfig(*body);
    if (!config) return protocolError(Cmd::GetConfig, "is malformed");
    return *config;
}

core::Status FramedDriver::setConfig(const BoardConfig& config) {
    if (auto problem = validateConfig(config); !problem.empty()) {
        return core::makeError(core::ErrorCode::InvalidInput, "Board setting not valid: " + problem + ". Fix it and retry.");
    }
    auto body = call(Cmd::SetConfig, encodeConfig(config));
    if (!body) return body.error();
    return {};
}

core::Result<std::uint16_t> FramedDriver::commitConfig() {
    auto body = call(Cmd::CommitConfig, {});
    if (!body) return body.error();
    if (body->size() != 2) return protocolError(Cmd::CommitConfig, "is malformed");
    return static_cast<std::uint16_t>((*body)[0] | ((*body)[1] << 8));
}

core::Result<std::vector<ChannelInfo>> FramedDriver::readChannels(std::uint8_t addr, std::uint8_t first, int count) {
    std::vector<ChannelInfo> all;
    for (int done = 0; done < count;) {
        const auto n = static_cast<std::uint8_t>(std::min<int>(kMaxChannelsPerRead, count - done));
        const ChannelRange range{addr, static_cast<std::uint8_t>(first + done), n};
        auto body = call(Cmd::ReadChannels, encodeChannelRange(range));
        if (!body) return body.error();
        auto channels = decodeChannelsBody(*body);
        if (!channels || channels->size() != n) return protocolError(Cmd::ReadChannels, "is malformed");
        all.insert(all.end(), channels->begin(), channels->end());
        done += n;
    }
    return all;
}

core::Status FramedDriver::setChannel(const ChannelInfo& channel) {
    auto body = call(Cmd::SetChannel, encodeSetChannel(channel));
    if (!body) return body.error();
    return {};
}

core::Result<DispenseAck> FramedDriver::dispense(const DispenseRequest& request) {
    auto response = transact(Cmd::Dispense, encodeDispense(request), true);
    if (!response) return response.error();
    const auto status = static_cast<BoardStatus>(response->front());
    DispenseAck ack{status == BoardStatus::Ok, status, Fault::None};
    if (response->size() >= 2 && (*response)[1] <= kMaxFault) ack.fault = static_cast<Fault>((*response)[1]);
    if (!ack.accepted && ack.fault == Fault::None) {
        ack.fault = status == BoardStatus::Busy ? Fault::BoardBusy : Fault::SlotInvalid;
    }
    return ack;
}

core::Result<DispenseStatus> FramedDriver::dispenseStatus(std::uint32_t txn) {
    auto body = call(Cmd::DispenseStatus, encodeTxn(txn));
    if (!body) return body.error();
    auto status = decodeDispenseStatusBody(*body);
    if (!status || status->txn != txn) return protocolError(Cmd::DispenseStatus, "is malformed or for another transaction");
    return *status;
}

core::Status FramedDriver::clearFault(std::uint8_t addr, std::uint8_t slot) {
    auto body = call(Cmd::ClearFault, encodeClearFault({addr, slot}));
    if (!body) return body.error();
    return {};
}

core::Result<PingInfo> FramedDriver::ping() {
    auto body = call(Cmd::Ping, {});
    if (!body) return body.error();
    auto info = decodePingBody(*body);
    if (!info) return protocolError(Cmd::Ping, "is malformed");
    return *info;
}

core::Status FramedDriver::reset() {
    auto body = call(Cmd::Reset, {});
    if (!body) return body.error();
    m_decoder.reset();
    m_sessionOpen = false;
    return {};
}

}  // namespace hw::board
