#pragma once
// Internal helpers shared by the store's .cpp files; not part of the public API.
#include "core/domain/types.hpp"
#include "core/store/backup.hpp"
#include "core/util/result.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace core::store::detail {

// Never-expiring codes (expires_utc NULL) sort as if they expired at the end of time. This exact
// text is part of index idx_codes_page (migration 2): queries must spell it the same way, or
// SQLite will not use the index.
inline constexpr std::string_view kExpiryKey = "coalesce(expires_utc, 9223372036854775807)";

// The connection's page cache, in KiB (PRAGMA cache_size=-N): 64 MiB, allocated only as used.
// It keeps the code indexes in memory for incremental syncs.
inline constexpr int kCacheKiB = 64 * 1024;
// A reader's page cache: SQLite's default size. Its scans (counts, first pages) run once per view
// and read through the OS page cache; filling 64 MiB instead cost a cold count of 1,000,000 codes
// 0.19 s instead of 0.06 s, most of it allocating and faulting in the cache (BENCHMARKS "launch").
inline constexpr int kReaderCacheKiB = 2 * 1024;
inline constexpr int kBusyTimeoutMs = 5000;  // how long a connection waits for another's lock

inline Instant currentTime() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

inline Instant orNow(Instant t) {
    return t != 0 ? t : currentTime();
}

// Expired is never stored: it is "unused" whose expiry has passed.
inline const char* storedStatusName(CodeStatus status) {
    return status == CodeStatus::Expired ? "unused" : codeStatusName(status);
}

inline CodeStatus derivedStatus(std::string_view stored, std::optional<Instant> expires, Instant now) {
    const CodeStatus status = parseCodeStatus(stored).value_or(CodeStatus::Unknown);
    if (status == CodeStatus::Unused && expires && *expires < now) return CodeStatus::Expired;
    return status;
}

inline std::optional<std::int64_t> optionalInt(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getInt64();
}

inline void bindOptional(SQLite::Statement& stmt, int index, const std::optional<std::int64_t>& value) {
    if (value) {
        stmt.bind(index, *value);
    } else {
        stmt.bind(index);
    }
}

// What the user can do about a failed SQLite call, by primary result code.
inline const char* storageHint(int sqliteCode) {
    switch (sqliteCode & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "Another program holds the database; close other Pickup Desk windows and try again.";
        case SQLITE_FULL:
            return "The disk is full; free some space and try again.";
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_CANTOPEN:
            return "Check that the folder exists and that you may write to it, or choose another data directory.";
        case SQLITE_NOTADB:
        case SQLITE_CORRUPT:
            return "The file is not a usable Pickup Desk database; move it aside (keep a copy) and start again.";
        case SQLITE_CONSTRAINT:
            return "The data was rejected by a database rule and nothing was saved; check the input.";
        default:
            return "Check the disk and the file, then try again.";
    }
}

inline Error storageError(const std::string& path, std::string_view action, const std::exception& e) {
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
    const int code = sqlite != nullptr ? (sqlite->getErrorCode() & 0xff) : SQLITE_ERROR;
    // Damage is its own kind, whichever call runs into it: the user must restore, not retry. Worded
    // as the integrity check's finding is, whichever found it first.
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
        return makeError(ErrorCode::Corrupt, "The database '" + path + "' is damaged (" + e.what() + ", while trying to " +
                                                 std::string(action) + "). " + corruptionAdvice(path));
    }
    return makeError(ErrorCode::Storage, "Could not " + std::string(action) + " in database '" + path + "': " + e.what() +
                                             ". " + storageHint(code));
}

// Runs `body` (which returns a Result) and turns any exception into a Storage error, so that
// nothing thrown by SQLiteCpp leaves the public API.
template <typename F>
auto guarded(const std::string& path, std::string_view action, F&& body) -> decltype(body()) {
    try {
        return body();
    } catch (const std::exception& e) {
        return storageError(path, action, e);
    }
}

inline Error notFound(std::string message) {
    return makeError(ErrorCode::NotFound, std::move(message));
}
inline Error invalidInput(std::string message) {
    return makeError(ErrorCode::InvalidInput, std::move(message));
}

}  // namespace core::store::detail
