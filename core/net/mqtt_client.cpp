#include "core/net/mqtt_client.hpp"

#include "core/net/mqtt_recovery.hpp"

#include <MQTTAsync.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace core::net {

const char* mqttStateName(MqttState state) {
    switch (state) {
    case MqttState::Disconnected: return "disconnected";
    case MqttState::Connecting: return "connecting";
    case MqttState::Connected: return "connected";
    case MqttState::Reconnecting: return "reconnecting";
    }
    return "disconnected";
}

std::string randomClientId() {
    std::random_device rd;
    std::mt19937_64 rng((std::uint64_t{rd()} << 32) ^ rd());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string id = "pickupdesk-";
    for (int i = 0; i < 12; ++i) id.push_back(kHex[rng() % 16]);
    return id;
}

std::string loadOrCreateClientId(const std::string& dir) {
    const std::filesystem::path file = std::filesystem::path(dir) / "client-id";
    {
        std::ifstream in(file);
        std::string id;
        if (in && std::getline(in, id) && !id.empty()) return id;
    }
    std::string id = randomClientId();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::ofstream out(file, std::ios::trunc);
    out << id << '\n';
    return id;
}

std::optional<std::string> clientIdWarning(std::string_view clientId) {
    if (clientId.size() < 8) return std::nullopt;
    for (char c : clientId) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    return "The client id '" + std::string(clientId) +
           "' looks like a machine number. A real machine connects with its machine number as client id, "
           "and the broker disconnects one of two clients that share an id: the machine would go offline. "
           "Leave the client id empty (Pickup Desk makes its own) or pick another one.";
}

namespace {

std::int64_t nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

bool isTlsUri(const std::string& uri) {
    return uri.rfind("ssl://", 0) == 0 || uri.rfind("wss://", 0) == 0 || uri.rfind("mqtts://", 0) == 0;
}

bool isWebSocketUri(const std::string& uri) { return uri.rfind("ws://", 0) == 0 || uri.rfind("wss://", 0) == 0; }

std::string pahoError(const std::string& what, int rc) {
    const char* text = MQTTAsync_strerror(rc);
    return what + ": " + (text != nullptr ? text : "error " + std::to_string(rc));
}

Error configError(std::string message) { return makeError(ErrorCode::Config, std::move(message)); }

}  // namespace

struct MqttClient::Impl {
    MqttConfig config;
    PushSink sink;
    StateListener listener;
    MQTTAsync handle = nullptr;

    mutable std::mutex mutex;
    std::condition_variable changed;
    MqttState state = MqttState::Disconnected;
    std::string lastError;
    bool subscribed = false;
    bool stopping = false;
    bool connectFailed = false;  // the first connect failed: the retry thread tries again
    std::thread retryThread;

    void setState(MqttState next, const std::string& error, bool clearSubscribed) {
        StateListener notify;
        std::string errorCopy;
        {
            std::lock_guard lock(mutex);
            state = next;
            if (!error.empty()) lastError = error;
            if (clearSubscribed) subscribed = false;
            errorCopy = lastError;
            notify = listener;
        }
        changed.notify_all();
        if (notify) notify(next, errorCopy);
    }

    int connect();
    void subscribeAll();
    void retryLoop();

    // Hands a push to the sink until it is stored or the client stops. Returning 0 to Paho instead
    // makes Paho acknowledge it anyway and park it, and everything after it, in its own queue (a file
    // each, on the disk that may be the full one). Retrying here with backoff while Paho's receive
    // thread waits leaves them unacknowledged at the broker. 0 only on stop: Paho keeps that one.
    bool deliver(const RawPush& push) {
        if (!sink) return true;
        auto delay = std::chrono::milliseconds(100);
        for (;;) {
            if (sink(push)) return true;
            std::unique_lock lock(mutex);
            if (changed.wait_for(lock, delay, [&] { return stopping; })) return false;
            delay = std::min(delay * 2, std::chrono::milliseconds(2000));
        }
    }

