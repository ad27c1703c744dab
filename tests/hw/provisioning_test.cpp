// ProvisioningService against the simulator over loopback, and provisioning files.
#include "hw/board/framed_driver.hpp"
#include "hw/services/connect.hpp"
#include "hw/services/provisioning.hpp"
#include "hw/sim/board_sim.hpp"
#include "hw/sim/loopback_transport.hpp"

#include <doctest/doctest.h>

using namespace hw::board;
using namespace hw::services;

namespace {

constexpr const char* kFile = R"({
  "config": {"machine_no": "20240601", "server_host": "iot.awish.vip", "server_port": 8443,
             "mqtt_password": "s3cret", "tls": true},
  "channels": [{"addr": 1, "slot": 0, "type": "belt", "drop_check": true, "lift": true},
               {"addr": 1, "slot": 11, "type": "elock", "enabled": false}]
})";

struct Rig {
    Rig() : board(BoardModel::W50x, clock), link(board, clock), driver(link, clock), service(driver) {}
    hw::FakeClock clock;
    hw::sim::BoardSim board;
    hw::sim::LoopbackTransport link;
    FramedDriver driver;
    ProvisioningService service;
};

}  // namespace

TEST_CASE("provisioning files parse, round-trip and refuse bad values with the reason") {
    auto p = parseProvisioning(kFile);
    REQUIRE(p.ok());
    CHECK(p->config.machineNo == "20240601");
    CHECK(p->config.serverPort == 8443);
    CHECK_FALSE(p->config.mqttHost);
    REQUIRE(p->channels.size() == 2);
    CHECK(p->channels[0].type == SlotType::Belt);
    CHECK(p->channels[1].enabled == false);
    auto again = parseProvisioning(provisioningJson(*p));
    REQUIRE(again.ok());
    CHECK(again->config == p->config);
    CHECK(again->channels == p->channels);

    auto check = [](const char* text, const char* reason) {
        auto bad = parseProvisioning(text);
        REQUIRE_FALSE(bad.ok());
        CHECK(bad.error().message == std::string("Provisioning file not valid: ") + reason + ". Fix the file and retry.");
    };
    check("[]", "it is not a JSON object");
    check(R"({"config": {"colour": "red"}})", "unknown setting \"colour\"");
    check(R"({"config": {"server_port": 70000}})", "server_port must be a port number 1-65535");
    check(R"({"config": {"server_port": 4294967739}})", "server_port must be a port number 1-65535");  // 2^32 + 443
    check(R"({"config": {"machine_no": "12345678901234567"}})", "machine number is longer than 16 bytes");
    check(R"({"channels": [{"addr": 9, "slot": 1}]})", "channel addr must be 1-8");
    check(R"({"channels": [{"slot": 100}]})", "channel slot must be 0-99 (row*10 + col)");
    check(R"({"channels": [{"slot": 1, "type": "chute"}]})", "channel type must be spring, elock or belt");
}

TEST_CASE("apply writes, commits, re-reads and verifies; the diff masks the password") {
    Rig rig;
    auto p = parseProvisioning(kFile);
    REQUIRE(p.ok());
    auto report = rig.service.apply(*p);
    REQUIRE(report.ok());
    CHECK(report->verified());
    CHECK(report->channelsWritten == 2);
    REQUIRE(report->changes.size() == 4);  // tls is already on
    CHECK(report->changes[0].key == "machine_no");
    CHECK(report->changes[0].from == "0");
    CHECK(report->changes[0].to == "20240601");
    CHECK(report->changes[3].key == "mqtt_password");
    CHECK(report->changes[3].to == "***");
    CHECK(rig.board.storedConfig().mqttPassword == "s3cret");
    CHECK(rig.board.channel(1, 0).type == SlotType::Belt);
    CHECK(rig.board.channel(1, 11).enabled == false);

    auto snap = rig.service.read();
    REQUIRE(snap.ok());
    CHECK(snap->identity.model == BoardModel::W50x);
    CHECK(snap->config.machineNo == "20240601");
    CHECK(snap->channels.size() == 32);

    auto second = rig.service.apply(*p);  // applying again changes nothing
    REQUIRE(second.ok());
    CHECK(second->changes.empty());
}

TEST_CASE("apply stops with the board's reason when a channel does not exist") {
    Rig rig;
    Provisioning p;
    p.channels.push_back({1, 40, SlotType::Spring, true, false, false, Fault::None});  // 32-channel board
    auto report = rig.service.apply(p);
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().vendorMessage == "BAD_ARG");
}

TEST_CASE("connect opens the in-process simulator and refuses bad targets") {
    auto sim = connect("sim:M2301");
    REQUIRE(sim.ok());
    CHECK((*sim)->driver().identify()->channels == 100);
    CHECK((*sim)->describe() == "loopback simulator");
    auto badModel = connect("sim:X9");
    REQUIRE_FALSE(badModel.ok());
    CHECK(badModel.error().code == core::ErrorCode::InvalidInput);
    auto badUsb = connect("usb:xyz");
    REQUIRE_FALSE(badUsb.ok());
    CHECK(badUsb.error().message.find("usb:VID:PID") != std::string::npos);
}
