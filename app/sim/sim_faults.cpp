#include "app/sim/sim_faults.hpp"

namespace app::sim {

nlohmann::json faultsToJson(const Faults& faults) {
    return {{"latency_ms", faults.latencyMs},
            {"fail_5xx", faults.fail5xx},
            {"html_error", faults.htmlError},
            {"drop_after_create", faults.dropAfterCreate}};
}

namespace {

std::optional<std::string> readFlag(const nlohmann::json& patch, const char* key, bool& out) {
    const auto it = patch.find(key);
    if (it == patch.end()) return std::nullopt;
    if (!it->is_boolean()) return std::string(key) + " must be true or false";
    out = it->get<bool>();
    return std::nullopt;
}

}  // namespace

std::optional<std::string> applyFaultPatch(Faults& faults, const nlohmann::json& patch) {
    if (!patch.is_object()) return "the body must be a JSON object such as {\"latency_ms\":200}";
    Faults next = faults;
    if (const auto it = patch.find("latency_ms"); it != patch.end()) {
        if (!it->is_number_integer() || it->get<long long>() < 0 || it->get<long long>() > 600000) {
            return "latency_ms must be an integer from 0 to 600000";
        }
        next.latencyMs = it->get<int>();
    }
    if (auto error = readFlag(patch, "fail_5xx", next.fail5xx)) return error;
    if (auto error = readFlag(patch, "html_error", next.htmlError)) return error;
    if (auto error = readFlag(patch, "drop_after_create", next.dropAfterCreate)) return error;
    faults = next;
    return std::nullopt;
}

Faults FaultSwitch::current() const {
    std::lock_guard lock(m_mutex);
    return m_current;
}

std::optional<std::string> FaultSwitch::apply(const nlohmann::json& patch) {
    std::lock_guard lock(m_mutex);
    return applyFaultPatch(m_current, patch);
}

void FaultSwitch::reset() {
    std::lock_guard lock(m_mutex);
    m_current = m_initial;
}

}  // namespace app::sim
