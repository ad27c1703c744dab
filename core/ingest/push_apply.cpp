// One decoded push -> the store: the raw event first, then (valid only) its effect on the codes.
#include "core/ingest/ingest_pipeline.hpp"

#include "core/tz/machine_time.hpp"

namespace core::ingest {
namespace {

using store::Applied;

constexpr std::string_view kCreate = "client.pickup_codes.create";
constexpr std::string_view kDelete = "client.pickup_codes.delete";
constexpr std::string_view kPut = "client.pickup_codes.put";

std::optional<std::int64_t> codeIdOf(const protocol::PushMessage& m) {
    if (m.create) return m.create->id;
    if (m.del) return m.del->id;
    if (m.put) return m.put->id;
    return std::nullopt;
}

store::PushEvent rawEvent(const net::RawPush& push, const protocol::PushMessage& m) {
    store::PushEvent e;
    e.receivedMs = push.receivedMs;
    e.topic = push.topic;
    e.qos = push.qos;
    e.payload = push.payload;
    e.verification = protocol::verificationName(m.verification);
    e.decodeError = m.decodeError;
    e.method = m.method;
    e.machineNo = m.machineNo;
    e.codeId = codeIdOf(m);
    e.sign = m.sign;
    if (m.verification != protocol::Verification::Undecodable) e.decoded = m.fields.dump();
    // A redelivered push carries the same sign: machine|method|id|sign identifies it.
    if (m.verification != protocol::Verification::Undecodable && !m.sign.empty()) {
        e.dedupKey = m.machineNo + '|' + m.method + '|' + (e.codeId ? std::to_string(*e.codeId) : "") + '|' + m.sign;
    }
    return e;
}

// expires_utc: the epoch (s or ms, already normalized by the decoder); without one, expired_day
// read in the machine's zone; neither = never expires.
std::optional<Instant> expiryOf(store::Store& store, const protocol::PushMessage& m) {
    const auto& c = *m.create;
    if (c.expiresUtc) return c.expiresUtc;
    if (c.expiredDay.empty()) return std::nullopt;
    auto zone = store::machineZone(store, m.machineNo);
    const std::string name = zone.ok() && zone.value() ? **zone : std::string(tz::kDefaultZone);
    auto utc = tz::localToUtc(c.expiredDay, name, tz::Ambiguity::Earliest);
    if (!utc) return std::nullopt;
    return *utc;
}

Status checkZone(store::Store& store, const protocol::PushMessage& m, std::int64_t eventId) {
    auto zone = store::machineZone(store, m.machineNo);
    if (!zone) return zone.error();
    if (!zone.value()) return {};  // unknown machine: nothing configured to compare with
    const auto check = protocol::checkMachineZone(*m.create, **zone);
    if (!check) return {};
    if (check->matches()) return store::clearTzWarning(store, m.machineNo);
    store::TzWarning w;
    w.machineNo = m.machineNo;
    w.configuredZone = **zone;
    w.inferredOffset = check->inferredOffset;
    w.configuredOffset = check->configuredOffset;
    w.seenUtc = m.create->expiresUtc.value_or(tz::nowUtc());
    w.eventId = eventId;
    return store::upsertTzWarning(store, w);
}

Result<Applied> applyFinal(store::Store& store, std::string_view method, const std::string& machineNo, std::int64_t id) {
    auto done = method == kDelete ? store::applyPushDelete(store, machineNo, id) : store::applyPushUsed(store, machineNo, id);
    if (!done) return done.error();
    return *done ? Applied::Yes : Applied::Pending;
}

Result<Applied> applyCreate(store::Store& store, const protocol::PushMessage& m, std::int64_t eventId) {
    const auto& c = *m.create;
    if (!c.id || c.code.empty() || m.machineNo.empty()) return Applied::Skipped;
    PickupCode code;
    code.machineNo = m.machineNo;
    code.id = *c.id;
    code.productId = c.productId.value_or(0);
    code.code = c.code;
    code.quantity = std::max(1, c.quantity.value_or(1));
    code.status = c.used.value_or(false) ? CodeStatus::Used : CodeStatus::Unused;
    if (m.timestamp) code.createdUtc = tz::normalizeEpoch(*m.timestamp);
    code.expiresUtc = expiryOf(store, m);
    if (auto saved = store::applyPushCreate(store, code); !saved) return saved.error();
    // Deletes and puts that arrived first.
    auto pending = store::pendingPushEvents(store, m.machineNo, code.id);
    if (!pending) return pending.error();
    for (const auto& e : *pending) {
        auto applied = applyFinal(store, e.method, m.machineNo, code.id);
        if (!applied) return applied.error();
        if (auto marked = store::setPushApplied(store, e.id, *applied); !marked) return marked.error();
    }
    if (auto zone = checkZone(store, m, eventId); !zone) return zone.error();
    return Applied::Yes;
}

Result<Applied> apply(store::Store& store, const protocol::PushMessage& m, std::int64_t eventId) {
    if (!protocol::mayApply(m)) return Applied::No;
    if (m.method == kCreate && m.create) return applyCreate(store, m, eventId);
    if ((m.method == kDelete && m.del && m.del->id) || (m.method == kPut && m.put && m.put->id)) {
        if (m.machineNo.empty()) return Applied::Skipped;
        if (m.put && m.put->used == false) return Applied::Skipped;  // "used":"0" changes nothing
        return applyFinal(store, m.method, m.machineNo, m.del ? *m.del->id : *m.put->id);
    }
    return Applied::Skipped;  // informational methods
}

}  // namespace

Result<IngestResult> ingestOne(store::Store& store, const net::RawPush& push, const protocol::PushMessage& message) {
    store::PushEvent event = rawEvent(push, message);
    event.applied = protocol::mayApply(message) ? Applied::Skipped : Applied::No;
    auto id = store::insertPushEvent(store, event);
    if (!id) return id.error();
    IngestResult result;
    if (!id.value()) {
        result.duplicate = true;
        return result;
    }
    result.eventId = **id;
    auto applied = apply(store, message, result.eventId);
    if (!applied) return applied.error();
    result.applied = *applied;
    if (result.applied != event.applied) {
        if (auto marked = store::setPushApplied(store, result.eventId, result.applied); !marked) return marked.error();
    }
    return result;
}

}  // namespace core::ingest
