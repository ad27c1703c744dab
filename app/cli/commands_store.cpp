// pickupctl backup | restore | recover: copies of the database, and the way out of a damaged one.
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/config/instance_lock.hpp"
#include "core/store/backup.hpp"
#include "core/store/store.hpp"

#include <iostream>

namespace cli {
namespace {

nlohmann::json fileJson(const core::store::DatabaseFileInfo& info) {
    return {{"path", info.path}, {"schema_version", info.schemaVersion}, {"codes", info.codes}, {"bytes", info.bytes}};
}

std::string describe(const core::store::DatabaseFileInfo& info) {
    return std::to_string(info.codes) + " code(s), schema version " + std::to_string(info.schemaVersion) + ", " +
           std::to_string((info.bytes + 1023) / 1024) + " KiB";
}

// Restore and recover replace the live file: only with the instance lock (no app, no watch).
core::Result<std::unique_ptr<core::config::InstanceLock>> lockDatabase(const GlobalOptions& g, const std::string& db) {
    return core::config::InstanceLock::acquire(db, "pickupctl " + g.command);
}

}  // namespace

int runBackup(const GlobalOptions& g, const std::string& file, bool force) {
    // A reader: no lock, no Store::open (which could migrate). The copy is one consistent snapshot.
    const std::string db = databasePath(g);
    auto info = core::store::backupDatabase(db, file, force);
    if (!info) return fail(info.error(), g);
    if (g.json) {
        std::cout << nlohmann::json{{"database", db}, {"backup", fileJson(*info)}}.dump(2) << '\n';
    } else {
        std::cout << "Backed up " << db << " to " << info->path << " (" << describe(*info) << ", checked).\n";
    }
    return kExitOk;
}

int runRestore(const GlobalOptions& g, const std::string& file) {
    const std::string db = databasePath(g);
    auto lock = lockDatabase(g, db);
    if (!lock) return fail(lock.error(), g);
    auto restored = core::store::restoreDatabase(**lock, file);
    if (!restored) return fail(restored.error(), g);
    // Opening migrates an older backup to this version's schema (itself backed up first).
    auto store = core::store::Store::open(db);
    if (!store) return fail(store.error(), g);
    const int version = (*store)->schemaVersion();
    if (g.json) {
        nlohmann::json out{
            {"database", db},
            {"restored", fileJson(restored->restored)},
            {"schema_version", version},
            {"previous", restored->setAside.empty() ? nlohmann::json(nullptr) : nlohmann::json(restored->setAside)},
            {"previous_damaged", restored->previousWasDamaged}};
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    std::cout << "Restored " << file << " (" << describe(restored->restored) << ") into " << db;
    if (version != restored->restored.schemaVersion) std::cout << ", upgraded to schema version " << version;
    std::cout << ".\n";
    if (!restored->setAside.empty()) {
        std::cout << (restored->previousWasDamaged ? "The damaged database was kept as "
                                                   : "The previous database was kept as ")
                  << restored->setAside << ".\n";
    }
    return kExitOk;
}

int runRecover(const GlobalOptions& g) {
    const std::string db = databasePath(g);
    auto lock = lockDatabase(g, db);
    if (!lock) return fail(lock.error(), g);
    auto aside = core::store::setAsideDamagedDatabase(**lock);
    if (!aside) return fail(aside.error(), g);
    const auto newest = core::store::newestBackup(db);
    if (g.json) {
        std::cout << nlohmann::json{{"database", db},
                                    {"set_aside", *aside},
                                    {"newest_backup", newest ? nlohmann::json(*newest) : nlohmann::json(nullptr)}}
                         .dump(2)
                  << '\n';
        return kExitOk;
    }
    std::cout << "The damaged database was moved to " << *aside
              << ". The next command starts with an empty database: sync again with `pickupctl machines`";
    if (newest) std::cout << ", or restore the newest backup with `pickupctl restore " << *newest << "`";
    std::cout << ".\n";
    return kExitOk;
}

}  // namespace cli
