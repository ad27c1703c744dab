#include "core/store/backup.hpp"

#include "core/config/instance_lock.hpp"
#include "core/config/paths.hpp"
#include "core/store/backup_detail.hpp"
#include "core/store/migrations.hpp"
#include "core/store/store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <system_error>
#include <thread>

namespace core::store {
namespace fs = std::filesystem;
using detail::corruptError;

namespace {

constexpr int kBusyTimeoutMs = 5000;

int primaryCode(const std::exception& e) {
    const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&e);
    return sqlite != nullptr ? (sqlite->getErrorCode() & 0xff) : SQLITE_ERROR;
}

bool isDamage(int code) {
    return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

std::int64_t fileBytes(const std::string& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    return ec ? 0 : static_cast<std::int64_t>(size);
}

// A database of ours that this version can open, else the reason (see validateDatabaseFile).
Result<DatabaseFileInfo> inspect(const std::string& path, bool check) {
    SQLite::Database db(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    DatabaseFileInfo info;
    info.path = path;
    info.bytes = fileBytes(path);
    info.schemaVersion = detail::readUserVersion(db);
    const int ours = db.execAndGet(
                           "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                           "AND name IN ('profiles', 'machines', 'products', 'codes')")
                         .getInt();
    if (ours != 4 || info.schemaVersion < 1) {
        return makeError(ErrorCode::InvalidInput,
                         "'" + path +
                             "' is an SQLite file but not a Pickup Desk database; choose a backup made by "
                             "Pickup Desk (pickupctl backup, or the backups folder).");
    }
    if (info.schemaVersion > detail::latestVersion()) {
        return makeError(ErrorCode::Storage, "'" + path + "' was made by a newer Pickup Desk (schema version " +
                                                 std::to_string(info.schemaVersion) + ", this version knows up to " +
                                                 std::to_string(detail::latestVersion()) +
                                                 "). Update Pickup Desk first; nothing was changed.");
    }
    if (check) {
        if (auto checked = detail::quickCheck(db, path); !checked) return checked.error();
    }
    info.codes = db.execAndGet("SELECT count(*) FROM codes").getInt64();
    return info;
}

// inspect() with the file's errors told apart: not ours, damaged, unreadable.
Result<DatabaseFileInfo> describeFile(const std::string& path, bool check) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return makeError(ErrorCode::NotFound, "There is no file '" + path + "'.");
    try {
        return inspect(path, check);
    } catch (const std::exception& e) {
        const int code = primaryCode(e);
        if (code == SQLITE_NOTADB) {
            return makeError(
                ErrorCode::InvalidInput,
                "'" + path + "' is not a Pickup Desk database (not an SQLite file); choose a backup file.");
        }
        if (code == SQLITE_CORRUPT) return corruptError(path, e.what());
        return makeError(ErrorCode::Storage, "Could not read '" + path + "': " + e.what() + ".");
    }
}

}  // namespace

Result<DatabaseFileInfo> backupDatabase(const std::string& dbPath, const std::string& destPath, bool overwrite) {
    std::error_code ec;
    if (!fs::is_regular_file(dbPath, ec)) {
        return makeError(ErrorCode::NotFound, "There is no database at '" + dbPath + "' to back up.");
    }
    if (fs::exists(destPath, ec)) {
        if (fs::equivalent(destPath, dbPath, ec)) {
            return makeError(ErrorCode::InvalidInput,
                             "'" + destPath + "' is the database itself; choose another file.");
        }
        if (!overwrite) {
            return makeError(ErrorCode::InvalidInput,
                             "'" + destPath + "' already exists; choose another name (or replace it with --force).");
        }
    }
    const std::string parent = fs::path(destPath).parent_path().string();
    if (auto dir = config::ensurePrivateDir(parent); !dir) return dir.error();
    const std::string partial = destPath + ".partial";
    try {
        SQLite::Database from(dbPath, SQLite::OPEN_READONLY, kBusyTimeoutMs);
        if (auto copied = detail::writeCheckedCopy(from, dbPath, partial); !copied) return copied.error();
    } catch (const std::exception& e) {
        if (isDamage(primaryCode(e))) return corruptError(dbPath, e.what());
        return makeError(ErrorCode::Storage, "Could not read the database '" + dbPath + "': " + e.what() + ".");
    }
    if (auto published = detail::publishFile(partial, destPath); !published) return published.error();
    return describeFile(destPath, false);  // the copy was checked before it was published
}

Result<DatabaseFileInfo> validateDatabaseFile(const std::string& path) {
    return describeFile(path, true);
}

Status checkDatabaseFile(const std::string& path) {
    try {
        SQLite::Database db(path, SQLite::OPEN_READONLY, kBusyTimeoutMs);
        detail::readUserVersion(db);
        return detail::quickCheck(db, path);
    } catch (const std::exception& e) {
        if (isDamage(primaryCode(e))) return corruptError(path, e.what());
        return makeError(ErrorCode::Storage, "Could not check '" + path + "': " + e.what() + ".");
    }
}

Result<RestoreOutcome> restoreDatabase(const config::InstanceLock& lock, const std::string& source) {
    const std::string dbPath = lock.databasePath();
    std::error_code ec;
    const bool haveCurrent = fs::exists(dbPath, ec);
    if (haveCurrent && fs::equivalent(source, dbPath, ec)) {
        return makeError(ErrorCode::InvalidInput, "'" + source + "' is the database itself; choose a backup file.");
    }
    auto info = validateDatabaseFile(source);
    if (!info) return info.error();
    const std::string partial = dbPath + ".partial";
    try {
        SQLite::Database from(source, SQLite::OPEN_READONLY, kBusyTimeoutMs);
        if (auto copied = detail::writeCheckedCopy(from, source, partial); !copied) return copied.error();
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Storage, "Could not read '" + source + "': " + e.what() + ".");
    }
    RestoreOutcome out;
    out.restored = *info;
    if (haveCurrent) {
        const auto current = checkDatabaseFile(dbPath);
        out.previousWasDamaged = !current && current.error().code == ErrorCode::Corrupt;
        auto aside = detail::moveDatabaseAside(dbPath, out.previousWasDamaged ? "corrupt" : "before-restore");
        if (!aside) {
            detail::removeDatabaseFiles(partial);
            return aside.error();
        }
        out.setAside = *aside;
    }
    if (auto published = detail::publishFile(partial, dbPath); !published) {
        if (!out.setAside.empty()) detail::moveDatabaseBack(out.setAside, dbPath);
        return published.error();
    }
    return out;
}

Result<RestoreOutcome> restoreIntoOpenStore(Store& store, const config::InstanceLock& lock, const std::string& source) {
    const std::string dbPath = store.path();
    if (!lock.covers(dbPath)) {
        return makeError(ErrorCode::InvalidInput, "Restoring '" + dbPath + "' needs its instance lock.");
    }
    std::error_code ec;
    if (fs::equivalent(source, dbPath, ec)) {
        return makeError(ErrorCode::InvalidInput, "'" + source + "' is the database itself; choose a backup file.");
    }
    auto info = validateDatabaseFile(source);
    if (!info) return info.error();
    RestoreOutcome out;
    out.restored = *info;
    // The current content first, under the name a file restore would give it.
    out.setAside = detail::uniquePath(dbPath + ".before-restore-" + utcFileStamp(), "");
    if (auto kept = backupDatabase(dbPath, out.setAside); !kept) return kept.error();
    try {
        SQLite::Database from(source, SQLite::OPEN_READONLY, kBusyTimeoutMs);
        SQLite::Backup backup(store.db(), from);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
        while (backup.executeStep(-1) != SQLITE_DONE) {  // one write transaction: all or nothing
            if (std::chrono::steady_clock::now() > deadline) {
                throw SQLite::Exception("the database stayed busy for too long", SQLITE_BUSY);
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    } catch (const std::exception& e) {
        return makeError(ErrorCode::Storage, "Could not restore '" + source + "' into '" + dbPath + "': " + e.what() +
                                                 ". The database was not changed; its copy is " + out.setAside + ".");
    }
    // An older backup is brought to this version's schema, as Store::open would.
    const int keep = defaultBackupsToKeep();
    auto backupFirst = [&](int from) -> Status {
        if (keep == 0 || from < 1) return {};
        auto made = detail::backupBeforeMigration(dbPath, from, keep);
        return made ? Status{} : Status{made.error()};
    };
    if (auto migrated = detail::migrate(store.db(), dbPath, backupFirst); !migrated) return migrated.error();
    return out;
}

Result<std::string> setAsideDamagedDatabase(const config::InstanceLock& lock) {
    const std::string dbPath = lock.databasePath();
    std::error_code ec;
    if (!fs::exists(dbPath, ec)) {
        return makeError(ErrorCode::NotFound, "There is no database at '" + dbPath + "'; nothing was set aside.");
    }
    auto check = checkDatabaseFile(dbPath);
    if (check) {
        return makeError(ErrorCode::InvalidInput, "The database '" + dbPath +
                                                      "' passed its integrity check, so it was left in place. To "
                                                      "replace a healthy database, use `pickupctl restore FILE`.");
    }
    if (check.error().code != ErrorCode::Corrupt) return check.error();
    return detail::moveDatabaseAside(dbPath, "corrupt");
}

namespace detail {

Status writeCheckedCopy(SQLite::Database& from, const std::string& fromPath, const std::string& partial) {
    detail::removeDatabaseFiles(partial);  // leftovers of an interrupted copy
    try {
        {
            SQLite::Database to(partial, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, kBusyTimeoutMs);
            SQLite::Backup backup(to, from);
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
            // -1: every page in one step, so the snapshot cannot be restarted by a concurrent writer.
            while (backup.executeStep(-1) != SQLITE_DONE) {
                if (std::chrono::steady_clock::now() > deadline) {
                    throw SQLite::Exception("the database stayed locked for too long", SQLITE_BUSY);
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
            }
            to.exec("PRAGMA journal_mode=DELETE");
        }
        SQLite::Database check(partial, SQLite::OPEN_READONLY, kBusyTimeoutMs);
        if (auto checked = detail::quickCheck(check, fromPath); !checked) {
            detail::removeDatabaseFiles(partial);
            return checked;
        }
    } catch (const std::exception& e) {
        detail::removeDatabaseFiles(partial);
        if (isDamage(primaryCode(e))) return corruptError(fromPath, e.what());
        return makeError(ErrorCode::Storage, "Could not copy the database '" + fromPath + "' to '" + partial +
                                                 "': " + e.what() + ". Check free disk space and permissions.");
    }
    return {};
}

Status quickCheck(SQLite::Database& db, const std::string& path) {
    SQLite::Statement q(db, "PRAGMA quick_check(5)");  // at most 5 problems are listed
    std::string problems;
    while (q.executeStep()) {
        const std::string row = q.getColumn(0).getString();
        if (row == "ok") continue;
        problems += (problems.empty() ? "" : "; ") + row;
    }
    if (problems.empty()) return {};
    return corruptError(path, problems);
}

Error corruptError(const std::string& path, const std::string& detail) {
    return makeError(ErrorCode::Corrupt,
                     "The database '" + path + "' is damaged (" + detail + "). " + corruptionAdvice(path));
}

}  // namespace detail

std::string corruptionAdvice(const std::string& dbPath) {
    const auto newest = newestBackup(dbPath);
    return "It was not changed. Restore a backup with `pickupctl restore FILE` (or File > Restore in the app)" +
           (newest ? "; the newest backup is " + *newest
                   : std::string("; no backup was found in ") + backupDirFor(dbPath)) +
           ". Or set the damaged file aside with `pickupctl recover` and start with an empty database.";
}

}  // namespace core::store
