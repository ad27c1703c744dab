// pickupctl watch / events: live MQTT pushes (decoded, verified, stored) and the stored event log.
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/ingest/ingest_pipeline.hpp"
#include "core/net/mqtt_client.hpp"
#include "core/protocol/push_message.hpp"
#include "core/store/push_store.hpp"
#include "core/tz/machine_time.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>

namespace cli {
namespace {

using core::ErrorCode;
using core::makeError;

std::atomic<bool> g_stop{false};
void onStopSignal(int) { g_stop = true; }

std::optional<std::string> env(const char* name) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

struct PushKeyChoice {
    std::string key;
    core::sign::Encoding encoding = core::sign::Encoding::Raw;
};

// PICKUPDESK_PUSH_KEY, else the profile's push key (which falls back to its signing key), else
// PICKUPDESK_SIGN_KEY when there is no profile at all.
core::Result<PushKeyChoice> pushKey(Context& ctx, const GlobalOptions& g) {
    PushKeyChoice choice;
    std::string encoding = env("PICKUPDESK_SIGN_ENCODING").value_or("");
    auto profile = ctx.profiles().current(g.profile);
    if (profile && encoding.empty()) encoding = profile->signEncoding;
    choice.encoding = core::sign::parseEncoding(encoding.empty() ? "raw" : encoding).value_or(core::sign::Encoding::Raw);
    if (auto key = env("PICKUPDESK_PUSH_KEY")) {
        choice.key = *key;
        return choice;
    }
    if (profile) {
        auto key = ctx.secrets().resolve(profile->name, core::secrets::SecretKind::PushVerifyKey);
        if (!key) return key.error();
        choice.key = *key;
        return choice;
    }
    if (auto key = env("PICKUPDESK_SIGN_KEY")) {
        choice.key = *key;
        return choice;
    }
    return makeError(ErrorCode::Config, "No push-verification key: set PICKUPDESK_PUSH_KEY (or PICKUPDESK_SIGN_KEY), "
                                        "or add a profile with `pickupctl profile add ... --push-key-stdin`.");
}

core::Result<std::vector<core::net::MqttSubscription>> subscriptions(Context& ctx, const GlobalOptions& g,
                                                                   const WatchCliOptions& o) {
    std::vector<core::net::MqttSubscription> subs;
    if (o.topic) subs.push_back({*o.topic, o.qos});
    for (const auto& no : o.machines) subs.push_back({"/clients/" + no, o.qos});
    if (subs.empty()) {
        auto profile = ctx.profiles().current(g.profile);
        if (profile) {
            auto machines = ctx.store().listMachines(profile->id);
            if (!machines) return machines.error();
            for (const auto& m : *machines) subs.push_back({"/clients/" + m.machineNo, o.qos});
        }
    }
    if (subs.empty()) {
        return makeError(ErrorCode::InvalidInput, "Nothing to watch: name machines (pickupctl watch 20240601), "
                                                  "give --topic, or fetch the machine list with `pickupctl machines`.");
    }
    return subs;
}

std::string isoMs(std::int64_t ms) { return core::tz::toIso8601Utc(ms / 1000); }

std::string humanLine(const core::ingest::StoredPush& s) {
    const auto& m = s.message;
    std::string line = core::tz::formatInZone(s.receivedMs / 1000, "UTC") + "Z  " +
                       (m.machineNo.empty() ? std::string("-") : m.machineNo) + "  " +
                       core::protocol::verificationName(m.verification) + "  " +
                       core::protocol::summarize(m, core::Lang::En);
    if (s.duplicate) line += "  (duplicate, already stored)";
    if (s.applied == core::store::Applied::Pending) line += "  (kept until its create arrives)";
    return line;
}

nlohmann::json storedJson(const core::ingest::StoredPush& s) {
    nlohmann::json out = core::protocol::pushJson(s.message);
    out["event_id"] = s.eventId;
    out["duplicate"] = s.duplicate;
    out["applied"] = core::store::appliedName(s.applied);
    out["received"] = isoMs(s.receivedMs);
    out["qos"] = s.qos;
    return out;
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// Lines from the writer thread to the main thread (which does the printing).
struct LineQueue {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<std::string> lines;
    void push(std::string line) {
        {
            std::lock_guard lock(mutex);
            lines.push_back(std::move(line));
        }
        ready.notify_one();
    }
};

// Says on stderr when pushes cannot be stored (a full disk, a locked file) and when storing works
// again. Nothing is lost meanwhile: the MQTT client retries the push in hand and the broker keeps
// the rest unacknowledged. While it lasts, one line every 10 s.
class StorageReport {
public:
    void update(const core::ingest::IngestStats& s) {
        const auto now = std::chrono::steady_clock::now();
        const std::uint64_t done = s.stored + s.duplicates;
        if (s.failedBatches > m_failed) {
            if (!m_failing || now - m_lastLine >= std::chrono::seconds(10)) {
                std::cerr << "error: " << s.lastError
                          << " Watch keeps retrying; nothing is acknowledged to the broker before it is stored.\n";
                m_lastLine = now;
            }
            m_failing = true;
            m_failed = s.failedBatches;
            m_doneAtFailure = done;
        } else if (m_failing && done > m_doneAtFailure) {
            std::cerr << "storing pushes again\n";
            m_failing = false;
        }
    }

private:
    std::uint64_t m_failed = 0;
    std::uint64_t m_doneAtFailure = 0;
    bool m_failing = false;
    std::chrono::steady_clock::time_point m_lastLine;
};

// The profile's broker settings (PICKUPDESK_MQTT_* override them); without a profile, the
// environment alone. --url, --mqtt5 and --client-id override both.
core::Result<core::net::MqttConfig> brokerSettings(Context& ctx, const GlobalOptions& g) {
    core::net::MqttConfig c;
    if (auto profile = ctx.profiles().current(g.profile)) {
        auto settings = ctx.profiles().pushSettings(*profile);
        if (!settings) return settings.error();
        if (settings->has_value()) return (*settings)->mqtt;
    }
    c.serverUri = env("PICKUPDESK_MQTT_URL").value_or("");
    c.username = env("PICKUPDESK_MQTT_USER").value_or("");
    c.password = env("PICKUPDESK_MQTT_PASSWORD").value_or("");
    c.caFile = env("PICKUPDESK_CA_FILE").value_or("");
    return c;
}

core::Result<core::net::MqttConfig> mqttConfig(Context& ctx, const GlobalOptions& g, const WatchCliOptions& o,
                                               const std::string& dbPath) {
    auto settings = brokerSettings(ctx, g);
    if (!settings) return settings.error();
    core::net::MqttConfig c = std::move(*settings);
    if (o.url) c.serverUri = *o.url;
    if (c.serverUri.empty()) {
        return makeError(ErrorCode::Config, "No MQTT broker: pass --url tcp://host:1883 (or ssl://...), set PICKUPDESK_MQTT_URL, "
                                            "or add one to the profile (pickupctl profile add ... --mqtt-url URL).");
    }
    if (o.mqtt5) c.mqttVersion = 5;
    // The session lives next to the database, never in the current directory.
    const auto dir = std::filesystem::path(dbPath).parent_path() / "mqtt";
    if (o.clientId) c.clientId = *o.clientId;
    if (c.clientId.empty()) c.clientId = core::net::loadOrCreateClientId(dir.string());
    c.persistenceDir = (dir / "session").string();
    c.connectTimeoutSeconds = std::max(1, static_cast<int>(g.timeoutSeconds));
    return c;
}

}  // namespace

int runWatch(const GlobalOptions& g, const WatchCliOptions& o) {
    auto ctx = Context::open(g, Access::Write);
    if (!ctx) return fail(ctx.error(), g);
    auto key = pushKey(**ctx, g);
    if (!key) return fail(key.error(), g);
    auto subs = subscriptions(**ctx, g, o);
    if (!subs) return fail(subs.error(), g);
    const std::string dbPath = (*ctx)->store().path();
    auto config = mqttConfig(**ctx, g, o, dbPath);
    if (!config) return fail(config.error(), g);
    config->subscriptions = *subs;
    if (auto warning = core::net::clientIdWarning(config->clientId)) std::cerr << "warning: " << *warning << '\n';

    LineQueue out;
    std::atomic<int> printed{0};
    core::ingest::IngestConfig ic;
    ic.dbPath = dbPath;
    ic.pushKey = key->key;
    ic.encoding = key->encoding;
    auto pipeline = core::ingest::IngestPipeline::start(ic, [&](const core::ingest::StoredPush& s) {
        out.push(g.json ? dump(storedJson(s)) : humanLine(s));
    });
    if (!pipeline) return fail(pipeline.error(), g);
    auto client = core::net::MqttClient::create(*config, (*pipeline)->sink(),
                                                [&](core::net::MqttState state, const std::string& error) {
                                                    std::string text = std::string("mqtt: ") + core::net::mqttStateName(state);
                                                    if (state == core::net::MqttState::Reconnecting && !error.empty()) text += ": " + error;
                                                    std::cerr << text + "\n";
                                                });
    if (!client) return fail(client.error(), g);
    g_stop = false;
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    if (auto started = (*client)->start(); !started) return fail(started.error(), g);
    if (auto ready = (*client)->waitReady(static_cast<int>(g.timeoutSeconds * 1000)); !ready) {
        (*client)->stop();
        return fail(ready.error(), g);
    }
    std::cerr << "watching " << subs->size() << " topic(s) as client " << config->clientId << '\n';

    const auto started = std::chrono::steady_clock::now();
    StorageReport storage;
    while (!g_stop) {
        std::deque<std::string> lines;
        {
            std::unique_lock lock(out.mutex);
            out.ready.wait_for(lock, std::chrono::milliseconds(100), [&] { return !out.lines.empty(); });
            lines.swap(out.lines);
        }
        for (auto& line : lines) {
            std::cout << line << '\n';
            if (o.count > 0 && ++printed >= o.count) g_stop = true;
        }
        std::cout.flush();
        storage.update((*pipeline)->stats());
        if (o.durationSeconds > 0 && std::chrono::steady_clock::now() - started >= std::chrono::duration<double>(o.durationSeconds)) {
            g_stop = true;
        }
    }
    (*client)->stop();
    (*pipeline)->stop();
    const auto s = (*pipeline)->stats();
    std::cerr << "stored " << s.stored << ", duplicates " << s.duplicates << ", not valid " << s.notValid << ", applied "
              << s.applied << '\n';
    return kExitOk;
}

// ---- events ----

namespace {

// "30m", "2h", "7d" ago, epoch seconds, or "YYYY-MM-DD[ HH:MM[:SS]]" in UTC.
core::Result<std::int64_t> parseSince(const std::string& text) {
    if (!text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) && text.size() >= 2) {
        const char unit = text.back();
        const std::string number = text.substr(0, text.size() - 1);
        const bool digits = number.find_first_not_of("0123456789") == std::string::npos;
        const std::int64_t scale = unit == 'm' ? 60 : unit == 'h' ? 3600 : unit == 'd' ? 86400 : unit == 's' ? 1 : 0;
        if (digits && scale != 0) return (core::tz::nowUtc() - std::stoll(number) * scale) * 1000;
    }
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
        return core::tz::normalizeEpoch(std::stoll(text)) * 1000;
    }
    auto utc = core::tz::localToUtc(text.size() == 10 ? text + " 00:00" : text, "UTC");
    if (utc) return *utc * 1000;
    return makeError(ErrorCode::InvalidInput, "--since '" + text + "' is not a time: use 30m, 2h, 7d, epoch seconds, "
                                              "or \"YYYY-MM-DD HH:MM\" (UTC).");
}

core::protocol::Verification verificationOf(const std::string& name) {
    using core::protocol::Verification;
    if (name == "valid") return Verification::Valid;
    if (name == "invalid") return Verification::Invalid;
    if (name == "unsigned") return Verification::Unsigned;
    return Verification::Undecodable;
}

}  // namespace

