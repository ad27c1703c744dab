#include "core/services/connection_test.hpp"

#include <algorithm>

namespace core::services {
namespace {

ConnectionCheck pingVendor(api::ClientConfig config, int timeoutMs) {
    config.totalTimeoutMs = timeoutMs;
    api::OpenApiClient client(config);
    auto reply = client.ping();
    if (!reply) return {false, reply.error().message};
    return {true, *reply};
}

// A probe with its own random id and a clean session: testing must not take over the profile's
// persistent session (its queued pushes) or kick a machine off the broker.
ConnectionCheck connectBroker(net::MqttConfig config, int timeoutMs) {
    config.clientId = net::randomClientId();
    config.cleanStart = true;
    config.persistenceDir.clear();
    config.subscriptions.clear();
    config.connectTimeoutSeconds = std::max(1, timeoutMs / 1000);
    auto client = net::MqttClient::create(std::move(config), [](const net::RawPush&) { return true; });
    if (!client) return {false, client.error().message};
    if (auto started = (*client)->start(); !started) return {false, started.error().message};
    if (auto ready = (*client)->waitReady(timeoutMs); !ready) return {false, ready.error().message};
    (*client)->stop();
    return {true, "connected"};
}

}  // namespace

ConnectionReport testConnection(const api::ClientConfig& api, const std::optional<net::MqttConfig>& mqtt,
                                int timeoutMs) {
    ConnectionReport report;
    report.http = pingVendor(api, timeoutMs);
    if (mqtt && !mqtt->serverUri.empty()) {
        report.clientIdWarning = net::clientIdWarning(mqtt->clientId);
        report.mqtt = connectBroker(*mqtt, timeoutMs);
    }
    return report;
}

}  // namespace core::services
