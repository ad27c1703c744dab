// Crash survival (issue 8): `pickupctl watch` and `pickupctl generate` killed with SIGKILL at
// random points, again and again, against a real mosquitto and the vendor-cloud simulator. After
// the last kill the database must pass PRAGMA integrity_check, hold every published push exactly
// once, and hold no half generation batch. Seeds are printed; PD_FAULT_SEED repeats a run.
#include "pd_test_paths.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/integration/fault_fixture.hpp"
#include "tests/integration/mqtt_fixture.hpp"

#include <atomic>
#include <ctime>
#include <filesystem>
#include <set>
#include <thread>

using namespace testsupport;

namespace {

struct KillRun {
    int kills = 0;
    int insideCommit = 0;  // killed while its message callback was blocked in the commit
    int midStream = 0;     // other kills after the run had stored something
    double seconds = 0;
};

// Every `heldEvery`-th kill lands inside the commit for certain: once watch has subscribed, the
// test takes the database's write lock (BEGIN IMMEDIATE), so the next push's callback waits in
// SQLite's busy handler, and watch is killed there; the others come after a random 30..600 ms.
KillRun killWatchRepeatedly(WatchWorld& w, KillClock& clock, int kills, int heldEvery) {
    KillRun run;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kills; ++i) {
        const bool held = heldEvery > 0 && i % heldEvery == 0;
        auto before = w.count("SELECT count(*) FROM push_events");
        auto watch = w.spawnWatch();
        std::unique_ptr<SQLite::Database> lock;
        if (held) {
            INFO("watch stderr: " << watch->stderrText());
            REQUIRE(WatchWorld::subscribed(*watch));
            lock = std::make_unique<SQLite::Database>(w.db(), SQLite::OPEN_READWRITE, 5000);
            lock->exec("BEGIN IMMEDIATE");
            before = lock->execAndGet("SELECT count(*) FROM push_events").getInt64();
            std::this_thread::sleep_for(std::chrono::milliseconds(60));  // pushes flow at ~600/s
        } else {
            std::this_thread::sleep_for(std::chrono::milliseconds(clock.delayMs(30, 600)));
        }
        REQUIRE(killNow(*watch));
        if (lock) lock->exec("ROLLBACK");
        ++run.kills;
        if (held) {
            CHECK(w.count("SELECT count(*) FROM push_events") == before);  // nothing got past the lock
            ++run.insideCommit;
        } else if (w.count("SELECT count(*) FROM push_events") > before) {
            ++run.midStream;
        }
    }
    run.seconds = secondsSince(start);
    return run;
}

// The final, unkilled watch takes everything that is left; true when all `total` are stored.
bool drain(WatchWorld& w, int total) {
    auto watch = w.spawnWatch();
    CHECK(WatchWorld::subscribed(*watch));  // its SIGTERM handler is in place from here on
    const bool all = waitFor([&] { return w.count("SELECT count(DISTINCT code_id) FROM push_events") >= total; }, 30000);
    watch->stop();
    INFO("final watch stderr: " << watch->stderrText() << "\nPaho session files: " << w.sessionFiles());
    CHECK(watch->exitCode() == 0);
    return all;
}

// Kills watch `kills` times while `total` pushes stream in, lets a last watch drain, and checks that
// every push is stored exactly once and applied once.
void survivesKills(WatchMode mode, int kills, int heldEvery) {
    WatchWorld w(mode);
    KillClock clock;
    constexpr int kRate = 600;
    const int total = kRate * kills / 6;  // about as long as the kills take
    w.createSession();
    PushStream stream(w.broker().url(), total, kRate);
    const KillRun run = killWatchRepeatedly(w, clock, kills, heldEvery);
    stream.join();
    REQUIRE(stream.flush());
    const auto start = std::chrono::steady_clock::now();
    const bool all = drain(w, total);
    MESSAGE(mode.name() << ": " << run.kills << " kills (" << run.insideCommit << " inside the commit, " << run.midStream
                        << " more after storing began) in " << run.seconds << " s; drain " << secondsSince(start)
                        << " s; " << total << " pushes");
    CHECK(integrityCheck(w.db()) == "ok");
    CHECK(all);
    CHECK(w.count("SELECT count(*) FROM push_events") == total);                 // none twice
    CHECK(w.count("SELECT count(DISTINCT code_id) FROM push_events") == total);  // none lost
    CHECK(w.count("SELECT count(*) FROM push_events WHERE applied = 'yes'") == total);
    CHECK(w.count("SELECT count(*) FROM codes") == total);  // every create applied once
    CHECK(w.count("SELECT count(DISTINCT code) FROM codes") == total);
}

}  // namespace

