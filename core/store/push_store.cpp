#include "core/store/push_store.hpp"

#include "core/store/store_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace core::store {

using detail::guarded;

namespace {

constexpr const char* kEventColumns =
    "id, received_ms, topic, qos, payload, verification, decode_error, method, machine_no, code_id, sign, "
    "decoded, applied, dedup_key";

PushEvent readEvent(SQLite::Statement& q) {
    PushEvent e;
    e.id = q.getColumn(0).getInt64();
    e.receivedMs = q.getColumn(1).getInt64();
    e.topic = q.getColumn(2).getString();
    e.qos = q.getColumn(3).getInt();
    const SQLite::Column payload = q.getColumn(4);
    e.payload.assign(static_cast<const char*>(payload.getBlob()), static_cast<size_t>(payload.getBytes()));
    e.verification = q.getColumn(5).getString();
    e.decodeError = q.getColumn(6).getString();
    e.method = q.getColumn(7).getString();
    e.machineNo = q.getColumn(8).getString();
    e.codeId = detail::optionalInt(q.getColumn(9));
    e.sign = q.getColumn(10).getString();
    e.decoded = q.getColumn(11).getString();
    e.applied = parseApplied(q.getColumn(12).getString());
    if (!q.getColumn(13).isNull()) e.dedupKey = q.getColumn(13).getString();
    return e;
}

// WHERE clause with ?1..?6 always bound (NULL = no condition). A set field becomes a plain
// condition, so the planner can use its index or the id range; an unset one only "?N IS NULL"
// (constant, keeps the numbering). The generic "(?N IS NULL OR column = ?N)" for every field made
// each query scan the whole table: the push console's "id > last seen" took 12 ms at 16,000 pushes
// and grew with the table (docs/BENCHMARKS.md, "Desktop app").
std::string eventWhere(const PushEventFilter& f) {
    std::string where = " WHERE ";
    where += f.machineNo ? "machine_no = ?1" : "?1 IS NULL";
    where += f.method ? " AND method = ?2" : " AND ?2 IS NULL";
    where += f.sinceMs ? " AND received_ms >= ?3" : " AND ?3 IS NULL";
    where += f.afterId ? " AND id > ?4" : " AND ?4 IS NULL";
    where += f.notValidOnly ? " AND ?5 = 1 AND verification <> 'valid'" : " AND ?5 = 0";
    where += f.applied ? " AND applied = ?6" : " AND ?6 IS NULL";
    return where;
}

void bindFilter(SQLite::Statement& q, const PushEventFilter& f) {
    if (f.machineNo) q.bind(1, *f.machineNo);
    if (f.method) q.bind(2, *f.method);
    detail::bindOptional(q, 3, f.sinceMs);
    detail::bindOptional(q, 4, f.afterId);
    q.bind(5, f.notValidOnly ? 1 : 0);
    if (f.applied) q.bind(6, appliedName(*f.applied));
}

}  // namespace

const char* appliedName(Applied applied) {
    switch (applied) {
    case Applied::No: return "no";
    case Applied::Yes: return "yes";
    case Applied::Pending: return "pending";
    case Applied::Skipped: return "skipped";
    }
    return "no";
}

Applied parseApplied(const std::string& text) {
    if (text == "yes") return Applied::Yes;
    if (text == "pending") return Applied::Pending;
    if (text == "skipped") return Applied::Skipped;
    return Applied::No;
}

Result<std::optional<std::int64_t>> insertPushEvent(Store& store, const PushEvent& e) {
    return guarded(store.path(), "store a push", [&]() -> Result<std::optional<std::int64_t>> {
        SQLite::Statement q(store.db(),
                            "INSERT OR IGNORE INTO push_events(received_ms, topic, qos, payload, verification, "
                            "decode_error, method, machine_no, code_id, sign, decoded, applied, dedup_key) "
                            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, e.receivedMs);
        q.bindNoCopy(2, e.topic);
        q.bind(3, e.qos);
        q.bindNoCopy(4, e.payload.data(), static_cast<int>(e.payload.size()));
        q.bindNoCopy(5, e.verification);
        q.bindNoCopy(6, e.decodeError);
        q.bindNoCopy(7, e.method);
        q.bindNoCopy(8, e.machineNo);
        detail::bindOptional(q, 9, e.codeId);
        q.bindNoCopy(10, e.sign);
        q.bindNoCopy(11, e.decoded);
        q.bind(12, appliedName(e.applied));
        if (e.dedupKey) {
            q.bindNoCopy(13, *e.dedupKey);
        } else {
            q.bind(13);
        }
        if (q.exec() == 0) return std::optional<std::int64_t>{};
        return std::optional<std::int64_t>{store.db().getLastInsertRowid()};
    });
}

