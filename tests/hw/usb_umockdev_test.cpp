// The libusb transport end to end against an emulated USB board (umockdev, Linux). Run under
// umockdev-wrapper (CTest sets LD_PRELOAD); skipped with a message otherwise.
#include "hw/board/framed_driver.hpp"
#include "hw/services/dispense_service.hpp"
#include "hw/usb/usb_bulk_transport.hpp"
#include "hw/usb/device_watcher.hpp"
#include "hw/usb/hotplug.hpp"
#include "hw/usb/usb_devices.hpp"

#include "tests/hw/usb_emulator.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

using namespace hw::board;
using hw::Millis;
using hw::transport::LinkError;
using hw::transport::linkErrorOf;
using hw::usb::Fit;

namespace {

bool skipUnlessEmulated() {
    if (hwtest::underUmockdev()) return false;
    MESSAGE("not under umockdev-wrapper: skipped (ctest runs it with LD_PRELOAD=libumockdev-preload.so.0)");
    return true;
}

struct Rig {
    Rig() : board(BoardModel::W50x, clock), usb(board) { board.setTiming(hw::sim::SimTiming::zero()); }
    hw::SteadyClock clock;
    hw::sim::BoardSim board;
    hwtest::UsbEmulator usb;
};

const hw::usb::UsbSelector kBoard{0x1209, 0x0001, std::nullopt};

}  // namespace

TEST_CASE("usb: enumerate by VID/PID with strings, bus path and the transport that fits") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    auto devices = hw::usb::listDevices();
    REQUIRE_MESSAGE(devices.ok(), (devices.ok() ? "" : devices.error().message));
    auto board = std::find_if(devices->begin(), devices->end(), [](const auto& d) { return d.id() == "1209:0001"; });
    REQUIRE(board != devices->end());
    CHECK(board->fit == Fit::UsbBulk);
    CHECK(board->kind == "vendor-bulk");
    CHECK(board->epIn == 0x81);
    CHECK(board->epOut == 0x02);
    CHECK(board->interfaceNumber == 0);
    CHECK(board->busPath == "1-1");
    CHECK(board->manufacturer == "SimVend");
    CHECK(board->product == "SimBoard W50x");
    CHECK(board->serial == "SIM0001");
    auto bridge = std::find_if(devices->begin(), devices->end(), [](const auto& d) { return d.id() == "1a86:7523"; });
    REQUIRE(bridge != devices->end());
    CHECK(bridge->fit == Fit::Serial);  // vendor-class interface, but a CH340 belongs to the OS serial driver
    CHECK(bridge->kind == "CH340");
    CHECK(bridge->busPath == "1-2");
}

TEST_CASE("usb: identify, provision and dispense through real libusb bulk transfers, split IN packets") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    rig.usb.maxInChunk = 5;
    auto link = hw::usb::openUsbBulk({0x1209, 0x0001, std::string("SIM0001")});
    REQUIRE_MESSAGE(link.ok(), (link.ok() ? "" : link.error().message));
    CHECK((*link)->describe() == "usb 1209:0001 bus 1-1");
    FramedDriver driver(**link, rig.clock, {Millis(200), 3});
    auto id = driver.identify();
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().message));
    CHECK(id->model == BoardModel::W50x);
    CHECK(id->channels == 32);
    BoardConfig change;
    change.machineNo = "USB1";
    REQUIRE(driver.setConfig(change).ok());
    REQUIRE(driver.commitConfig().ok());
    CHECK(rig.board.storedConfig().machineNo == "USB1");
    auto channels = driver.readChannels(1, 0, 32);
    REQUIRE(channels.ok());
    CHECK(channels->size() == 32);

    hw::services::DispenseOptions options;
    options.pollInterval = Millis(10);
    hw::services::DispenseService service(driver, rig.clock, options);
    auto r = service.dispense({1, 7, SlotType::Spring, true, false});
    REQUIRE(r.ok());
    CHECK(r->result == hw::services::DispenseResult::Success);
    CHECK(rig.board.dispensesExecuted() == 1);
}

