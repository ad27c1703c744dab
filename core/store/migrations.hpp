#pragma once
// Schema migrations of the local store, keyed by PRAGMA user_version. Internal to core::store.
#include "core/util/result.hpp"

#include <functional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace core::store::detail {

struct Migration {
    int version;        // user_version after this step
    const char* title;  // for error messages
    const char* sql;    // one or more statements, run in one transaction with the version bump
};

// Ordered, append-only: never edit a released step, add a new one instead.
const std::vector<Migration>& migrations();
int latestVersion();

// Throws SQLite::Exception (callers wrap it); SQLITE_NOTADB for a file that is not a database.
int readUserVersion(SQLite::Database& db);

// Applies every step above the file's version, each in its own IMMEDIATE transaction.
// beforeFirstStep(fromVersion), when given, runs once inside the first step's transaction, before
// it changes anything (the pre-migration backup); an error there stops the migration.
Status migrate(SQLite::Database& db, const std::string& path,
               const std::function<Status(int fromVersion)>& beforeFirstStep = {});

}  // namespace core::store::detail
