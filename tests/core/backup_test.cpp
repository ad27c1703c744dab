// core::store backups against real SQLite files: damage found at open (never recreated), online
// backup while another connection writes, restore and its refusals, setting a damaged file aside,
// and the rotating backups made before a schema migration.
#include "pd_test_paths.hpp"
#include "core/store/backup.hpp"
#include "core/config/instance_lock.hpp"
#include "tests/core/store_fixture.hpp"

#include <atomic>
#include <cstdlib>
#include <thread>

using namespace storetest;
using core::config::InstanceLock;
using core::store::StoreOpenOptions;

namespace {

// A real store file with a profile and `count` codes, closed (WAL checkpointed into the file).
void makeDatabase(const std::string& path, int count, std::int64_t firstId = 1) {
    auto store = openStore(path);
    if (!store->activeProfile().value()) addProfile(*store);
    std::vector<PickupCode> codes;
    for (int i = 0; i < count; ++i) {
        const std::int64_t id = firstId + i;
        codes.push_back(makeCode(id, std::to_string(10000000 + id * 7919 % 89999999), kNow + id));
    }
    REQUIRE(store->upsertCodes(codes).ok());
}

std::int64_t countCodes(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM codes").getInt64();
}

int userVersion(const std::string& path) {
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA user_version").getInt();
}

// Overwrites one whole page in the middle of the file with random bytes.
void scribbleMiddlePage(const std::string& path) {
    const auto size = fs::file_size(path);
    constexpr std::uintmax_t kPage = 4096;
    REQUIRE(size >= 8 * kPage);
    std::string junk(kPage, '\0');
    std::mt19937 random(7);
    for (char& c : junk) c = static_cast<char>(random() & 0xff);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / kPage / 2 * kPage));
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

void writeV1File(const std::string& path) {
    std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/schema_v1.sql");
    REQUIRE(in.good());
    std::stringstream sql;
    sql << in.rdbuf();
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(sql.str());
}

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

void setKeepVariable(const char* value) {
#ifdef _WIN32
    _putenv_s("PICKUPDESK_BACKUPS_KEEP", value == nullptr ? "" : value);
#else
    if (value == nullptr) {
        ::unsetenv("PICKUPDESK_BACKUPS_KEEP");
    } else {
        ::setenv("PICKUPDESK_BACKUPS_KEEP", value, 1);
    }
#endif
}

std::unique_ptr<InstanceLock> lockFor(const std::string& db) {
    auto lock = InstanceLock::acquire(db, "backup-test");
    REQUIRE(lock.ok());
    return std::move(lock.value());
}

}  // namespace

TEST_CASE("damage: garbage in the middle of a real database is found at open, reported as Corrupt, never recreated") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 20000);
    REQUIRE_FALSE(fs::exists(path + "-wal"));  // everything is in the main file
    auto backup = core::store::backupDatabase(path, dir.file("backups/pickupdesk-by-hand.db"));
    REQUIRE(backup.ok());
    scribbleMiddlePage(path);
    const std::string damaged = readFile(path);

    StoreOpenOptions check;
    check.quickCheck = true;
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto store = Store::open(path, check);
        REQUIRE_FALSE(store.ok());
        CHECK(store.error().code == ErrorCode::Corrupt);
        const std::string& message = store.error().message;
        CHECK(message.find("The database '" + path + "' is damaged") != std::string::npos);
        CHECK(message.find("It was not changed") != std::string::npos);
        CHECK(message.find("pickupctl restore FILE") != std::string::npos);
        CHECK(message.find("the newest backup is " + dir.file("backups/pickupdesk-by-hand.db")) != std::string::npos);
        CHECK(message.find("pickupctl recover") != std::string::npos);
        CHECK(readFile(path) == damaged);  // not repaired, not replaced, not switched to another journal mode
    }
    CHECK(core::store::checkDatabaseFile(path).error().code == ErrorCode::Corrupt);
    // A backup of a damaged file is refused rather than written damaged.
    auto copy = core::store::backupDatabase(path, dir.file("copy.db"));
    REQUIRE_FALSE(copy.ok());
    CHECK(copy.error().code == ErrorCode::Corrupt);
    CHECK_FALSE(fs::exists(dir.file("copy.db")));
    CHECK_FALSE(fs::exists(dir.file("copy.db.partial")));
}