TEST_CASE("fault: watch SIGKILLed 50 times mid-stream (QoS 2): integrity ok, every push stored exactly once") {
    survivesKills({2, false}, 50, 3);
}

// MQTT 5 hands a QoS 2 message over before PUBREC and never again after a restart (Paho marks it
// already received): only the copy MqttClient reads back from Paho's files saves it.
TEST_CASE("fault: watch over MQTT 5 killed inside its commit: QoS 2 pushes come back from Paho's files") {
    survivesKills({2, true}, 8, 2);
}

// Paho 1.3.12 acknowledges a QoS 1 message after our callback returns: a kill inside the commit
// leaves it unacknowledged, and the broker sends it again.
TEST_CASE("fault: watch at QoS 1 killed inside its commit: the broker sends the push again") {
    survivesKills({1, false}, 8, 2);
}

// ---- generation batches ----

namespace {

constexpr const char* kShanghai = "16327138";
constexpr std::int64_t kCola = 20001;  // capacity 10
constexpr int kPerRequest = 3;
constexpr int kGenerateKills = 50;

// Broker first, then the simulator publishing create pushes to it (latency widens the window in
// which a create has reached the vendor but its reply has not reached us).
struct GenerateKillWorld {
    Mosquitto broker;
    CliFixture cli{{"--mqtt-url", broker.url(), "--latency-ms", "15"}};
    GenerateKillWorld() { cli.env()["PICKUPDESK_MQTT_URL"] = broker.url(); }
    std::string db() { return cli.env()["PICKUPDESK_DB"]; }
    std::int64_t count(const std::string& sql) { return dbCount(db(), sql); }
    // Odd runs wait for create pushes, even runs list.
    std::unique_ptr<ChildProcess> spawnGenerate(int run) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH, "generate", kShanghai, "--product", std::to_string(kCola), "--count",
                                      std::to_string(kPerRequest), "--never", "--push-timeout", "2"};
        if (run % 2 == 0) argv.push_back("--no-push");
        return std::make_unique<ChildProcess>(argv, cli.env());
    }
    // The vendor's live codes of the product (what its list returns: not used, deleted or expired), by id.
    std::set<std::int64_t> vendorCodes() {
        std::set<std::int64_t> ids;
        const auto state = cli.sim().state();
        const auto now = static_cast<std::int64_t>(std::time(nullptr));
        for (const auto& c : state["codes"]) {
            const bool expired = !c["expired_at"].is_null() && c["expired_at"].get<std::int64_t>() <= now;
            if (c["machine_no"] == kShanghai && c["product_id"] == kCola && !c["deleted"].get<bool>() &&
                !c["used"].get<bool>() && !expired) {
                ids.insert(c["id"].get<std::int64_t>());
            }
        }
        return ids;
    }
    std::set<std::int64_t> storedCodes() {
        std::set<std::int64_t> ids;
        SQLite::Database d(db(), SQLite::OPEN_READONLY, 5000);
        SQLite::Statement q(d, "SELECT id FROM codes WHERE machine_no = ? AND product_id = ?");
        q.bind(1, kShanghai);
        q.bind(2, kCola);
        while (q.executeStep()) ids.insert(q.getColumn(0).getInt64());
        return ids;
    }
};

