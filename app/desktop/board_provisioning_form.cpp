#include "app/desktop/board_provisioning_form.hpp"

#include "hw/board/payloads.hpp"

#include <charconv>

namespace app::desktop {
namespace {

struct TextField {
    const char* key;
    std::string BoardProvisioningForm::*text;
    std::optional<std::string> hw::board::BoardConfig::*config;
    std::size_t max;
};
constexpr TextField kTextFields[] = {
    {"machine_no", &BoardProvisioningForm::machineNo, &hw::board::BoardConfig::machineNo, 16},
    {"server_host", &BoardProvisioningForm::serverHost, &hw::board::BoardConfig::serverHost, 40},
    {"mqtt_host", &BoardProvisioningForm::mqttHost, &hw::board::BoardConfig::mqttHost, 40},
    {"mqtt_user", &BoardProvisioningForm::mqttUser, &hw::board::BoardConfig::mqttUser, 24},
    {"mqtt_password", &BoardProvisioningForm::mqttPassword, &hw::board::BoardConfig::mqttPassword, 40},
    {"mqtt_topic", &BoardProvisioningForm::mqttTopic, &hw::board::BoardConfig::mqttTopic, 40},
};

struct PortField {
    const char* key;
    std::string BoardProvisioningForm::*text;
    std::optional<std::uint16_t> hw::board::BoardConfig::*config;
};
constexpr PortField kPortFields[] = {
    {"server_port", &BoardProvisioningForm::serverPort, &hw::board::BoardConfig::serverPort},
    {"mqtt_port", &BoardProvisioningForm::mqttPort, &hw::board::BoardConfig::mqttPort},
};

std::optional<std::uint16_t> parsePort(const std::string& text) {
    unsigned value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || value == 0 || value > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(value);
}

std::string channelText(const hw::board::ChannelInfo& c) {
    std::string s = std::string(hw::board::slotTypeName(c.type)) + (c.enabled ? "" : " disabled");
    if (c.dropCheck) s += " drop-check";
    if (c.lift) s += " lift";
    return s;
}

}  // namespace

void BoardProvisioningForm::fill(const hw::board::BoardConfig& config) {
    for (const auto& f : kTextFields) this->*f.text = (config.*f.config).value_or("");
    for (const auto& f : kPortFields) {
        const auto port = config.*f.config;
        this->*f.text = port ? std::to_string(*port) : std::string();
    }
    tls = config.tls.value_or(false);
    channels.clear();
    loadedFrom.clear();
    dirty = false;
}

void BoardProvisioningForm::merge(const hw::services::Provisioning& file, const std::string& path) {
    for (const auto& f : kTextFields) {
        if (file.config.*f.config) this->*f.text = *(file.config.*f.config);
    }
    for (const auto& f : kPortFields) {
        if (file.config.*f.config) this->*f.text = std::to_string(*(file.config.*f.config));
    }
    if (file.config.tls) tls = *file.config.tls;
    channels = file.channels;
    loadedFrom = path;
    dirty = true;
}

std::vector<FormProblem> BoardProvisioningForm::validate() const {
    std::vector<FormProblem> out;
    for (const auto& f : kTextFields) {
        if ((this->*f.text).size() > f.max) out.push_back({f.key, "board.invalid.too_long", {f.key, std::to_string(f.max)}});
    }
    for (const auto& f : kPortFields) {
        if (!(this->*f.text).empty() && !parsePort(this->*f.text)) out.push_back({f.key, "board.invalid.port", {f.key}});
    }
    if (machineNo.empty()) out.push_back({"machine_no", "board.invalid.required", {"machine_no"}});
    return out;
}

core::Result<hw::services::Provisioning> BoardProvisioningForm::wanted(const hw::board::BoardConfig& current) const {
    if (auto problems = validate(); !problems.empty()) {
        return core::makeError(core::ErrorCode::InvalidInput,
                               "The setting " + problems.front().field + " is not valid: correct the form before writing.");
    }
    hw::services::Provisioning p;
    for (const auto& f : kTextFields) {
        if (this->*f.text != (current.*f.config).value_or("")) p.config.*f.config = this->*f.text;
    }
    for (const auto& f : kPortFields) {
        const auto port = parsePort(this->*f.text);
        if (port && port != current.*f.config) p.config.*f.config = port;
    }
    if (tls != current.tls.value_or(false)) p.config.tls = tls;
    if (auto problem = hw::board::validateConfig(p.config); !problem.empty()) {
        return core::makeError(core::ErrorCode::InvalidInput, problem);
    }
    p.channels = channels;
    return p;
}

std::vector<DiffLine> BoardProvisioningForm::diff(const hw::services::Snapshot& current) const {
    std::vector<DiffLine> out;
    auto p = wanted(current.config);
    if (!p) return out;
    for (const auto& change : hw::services::diffConfig(current.config, p->config)) {
        out.push_back({change.key, change.from, change.to});
    }
    for (const auto& want : p->channels) {
        const hw::board::ChannelInfo* have = nullptr;
        for (const auto& c : current.channels) {
            if (c.addr == want.addr && c.slot == want.slot) have = &c;
        }
        const std::string from = have ? channelText(*have) : std::string("-");
        if (from != channelText(want)) {
            out.push_back({"channel " + std::to_string(want.addr) + "/" + std::to_string(want.slot), from, channelText(want)});
        }
    }
    return out;
}

}  // namespace app::desktop
