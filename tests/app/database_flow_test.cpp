// File > Back up database / Restore database through the AppModel, over real SQLite files: the
// work runs on the backend's workers and comes back as events; a damaged file is reported at
// start and can be replaced from a backup.
#include "app/desktop/app_model.hpp"
#include "core/config/instance_lock.hpp"
#include "core/store/backup.hpp"
#include "core/store/store.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace app::desktop;
using apptest::pumpUntil;
namespace fs = std::filesystem;

namespace {

void addCodes(const std::string& db, int count, std::int64_t firstId) {
    auto store = core::store::Store::open(db);
    REQUIRE(store.ok());
    std::vector<core::PickupCode> codes;
    for (int i = 0; i < count; ++i) {
        core::PickupCode c;
        c.machineNo = "16327138";
        c.id = firstId + i;
        c.productId = 20001;
        c.code = std::to_string(40000000 + firstId + i);
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

std::int64_t countCodes(const std::string& db) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return d.execAndGet("SELECT count(*) FROM codes").getInt64();
}

BackendConfig configFor(const testsupport::TempDir& dir, const core::config::InstanceLock* lock) {
    BackendConfig c;
    c.dbPath = dir.file("pickupdesk.db");
    c.workDir = dir.path();
    c.useKeychain = false;
    c.instanceLock = lock;
    return c;
}

}  // namespace

TEST_CASE("app: File > Back up and Restore run on the workers, after a restore every connection reads the backup") {
    testsupport::TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    addCodes(db, 10, 1);
    auto lock = core::config::InstanceLock::acquire(db, "pickupdesk");
    REQUIRE(lock.ok());
    AppModel model(configFor(dir, lock->get()), {});
    model.start(false, "");
    REQUIRE(pumpUntil(model, [&] { return model.status().profileKnown; }));

    const std::string saved = dir.file("backups/by-hand.db");
    model.backupDatabase(saved);
    CHECK(model.status().databaseJobRunning);
    REQUIRE(pumpUntil(model, [&] { return model.status().lastBackup.has_value(); }));
    CHECK_FALSE(model.status().databaseJobRunning);
    REQUIRE(model.status().lastBackup->info);
    CHECK(model.status().lastBackup->info->codes == 10);
    CHECK(countCodes(saved) == 10);

    addCodes(db, 5, 100);  // another connection writes after the backup
    CHECK(countCodes(db) == 15);
    model.restoreDatabase(saved);
    REQUIRE(pumpUntil(model, [&] { return model.status().lastRestore.has_value(); }));
    const auto& restored = *model.status().lastRestore;
    REQUIRE_MESSAGE(restored.outcome, (restored.error ? restored.error->message : std::string()));
    CHECK_FALSE(restored.restartNeeded);
    CHECK(restored.outcome->setAside.rfind(db + ".before-restore-", 0) == 0);
    CHECK(countCodes(restored.outcome->setAside) == 15);
    CHECK(countCodes(db) == 10);

    std::ofstream(dir.file("notes.txt")) << "not a database, though long enough to be read as a header...........";
    model.restoreDatabase(dir.file("notes.txt"));
    REQUIRE(pumpUntil(model, [&] { return model.status().lastRestore.has_value(); }));
    REQUIRE(model.status().lastRestore->error);
    CHECK(model.status().lastRestore->error->message.find("not a Pickup Desk database") != std::string::npos);
    CHECK(countCodes(db) == 10);
}

TEST_CASE("app: Restore without the window's instance lock is refused and says what to do") {
    testsupport::TempDir dir;
    addCodes(dir.file("pickupdesk.db"), 3, 1);
    REQUIRE(core::store::backupDatabase(dir.file("pickupdesk.db"), dir.file("saved.db")).ok());
    AppModel model(configFor(dir, nullptr), {});
    model.restoreDatabase(dir.file("saved.db"));
    REQUIRE(pumpUntil(model, [&] { return model.status().lastRestore.has_value(); }));
    REQUIRE(model.status().lastRestore->error);
    CHECK(model.status().lastRestore->error->message.find("pickupctl restore FILE") != std::string::npos);
}

TEST_CASE("app: a damaged database is reported at start, naming the newest backup, Restore replaces it, then restart") {
    testsupport::TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    addCodes(db, 20000, 1);
    const std::string saved = dir.file("backups/pickupdesk-saved.db");
    REQUIRE(core::store::backupDatabase(db, saved).ok());
    {  // one page of garbage in the middle of the file
        std::string junk(4096, '\0');
        std::mt19937 random(3);
        for (char& ch : junk) ch = static_cast<char>(random() & 0xff);
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(fs::file_size(db) / 4096 / 2 * 4096));
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto lock = core::config::InstanceLock::acquire(db, "pickupdesk");
    REQUIRE(lock.ok());
    AppModel model(configFor(dir, lock->get()), {});
    model.start(false, "");
    REQUIRE(pumpUntil(model, [&] { return !model.errors().empty(); }));
    const JobFailed failed = model.errors().front();
    CHECK(failed.what == "action.open_store");
    CHECK(failed.error.code == core::ErrorCode::Corrupt);
    CHECK(failed.error.message.find("the newest backup is " + saved) != std::string::npos);

    model.restoreDatabase(saved);
    REQUIRE(pumpUntil(model, [&] { return model.status().lastRestore.has_value(); }));
    const auto& restored = *model.status().lastRestore;
    REQUIRE_MESSAGE(restored.outcome, (restored.error ? restored.error->message : std::string()));
    CHECK(restored.restartNeeded);
    CHECK(restored.outcome->previousWasDamaged);
    CHECK(restored.outcome->setAside.rfind(db + ".corrupt-", 0) == 0);
    CHECK(countCodes(db) == 20000);
}
