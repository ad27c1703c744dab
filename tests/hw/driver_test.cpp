// FramedDriver against the simulator over the loopback transport, with a fake clock.
#include "hw/board/framed_driver.hpp"
#include "hw/board/payloads.hpp"
#include "hw/sim/board_sim.hpp"
#include "hw/sim/loopback_transport.hpp"

#include <doctest/doctest.h>

using namespace hw::board;
using hw::FakeClock;
using hw::Millis;
using hw::sim::BoardSim;
using hw::sim::LoopbackTransport;
using hw::transport::LinkError;
using hw::transport::linkErrorOf;

namespace {

struct Rig {
    explicit Rig(BoardModel model = BoardModel::W50x, int cabinets = 1)
        : board(model, clock, "SIM0001", cabinets), link(board, clock), driver(link, clock) {
        REQUIRE(driver.identify().ok());  // opens the session, so frame counts below start clean
    }
    FakeClock clock;
    BoardSim board;
    LoopbackTransport link;
    FramedDriver driver;
};

}  // namespace

TEST_CASE("identify reports model, channels, firmware and serial for every model") {
    for (auto [model, channels] : {std::pair{BoardModel::W50x, 32}, {BoardModel::ELock24P, 24}, {BoardModel::M2301, 100}}) {
        Rig rig(model);
        CHECK(rig.driver.lastSeq() == 1);
        auto id = rig.driver.identify();
        REQUIRE(id.ok());
        CHECK(id->model == model);
        CHECK(id->channels == channels);
        CHECK(id->firmware() == "1.2.3");
        CHECK(id->serial == "SIM0001");
    }
}

TEST_CASE("config: set is staged, commit persists, reset drops uncommitted changes, CRC verifies") {
    Rig rig;
    BoardConfig change;
    change.machineNo = "20240601";
    change.mqttPassword = "s3cret";
    REQUIRE(rig.driver.setConfig(change).ok());
    auto staged = rig.driver.getConfig();
    REQUIRE(staged.ok());
    CHECK(staged->machineNo == "20240601");
    CHECK(rig.board.storedConfig().machineNo == "0");
    auto crc = rig.driver.commitConfig();
    REQUIRE(crc.ok());
    CHECK(*crc == configCrc(rig.board.storedConfig()));
    CHECK(*crc == configCrc(*rig.driver.getConfig()));

    BoardConfig later;
    later.machineNo = "99";
    REQUIRE(rig.driver.setConfig(later).ok());
    REQUIRE(rig.driver.reset().ok());
    CHECK(rig.driver.getConfig()->machineNo == "20240601");

    BoardConfig tooLong;
    tooLong.serverHost = std::string(41, 'h');
    auto bad = rig.driver.setConfig(tooLong);
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == core::ErrorCode::InvalidInput);
    CHECK(bad.error().message.find("server host is longer than 40 bytes") != std::string::npos);
}

TEST_CASE("the frame log masks the MQTT password") {
    Rig rig;
    std::vector<FrameLogEntry> log;
    rig.driver.setObserver([&](const FrameLogEntry& e) { log.push_back(e); });
    BoardConfig change;
    change.mqttPassword = "s3cret";
    REQUIRE(rig.driver.setConfig(change).ok());
    REQUIRE(rig.driver.getConfig().ok());
    REQUIRE(log.size() == 4);
    for (const auto& e : log) {
        const std::string wire(e.wire.begin(), e.wire.end());
        CHECK(wire.find("s3cret") == std::string::npos);
    }
    CHECK(std::string(log[0].wire.begin(), log[0].wire.end()).find("******") != std::string::npos);
    CHECK(log[0].outgoing);
    CHECK_FALSE(log[1].outgoing);
}

TEST_CASE("channels: read 100 in chunks, set one, out of range is refused") {
    Rig rig(BoardModel::M2301, 2);
    auto all = rig.driver.readChannels(2, 0, 100);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 100);
    CHECK((*all)[99].slot == 99);
    CHECK((*all)[99].addr == 2);
    REQUIRE(rig.driver.setChannel({1, 42, SlotType::Belt, true, true, true, Fault::None}).ok());
    auto one = rig.driver.readChannels(1, 42, 1);
    REQUIRE(one.ok());
    CHECK((*one)[0].type == SlotType::Belt);
    CHECK((*one)[0].dropCheck);
    CHECK((*one)[0].lift);
    auto bad = rig.driver.readChannels(3, 0, 1);  // cabinet 3 is absent
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == core::ErrorCode::Vendor);
    CHECK(bad.error().vendorMessage == "BAD_ARG");
}

TEST_CASE("a lost DISPENSE answer is retried with the same SEQ and replayed, never vended twice") {
    Rig rig;
    rig.link.faults().dropResponses = 1;
    std::vector<FrameLogEntry> log;
    rig.driver.setObserver([&](const FrameLogEntry& e) { log.push_back(e); });
    auto ack = rig.driver.dispense({1001, 1, 5, SlotType::Spring, false, false});
    REQUIRE(ack.ok());
    CHECK(ack->accepted);
    CHECK(rig.board.dispensesExecuted() == 1);
    CHECK(rig.board.replays() == 1);
    REQUIRE(log.size() == 3);  // request, resend (attempt 2), answer
    CHECK(log[0].frame.seq == log[1].frame.seq);
    CHECK(log[1].attempt == 2);
    CHECK(log[2].latency == Millis(500));
}

