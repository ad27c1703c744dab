// Board tab view model against the in-process simulator (loopback, fake clock), no window.
#include "pd_test_paths.hpp"
#include "app/desktop/board_view_model.hpp"
#include "app/desktop/i18n.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace app::desktop;
using hw::board::Fault;
using hw::services::DispenseResult;
using hw::services::SlotRequest;

namespace {

template <typename Pred>
bool pumpUntil(BoardViewModel& vm, Pred done, int timeoutMs = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        vm.pump();
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    vm.pump();
    return done();
}

struct Catalog {
    I18n i18n;
    explicit Catalog(const std::string& lang = "en") {
        std::string error;
        REQUIRE(i18n.load(PD_I18N_DIR, lang, error));
        setActiveCatalog(&i18n);
    }
    ~Catalog() { setActiveCatalog(nullptr); }
};

BoardBackendOptions simOptions(std::vector<PlannedSlotFault> faults = {}) {
    BoardBackendOptions o;
    o.watchUsb = false;
    o.sim.fakeClock = true;  // 30 s deadlines and 2 s motors cost no real time
    o.sim.faults = std::move(faults);
    return o;
}

// A view model connected to the simulator.
struct Connected {
    Catalog catalog;
    BoardViewModel vm;
    explicit Connected(BoardBackendOptions options = simOptions()) : vm({}, std::move(options)) {
        vm.connect(kSimTarget);
        REQUIRE(pumpUntil(vm, [&] { return vm.linkState() == BoardLinkState::Connected; }));
    }
    const BoardRun& runToEnd() {
        REQUIRE(pumpUntil(vm, [&] { return vm.run() && vm.run()->finished; }));
        return *vm.run();
    }
};

std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("board vm: connecting to the simulator shows its identity, the channel grid and the HELLO frame") {
    Connected c;
    REQUIRE(c.vm.snapshot());
    const auto& id = c.vm.snapshot()->identity;
    CHECK(id.model == hw::board::BoardModel::W50x);
    CHECK(id.channels == 32);
    CHECK(id.serial == "SIM0001");
    CHECK_FALSE(id.firmware().empty());
    CHECK(c.vm.linkText().find("simulator") != std::string::npos);
    CHECK(c.vm.cabinets() == std::vector<std::uint8_t>{1});
    CHECK(c.vm.gridRows() == 4);
    CHECK(c.vm.gridColumns() == 10);
    CHECK(c.vm.slotLook(1, 5) == SlotLook::Untested);
    REQUIRE_FALSE(c.vm.frames().rows().empty());
    CHECK(c.vm.frames().rows().front().command == "HELLO");
    CHECK(c.vm.frames().rows().front().outgoing);

    c.vm.disconnect();
    REQUIRE(pumpUntil(c.vm, [&] { return c.vm.linkState() == BoardLinkState::Disconnected; }));
}

TEST_CASE("board vm: a click-to-dispense on a good slot succeeds and colours the slot") {
    Connected c;
    c.vm.click(7, false);
    CHECK(c.vm.selection() == std::set<std::uint8_t>{7});
    c.vm.params().dropCheck = true;
    c.vm.dispenseSelected();
    CHECK(c.vm.running());
    CHECK(c.vm.slotLook(1, 7) == SlotLook::Running);
    const BoardRun& run = c.runToEnd();
    REQUIRE(run.reports.size() == 1);
    CHECK(run.reports[0].result == DispenseResult::Success);
    CHECK(run.reports[0].slot.slot == 7);
    CHECK(run.reports[0].slot.dropCheck);
    CHECK(run.reports[0].drop == hw::board::DropSensor::Detected);
    CHECK(c.vm.slotLook(1, 7) == SlotLook::Success);
    CHECK(outcomeText(run.reports[0], false).rfind("Vended", 0) == 0);
}

TEST_CASE("board vm: a stuck slot shows the fault reason in plain words, English and Chinese") {
    Connected c(simOptions({{1, 3, {hw::sim::SlotFault::Stuck, {}}}}));
    c.vm.dispense({1, 3, hw::board::SlotType::Spring, false, false});
    const BoardRun& run = c.runToEnd();
    REQUIRE(run.reports.size() == 1);
    const auto& r = run.reports[0];
    CHECK(r.result == DispenseResult::Fault);
    CHECK(r.fault == Fault::GoodsStuck);
    CHECK(c.vm.slotLook(1, 3) == SlotLook::Fault);
    CHECK(std::string(faultKey(r.fault)) == "board.fault.goods_stuck");
    const std::string en = outcomeText(r, false);
    CHECK(en.find("Goods are Stuck") != std::string::npos);
    CHECK(en.find("clear") != std::string::npos);  // says what to do
    Catalog zh("zh");
    const std::string zhText = outcomeText(r, false);
    CHECK(zhText != en);
    CHECK(zhText.find("卡货") != std::string::npos);
}

TEST_CASE("board vm: a sweep of 5 slots gives 5 results with the one planned fault, and a CSV") {
    Connected c(simOptions({{1, 12, {hw::sim::SlotFault::MotorShort, {}}}}));
    for (std::uint8_t s : {10, 11, 12, 13, 14}) c.vm.click(s, true);
    CHECK(c.vm.selection().size() == 5);
    c.vm.sweepSelected();
    const BoardRun& run = c.runToEnd();
    REQUIRE(run.reports.size() == 5);
    REQUIRE(run.sweepReport);
    CHECK(run.sweepReport->count(DispenseResult::Success) == 4);
    CHECK(run.sweepReport->count(DispenseResult::Fault) == 1);
    CHECK(run.reports[2].slot.slot == 12);
    CHECK(run.reports[2].fault == Fault::MotorShort);
    CHECK(c.vm.slotLook(1, 12) == SlotLook::Fault);
    CHECK(c.vm.slotLook(1, 14) == SlotLook::Success);
    CHECK(outcomeText(run.reports[2], false).find("VerMo short") != std::string::npos);

    testsupport::TempDir dir;
    const std::string csv = dir.file("sweep.csv");
    c.vm.exportSweep(csv);
    REQUIRE(pumpUntil(c.vm, [&] { return !c.vm.notice().empty(); }));
    const std::string text = slurp(csv);
    CHECK(std::count(text.begin(), text.end(), '\n') == 6);
    CHECK(text.find("MOTOR_SHORT") != std::string::npos);
}

TEST_CASE("board vm: cancel stops polling and says the board may still vend") {
    Catalog catalog;
    BoardBackendOptions o;
    o.watchUsb = false;  // real clock: the test cancels while the slot hangs
    o.sim.faults = {{1, 4, {hw::sim::SlotFault::Hang, {}}}};
    o.dispense.pollInterval = hw::Millis(10);
    BoardViewModel vm({}, o);
    vm.connect(kSimTarget);
    REQUIRE(pumpUntil(vm, [&] { return vm.linkState() == BoardLinkState::Connected; }));
    vm.dispense({1, 4, hw::board::SlotType::Spring, false, false});
    REQUIRE(pumpUntil(vm, [&] { return vm.run()->lastStatus.has_value(); }));
    CHECK(vm.run()->lastStatus->state == hw::board::DispenseState::Busy);
    vm.cancel();
    CHECK(vm.run()->cancelRequested);
    REQUIRE(pumpUntil(vm, [&] { return vm.run()->finished; }));
    const auto& r = vm.run()->reports.at(0);
    CHECK(vm.run()->cancelled);
    CHECK(r.result == DispenseResult::Unknown);
    CHECK(vm.slotLook(1, 4) == SlotLook::Unknown);
    CHECK(outcomeText(r, true).find("may still vend") != std::string::npos);
    CHECK(r.message.find("may still vend") != std::string::npos);

    auto statusPolls = [&] {
        vm.pump();
        return std::count_if(vm.frames().rows().begin(), vm.frames().rows().end(),
                             [](const FrameRow& f) { return f.outgoing && f.command == "DISPENSE_STATUS"; });
    };
    const auto before = statusPolls();
    CHECK(before >= 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // 15 poll intervals
    CHECK(statusPolls() == before);
}

TEST_CASE("board vm: the frame log decodes, filters by text and direction, pauses and exports") {
    Connected c;
    c.vm.dispense({1, 23, hw::board::SlotType::Spring, true, false});
    c.runToEnd();
    FrameLog& log = c.vm.frames();
    const auto rows = log.visible();
    auto dispense = std::find_if(rows.begin(), rows.end(), [](const FrameRow* r) { return r->command == "DISPENSE"; });
    REQUIRE(dispense != rows.end());
    CHECK((*dispense)->outgoing);
    CHECK((*dispense)->decoded.find("addr=1 slot=23 spring drop-check") != std::string::npos);
    CHECK((*dispense)->hex.rfind("A5 5A 01", 0) == 0);

    log.setFilter("dispense_status answer");
    const auto answers = log.visible();
    REQUIRE_FALSE(answers.empty());
    for (const FrameRow* r : answers) {
        CHECK_FALSE(r->outgoing);
        CHECK(r->latencyMs >= 0);
    }
    CHECK(answers.back()->decoded.find("success") != std::string::npos);
    log.setFilter("");
    log.setDirection(FrameDirection::Outgoing);
    for (const FrameRow* r : log.visible()) CHECK(r->outgoing);
    log.setDirection(FrameDirection::Both);

    const std::size_t shown = log.rows().size();
    log.setPaused(true);
    c.vm.reread();
    REQUIRE(pumpUntil(c.vm, [&] { return log.held() > 0 && !c.vm.busy(); }));
    CHECK(log.rows().size() == shown);  // frozen while paused
    const std::size_t held = log.held();
    log.setPaused(false);
    CHECK(log.rows().size() == shown + held);

    testsupport::TempDir dir;
    log.setFilter("HELLO");
    c.vm.exportFrames(dir.file("frames.tsv"));
    REQUIRE(pumpUntil(c.vm, [&] { return !c.vm.notice().empty(); }));
    const std::string text = slurp(dir.file("frames.tsv"));
    CHECK(text.rfind("time_ms\tdirection", 0) == 0);
    CHECK(std::count(text.begin(), text.end(), '\n') == 1 + static_cast<long>(log.visible().size()));
    CHECK(text.find("PING") == std::string::npos);
}

TEST_CASE("board vm: provisioning validates, shows a diff before writing, loads a file and verifies the write") {
    Connected c;
    BoardProvisioningForm& form = c.vm.form();
    form.serverPort = "70000";
    form.dirty = true;
    auto problems = form.validate();
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].field == "server_port");
    CHECK(problems[0].key == "board.invalid.port");
    CHECK(form.diff(*c.vm.snapshot()).empty());  // nothing to show until the form is valid