    // QoS 2 pushes that a killed predecessor may not have stored (mqtt_recovery.hpp), handed to the
    // sink once, before any network exchange lets Paho delete their files. A push the store has
    // already is a no-op there (dedup key); one it cannot take stays in the file for the next start.
    void recoverUnfinished() {
        if (recovered || config.persistenceDir.empty() || !sink) return;
        recovered = true;
        for (const RawPush& push : unfinishedQos2Pushes(config.persistenceDir, config.clientId)) {
            if (!sink(push)) break;
        }
    }
    bool recovered = false;

    // ---- Paho callbacks (library threads): copy, hand over, return ----
    static int onMessage(void* context, char* topic, int topicLen, MQTTAsync_message* message) {
        auto* self = static_cast<Impl*>(context);
        bool stored = false;
        try {
            RawPush push;
            push.topic = topicLen > 0 ? std::string(topic, static_cast<size_t>(topicLen)) : std::string(topic);
            if (message->payloadlen > 0) {
                push.payload.assign(static_cast<const char*>(message->payload), static_cast<size_t>(message->payloadlen));
            }
            push.qos = message->qos;
            push.receivedMs = nowMs();
            stored = self->deliver(push);
        } catch (...) {
            stored = false;  // never let an exception cross into C
        }
        if (!stored) return 0;  // keep it: Paho delivers it again (do not free, paho.mqtt.c #564)
        MQTTAsync_freeMessage(&message);
        MQTTAsync_free(topic);
        return 1;
    }

    static void onConnectionLost(void* context, char* cause) {
        auto* self = static_cast<Impl*>(context);
        std::string text = "Connection to the broker lost";
        if (cause != nullptr && *cause != '\0') text += std::string(": ") + cause;
        text += "; reconnecting.";
        self->setState(MqttState::Reconnecting, text, true);
    }

    static void onConnected(void* context, char*) {
        auto* self = static_cast<Impl*>(context);
        {
            std::lock_guard lock(self->mutex);
            self->connectFailed = false;
        }
        self->setState(MqttState::Connected, {}, true);
        self->subscribeAll();
    }

    static void recordConnectFailure(Impl* self, int code, const char* message) {
        std::string text = "Could not connect to the MQTT broker " + self->config.serverUri;
        if (message != nullptr && *message != '\0') {
            text += std::string(": ") + message;
        } else {
            text += ": " + pahoError("code", code);
        }
        text += ". Check the broker URL, user name and password (and the CA file for TLS); retrying.";
        {
            std::lock_guard lock(self->mutex);
            self->connectFailed = true;
        }
        self->setState(MqttState::Reconnecting, text, true);
    }

    static void onConnectFailure(void* context, MQTTAsync_failureData* response) {
        recordConnectFailure(static_cast<Impl*>(context), response != nullptr ? response->code : -1,
                             response != nullptr ? response->message : nullptr);
    }
    static void onConnectFailure5(void* context, MQTTAsync_failureData5* response) {
        recordConnectFailure(static_cast<Impl*>(context), response != nullptr ? response->code : -1,
                             response != nullptr ? response->message : nullptr);
    }

    static void subscribed3(void* context, MQTTAsync_successData* response) {
        auto* self = static_cast<Impl*>(context);
        const bool refused = response != nullptr && self->config.subscriptions.size() == 1 && response->alt.qos == 0x80;
        self->finishSubscribe(!refused);
    }
    static void subscribed5(void* context, MQTTAsync_successData5* response) {
        auto* self = static_cast<Impl*>(context);
        bool ok = true;
        if (response != nullptr) {
            // Paho fills reasonCodes only for several filters; one filter's code is in reasonCode.
            if (response->alt.sub.reasonCodes == nullptr || response->alt.sub.reasonCodeCount <= 1) {
                ok = response->reasonCode < 0x80;
            } else {
                for (int i = 0; i < response->alt.sub.reasonCodeCount; ++i) {
                    if (response->alt.sub.reasonCodes[i] >= 0x80) ok = false;
                }
            }
        }
        self->finishSubscribe(ok);
    }
    static void subscribeFailed(void* context, MQTTAsync_failureData*) { static_cast<Impl*>(context)->finishSubscribe(false); }
    static void subscribeFailed5(void* context, MQTTAsync_failureData5*) { static_cast<Impl*>(context)->finishSubscribe(false); }