int runEvents(const GlobalOptions& g, const EventsCliOptions& o) {
    auto ctx = Context::open(g);
    if (!ctx) return fail(ctx.error(), g);
    core::store::PushEventFilter filter;
    filter.machineNo = o.machineNo;
    filter.method = o.method;
    filter.notValidOnly = o.invalid;
    filter.limit = o.limit;
    filter.newestFirst = true;
    if (o.since) {
        auto since = parseSince(*o.since);
        if (!since) return fail(since.error(), g);
        filter.sinceMs = *since;
    }
    auto events = core::store::queryPushEvents((*ctx)->store(), filter);
    if (!events) return fail(events.error(), g);
    std::reverse(events->begin(), events->end());  // oldest first on screen

    nlohmann::json list = nlohmann::json::array();
    Table table({"ID", "RECEIVED (UTC)", "MACHINE", "VERIFICATION", "APPLIED", "SUMMARY"});
    for (const auto& e : *events) {
        // Decoded again for the typed view; the verification is the one recorded at arrival.
        auto m = core::protocol::decodePush(e.payload, e.topic, "", core::sign::Encoding::Raw);
        m.verification = verificationOf(e.verification);
        if (g.json) {
            nlohmann::json j = core::protocol::pushJson(m);
            j["event_id"] = e.id;
            j["applied"] = core::store::appliedName(e.applied);
            j["received"] = isoMs(e.receivedMs);
            j["qos"] = e.qos;
            list.push_back(std::move(j));
        } else {
            table.addRow({std::to_string(e.id), core::tz::formatInZone(e.receivedMs / 1000, "UTC"),
                          e.machineNo.empty() ? "-" : e.machineNo, e.verification, core::store::appliedName(e.applied),
                          core::protocol::summarize(m, core::Lang::En)});
        }
    }
    if (g.json) {
        std::cout << dump(list) << '\n';
    } else if (table.empty()) {
        std::cout << "No stored pushes match. `pickupctl watch` stores them as they arrive.\n";
    } else {
        table.print(std::cout);
    }
    return kExitOk;
}

}  // namespace cli
