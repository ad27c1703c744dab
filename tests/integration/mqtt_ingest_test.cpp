// The ingest pipeline against a real mosquitto: receive -> verify -> store -> apply, persistent
// sessions, a broker restart mid-stream, and a flood of bad pushes.
#include "tests/integration/mqtt_fixture.hpp"

#include "core/util/base64.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <atomic>
#include <thread>

using namespace testsupport;

namespace {

void seedMachine(const std::string& dbPath, const std::string& zone) {
    auto store = openStore(dbPath);
    core::Profile p;
    p.name = "shop";
    p.active = true;
    auto id = store->upsertProfile(p);
    REQUIRE(id.ok());
    core::Machine m;
    m.machineNo = kMachine;
    m.name = "Lobby";
    REQUIRE(store->upsertMachines(*id, {m}).ok());
    REQUIRE(store->setMachineTimezone(kMachine, zone).ok());
}

std::string codeStatus(core::store::Store& store, std::int64_t id) {
    auto code = store.codeById(kMachine, id);
    REQUIRE(code.ok());
    return code.value() ? core::codeStatusName(code.value()->status) : "absent";
}

}  // namespace

TEST_CASE("mqtt ingest: pushes are verified, stored raw and applied to the codes") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    seedMachine(db, "Asia/Shanghai");
    Watcher watcher(broker.url(), db, dir.file("mqtt"));
    Publisher pub(broker.url());
    const std::string topic = topicOf(kMachine);

    REQUIRE(pub.publish(topic, createPush(5001, "16327138")));
    REQUIRE(pub.publish(topic, deletePush(5002)));                 // before its create
    REQUIRE(pub.publish(topic, createPush(5002, "16327139")));
    REQUIRE(pub.publish(topic, putPush(5001)));
    REQUIRE(pub.publish(topic, createPush(5001, "16327138")));     // a redelivery: same sign
    REQUIRE(pub.publish(topic, createPush(5003, "16327140", 1893456000, 8 * 3600, kMachine, "wrong-key")));
    std::string unsignedPush = *core::util::base64Decode(createPush(5004, "16327141"));
    unsignedPush.erase(unsignedPush.find(",\"sign\""), 42);
    REQUIRE(pub.publish(topic, core::util::base64Encode(unsignedPush)));
    REQUIRE(pub.publish(topic, "%%% not base64 %%%"));
    REQUIRE(pub.publish(topic, createPush(5005, "16327142", 1893456000, 9 * 3600)));  // zone disagrees
    REQUIRE(pub.flush());
    REQUIRE(waitFor([&] { return watcher.seen() == 9; }, 8000));

    const auto stats = watcher.stats();
    CHECK(stats.stored == 8);
    CHECK(stats.duplicates == 1);
    CHECK(stats.notValid == 3);
    watcher.stop();

    auto store = openStore(db);
    CHECK(codeStatus(*store, 5001) == std::string("used"));
    CHECK(codeStatus(*store, 5002) == std::string("deleted"));
    CHECK(codeStatus(*store, 5003) == std::string("absent"));  // bad sign: never applied
    CHECK(codeStatus(*store, 5004) == std::string("absent"));  // unsigned: never applied
    auto c5001 = store->codeById(kMachine, 5001);
    REQUIRE(c5001.ok());
    REQUIRE(c5001.value().has_value());
    CHECK(c5001.value()->code == "16327138");
    CHECK(c5001.value()->productId == 20001);
    CHECK(c5001.value()->expiresUtc == std::optional<core::Instant>(1893456000));  // from ms

    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == 8);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'valid'") == 5);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'invalid'") == 1);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'unsigned'") == 1);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'undecodable' AND decode_error <> ''") == 1);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied = 'pending'") == 0);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied = 'yes'") == 5);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied = 'no'") == 3);
    // The raw bytes are kept exactly.
    CHECK(store->db().execAndGet("SELECT payload FROM push_events WHERE verification = 'undecodable'").getString() ==
          "%%% not base64 %%%");

    auto warnings = core::store::listTzWarnings(*store);
    REQUIRE(warnings.ok());
    REQUIRE(warnings->size() == 1);
    CHECK(warnings->at(0).machineNo == kMachine);
    CHECK(warnings->at(0).configuredZone == "Asia/Shanghai");
    CHECK(warnings->at(0).inferredOffset == 9 * 3600);
    CHECK(warnings->at(0).configuredOffset == 8 * 3600);
}

TEST_CASE("mqtt ingest: QoS 1 pushes sent while the watcher was down arrive after it reconnects") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    { Watcher first(broker.url(), db, dir.file("mqtt")); }  // subscribes, then goes away
    Publisher pub(broker.url());
    constexpr int kCount = 300;
    for (int i = 0; i < kCount; ++i) REQUIRE(pub.publish(topicOf(kMachine), createPush(10000 + i, std::to_string(30000000 + i))));
    REQUIRE(pub.flush());

    Watcher again(broker.url(), db, dir.file("mqtt"));
    REQUIRE(waitFor([&] { return again.seen() >= kCount; }, 10000));
    again.stop();
    auto store = openStore(db);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == kCount);
    CHECK(scalar(*store, "SELECT count(*) FROM codes") == kCount);
}