    void finishSubscribe(bool ok) {
        {
            std::lock_guard lock(mutex);
            subscribed = ok;
            if (!ok) lastError = "The broker refused a subscription; check the topic filter and the user's permissions.";
        }
        changed.notify_all();
    }
};

namespace {

MQTTAsync_connectOptions baseConnectOptions(bool v5, bool ws) {
    if (v5 && ws) return MQTTAsync_connectOptions_initializer5_ws;
    if (v5) return MQTTAsync_connectOptions_initializer5;
    if (ws) return MQTTAsync_connectOptions_initializer_ws;
    return MQTTAsync_connectOptions_initializer;
}

}  // namespace

int MqttClient::Impl::connect() {
    const bool v5 = config.mqttVersion == 5;
    MQTTAsync_connectOptions opts = baseConnectOptions(v5, isWebSocketUri(config.serverUri));
    opts.keepAliveInterval = config.keepAliveSeconds;
    opts.connectTimeout = config.connectTimeoutSeconds;
    opts.automaticReconnect = 1;
    opts.minRetryInterval = config.minRetrySeconds;
    opts.maxRetryInterval = config.maxRetrySeconds;
    opts.context = this;
    if (!config.username.empty()) opts.username = config.username.c_str();
    if (!config.password.empty()) opts.password = config.password.c_str();

    MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
    if (isTlsUri(config.serverUri)) {
        ssl.enableServerCertAuth = 1;  // never off
        ssl.verify = 1;                // host name check
        if (!config.caFile.empty()) ssl.trustStore = config.caFile.c_str();
        if (!config.clientCert.empty()) ssl.keyStore = config.clientCert.c_str();
        if (!config.clientKey.empty()) ssl.privateKey = config.clientKey.c_str();
        opts.ssl = &ssl;
    }

    MQTTProperties props = MQTTProperties_initializer;
    if (v5) {
        opts.cleanstart = config.cleanStart ? 1 : 0;
        MQTTProperty expiry;
        expiry.identifier = MQTTPROPERTY_CODE_SESSION_EXPIRY_INTERVAL;
        expiry.value.integer4 = config.sessionExpirySeconds;
        MQTTProperties_add(&props, &expiry);
        opts.connectProperties = &props;
        opts.onFailure5 = &Impl::onConnectFailure5;
    } else {
        opts.cleansession = config.cleanStart ? 1 : 0;
        opts.MQTTVersion = MQTTVERSION_3_1_1;
        opts.onFailure = &Impl::onConnectFailure;
    }
    const int rc = MQTTAsync_connect(handle, &opts);  // copies what it keeps
    MQTTProperties_free(&props);
    return rc;
}

void MqttClient::Impl::subscribeAll() {
    if (config.subscriptions.empty()) {
        finishSubscribe(true);
        return;
    }
    std::vector<char*> filters;
    std::vector<int> qos;
    for (auto& s : config.subscriptions) {
        filters.push_back(s.filter.data());
        qos.push_back(s.qos);
    }
    MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
    opts.context = this;
    if (config.mqttVersion == 5) {
        opts.onSuccess5 = &Impl::subscribed5;
        opts.onFailure5 = &Impl::subscribeFailed5;
    } else {
        opts.onSuccess = &Impl::subscribed3;
        opts.onFailure = &Impl::subscribeFailed;
    }
    const int rc = MQTTAsync_subscribeMany(handle, static_cast<int>(filters.size()), filters.data(), qos.data(), &opts);
    if (rc != MQTTASYNC_SUCCESS) {
        std::lock_guard lock(mutex);
        lastError = pahoError("Could not subscribe", rc);
    }
}

