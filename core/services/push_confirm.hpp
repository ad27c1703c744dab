#pragma once
// Generation completes through pushes (issue 4): the vendor's create call returns `{}` and the new
// codes arrive as `client.pickup_codes.create` pushes. Before the create is sent, generate makes
// sure /clients/{no} is subscribed and its pushes go through the verified ingest pipeline; then it
// waits for the create pushes of the new codes. A CreatePushSource is that subscription: either
// one of its own (MqttCreatePushSource) or an ingest that is already running, which only has to
// feed its StoredPush events to a CreatePushCollector.
#include "core/ingest/ingest_pipeline.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/services/profile_service.hpp"
#include "core/util/result.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace core::services {

// A verified create push whose code is in the store (applied now, or earlier by another ingest
// writing the same database: then it arrives here as a duplicate).
struct PushedCode {
    std::string machineNo;
    std::int64_t id = 0;
    std::int64_t productId = 0;
    std::string code;
};

// Thread-safe: onStored runs on an ingest writer thread, waitUntil on the caller's.
class CreatePushCollector {
public:
    using Clock = std::chrono::steady_clock;
    // Records verified create pushes of `machineNo` from now on (earlier records are dropped).
    void arm(const std::string& machineNo);
    void disarm();
    // Feed from an ingest listener (after commit). Copies and returns.
    void onStored(const ingest::StoredPush& stored);
    // Waits until `enough(arrived)` holds or `deadline` passes; `onChange` is called (on this thread)
    // whenever more arrived. Returns everything recorded since arm().
    std::vector<PushedCode> waitUntil(const std::function<bool(const std::vector<PushedCode>&)>& enough,
                                      Clock::time_point deadline,
                                      const std::function<void(const std::vector<PushedCode>&)>& onChange = {});

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::string m_machineNo;  // empty = not armed
    std::vector<PushedCode> m_arrived;
};

class CreatePushSource {
public:
    virtual ~CreatePushSource() = default;
    // Subscribed to /clients/{machineNo}, storing its pushes, collector armed: called before the
    // create is sent so that no push can be missed. An error means pushes cannot be used this time.
    virtual Status prepare(const std::string& machineNo) = 0;
    virtual CreatePushCollector& collector() = 0;
};

// Its own MQTT session for one generate: a clean session under a client id of its own (never the
// watcher's, which the broker would disconnect), QoS 1, ingest into `dbPath`.
class MqttCreatePushSource final : public CreatePushSource {
public:
    MqttCreatePushSource(PushSettings settings, std::string dbPath, int connectTimeoutMs = 10000);
    ~MqttCreatePushSource() override;
    MqttCreatePushSource(const MqttCreatePushSource&) = delete;
    MqttCreatePushSource& operator=(const MqttCreatePushSource&) = delete;

    Status prepare(const std::string& machineNo) override;
    CreatePushCollector& collector() override { return m_collector; }
    void stop();

private:
    PushSettings m_settings;
    std::string m_dbPath;
    int m_connectTimeoutMs;
    std::string m_machineNo;
    CreatePushCollector m_collector;  // outlives the pipeline that feeds it
    std::unique_ptr<ingest::IngestPipeline> m_pipeline;
    std::unique_ptr<net::MqttClient> m_client;
};

}  // namespace core::services
