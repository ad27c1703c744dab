// Backend: MQTT pushes. The client and the ingest writer run on their own (library) threads; the
// writer's callback only raises a flag and posts one PushesArrived while the UI has not caught up,
// so the writer never waits for the UI. The console then samples the store on the query worker.
#include "app/desktop/backend.hpp"

#include "app/desktop/backend_env.hpp"
#include "core/secrets/secret_store.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace app::desktop {
namespace {

std::string envOr(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

PushRow toRow(const core::store::PushEvent& e) {
    // Decoded again for the label and summaries; the verification is the one recorded at arrival.
    auto m = core::protocol::decodePush(e.payload, e.topic, "", core::sign::Encoding::Raw);
    if (e.verification == "valid") m.verification = core::protocol::Verification::Valid;
    else if (e.verification == "invalid") m.verification = core::protocol::Verification::Invalid;
    else if (e.verification == "unsigned") m.verification = core::protocol::Verification::Unsigned;
    else m.verification = core::protocol::Verification::Undecodable;
    PushRow row;
    row.id = e.id;
    row.receivedMs = e.receivedMs;
    row.topic = e.topic;
    row.machineNo = e.machineNo.empty() ? m.machineNo : e.machineNo;
    row.method = e.method;
    row.labelEn = m.info != nullptr ? m.info->en : e.method;
    row.labelZh = m.info != nullptr ? m.info->zh : e.method;
    row.verification = m.verification;
    row.summaryEn = core::protocol::summarize(m, core::Lang::En);
    row.summaryZh = core::protocol::summarize(m, core::Lang::Zh);
    row.applied = core::store::appliedName(e.applied);
    row.payload = e.payload;
    row.decodeError = e.decodeError;
    // Pretty JSON and the typed view are made for the selected row only (PushesViewModel::detail):
    // at 1,000 pushes/s they were most of the console's cost and memory.
    row.decodedJson = e.decoded;
    row.notes = m.notes;
    return row;
}

}  // namespace

core::Result<core::net::MqttConfig> Backend::mqttConfig(const MqttSettings& settings,
                                                        const std::vector<std::string>& topics) {
    ServiceEnv& env = service();
    const core::Profile* profile = env.profile ? &*env.profile : nullptr;
    core::net::MqttConfig c;
    c.serverUri = !settings.url.empty() ? settings.url : envOr("PICKUPDESK_MQTT_URL", profile ? profile->mqttUrl : "");
    if (c.serverUri.empty()) {
        return core::makeError(core::ErrorCode::Config, "No MQTT broker configured: set the broker URL in the profile, "
                                                        "or PICKUPDESK_MQTT_URL, or start with --mqtt-url URL.");
    }
    c.username = !settings.username.empty() ? settings.username
                                            : envOr("PICKUPDESK_MQTT_USER", profile ? profile->mqttUser : "");
    c.password = settings.password;
    if (c.password.empty() && profile != nullptr && env.secrets) {
        auto stored = env.secrets->lookup(profile->name, core::secrets::SecretKind::MqttPassword);
        if (stored && *stored) c.password = **stored;
    }
    c.caFile = !settings.caFile.empty() ? settings.caFile : envOr("PICKUPDESK_CA_FILE", profile ? profile->mqttCaFile : "");
    if (profile != nullptr) {
        c.mqttVersion = profile->mqttVersion;
        c.clientCert = profile->mqttClientCert;
        c.clientKey = profile->mqttClientKey;
    }
    // The session lives next to the database, as pickupctl watch keeps it.
    const auto dir = std::filesystem::path(m_config.dbPath).parent_path() / "mqtt";
    c.clientId = profile != nullptr && !profile->mqttClientId.empty() ? profile->mqttClientId
                                                                     : core::net::loadOrCreateClientId(dir.string());
    c.persistenceDir = (dir / "session").string();
    for (const auto& t : topics) c.subscriptions.push_back({t, 1});
    return c;
}

core::Result<std::string> Backend::pushKey() {
    ServiceEnv& env = service();
    std::string key = envOr("PICKUPDESK_PUSH_KEY", "");
    if (!key.empty() || !env.profile) return key;
    return env.secrets->resolve(env.profile->name, core::secrets::SecretKind::PushVerifyKey);
}

namespace {

core::sign::Encoding signEncoding(const std::optional<core::Profile>& profile) {
    if (!profile) return core::sign::Encoding::Raw;
    return core::sign::parseEncoding(profile->signEncoding).value_or(core::sign::Encoding::Raw);
}

}  // namespace

std::unique_ptr<core::services::MqttCreatePushSource> Backend::generatePushSource() {
    ServiceEnv& env = service();
    if (!env.mqtt) return nullptr;  // no broker: generate lists the new codes instead
    auto config = mqttConfig(m_pushSettings, {});
    auto key = pushKey();
    if (!config || !key) return nullptr;
    core::services::PushSettings settings;
    settings.mqtt = std::move(*config);
    settings.pushKey = std::move(*key);
    settings.encoding = signEncoding(env.profile);
    return std::make_unique<core::services::MqttCreatePushSource>(std::move(settings), m_config.dbPath, 5000);
}

core::Status Backend::startPushesNow(const core::net::MqttConfig& config) {
    ServiceEnv& env = service();
    if (!env.store) return env.openError;
    auto key = pushKey();
    if (!key) return key.error();
    core::ingest::IngestConfig ic;
    ic.dbPath = m_config.dbPath;
    ic.pushKey = *key;
    ic.encoding = signEncoding(env.profile);
    auto events = m_events;
    auto notified = m_pushNotified;
    auto ingest = core::ingest::IngestPipeline::start(ic, [events, notified](const core::ingest::StoredPush&) {
        if (!notified->exchange(true)) events->post(PushesArrived{});
    });
    if (!ingest) return ingest.error();
    const std::string broker = config.serverUri;
    auto client = core::net::MqttClient::create(
        config, (*ingest)->sink(), [events, broker](core::net::MqttState state, const std::string& error) {
            events->post(MqttStatus{true, state, broker, error});
        });
    if (!client) return client.error();
    env.ingest = std::move(*ingest);
    env.mqtt = std::move(*client);
    env.mqttTopics.clear();
    for (const auto& sub : config.subscriptions) env.mqttTopics.push_back(sub.filter);
    m_events->post(MqttStatus{true, core::net::MqttState::Connecting, broker, {}});
    return env.mqtt->start();
}

void Backend::startPushes(const MqttSettings& settings, const std::vector<std::string>& machineNos) {
    m_service.post([this, settings, machineNos] {
        ServiceEnv& env = service();
        std::vector<std::string> topics;
        for (const auto& no : machineNos) topics.push_back("/clients/" + no);
        if (env.mqtt && env.mqttTopics == topics) return;
        m_pushSettings = settings;
        // Restart with the new topics (the persistent session keeps what arrived meanwhile).
        env.mqtt.reset();
        env.ingest.reset();
        (void)codes();  // loads the profile (push key, broker fields) when there is one
        auto config = mqttConfig(settings, topics);
        if (!config) return m_events->post(MqttStatus{false, core::net::MqttState::Disconnected, {}, config.error().message});
        if (auto ok = startPushesNow(*config); !ok) {
            env.mqtt.reset();
            env.ingest.reset();
            m_events->post(MqttStatus{true, core::net::MqttState::Disconnected, config->serverUri, ok.error().message});
        }
    });
}

void Backend::stopPushes() {
    m_service.post([this] {
        ServiceEnv& env = service();
        env.mqtt.reset();
        env.ingest.reset();
        env.mqttTopics.clear();
    });
}

void Backend::queryPushes(std::uint64_t generation, std::int64_t afterId, int limit) {
    m_query.post([this, generation, afterId, limit] {
        auto* store = queryStore();
        if (store == nullptr) return;
        core::store::PushEventFilter filter;
        filter.limit = limit;
        if (afterId < 0) {
            filter.newestFirst = true;
        } else {
            filter.afterId = afterId;
        }
        auto events = core::store::queryPushEvents(*store, filter);
        if (!events) return postFailure("action.query_pushes", events.error());
        if (afterId < 0) std::reverse(events->begin(), events->end());
        PushesLoaded loaded;
        loaded.generation = generation;
        loaded.newestWindow = afterId < 0;
        loaded.more = afterId >= 0 && static_cast<int>(events->size()) == limit;
        loaded.rows.reserve(events->size());
        for (const auto& e : *events) loaded.rows.push_back(toRow(e));
        m_events->post(std::move(loaded));
    });
}

void Backend::machinePushInfo(const std::string& machineNo) {
    m_query.post([this, machineNo] {
        auto* store = queryStore();
        if (store == nullptr) return;
        MachinePushInfo info;
        info.machineNo = machineNo;
        core::store::PushEventFilter filter;
        filter.machineNo = machineNo;
        filter.newestFirst = true;
        filter.limit = 1;
        if (auto last = core::store::queryPushEvents(*store, filter); last && !last->empty()) {
            info.lastPushMs = last->front().receivedMs;
        }
        if (auto warnings = core::store::listTzWarnings(*store)) {
            for (const auto& w : *warnings) {
                if (w.machineNo == machineNo) info.tzWarning = w;
            }
        }
        m_events->post(std::move(info));
    });
}

void Backend::exportPushes(std::vector<PushRow> rows, const std::string& path, PushExportFormat format) {
    m_export.post([this, rows = std::move(rows), path, format] {
        PushesExported done;
        done.path = path;
        done.count = static_cast<int>(rows.size());
        if (auto written = writePushes(path, rows, format); !written) done.error = written.error();
        m_events->post(std::move(done));
    });
}

}  // namespace app::desktop