// Paho's automatic reconnect covers a lost connection; a first connect that fails is retried here.
void MqttClient::Impl::retryLoop() {
    int delay = std::max(1, config.minRetrySeconds);
    std::unique_lock lock(mutex);
    while (!stopping) {
        changed.wait_for(lock, std::chrono::seconds(delay), [&] { return stopping; });
        if (stopping) break;
        if (state == MqttState::Connected || !connectFailed) continue;
        // Never call into Paho holding our mutex: Paho's threads hold theirs when they call us back
        // (onConnectFailure takes ours), so the two orders would deadlock (found by TSan).
        lock.unlock();
        const bool connected = MQTTAsync_isConnected(handle) != 0;
        lock.lock();
        if (connected || stopping) continue;
        connectFailed = false;
        lock.unlock();
        const int rc = connect();
        lock.lock();
        if (rc != MQTTASYNC_SUCCESS) {
            connectFailed = true;
            lastError = pahoError("Could not start connecting to " + config.serverUri, rc);
        }
        delay = std::min(delay * 2, std::max(1, config.maxRetrySeconds));
    }
}

MqttClient::MqttClient(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

MqttClient::~MqttClient() {
    stop();
    if (m_impl->handle != nullptr) MQTTAsync_destroy(&m_impl->handle);
}

Result<std::unique_ptr<MqttClient>> MqttClient::create(MqttConfig config, PushSink sink, StateListener listener) {
    const std::string& uri = config.serverUri;
    const bool knownScheme = uri.rfind("tcp://", 0) == 0 || uri.rfind("mqtt://", 0) == 0 || isTlsUri(uri) ||
                             isWebSocketUri(uri);
    if (!knownScheme) {
        return configError("The broker URL '" + uri +
                           "' is not usable: write it as tcp://host:1883, ssl://host:8883, ws://host:port/path or wss://...");
    }
    if (config.mqttVersion != 4 && config.mqttVersion != 5) {
        return configError("MQTT version " + std::to_string(config.mqttVersion) + " is not supported: use 3.1.1 or 5.");
    }
    for (const auto& s : config.subscriptions) {
        if (s.filter.empty() || s.qos < 0 || s.qos > 2) {
            return configError("A subscription needs a topic filter and a QoS of 0, 1 or 2.");
        }
    }
    if (config.clientId.empty()) config.clientId = randomClientId();

    auto impl = std::make_unique<Impl>();
    impl->config = std::move(config);
    impl->sink = std::move(sink);
    impl->listener = std::move(listener);

    MQTTAsync_createOptions create = MQTTAsync_createOptions_initializer;
    create.MQTTVersion = impl->config.mqttVersion == 5 ? MQTTVERSION_5 : MQTTVERSION_3_1_1;
    const bool persist = !impl->config.persistenceDir.empty();
    if (persist) {
        std::error_code ec;
        std::filesystem::create_directories(impl->config.persistenceDir, ec);
        if (ec) {
            return makeError(ErrorCode::Storage, "Could not create the MQTT session folder '" + impl->config.persistenceDir +
                                                     "': " + ec.message() + ". Check the data directory's permissions.");
        }
    }
    // Never the current directory: Paho's default persistence writes there without a context.
    int rc = MQTTAsync_createWithOptions(&impl->handle, impl->config.serverUri.c_str(), impl->config.clientId.c_str(),
                                         persist ? MQTTCLIENT_PERSISTENCE_DEFAULT : MQTTCLIENT_PERSISTENCE_NONE,
                                         persist ? impl->config.persistenceDir.data() : nullptr, &create);
    if (rc != MQTTASYNC_SUCCESS) return configError(pahoError("Could not create the MQTT client for " + impl->config.serverUri, rc));
    // Callbacks before connect: queued session messages arrive right after CONNACK.
    rc = MQTTAsync_setCallbacks(impl->handle, impl.get(), &Impl::onConnectionLost, &Impl::onMessage, nullptr);
    if (rc == MQTTASYNC_SUCCESS) rc = MQTTAsync_setConnected(impl->handle, impl.get(), &Impl::onConnected);
    if (rc != MQTTASYNC_SUCCESS) {
        MQTTAsync_destroy(&impl->handle);
        return configError(pahoError("Could not set up the MQTT client callbacks", rc));
    }
    return std::unique_ptr<MqttClient>(new MqttClient(std::move(impl)));
}

Status MqttClient::start() {
    Impl& d = *m_impl;
    {
        std::lock_guard lock(d.mutex);
        d.stopping = false;
        d.connectFailed = false;
    }
    d.recoverUnfinished();
    d.setState(MqttState::Connecting, {}, true);
    const int rc = d.connect();
    if (rc != MQTTASYNC_SUCCESS) {
        d.setState(MqttState::Disconnected, pahoError("Could not start connecting to " + d.config.serverUri, rc), true);
        return makeError(ErrorCode::Network, lastError() + ". Check the broker URL.");
    }
    if (!d.retryThread.joinable()) d.retryThread = std::thread([&d] { d.retryLoop(); });
    return {};
}

Status MqttClient::waitReady(int timeoutMs) {
    Impl& d = *m_impl;
    std::unique_lock lock(d.mutex);
    const bool ok = d.changed.wait_for(lock, std::chrono::milliseconds(timeoutMs),
                                       [&] { return d.state == MqttState::Connected && d.subscribed; });
    if (ok) return {};
    std::string message = "Not connected to the MQTT broker " + d.config.serverUri + " after " +
                          std::to_string(timeoutMs / 1000.0).substr(0, 4) + " s";
    if (!d.lastError.empty()) message += ": " + d.lastError;
    return makeError(ErrorCode::Timeout, message + " Check that the broker runs and the URL is right.");
}

void MqttClient::stop() {
    Impl& d = *m_impl;
    {
        std::lock_guard lock(d.mutex);
        if (d.stopping && !d.retryThread.joinable()) return;
        d.stopping = true;
    }
    d.changed.notify_all();
    if (d.retryThread.joinable()) d.retryThread.join();
    if (d.handle != nullptr && MQTTAsync_isConnected(d.handle)) {
        MQTTAsync_disconnectOptions opts = MQTTAsync_disconnectOptions_initializer;
        opts.timeout = 2000;
        if (MQTTAsync_disconnect(d.handle, &opts) == MQTTASYNC_SUCCESS) {
            for (int i = 0; i < 100 && MQTTAsync_isConnected(d.handle); ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    }
    d.setState(MqttState::Disconnected, {}, true);
}

MqttState MqttClient::state() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->state;
}

std::string MqttClient::lastError() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->lastError;
}

bool MqttClient::ready() const {
    std::lock_guard lock(m_impl->mutex);
    return m_impl->state == MqttState::Connected && m_impl->subscribed;
}

const std::string& MqttClient::clientId() const { return m_impl->config.clientId; }

Status MqttClient::publish(const std::string& topic, const std::string& payload, int qos, bool retain) {
    MQTTAsync_message message = MQTTAsync_message_initializer;
    message.payload = const_cast<char*>(payload.data());  // Paho copies it
    message.payloadlen = static_cast<int>(payload.size());
    message.qos = qos;
    message.retained = retain ? 1 : 0;
    MQTTAsync_responseOptions opts = MQTTAsync_responseOptions_initializer;
    const int rc = MQTTAsync_sendMessage(m_impl->handle, topic.c_str(), &message, &opts);
    if (rc != MQTTASYNC_SUCCESS) {
        return makeError(ErrorCode::Network, pahoError("Could not publish to " + topic, rc) +
                                                 ". Check the broker connection and try again.");
    }
    return {};
}

Status MqttClient::flush(int timeoutMs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    for (;;) {
        MQTTAsync_token* tokens = nullptr;
        if (MQTTAsync_getPendingTokens(m_impl->handle, &tokens) != MQTTASYNC_SUCCESS) {
            return makeError(ErrorCode::Network, "Could not read the publishing state of the MQTT client.");
        }
        const bool pending = tokens != nullptr && tokens[0] != -1;
        if (tokens != nullptr) MQTTAsync_free(tokens);
        if (!pending) return {};
        if (std::chrono::steady_clock::now() >= deadline) {
            return makeError(ErrorCode::Timeout, "The broker did not acknowledge every published message within " +
                                                     std::to_string(timeoutMs) + " ms; check the connection.");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace core::net