TEST_CASE("usb: a silent board times out through libusb's own timeout and URB discard") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    auto link = hw::usb::openUsbBulk(kBoard);
    REQUIRE(link.ok());
    rig.usb.mute = true;
    FramedDriver driver(**link, rig.clock, {Millis(100), 2});
    const auto start = std::chrono::steady_clock::now();
    auto ping = driver.ping();
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Timeout);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
    rig.usb.mute = false;
    CHECK(driver.ping().ok());  // the link recovers once the board answers
}

TEST_CASE("usb: unplug mid-dispense is OUTCOME UNKNOWN, then the device is gone") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    auto link = hw::usb::openUsbBulk(kBoard);
    REQUIRE(link.ok());
    FramedDriver driver(**link, rig.clock, {Millis(200), 3});
    hw::services::DispenseService service(driver, rig.clock);
    rig.usb.unplugOnDispense = true;
    auto r = service.dispense({1, 3, SlotType::Belt});
    REQUIRE(r.ok());
    CHECK(r->result == hw::services::DispenseResult::Unknown);
    CHECK(r->message.rfind("OUTCOME UNKNOWN", 0) == 0);
    CHECK(rig.board.dispensesExecuted() == 1);
    auto ping = driver.ping();
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Disconnected);
    CHECK(ping.error().message.find("unplugged") != std::string::npos);
}

TEST_CASE("usb: wrong serial, missing device and serial bridges are refused with advice") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    auto wrong = hw::usb::openUsbBulk({0x1209, 0x0001, std::string("OTHER")});
    REQUIRE_FALSE(wrong.ok());
    CHECK(linkErrorOf(wrong.error()) == LinkError::NotFound);
    CHECK(wrong.error().message.find("not detected") != std::string::npos);
    auto bridge = hw::usb::openUsbBulk({0x1a86, 0x7523, std::nullopt});
    REQUIRE_FALSE(bridge.ok());
    CHECK(bridge.error().message.find("CH340, not a vendor-bulk board: open its serial port instead") != std::string::npos);
}

TEST_CASE("usb: the watcher reports boards plugged in and out") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    hw::usb::DeviceWatcher watcher;
    auto first = watcher.poll();
    REQUIRE(first.ok());
    CHECK(first->size() == 2);  // the board and the CH340 bridge
    CHECK(std::all_of(first->begin(), first->end(), [](const auto& e) { return e.added; }));
    auto quiet = watcher.poll();
    REQUIRE(quiet.ok());
    CHECK(quiet->empty());
    rig.usb.removeBoard();
    auto gone = watcher.poll();
    REQUIRE(gone.ok());
    REQUIRE(gone->size() == 1);
    CHECK_FALSE(gone->front().added);
    CHECK(gone->front().device.id() == "1209:0001");
    CHECK(watcher.current().size() == 1);
}

TEST_CASE("usb: libusb hotplug signals a bridge plugged in and pulled out, and the watcher sees it") {
    if (skipUnlessEmulated()) return;
    Rig rig;
    std::atomic<int> signals{0};
    auto hotplug = hw::usb::HotplugSignal::start([&] { ++signals; });
    REQUIRE_MESSAGE(hotplug != nullptr, "libusb reports no hotplug capability on Linux");
    hw::usb::DeviceWatcher watcher;
    REQUIRE(watcher.poll().ok());
    const int before = signals.load();
    auto waitFor = [&](int count) {
        for (int i = 0; i < 150 && signals.load() < count; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return signals.load() >= count;
    };
    rig.usb.plugBridge();
    REQUIRE(waitFor(before + 1));
    auto added = watcher.poll();
    REQUIRE(added.ok());
    REQUIRE(added->size() == 1);
    CHECK(added->front().added);
    CHECK(added->front().device.busPath == "1-3");
    rig.usb.unplugBridge();
    REQUIRE(waitFor(before + 2));
    auto removed = watcher.poll();
    REQUIRE(removed.ok());
    REQUIRE(removed->size() == 1);
    CHECK_FALSE(removed->front().added);
}
