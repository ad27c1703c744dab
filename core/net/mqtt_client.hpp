#pragma once
// An MQTT client over Paho MQTT C (async API) for the vendor cloud's pushes.
// Persistent session (clean start off, session expiry, file persistence in the data directory),
// QoS 1/2 subscriptions redone on every (re)connect, automatic reconnect with backoff, TLS with
// verification always on. Paho's callbacks only copy and hand over: a message is acknowledged
// to Paho only once the sink says it is safely stored, otherwise Paho delivers it again.
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::net {

// One message as it came off the wire.
struct RawPush {
    std::string topic;
    std::string payload;  // the bytes (vendor pushes are Base64 text)
    int qos = 0;
    std::int64_t receivedMs = 0;  // UTC epoch milliseconds
};

enum class MqttState { Disconnected, Connecting, Connected, Reconnecting };
const char* mqttStateName(MqttState state);  // "disconnected", "connecting", ...

struct MqttSubscription {
    std::string filter;  // e.g. "/clients/20240601"
    int qos = 1;
};

struct MqttConfig {
    std::string serverUri;        // tcp://host:1883, ssl://host:8883, ws://host/mqtt, wss://...
    std::string clientId;         // empty = "pickupdesk-<random>"; see clientIdWarning
    std::string username;
    std::string password;         // secret: never logged
    int mqttVersion = 4;          // 4 = MQTT 3.1.1, 5 = MQTT 5
    std::string caFile;           // TLS: CA bundle (empty = the system's); verification stays on
    std::string clientCert;       // TLS client certificate (PEM), optional
    std::string clientKey;        // its private key (PEM)
    bool cleanStart = false;      // false: the broker keeps the session while we are away
    std::uint32_t sessionExpirySeconds = 7 * 24 * 3600;  // MQTT 5 only
    int keepAliveSeconds = 30;
    int connectTimeoutSeconds = 10;
    int minRetrySeconds = 1;      // reconnect backoff, doubled up to max
    int maxRetrySeconds = 30;
    std::string persistenceDir;   // Paho's file persistence; empty = in memory only
    std::vector<MqttSubscription> subscriptions;
};

// "pickupdesk-" + 12 random hex digits.
std::string randomClientId();
// The client id kept in `dir`/client-id (created on first use), so a persistent session survives
// restarts. Falls back to a random id when the file cannot be written.
std::string loadOrCreateClientId(const std::string& dir);
// A warning text when `clientId` looks like a machine number (8+ digits): a real machine connects
// with its number as client id, and the broker disconnects one of two clients sharing an id.
std::optional<std::string> clientIdWarning(std::string_view clientId);

// Returns true once the message is safely stored (then Paho may forget it).
using PushSink = std::function<bool(const RawPush&)>;
// Called on every state change (on a library thread: copy and return).
using StateListener = std::function<void(MqttState state, const std::string& lastError)>;

class MqttClient {
public:
    ~MqttClient();  // disconnects (up to 2 s) and frees the Paho client
    MqttClient(const MqttClient&) = delete;
    MqttClient& operator=(const MqttClient&) = delete;

    // Checks the configuration and creates the Paho client (callbacks set before any connect).
    static Result<std::unique_ptr<MqttClient>> create(MqttConfig config, PushSink sink,
                                                      StateListener listener = {});

    // Starts connecting in the background; reconnects by itself until stop().
    Status start();
    // Waits until connected and every subscription is granted; the error carries the last
    // connection error.
    Status waitReady(int timeoutMs);
    void stop();

    MqttState state() const;
    std::string lastError() const;
    const std::string& clientId() const;
    bool ready() const;  // connected and subscribed

    // Publishes without waiting; flush() waits for the broker's acknowledgements.
    Status publish(const std::string& topic, const std::string& payload, int qos, bool retain = false);
    Status flush(int timeoutMs);

    struct Impl;

private:
    explicit MqttClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace core::net
