#include "core/services/push_confirm.hpp"

#include <algorithm>

namespace core::services {

namespace {
constexpr std::string_view kCreate = "client.pickup_codes.create";
}  // namespace

void CreatePushCollector::arm(const std::string& machineNo) {
    std::lock_guard lock(m_mutex);
    m_machineNo = machineNo;
    m_arrived.clear();
}

void CreatePushCollector::disarm() {
    std::lock_guard lock(m_mutex);
    m_machineNo.clear();
}

void CreatePushCollector::onStored(const ingest::StoredPush& stored) {
    const auto& m = stored.message;
    if (m.method != kCreate || !protocol::mayApply(m) || !m.create || !m.create->id || m.create->code.empty()) return;
    // Applied now, or stored before by another writer of the same database (a duplicate).
    if (!stored.duplicate && stored.applied != store::Applied::Yes) return;
    {
        std::lock_guard lock(m_mutex);
        if (m_machineNo.empty() || m.machineNo != m_machineNo) return;
        for (const auto& p : m_arrived) {
            if (p.id == *m.create->id) return;
        }
        m_arrived.push_back({m.machineNo, *m.create->id, m.create->productId.value_or(0), m.create->code});
    }
    m_changed.notify_all();
}

std::vector<PushedCode> CreatePushCollector::waitUntil(const std::function<bool(const std::vector<PushedCode>&)>& enough,
                                                       Clock::time_point deadline,
                                                       const std::function<void(const std::vector<PushedCode>&)>& onChange) {
    std::unique_lock lock(m_mutex);
    size_t seen = 0;
    for (;;) {
        if (m_arrived.size() != seen) {
            seen = m_arrived.size();
            if (onChange) {
                const auto copy = m_arrived;
                lock.unlock();
                onChange(copy);
                lock.lock();
                continue;  // more may have come while the callback ran
            }
        }
        if (enough(m_arrived) || Clock::now() >= deadline) return m_arrived;
        // Wake at least every 100 ms so `enough` can also watch a cancel flag.
        const auto slice = std::min(deadline, Clock::now() + std::chrono::milliseconds(100));
        m_changed.wait_until(lock, slice, [&] { return m_arrived.size() != seen; });
    }
}

MqttCreatePushSource::MqttCreatePushSource(PushSettings settings, std::string dbPath, int connectTimeoutMs)
    : m_settings(std::move(settings)), m_dbPath(std::move(dbPath)), m_connectTimeoutMs(connectTimeoutMs) {}

MqttCreatePushSource::~MqttCreatePushSource() { stop(); }

void MqttCreatePushSource::stop() {
    if (m_client) m_client->stop();
    m_client.reset();
    if (m_pipeline) m_pipeline->stop();
    m_pipeline.reset();
    m_collector.disarm();
}

Status MqttCreatePushSource::prepare(const std::string& machineNo) {
    if (m_client && m_machineNo == machineNo && m_client->ready()) {
        m_collector.arm(machineNo);
        return {};
    }
    stop();
    m_collector.arm(machineNo);  // before the client connects: nothing is missed
    ingest::IngestConfig ic;
    ic.dbPath = m_dbPath;
    ic.pushKey = m_settings.pushKey;
    ic.encoding = m_settings.encoding;
    auto pipeline = ingest::IngestPipeline::start(ic, [this](const ingest::StoredPush& s) { m_collector.onStored(s); });
    if (!pipeline) return pipeline.error();
    m_pipeline = std::move(*pipeline);

    net::MqttConfig config = m_settings.mqtt;
    // Never the watcher's id: the broker would disconnect one of the two.
    config.clientId = config.clientId.empty() ? net::randomClientId() : config.clientId + "-gen";
    config.cleanStart = true;  // a short-lived subscription: nothing to resume
    config.persistenceDir.clear();
    config.connectTimeoutSeconds = std::max(1, m_connectTimeoutMs / 1000);
    config.subscriptions = {{"/clients/" + machineNo, 1}};
    auto client = net::MqttClient::create(config, m_pipeline->sink());
    if (!client) return client.error();
    m_client = std::move(*client);
    if (auto started = m_client->start(); !started) return started.error();
    if (auto ready = m_client->waitReady(m_connectTimeoutMs); !ready) {
        stop();
        return ready.error();
    }
    m_machineNo = machineNo;
    return {};
}

}  // namespace core::services
