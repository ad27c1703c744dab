#pragma once
// The machine list: search, selection and the timezone editor's validation. No ImGui.
#include "app/desktop/ui_events.hpp"

#include <string>
#include <vector>

namespace app::desktop {

class MachinesViewModel {
public:
    void setDefaultZone(std::string zone) { m_defaultZone = std::move(zone); }
    void apply(const MachinesLoaded& event);
    void apply(const TimezoneSaved& event);

    // Case-insensitive match on number, name and address; recomputes visible().
    void setSearch(const std::string& text);
    const std::string& search() const { return m_search; }
    const std::vector<core::Machine>& machines() const { return m_machines; }
    const std::vector<int>& visible() const { return m_visible; }  // indices into machines()
    bool loaded() const { return m_loaded; }

    // True when the selection changed.
    bool select(const std::string& machineNo);
    const core::Machine* selected() const;
    const std::string& selectedNo() const { return m_selected; }
    // The machine's own zone, else the profile default.
    std::string effectiveZone(const core::Machine& machine) const;

    // Timezone editor: common zones for the combo; free text is accepted when it is an IANA name.
    static const std::vector<std::string>& commonZones();
    static bool isValidZone(const std::string& zone);

private:
    void filter();
    std::vector<core::Machine> m_machines;
    std::vector<int> m_visible;
    std::string m_search;
    std::string m_selected;
    std::string m_defaultZone = "Asia/Shanghai";
    bool m_loaded = false;
};

}  // namespace app::desktop