Status setPushApplied(Store& store, std::int64_t eventId, Applied applied) {
    return guarded(store.path(), "mark a push applied", [&]() -> Status {
        SQLite::Statement q(store.db(), "UPDATE push_events SET applied = ? WHERE id = ?");
        q.bind(1, appliedName(applied));
        q.bind(2, eventId);
        q.exec();
        return {};
    });
}

namespace {

std::string eventSelect(const PushEventFilter& f) {
    std::string sql = std::string("SELECT ") + kEventColumns + " FROM push_events" + eventWhere(f) + " ORDER BY id" +
                      (f.newestFirst ? " DESC" : " ASC");
    if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit);
    return sql;
}

}  // namespace

Result<std::vector<PushEvent>> queryPushEvents(Store& store, const PushEventFilter& f) {
    return guarded(store.path(), "list push events", [&]() -> Result<std::vector<PushEvent>> {
        SQLite::Statement q(store.db(), eventSelect(f));
        bindFilter(q, f);
        std::vector<PushEvent> out;
        while (q.executeStep()) out.push_back(readEvent(q));
        return out;
    });
}

Result<std::vector<std::string>> explainPushEventQuery(Store& store, const PushEventFilter& f) {
    return guarded(store.path(), "explain a push event query", [&]() -> Result<std::vector<std::string>> {
        SQLite::Statement q(store.db(), "EXPLAIN QUERY PLAN " + eventSelect(f));
        bindFilter(q, f);
        std::vector<std::string> lines;
        while (q.executeStep()) lines.push_back(q.getColumn(3).getString());
        return lines;
    });
}

Result<std::int64_t> countPushEvents(Store& store, const PushEventFilter& f) {
    return guarded(store.path(), "count push events", [&]() -> Result<std::int64_t> {
        SQLite::Statement q(store.db(), std::string("SELECT count(*) FROM push_events") + eventWhere(f));
        bindFilter(q, f);
        q.executeStep();
        return std::int64_t{q.getColumn(0).getInt64()};
    });
}

Result<std::vector<PushEvent>> pendingPushEvents(Store& store, const std::string& machineNo, std::int64_t codeId) {
    return guarded(store.path(), "read pending pushes", [&]() -> Result<std::vector<PushEvent>> {
        SQLite::Statement q(store.db(), std::string("SELECT ") + kEventColumns +
                                            " FROM push_events WHERE machine_no = ? AND code_id = ? AND applied = 'pending' ORDER BY id");
        q.bind(1, machineNo);
        q.bind(2, codeId);
        std::vector<PushEvent> out;
        while (q.executeStep()) out.push_back(readEvent(q));
        return out;
    });
}

Result<std::int64_t> prunePushEvents(Store& store, const PushRetention& retention, std::int64_t nowMs) {
    return guarded(store.path(), "prune old push events", [&]() -> Result<std::int64_t> {
        std::int64_t removed = 0;
        if (retention.maxAgeMs) {
            SQLite::Statement q(store.db(), "DELETE FROM push_events WHERE received_ms < ? AND applied <> 'pending'");
            q.bind(1, nowMs - *retention.maxAgeMs);
            removed += q.exec();
        }
        if (retention.maxCount) {
            // Everything older than the newest maxCount ids goes (ids grow with arrival).
            SQLite::Statement q(store.db(),
                                "DELETE FROM push_events WHERE applied <> 'pending' AND id <= "
                                "(SELECT id FROM push_events ORDER BY id DESC LIMIT 1 OFFSET ?)");
            q.bind(1, *retention.maxCount);
            removed += q.exec();
        }
        return removed;
    });
}

Status applyPushCreate(Store& store, const PickupCode& c) {
    return guarded(store.path(), "save a pushed pickup code", [&]() -> Status {
        SQLite::Statement q(store.db(),
                            "INSERT INTO codes(machine_no, id, product_id, code, quantity, status, created_utc, "
                            "expires_utc, updated_utc) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                            "ON CONFLICT(machine_no, id) DO UPDATE SET product_id = excluded.product_id, "
                            "code = excluded.code, quantity = excluded.quantity, "
                            "status = CASE WHEN status IN ('used', 'deleted') THEN status ELSE excluded.status END, "
                            "created_utc = coalesce(created_utc, excluded.created_utc), "
                            "expires_utc = excluded.expires_utc, updated_utc = excluded.updated_utc");
        q.bind(1, c.machineNo);
        q.bind(2, c.id);
        q.bind(3, c.productId);
        q.bind(4, c.code);
        q.bind(5, c.quantity);
        q.bind(6, c.status == CodeStatus::Used ? "used" : "unused");
        detail::bindOptional(q, 7, c.createdUtc);
        detail::bindOptional(q, 8, c.expiresUtc);
        q.bind(9, c.updatedUtc != 0 ? c.updatedUtc : detail::currentTime());
        q.exec();
        return {};
    });
}

