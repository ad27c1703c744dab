#include "hw/sim/board_sim.hpp"

#include "hw/board/crc16.hpp"
#include "hw/board/payloads.hpp"

#include <algorithm>

namespace hw::sim {
namespace {

using namespace hw::board;

constexpr std::size_t kTxnHistory = 8;
constexpr std::size_t kReplayEntries = 16;

Bytes ok(const Bytes& body = {}) { return responsePayload(BoardStatus::Ok, body); }
Bytes status(BoardStatus s) { return responsePayload(s); }
Bytes refuse(BoardStatus s, Fault f) { return Bytes{static_cast<std::uint8_t>(s), static_cast<std::uint8_t>(f)}; }

Millis hostDeadline(SlotType type, bool lift) {
    if (lift || type == SlotType::Belt) return Millis(90'000);
    return type == SlotType::ELock ? Millis(15'000) : Millis(30'000);
}

BoardConfig defaultConfig() {
    BoardConfig c;
    c.machineNo = "0";
    c.serverHost = "iot.example.com";
    c.serverPort = 443;
    c.mqttHost = "mqtt.example.com";
    c.mqttPort = 8883;
    c.mqttUser = "";
    c.mqttPassword = "";
    c.mqttTopic = "vend/0";
    c.tls = true;
    return c;
}

void merge(BoardConfig& into, const BoardConfig& from) {
    if (from.machineNo) into.machineNo = from.machineNo;
    if (from.serverHost) into.serverHost = from.serverHost;
    if (from.serverPort) into.serverPort = from.serverPort;
    if (from.mqttHost) into.mqttHost = from.mqttHost;
    if (from.mqttPort) into.mqttPort = from.mqttPort;
    if (from.mqttUser) into.mqttUser = from.mqttUser;
    if (from.mqttPassword) into.mqttPassword = from.mqttPassword;
    if (from.mqttTopic) into.mqttTopic = from.mqttTopic;
    if (from.tls) into.tls = from.tls;
}

struct FaultName {
    SlotFault fault;
    const char* name;
};
constexpr FaultName kFaultNames[] = {
    {SlotFault::Ok, "ok"},           {SlotFault::Stuck, "stuck"},          {SlotFault::DropNotDetected, "no-drop"},
    {SlotFault::SlotInvalid, "invalid"}, {SlotFault::CommError, "comm-error"}, {SlotFault::Lift, "lift"},
    {SlotFault::MotorShort, "motor-short"}, {SlotFault::LockNotOpened, "lock"}, {SlotFault::PowerFault, "power"},
    {SlotFault::Busy, "busy"},       {SlotFault::Slow, "slow"},            {SlotFault::Hang, "hang"},
};

}  // namespace

const char* slotFaultName(SlotFault fault) {
    for (const auto& f : kFaultNames) {
        if (f.fault == fault) return f.name;
    }
    return "ok";
}

bool parseSlotFault(const std::string& name, SlotFault& out) {
    for (const auto& f : kFaultNames) {
        if (name == f.name) {
            out = f.fault;
            return true;
        }
    }
    return false;
}

Millis BoardSim::motorTimeout(SlotType type, bool lift) { return hostDeadline(type, lift) * 8 / 10; }

BoardSim::BoardSim(BoardModel model, Clock& clock, std::string serial, int cabinets)
    : m_clock(clock), m_cabinets(std::clamp(cabinets, 1, 8)) {
    m_identity = Identity{kHostProtocol, model, static_cast<std::uint16_t>(modelChannels(model)), 1, 2, 3, std::move(serial)};
    const SlotType type = model == BoardModel::ELock24P ? SlotType::ELock : SlotType::Spring;
    for (int addr = 1; addr <= m_cabinets; ++addr) {
        auto& list = m_channels[static_cast<std::uint8_t>(addr)];
        for (int slot = 0; slot < m_identity.channels; ++slot) {
            list.push_back({static_cast<std::uint8_t>(addr), static_cast<std::uint8_t>(slot), type, true, false, false, Fault::None});
        }
    }
    m_stored = defaultConfig();
    m_staged = m_stored;
    m_bootAt = clock.now();
}

void BoardSim::plan(std::uint8_t addr, std::uint8_t slot, SlotPlan plan) {
    std::lock_guard lock(m_mutex);
    m_plans[{addr, slot}] = plan;
}

void BoardSim::setTiming(SimTiming timing) {
    std::lock_guard lock(m_mutex);
    m_timing = timing;
}

int BoardSim::dispensesExecuted() const {
    std::lock_guard lock(m_mutex);
    return m_dispenses;
}

int BoardSim::replays() const {
    std::lock_guard lock(m_mutex);
    return m_replays;
}

std::uint64_t BoardSim::badCrcFrames() const {
    std::lock_guard lock(m_mutex);
    return m_decoder.stats().badCrc;
}

BoardConfig BoardSim::storedConfig() const {
    std::lock_guard lock(m_mutex);
    return m_stored;
}

Identity BoardSim::identity() const { return m_identity; }

ChannelInfo BoardSim::channel(std::uint8_t addr, std::uint8_t slot) const {
    std::lock_guard lock(m_mutex);
    return m_channels.at(addr).at(slot);
}

ChannelInfo* BoardSim::findChannel(std::uint8_t addr, std::uint8_t slot) {
    auto it = m_channels.find(addr);
    if (it == m_channels.end() || slot >= it->second.size()) return nullptr;
    return &it->second[slot];
}

Bytes BoardSim::feed(std::span<const std::uint8_t> bytes) {
    std::lock_guard lock(m_mutex);
    m_decoder.feed(bytes);
    Bytes out;
    while (auto frame = m_decoder.next()) {
        if ((frame->cmd & kResponseBit) != 0) continue;  // an echo of our own answer: ignore
        if (frame->cmd == static_cast<std::uint8_t>(Cmd::Hello)) m_replay.clear();  // a new host session
        const std::uint16_t crc = crc16CcittFalse(frame->payload);
        auto hit = std::find_if(m_replay.begin(), m_replay.end(), [&](const Replay& r) {
            return r.seq == frame->seq && r.cmd == frame->cmd && r.crc == crc;
        });
        Bytes wire;
        if (hit != m_replay.end()) {
            ++m_replays;
            wire = hit->response;
        } else {
            settle();
            const bool isReset = frame->cmd == static_cast<std::uint8_t>(Cmd::Reset);
            wire = encodeFrame({kVersion, frame->seq, static_cast<std::uint8_t>(frame->cmd | kResponseBit), handle(*frame)});
            if (isReset) {
                reboot();
            } else {
                m_replay.push_back({frame->seq, frame->cmd, crc, wire});
                if (m_replay.size() > kReplayEntries) m_replay.pop_front();
            }
        }
        out.insert(out.end(), wire.begin(), wire.end());
    }
    return out;
}

void BoardSim::reboot() {
    m_staged = m_stored;
    m_txns.clear();
    m_replay.clear();
    m_bootAt = m_clock.now();
}

Bytes BoardSim::handle(const Frame& request) {
    if (request.version != kVersion) return status(BoardStatus::BadVersion);
    const auto& p = request.payload;
    switch (static_cast<Cmd>(request.cmd)) {
    case Cmd::Hello:
        if (p.size() != 1) return status(BoardStatus::BadLen);
        return ok(encodeIdentityBody(m_identity));
    case Cmd::GetConfig: return ok(encodeConfig(m_staged));
    case Cmd::SetConfig: return onSetConfig(request);
    case Cmd::CommitConfig:
        if (busy()) return status(BoardStatus::Busy);
        m_stored = m_staged;
        return ok({static_cast<std::uint8_t>(configCrc(m_stored) & 0xFF), static_cast<std::uint8_t>(configCrc(m_stored) >> 8)});
    case Cmd::ReadChannels: return onReadChannels(request);
    case Cmd::SetChannel: return onSetChannel(request);
    case Cmd::Dispense: return onDispense(request);
    case Cmd::DispenseStatus: return onStatus(request);
    case Cmd::ClearFault: return onClearFault(request);
    case Cmd::Ping: {
        const bool faulted = std::any_of(m_channels.begin(), m_channels.end(), [](const auto& kv) {
            return std::any_of(kv.second.begin(), kv.second.end(), [](const ChannelInfo& c) { return c.lastFault != Fault::None; });
        });
        const auto uptime = static_cast<std::uint32_t>((m_clock.now() - m_bootAt).count());
        return ok(encodePingBody({uptime, static_cast<std::uint8_t>(busy() ? 1 : (faulted ? 3 : 0))}));
    }
    case Cmd::Reset: return ok();
    }
    return status(BoardStatus::UnknownCmd);
}

Bytes BoardSim::onSetConfig(const Frame& request) {
    auto config = decodeConfig(request.payload);
    if (!config || !validateConfig(*config).empty()) return status(BoardStatus::BadArg);
    merge(m_staged, *config);
    return ok();
}

Bytes BoardSim::onReadChannels(const Frame& request) {
    auto range = decodeChannelRange(request.payload);
    if (!range) return status(BoardStatus::BadLen);
    auto it = m_channels.find(range->addr);
    if (it == m_channels.end() || range->count == 0 || range->count > kMaxChannelsPerRead ||
        range->first + range->count > static_cast<int>(it->second.size())) {
        return status(BoardStatus::BadArg);
    }
    const auto first = it->second.begin() + range->first;
    return ok(encodeChannelsBody(*range, std::vector<ChannelInfo>(first, first + range->count)));
}

Bytes BoardSim::onSetChannel(const Frame& request) {
    auto ch = decodeSetChannel(request.payload);
    if (!ch) return status(BoardStatus::BadLen);
    auto* target = findChannel(ch->addr, ch->slot);
    if (target == nullptr) return status(BoardStatus::BadArg);
    ch->lastFault = target->lastFault;
    *target = *ch;
    return ok();
}

Bytes BoardSim::onClearFault(const Frame& request) {
    auto q = decodeClearFault(request.payload);
    if (!q) return status(BoardStatus::BadLen);
    auto it = m_channels.find(q->addr);
    if (it == m_channels.end()) return status(BoardStatus::BadArg);
    for (auto& t : m_txns) {  // a hung motor is stopped by clearing its slot
        if (t.hang && t.request.addr == q->addr && (q->slot == kAllSlots || q->slot == t.request.slot)) {
            t.hang = false;
            t.settled = true;
            t.fault = Fault::GoodsStuck;
        }
    }
    if (q->slot == kAllSlots) {
        for (auto& ch : it->second) ch.lastFault = Fault::None;
        return ok();
    }
    auto* ch = findChannel(q->addr, q->slot);
    if (ch == nullptr) return status(BoardStatus::BadArg);
    ch->lastFault = Fault::None;
    return ok();
}

BoardSim::Txn BoardSim::planTxn(const DispenseRequest& q, const SlotPlan& plan) const {
    Txn t{q, m_clock.now(), {}, false, Fault::None, q.dropCheck ? DropSensor::Detected : DropSensor::NotChecked, false};
    Millis run = q.type == SlotType::ELock ? m_timing.elock : (q.type == SlotType::Belt ? m_timing.belt : m_timing.spring);
    if (q.lift) run += m_timing.lift;
    t.duration = run;
    switch (plan.fault) {
    case SlotFault::Stuck:
        t.duration = motorTimeout(q.type, q.lift);
        t.fault = Fault::GoodsStuck;
        break;
    case SlotFault::DropNotDetected:
        if (q.dropCheck) {
            t.fault = Fault::DropNotDetected;
            t.drop = DropSensor::NotDetected;
        }
        break;
    case SlotFault::CommError: t.duration = Millis(200); t.fault = Fault::SlaveCommError; break;
    case SlotFault::Lift:
        if (q.lift) t.fault = Fault::LiftFault;
        break;
    case SlotFault::MotorShort: t.duration = Millis(100); t.fault = Fault::MotorShort; break;
    case SlotFault::LockNotOpened: t.fault = Fault::LockNotOpened; break;
    case SlotFault::PowerFault: t.duration = Millis(0); t.fault = Fault::PowerFault; break;
    case SlotFault::Slow: t.duration = plan.delay; break;
    case SlotFault::Hang: t.hang = true; break;
    case SlotFault::Ok:
    case SlotFault::SlotInvalid:
    case SlotFault::Busy: break;
    }
    if (t.fault != Fault::None && t.fault != Fault::DropNotDetected && q.dropCheck) t.drop = DropSensor::NotDetected;
    return t;
}

Bytes BoardSim::onDispense(const Frame& request) {
    auto q = decodeDispense(request.payload);
    if (!q) return status(BoardStatus::BadLen);
    // A txn the board already knows (a new SEQ by mistake) is answered as accepted, never run twice.
    if (std::any_of(m_txns.begin(), m_txns.end(), [&](const Txn& t) { return t.request.txn == q->txn; })) return refuse(BoardStatus::Ok, Fault::None);
    if (busy()) return refuse(BoardStatus::Busy, Fault::BoardBusy);
    auto* ch = findChannel(q->addr, q->slot);
    const auto planIt = m_plans.find({q->addr, q->slot});
    const SlotPlan plan = planIt == m_plans.end() ? SlotPlan{} : planIt->second;
    if (ch == nullptr || !ch->enabled || plan.fault == SlotFault::SlotInvalid) return refuse(BoardStatus::BadArg, Fault::SlotInvalid);
    if (plan.fault == SlotFault::Busy) return refuse(BoardStatus::Busy, Fault::BoardBusy);
    ++m_dispenses;
    m_txns.push_back(planTxn(*q, plan));
    if (m_txns.size() > kTxnHistory) m_txns.pop_front();
    settle();
    return refuse(BoardStatus::Ok, Fault::None);
}

void BoardSim::settle() {
    const Millis now = m_clock.now();
    for (auto& t : m_txns) {
        if (t.settled || t.hang || now - t.start < t.duration) continue;
        t.settled = true;
        if (auto* ch = findChannel(t.request.addr, t.request.slot)) ch->lastFault = t.fault;
    }
}

bool BoardSim::busy() const {
    return std::any_of(m_txns.begin(), m_txns.end(), [](const Txn& t) { return !t.settled; });
}

Bytes BoardSim::onStatus(const Frame& request) {
    auto txn = decodeTxn(request.payload);
    if (!txn) return status(BoardStatus::BadLen);
    DispenseStatus s{*txn, DispenseState::Idle, Fault::None, DropSensor::NotChecked, 0};
    for (const auto& t : m_txns) {
        if (t.request.txn != *txn) continue;
        const Millis elapsed = m_clock.now() - t.start;
        s.elapsedMs = static_cast<std::uint32_t>(t.settled ? t.duration.count() : elapsed.count());
        if (!t.settled) {
            s.state = DispenseState::Busy;
        } else {
            s.state = t.fault == Fault::None ? DispenseState::Success : DispenseState::Fault;
            s.fault = t.fault;
            s.drop = t.drop;
        }
    }
    return ok(encodeDispenseStatusBody(s));
}

}  // namespace hw::sim
