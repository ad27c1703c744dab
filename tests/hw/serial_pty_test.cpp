// The serial transport end to end: the real termios code opens a pseudo-terminal slave (like
// /dev/ttyUSB0) served by pickupdesk-boardsim running in another process.
#include "hw/board/framed_driver.hpp"
#include "hw/board/payloads.hpp"
#include "hw/services/dispense_service.hpp"
#include "hw/transport/serial_transport.hpp"

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <pty.h>
#include <thread>
#include <unistd.h>

using namespace hw::board;
using hw::Millis;
using hw::transport::LinkError;
using hw::transport::linkErrorOf;
using hw::transport::openSerial;

namespace {

// Starts the simulator and waits (up to 5 s) for the pty path on its first stdout line.
struct SimProcess {
    explicit SimProcess(std::vector<std::string> args) : process([&] {
        args.insert(args.begin(), PD_BOARDSIM_PATH);
        return args;
    }()) {
        for (int i = 0; i < 100 && path.empty(); ++i) {
            const auto out = process.stdoutText();
            if (const auto nl = out.find('\n'); nl != std::string::npos) path = out.substr(0, nl);
            else std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        REQUIRE_MESSAGE(!path.empty(), process.stderrText());
    }
    testsupport::ChildProcess process;
    std::string path;
};

}  // namespace

TEST_CASE("serial over a pty: identify, provision, channels and dispenses against the simulator process") {
    SimProcess sim({"--model", "eLock24P", "--serial", "PTY42", "--fast", "--fault", "1:3:invalid", "--fault", "1:4:no-drop",
                    "--fault", "1:5:motor-short"});
    auto link = openSerial(sim.path);
    REQUIRE_MESSAGE(link.ok(), (link.ok() ? "" : link.error().message));
    CHECK((*link)->describe() == "serial " + sim.path + " 9600 8N1");
    hw::SteadyClock clock;
    FramedDriver driver(**link, clock);

    auto id = driver.identify();
    REQUIRE_MESSAGE(id.ok(), (id.ok() ? "" : id.error().message));
    CHECK(id->model == BoardModel::ELock24P);
    CHECK(id->channels == 24);
    CHECK(id->serial == "PTY42");

    BoardConfig change;
    change.machineNo = "20240601";
    change.mqttTopic = "vend/20240601";
    REQUIRE(driver.setConfig(change).ok());
    auto crc = driver.commitConfig();
    REQUIRE(crc.ok());
    auto back = driver.getConfig();
    REQUIRE(back.ok());
    CHECK(back->machineNo == "20240601");
    CHECK(configCrc(*back) == *crc);

    auto channels = driver.readChannels(1, 0, 24);
    REQUIRE(channels.ok());
    CHECK(channels->size() == 24);
    CHECK((*channels)[23].type == SlotType::ELock);

    hw::services::DispenseOptions fastPoll;
    fastPoll.pollInterval = Millis(20);
    hw::services::DispenseService service(driver, clock, fastPoll);
    using hw::services::DispenseResult;
    auto ok = service.dispense({1, 1, SlotType::ELock, true, false});
    REQUIRE(ok.ok());
    CHECK(ok->result == DispenseResult::Success);
    CHECK(ok->drop == DropSensor::Detected);
    CHECK(service.dispense({1, 3, SlotType::ELock})->fault == Fault::SlotInvalid);
    CHECK(service.dispense({1, 4, SlotType::ELock, true})->fault == Fault::DropNotDetected);
    CHECK(service.dispense({1, 5, SlotType::ELock})->fault == Fault::MotorShort);
    CHECK(driver.decoderStats().badCrc == 0);
}

TEST_CASE("serial over a pty: the simulator dying mid-dispense is OUTCOME UNKNOWN, then disconnected") {
    SimProcess sim({"--fault", "1:2:hang"});
    auto link = openSerial(sim.path);
    REQUIRE(link.ok());
    hw::SteadyClock clock;
    FramedDriver driver(**link, clock, {Millis(300), 3});
    hw::services::DispenseOptions options;
    options.pollInterval = Millis(20);
    hw::services::DispenseService service(driver, clock, options);
    int polls = 0;
    auto r = service.dispense({1, 2, SlotType::Spring}, nullptr, [&](const DispenseStatus& s) {
        CHECK(s.state == DispenseState::Busy);
        if (++polls == 3) sim.process.stop();  // the board goes away while the motor runs
    });
    REQUIRE(r.ok());
    CHECK(r->result == hw::services::DispenseResult::Unknown);
    CHECK(r->message.find("contact with the board was lost") != std::string::npos);
    auto ping = driver.ping();
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Disconnected);
}

