// Disk full (issue 8): the database capped with PICKUPDESK_DB_MAX_PAGES (SQLite's max_page_count),
// so writes fail with SQLITE_FULL exactly as on a full disk. `pickupctl watch` must say so and what
// to do, keep running and keep every push (unacknowledged until stored), damage nothing stored
// before, and store everything once space returns; `pickupctl generate` must fail clearly and never
// leave a request `ok` without its codes.
#include "pd_test_paths.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/integration/fault_fixture.hpp"

#include <ctime>
#include <thread>

using namespace testsupport;

namespace {

// Grows the database by about `pages` pages of ballast (a table of its own), so that a cap at the
// current size leaves no room; dropping it later is "freeing disk space": SQLite reuses the pages.
std::int64_t addBallast(const std::string& dbPath, int pages) {
    SQLite::Database db(dbPath, SQLite::OPEN_READWRITE, 5000);
    db.exec("CREATE TABLE IF NOT EXISTS test_ballast(b BLOB)");
    SQLite::Statement insert(db, "INSERT INTO test_ballast VALUES(zeroblob(3500))");  // one page each
    SQLite::Transaction tx(db);
    for (int i = 0; i < pages; ++i) {
        insert.exec();
        insert.reset();
    }
    tx.commit();
    return db.execAndGet("PRAGMA page_count").getInt64() - db.execAndGet("PRAGMA freelist_count").getInt64();
}

void dropBallast(const std::string& dbPath) {
    SQLite::Database db(dbPath, SQLite::OPEN_READWRITE, 5000);
    db.exec("DROP TABLE test_ballast");
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("fault: disk full under watch: clear error, nothing lost or damaged, writes resume when space returns") {
    WatchWorld w({2, false});
    w.createSession();
    // 100 pushes stored while there is room.
    {
        PushStream before(w.broker().url(), 100, 500);
        auto watch = w.spawnWatch();
        REQUIRE(WatchWorld::subscribed(*watch));
        before.join();
        REQUIRE(waitFor([&] { return w.count("SELECT count(*) FROM push_events") == 100; }, 15000));
        watch->stop();
    }
    const auto digestBefore = w.count("SELECT sum(id * length(payload)) FROM push_events");
    const std::int64_t used = addBallast(w.db(), 200);  // more than the 200 pushes below need
    w.env()["PICKUPDESK_DB_MAX_PAGES"] = std::to_string(used);

    auto watch = w.spawnWatch();
    REQUIRE(WatchWorld::subscribed(*watch));
    const auto start = std::chrono::steady_clock::now();
    PushStream during(w.broker().url(), 200, 200, 101);
    REQUIRE(waitFor([&] { return contains(watch->stderrText(), "disk is full"); }, 15000));
    const double secondsToError = secondsSince(start);
    during.join();
    REQUIRE(during.flush());
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const std::string err = watch->stderrText();
    INFO("watch stderr: " << err);
    CHECK(contains(err, "free some space"));
    CHECK(contains(err, "keeps retrying"));
    CHECK(watch->running());
    const auto storedWhileFull = w.count("SELECT count(*) FROM push_events");
    CHECK(storedWhileFull < 300);
    // Nothing stored before is damaged, and the store can still be read.
    CHECK(integrityCheck(w.db()) == "ok");
    CHECK(w.count("SELECT count(*) FROM push_events WHERE code_id <= 100") == 100);
    CHECK(w.count("SELECT sum(id * length(payload)) FROM push_events WHERE id <= 100") == digestBefore);
    const auto events = runProcess({PD_PICKUPCTL_PATH, "--json", "events", "--limit", "0"}, w.env(), {}, 20000);
    CHECK(events.exitCode == 0);
    CHECK(nlohmann::json::parse(events.out, nullptr, false).size() == static_cast<std::size_t>(storedWhileFull));

    dropBallast(w.db());  // space returns
    const auto freed = std::chrono::steady_clock::now();
    const bool all = waitFor([&] { return w.count("SELECT count(DISTINCT code_id) FROM push_events") == 300; }, 20000);
    MESSAGE("disk full: first error after " << secondsToError << " s; " << storedWhileFull - 100 << " of 200 pushes fitted; "
                                            << std::string(all ? "the rest stored " : "not all stored ") << secondsSince(freed)
                                            << " s after space returned");
    if (!all) {
        std::string missing;
        for (int i = 101; i <= 300; ++i) {
            if (w.count("SELECT count(*) FROM push_events WHERE code_id = " + std::to_string(i)) == 0) missing += std::to_string(i) + " ";
        }
        MESSAGE("missing: " << missing << " session files: " << w.sessionFiles() << "\nstderr: " << watch->stderrText());
    }
    CHECK(all);
    CHECK(waitFor([&] { return contains(watch->stderrText(), "storing pushes again"); }, 5000));
    watch->stop();
    CHECK(watch->exitCode() == 0);
    CHECK(integrityCheck(w.db()) == "ok");
    CHECK(w.count("SELECT count(*) FROM push_events") == 300);
    CHECK(w.count("SELECT count(*) FROM codes") == 300);
}

namespace {
constexpr const char* kShanghai = "16327138";
}  // namespace

TEST_CASE("fault: disk full under generate: a clear error, never a request ok without its codes, reconcile later") {
    Mosquitto broker;
    CliFixture f({"--mqtt-url", broker.url()});
    REQUIRE(f.run({"machines"}).exitCode == 0);
    REQUIRE(f.run({"products", kShanghai}).exitCode == 0);
    const std::string db = f.env()["PICKUPDESK_DB"];
    f.env()["PICKUPDESK_MQTT_URL"] = broker.url();
    std::int64_t cap = addBallast(db, 8);
    // Each run fills the pages a little more, until one needs a page there is none of. A failure
    // before the create (nothing sent) gives one more page, until the failure comes after it.
    int failures = 0, failedAfterCreate = 0, runs = 0;
    while (runs < 60 && failedAfterCreate == 0) {
        ++runs;
        f.env()["PICKUPDESK_DB_MAX_PAGES"] = std::to_string(cap);
        std::vector<std::string> args{"generate", kShanghai, "--product", "20001", "--count", "10", "--push-timeout", "1"};
        if (runs % 2 == 0) args.push_back("--no-push");
        const auto r = f.run(args);
        if (r.exitCode == 0) continue;
        ++failures;
        INFO("generate stderr: " << r.err);
        CHECK(r.exitCode == 7);
        CHECK(contains(r.err, "disk is full"));
        CHECK(contains(r.err, "free some space"));
        if (contains(r.err, "vendor created the codes")) {
            ++failedAfterCreate;
            CHECK(contains(r.err, "pickupctl reconcile 16327138"));
            CHECK(contains(r.err, "generating again would make more codes"));
        } else {
            ++cap;
        }
        CHECK(dbCount(db, "SELECT count(*) FROM generation_requests r WHERE r.outcome = 'ok' AND r.count <> "
                          "(SELECT count(*) FROM codes c WHERE c.request_id = r.id)") == 0);
    }
    MESSAGE("generate on a full disk: " << failures << " of " << runs << " runs failed, " << failedAfterCreate
                                        << " after the vendor had created the codes");
    CHECK(failedAfterCreate == 1);
    CHECK(integrityCheck(db) == "ok");
    // Reads work while full.
    CHECK(f.run({"codes", kShanghai}).exitCode == 0);

    f.env().erase("PICKUPDESK_DB_MAX_PAGES");  // space returns
    const auto r = f.run({"reconcile", kShanghai});
    INFO("reconcile: " << r.out << r.err);
    CHECK(r.exitCode == 0);
    CHECK(contains(r.out, "was applied, 10 code(s) found and stored"));
    CHECK(dbCount(db, "SELECT count(*) FROM generation_requests WHERE outcome IN ('pending', 'unknown') AND reconciled_utc IS NULL") == 0);
    CHECK(dbCount(db, "SELECT count(*) FROM generation_requests r WHERE r.outcome = 'ok' AND r.count <> "
                      "(SELECT count(*) FROM codes c WHERE c.request_id = r.id)") == 0);
    // Every code the vendor lists is stored.
    std::int64_t listed = 0;
    const auto state = f.sim().state();
    for (const auto& c : state["codes"]) {
        const bool expired = !c["expired_at"].is_null() && c["expired_at"].get<std::int64_t>() <= std::time(nullptr);
        if (c["product_id"] == 20001 && !c["used"].get<bool>() && !c["deleted"].get<bool>() && !expired) ++listed;
    }
    CHECK(dbCount(db, "SELECT count(*) FROM codes WHERE product_id = 20001 AND status = 'unused'") == listed);
}
