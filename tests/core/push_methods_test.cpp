// The MQTT method table of vendor-protocol.md §4 (core/protocol/push_methods).
#include "core/protocol/push_methods.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using core::protocol::Direction;

TEST_CASE("push methods: every method of §4 has a direction and labels in English and Chinese") {
    const auto& methods = core::protocol::allMethods();
    int down = 0, up = 0;
    std::set<std::string> names;
    for (const auto& m : methods) {
        CAPTURE(m.method);
        CHECK(std::string(m.method).rfind("client.", 0) == 0);
        CHECK(std::string(m.en).size() > 3);
        CHECK(std::string(m.zh).size() >= 6);  // at least two CJK characters in UTF-8
        CHECK(m.direction != Direction::Unknown);
        CHECK(names.insert(m.method).second);  // no duplicates
        CHECK(core::protocol::findMethod(m.method) == &m);
        (m.direction == Direction::ServerToDevice ? down : up) += 1;
    }
    // §4 lists 17 server->device names (invalidate and its successor refresh) and 13 device->server.
    CHECK(down == 17);
    CHECK(up == 13);
    CHECK(methods.size() == 30);
}

TEST_CASE("push methods: labels and directions of the pickup-code and channel methods") {
    const auto* create = core::protocol::findMethod("client.pickup_codes.create");
    REQUIRE(create != nullptr);
    CHECK(std::string(create->en) == "Pickup codes created");
    CHECK(std::string(create->zh) == "取货码生成");
    CHECK(create->direction == Direction::ServerToDevice);
    const auto* heartbeat = core::protocol::findMethod("client.heartbeat");
    REQUIRE(heartbeat != nullptr);
    CHECK(std::string(heartbeat->en) == "Heartbeat");
    CHECK(std::string(heartbeat->zh) == "心跳");
    CHECK(heartbeat->direction == Direction::DeviceToServer);
    CHECK(core::protocol::findMethod("client.pickup_codes.delete")->direction == Direction::ServerToDevice);
    CHECK(core::protocol::findMethod("client.pickup_codes.put")->direction == Direction::DeviceToServer);
    CHECK(core::protocol::findMethod("client.channel.status.put")->direction == Direction::DeviceToServer);
    CHECK(core::protocol::findMethod("client.channel.fault.clear")->direction == Direction::ServerToDevice);
    CHECK(core::protocol::findMethod("client.machine.refresh") != nullptr);
    CHECK(core::protocol::findMethod("client.traffic.put") != nullptr);
    CHECK(core::protocol::findMethod("android.shutdown") == nullptr);
    CHECK(core::protocol::findMethod("") == nullptr);
    CHECK(std::string(core::protocol::directionName(Direction::DeviceToServer)) == "device_to_server");
}
