// Reading QoS 2 pushes back from Paho's file persistence (core/net/mqtt_recovery). The real files
// Paho writes are exercised by "fault: watch over MQTT 5 killed inside its commit" (fault_tests).
#include "core/net/mqtt_recovery.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace {

// A PUBLISH packet as it comes off the wire (and as Paho stores it).
std::string publishPacket(const std::string& topic, const std::string& payload, int qos, bool mqtt5) {
    std::string body;
    body.push_back(static_cast<char>(topic.size() >> 8));
    body.push_back(static_cast<char>(topic.size() & 0xff));
    body += topic;
    if (qos > 0) body += std::string("\x01\x2a", 2);  // packet id 298
    if (mqtt5) body += std::string("\x03\x01\x00\x00", 4);  // properties: 3 bytes (payload format 0, padding)
    body += payload;
    std::string packet(1, static_cast<char>(0x30 | (qos << 1)));
    std::size_t length = body.size();
    do {
        char digit = static_cast<char>(length % 128);
        length /= 128;
        if (length > 0) digit = static_cast<char>(digit | 0x80);
        packet.push_back(digit);
    } while (length > 0);
    return packet + body;
}

void write(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_CASE("parsePersistedPublish reads topic, QoS and payload of MQTT 3.1.1 and 5 packets") {
    const std::string payload(300, 'x');  // a two-byte remaining length
    auto v3 = core::net::parsePersistedPublish(publishPacket("/clients/20240601", payload, 2, false), false);
    REQUIRE(v3.has_value());
    CHECK(v3->topic == "/clients/20240601");
    CHECK(v3->payload == payload);
    CHECK(v3->qos == 2);
    auto v5 = core::net::parsePersistedPublish(publishPacket("/clients/1", "abc", 2, true), true);
    REQUIRE(v5.has_value());
    CHECK(v5->topic == "/clients/1");
    CHECK(v5->payload == "abc");
}

TEST_CASE("parsePersistedPublish refuses a cut-short or foreign file") {
    const std::string packet = publishPacket("/clients/1", "payload", 2, false);
    CHECK_FALSE(core::net::parsePersistedPublish(packet.substr(0, packet.size() - 1), false).has_value());
    CHECK_FALSE(core::net::parsePersistedPublish("", false).has_value());
    CHECK_FALSE(core::net::parsePersistedPublish(std::string("\x62\x02\x00\x01", 4), false).has_value());  // a PUBREL
    CHECK_FALSE(core::net::parsePersistedPublish(std::string("\x34\xff\xff\xff\xff", 5), false).has_value());
}

TEST_CASE("unfinishedQos2Pushes takes this client's r- and r5- files only") {
    testsupport::TempDir dir;
    write(dir.file("pickupdesk-abc-127.0.0.1-1883/r-298.msg"), publishPacket("/clients/1", "one", 2, false));
    write(dir.file("pickupdesk-abc-127.0.0.1-1883/r5-7.msg"), publishPacket("/clients/1", "two", 2, true));
    write(dir.file("pickupdesk-abc-127.0.0.1-1883/q-1.msg"), "queued entries are Paho's own");
    write(dir.file("pickupdesk-abc-127.0.0.1-1883/r-9.msg"), "cut");
    write(dir.file("pickupdesk-other-127.0.0.1-1883/r-1.msg"), publishPacket("/clients/1", "not ours", 2, false));
    const auto pushes = core::net::unfinishedQos2Pushes(dir.path(), "pickupdesk-abc");
    REQUIRE(pushes.size() == 2);
    std::set<std::string> payloads{pushes[0].payload, pushes[1].payload};
    CHECK(payloads == std::set<std::string>{"one", "two"});
    CHECK(core::net::unfinishedQos2Pushes(dir.file("missing"), "pickupdesk-abc").empty());
}
