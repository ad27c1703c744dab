#pragma once
// "Test connection" for a profile: one open-API ping and, when a broker is set, one MQTT connect
// with a clean, throw-away session (never the profile's persistent session, never a machine's id).
#include "core/api/open_api_client.hpp"
#include "core/net/mqtt_client.hpp"

#include <optional>
#include <string>

namespace core::services {

struct ConnectionCheck {
    bool ok = false;
    std::string detail;  // the vendor's ping reply / "connected", or the error message
};

struct ConnectionReport {
    ConnectionCheck http;
    std::optional<ConnectionCheck> mqtt;  // nullopt: no broker configured
    std::optional<std::string> clientIdWarning;
    bool ok() const { return http.ok && (!mqtt || mqtt->ok); }
};

ConnectionReport testConnection(const api::ClientConfig& api, const std::optional<net::MqttConfig>& mqtt,
                                int timeoutMs = 10000);

}  // namespace core::services
