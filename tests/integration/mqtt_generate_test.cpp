// The HTTP -> push path end to end: pickupdesk-sim started with --mqtt-url publishes signed pushes
// to a real mosquitto for creates, deletes (one and all) and uses; pickupctl generate waits for
// the create pushes and pickupctl watch applies the rest.
#include "pd_test_paths.hpp"
#include "tests/integration/cli_fixture.hpp"
#include "tests/integration/mqtt_fixture.hpp"

#include "tests/support/process.hpp"

#include <signal.h>

#include <fstream>
#include <iterator>
#include <set>

using namespace testsupport;

namespace {

constexpr const char* kShanghai = "16327138";
constexpr std::int64_t kCola = 20001;  // capacity 10 on the Shanghai machine

// The broker first, then the simulator publishing to it.
struct PushWorld {
    Mosquitto broker;
    CliFixture cli;
    explicit PushWorld(bool simPublishes = true)
        : cli(simPublishes ? std::vector<std::string>{"--mqtt-url", broker.url()} : std::vector<std::string>{}) {
        cli.env()["PICKUPDESK_MQTT_URL"] = broker.url();
    }
    std::int64_t count(const std::string& sql) {
        SQLite::Database db(cli.env()["PICKUPDESK_DB"], SQLite::OPEN_READONLY, 2000);
        return db.execAndGet(sql).getInt64();
    }
    // `pickupctl watch` in the background, subscribed (it prints "watching" once ready).
    std::unique_ptr<ChildProcess> startWatch(const std::vector<std::string>& args) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH, "watch"};
        argv.insert(argv.end(), args.begin(), args.end());
        auto child = std::make_unique<ChildProcess>(argv, cli.env());
        const bool ready = waitFor([&] { return child->stderrText().find("watching") != std::string::npos || !child->running(); }, 10000);
        INFO("watch stderr: " << child->stderrText());
        REQUIRE(ready);
        REQUIRE(child->running());
        return child;
    }
};

std::string codeStatus(PushWorld& w, std::int64_t id) {
    SQLite::Database db(w.cli.env()["PICKUPDESK_DB"], SQLite::OPEN_READONLY, 2000);
    SQLite::Statement q(db, "SELECT status FROM codes WHERE machine_no = ? AND id = ?");
    q.bind(1, kShanghai);
    q.bind(2, id);
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(missing)");
}

}  // namespace