TEST_CASE("damage: a truncated database is refused at open even without the full check, and left as it is") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 20000);
    const auto size = fs::file_size(path);
    fs::resize_file(path, size * 6 / 10);
    const std::string truncated = readFile(path);
    for (const bool quick : {false, true}) {
        StoreOpenOptions options;
        options.quickCheck = quick;
        auto store = Store::open(path, options);
        REQUIRE_FALSE(store.ok());
        CHECK(store.error().code == ErrorCode::Corrupt);
        CHECK(store.error().message.find("no backup was found in " + dir.file("backups")) != std::string::npos);
    }
    CHECK(readFile(path) == truncated);
    CHECK(fs::file_size(path) == size * 6 / 10);
}

TEST_CASE("damage: a healthy file passes the check at open, a new file is created as before") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 500);
    StoreOpenOptions check;
    check.quickCheck = true;
    auto store = Store::open(path, check);
    REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
    CHECK(countCodes(path) == 500);
    auto fresh = Store::open(dir.file("new/pickupdesk.db"), check);
    CHECK(fresh.ok());
    CHECK(core::store::checkDatabaseFile(path).ok());
}

TEST_CASE("backup: an online copy while another connection keeps inserting is a consistent, checked snapshot") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 5000);
    constexpr int kBatch = 50;
    std::atomic<bool> stop{false};
    std::atomic<std::int64_t> inserted{0};
    std::atomic<int> writeErrors{0};
    std::thread writer([&] {
        auto store = Store::open(path);  // one connection per thread
        if (!store) {
            ++writeErrors;
            return;
        }
        for (std::int64_t next = 100000; !stop; next += kBatch) {
            std::vector<PickupCode> batch;
            for (int i = 0; i < kBatch; ++i)
                batch.push_back(makeCode(next + i, std::to_string(50000000 + next + i), kNow));
            if ((*store)->upsertCodes(batch)) {
                inserted += kBatch;
            } else {
                ++writeErrors;
            }
        }
    });
    std::vector<std::int64_t> seen;
    for (int i = 0; i < 3; ++i) {
        while (inserted < (i + 1) * 500) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const std::string dest = dir.file("copies/backup-" + std::to_string(i) + ".db");
        auto info = core::store::backupDatabase(path, dest);
        REQUIRE_MESSAGE(info.ok(), (info.ok() ? "" : info.error().message));
        CHECK(info->schemaVersion == Store::latestSchemaVersion());
        CHECK(info->codes == countCodes(dest));
        seen.push_back(info->codes);
        SQLite::Database copy(dest, SQLite::OPEN_READONLY);
        CHECK(copy.execAndGet("PRAGMA journal_mode").getString() == "delete");  // one self-contained file
        CHECK(copy.execAndGet("PRAGMA integrity_check").getString() == "ok");
        CHECK_FALSE(fs::exists(dest + "-wal"));
#ifndef _WIN32
        CHECK((fs::status(dest).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write));
#endif
    }
    const std::int64_t atLastBackup = inserted;
    while (inserted < atLastBackup + 500) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    writer.join();
    CHECK(writeErrors == 0);  // the writer was never blocked out by a backup
    for (size_t i = 0; i < seen.size(); ++i) {
        CHECK((seen[i] - 5000) % kBatch == 0);  // whole transactions only
        if (i > 0) CHECK(seen[i] > seen[i - 1]);
    }
    CHECK(countCodes(path) > seen.back());  // the writer went on after the last copy

    auto again = core::store::backupDatabase(path, dir.file("copies/backup-0.db"));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == ErrorCode::InvalidInput);
    CHECK(again.error().message.find("already exists") != std::string::npos);
    CHECK(core::store::backupDatabase(path, dir.file("copies/backup-0.db"), true).ok());
    CHECK(core::store::backupDatabase(path, path, true).error().code == ErrorCode::InvalidInput);
    CHECK(core::store::backupDatabase(dir.file("none.db"), dir.file("x.db")).error().code == ErrorCode::NotFound);
}

