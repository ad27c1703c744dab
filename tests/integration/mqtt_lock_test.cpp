// `pickupctl watch` is a writer (issue 8): while it stores pushes, other writers are refused with
// its name and pid, and readers (backup, events, codes) keep working on the same WAL database.
#include "pd_test_paths.hpp"
#include "tests/integration/mqtt_fixture.hpp"

#include "tests/support/process.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <thread>

using namespace testsupport;

TEST_CASE("watch holds the database: writers are refused naming it, backup, events and codes work meanwhile") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("data/pickupdesk.db");
    const std::map<std::string, std::string> env{{"PICKUPDESK_DB", db},
                                                 {"PICKUPDESK_MQTT_URL", broker.url()},
                                                 {"PICKUPDESK_PUSH_KEY", kPushKey},
                                                 {"XDG_DATA_HOME", dir.file("xdg-data")},
                                                 {"XDG_CONFIG_HOME", dir.file("xdg-config")}};
    auto run = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv, env, {}, 20000);
    };
    auto stored = [&] {
        SQLite::Database d(db, SQLite::OPEN_READONLY, 2000);
        return d.execAndGet("SELECT count(*) FROM push_events").getInt64();
    };

    ChildProcess watch({PD_PICKUPCTL_PATH, "watch", kMachine, "--json"}, env);
    REQUIRE(
        waitFor([&] { return watch.stderrText().find("watching") != std::string::npos || !watch.running(); }, 10000));
    REQUIRE(watch.running());

    constexpr int kPushes = 400;
    std::atomic<bool> published{false};
    Publisher pub(broker.url());  // made here: its REQUIREs must not run on the thread
    std::thread publisher([&] {
        for (int i = 0; i < kPushes; ++i)
            pub.publish(topicOf(kMachine), createPush(7000 + i, std::to_string(81000000 + i)));
        pub.flush();
        published = true;
    });
    REQUIRE(waitFor([&] { return stored() >= 20; }, 10000));

    // Backups while pushes are being stored: each a checked snapshot.
    for (int i = 0; i < 2; ++i) {
        const std::string copy = dir.file("copy-" + std::to_string(i) + ".db");
        const auto backup = run({"--json", "backup", copy});
        INFO(backup.out << backup.err);
        REQUIRE(backup.exitCode == 0);
        const auto info = nlohmann::json::parse(backup.out);
        SQLite::Database c(copy, SQLite::OPEN_READONLY);
        CHECK(c.execAndGet("PRAGMA integrity_check").getString() == "ok");
        CHECK(c.execAndGet("SELECT count(*) FROM codes").getInt64() == info["backup"]["codes"].get<std::int64_t>());
    }

    const std::string holder = "(pickupctl watch, pid " + std::to_string(watch.pid()) + ")";
    const auto add = run({"profile", "add", "shop", "--url", "http://127.0.0.1:9", "--appid", "x"});
    CHECK(add.exitCode == 9);
    CHECK(add.err.find("Pickup Desk is already using " + dir.file("data") + " " + holder) != std::string::npos);
    const auto second = run({"watch", kMachine, "--duration", "5"});
    CHECK(second.exitCode == 9);
    CHECK(second.err.find(holder) != std::string::npos);
    const auto events = run({"--json", "events", "--limit", "0"});
    CHECK(events.exitCode == 0);
    CHECK(run({"codes", kMachine, "--limit", "3"}).exitCode == 0);

    publisher.join();
    REQUIRE(published);
    CHECK(waitFor([&] { return stored() == kPushes; }, 15000));
    watch.stop();
    CHECK(run({"profile", "add", "shop", "--url", "http://127.0.0.1:9", "--appid", "x"}).exitCode == 0);
}
