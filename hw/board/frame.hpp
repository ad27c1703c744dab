#pragma once
// Board frame codec (docs/board-protocol.md §1):
//   | A5 5A | VER | SEQ | CMD | LEN u16 LE | PAYLOAD | CRC16 LE |, CRC-16/CCITT-FALSE over VER..PAYLOAD.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace hw::board {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::uint8_t kSof0 = 0xA5;
inline constexpr std::uint8_t kSof1 = 0x5A;
inline constexpr std::uint8_t kVersion = 0x01;
inline constexpr std::size_t kMaxPayload = 256;
inline constexpr std::size_t kHeaderSize = 7;     // SOF(2) VER SEQ CMD LEN(2)
inline constexpr std::size_t kFrameOverhead = 9;  // header + CRC(2)

struct Frame {
    std::uint8_t version = kVersion;
    std::uint8_t seq = 0;
    std::uint8_t cmd = 0;
    Bytes payload;
    bool operator==(const Frame&) const = default;
};

// Encodes one frame. The payload must hold at most kMaxPayload bytes (protocol builders ensure it).
Bytes encodeFrame(const Frame& frame);

struct DecoderStats {
    std::uint64_t frames = 0;    // valid frames returned
    std::uint64_t badCrc = 0;    // complete frames dropped for a CRC mismatch
    std::uint64_t oversize = 0;  // headers with LEN > kMaxPayload
    std::uint64_t skipped = 0;   // bytes outside any valid frame
};

// Stream decoder: feed any chunks (split or merged frames, garbage); next() yields each valid frame
// once, in order. After a bad CRC or an over-long LEN it resyncs from the byte after that SOF.
class FrameDecoder {
public:
    void feed(std::span<const std::uint8_t> bytes);
    std::optional<Frame> next();
    const DecoderStats& stats() const { return m_stats; }
    std::size_t buffered() const { return m_buf.size() - m_pos; }
    void reset();

private:
    void drop(std::size_t count);
    bool huntSof();  // true when a full SOF sits at m_pos
    void compact();

    Bytes m_buf;
    std::size_t m_pos = 0;
    DecoderStats m_stats;
};

}  // namespace hw::board