TEST_CASE("restore: round trip, the replaced database is kept aside with its WAL") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 300);
    const std::string saved = dir.file("saved.db");
    REQUIRE(core::store::backupDatabase(path, saved).ok());
    {
        auto store = openStore(path);
        REQUIRE(store->upsertCodes({makeCode(999999, "99999999", kNow)}).ok());
        REQUIRE(store->setActiveProfile("main").ok());
        auto lock = lockFor(path);
        // Restore while a connection is open: readers keep the old file, new opens see the new one.
        auto restored = core::store::restoreDatabase(*lock, saved);
        REQUIRE_MESSAGE(restored.ok(), (restored.ok() ? "" : restored.error().message));
        CHECK(restored->restored.codes == 300);
        CHECK(restored->restored.schemaVersion == Store::latestSchemaVersion());
        CHECK_FALSE(restored->previousWasDamaged);
        CHECK(restored->setAside.rfind(path + ".before-restore-", 0) == 0);
        CHECK(fs::exists(restored->setAside + "-wal"));  // the open connection's WAL went with it
        CHECK(countCodes(restored->setAside) == 301);    // read through its WAL: nothing lost
    }
    CHECK(countCodes(path) == 300);
    auto reopened = openStore(path);
    CHECK(reopened->profileByName("main").ok());
    CHECK_FALSE(reopened->codeById("16327138", 999999).value().has_value());
    CHECK_FALSE(fs::exists(path + ".partial"));
}

TEST_CASE("restore: refuses a file that is not a database, not ours, damaged or newer, and changes nothing") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 100);
    const std::string before = readFile(path);
    const std::string text = dir.file("notes.txt");
    std::ofstream(text) << "these are notes, not a database; long enough to look like a header.............";
    const std::string foreign = dir.file("foreign.db");
    SQLite::Database(foreign, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
        .exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)");
    const std::string newer = dir.file("newer.db");
    REQUIRE(core::store::backupDatabase(path, newer).ok());
    SQLite::Database(newer, SQLite::OPEN_READWRITE).exec("PRAGMA user_version = 99");
    const std::string damaged = dir.file("damaged.db");
    makeDatabase(damaged, 20000);
    scribbleMiddlePage(damaged);

    auto lock = lockFor(path);
    struct Case {
        std::string file;
        ErrorCode code;
        std::string says;
    };
    for (const Case& c : {Case{text, ErrorCode::InvalidInput, "not a Pickup Desk database"},
                          Case{foreign, ErrorCode::InvalidInput, "not a Pickup Desk database"},
                          Case{newer, ErrorCode::Storage, "newer Pickup Desk (schema version 99"},
                          Case{damaged, ErrorCode::Corrupt, "is damaged"},
                          Case{dir.file("missing.db"), ErrorCode::NotFound, "There is no file"},
                          Case{path, ErrorCode::InvalidInput, "is the database itself"}}) {
        CAPTURE(c.file);
        auto restored = core::store::restoreDatabase(*lock, c.file);
        REQUIRE_FALSE(restored.ok());
        CHECK(restored.error().code == c.code);
        CHECK(restored.error().message.find(c.says) != std::string::npos);
    }
    CHECK(readFile(path) == before);
    // (A read-only look at a WAL-mode file leaves SQLite's empty -wal/-shm beside it; nothing else appears.)
    std::vector<std::string> names;
    for (const auto& name : filesIn(dir.path())) {
        if (name.size() < 4 || (name.substr(name.size() - 4) != "-wal" && name.substr(name.size() - 4) != "-shm")) {
            names.push_back(name);
        }
    }
    CHECK(names == std::vector<std::string>{"damaged.db", "foreign.db", "newer.db", "notes.txt", "pickupdesk.db",
                                            "pickupdesk.lock"});
}

