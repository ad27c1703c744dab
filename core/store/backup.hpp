#pragma once
// Backups of the local database. Copies use SQLite's online backup API in one read transaction,
// so they are consistent snapshots taken while the app or `pickupctl watch` keeps writing (WAL).
// Every copy is written to `<dest>.partial`, checked (PRAGMA quick_check) and renamed into place:
// a destination is either untouched or a complete, checked copy.
//
// Restore and "set a damaged file aside" replace the live file, so they take the caller's
// InstanceLock as proof that no other Pickup Desk process is writing it.
#include "core/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace core::config {
class InstanceLock;
}

namespace core::store {

class Store;

struct DatabaseFileInfo {
    std::string path;
    int schemaVersion = 0;
    std::int64_t codes = 0;  // rows in `codes`, to show the user what a file holds
    std::int64_t bytes = 0;
};

// Online backup of the database at dbPath to destPath. An existing destPath is refused unless
// `overwrite`. Missing folders of destPath are created (user-only).
Result<DatabaseFileInfo> backupDatabase(const std::string& dbPath, const std::string& destPath, bool overwrite = false);

// A file this Pickup Desk can restore: an SQLite file with Pickup Desk's tables, PRAGMA
// quick_check ok, schema version 1..latest. Errors: NotFound, InvalidInput (not a Pickup Desk
// database), Corrupt (damaged), Storage (made by a newer Pickup Desk).
Result<DatabaseFileInfo> validateDatabaseFile(const std::string& path);

struct RestoreOutcome {
    DatabaseFileInfo restored;        // the source, as validated (before any migration)
    std::string setAside;             // where the previous database went ("" = there was none)
    bool previousWasDamaged = false;  // it went to `.corrupt-<time>` instead of `.before-restore-<time>`
};

// Replaces the database the lock guards with a validated copy of `source`. The previous file
// (with its -wal and -shm) is kept as `<name>.before-restore-<UTC time>`, or `<name>.corrupt-<UTC
// time>` when it is damaged. An older schema is migrated by the next Store::open.
Result<RestoreOutcome> restoreDatabase(const config::InstanceLock& lock, const std::string& source);

// The same, into the database `store` has open (the desktop app, which keeps its connections):
// SQLite's backup API writes the restored pages into the live file in one transaction, so every
// connection sees the restored content at its next read. The current content is first copied to
// `<name>.before-restore-<UTC time>`; an older schema is migrated at once (backed up first). Needs a
// healthy current file: a damaged one is replaced with restoreDatabase() while nothing has it open.
Result<RestoreOutcome> restoreIntoOpenStore(Store& store, const config::InstanceLock& lock, const std::string& source);

// Moves the damaged database the lock guards (and its -wal/-shm) to `<name>.corrupt-<UTC time>`,
// so the next open starts an empty one. Refuses a healthy file (InvalidInput). Returns the new name.
Result<std::string> setAsideDamagedDatabase(const config::InstanceLock& lock);

// PRAGMA quick_check of a database file (opened read-only): Corrupt when it fails.
Status checkDatabaseFile(const std::string& path);

// Automatic backups live in `<db folder>/backups`: `<db stem>-v<N>-<UTC time>.db` before a
// migration from schema N. The newest `keep` are kept.
std::string backupDirFor(const std::string& dbPath);
// PICKUPDESK_BACKUPS_KEEP (0 = no automatic backups), else 5.
int defaultBackupsToKeep();
// The most recent file in backupDirFor(dbPath) (automatic or saved there by hand), if any.
std::optional<std::string> newestBackup(const std::string& dbPath);
// A fresh name in backupDirFor(dbPath) for a backup made by hand: `<db stem>-<UTC time>.db`.
std::string suggestedBackupPath(const std::string& dbPath);

// What to tell the user about a damaged database: restore, or set it aside, naming the newest backup.
std::string corruptionAdvice(const std::string& dbPath);

// "20250102T030405Z": for file names, sorts by time.
std::string utcFileStamp();

}  // namespace core::store
