#include "hw/board/frame.hpp"

#include "hw/board/crc16.hpp"

#include <cassert>

namespace hw::board {

Bytes encodeFrame(const Frame& frame) {
    assert(frame.payload.size() <= kMaxPayload);
    const auto len = static_cast<std::uint16_t>(frame.payload.size());
    Bytes out;
    out.reserve(kFrameOverhead + len);
    out.insert(out.end(), {kSof0, kSof1, frame.version, frame.seq, frame.cmd, static_cast<std::uint8_t>(len & 0xFF),
                           static_cast<std::uint8_t>(len >> 8)});
    out.insert(out.end(), frame.payload.begin(), frame.payload.end());
    const std::uint16_t crc = crc16CcittFalse(std::span(out).subspan(2));
    out.push_back(static_cast<std::uint8_t>(crc & 0xFF));
    out.push_back(static_cast<std::uint8_t>(crc >> 8));
    return out;
}

void FrameDecoder::feed(std::span<const std::uint8_t> bytes) {
    compact();
    m_buf.insert(m_buf.end(), bytes.begin(), bytes.end());
}

void FrameDecoder::reset() {
    m_buf.clear();
    m_pos = 0;
}

void FrameDecoder::drop(std::size_t count) {
    m_pos += count;
    m_stats.skipped += count;
}

void FrameDecoder::compact() {
    if (m_pos == 0) return;
    m_buf.erase(m_buf.begin(), m_buf.begin() + static_cast<std::ptrdiff_t>(m_pos));
    m_pos = 0;
}

bool FrameDecoder::huntSof() {
    while (m_pos < m_buf.size()) {
        if (m_buf[m_pos] != kSof0) {
            drop(1);
            continue;
        }
        if (m_pos + 1 >= m_buf.size()) return false;  // a lone A5 at the end may start a SOF
        if (m_buf[m_pos + 1] == kSof1) return true;
        drop(1);
    }
    return false;
}

std::optional<Frame> FrameDecoder::next() {
    while (huntSof()) {
        const std::size_t avail = m_buf.size() - m_pos;
        if (avail < kHeaderSize) return std::nullopt;
        const std::uint8_t* h = m_buf.data() + m_pos;
        const std::size_t len = static_cast<std::size_t>(h[5]) | (static_cast<std::size_t>(h[6]) << 8);
        if (len > kMaxPayload) {
            ++m_stats.oversize;
            drop(1);
            continue;
        }
        if (avail < kFrameOverhead + len) return std::nullopt;
        const std::uint16_t want = crc16CcittFalse({h + 2, kHeaderSize - 2 + len});
        const std::uint16_t got = static_cast<std::uint16_t>(h[kHeaderSize + len] | (h[kHeaderSize + len + 1] << 8));
        if (want != got) {
            ++m_stats.badCrc;
            drop(1);
            continue;
        }
        Frame frame{h[2], h[3], h[4], Bytes(h + kHeaderSize, h + kHeaderSize + len)};
        m_pos += kFrameOverhead + len;
        ++m_stats.frames;
        if (m_pos == m_buf.size()) reset();
        return frame;
    }
    return std::nullopt;
}

}  // namespace hw::board
