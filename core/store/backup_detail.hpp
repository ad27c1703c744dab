#pragma once
// Internal to core::store: the integrity check and pre-migration backup Store::open runs, and the
// file moves behind backup, restore and recover (backup.cpp, backup_files.cpp).
#include "core/util/result.hpp"

#include <string>

namespace SQLite {
class Database;
}

namespace core::store::detail {

// PRAGMA quick_check on an open connection: Corrupt (with corruptionAdvice) when it reports a problem.
Status quickCheck(SQLite::Database& db, const std::string& path);

// Writes `<backups>/<stem>-v<fromVersion>-<time>.db` from a separate read connection (the caller
// may hold the write lock: WAL lets the reader through) and keeps the newest `keep`.
Result<std::string> backupBeforeMigration(const std::string& dbPath, int fromVersion, int keep);

// The Corrupt error for `path`, with `detail` (what SQLite said) and the advice.
Error corruptError(const std::string& path, const std::string& detail);

// Copies `from` into a new file `partial` in one read transaction (a consistent snapshot), as a
// single self-contained file (journal mode DELETE), then quick-checks it. Leaves nothing on failure.
Status writeCheckedCopy(SQLite::Database& from, const std::string& fromPath, const std::string& partial);
// Makes `partial` user-only and renames it to `dest` (replacing it).
Status publishFile(const std::string& partial, const std::string& dest);
// Removes path and its -wal, -shm and -journal files.
void removeDatabaseFiles(const std::string& path);
// Renames dbPath (and -wal, -shm) to `<dbPath>.<label>-<UTC time>`; returns the new name.
Result<std::string> moveDatabaseAside(const std::string& dbPath, const std::string& label);
// base + ext, or base-2 + ext, base-3 + ext ... whichever does not exist yet.
std::string uniquePath(const std::string& base, const std::string& ext);
// Undoes moveDatabaseAside (best effort, after a failed restore).
void moveDatabaseBack(const std::string& aside, const std::string& dbPath);

}  // namespace core::store::detail
