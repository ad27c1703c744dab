#include "app/sim/sim_push.hpp"

#include "core/protocol/push_message.hpp"
#include "core/tz/machine_time.hpp"
#include "core/util/base64.hpp"

#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

namespace app::sim {
namespace {

std::string nowSeconds() { return std::to_string(core::tz::nowUtc()); }

core::sign::Params common(const std::string& method, const SimMachine& machine) {
    return {{"method", method}, {"client_id", machine.machineNo}, {"machine_id", std::to_string(machine.machineId)},
            {"timestamp", nowSeconds()}, {"status", "0"}};
}

// Vendor shape (vendor-protocol.md §4): expired_at in ms, expired_day in the machine's zone.
core::sign::Params createFields(const SimMachine& machine, const SimCode& code) {
    auto f = common("client.pickup_codes.create", machine);
    f["id"] = std::to_string(code.id);
    f["product_id"] = std::to_string(code.productId);
    f["code"] = code.code;
    f["quantity"] = std::to_string(code.quantity);
    f["used"] = code.used ? "1" : "0";
    if (code.expiresAt) {
        f["expired_at"] = std::to_string(*code.expiresAt * 1000);
        f["expired_day"] = core::tz::formatInZone(*code.expiresAt, machine.timezone);
    }
    return f;
}

}  // namespace

std::unique_ptr<PushPublisher> PushPublisher::connect(const PushConfig& config, std::string& error) {
    core::net::MqttConfig mc;
    mc.serverUri = config.mqttUrl;
    mc.clientId = "pickupdesk-sim-" + core::net::randomClientId().substr(11);
    mc.cleanStart = true;
    auto client = core::net::MqttClient::create(mc, {});
    if (!client) {
        error = client.error().message;
        return nullptr;
    }
    if (auto started = (*client)->start(); !started) {
        error = started.error().message;
        return nullptr;
    }
    if (auto ready = (*client)->waitReady(10000); !ready) {
        error = ready.error().message;
        return nullptr;
    }
    return std::unique_ptr<PushPublisher>(new PushPublisher(config, std::move(*client)));
}

PushPublisher::PushPublisher(PushConfig config, std::unique_ptr<core::net::MqttClient> client)
    : m_config(std::move(config)), m_client(std::move(client)) {}

void PushPublisher::send(const std::string& machineNo, core::sign::Params fields) {
    const std::string payload = core::protocol::encodePush(std::move(fields), m_config.pushKey, m_config.encoding);
    if (m_client->publish("/clients/" + machineNo, payload, m_config.qos).ok()) {
        ++m_published;
    } else {
        ++m_failed;
    }
}

void PushPublisher::codeCreated(const SimMachine& machine, const SimCode& code) {
    send(machine.machineNo, createFields(machine, code));
}

void PushPublisher::codeDeleted(const SimMachine& machine, std::int64_t codeId) {
    auto f = common("client.pickup_codes.delete", machine);
    f["id"] = std::to_string(codeId);
    send(machine.machineNo, std::move(f));
}

void PushPublisher::codeUsed(const SimMachine& machine, std::int64_t codeId) {
    auto f = common("client.pickup_codes.put", machine);
    f["id"] = std::to_string(codeId);
    f["used"] = "1";
    send(machine.machineNo, std::move(f));
}

// ---- load mode ----

namespace {

struct LoadCounts {
    int valid = 0, badSign = 0, unsignedCount = 0, malformed = 0, duplicates = 0, outOfOrder = 0, failed = 0;
};

std::string unsignedPayload(core::sign::Params fields) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [k, v] : fields) object[k] = v;
    return core::util::base64Encode(object.dump());
}

}  // namespace

int runPushLoad(const PushConfig& config, const LoadOptions& o) {
    std::string error;
    auto publisher = PushPublisher::connect(config, error);
    if (!publisher) {
        std::fprintf(stderr, "pickupdesk-sim push: %s\n", error.c_str());
        return 1;
    }
    SimMachine machine;
    machine.machineNo = o.machineNo;
    machine.machineId = 10010;
    machine.timezone = o.timezone;
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> share(0, 1);
    LoadCounts counts;
    const std::string topic = "/clients/" + o.machineNo;
    auto& client = publisher->client();
    // Paho refuses a publish while too many are in flight: wait a little (back-pressure).
    auto publish = [&](const std::string& payload) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!client.publish(topic, payload, config.qos).ok()) {
            if (std::chrono::steady_clock::now() > deadline) {
                ++counts.failed;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    };
    const auto start = std::chrono::steady_clock::now();
    std::string last;
    for (int i = 0; i < o.count; ++i) {
        if (o.rate > 0) std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                  std::chrono::duration<double>(i / o.rate)));
        SimCode code;
        code.id = o.firstId + i;
        code.productId = 20001;
        code.code = std::to_string(10000000 + (code.id * 7919) % 90000000);
        code.expiresAt = core::tz::nowUtc() + 7 * 86400;
        auto fields = createFields(machine, code);
        const double r = share(rng);
        double edge = o.badSign;
        std::string payload;
        if (r < edge) {
            payload = core::protocol::encodePush(fields, config.pushKey + "-wrong", config.encoding);
            ++counts.badSign;
        } else if (r < (edge += o.unsignedShare)) {
            payload = unsignedPayload(fields);
            ++counts.unsignedCount;
        } else if (r < (edge += o.malformed)) {
            payload = i % 2 == 0 ? "%% not base64 " + std::to_string(i) : core::util::base64Encode("{\"method\":" + std::to_string(i));
            ++counts.malformed;
        } else if (r < (edge += o.duplicates) && !last.empty()) {
            payload = last;  // the previous push again, byte for byte
            ++counts.duplicates;
        } else if (r < (edge += o.outOfOrder)) {
            auto del = common("client.pickup_codes.delete", machine);
            del["id"] = std::to_string(code.id);
            publish(core::protocol::encodePush(del, config.pushKey, config.encoding));  // before its create
            payload = core::protocol::encodePush(fields, config.pushKey, config.encoding);
            ++counts.outOfOrder;
        } else {
            payload = core::protocol::encodePush(fields, config.pushKey, config.encoding);
            ++counts.valid;
        }
        publish(payload);
        last = payload;
    }
    const bool flushed = client.flush(30000).ok();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    nlohmann::json summary{{"published", o.count + counts.outOfOrder - counts.failed}, {"valid", counts.valid},
                           {"bad_sign", counts.badSign}, {"unsigned", counts.unsignedCount}, {"malformed", counts.malformed},
                           {"duplicates", counts.duplicates}, {"out_of_order", counts.outOfOrder},
                           {"failed", counts.failed}, {"acknowledged", flushed}, {"seconds", seconds},
                           {"rate", seconds > 0 ? o.count / seconds : 0}};
    std::printf("%s\n", summary.dump().c_str());
    return counts.failed == 0 && flushed ? 0 : 1;
}

}  // namespace app::sim
