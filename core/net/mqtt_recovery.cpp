#include "core/net/mqtt_recovery.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace core::net {
namespace fs = std::filesystem;

namespace {

class Reader {
public:
    explicit Reader(std::string_view bytes) : m_bytes(bytes) {}
    bool byte(std::uint8_t& out) {
        if (m_pos >= m_bytes.size()) return false;
        out = static_cast<std::uint8_t>(m_bytes[m_pos++]);
        return true;
    }
    bool u16(std::uint16_t& out) {
        std::uint8_t hi = 0, lo = 0;
        if (!byte(hi) || !byte(lo)) return false;
        out = static_cast<std::uint16_t>((hi << 8) | lo);
        return true;
    }
    // MQTT variable byte integer (1..4 bytes).
    bool varint(std::size_t& out) {
        out = 0;
        for (int i = 0; i < 4; ++i) {
            std::uint8_t b = 0;
            if (!byte(b)) return false;
            out |= static_cast<std::size_t>(b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) return true;
        }
        return false;
    }
    bool take(std::size_t n, std::string_view& out) {
        if (m_bytes.size() - m_pos < n) return false;
        out = m_bytes.substr(m_pos, n);
        m_pos += n;
        return true;
    }
    std::size_t pos() const { return m_pos; }
    std::size_t size() const { return m_bytes.size(); }

private:
    std::string_view m_bytes;
    std::size_t m_pos = 0;
};

bool isReceivedQos2Key(const std::string& name) {
    return name.rfind("r-", 0) == 0 || name.rfind("r5-", 0) == 0;
}

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::int64_t fileTimeMs(const fs::path& file) {
    std::error_code ec;
    const auto t = fs::last_write_time(file, ec);
    if (ec) return 0;
    const auto system = std::chrono::file_clock::to_sys(t);
    return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

}  // namespace

std::optional<RawPush> parsePersistedPublish(std::string_view packet, bool mqtt5) {
    Reader r(packet);
    std::uint8_t header = 0;
    std::size_t remaining = 0;
    if (!r.byte(header) || (header >> 4) != 3 || !r.varint(remaining)) return std::nullopt;
    if (r.size() - r.pos() < remaining) return std::nullopt;  // the file was cut short
    const std::size_t end = r.pos() + remaining;
    const int qos = (header >> 1) & 0x3;
    std::uint16_t topicLen = 0, packetId = 0;
    std::string_view topic, payload, properties;
    if (!r.u16(topicLen) || !r.take(topicLen, topic)) return std::nullopt;
    if (qos > 0 && !r.u16(packetId)) return std::nullopt;
    if (mqtt5) {
        std::size_t propertiesLen = 0;
        if (!r.varint(propertiesLen) || !r.take(propertiesLen, properties)) return std::nullopt;
    }
    if (r.pos() > end || !r.take(end - r.pos(), payload)) return std::nullopt;
    RawPush push;
    push.topic = std::string(topic);
    push.payload = std::string(payload);
    push.qos = qos;
    return push;
}

std::vector<RawPush> unfinishedQos2Pushes(const std::string& persistenceDir, const std::string& clientId) {
    std::vector<std::pair<fs::path, bool>> files;  // path, MQTT 5
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(persistenceDir, ec)) {
        // Paho's folder is "<client id>-<server address>".
        if (!dir.is_directory(ec) || dir.path().filename().string().rfind(clientId + "-", 0) != 0) continue;
        for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
            const std::string name = file.path().filename().string();
            if (file.is_regular_file(ec) && isReceivedQos2Key(name)) files.emplace_back(file.path(), name.rfind("r5-", 0) == 0);
        }
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return fileTimeMs(a.first) < fileTimeMs(b.first); });
    std::vector<RawPush> out;
    for (const auto& [path, v5] : files) {
        auto push = parsePersistedPublish(readAll(path), v5);
        if (!push) continue;
        push->receivedMs = fileTimeMs(path);
        out.push_back(std::move(*push));
    }
    return out;
}

}  // namespace core::net
