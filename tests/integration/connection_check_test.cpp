// "Test connection" (core::services::testConnection) against the real simulator and a real mosquitto.
#include "core/services/connection_test.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/sim_server.hpp"

#include <doctest/doctest.h>

using namespace testsupport;

namespace {

core::api::ClientConfig simApi(const SimServer& sim, const std::string& signKey = SimServer::kSignKey) {
    core::api::ClientConfig c;
    c.baseUrl = sim.url();
    c.appId = SimServer::kAppId;
    c.appSecret = SimServer::kAppSecret;
    c.signKey = signKey;
    return c;
}

core::net::MqttConfig broker(const std::string& url) {
    core::net::MqttConfig c;
    c.serverUri = url;
    return c;
}

}  // namespace

TEST_CASE("connection test: ping and broker both answer") {
    SimServer sim;
    Mosquitto mosquitto;
    const auto report = core::services::testConnection(simApi(sim), broker(mosquitto.url()), 5000);
    CHECK(report.http.ok);
    REQUIRE(report.mqtt.has_value());
    CHECK(report.mqtt->ok);
    CHECK(report.mqtt->detail == "connected");
    CHECK_FALSE(report.clientIdWarning.has_value());
    CHECK(report.ok());
}

TEST_CASE("connection test: no broker configured tests HTTP only") {
    SimServer sim;
    const auto report = core::services::testConnection(simApi(sim), std::nullopt, 5000);
    CHECK(report.http.ok);
    CHECK_FALSE(report.mqtt.has_value());
    CHECK(report.ok());
}

TEST_CASE("connection test: a wrong signing key and a dead broker are each reported") {
    SimServer sim;
    auto mqtt = broker("tcp://127.0.0.1:" + std::to_string(freeTcpPort()));
    mqtt.clientId = "16327138";  // a machine number: warned about, never used by the probe
    const auto report = core::services::testConnection(simApi(sim, "wrong-key"), mqtt, 2000);
    CHECK_FALSE(report.http.ok);
    CHECK_MESSAGE(report.http.detail.find("sign") != std::string::npos, report.http.detail);
    REQUIRE(report.mqtt.has_value());
    CHECK_FALSE(report.mqtt->ok);
    CHECK_FALSE(report.mqtt->detail.empty());
    REQUIRE(report.clientIdWarning.has_value());
    CHECK(report.clientIdWarning->find("16327138") != std::string::npos);
    CHECK_FALSE(report.ok());
}