TEST_CASE(
    "restore over a damaged database keeps it as .corrupt-<time>, recover sets one aside, refuses a healthy one") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 20000);
    const std::string saved = dir.file("saved.db");
    REQUIRE(core::store::backupDatabase(path, saved).ok());
    auto lock = lockFor(path);

    auto healthy = core::store::setAsideDamagedDatabase(*lock);
    REQUIRE_FALSE(healthy.ok());
    CHECK(healthy.error().code == ErrorCode::InvalidInput);
    CHECK(fs::exists(path));

    scribbleMiddlePage(path);
    const std::string damaged = readFile(path);
    auto restored = core::store::restoreDatabase(*lock, saved);
    REQUIRE_MESSAGE(restored.ok(), (restored.ok() ? "" : restored.error().message));
    CHECK(restored->previousWasDamaged);
    CHECK(restored->setAside.rfind(path + ".corrupt-", 0) == 0);
    CHECK(readFile(restored->setAside) == damaged);
    CHECK(countCodes(path) == 20000);

    scribbleMiddlePage(path);
    auto aside = core::store::setAsideDamagedDatabase(*lock);
    REQUIRE(aside.ok());
    CHECK(aside->rfind(path + ".corrupt-", 0) == 0);
    CHECK(*aside != restored->setAside);
    CHECK_FALSE(fs::exists(path));
    auto fresh = openStore(path);  // only now, asked for, is a new database made
    CHECK(countCodes(path) == 0);
}

TEST_CASE("migration: an older file is backed up before it is upgraded, and the newest K backups are kept") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    const std::string backups = dir.file("backups");
    std::vector<std::string> made;
    for (int round = 0; round < 4; ++round) {
        core::store::StoreOpenOptions options;
        options.migrationBackups = 2;
        writeV1File(path);
        auto store = Store::open(path, options);
        REQUIRE_MESSAGE(store.ok(), (store.ok() ? "" : store.error().message));
        CHECK((*store)->schemaVersion() == Store::latestSchemaVersion());
        for (const auto& name : filesIn(backups)) {
            if (std::find(made.begin(), made.end(), name) == made.end()) made.push_back(name);
        }
        store.value().reset();
        fs::remove(path);
    }
    REQUIRE(made.size() == 4);  // one per migration
    for (const auto& name : made) CHECK(name.rfind("pickupdesk-v1-", 0) == 0);
    const auto kept = filesIn(backups);
    std::vector<std::string> newestTwo{made[2], made[3]};
    std::sort(newestTwo.begin(), newestTwo.end());
    CHECK(kept == newestTwo);
    const std::string newest = backups + "/" + made[3];
    CHECK(userVersion(newest) == 1);  // the file as it was before the upgrade
    CHECK(countCodes(newest) == 4);
    CHECK(core::store::newestBackup(path) == newest);
}

TEST_CASE("migration: no backup for a new or current file or with K = 0, a failed backup stops the upgrade") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 10);
    makeDatabase(path, 10, 100);  // reopened at the latest version
    CHECK_FALSE(fs::exists(dir.file("backups")));

    core::store::StoreOpenOptions none;
    none.migrationBackups = 0;
    writeV1File(dir.file("old.db"));
    CHECK(Store::open(dir.file("old.db"), none).ok());
    CHECK_FALSE(fs::exists(dir.file("backups")));

    // The backups folder cannot be made (a file is in the way): the file is not upgraded.
    writeV1File(dir.file("stuck.db"));
    std::ofstream(dir.file("backups")) << "in the way";
    auto stuck = Store::open(dir.file("stuck.db"));
    REQUIRE_FALSE(stuck.ok());
    CHECK(stuck.error().message.find("Could not back up the database before upgrading it from schema version 1") !=
          std::string::npos);
    CHECK(stuck.error().message.find("Nothing was changed") != std::string::npos);
    CHECK(userVersion(dir.file("stuck.db")) == 1);
}

TEST_CASE("backups: PICKUPDESK_BACKUPS_KEEP sets K, names sort by time, suggested names are fresh") {
    setKeepVariable("3");
    CHECK(core::store::defaultBackupsToKeep() == 3);
    setKeepVariable("0");
    CHECK(core::store::defaultBackupsToKeep() == 0);
    setKeepVariable("lots");
    CHECK(core::store::defaultBackupsToKeep() == 5);
    setKeepVariable(nullptr);
    CHECK(core::store::defaultBackupsToKeep() == 5);
    const std::string stamp = core::store::utcFileStamp();
    CHECK(stamp.size() == 16);
    CHECK(stamp[8] == 'T');
    CHECK(stamp.back() == 'Z');
    TempDir dir;
    const std::string suggested = core::store::suggestedBackupPath(dir.file("pickupdesk.db"));
    CHECK(suggested.rfind(dir.file("backups/pickupdesk-"), 0) == 0);
    CHECK_FALSE(fs::exists(suggested));
    CHECK_FALSE(core::store::newestBackup(dir.file("pickupdesk.db")).has_value());
}

