// pickupctl and the database's safety (issue 8): one writer per database (exit 9), a damaged file
// (exit 10, never recreated), backup / restore / recover, against the real binary and real files.
#include "tests/integration/cli_fixture.hpp"

#include "core/config/instance_lock.hpp"
#include "core/store/store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

using testsupport::CliFixture;
namespace fs = std::filesystem;

namespace {

constexpr const char* kShanghai = "16327138";
constexpr std::int64_t kCola = 20001;

std::string fileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::int64_t countIn(const std::string& db, const std::string& sql) {
    SQLite::Database d(db, SQLite::OPEN_READONLY, 5000);
    return d.execAndGet(sql).getInt64();
}

// Enough rows that a page in the middle of the file is real data.
void addCodes(const std::string& db, int count) {
    auto store = core::store::Store::open(db);
    REQUIRE(store.ok());
    std::vector<core::PickupCode> codes;
    for (int i = 0; i < count; ++i) {
        core::PickupCode c;
        c.machineNo = kShanghai;
        c.id = 900000 + i;
        c.productId = kCola;
        c.code = std::to_string(30000000 + i * 37);
        codes.push_back(c);
    }
    REQUIRE((*store)->upsertCodes(codes).ok());
}

void scribbleMiddlePage(const std::string& path) {
    const auto size = fs::file_size(path);
    std::string junk(4096, '\0');
    std::mt19937 random(11);
    for (char& c : junk) c = static_cast<char>(random() & 0xff);
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 4096 / 2 * 4096));
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

std::vector<std::string> namesStartingWith(const std::string& dir, const std::string& prefix) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) == 0) out.push_back(name);
    }
    return out;
}

}  // namespace

