#include "hw/services/provisioning.hpp"

#include "hw/board/payloads.hpp"

#include <nlohmann/json.hpp>

namespace hw::services {
namespace {

using board::BoardConfig;
using nlohmann::json;

core::Error fileError(const std::string& what) {
    return core::makeError(core::ErrorCode::InvalidInput, "Provisioning file not valid: " + what + ". Fix the file and retry.");
}

template <typename T>
std::string show(const std::optional<T>& v) {
    if (!v) return "(unset)";
    if constexpr (std::is_same_v<T, std::string>) return *v;
    else if constexpr (std::is_same_v<T, bool>) return *v ? "true" : "false";
    else return std::to_string(*v);
}

struct Field {
    const char* key;
    std::optional<std::string> BoardConfig::*str;
    std::optional<std::uint16_t> BoardConfig::*port;
};
constexpr Field kFields[] = {
    {"machine_no", &BoardConfig::machineNo, nullptr},   {"server_host", &BoardConfig::serverHost, nullptr},
    {"server_port", nullptr, &BoardConfig::serverPort}, {"mqtt_host", &BoardConfig::mqttHost, nullptr},
    {"mqtt_port", nullptr, &BoardConfig::mqttPort},     {"mqtt_user", &BoardConfig::mqttUser, nullptr},
    {"mqtt_password", &BoardConfig::mqttPassword, nullptr}, {"mqtt_topic", &BoardConfig::mqttTopic, nullptr},
};

core::Result<BoardConfig> parseConfig(const json& j) {
    BoardConfig c;
    for (const auto& [key, value] : j.items()) {
        bool known = false;
        for (const auto& f : kFields) {
            if (key != f.key) continue;
            known = true;
            if (f.str != nullptr) {
                if (!value.is_string()) return fileError(key + " must be a string");
                c.*f.str = value.get<std::string>();
            } else {
                if (!value.is_number_unsigned() || value.get<std::uint64_t>() > 65535) return fileError(key + " must be a port number 1-65535");
                c.*f.port = static_cast<std::uint16_t>(value.get<std::uint64_t>());
            }
        }
        if (key == "tls") {
            if (!value.is_boolean()) return fileError("tls must be true or false");
            c.tls = value.get<bool>();
            known = true;
        }
        if (!known) return fileError("unknown setting \"" + key + "\"");
    }
    if (auto problem = board::validateConfig(c); !problem.empty()) return fileError(problem);
    return c;
}

core::Result<board::ChannelInfo> parseChannel(const json& j) {
    if (!j.is_object()) return fileError("each channel must be an object");
    // Types first: json::value() throws on a wrong type (a fuzz finding: "type": false).
    for (const char* key : {"addr", "slot"}) {
        if (j.contains(key) && !j[key].is_number_integer()) return fileError(std::string("channel ") + key + " must be a whole number");
    }
    if (j.contains("type") && !j["type"].is_string()) return fileError("channel type must be spring, elock or belt");
    for (const char* key : {"enabled", "drop_check", "lift"}) {
        if (j.contains(key) && !j[key].is_boolean()) return fileError(std::string("channel ") + key + " must be true or false");
    }
    board::ChannelInfo ch;
    const std::int64_t addr = j.value("addr", std::int64_t{1});
    const std::int64_t slot = j.value("slot", std::int64_t{-1});
    if (addr < board::kMinAddr || addr > board::kMaxAddr) return fileError("channel addr must be 1-8");
    if (slot < 0 || slot > 99) return fileError("channel slot must be 0-99 (row*10 + col)");
    const auto type = board::parseSlotType(j.value("type", std::string("spring")));
    if (!type) return fileError("channel type must be spring, elock or belt");
    ch.addr = static_cast<std::uint8_t>(addr);
    ch.slot = static_cast<std::uint8_t>(slot);
    ch.type = *type;
    ch.enabled = j.value("enabled", true);
    ch.dropCheck = j.value("drop_check", false);
    ch.lift = j.value("lift", false);
    return ch;
}

}  // namespace

core::Result<Provisioning> parseProvisioning(const std::string& text) {
    const json j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return fileError("it is not a JSON object");
    Provisioning p;
    if (j.contains("config")) {
        auto c = parseConfig(j["config"]);
        if (!c) return c.error();
        p.config = *c;
    }
    if (j.contains("channels")) {
        if (!j["channels"].is_array()) return fileError("channels must be a list");
        for (const auto& item : j["channels"]) {
            auto ch = parseChannel(item);
            if (!ch) return ch.error();
            p.channels.push_back(*ch);
        }
    }
    return p;
}

std::string provisioningJson(const Provisioning& p) {
    json config = json::object();
    for (const auto& f : kFields) {
        if (f.str != nullptr && (p.config.*f.str)) config[f.key] = *(p.config.*f.str);
        if (f.port != nullptr && (p.config.*f.port)) config[f.key] = *(p.config.*f.port);
    }
    if (p.config.tls) config["tls"] = *p.config.tls;
    json channels = json::array();
    for (const auto& ch : p.channels) {
        channels.push_back({{"addr", ch.addr}, {"slot", ch.slot}, {"type", board::slotTypeName(ch.type)},
                            {"enabled", ch.enabled}, {"drop_check", ch.dropCheck}, {"lift", ch.lift}});
    }
    return json{{"config", config}, {"channels", channels}}.dump(2);
}

std::vector<ConfigChange> diffConfig(const BoardConfig& current, const BoardConfig& wanted) {
    std::vector<ConfigChange> out;
    for (const auto& f : kFields) {
        const bool secret = std::string(f.key) == "mqtt_password";
        if (f.str != nullptr && (wanted.*f.str) && wanted.*f.str != current.*f.str) {
            out.push_back({f.key, secret ? "***" : show(current.*f.str), secret ? "***" : show(wanted.*f.str)});
        }
        if (f.port != nullptr && (wanted.*f.port) && wanted.*f.port != current.*f.port) {
            out.push_back({f.key, show(current.*f.port), show(wanted.*f.port)});
        }
    }
    if (wanted.tls && wanted.tls != current.tls) out.push_back({"tls", show(current.tls), show(wanted.tls)});
    return out;
}

core::Result<Snapshot> ProvisioningService::read(int cabinets) {
    Snapshot s;
    auto id = m_driver.identify();
    if (!id) return id.error();
    s.identity = *id;
    auto config = m_driver.getConfig();
    if (!config) return config.error();
    s.config = *config;
    for (int addr = 1; addr <= cabinets; ++addr) {
        auto channels = m_driver.readChannels(static_cast<std::uint8_t>(addr), 0, id->channels);
        if (!channels) {
            if (addr > 1) break;  // secondary cabinet absent
            return channels.error();
        }
        s.channels.insert(s.channels.end(), channels->begin(), channels->end());
    }
    return s;
}

core::Result<ApplyReport> ProvisioningService::apply(const Provisioning& wanted) {
    ApplyReport report;
    auto before = m_driver.getConfig();
    if (!before) return before.error();
    report.changes = diffConfig(*before, wanted.config);
    if (auto st = m_driver.setConfig(wanted.config); !st) return st.error();
    for (const auto& ch : wanted.channels) {
        if (auto st = m_driver.setChannel(ch); !st) return st.error();
        ++report.channelsWritten;
    }
    auto crc = m_driver.commitConfig();
    if (!crc) return crc.error();
    report.storedCrc = *crc;
    auto after = m_driver.getConfig();
    if (!after) return after.error();
    for (const auto& change : diffConfig(*after, wanted.config)) {
        report.mismatches.push_back("setting " + change.key + " reads back as " + change.from);
    }
    if (board::configCrc(*after) != *crc) report.mismatches.push_back("the stored settings' checksum does not match what reads back");
    for (const auto& ch : wanted.channels) {
        auto got = m_driver.readChannels(ch.addr, ch.slot, 1);
        if (!got) return got.error();
        const auto& g = got->front();
        if (g.type != ch.type || g.enabled != ch.enabled || g.dropCheck != ch.dropCheck || g.lift != ch.lift) {
            report.mismatches.push_back("channel " + std::to_string(ch.addr) + "/" + std::to_string(ch.slot) + " reads back differently");
        }
    }
    return report;
}

}  // namespace hw::services
