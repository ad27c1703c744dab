#include "hw/board/payloads.hpp"

#include "tests/hw/hex.hpp"

#include <doctest/doctest.h>

using namespace hw::board;
using hwtest::hex;
using hwtest::toHex;

TEST_CASE("payload golden vectors from docs/board-protocol.md") {
    const Identity id{1, BoardModel::W50x, 32, 1, 2, 3, "SIM0001"};
    CHECK(toHex(responsePayload(BoardStatus::Ok, encodeIdentityBody(id))) ==
          "00 01 01 20 00 01 02 03 07 53 49 4D 30 30 30 31");
    CHECK(decodeIdentityBody(hex("01 01 20 00 01 02 03 07 53 49 4D 30 30 30 31")) == id);
    CHECK(id.firmware() == "1.2.3");

    const DispenseRequest q{7, 1, 23, SlotType::Spring, true, false};
    CHECK(toHex(encodeDispense(q)) == "07 00 00 00 01 17 01 01");
    CHECK(decodeDispense(hex("07 00 00 00 01 17 01 01")) == q);

    const DispenseStatus s{7, DispenseState::Fault, Fault::GoodsStuck, DropSensor::NotChecked, 24000};
    CHECK(toHex(encodeDispenseStatusBody(s)) == "07 00 00 00 03 02 FF C0 5D 00 00");
    CHECK(decodeDispenseStatusBody(hex("07 00 00 00 03 02 FF C0 5D 00 00")) == s);

    BoardConfig c;
    c.machineNo = "20240601";
    c.serverPort = 443;
    CHECK(toHex(encodeConfig(c)) == "01 08 32 30 32 34 30 36 30 31 03 02 BB 01");
    CHECK(decodeConfig(hex("01 08 32 30 32 34 30 36 30 31 03 02 BB 01")) == c);

    CHECK(toHex(encodeChannelRange({1, 0, 2})) == "01 00 02");
    const std::vector<ChannelInfo> chans{{1, 0, SlotType::Spring, true, true, false, Fault::None},
                                         {1, 1, SlotType::Belt, true, false, true, Fault::GoodsStuck}};
    CHECK(toHex(encodeChannelsBody({1, 0, 2}, chans)) == "01 00 02 01 03 00 03 05 02");
    CHECK(decodeChannelsBody(hex("01 00 02 01 03 00 03 05 02")) == chans);

    CHECK(toHex(encodeClearFault({1, kAllSlots})) == "01 FF");
    CHECK(toHex(encodePingBody({1000, 0})) == "E8 03 00 00 00");
}

TEST_CASE("decoders refuse short, long and out-of-range payloads") {
    CHECK_FALSE(decodeDispense(hex("07 00 00 00 01 17 01")));        // one byte short
    CHECK_FALSE(decodeDispense(hex("07 00 00 00 01 17 01 01 00")));  // one byte long
    CHECK_FALSE(decodeDispense(hex("07 00 00 00 01 17 04 01")));     // type 4 does not exist
    CHECK_FALSE(decodeDispenseStatusBody(hex("07 00 00 00 04 00 FF 00 00 00 00")));  // state 4
    CHECK_FALSE(decodeDispenseStatusBody(hex("07 00 00 00 03 0A FF 00 00 00 00")));  // fault 10
    CHECK_FALSE(decodeConfig(hex("0A 01 00")));        // unknown tag
    CHECK_FALSE(decodeConfig(hex("03 01 BB")));        // port with one byte
    CHECK_FALSE(decodeConfig(hex("01 05 41 42")));     // string shorter than its length
    CHECK_FALSE(decodeChannelsBody(hex("01 00 02 01 03 00")));  // count 2, one entry
    CHECK_FALSE(decodeIdentityBody(hex("01 01 20 00 01 02 03 07 53")));
}

TEST_CASE("config round trip with every key, validation and CRC") {
    BoardConfig c;
    c.machineNo = "M-1";
    c.serverHost = "iot.awish.vip";
    c.serverPort = 8443;
    c.mqttHost = "mqtt.awish.vip";
    c.mqttPort = 8883;
    c.mqttUser = "dev";
    c.mqttPassword = "pw";
    c.mqttTopic = "vend/M-1";
    c.tls = false;
    CHECK(decodeConfig(encodeConfig(c)) == c);
    CHECK(validateConfig(c).empty());
    CHECK(configCrc(c) != configCrc(BoardConfig{}));
    c.machineNo = std::string(17, '9');
    CHECK(validateConfig(c) == "machine number is longer than 16 bytes");
    c.machineNo = "1";
    c.serverPort = 0;
    CHECK(validateConfig(c) == "server port 0 is not valid");
}

TEST_CASE("names for commands, faults, models and slot types") {
    CHECK(std::string(cmdName(0xA0)) == "DISPENSE");
    CHECK(std::string(faultName(Fault::SlaveCommError)) == "SLAVE_COMM_ERROR");
    CHECK(std::string(faultText(Fault::GoodsStuck)).rfind("Goods are Stuck", 0) == 0);
    CHECK(std::string(faultText(Fault::MotorShort)).rfind("VerMo short", 0) == 0);
    CHECK(std::string(faultText(Fault::LiftFault)).rfind("Lift Goods", 0) == 0);
    CHECK(parseModel("elock24p") == BoardModel::ELock24P);
    CHECK(modelChannels(BoardModel::M2301) == 100);
    CHECK(parseSlotType("e-lock") == SlotType::ELock);
    CHECK_FALSE(parseSlotType("chute"));
}