    testsupport::TempDir dir;
    std::ofstream(dir.file("prov.json")) << R"({"config": {"machine_no": "20240601", "server_port": 8443, "mqtt_password": "s3cret"},
        "channels": [{"addr": 1, "slot": 0, "type": "belt", "enabled": true, "drop_check": true, "lift": false}]})";
    c.vm.loadProvisioning(dir.file("prov.json"));
    REQUIRE(pumpUntil(c.vm, [&] { return !form.loadedFrom.empty(); }));
    CHECK(form.machineNo == "20240601");
    CHECK(form.validate().empty());
    const auto diff = form.diff(*c.vm.snapshot());
    auto find = [&](const std::string& key) {
        return std::find_if(diff.begin(), diff.end(), [&](const DiffLine& d) { return d.key == key; });
    };
    REQUIRE(find("machine_no") != diff.end());
    CHECK(find("machine_no")->to == "20240601");
    REQUIRE(find("server_port") != diff.end());
    CHECK(find("server_port")->to == "8443");
    REQUIRE(find("mqtt_password") != diff.end());
    CHECK(find("mqtt_password")->to == "***");  // never in clear
    REQUIRE(find("channel 1/0") != diff.end());
    CHECK(find("channel 1/0")->to == "belt drop-check");

    c.vm.writeProvisioning();
    REQUIRE(pumpUntil(c.vm, [&] { return c.vm.applyReport().has_value() && !c.vm.busy(); }));
    CHECK(c.vm.applyReport()->verified());
    CHECK(c.vm.applyReport()->channelsWritten == 1);
    REQUIRE(pumpUntil(c.vm, [&] { return c.vm.snapshot()->config.machineNo == std::optional<std::string>("20240601"); }));
    CHECK(c.vm.channel(1, 0)->type == hw::board::SlotType::Belt);
    CHECK(c.vm.form().diff(*c.vm.snapshot()).empty());
    CHECK(c.vm.errors().empty());
}

