// core/store/push_store: the push event filters (each field alone and combined, counts, order and
// limit) on a real SQLite file, and the query plans the push console depends on.
#include "core/store/push_store.hpp"
#include "tests/core/store_fixture.hpp"

#include <doctest/doctest.h>

using namespace storetest;
using core::store::Applied;
using core::store::PushEvent;
using core::store::PushEventFilter;

namespace {

PushEvent event(std::int64_t receivedMs, const std::string& machine, const std::string& method,
                const std::string& verification, Applied applied) {
    PushEvent e;
    e.receivedMs = receivedMs;
    e.topic = "/clients/" + machine;
    e.payload = "payload-" + std::to_string(receivedMs);
    e.verification = verification;
    e.method = method;
    e.machineNo = machine;
    e.applied = applied;
    return e;
}

std::vector<std::int64_t> ids(Store& store, const PushEventFilter& filter) {
    auto events = core::store::queryPushEvents(store, filter);
    REQUIRE_MESSAGE(events.ok(), (events.ok() ? "" : events.error().message));
    std::vector<std::int64_t> out;
    for (const auto& e : *events) out.push_back(e.id);
    return out;
}

std::int64_t count(Store& store, const PushEventFilter& filter) {
    auto n = core::store::countPushEvents(store, filter);
    REQUIRE(n.ok());
    return *n;
}

bool planHas(Store& store, const PushEventFilter& filter, const std::string& text) {
    auto plan = core::store::explainPushEventQuery(store, filter);
    REQUIRE(plan.ok());
    std::string all;
    for (const auto& line : *plan) all += line + "\n";
    INFO(all);
    return all.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE("push events: every filter field alone and combined, counts, newest first and limits") {
    TempDir dir;
    auto store = openStore(dir.file("pushes.db"));
    const std::vector<PushEvent> events = {
        event(1000, "M1", "client.pickup_codes.create", "valid", Applied::Yes),       // id 1
        event(2000, "M2", "client.pickup_codes.create", "invalid", Applied::No),      // id 2
        event(3000, "M1", "client.pickup_codes.delete", "valid", Applied::Pending),   // id 3
        event(4000, "M1", "client.pickup_codes.create", "unsigned", Applied::No),     // id 4
        event(5000, "M2", "client.pickup_codes.put", "undecodable", Applied::No),     // id 5
        event(6000, "M1", "client.pickup_codes.create", "valid", Applied::Yes),       // id 6
    };
    for (const auto& e : events) REQUIRE(core::store::insertPushEvent(*store, e).ok());

    PushEventFilter all;
    CHECK(ids(*store, all) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6});
    CHECK(count(*store, all) == 6);

    PushEventFilter machine;
    machine.machineNo = "M2";
    CHECK(ids(*store, machine) == std::vector<std::int64_t>{2, 5});
    CHECK(count(*store, machine) == 2);

    PushEventFilter method;
    method.method = "client.pickup_codes.create";
    CHECK(ids(*store, method) == std::vector<std::int64_t>{1, 2, 4, 6});

    PushEventFilter since;
    since.sinceMs = 4000;
    CHECK(ids(*store, since) == std::vector<std::int64_t>{4, 5, 6});

    PushEventFilter after;
    after.afterId = 4;
    CHECK(ids(*store, after) == std::vector<std::int64_t>{5, 6});
    CHECK(count(*store, after) == 2);

    PushEventFilter notValid;
    notValid.notValidOnly = true;
    CHECK(ids(*store, notValid) == std::vector<std::int64_t>{2, 4, 5});

    PushEventFilter applied;
    applied.applied = Applied::Pending;
    CHECK(ids(*store, applied) == std::vector<std::int64_t>{3});

    PushEventFilter combined;
    combined.machineNo = "M1";
    combined.method = "client.pickup_codes.create";
    combined.afterId = 1;
    combined.applied = Applied::No;
    combined.notValidOnly = true;
    combined.sinceMs = 2000;
    CHECK(ids(*store, combined) == std::vector<std::int64_t>{4});
    CHECK(count(*store, combined) == 1);

    PushEventFilter newest;
    newest.machineNo = "M1";
    newest.newestFirst = true;
    newest.limit = 2;
    CHECK(ids(*store, newest) == std::vector<std::int64_t>{6, 4});
}

TEST_CASE("push events: the console's queries use the id range and the machine index, not a table scan") {
    TempDir dir;
    auto store = openStore(dir.file("pushes.db"));
    PushEventFilter after;  // "what is new since the last row I have" (the push console, every arrival)
    after.afterId = 100;
    after.limit = 500;
    CHECK(planHas(*store, after, "INTEGER PRIMARY KEY (rowid>?)"));
    CHECK_FALSE(planHas(*store, after, "SCAN push_events"));

    PushEventFilter lastOfMachine;  // the machine's last push time (machines panel)
    lastOfMachine.machineNo = "M1";
    lastOfMachine.newestFirst = true;
    lastOfMachine.limit = 1;
    CHECK(planHas(*store, lastOfMachine, "idx_push_events_machine (machine_no=?)"));
}
