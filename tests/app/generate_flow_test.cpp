// Generate in the app with pushes on: codes taken from their create pushes (real simulator publishing to a
// real mosquitto), "Stop waiting" when pushes do not come, and cancel before anything is sent.
#include "app/desktop/app_model.hpp"
#include "tests/app/app_test_support.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <chrono>

using namespace app::desktop;
using apptest::configIn;
using apptest::pumpUntil;

namespace {

constexpr const char* kMachine = "16327138";

// The sandbox profile on `sim`, pushes from `broker`, machine 16327138 selected and loaded.
void startSandbox(AppModel& model, const testsupport::SimServer& sim, const testsupport::Mosquitto& broker) {
    MqttSettings settings;
    settings.url = broker.url();
    model.setMqttSettings(settings);
    model.setPreferredMachine(kMachine);
    model.start(true, sim.url());
    REQUIRE(pumpUntil(model, [&] {
        return model.products().loaded() && model.products().machineNo() == kMachine && !model.products().rows().empty() &&
               model.pushes().mqtt().state == core::net::MqttState::Connected && model.pending() == 0;
    }));
}

void openFor(AppModel& model, int count) {
    model.openGenerate(model.products().rows()[0].product.id);
    auto& gen = model.generate();
    REQUIRE(gen.isOpen());
    gen.form().count = count;
    gen.form().never = true;
}

std::int64_t generationRequests(const testsupport::TempDir& dir) {
    SQLite::Database db(dir.file("pickupdesk.db"), SQLite::OPEN_READONLY, 2000);
    return db.execAndGet("SELECT count(*) FROM generation_requests").getInt64();
}

}  // namespace

TEST_CASE("app generate: with pushes on, the new codes come from their create pushes") {
    testsupport::Mosquitto broker;
    testsupport::SimServer sim({"--mqtt-url", broker.url()});
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    startSandbox(model, sim, broker);
    openFor(model, 2);
    auto& gen = model.generate();
    REQUIRE(gen.submit());
    REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }));
    INFO((gen.error() ? gen.error()->message : std::string()));
    REQUIRE(gen.state() == GenerateState::Done);
    CHECK(gen.result()->source == "push");
    CHECK(gen.result()->pushed == 2);
    CHECK(gen.result()->codes.size() == 2);
    CHECK_FALSE(gen.result()->stoppedEarly);
}

TEST_CASE("app generate: Stop waiting ends the wait for pushes at once; the request stays sent") {
    testsupport::Mosquitto broker;
    testsupport::SimServer sim;  // publishes nothing: the wait would last the full push timeout (10 s)
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    startSandbox(model, sim, broker);
    openFor(model, 3);
    auto& gen = model.generate();
    REQUIRE(gen.submit());
    REQUIRE(pumpUntil(model, [&] { return gen.waitingForPushes() || gen.state() != GenerateState::Running; }));
    REQUIRE(gen.waitingForPushes());
    CHECK(gen.cancellable());
    const auto stoppedAt = std::chrono::steady_clock::now();
    gen.cancel();
    CHECK_FALSE(gen.cancellable());  // one press is enough
    REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }));
    const auto took = std::chrono::steady_clock::now() - stoppedAt;
    CHECK(took < std::chrono::seconds(5));  // well before the 10 s push timeout
    REQUIRE(gen.state() == GenerateState::Done);
    REQUIRE(gen.result().has_value());
    CHECK(gen.result()->stoppedEarly);
    CHECK(gen.result()->requested == 3);
    CHECK(gen.result()->pushed == 0);
    CHECK(generationRequests(dir) == 1);
}

TEST_CASE("app generate: cancel before the create is sent sends nothing") {
    testsupport::Mosquitto broker;
    testsupport::SimServer sim;
    testsupport::TempDir dir;
    AppModel model(configIn(dir), {});
    startSandbox(model, sim, broker);
    openFor(model, 1);
    sim.setFaults({{"latency_ms", 1500}});  // the listing before the create takes 1.5 s: time to cancel
    auto& gen = model.generate();
    REQUIRE(gen.submit());
    REQUIRE(gen.cancellable());
    gen.cancel();
    REQUIRE(pumpUntil(model, [&] { return gen.state() != GenerateState::Running; }));
    CHECK(gen.state() == GenerateState::Cancelled);
    CHECK(generationRequests(dir) == 0);
}