TEST_CASE("board vm: the device list follows USB hotplug and always offers the simulator") {
    Catalog catalog;
    auto mutex = std::make_shared<std::mutex>();
    auto devices = std::make_shared<std::vector<hw::usb::UsbDevice>>();
    hw::usb::UsbDevice ch340;
    ch340.vid = 0x1a86;
    ch340.pid = 0x7523;
    ch340.kind = "CH340";
    ch340.fit = hw::usb::Fit::Serial;
    ch340.ttyPath = "/dev/ttyUSB0";
    ch340.busPath = "1-1";
    BoardBackendOptions o;
    o.watchInterval = hw::Millis(10);
    o.lister = [mutex, devices]() -> core::Result<std::vector<hw::usb::UsbDevice>> {
        std::lock_guard lock(*mutex);
        return *devices;
    };
    BoardViewModel vm({}, o);
    REQUIRE(pumpUntil(vm, [&] { return vm.devices().size() == 1; }));
    CHECK(vm.devices().back().simulator);
    CHECK(vm.devices().back().target == kSimTarget);
    {
        std::lock_guard lock(*mutex);
        devices->push_back(ch340);
    }
    REQUIRE(pumpUntil(vm, [&] { return vm.devices().size() == 2; }));
    CHECK(vm.devices()[0].target == "/dev/ttyUSB0");
    CHECK(vm.devices()[0].label.find("CH340 1a86:7523") != std::string::npos);
    {
        std::lock_guard lock(*mutex);
        devices->clear();
    }
    REQUIRE(pumpUntil(vm, [&] { return vm.devices().size() == 1; }));

    vm.connect("/nonexistent/ttyPD0");  // a wrong serial path ends in a plain error, not a hang
    REQUIRE(pumpUntil(vm, [&] { return !vm.errors().empty(); }));
    CHECK(vm.linkState() == BoardLinkState::Disconnected);
    CHECK(vm.errors().back().what == "board.action.connect");
    CHECK_FALSE(vm.errors().back().error.message.empty());
}