TEST_CASE("serial over a pty: a lossy, noisy link still provisions and dispenses (retries replay)") {
    SimProcess sim({"--fast", "--drop-every", "3", "--noise"});
    auto link = openSerial(sim.path);
    REQUIRE(link.ok());
    hw::SteadyClock clock;
    FramedDriver driver(**link, clock, {Millis(150), 3});
    std::vector<FrameLogEntry> log;
    driver.setObserver([&](const FrameLogEntry& e) { log.push_back(e); });
    hw::services::DispenseOptions options;
    options.pollInterval = Millis(10);
    hw::services::DispenseService service(driver, clock, options);
    for (std::uint8_t slot = 0; slot < 6; ++slot) {
        auto r = service.dispense({1, slot, SlotType::Spring});
        REQUIRE(r.ok());
        CHECK(r->result == hw::services::DispenseResult::Success);
    }
    BoardConfig change;
    change.machineNo = "LOSSY";
    REQUIRE(driver.setConfig(change).ok());
    REQUIRE(driver.commitConfig().ok());
    CHECK(driver.getConfig()->machineNo == "LOSSY");
    const auto resends = std::count_if(log.begin(), log.end(), [](const FrameLogEntry& e) { return e.outgoing && e.attempt > 1; });
    CHECK(resends >= 4);                        // every third answer was lost and its request resent (same SEQ)
    CHECK(driver.decoderStats().skipped > 0);   // the noise was skipped
}

TEST_CASE("serial errors: nothing answering is a timeout; missing port; port in use") {
    int master = -1, slave = -1;
    char name[128] = {};
    REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
    auto link = openSerial(name);
    REQUIRE(link.ok());
    hw::SteadyClock clock;
    FramedDriver driver(**link, clock, {Millis(100), 2});
    const auto start = std::chrono::steady_clock::now();
    auto ping = driver.ping();
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(ping.ok());
    CHECK(linkErrorOf(ping.error()) == LinkError::Timeout);
    CHECK(took >= std::chrono::milliseconds(200));
    CHECK(took < std::chrono::milliseconds(1500));
    CHECK(ping.error().message.find("baud rate (9600 8N1)") != std::string::npos);

    auto second = openSerial(name);
    REQUIRE_FALSE(second.ok());
    CHECK(linkErrorOf(second.error()) == LinkError::Busy);
    CHECK(second.error().message.find("in use by another program") != std::string::npos);

    auto missing = openSerial("/dev/ttyUSB-pickupdesk-none");
    REQUIRE_FALSE(missing.ok());
    CHECK(linkErrorOf(missing.error()) == LinkError::NotFound);
    CHECK(missing.error().code == core::ErrorCode::NotFound);

    auto baud = openSerial(name, {12345});
    REQUIRE_FALSE(baud.ok());
    CHECK(baud.error().code == core::ErrorCode::InvalidInput);
    (*link)->close();
    ::close(master);
    ::close(slave);
}

TEST_CASE("serial errors: permission denied names the dialout group and the udev rule") {
    if (::geteuid() == 0) {
        MESSAGE("running as root: file permissions do not apply, skipped");
        return;
    }
    testsupport::TempDir dir;
    const auto path = dir.file("ttyLocked");
    const int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0000);
    REQUIRE(fd >= 0);
    ::close(fd);
    auto link = openSerial(path);
    REQUIRE_FALSE(link.ok());
    CHECK(linkErrorOf(link.error()) == LinkError::Permission);
    CHECK(link.error().message.find("dialout") != std::string::npos);
    CHECK(link.error().message.find("assets/udev/70-pickupdesk.rules") != std::string::npos);
}
