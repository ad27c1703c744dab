#pragma once
// MQTT push events in the store (schema v3: push_events, machine_tz_warnings) and the code
// changes pushes make. Free functions over a Store's connection. The write functions do not open
// a transaction: the ingest writer wraps a whole batch in one (and a Store is one connection, one
// thread). Reads may be called on any Store.
#include "core/domain/types.hpp"
#include "core/store/store.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core::store {

enum class Applied { No, Yes, Pending, Skipped };
const char* appliedName(Applied applied);  // "no" | "yes" | "pending" | "skipped"
Applied parseApplied(const std::string& text);

struct PushEvent {
    std::int64_t id = 0;  // 0 before it is stored
    std::int64_t receivedMs = 0;
    std::string topic;
    int qos = 0;
    std::string payload;       // raw bytes as received
    std::string verification;  // valid | invalid | unsigned | undecodable
    std::string decodeError;
    std::string method;
    std::string machineNo;
    std::optional<std::int64_t> codeId;
    std::string sign;
    std::string decoded;  // the decoded JSON object as text ('' when undecodable)
    Applied applied = Applied::No;
    std::optional<std::string> dedupKey;  // machine|method|id|sign; nullopt = never a duplicate
};

struct PushEventFilter {
    std::optional<std::string> machineNo;
    std::optional<std::string> method;
    std::optional<std::int64_t> sinceMs;  // received at or after
    std::optional<std::int64_t> afterId;  // id greater than
    bool notValidOnly = false;            // invalid, unsigned or undecodable
    std::optional<Applied> applied;
    int limit = 0;                        // 0 = all
    bool newestFirst = false;
};

// Inserts the raw event (INSERT OR IGNORE on dedup_key). Returns its id, or nullopt when an event
// with the same dedup key is already stored (a duplicate: acknowledge, do not apply again).
Result<std::optional<std::int64_t>> insertPushEvent(Store& store, const PushEvent& event);
Status setPushApplied(Store& store, std::int64_t eventId, Applied applied);
Result<std::vector<PushEvent>> queryPushEvents(Store& store, const PushEventFilter& filter);
Result<std::int64_t> countPushEvents(Store& store, const PushEventFilter& filter);
// The EXPLAIN QUERY PLAN lines of the SQL queryPushEvents runs for `filter` (tests, benchmarks).
Result<std::vector<std::string>> explainPushEventQuery(Store& store, const PushEventFilter& filter);

// Delete/put events waiting for the create of (machineNo, codeId), oldest first.
Result<std::vector<PushEvent>> pendingPushEvents(Store& store, const std::string& machineNo, std::int64_t codeId);

// Retention of raw events (codes are never pruned; pending events are kept until applied).
struct PushRetention {
    std::optional<std::int64_t> maxAgeMs;  // drop events received before now - maxAgeMs
    std::optional<std::int64_t> maxCount;  // keep at most this many (the newest)
};
Result<std::int64_t> prunePushEvents(Store& store, const PushRetention& retention, std::int64_t nowMs);

// ---- Code changes from pushes (no transaction of their own) ----

// Inserts or updates the code; a code already used or deleted keeps that status.
Status applyPushCreate(Store& store, const PickupCode& code);
// Marks the code deleted / used. Returns false when the code is not stored yet (keep it pending).
Result<bool> applyPushDelete(Store& store, const std::string& machineNo, std::int64_t codeId);
Result<bool> applyPushUsed(Store& store, const std::string& machineNo, std::int64_t codeId);

// The zone a machine's times are read in: its own, else its profile's default; nullopt when the
// machine is not in the store.
Result<std::optional<std::string>> machineZone(Store& store, const std::string& machineNo);

struct TzWarning {
    std::string machineNo;
    std::string configuredZone;
    int inferredOffset = 0;    // seconds east of UTC, from expired_at vs expired_day
    int configuredOffset = 0;  // of configuredZone at that instant
    std::int64_t seenUtc = 0;
    std::optional<std::int64_t> eventId;
};
Status upsertTzWarning(Store& store, const TzWarning& warning);
Status clearTzWarning(Store& store, const std::string& machineNo);
Result<std::vector<TzWarning>> listTzWarnings(Store& store);

}  // namespace core::store