TEST_CASE("board vm: the simulated board on a pseudo-terminal connects through the serial transport and dispenses") {
    Catalog catalog;
    testsupport::TempDir dir;
    BoardBackendOptions o;
    o.watchUsb = false;
    o.simBinary = PD_SIM_PATH;
    o.workDir = dir.path();
    o.sim.model = hw::board::BoardModel::ELock24P;
    BoardViewModel vm({}, o);
    REQUIRE(vm.devices().size() == 2);  // the in-process simulator, then this one
    CHECK(vm.devices().back().target == kSimPtyTarget);
    CHECK(vm.devices().back().simulator);

    vm.connect(kSimPtyTarget);
    REQUIRE(pumpUntil(vm, [&] { return vm.linkState() == BoardLinkState::Connected; }, 15000));
    CHECK(vm.linkText().find("pickupdesk-sim board --pty") != std::string::npos);
    CHECK(vm.linkText().find("/dev/pts/") != std::string::npos);
    REQUIRE(vm.snapshot().has_value());
    CHECK(vm.channelCount() == 24);  // the model asked for, over the wire
    vm.dispense(SlotRequest{1, 0, hw::board::SlotType::ELock, false, false});
    REQUIRE(pumpUntil(vm, [&] { return vm.run() && vm.run()->finished; }, 20000));
    REQUIRE(vm.outcome(1, 0) != nullptr);
    CHECK(vm.outcome(1, 0)->result == DispenseResult::Success);

    vm.disconnect();  // stops the simulator process with the link
    REQUIRE(pumpUntil(vm, [&] { return vm.linkState() != BoardLinkState::Connected; }));
}

TEST_CASE("board vm: without the simulator binary the pseudo-terminal entry is not offered, and a bad one is a clear error") {
    Catalog catalog;
    testsupport::TempDir dir;
    BoardBackendOptions o;
    o.watchUsb = false;
    BoardViewModel none({}, o);
    CHECK(none.devices().size() == 1);

    o.simBinary = dir.file("missing-sim");
    o.workDir = dir.path();
    BoardViewModel vm({}, o);
    vm.connect(kSimPtyTarget);
    REQUIRE(pumpUntil(vm, [&] { return !vm.errors().empty(); }));
    CHECK(vm.errors().back().error.message.find("pickupdesk-sim") != std::string::npos);
    CHECK(vm.linkState() != BoardLinkState::Connected);
}

TEST_CASE("board vm: a hotplug event lists the USB devices again at once, without waiting for the poll") {
    Catalog catalog;
    auto mutex = std::make_shared<std::mutex>();
    auto devices = std::make_shared<std::vector<hw::usb::UsbDevice>>();
    auto notify = std::make_shared<std::function<void()>>();
    BoardBackendOptions o;
    o.watchInterval = hw::Millis(60000);  // the poll alone would take a minute
    o.lister = [mutex, devices]() -> core::Result<std::vector<hw::usb::UsbDevice>> {
        std::lock_guard lock(*mutex);
        return *devices;
    };
    o.hotplug = [mutex, notify](std::function<void()> onChange) -> std::shared_ptr<void> {
        std::lock_guard lock(*mutex);
        *notify = std::move(onChange);
        return std::make_shared<int>(0);
    };
    BoardViewModel vm({}, o);
    REQUIRE(pumpUntil(vm, [&] {  // the watcher has started (and made its first, empty listing)
        std::lock_guard lock(*mutex);
        return static_cast<bool>(*notify);
    }));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    vm.pump();
    REQUIRE(vm.devices().size() == 1);  // the simulator only
    hw::usb::UsbDevice bridge;
    bridge.vid = 0x10c4;
    bridge.pid = 0xea60;
    bridge.kind = "CP210x";
    bridge.fit = hw::usb::Fit::Serial;
    bridge.ttyPath = "/dev/ttyUSB1";
    bridge.busPath = "1-4";
    std::function<void()> signal;
    {
        std::lock_guard lock(*mutex);
        devices->push_back(bridge);
        signal = *notify;
    }
    REQUIRE(signal);
    signal();  // what libusb's event thread does on an arrival
    REQUIRE(pumpUntil(vm, [&] { return vm.devices().size() == 2; }, 3000));
    CHECK(vm.devices()[0].target == "/dev/ttyUSB1");
}