TEST_CASE("generate takes the new codes from their create pushes, stored through the verified ingest") {
    PushWorld w;
    REQUIRE(w.cli.run({"machines"}).exitCode == 0);
    const auto r = w.cli.run({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "3"});
    INFO("stdout: " << r.out << "\nstderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("3 new code(s) (by push)") != std::string::npos);
    CHECK(r.err.find("waiting for create pushes") != std::string::npos);  // progress

    const auto out = w.cli.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2", "--length", "8"});
    CHECK(out["source"] == "push");
    CHECK(out["pushed"] == 2);
    CHECK(out["note"].is_null());
    REQUIRE(out["codes"].size() == 2);
    const auto requestId = out["request_id"].get<std::int64_t>();
    for (const auto& c : out["codes"]) {
        CHECK(c["product_id"] == kCola);
        CHECK(c["code"].get<std::string>().size() == 8);
        CHECK(c["request_id"] == requestId);
        const auto id = std::to_string(c["id"].get<std::int64_t>());
        // Push provenance: the raw event is stored, verified and applied.
        CHECK(w.count("SELECT count(*) FROM push_events WHERE method = 'client.pickup_codes.create' AND code_id = " + id +
                      " AND verification = 'valid' AND applied = 'yes' AND machine_no = '" + kShanghai + "'") == 1);
    }
    CHECK(w.count("SELECT count(*) FROM codes WHERE request_id = " + std::to_string(requestId)) == 2);
    CHECK(w.count("SELECT count(*) FROM push_events WHERE method = 'client.pickup_codes.create'") == 5);
}

TEST_CASE("generate for all products waits for one create push per product") {
    PushWorld w;
    const auto products = w.cli.json({"products", "20240601"});
    const auto out = w.cli.json({"generate", "20240601", "--all-products", "--never"});
    CHECK(out["source"] == "push");
    CHECK(out["codes"].size() == products.size());
    CHECK(out["pushed"] == products.size());
    std::set<std::int64_t> productIds;
    for (const auto& c : out["codes"]) productIds.insert(c["product_id"].get<std::int64_t>());
    CHECK(productIds.size() == products.size());
}

TEST_CASE("generate falls back to listing when the pushes do not come, and says so") {
    PushWorld w(false);  // the simulator publishes nothing
    REQUIRE(w.cli.run({"machines"}).exitCode == 0);
    const auto out = w.cli.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2", "--push-timeout", "1"});
    CHECK(out["source"] == "list");
    CHECK(out["pushed"] == 0);
    CHECK(out["codes"].size() == 2);
    CHECK(out["note"].get<std::string>().find("Only 0 of 2 create pushes arrived within 1 s") != std::string::npos);

    // No broker at all: a note, and the codes are listed.
    w.cli.env()["PICKUPDESK_MQTT_URL"] = "tcp://127.0.0.1:" + std::to_string(freeTcpPort());
    const auto r = w.cli.run({"--timeout", "1", "generate", kShanghai, "--product", std::to_string(kCola)});
    INFO("stderr: " << r.err);
    CHECK(r.exitCode == 0);
    CHECK(r.err.find("note: Pushes are not available") != std::string::npos);
    CHECK(r.out.find("1 new code(s) (listed)") != std::string::npos);
}

TEST_CASE("the simulator's use, delete and delete-all reach a watcher as pushes and change the codes") {
    PushWorld w;
    REQUIRE(w.cli.run({"machines"}).exitCode == 0);
    const auto out = w.cli.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "3"});
    REQUIRE(out["codes"].size() == 3);
    std::vector<std::int64_t> ids;
    for (const auto& c : out["codes"]) ids.push_back(c["id"].get<std::int64_t>());

    auto watch = w.startWatch({kShanghai, "--json"});
    // A customer redeems the first code at the machine: the cloud pushes client.pickup_codes.put.
    w.cli.sim().useCode(kShanghai, ids[0]);
    CHECK(waitFor([&] { return codeStatus(w, ids[0]) == "used"; }, 5000));

    // Deleted through another database (another desk): only the push can tell ours.
    auto other = w.cli.env();
    other["PICKUPDESK_DB"] = w.cli.dir().file("other.db");
    other.erase("PICKUPDESK_MQTT_URL");
    REQUIRE(runProcess({PD_PICKUPCTL_PATH, "codes", kShanghai, "--product", std::to_string(kCola), "--refresh"}, other, {}, 20000).exitCode == 0);
    REQUIRE(runProcess({PD_PICKUPCTL_PATH, "delete", kShanghai, "--code-id", std::to_string(ids[1])}, other, {}, 20000).exitCode == 0);
    CHECK(waitFor([&] { return codeStatus(w, ids[1]) == "deleted"; }, 5000));
    CHECK(codeStatus(w, ids[2]) == "unused");

    REQUIRE(runProcess({PD_PICKUPCTL_PATH, "delete", kShanghai, "--all"}, other, {}, 20000).exitCode == 0);
    CHECK(waitFor([&] { return codeStatus(w, ids[2]) == "deleted"; }, 5000));
    CHECK(codeStatus(w, ids[0]) == "used");  // a used code stays used
    CHECK(waitFor([&] { return w.count("SELECT count(*) FROM codes WHERE machine_no = '16327138' AND status = 'unused'") == 0; }, 5000));
    kill(watch->pid(), SIGTERM);
    REQUIRE(waitFor([&] { return !watch->running(); }, 5000));

    const auto events = w.cli.json({"events", kShanghai, "--method", "client.pickup_codes.put"});
    REQUIRE(events.size() == 1);
    CHECK(events[0]["verification"] == "valid");
    CHECK(events[0]["applied"] == "yes");
    CHECK(w.count("SELECT count(*) FROM push_events WHERE method = 'client.pickup_codes.delete' AND verification = 'valid'") >= 3);
}

TEST_CASE("generate and watch take the broker from the profile (MQTT 5); the password never reaches the database") {
    PushWorld w;
    auto& env = w.cli.env();
    env.erase("PICKUPDESK_MQTT_URL");
    env.erase("PICKUPDESK_URL");
    env.erase("PICKUPDESK_APPID");
    const std::string password = "MqttPassword-77e1-LEAKCHECK";
    env["PICKUPDESK_MQTT_PASSWORD"] = password;  // instead of the keychain (none in CI)
    const auto add = w.cli.run({"profile", "add", "shop", "--url", w.cli.sim().url(), "--appid", SimServer::kAppId,
                                "--mqtt-url", w.broker.url(), "--mqtt-user", "merchant", "--mqtt5"});
    REQUIRE_MESSAGE(add.exitCode == 0, add.err);
    const auto profiles = w.cli.json({"profile", "list"});
    REQUIRE(profiles.size() == 1);
    CHECK(profiles[0]["mqtt"]["url"] == w.broker.url());
    CHECK(profiles[0]["mqtt"]["user"] == "merchant");
    CHECK(profiles[0]["mqtt"]["version"] == 5);

    REQUIRE(w.cli.run({"machines"}).exitCode == 0);
    const auto out = w.cli.json({"generate", kShanghai, "--product", std::to_string(kCola), "--count", "2"});
    CHECK(out["source"] == "push");
    REQUIRE(out["codes"].size() == 2);

    auto watch = w.startWatch({kShanghai, "--json", "--count", "1"});
    w.cli.sim().useCode(kShanghai, out["codes"][0]["id"].get<std::int64_t>());
    REQUIRE(waitFor([&] { return !watch->running(); }, 10000));
    CHECK(watch->stdoutText().find("\"method\":\"client.pickup_codes.put\"") != std::string::npos);

    const auto noPush = w.cli.json({"generate", kShanghai, "--product", std::to_string(kCola), "--no-push"});
    CHECK(noPush["source"] == "list");
    CHECK(noPush["codes"].size() == 1);

    const std::string db = env["PICKUPDESK_DB"];
    for (const auto& file : {db, db + "-wal"}) {
        std::ifstream in(file, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        CHECK(bytes.find(password) == std::string::npos);
    }
    CHECK(w.cli.allOutput().find(password) == std::string::npos);
}