TEST_CASE("cli: while another process writes the database, writers exit 9 naming it, readers, export and backup work") {
    CliFixture f;
    const std::string db = f.env()["PICKUPDESK_DB"];
    REQUIRE(f.run({"machines"}).exitCode == 0);
    REQUIRE(f.run({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2"}).exitCode == 0);

    auto held = core::config::InstanceLock::acquire(db, "pickupdesk");  // as the desktop app does
    REQUIRE(held.ok());
    const std::string message = "Pickup Desk is already using " + f.dir().path() + " (pickupdesk, pid " +
                                std::to_string(::getpid()) + "). Close it first, or choose another data directory.";
    const auto tz = f.run({"machine", "tz", kShanghai, "Asia/Tokyo"});
    CHECK(tz.exitCode == 9);
    CHECK(tz.err == "error: " + message + "\n");
    const auto json = f.json({"generate", kShanghai, "--product", std::to_string(kCola)}, 9);
    CHECK(json["error"]["kind"] == "in_use");
    CHECK(json["error"]["message"] == message);
    for (const std::vector<std::string>& writer : {std::vector<std::string>{"machines"},
                                                   {"products", kShanghai},
                                                   {"codes", kShanghai, "--refresh"},
                                                   {"delete", kShanghai, "--all"},
                                                   {"reconcile", kShanghai},
                                                   {"profile", "use", "env"},
                                                   {"restore", f.dir().file("any.db")},
                                                   {"recover"}}) {
        CAPTURE(writer.front());
        CHECK(f.run(writer).exitCode == 9);
    }
    CHECK(f.simLiveCodes(kCola) >= 2);  // the refused delete --all never reached the vendor

    for (const std::vector<std::string>& reader : {std::vector<std::string>{"codes"},
                                                   {"machines", "--offline"},
                                                   {"products", kShanghai, "--offline"},
                                                   {"events"},
                                                   {"profile", "list"},
                                                   {"export", "--format", "csv", "--out", f.dir().file("codes.csv")},
                                                   {"backup", f.dir().file("while-held.db")}}) {
        CAPTURE(reader.front());
        const auto r = f.run(reader);
        INFO(r.err);
        CHECK(r.exitCode == 0);
    }
    CHECK(countIn(f.dir().file("while-held.db"), "SELECT count(*) FROM codes") ==
          countIn(db, "SELECT count(*) FROM codes"));

    held.value().reset();  // the app closed
    CHECK(f.run({"machine", "tz", kShanghai, "Asia/Tokyo"}).exitCode == 0);
}

TEST_CASE("cli: a damaged database gives exit 10 naming the newest backup, is never recreated, recover and restore") {
    CliFixture f;
    const std::string db = f.env()["PICKUPDESK_DB"];
    REQUIRE(f.run({"machines"}).exitCode == 0);
    addCodes(db, 20000);
    const std::string saved = f.dir().file("backups/pickupdesk-saved.db");
    const auto backup = f.run({"backup", saved});
    INFO(backup.err);
    REQUIRE(backup.exitCode == 0);
    CHECK(backup.out.find("20000 code(s)") != std::string::npos);

    scribbleMiddlePage(db);
    const std::string damaged = fileBytes(db);
    const auto tz = f.run({"machine", "tz", kShanghai, "Asia/Tokyo"});  // a writer: checks the file at open
    CHECK(tz.exitCode == 10);
    CHECK(tz.err.find("is damaged") != std::string::npos);
    CHECK(tz.err.find("the newest backup is " + saved) != std::string::npos);
    CHECK(f.json({"machines"}, 10)["error"]["kind"] == "corrupt");
    CHECK(f.run({"backup", f.dir().file("copy.db")}).exitCode == 10);  // no damaged copies
    CHECK_FALSE(fs::exists(f.dir().file("copy.db")));
    CHECK(fileBytes(db) == damaged);  // nothing repaired, replaced or recreated

    const auto recovered = f.run({"recover"});
    INFO(recovered.err);
    REQUIRE(recovered.exitCode == 0);
    CHECK(recovered.out.find("pickupctl restore " + saved) != std::string::npos);
    auto aside = namesStartingWith(f.dir().path(), "pickupdesk.db.corrupt-");  // with its -wal and -shm
    std::sort(aside.begin(), aside.end());
    REQUIRE(aside.size() == 3);
    CHECK(aside[1] == aside[0] + "-shm");
    CHECK(aside[2] == aside[0] + "-wal");
    CHECK(fileBytes(f.dir().file(aside[0])) == damaged);
    CHECK_FALSE(fs::exists(db));

    const auto restored = f.run({"restore", saved});
    INFO(restored.err);
    REQUIRE(restored.exitCode == 0);
    CHECK(restored.out.find("Restored " + saved) != std::string::npos);
    CHECK(countIn(db, "SELECT count(*) FROM codes") == 20000);
    CHECK(f.json({"codes", kShanghai, "--limit", "5"}).size() == 5);

    // A truncated file is found by any command, even a reader, without the full check.
    fs::resize_file(db, fs::file_size(db) / 2);
    const auto truncated = f.run({"codes"});
    CHECK(truncated.exitCode == 10);
    const auto again = f.json({"restore", saved});
    CHECK(again["previous_damaged"] == true);
    CHECK(again["previous"].get<std::string>().rfind(db + ".corrupt-", 0) == 0);
    CHECK(f.run({"codes", "--limit", "1"}).exitCode == 0);
    CHECK(f.run({"recover"}).exitCode == 2);  // a healthy file is never set aside
}

TEST_CASE("cli: restore refuses a file that is not a Pickup Desk database or is newer, and changes nothing") {
    CliFixture f;
    const std::string db = f.env()["PICKUPDESK_DB"];
    REQUIRE(f.run({"machines"}).exitCode == 0);
    const auto before = countIn(db, "SELECT count(*) FROM machines");
    std::ofstream(f.dir().file("notes.txt")) << "not a database at all, but long enough to have a header.........";
    const auto text = f.run({"restore", f.dir().file("notes.txt")});
    CHECK(text.exitCode == 2);
    CHECK(text.err.find("is not a Pickup Desk database") != std::string::npos);

    const std::string newer = f.dir().file("newer.db");
    REQUIRE(f.run({"backup", newer}).exitCode == 0);
    SQLite::Database(newer, SQLite::OPEN_READWRITE).exec("PRAGMA user_version = 42");
    const auto refused = f.run({"restore", newer});
    CHECK(refused.exitCode == 7);
    CHECK(refused.err.find("newer Pickup Desk (schema version 42") != std::string::npos);
    CHECK(f.run({"restore", f.dir().file("missing.db")}).exitCode == 8);
    CHECK(f.run({"backup", newer}).exitCode == 2);  // exists: --force replaces it
    CHECK(f.run({"backup", "--force", newer}).exitCode == 0);

    CHECK(namesStartingWith(f.dir().path(), "pickupdesk.db.").empty());  // nothing was set aside
    CHECK(countIn(db, "SELECT count(*) FROM machines") == before);
}

TEST_CASE("cli: a reader that would upgrade an older database takes the writer's lock, or waits its turn") {
    CliFixture f;
    const std::string db = f.env()["PICKUPDESK_DB"];
    {
        std::ifstream in(std::string(PD_TEST_DATA_DIR) + "/schema_v1.sql");
        REQUIRE(in.good());
        const std::string sql((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::filesystem::create_directories(std::filesystem::path(db).parent_path());
        SQLite::Database(db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec(sql);
    }
    REQUIRE(core::store::Store::fileSchemaVersion(db).value() == 1);

    auto held = core::config::InstanceLock::acquire(db, "pickupdesk");  // an app (maybe an older one) runs
    REQUIRE(held.ok());
    for (const std::vector<std::string>& reader : {std::vector<std::string>{"codes"},
                                                   {"events"},
                                                   {"machines", "--offline"}}) {
        CAPTURE(reader.front());
        const auto r = f.run(reader);
        CHECK(r.exitCode == 9);
        CHECK(r.err.find("already using") != std::string::npos);
    }
    CHECK(core::store::Store::fileSchemaVersion(db).value() == 1);  // not upgraded under the app
    // backup copies the file as it is (SQLite's backup API, no migration): allowed while the app runs.
    const auto copied = f.run({"backup", f.dir().file("old.db")});
    INFO(copied.err);
    CHECK(copied.exitCode == 0);
    CHECK(core::store::Store::fileSchemaVersion(f.dir().file("old.db")).value() == 1);

    held.value().reset();  // the app closed
    const auto r = f.run({"codes"});
    INFO(r.err);
    CHECK(r.exitCode == 0);
    CHECK(core::store::Store::fileSchemaVersion(db).value() == core::store::Store::latestSchemaVersion());
    CHECK_FALSE(namesStartingWith(f.dir().file("backups"), "").empty());  // the pre-upgrade backup
}
