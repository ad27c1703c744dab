// A profile's MQTT broker (schema v5): stored settings, the password only in the keychain,
// PICKUPDESK_MQTT_* overrides, and what watch/generate get from ProfileService::pushSettings.
#include "core/services/profile_service.hpp"
#include "core/store/store.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

using namespace core;

namespace {

constexpr const char* kPassword = "MqttPassword-51c0-LEAKCHECK";

struct World {
    testsupport::TempDir dir;
    std::string path = dir.file("p.db");
    std::unique_ptr<store::Store> db = std::move(store::Store::open(path).value());
    secrets::SecretResolver secrets{secrets::makeMemorySecretStore()};
    std::map<std::string, std::string> env;
    services::ProfileService service{*db, secrets, [this](const std::string& name) -> std::optional<std::string> {
                                         auto it = env.find(name);
                                         return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
                                     }};
};

services::ProfileInput shopInput() {
    services::ProfileInput in;
    in.name = "shop";
    in.baseUrl = "https://www.awish.vip";
    in.appId = "appid-1";
    in.signKey = "sign-key-1";
    in.mqttUrl = "ssl://mqtt.example.com:8883";
    in.mqttUser = "merchant";
    in.mqttPassword = kPassword;
    in.mqttVersion = 5;
    in.mqttCaFile = "/etc/ssl/broker-ca.pem";
    in.mqttClientCert = "/etc/pd/client.pem";
    in.mqttClientKey = "/etc/pd/client.key";
    in.mqttClientId = "pickupdesk-office";
    return in;
}

std::string fileText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("profile mqtt: broker settings round-trip through the store; the password stays in the keychain") {
    World w;
    REQUIRE(w.service.add(shopInput()).ok());
    auto listed = w.service.list();
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    const Profile& p = listed->front();
    CHECK(p.mqttUrl == "ssl://mqtt.example.com:8883");
    CHECK(p.mqttUser == "merchant");
    CHECK(p.mqttVersion == 5);
    CHECK(p.mqttCaFile == "/etc/ssl/broker-ca.pem");
    CHECK(p.mqttClientCert == "/etc/pd/client.pem");
    CHECK(p.mqttClientKey == "/etc/pd/client.key");
    CHECK(p.mqttClientId == "pickupdesk-office");

    auto settings = w.service.pushSettings(p);
    REQUIRE(settings.ok());
    REQUIRE(settings->has_value());
    const auto& mqtt = (*settings)->mqtt;
    CHECK(mqtt.serverUri == "ssl://mqtt.example.com:8883");
    CHECK(mqtt.username == "merchant");
    CHECK(mqtt.password == kPassword);
    CHECK(mqtt.mqttVersion == 5);
    CHECK(mqtt.caFile == "/etc/ssl/broker-ca.pem");
    CHECK(mqtt.clientKey == "/etc/pd/client.key");
    CHECK(mqtt.clientId == "pickupdesk-office");
    CHECK((*settings)->pushKey == "sign-key-1");  // the push key defaults to the signing key

    w.db.reset();
    CHECK(fileText(w.path).find(kPassword) == std::string::npos);
    CHECK(fileText(w.path + "-wal").find(kPassword) == std::string::npos);
}

TEST_CASE("profile mqtt: PICKUPDESK_MQTT_URL and _USER override the profile; no URL = no broker") {
    World w;
    auto in = shopInput();
    in.mqttUrl.clear();
    in.mqttUser.clear();
    in.mqttPassword.reset();
    in.mqttCaFile.clear();
    REQUIRE(w.service.add(in).ok());
    auto current = w.service.current(std::nullopt);
    REQUIRE(current.ok());
    auto none = w.service.pushSettings(*current);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());

    w.env["PICKUPDESK_MQTT_URL"] = "tcp://127.0.0.1:1883";
    w.env["PICKUPDESK_MQTT_USER"] = "ops";
    current = w.service.current(std::nullopt);
    REQUIRE(current.ok());
    CHECK(current->mqttUrl == "tcp://127.0.0.1:1883");
    auto settings = w.service.pushSettings(*current);
    REQUIRE(settings.ok());
    REQUIRE(settings->has_value());
    CHECK((*settings)->mqtt.serverUri == "tcp://127.0.0.1:1883");
    CHECK((*settings)->mqtt.username == "ops");
    CHECK((*settings)->mqtt.password.empty());  // none stored for this profile
}

TEST_CASE("profile mqtt: bad broker settings are refused with directions") {
    World w;
    auto in = shopInput();
    in.mqttUrl = "http://mqtt.example.com";
    auto r = w.service.add(in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("tcp://, ssl://") != std::string::npos);
    in = shopInput();
    in.mqttUrl.clear();
    r = w.service.add(in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("--mqtt-url") != std::string::npos);
    in = shopInput();
    in.mqttVersion = 3;
    CHECK_FALSE(w.service.add(in).ok());
}
