#include "hw/board/payloads.hpp"

#include <algorithm>

#include "hw/board/crc16.hpp"
#include "hw/board/wire.hpp"

namespace hw::board {
namespace {

constexpr std::uint8_t kChanEnabled = 0x01, kChanDropCheck = 0x02, kChanLift = 0x04;
constexpr std::uint8_t kDispDropCheck = 0x01, kDispLift = 0x02;

bool validType(std::uint8_t t) { return t >= 1 && t <= 3; }

struct StrLimit {
    ConfigTag tag;
    std::size_t max;
    const char* name;
};
constexpr StrLimit kStrLimits[] = {
    {ConfigTag::MachineNo, 16, "machine number"}, {ConfigTag::ServerHost, 40, "server host"},
    {ConfigTag::MqttHost, 40, "MQTT host"},       {ConfigTag::MqttUser, 24, "MQTT user"},
    {ConfigTag::MqttPassword, 40, "MQTT password"}, {ConfigTag::MqttTopic, 40, "MQTT topic"},
};

std::optional<std::string>* strField(BoardConfig& c, ConfigTag tag) {
    switch (tag) {
    case ConfigTag::MachineNo: return &c.machineNo;
    case ConfigTag::ServerHost: return &c.serverHost;
    case ConfigTag::MqttHost: return &c.mqttHost;
    case ConfigTag::MqttUser: return &c.mqttUser;
    case ConfigTag::MqttPassword: return &c.mqttPassword;
    case ConfigTag::MqttTopic: return &c.mqttTopic;
    default: return nullptr;
    }
}

std::optional<std::uint16_t>* portField(BoardConfig& c, ConfigTag tag) {
    if (tag == ConfigTag::ServerPort) return &c.serverPort;
    if (tag == ConfigTag::MqttPort) return &c.mqttPort;
    return nullptr;
}

}  // namespace

Bytes encodeIdentityBody(const Identity& id) {
    ByteWriter w;
    w.u8(id.protocol).u8(static_cast<std::uint8_t>(id.model)).u16(id.channels);
    w.u8(id.fwMajor).u8(id.fwMinor).u8(id.fwPatch).u8(static_cast<std::uint8_t>(id.serial.size())).bytes(id.serial);
    return w.take();
}

std::optional<Identity> decodeIdentityBody(Payload body) {
    ByteReader r(body);
    Identity id;
    id.protocol = r.u8();
    id.model = static_cast<BoardModel>(r.u8());
    id.channels = r.u16();
    id.fwMajor = r.u8();
    id.fwMinor = r.u8();
    id.fwPatch = r.u8();
    id.serial = r.str(r.u8());
    if (!r.done()) return std::nullopt;
    return id;
}

Bytes encodeConfig(const BoardConfig& config) {
    ByteWriter w;
    BoardConfig c = config;
    for (std::uint8_t t = 1; t <= static_cast<std::uint8_t>(ConfigTag::Tls); ++t) {
        const auto tag = static_cast<ConfigTag>(t);
        if (auto* s = strField(c, tag); s != nullptr && s->has_value()) {
            w.u8(t).u8(static_cast<std::uint8_t>((*s)->size())).bytes(**s);
        } else if (auto* p = portField(c, tag); p != nullptr && p->has_value()) {
            w.u8(t).u8(2).u16(**p);
        } else if (tag == ConfigTag::Tls && c.tls) {
            w.u8(t).u8(1).u8(*c.tls ? 1 : 0);
        }
    }
    return w.take();
}

std::optional<BoardConfig> decodeConfig(Payload tlvs) {
    ByteReader r(tlvs);
    BoardConfig c;
    while (r.ok() && r.remaining() > 0) {
        const auto tag = static_cast<ConfigTag>(r.u8());
        const std::size_t len = r.u8();
        if (auto* s = strField(c, tag)) {
            *s = r.str(len);
        } else if (auto* p = portField(c, tag)) {
            if (len != 2) return std::nullopt;
            *p = r.u16();
        } else if (tag == ConfigTag::Tls) {
            if (len != 1) return std::nullopt;
            const auto v = r.u8();
            if (v > 1) return std::nullopt;
            c.tls = v == 1;
        } else {
            return std::nullopt;  // unknown tag
        }
    }
    if (!r.done()) return std::nullopt;
    return c;
}

std::string validateConfig(const BoardConfig& config) {
    BoardConfig c = config;
    for (const auto& lim : kStrLimits) {
        const auto* s = strField(c, lim.tag);
        if (s->has_value() && (*s)->size() > lim.max) {
            return std::string(lim.name) + " is longer than " + std::to_string(lim.max) + " bytes";
        }
    }
    if (c.machineNo && c.machineNo->empty()) return "machine number is empty";
    if (c.serverPort && *c.serverPort == 0) return "server port 0 is not valid";
    if (c.mqttPort && *c.mqttPort == 0) return "MQTT port 0 is not valid";
    return {};
}

std::uint16_t configCrc(const BoardConfig& config) { return crc16CcittFalse(encodeConfig(config)); }

Bytes encodeChannelRange(const ChannelRange& range) {
    return ByteWriter().u8(range.addr).u8(range.first).u8(range.count).take();
}

std::optional<ChannelRange> decodeChannelRange(Payload payload) {
    ByteReader r(payload);
    ChannelRange range{r.u8(), r.u8(), r.u8()};
    if (!r.done()) return std::nullopt;
    return range;
}

Bytes encodeChannelsBody(const ChannelRange& range, const std::vector<ChannelInfo>& channels) {
    ByteWriter w;
    w.u8(range.addr).u8(range.first).u8(static_cast<std::uint8_t>(channels.size()));
    for (const auto& ch : channels) {
        const auto flags = static_cast<std::uint8_t>((ch.enabled ? kChanEnabled : 0) | (ch.dropCheck ? kChanDropCheck : 0) |
                                                     (ch.lift ? kChanLift : 0));
        w.u8(static_cast<std::uint8_t>(ch.type)).u8(flags).u8(static_cast<std::uint8_t>(ch.lastFault));
    }
    return w.take();
}

std::optional<std::vector<ChannelInfo>> decodeChannelsBody(Payload body) {
    ByteReader r(body);
    const auto addr = r.u8();
    const auto first = r.u8();
    const auto count = r.u8();
    if (!r.ok() || r.remaining() != static_cast<std::size_t>(count) * 3) return std::nullopt;
    std::vector<ChannelInfo> out;
    for (int i = 0; i < count; ++i) {
        const auto type = r.u8();
        const auto flags = r.u8();
        const auto fault = r.u8();
        if (!validType(type) || fault > kMaxFault) return std::nullopt;
        out.push_back({addr, static_cast<std::uint8_t>(first + i), static_cast<SlotType>(type), (flags & kChanEnabled) != 0,
                       (flags & kChanDropCheck) != 0, (flags & kChanLift) != 0, static_cast<Fault>(fault)});
    }
    return out;
}

Bytes encodeSetChannel(const ChannelInfo& ch) {
    const auto flags = static_cast<std::uint8_t>((ch.enabled ? kChanEnabled : 0) | (ch.dropCheck ? kChanDropCheck : 0) |
                                                 (ch.lift ? kChanLift : 0));
    return ByteWriter().u8(ch.addr).u8(ch.slot).u8(static_cast<std::uint8_t>(ch.type)).u8(flags).take();
}

std::optional<ChannelInfo> decodeSetChannel(Payload payload) {
    ByteReader r(payload);
    ChannelInfo ch;
    ch.addr = r.u8();
    ch.slot = r.u8();
    const auto type = r.u8();
    const auto flags = r.u8();
    if (!r.done() || !validType(type)) return std::nullopt;
    ch.type = static_cast<SlotType>(type);
    ch.enabled = (flags & kChanEnabled) != 0;
    ch.dropCheck = (flags & kChanDropCheck) != 0;
    ch.lift = (flags & kChanLift) != 0;
    return ch;
}

Bytes encodeDispense(const DispenseRequest& q) {
    const auto flags = static_cast<std::uint8_t>((q.dropCheck ? kDispDropCheck : 0) | (q.lift ? kDispLift : 0));
    return ByteWriter().u32(q.txn).u8(q.addr).u8(q.slot).u8(static_cast<std::uint8_t>(q.type)).u8(flags).take();
}

std::optional<DispenseRequest> decodeDispense(Payload payload) {
    ByteReader r(payload);
    DispenseRequest q;
    q.txn = r.u32();
    q.addr = r.u8();
    q.slot = r.u8();
    const auto type = r.u8();
    const auto flags = r.u8();
    if (!r.done() || !validType(type)) return std::nullopt;
    q.type = static_cast<SlotType>(type);
    q.dropCheck = (flags & kDispDropCheck) != 0;
    q.lift = (flags & kDispLift) != 0;
    return q;
}

Bytes encodeTxn(std::uint32_t txn) { return ByteWriter().u32(txn).take(); }

std::optional<std::uint32_t> decodeTxn(Payload payload) {
    ByteReader r(payload);
    const auto txn = r.u32();
    if (!r.done()) return std::nullopt;
    return txn;
}

Bytes encodeDispenseStatusBody(const DispenseStatus& s) {
    return ByteWriter()
        .u32(s.txn)
        .u8(static_cast<std::uint8_t>(s.state))
        .u8(static_cast<std::uint8_t>(s.fault))
        .u8(static_cast<std::uint8_t>(s.drop))
        .u32(s.elapsedMs)
        .take();
}

std::optional<DispenseStatus> decodeDispenseStatusBody(Payload body) {
    ByteReader r(body);
    DispenseStatus s;
    s.txn = r.u32();
    const auto state = r.u8();
    const auto fault = r.u8();
    const auto drop = r.u8();
    s.elapsedMs = r.u32();
    if (!r.done() || state > 3 || fault > kMaxFault || (drop > 1 && drop != 0xFF)) return std::nullopt;
    s.state = static_cast<DispenseState>(state);
    s.fault = static_cast<Fault>(fault);
    s.drop = static_cast<DropSensor>(drop);
    return s;
}

Bytes encodeClearFault(const ClearFaultRequest& q) { return ByteWriter().u8(q.addr).u8(q.slot).take(); }

std::optional<ClearFaultRequest> decodeClearFault(Payload payload) {
    ByteReader r(payload);
    ClearFaultRequest q{r.u8(), r.u8()};
    if (!r.done()) return std::nullopt;
    return q;
}

Bytes encodePingBody(const PingInfo& ping) { return ByteWriter().u32(ping.uptimeMs).u8(ping.state).take(); }

std::optional<PingInfo> decodePingBody(Payload body) {
    ByteReader r(body);
    PingInfo p{r.u32(), r.u8()};
    if (!r.done()) return std::nullopt;
    return p;
}

Bytes responsePayload(BoardStatus status, const Bytes& body) {
    // Sized up front: GCC 12 -O2 reports a false -Warray-bounds for insert() after a one-byte init.
    Bytes out(body.size() + 1);
    out[0] = static_cast<std::uint8_t>(status);
    std::copy(body.begin(), body.end(), out.begin() + 1);
    return out;
}

}  // namespace hw::board