namespace {

// Sets a final status unless the code already has one; false when the code is unknown.
Result<bool> finalStatus(Store& store, const std::string& machineNo, std::int64_t codeId, const char* status) {
    return guarded(store.path(), "update a pushed pickup code", [&]() -> Result<bool> {
        SQLite::Statement exists(store.db(), "SELECT 1 FROM codes WHERE machine_no = ? AND id = ?");
        exists.bind(1, machineNo);
        exists.bind(2, codeId);
        if (!exists.executeStep()) return false;
        SQLite::Statement q(store.db(),
                            "UPDATE codes SET status = ?, updated_utc = ? WHERE machine_no = ? AND id = ? "
                            "AND status NOT IN ('used', 'deleted')");
        q.bind(1, status);
        q.bind(2, detail::currentTime());
        q.bind(3, machineNo);
        q.bind(4, codeId);
        q.exec();
        return true;
    });
}

}  // namespace

Result<bool> applyPushDelete(Store& store, const std::string& machineNo, std::int64_t codeId) {
    return finalStatus(store, machineNo, codeId, "deleted");
}

Result<bool> applyPushUsed(Store& store, const std::string& machineNo, std::int64_t codeId) {
    return finalStatus(store, machineNo, codeId, "used");
}

Result<std::optional<std::string>> machineZone(Store& store, const std::string& machineNo) {
    return guarded(store.path(), "read a machine's time zone", [&]() -> Result<std::optional<std::string>> {
        SQLite::Statement q(store.db(),
                            "SELECT m.timezone, coalesce(p.default_timezone, '') FROM machines m "
                            "LEFT JOIN profiles p ON p.id = m.profile_id WHERE m.machine_no = ?");
        q.bind(1, machineNo);
        if (!q.executeStep()) return std::optional<std::string>{};
        std::string zone = q.getColumn(0).getString();
        if (zone.empty()) zone = q.getColumn(1).getString();
        if (zone.empty()) zone = "Asia/Shanghai";
        return std::optional<std::string>{zone};
    });
}

Status upsertTzWarning(Store& store, const TzWarning& w) {
    return guarded(store.path(), "record a time zone warning", [&]() -> Status {
        SQLite::Statement q(store.db(),
                            "INSERT INTO machine_tz_warnings(machine_no, configured_zone, inferred_offset, "
                            "configured_offset, seen_utc, event_id) VALUES(?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT(machine_no) DO UPDATE SET configured_zone = excluded.configured_zone, "
                            "inferred_offset = excluded.inferred_offset, configured_offset = excluded.configured_offset, "
                            "seen_utc = excluded.seen_utc, event_id = excluded.event_id");
        q.bind(1, w.machineNo);
        q.bind(2, w.configuredZone);
        q.bind(3, w.inferredOffset);
        q.bind(4, w.configuredOffset);
        q.bind(5, w.seenUtc);
        detail::bindOptional(q, 6, w.eventId);
        q.exec();
        return {};
    });
}

Status clearTzWarning(Store& store, const std::string& machineNo) {
    return guarded(store.path(), "clear a time zone warning", [&]() -> Status {
        SQLite::Statement q(store.db(), "DELETE FROM machine_tz_warnings WHERE machine_no = ?");
        q.bind(1, machineNo);
        q.exec();
        return {};
    });
}

Result<std::vector<TzWarning>> listTzWarnings(Store& store) {
    return guarded(store.path(), "list time zone warnings", [&]() -> Result<std::vector<TzWarning>> {
        SQLite::Statement q(store.db(),
                            "SELECT machine_no, configured_zone, inferred_offset, configured_offset, seen_utc, event_id "
                            "FROM machine_tz_warnings ORDER BY machine_no");
        std::vector<TzWarning> out;
        while (q.executeStep()) {
            TzWarning w;
            w.machineNo = q.getColumn(0).getString();
            w.configuredZone = q.getColumn(1).getString();
            w.inferredOffset = q.getColumn(2).getInt();
            w.configuredOffset = q.getColumn(3).getInt();
            w.seenUtc = q.getColumn(4).getInt64();
            w.eventId = detail::optionalInt(q.getColumn(5));
            out.push_back(std::move(w));
        }
        return out;
    });
}

}  // namespace core::store