// QoS 1 redelivers what was in flight when the broker went down, so the watcher sees duplicates: wait for
// `stored` (distinct pushes), not stored + duplicates. (An earlier version waited on the sum and could stop
// the watcher before the last pushes had arrived: 984 of 1,000 under heavy load.)
TEST_CASE("mqtt ingest: a broker restarted mid-stream loses nothing") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    Watcher watcher(broker.url(), db, dir.file("mqtt"));
    Publisher pub(broker.url());
    constexpr int kCount = 1000;
    for (int i = 0; i < kCount; ++i) {
        if (i == kCount * 3 / 10) {
            REQUIRE(pub.flush());
            broker.restart();  // graceful: mosquitto saves sessions and queued messages
            INFO(broker.log());
            REQUIRE(broker.lastExitCode() == 0);  // not killed: its persistence file was written
        }
        REQUIRE(pub.publish(topicOf(kMachine), createPush(20000 + i, std::to_string(40000000 + i))));
    }
    REQUIRE(pub.flush());
    const bool all = waitFor([&] { return watcher.stats().stored >= kCount; }, 20000);
    watcher.stop();
    auto store = openStore(db);
    if (!all) {
        SQLite::Statement missing(store->db(),
                                  "WITH RECURSIVE n(i) AS (SELECT 20000 UNION ALL SELECT i + 1 FROM n WHERE i < 20999) "
                                  "SELECT group_concat(i, ' ') FROM n WHERE i NOT IN (SELECT code_id FROM push_events "
                                  "WHERE code_id IS NOT NULL)");
        missing.executeStep();
        FAIL("missing pushes: " << missing.getColumn(0).getString() << "\nbroker log:\n" << broker.log());
    }
    CHECK(scalar(*store, "SELECT count(DISTINCT code_id) FROM push_events") == kCount);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == kCount);  // redeliveries stored once
    CHECK(scalar(*store, "SELECT count(*) FROM codes") == kCount);
}

TEST_CASE("mqtt ingest: thousands of malformed, unsigned and bad-sign pushes are kept, never applied") {
    Mosquitto broker;
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    Watcher watcher(broker.url(), db, dir.file("mqtt"));
    Publisher pub(broker.url());
    const std::string topic = topicOf(kMachine);
    constexpr int kEach = 1000;
    for (int i = 0; i < kEach; ++i) {
        REQUIRE(pub.publish(topic, createPush(60000 + i, "1234" + std::to_string(1000 + i), 1893456000, 8 * 3600,
                                              kMachine, "bad-key")));
        std::string json = *core::util::base64Decode(createPush(70000 + i, "5678" + std::to_string(1000 + i)));
        json.erase(json.find(",\"sign\""), 42);
        REQUIRE(pub.publish(topic, core::util::base64Encode(json)));
        const std::string junk = i % 3 == 0   ? "not base64 at all " + std::to_string(i)
                                 : i % 3 == 1 ? core::util::base64Encode("{broken json " + std::to_string(i))
                                              : core::util::base64Encode("[1,2," + std::to_string(i) + "]");
        REQUIRE(pub.publish(topic, junk));
    }
    REQUIRE(pub.publish(topic, createPush(99999, "99999999")));  // one good push at the end
    REQUIRE(pub.flush());
    REQUIRE(waitFor([&] { return watcher.seen() >= 3 * kEach + 1; }, 15000));
    watcher.stop();
    auto store = openStore(db);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == 3 * kEach + 1);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'invalid'") == kEach);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'unsigned'") == kEach);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE verification = 'undecodable'") == kEach);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied <> 'no'") == 1);
    CHECK(scalar(*store, "SELECT count(*) FROM codes") == 1);
}

TEST_CASE("mqtt ingest: retention prunes raw events by count, never codes or pending events") {
    TempDir dir;
    const std::string db = dir.file("pickupdesk.db");
    auto store = openStore(db);
    for (int i = 0; i < 50; ++i) {
        core::net::RawPush push{topicOf(kMachine), createPush(1000 + i, std::to_string(50000000 + i)), 1, 1000 + i};
        auto msg = core::protocol::decodePush(push.payload, push.topic, kPushKey, core::sign::Encoding::Raw);
        REQUIRE(core::ingest::ingestOne(*store, push, msg).ok());
    }
    core::net::RawPush early{topicOf(kMachine), deletePush(777), 1, 2000};
    auto msg = core::protocol::decodePush(early.payload, early.topic, kPushKey, core::sign::Encoding::Raw);
    auto pending = core::ingest::ingestOne(*store, early, msg);
    REQUIRE(pending.ok());
    CHECK(pending->applied == core::store::Applied::Pending);

    core::store::PushRetention keep10;
    keep10.maxCount = 10;
    auto removed = core::store::prunePushEvents(*store, keep10, 5000);
    REQUIRE(removed.ok());
    CHECK(*removed == 41);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == 10);
    CHECK(scalar(*store, "SELECT count(*) FROM push_events WHERE applied = 'pending'") == 1);
    CHECK(scalar(*store, "SELECT count(*) FROM codes") == 50);

    core::store::PushRetention byAge;
    byAge.maxAgeMs = 100;
    REQUIRE(core::store::prunePushEvents(*store, byAge, 5000).ok());
    CHECK(scalar(*store, "SELECT count(*) FROM push_events") == 1);  // only the pending delete
}
