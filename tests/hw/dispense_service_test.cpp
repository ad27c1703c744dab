// DispenseService against the simulator over loopback with a fake clock: every fault, the deadlines
// (a 90 s belt timeout in milliseconds of real time), outcome unknown, sweeps and the CSV report.
#include "hw/board/framed_driver.hpp"
#include "hw/services/dispense_service.hpp"
#include "hw/sim/board_sim.hpp"
#include "hw/sim/loopback_transport.hpp"

#include <doctest/doctest.h>

#include <chrono>

using namespace hw::board;
using namespace hw::services;
using hw::FakeClock;
using hw::Millis;
using hw::sim::BoardSim;
using hw::sim::LoopbackTransport;
using hw::sim::SlotFault;

namespace {

struct Rig {
    Rig() : board(BoardModel::W50x, clock), link(board, clock), driver(link, clock), service(driver, clock) {
        REQUIRE(driver.identify().ok());
    }
    FakeClock clock;
    BoardSim board;
    LoopbackTransport link;
    FramedDriver driver;
    DispenseService service;

    DispenseReport run(std::uint8_t slot, SlotType type = SlotType::Spring, bool drop = false, bool lift = false) {
        auto r = service.dispense({1, slot, type, drop, lift});
        REQUIRE(r.ok());
        return *r;
    }
};

}  // namespace

