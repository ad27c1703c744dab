#pragma once
// The simulated cloud's MQTT side: signed pushes to a real broker on /clients/{machine_no} (QoS 1)
// for creates, deletes and uses, and a load mode that mixes in bad pushes on purpose.
#include "app/sim/sim_state.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/sign/signing.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace app::sim {

struct PushConfig {
    std::string mqttUrl;  // empty = no pushes
    std::string pushKey;  // secret: never log
    core::sign::Encoding encoding = core::sign::Encoding::Raw;
    int qos = 1;
};

// Thread-safe (httplib serves on a pool): Paho's publish call is.
class PushPublisher {
public:
    // Connects (up to 10 s); nullptr with `error` set when the broker cannot be reached.
    static std::unique_ptr<PushPublisher> connect(const PushConfig& config, std::string& error);

    void codeCreated(const SimMachine& machine, const SimCode& code);
    void codeDeleted(const SimMachine& machine, std::int64_t codeId);
    void codeUsed(const SimMachine& machine, std::int64_t codeId);
    std::uint64_t published() const { return m_published; }
    std::uint64_t failed() const { return m_failed; }
    core::net::MqttClient& client() { return *m_client; }

private:
    PushPublisher(PushConfig config, std::unique_ptr<core::net::MqttClient> client);
    void send(const std::string& machineNo, core::sign::Params fields);

    PushConfig m_config;
    std::unique_ptr<core::net::MqttClient> m_client;
    std::atomic<std::uint64_t> m_published{0};
    std::atomic<std::uint64_t> m_failed{0};
};

// `pickupdesk-sim push`: shares are 0..1 of the messages.
struct LoadOptions {
    double rate = 1000;  // messages per second (0 = as fast as possible)
    int count = 1000;
    std::string machineNo = "20240601";
    std::string timezone = "America/New_York";  // for expired_day
    double badSign = 0, unsignedShare = 0, malformed = 0, duplicates = 0, outOfOrder = 0;
    std::uint64_t seed = 1;
    std::int64_t firstId = 900000;
};

// Publishes the load, prints a JSON summary on stdout; returns the exit code.
int runPushLoad(const PushConfig& config, const LoadOptions& options);

}  // namespace app::sim
