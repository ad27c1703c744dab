// `pickupctl watch` and `pickupctl events` as real processes against a real mosquitto, including
// a watcher killed with SIGKILL mid-stream.
#include "pd_test_paths.hpp"
#include "tests/integration/mqtt_fixture.hpp"

#include "tests/support/process.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>

#include <sstream>

using namespace testsupport;

namespace {

class WatchFixture {
public:
    WatchFixture() {
        m_env = {{"PICKUPDESK_DB", m_dir.file("data/pickupdesk.db")},
                 {"PICKUPDESK_MQTT_URL", m_broker.url()},
                 {"PICKUPDESK_PUSH_KEY", kPushKey},
                 {"XDG_DATA_HOME", m_dir.file("xdg-data")},
                 {"XDG_CONFIG_HOME", m_dir.file("xdg-config")}};
    }
    std::unique_ptr<ChildProcess> startWatch(std::vector<std::string> args) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH, "watch"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto child = std::make_unique<ChildProcess>(argv, m_env);
        const bool ready = waitFor([&] { return child->stderrText().find("watching") != std::string::npos || !child->running(); }, 10000);
        INFO("watch stderr: " << child->stderrText());
        REQUIRE(ready);
        REQUIRE(child->running());
        return child;
    }
    ProcessResult run(const std::vector<std::string>& args) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(argv, m_env, {}, 20000);
    }
    std::int64_t count(const std::string& sql) {
        try {
            SQLite::Database db(m_env["PICKUPDESK_DB"], SQLite::OPEN_READONLY, 2000);
            return db.execAndGet(sql).getInt64();
        } catch (const std::exception&) {
            return -1;  // not created yet
        }
    }
    Mosquitto& broker() { return m_broker; }

private:
    Mosquitto m_broker;
    TempDir m_dir;
    std::map<std::string, std::string> m_env;
};

std::vector<nlohmann::json> jsonLines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    }
    return out;
}

}  // namespace

TEST_CASE("pickupctl watch prints decoded, verified pushes; events lists what was stored") {
    WatchFixture f;
    auto watch = f.startWatch({kMachine, "--json", "--count", "3"});
    Publisher pub(f.broker().url());
    REQUIRE(pub.publish(topicOf(kMachine), createPush(5001, "16327138")));
    REQUIRE(pub.publish(topicOf(kMachine), createPush(5002, "16327139", 1893456000, 8 * 3600, kMachine, "wrong")));
    REQUIRE(pub.publish(topicOf(kMachine), "garbage!"));
    REQUIRE(waitFor([&] { return !watch->running(); }, 10000));
    CHECK(watch->exitCode() == 0);
    const auto lines = jsonLines(watch->stdoutText());
    REQUIRE(lines.size() == 3);
    CHECK(lines[0]["verification"] == "valid");
    CHECK(lines[0]["method"] == "client.pickup_codes.create");
    CHECK(lines[0]["machine_no"] == kMachine);
    CHECK(lines[0]["topic"] == topicOf(kMachine));
    CHECK(lines[0]["fields"]["code"] == "16327138");
    CHECK(lines[0]["applied"] == "yes");
    CHECK(lines[1]["verification"] == "invalid");
    CHECK(lines[1]["applied"] == "no");
    CHECK(lines[2]["verification"] == "undecodable");

    auto all = f.run({"events", "--json"});
    INFO(all.err);
    REQUIRE(all.exitCode == 0);
    const auto events = nlohmann::json::parse(all.out);
    REQUIRE(events.size() == 3);
    CHECK(events[0]["verification"] == "valid");
    CHECK(events[0]["fields"]["id"] == "5001");
    CHECK(events[0]["applied"] == "yes");
    auto bad = f.run({"events", kMachine, "--invalid", "--json"});
    REQUIRE(bad.exitCode == 0);
    CHECK(nlohmann::json::parse(bad.out).size() == 1);  // the undecodable one names no machine
    auto human = f.run({"events"});
    CHECK(human.out.find("16327138") != std::string::npos);
    CHECK(f.count("SELECT count(*) FROM codes") == 1);
}

TEST_CASE("pickupctl watch killed with SIGKILL mid-stream and restarted: nothing lost, no duplicate codes") {
    WatchFixture f;
    const std::vector<std::string> args{kMachine, "--client-id", "pickupdesk-kill-test"};
    auto watch = f.startWatch(args);
    Publisher pub(f.broker().url());
    constexpr int kCount = 2000;
    int published = 0;
    for (; published < kCount * 3 / 10; ++published) {
        REQUIRE(pub.publish(topicOf(kMachine), createPush(100000 + published, std::to_string(60000000 + published))));
    }
    // Kill it while it is still taking messages in.
    REQUIRE(waitFor([&] { return f.count("SELECT count(*) FROM push_events") >= 100; }, 10000));
    ::kill(watch->pid(), SIGKILL);
    REQUIRE(waitFor([&] { return !watch->running(); }, 5000));
    const auto before = f.count("SELECT count(*) FROM push_events");
    for (; published < kCount; ++published) {
        REQUIRE(pub.publish(topicOf(kMachine), createPush(100000 + published, std::to_string(60000000 + published))));
    }
    REQUIRE(pub.flush());
    auto again = f.startWatch(args);
    const bool all = waitFor([&] { return f.count("SELECT count(DISTINCT code_id) FROM push_events") == kCount; }, 15000);
    INFO("stored before the kill: " << before << ", watch stderr: " << again->stderrText());
    CHECK(all);
    again->stop();
    CHECK(before < kCount);
    CHECK(f.count("SELECT count(*) FROM push_events") == kCount);  // redeliveries are not stored twice
    CHECK(f.count("SELECT count(*) FROM codes") == kCount);
    CHECK(f.count("SELECT count(DISTINCT code) FROM codes") == kCount);
}

TEST_CASE("pickupdesk-sim push load mode: bad pushes are kept and flagged, out-of-order deletes applied") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    Watcher watcher(broker.url(), db, dir.file("mqtt"));
    const auto r = runProcess({PD_SIM_PATH, "push", "--mqtt-url", broker.url(), "--push-key", kPushKey, "--machine", kMachine,
                               "--rate", "0", "--count", "2000", "--bad-sign", "0.1", "--unsigned", "0.1", "--malformed",
                               "0.1", "--duplicates", "0.1", "--out-of-order", "0.1"},
                              {}, {}, 30000);
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
    const auto summary = nlohmann::json::parse(r.out);
    const int published = summary["published"];
    const int duplicates = summary["duplicates"];
    const int outOfOrder = summary["out_of_order"];
    const int valid = summary["valid"];
    const int bad = summary["bad_sign"].get<int>() + summary["unsigned"].get<int>() + summary["malformed"].get<int>();
    CHECK(outOfOrder > 100);
    REQUIRE(waitFor([&] { return watcher.seen() >= static_cast<std::uint64_t>(published); }, 15000));
    watcher.stop();
    auto store = openStore(db);
    // A duplicate repeats the previous push; when that was itself unsigned or broken it has no
    // dedup key and is stored again, so count what was stored against what was sent.
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") <= published);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") >= published - duplicates);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification <> 'valid'") >= bad);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification <> 'valid' AND applied <> 'no'") == 0);
    CHECK(scalar(*store, "SELECT count(*) FROM codes") == valid + outOfOrder);
    CHECK(scalar(*store, "SELECT count(*) FROM codes WHERE status = 'deleted'") == outOfOrder);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied = 'pending'") == 0);
}
