#include "app/desktop/machines_view_model.hpp"

#include "core/tz/machine_time.hpp"

#include <algorithm>
#include <cctype>

namespace app::desktop {
namespace {

// ASCII lower-casing is enough: Chinese text has no case and matches byte for byte.
std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

void MachinesViewModel::apply(const MachinesLoaded& event) {
    m_machines = event.machines;
    m_loaded = true;
    filter();
}

void MachinesViewModel::apply(const TimezoneSaved& event) {
    for (auto& m : m_machines) {
        if (m.machineNo == event.machineNo) m.timezone = event.timezone;
    }
}

void MachinesViewModel::setSearch(const std::string& text) {
    m_search = text;
    filter();
}

void MachinesViewModel::filter() {
    m_visible.clear();
    const std::string needle = lower(m_search);
    for (size_t i = 0; i < m_machines.size(); ++i) {
        const auto& m = m_machines[i];
        const bool match = needle.empty() || lower(m.machineNo).find(needle) != std::string::npos ||
                           lower(m.name).find(needle) != std::string::npos ||
                           lower(m.address).find(needle) != std::string::npos;
        if (match) m_visible.push_back(static_cast<int>(i));
    }
}

bool MachinesViewModel::select(const std::string& machineNo) {
    if (machineNo == m_selected) return false;
    m_selected = machineNo;
    return true;
}

const core::Machine* MachinesViewModel::selected() const {
    for (const auto& m : m_machines) {
        if (m.machineNo == m_selected) return &m;
    }
    return nullptr;
}

std::string MachinesViewModel::effectiveZone(const core::Machine& machine) const {
    return machine.timezone.empty() ? m_defaultZone : machine.timezone;
}

const std::vector<std::string>& MachinesViewModel::commonZones() {
    static const std::vector<std::string> zones = {
        "Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei",      "Asia/Tokyo",        "Asia/Singapore",
        "Asia/Kolkata",  "Asia/Dubai",     "Europe/London",    "Europe/Berlin",     "America/New_York",
        "America/Chicago", "America/Los_Angeles", "Australia/Sydney", "Australia/Lord_Howe", "UTC"};
    return zones;
}

bool MachinesViewModel::isValidZone(const std::string& zone) { return core::tz::isValidZone(zone); }

}  // namespace app::desktop