TEST_CASE("restore into an open store: every connection sees the restored content, an older backup is migrated") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    makeDatabase(path, 300);
    const std::string saved = dir.file("saved.db");
    REQUIRE(core::store::backupDatabase(path, saved).ok());
    auto lock = lockFor(path);
    auto service = openStore(path);  // as the app: a writer connection and a reader connection
    auto reader = openStore(path);
    REQUIRE(service->upsertCodes({makeCode(999999, "99999999", kNow)}).ok());
    CHECK(reader->countCodes(CodeFilter{}).value() == 301);

    auto restored = core::store::restoreIntoOpenStore(*service, *lock, saved);
    REQUIRE_MESSAGE(restored.ok(), (restored.ok() ? "" : restored.error().message));
    CHECK(restored->restored.codes == 300);
    CHECK(restored->setAside.rfind(path + ".before-restore-", 0) == 0);
    CHECK(countCodes(restored->setAside) == 301);  // what was replaced is kept
    CHECK(reader->countCodes(CodeFilter{}).value() == 300);
    CHECK(service->countCodes(CodeFilter{}).value() == 300);
    CHECK(reader->db().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(reader->db().execAndGet("PRAGMA integrity_check").getString() == "ok");

    // A file the store cannot take changes nothing.
    std::ofstream(dir.file("notes.txt")) << "not a database, but long enough to be read as a header..............";
    auto refused = core::store::restoreIntoOpenStore(*service, *lock, dir.file("notes.txt"));
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::InvalidInput);
    CHECK(reader->countCodes(CodeFilter{}).value() == 300);

    // A version 1 backup: restored, then upgraded in place (its own pre-migration backup first).
    writeV1File(dir.file("v1.db"));
    auto old = core::store::restoreIntoOpenStore(*service, *lock, dir.file("v1.db"));
    REQUIRE_MESSAGE(old.ok(), (old.ok() ? "" : old.error().message));
    CHECK(old->restored.schemaVersion == 1);
    CHECK(service->schemaVersion() == Store::latestSchemaVersion());
    CHECK(reader->schemaVersion() == Store::latestSchemaVersion());
    CHECK(reader->countCodes(CodeFilter{}).value() == 4);
    CHECK(reader->profileByName("main").ok());
    CHECK(service->upsertCodes({makeCode(5, "55555555", kNow)}).ok());  // the new columns work
    CHECK(filesIn(dir.file("backups")).size() == 1);
}

TEST_CASE("migration: connections opening an old file at once (the app's workers) make one backup and one upgrade") {
    TempDir dir;
    const std::string path = dir.file("pickupdesk.db");
    writeV1File(path);
    SQLite::Database(path, SQLite::OPEN_READWRITE).exec("PRAGMA journal_mode=WAL");  // as Pickup Desk made it
    std::atomic<int> opened{0};
    std::vector<std::thread> workers;
    std::vector<std::string> errors(3);
    for (int i = 0; i < 3; ++i) {
        workers.emplace_back([&, i] {
            auto store = Store::open(path);
            if (store) {
                ++opened;
            } else {
                errors[static_cast<size_t>(i)] = store.error().message;
            }
        });
    }
    for (auto& w : workers) w.join();
    CHECK_MESSAGE(opened == 3, (errors[0] + errors[1] + errors[2]));
    const auto made = filesIn(dir.file("backups"));
    REQUIRE(made.size() == 1);
    CHECK(made[0].rfind("pickupdesk-v1-", 0) == 0);
    CHECK(userVersion(dir.file("backups/" + made[0])) == 1);
    CHECK(userVersion(path) == Store::latestSchemaVersion());
}