TEST_CASE("deadlines per type follow vendor §8 and the 120 s cap") {
    const DispenseOptions o;
    CHECK(dispenseDeadline(SlotType::ELock, false, o) == Millis(15'000));
    CHECK(dispenseDeadline(SlotType::Spring, false, o) == Millis(30'000));
    CHECK(dispenseDeadline(SlotType::Belt, false, o) == Millis(90'000));
    CHECK(dispenseDeadline(SlotType::Spring, true, o) == Millis(90'000));
    DispenseOptions capped;
    capped.overallCap = Millis(60'000);
    CHECK(dispenseDeadline(SlotType::Belt, false, capped) == Millis(60'000));
}

TEST_CASE("a good slot vends; drop check confirms; the time follows the motor") {
    Rig rig;
    auto r = rig.run(5, SlotType::Spring, true);
    CHECK(r.result == DispenseResult::Success);
    CHECK(r.drop == DropSensor::Detected);
    CHECK(r.duration >= Millis(2000));
    CHECK(r.duration < Millis(2600));
    CHECK(rig.board.dispensesExecuted() == 1);
    auto belt = rig.run(6, SlotType::Belt);
    CHECK(belt.result == DispenseResult::Success);
    CHECK(belt.duration >= Millis(6000));
}

TEST_CASE("every slot fault ends with its reason") {
    struct Case {
        SlotFault plan;
        SlotType type;
        bool drop, lift;
        DispenseResult result;
        Fault fault;
    };
    const Case cases[] = {
        {SlotFault::Stuck, SlotType::Spring, false, false, DispenseResult::Fault, Fault::GoodsStuck},
        {SlotFault::DropNotDetected, SlotType::Spring, true, false, DispenseResult::Fault, Fault::DropNotDetected},
        {SlotFault::DropNotDetected, SlotType::Spring, false, false, DispenseResult::Success, Fault::None},
        {SlotFault::SlotInvalid, SlotType::Spring, false, false, DispenseResult::Refused, Fault::SlotInvalid},
        {SlotFault::CommError, SlotType::Spring, false, false, DispenseResult::Fault, Fault::SlaveCommError},
        {SlotFault::Lift, SlotType::Belt, false, true, DispenseResult::Fault, Fault::LiftFault},
        {SlotFault::MotorShort, SlotType::Spring, false, false, DispenseResult::Fault, Fault::MotorShort},
        {SlotFault::LockNotOpened, SlotType::ELock, false, false, DispenseResult::Fault, Fault::LockNotOpened},
        {SlotFault::PowerFault, SlotType::Spring, false, false, DispenseResult::Fault, Fault::PowerFault},
        {SlotFault::Busy, SlotType::Spring, false, false, DispenseResult::Refused, Fault::BoardBusy},
    };
    for (const auto& c : cases) {
        CAPTURE(hw::sim::slotFaultName(c.plan));
        Rig rig;
        rig.board.plan(1, 3, {c.plan, Millis(0)});
        auto r = rig.run(3, c.type, c.drop, c.lift);
        CHECK(r.result == c.result);
        CHECK(r.fault == c.fault);
        CHECK_FALSE(r.message.empty());
        if (c.result == DispenseResult::Fault) CHECK(rig.board.channel(1, 3).lastFault == c.fault);
    }
}

TEST_CASE("a stuck belt reports GOODS_STUCK before the 90 s deadline, in little real time") {
    Rig rig;
    rig.board.plan(1, 8, {SlotFault::Stuck, Millis(0)});
    const auto realStart = std::chrono::steady_clock::now();
    auto r = rig.run(8, SlotType::Belt);
    CHECK(r.result == DispenseResult::Fault);
    CHECK(r.fault == Fault::GoodsStuck);
    CHECK(r.duration >= Millis(72'000));
    CHECK(r.duration < Millis(90'000));
    CHECK(std::chrono::steady_clock::now() - realStart < std::chrono::seconds(2));
    CHECK(r.message.rfind("Goods are Stuck", 0) == 0);
    REQUIRE(rig.driver.clearFault(1, 8).ok());
    CHECK(rig.board.channel(1, 8).lastFault == Fault::None);
}

TEST_CASE("a dispense still busy at the deadline is OUTCOME UNKNOWN, not retried") {
    for (auto [type, deadline] : {std::pair{SlotType::ELock, 15'000}, {SlotType::Spring, 30'000}, {SlotType::Belt, 90'000}}) {
        Rig rig;
        rig.board.plan(1, 2, {SlotFault::Hang, Millis(0)});
        auto r = rig.run(2, type);
        CHECK(r.result == DispenseResult::Unknown);
        CHECK(r.duration == Millis(deadline));
        CHECK(r.message.rfind("OUTCOME UNKNOWN", 0) == 0);
        CHECK(rig.board.dispensesExecuted() == 1);
    }
}

TEST_CASE("slow slot: success just inside the deadline, unknown just outside") {
    Rig rig;
    rig.board.plan(1, 1, {SlotFault::Slow, Millis(14'000)});
    CHECK(rig.run(1, SlotType::ELock).result == DispenseResult::Success);
    rig.board.plan(1, 2, {SlotFault::Slow, Millis(16'000)});
    CHECK(rig.run(2, SlotType::ELock).result == DispenseResult::Unknown);
}

TEST_CASE("unplug mid-dispense is OUTCOME UNKNOWN; lost DISPENSE answer likewise; no second vend") {
    Rig rig;
    rig.link.faults().unplugOnDispense = true;
    auto r = rig.run(4);
    CHECK(r.result == DispenseResult::Unknown);
    CHECK(rig.board.dispensesExecuted() == 1);

    Rig quiet;
    quiet.link.faults().dropResponses = 3;  // all three tries of DISPENSE lose their answer
    auto q = quiet.run(4);
    CHECK(q.result == DispenseResult::Unknown);
    CHECK(quiet.board.dispensesExecuted() == 1);
}

TEST_CASE("unplug while polling is OUTCOME UNKNOWN") {
    Rig rig;
    std::atomic<int> polls{0};
    auto r = rig.service.dispense({1, 9, SlotType::Spring, false, false}, nullptr, [&](const DispenseStatus&) {
        if (++polls == 2) rig.link.unplug();
    });
    REQUIRE(r.ok());
    CHECK(r->result == DispenseResult::Unknown);
    CHECK(r->message.find("contact with the board was lost") != std::string::npos);
}

TEST_CASE("cancel stops polling and says the board may still vend") {
    Rig rig;
    std::atomic<bool> cancel{false};
    auto r = rig.service.dispense({1, 9, SlotType::Belt, false, false}, &cancel, [&](const DispenseStatus&) { cancel = true; });
    REQUIRE(r.ok());
    CHECK(r->result == DispenseResult::Unknown);
    CHECK(r->message.find("you stopped waiting") != std::string::npos);
    CHECK(r->message.find("may still vend") != std::string::npos);
}

TEST_CASE("sweep runs every slot, reports each reason, and writes CSV") {
    Rig rig;
    rig.board.plan(1, 1, {SlotFault::Stuck, Millis(0)});
    rig.board.plan(1, 2, {SlotFault::SlotInvalid, Millis(0)});
    rig.board.plan(1, 3, {SlotFault::DropNotDetected, Millis(0)});
    std::vector<SlotRequest> slots;
    for (std::uint8_t s = 0; s < 6; ++s) slots.push_back({1, s, SlotType::Spring, true, false});
    int seen = 0;
    auto report = rig.service.sweep(slots, nullptr, [&](const DispenseReport&) { ++seen; });
    CHECK(seen == 6);
    REQUIRE(report.items.size() == 6);
    CHECK_FALSE(report.stopped);
    CHECK(report.count(DispenseResult::Success) == 3);
    CHECK(report.items[1].fault == Fault::GoodsStuck);
    CHECK(report.items[2].result == DispenseResult::Refused);
    CHECK(report.items[3].fault == Fault::DropNotDetected);
    const auto csv = sweepCsv(report);
    CHECK(csv.rfind("addr,slot,type,drop_check,lift,result,fault,drop_sensor,duration_ms,message\n", 0) == 0);
    CHECK(csv.find("1,1,spring,1,0,fault,GOODS_STUCK,not-detected,24000,") != std::string::npos);
    CHECK(csv.find("1,2,spring,1,0,refused,SLOT_INVALID,not-checked,0,") != std::string::npos);
}

TEST_CASE("sweep stops after an unknown outcome and when cancelled") {
    Rig rig;
    rig.board.plan(1, 1, {SlotFault::Hang, Millis(0)});
    std::vector<SlotRequest> slots{{1, 0}, {1, 1}, {1, 2}, {1, 3}};
    auto report = rig.service.sweep(slots);
    CHECK(report.stopped);
    CHECK(report.items[1].result == DispenseResult::Unknown);
    CHECK(report.items[2].result == DispenseResult::NotRun);
    CHECK(report.items[3].result == DispenseResult::NotRun);
    CHECK(rig.board.dispensesExecuted() == 2);

    Rig other;
    std::atomic<bool> cancel{false};
    auto cancelled = other.service.sweep(slots, &cancel, [&](const DispenseReport&) { cancel = true; });
    CHECK(cancelled.stopped);
    CHECK(cancelled.stopReason == "stopped by you");
    CHECK(cancelled.count(DispenseResult::Success) == 1);
    CHECK(cancelled.count(DispenseResult::NotRun) == 3);
}

TEST_CASE("100-slot sweep on M2301 with zero-time motors") {
    FakeClock clock;
    BoardSim board(BoardModel::M2301, clock);
    board.setTiming(hw::sim::SimTiming::zero());
    LoopbackTransport link(board, clock);
    FramedDriver driver(link, clock);
    DispenseService service(driver, clock);
    std::vector<SlotRequest> slots;
    for (int s = 0; s < 100; ++s) slots.push_back({1, static_cast<std::uint8_t>(s)});
    auto report = service.sweep(slots);
    CHECK(report.count(DispenseResult::Success) == 100);
    CHECK(board.dispensesExecuted() == 100);
}
