#pragma once
// Little-endian byte writer/reader for board payloads. The reader never throws: it records
// an underflow and returns zeros, and the caller checks ok() once at the end.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hw::board {

class ByteWriter {
public:
    ByteWriter& u8(std::uint8_t v) { m_out.push_back(v); return *this; }
    ByteWriter& u16(std::uint16_t v) { return u8(static_cast<std::uint8_t>(v & 0xFF)).u8(static_cast<std::uint8_t>(v >> 8)); }
    ByteWriter& u32(std::uint32_t v) { return u16(static_cast<std::uint16_t>(v & 0xFFFF)).u16(static_cast<std::uint16_t>(v >> 16)); }
    ByteWriter& bytes(std::string_view s) { m_out.insert(m_out.end(), s.begin(), s.end()); return *this; }
    ByteWriter& bytes(std::span<const std::uint8_t> s) { m_out.insert(m_out.end(), s.begin(), s.end()); return *this; }
    std::vector<std::uint8_t> take() { return std::move(m_out); }

private:
    std::vector<std::uint8_t> m_out;
};

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> in) : m_in(in) {}
    std::uint8_t u8() { return need(1) ? m_in[m_pos++] : 0; }
    std::uint16_t u16() {
        const auto lo = u8();
        return static_cast<std::uint16_t>(lo | (u8() << 8));
    }
    std::uint32_t u32() {
        const std::uint32_t lo = u16();
        return lo | (static_cast<std::uint32_t>(u16()) << 16);
    }
    std::string str(std::size_t n) {
        if (!need(n)) return {};
        std::string s(m_in.begin() + static_cast<std::ptrdiff_t>(m_pos), m_in.begin() + static_cast<std::ptrdiff_t>(m_pos + n));
        m_pos += n;
        return s;
    }
    std::size_t remaining() const { return m_in.size() - m_pos; }
    bool ok() const { return !m_underflow; }
    bool done() const { return ok() && remaining() == 0; }  // every byte consumed, none missing

private:
    bool need(std::size_t n) {
        if (m_in.size() - m_pos < n) {
            m_underflow = true;
            m_pos = m_in.size();
            return false;
        }
        return true;
    }

    std::span<const std::uint8_t> m_in;
    std::size_t m_pos = 0;
    bool m_underflow = false;
};

}  // namespace hw::board
