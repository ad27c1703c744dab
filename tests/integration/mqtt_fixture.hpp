#pragma once
// Pieces shared by the MQTT tests: signed vendor pushes, an in-process watcher (MqttClient +
// IngestPipeline on a real SQLite file) and a publisher, all against a real mosquitto.
#include "core/ingest/ingest_pipeline.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/protocol/push_message.hpp"
#include "core/store/push_store.hpp"
#include "core/store/store.hpp"
#include "tests/support/mosquitto.hpp"
#include "tests/support/temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace testsupport {

inline constexpr const char* kPushKey = "push-key-test";
inline constexpr const char* kMachine = "20240601";

inline std::string topicOf(const std::string& machineNo) { return "/clients/" + machineNo; }

// A create as the vendor sends it: expired_at in ms, expired_day at `offsetSeconds` from UTC.
inline std::string createPush(std::int64_t id, const std::string& code, std::int64_t expiresUtc = 1893456000,
                              int offsetSeconds = 8 * 3600, const std::string& machineNo = kMachine,
                              const std::string& key = kPushKey) {
    const std::time_t wall = static_cast<std::time_t>(expiresUtc + offsetSeconds);
    std::tm tm{};
    gmtime_r(&wall, &tm);
    char day[32];
    std::strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
    return core::protocol::encodePush({{"method", "client.pickup_codes.create"}, {"client_id", machineNo},
                                       {"machine_id", "77"}, {"timestamp", "1761200000"}, {"status", "0"},
                                       {"id", std::to_string(id)}, {"product_id", "20001"}, {"code", code},
                                       {"quantity", "1"}, {"expired_at", std::to_string(expiresUtc * 1000)},
                                       {"expired_day", day}, {"used", "0"}},
                                      key, core::sign::Encoding::Raw);
}

inline std::string deletePush(std::int64_t id, const std::string& machineNo = kMachine, const std::string& key = kPushKey) {
    return core::protocol::encodePush({{"method", "client.pickup_codes.delete"}, {"client_id", machineNo},
                                       {"machine_id", "77"}, {"timestamp", "1761200001"}, {"id", std::to_string(id)}},
                                      key, core::sign::Encoding::Raw);
}

inline std::string putPush(std::int64_t id, const std::string& machineNo = kMachine, const std::string& key = kPushKey) {
    return core::protocol::encodePush({{"method", "client.pickup_codes.put"}, {"client_id", machineNo},
                                       {"machine_id", "77"}, {"timestamp", "1761200002"}, {"id", std::to_string(id)},
                                       {"used", "1"}},
                                      key, core::sign::Encoding::Raw);
}

// Polls `done` every 20 ms until it holds or timeoutMs passes.
inline bool waitFor(const std::function<bool()>& done, int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return done();
}

inline core::net::MqttConfig clientConfig(const std::string& url, const std::string& clientId) {
    core::net::MqttConfig c;
    c.serverUri = url;
    c.clientId = clientId;
    c.keepAliveSeconds = 5;
    c.minRetrySeconds = 1;
    c.maxRetrySeconds = 2;
    c.connectTimeoutSeconds = 3;
    return c;
}

// A watcher in this process: persistent session, QoS 1, ingest into dbPath.
class Watcher {
public:
    Watcher(const std::string& url, const std::string& dbPath, const std::string& sessionDir,
            const std::string& clientId = "pickupdesk-test-watcher") {
        core::ingest::IngestConfig ic;
        ic.dbPath = dbPath;
        ic.pushKey = kPushKey;
        auto pipeline = core::ingest::IngestPipeline::start(ic);
        REQUIRE(pipeline.ok());
        m_pipeline = std::move(*pipeline);
        auto cfg = clientConfig(url, clientId);
        cfg.persistenceDir = sessionDir;
        cfg.subscriptions = {{topicOf(kMachine), 1}};
        auto client = core::net::MqttClient::create(cfg, m_pipeline->sink());
        REQUIRE(client.ok());
        m_client = std::move(*client);
        REQUIRE(m_client->start().ok());
        const auto ready = m_client->waitReady(8000);
        INFO((ready.ok() ? std::string() : ready.error().message));
        REQUIRE(ready.ok());
    }
    ~Watcher() { stop(); }
    void stop() {
        if (m_client) m_client->stop();
        m_client.reset();
        if (m_pipeline) m_pipeline->stop();
    }
    core::ingest::IngestStats stats() const { return m_pipeline->stats(); }
    std::uint64_t seen() const {  // stored + duplicates
        const auto s = m_pipeline->stats();
        return s.stored + s.duplicates;
    }
    core::net::MqttClient& client() { return *m_client; }

private:
    std::unique_ptr<core::ingest::IngestPipeline> m_pipeline;
    std::unique_ptr<core::net::MqttClient> m_client;
};

// A publisher that retries while the broker is away (QoS 1, its own session).
class Publisher {
public:
    explicit Publisher(const std::string& url, const std::string& clientId = "pickupdesk-test-publisher") {
        auto cfg = clientConfig(url, clientId);
        auto client = core::net::MqttClient::create(cfg, {});
        REQUIRE(client.ok());
        m_client = std::move(*client);
        REQUIRE(m_client->start().ok());
        REQUIRE(m_client->waitReady(8000).ok());
    }
    // Retries for up to timeoutMs when the broker is unreachable.
    bool publish(const std::string& topic, const std::string& payload, int qos = 1, int timeoutMs = 15000) {
        return waitFor([&] { return m_client->publish(topic, payload, qos).ok(); }, timeoutMs);
    }
    bool flush(int timeoutMs = 15000) { return m_client->flush(timeoutMs).ok(); }
    core::net::MqttClient& client() { return *m_client; }

private:
    std::unique_ptr<core::net::MqttClient> m_client;
};

inline std::unique_ptr<core::store::Store> openStore(const std::string& path) {
    auto store = core::store::Store::open(path);
    REQUIRE(store.ok());
    return std::move(*store);
}

inline std::int64_t scalar(core::store::Store& store, const std::string& sql) {
    return store.db().execAndGet(sql).getInt64();
}

}  // namespace testsupport