TEST_CASE("corrupt answers, garbage, split reads and late duplicates are survived") {
    Rig rig;
    rig.link.faults().corruptResponses = 1;
    rig.link.faults().garbageBefore = {0x00, 0xA5, 0xFF, 0x5A};
    rig.link.faults().readChunk = 3;
    rig.link.faults().duplicateResponses = true;
    for (int i = 0; i < 5; ++i) REQUIRE(rig.driver.ping().ok());
    CHECK(rig.driver.decoderStats().badCrc == 2);  // the corrupt answer arrived twice (duplicates on)
    CHECK(rig.driver.decoderStats().frames >= 9);  // 4 good pings answered twice + 1 duplicate of the replay
    CHECK(rig.driver.identify()->channels == 32);
}

TEST_CASE("a slow answer to the first try is ignored as stale once the resend's answer arrives") {
    Rig rig;
    rig.link.faults().responseDelay = Millis(700);  // longer than one 500 ms try
    auto ping = rig.driver.ping();
    REQUIRE(ping.ok());
    REQUIRE(rig.driver.ping().ok());  // the earlier duplicate answer is skipped by SEQ
}

TEST_CASE("no answer at all: a plain timeout for queries, OUTCOME UNKNOWN for a dispense") {
    Rig rig;
    rig.link.faults().dropResponses = 100;
    const auto start = rig.clock.now();
    auto ping = rig.driver.ping();
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Timeout);
    CHECK(ping.error().message.find("did not answer PING after 3 tries") != std::string::npos);
    CHECK(rig.clock.now() - start == Millis(1500));
    auto ack = rig.driver.dispense({7, 1, 1, SlotType::Spring, false, false});
    REQUIRE_FALSE(ack.ok());
    CHECK(ack.error().code == core::ErrorCode::OutcomeUnknown);
    CHECK(rig.board.dispensesExecuted() == 1);
}

TEST_CASE("unplugged: disconnected for queries, OUTCOME UNKNOWN when it happens during a dispense") {
    Rig rig;
    rig.link.faults().unplugOnDispense = true;
    auto ack = rig.driver.dispense({8, 1, 2, SlotType::Spring, false, false});
    REQUIRE_FALSE(ack.ok());
    CHECK(ack.error().code == core::ErrorCode::OutcomeUnknown);
    CHECK(ack.error().message.find("Check the slot") != std::string::npos);
    auto ping = rig.driver.ping();
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Disconnected);
    CHECK(ping.error().message.find("unplugged") != std::string::npos);
}

TEST_CASE("board status errors say what to do") {
    const auto e = boardStatusError(Cmd::CommitConfig, BoardStatus::Busy);
    CHECK(e.code == core::ErrorCode::Vendor);
    CHECK(e.vendorCode == 5);
    CHECK(e.message == "Board refused COMMIT_CONFIG (BUSY): the board is busy with a dispense: wait until it finishes, then retry.");
}

TEST_CASE("a new session (HELLO) is never answered from the previous session's replay cache") {
    hw::FakeClock clock;
    BoardSim board(BoardModel::W50x, clock);
    LoopbackTransport link(board, clock);
    BoardConfig change;
    change.machineNo = "42";
    {
        FramedDriver first(link, clock);
        REQUIRE(first.getConfig().ok());  // HELLO is SEQ 1, GET_CONFIG is SEQ 2
        REQUIRE(first.setConfig(change).ok());
        REQUIRE(first.commitConfig().ok());
    }
    FramedDriver second(link, clock);  // a new process starts at SEQ 1 again
    auto config = second.getConfig();
    REQUIRE(config.ok());
    CHECK(config->machineNo == "42");
    CHECK(board.replays() == 0);
}

TEST_CASE("the first command of a session sends HELLO first; a failed HELLO is not an unknown dispense") {
    hw::FakeClock clock;
    BoardSim board(BoardModel::W50x, clock);
    LoopbackTransport link(board, clock);
    FramedDriver driver(link, clock);
    std::vector<std::string> cmds;
    driver.setObserver([&](const FrameLogEntry& e) { cmds.push_back(cmdName(e.frame.cmd)); });
    REQUIRE(driver.ping().ok());
    CHECK(cmds == std::vector<std::string>{"HELLO", "HELLO", "PING", "PING"});

    FramedDriver fresh(link, clock);
    link.faults().dropResponses = 3;
    auto ack = fresh.dispense({9, 1, 1, SlotType::Spring, false, false});
    REQUIRE_FALSE(ack.ok());
    CHECK(ack.error().code == core::ErrorCode::Timeout);
    CHECK(board.dispensesExecuted() == 0);
}