// Requests recorded `ok` whose codes are not all in the store (a half batch).
std::int64_t halfBatches(GenerateKillWorld& w) {
    return w.count("SELECT count(*) FROM generation_requests r WHERE r.outcome = 'ok' AND r.count <> "
                   "(SELECT count(*) FROM codes c WHERE c.request_id = r.id)");
}

}  // namespace

TEST_CASE("fault: generate SIGKILLed 50 times at random points: no half batch, reconcile stores every code once") {
    GenerateKillWorld w;
    KillClock clock;
    REQUIRE(w.cli.run({"machines"}).exitCode == 0);
    REQUIRE(w.cli.run({"products", kShanghai}).exitCode == 0);
    const auto seedIds = w.vendorCodes();
    // One undisturbed run of each kind sets the range the kills are spread over.
    auto timed = [&](int run) {
        const auto t0 = std::chrono::steady_clock::now();
        auto child = w.spawnGenerate(run);
        REQUIRE(waitFor([&] { return !child->running(); }, 30000));
        INFO("stderr: " << child->stderrText());
        REQUIRE(child->exitCode() == 0);
        return static_cast<int>(secondsSince(t0) * 1000);
    };
    const int longest = std::max(timed(0), timed(1));

    const auto start = std::chrono::steady_clock::now();
    int kills = 0, runs = 0;
    std::int64_t halfSeen = 0;
    while (kills < kGenerateKills) {
        auto child = w.spawnGenerate(++runs);
        std::this_thread::sleep_for(std::chrono::milliseconds(clock.delayMs(0, longest)));
        if (killNow(*child)) ++kills;
        halfSeen = std::max(halfSeen, halfBatches(w));
    }
    CHECK(halfSeen == 0);
    const double killSeconds = secondsSince(start);
    CHECK(integrityCheck(w.db()) == "ok");
    const auto pendingBefore = w.count("SELECT count(*) FROM generation_requests WHERE outcome IN ('pending', 'unknown')");

    const auto reconciled = w.cli.run({"reconcile", kShanghai});
    INFO("reconcile: " << reconciled.out << reconciled.err);
    REQUIRE(reconciled.exitCode == 0);
    MESSAGE("generate: " << kills << " kills in " << runs << " runs, " << killSeconds << " s (runs take up to " << longest
                         << " ms); " << pendingBefore << " interrupted requests reconciled");
    CHECK(integrityCheck(w.db()) == "ok");
    CHECK(halfBatches(w) == 0);
    CHECK(w.count("SELECT count(*) FROM generation_requests WHERE outcome IN ('pending', 'unknown') AND reconciled_utc IS NULL") == 0);
    // Every code the vendor holds is stored exactly once, and each new one belongs to one request.
    const auto vendor = w.vendorCodes();
    const auto stored = w.storedCodes();
    CHECK(stored == vendor);
    CHECK(w.count("SELECT count(*) FROM codes WHERE machine_no = '16327138'") ==
          w.count("SELECT count(DISTINCT code) FROM codes WHERE machine_no = '16327138'"));
    const auto made = static_cast<std::int64_t>(vendor.size() - seedIds.size());
    CHECK(w.count("SELECT count(*) FROM codes WHERE product_id = 20001 AND request_id IS NOT NULL") == made);
    CHECK(w.count("SELECT count(*) FROM codes WHERE product_id = 20001 AND request_id IS NULL") ==
          static_cast<std::int64_t>(seedIds.size()));
    CHECK(w.count("SELECT count(*) FROM generation_requests WHERE outcome = 'ok'") * kPerRequest == made);
    CHECK(w.count("SELECT count(*) FROM generation_requests r WHERE r.outcome = 'failed' AND EXISTS "
                  "(SELECT 1 FROM codes c WHERE c.request_id = r.id)") == 0);
    // Nothing was created twice: the vendor applied one create per request that reached it.
    CHECK(w.cli.sim().state()["counters"]["creates_applied"].get<std::int64_t>() * kPerRequest == made);
}

