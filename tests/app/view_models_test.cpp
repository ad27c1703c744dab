#include "app/desktop/app_model.hpp"
#include "app/desktop/frame_gate.hpp"
#include "app/desktop/software_raster.hpp"
#include "app/desktop/work_queue.hpp"
#include "core/tz/machine_time.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <thread>
#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;

namespace {

// A sandbox AppModel over the real simulator, with machines and the first machine's products loaded.
struct SandboxFixture {
    testsupport::SimServer sim;
    testsupport::TempDir dir;
    AppModel model{configIn(dir), {}};

    explicit SandboxFixture(const std::string& machine = "16327138") {
        model.setPreferredMachine(machine);
        model.start(true, sim.url());
        REQUIRE(pumpUntil(model, [&] {
            return model.machines().loaded() && model.products().loaded() && model.products().machineNo() == machine &&
                   !model.products().rows().empty() && model.pending() == 0;
        }));
    }
};

}  // namespace

TEST_CASE("worker: jobs run in order off the UI thread and results wake the UI") {
    std::atomic<int> wakes{0};
    UiEventQueue events([&] { ++wakes; });
    const auto uiThread = std::this_thread::get_id();
    std::atomic<bool> offThread{true};
    {
        WorkQueue queue;
        for (int i = 0; i < 5; ++i) {
            queue.post([&, i] {
                if (std::this_thread::get_id() == uiThread) offThread = false;
                events.post(CodesCounted{static_cast<std::uint64_t>(i), i * 10});
            });
        }
        for (int i = 0; i < 200 && queue.pending() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        CHECK(queue.pending() == 0);
    }
    CHECK(offThread);
    CHECK(wakes == 5);
    const auto drained = events.drain();
    REQUIRE(drained.size() == 5);
    for (size_t i = 0; i < drained.size(); ++i) CHECK(std::get<CodesCounted>(drained[i]).total == static_cast<std::int64_t>(i) * 10);
    CHECK(events.drain().empty());
}

#if defined(__linux__)
TEST_CASE("worker: below-UI and background queues run their jobs at lower priorities than the caller's") {
    const auto niceOf = [] { return getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid))); };
    const int callerNice = niceOf();
    std::atomic<int> normalNice{-100}, belowUiNice{-100}, backgroundNice{-100};
    {
        WorkQueue normal;
        WorkQueue belowUi(WorkPriority::BelowUi);
        WorkQueue background(WorkPriority::Background);
        normal.post([&] { normalNice = niceOf(); });
        belowUi.post([&] { belowUiNice = niceOf(); });
        background.post([&] { backgroundNice = niceOf(); });
        for (int i = 0; i < 200 && normal.pending() + belowUi.pending() + background.pending() > 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    CHECK(normalNice == callerNice);
    CHECK(belowUiNice == std::min(callerNice + 5, 19));
    CHECK(backgroundNice == std::min(callerNice + 10, 19));
    CHECK(niceOf() == callerNice);  // only the worker's own thread changed
}
#endif

TEST_CASE("frame gate: a worker waits while a frame is rasterised, and never longer than kMaxWait") {
    FrameGate gate;
    CHECK_FALSE(gate.wait());  // open: no wait at all

    // A worker that finds the gate closed returns when the frame is done (or, if this thread is
    // held up, after kMaxWait), never before. The worker may also start only after the gate opened
    // (a loaded machine): then it does not wait, and the round is tried again.
    bool wokenByOpen = false;
    for (int round = 0; round < 50 && !wokenByOpen; ++round) {
        gate.close();
        std::atomic<bool> opened{false};
        bool waited = false;
        bool sawOpen = false;
        std::chrono::steady_clock::duration took{};
        std::thread worker([&] {
            const auto start = std::chrono::steady_clock::now();
            waited = gate.wait();
            took = std::chrono::steady_clock::now() - start;
            sawOpen = opened.load();
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        opened = true;
        gate.open();
        worker.join();
        if (!waited) continue;
        CHECK((sawOpen || took >= FrameGate::kMaxWait));
        wokenByOpen = sawOpen;
    }
    CHECK(wokenByOpen);

    gate.close();  // a frame that never ends: the worker goes on after kMaxWait
    const auto start = std::chrono::steady_clock::now();
    CHECK(gate.wait());
    CHECK(std::chrono::steady_clock::now() - start >= FrameGate::kMaxWait);
    gate.open();
}

TEST_CASE("frame gate: only software renderers close it") {
    CHECK(isSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
    CHECK(isSoftwareRenderer("Google SwiftShader"));
    CHECK(isSoftwareRenderer("GDI Generic"));
    CHECK_FALSE(isSoftwareRenderer("NVIDIA GeForce RTX 3060/PCIe/SSE2"));
    CHECK_FALSE(isSoftwareRenderer("Apple M1"));
    CHECK_FALSE(isSoftwareRenderer("AMD Radeon Graphics (radeonsi, renoir, LLVM 15.0.6, DRM 3.49)"));
    CHECK_FALSE(isSoftwareRenderer(nullptr));
}

TEST_CASE("software raster: on 2 cores or fewer llvmpipe rasterises on the drawing thread, unless the user chose") {
    CHECK(softwareRasterThreads(nullptr, 2) == std::optional<std::string>("0"));
    CHECK(softwareRasterThreads(nullptr, 1) == std::optional<std::string>("0"));
    CHECK_FALSE(softwareRasterThreads(nullptr, 4).has_value());  // not measured there: Mesa's default
    CHECK_FALSE(softwareRasterThreads(nullptr, 0).has_value());  // cores unknown
    CHECK_FALSE(softwareRasterThreads("2", 2).has_value());      // LP_NUM_THREADS set by the user
    CHECK_FALSE(softwareRasterThreads("", 2).has_value());
}

TEST_CASE("generate preview: the exact GMT+8 string and UTC instant for Shanghai and New York") {
    const auto sh = GenerateViewModel::preview("2030-01-15 18:00", "Asia/Shanghai");
    CHECK(sh.ok);
    CHECK(sh.gmt8 == "2030-01-15 18:00:00");
    CHECK(sh.utc == "2030-01-15T10:00:00Z");
    const auto ny = GenerateViewModel::preview("2030-01-15 18:00", "America/New_York");  // EST, UTC-5
    CHECK(ny.ok);
    CHECK(ny.gmt8 == "2030-01-16 07:00:00");
    CHECK(ny.utc == "2030-01-15T23:00:00Z");
    const auto summer = GenerateViewModel::preview("2030-07-01 09:30", "America/New_York");  // EDT, UTC-4
    CHECK(summer.gmt8 == "2030-07-01 21:30:00");
    CHECK(summer.utc == "2030-07-01T13:30:00Z");
    const auto gap = GenerateViewModel::preview("2030-03-10 02:30", "America/New_York");  // skipped by DST
    CHECK_FALSE(gap.ok);
    CHECK_FALSE(gap.error.empty());
    const auto past = GenerateViewModel::preview("2001-01-01 00:00", "Asia/Shanghai");
    CHECK_FALSE(past.ok);
    CHECK(past.error.find("in the past") != std::string::npos);
    CHECK_FALSE(GenerateViewModel::preview("tomorrow", "Asia/Shanghai").ok);
}

TEST_CASE("generate validation: count bounded by capacity, length 6-10, expiry checked, all products = 1") {
    testsupport::TempDir dir;
    auto events = std::make_shared<UiEventQueue>();
    Backend backend(configIn(dir), events);
    GenerateViewModel vm(backend);
    ProductRow row;
    row.product.id = 30001;
    row.product.capacity = 8;
    vm.open("16327138", "Asia/Shanghai", {row});
    CHECK(vm.form().productId == 30001);
    CHECK(vm.maxCount() == 8);
    CHECK(vm.validate().empty());  // default expiry: tomorrow 23:59 machine time
    vm.form().count = 9;
    auto problems = vm.validate();
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].key == "gen.err.count");
    CHECK(problems[0].args == std::vector<std::string>{"8"});
    CHECK_FALSE(vm.submit());
    vm.form().count = 8;
    vm.form().length = 11;
    REQUIRE(vm.validate().size() == 1);
    CHECK(vm.validate()[0].key == "gen.err.length");
    vm.form().length = 10;
    vm.form().expiresLocal = "2030-13-01 10:00";
    REQUIRE(vm.validate().size() == 1);
    CHECK(vm.validate()[0].key == "gen.err.expiry");
    vm.form().never = true;
    CHECK(vm.validate().empty());
    CHECK_FALSE(vm.options().expiresLocal.has_value());
    vm.form().allProducts = true;
    CHECK(vm.maxCount() == 1);
    CHECK(vm.options().count == 1);
    CHECK_FALSE(vm.options().productId.has_value());
}

TEST_CASE("machines view model: search by number, name or address, case-insensitive, zones validated") {
    MachinesViewModel vm;
    core::Machine a;
    a.machineNo = "16327138";
    a.name = "上海静安寺店";
    a.address = "南京西路";
    core::Machine b;
    b.machineNo = "20240601";
    b.name = "NYC Lobby Kiosk";
    b.timezone = "America/New_York";
    vm.apply(MachinesLoaded{{a, b}});
    CHECK(vm.visible().size() == 2);
    vm.setSearch("lobby");
    REQUIRE(vm.visible().size() == 1);
    CHECK(vm.machines()[static_cast<size_t>(vm.visible()[0])].machineNo == "20240601");
    vm.setSearch("静安");
    REQUIRE(vm.visible().size() == 1);
    CHECK(vm.visible()[0] == 0);
    vm.setSearch("2024");
    CHECK(vm.visible().size() == 1);
    vm.setSearch("nothing");
    CHECK(vm.visible().empty());
    CHECK(vm.effectiveZone(a) == "Asia/Shanghai");
    CHECK(vm.effectiveZone(b) == "America/New_York");
    CHECK(MachinesViewModel::isValidZone("Asia/Kolkata"));
    CHECK_FALSE(MachinesViewModel::isValidZone("Mars/Olympus"));
    vm.apply(TimezoneSaved{"16327138", "Asia/Tokyo"});
    CHECK(vm.effectiveZone(vm.machines()[0]) == "Asia/Tokyo");
}
