#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

#include <cstdio>
#include <cstring>

#include "core/tz/machine_time.hpp"

namespace app::desktop {

void MachinesView::draw() {
    auto& vm = m_model.machines();
    ImGui::TextUnformatted(tr("machines.title"));
    if (m_focusSearch) {
        ImGui::SetKeyboardFocusHere();
        m_focusSearch = false;
    }
    ImGui::SetNextItemWidth(-1.f);
    if (ImGui::InputTextWithHint("##search", tr("machines.search_hint"), m_search, sizeof m_search)) {
        vm.setSearch(m_search);
    }
    if (!vm.loaded()) {
        ImGui::TextDisabled("%s", m_model.status().profile ? tr("status.loading") : tr("machines.no_profile"));
        return;
    }
    const float editorHeight = ImGui::GetFrameHeightWithSpacing() * 7.f;
    ImGui::BeginChild("##machine_list", ImVec2(0.f, -editorHeight), true);
    for (const int index : vm.visible()) {
        const core::Machine& m = vm.machines()[static_cast<size_t>(index)];
        noteGlyphs(m.name);
        ImGui::PushID(m.machineNo.c_str());
        statusDot(m.online);
        ImGui::SameLine();
        const bool selected = m.machineNo == vm.selectedNo();
        const std::string label = m.name + "\n" + m.machineNo + "  " + vm.effectiveZone(m);
        if (ImGui::Selectable(label.c_str(), selected, 0, ImVec2(0.f, ImGui::GetTextLineHeight() * 2.f))) {
            m_model.selectMachine(m.machineNo);
        }
        if (ImGui::IsItemHovered() && !m.address.empty()) {
            noteGlyphs(m.address);
            ImGui::SetTooltip("%s\n%s", m.address.c_str(), m.online ? tr("machines.online") : tr("machines.offline"));
        }
        ImGui::PopID();
    }
    if (vm.visible().empty()) ImGui::TextDisabled("%s", tr("machines.none_match"));
    ImGui::EndChild();
    if (const auto* selected = vm.selected()) drawTimezoneEditor(*selected);
}

void MachinesView::drawPushInfo(const core::Machine& machine) {
    const auto* info = m_model.pushInfo(machine.machineNo);
    const auto last = m_model.pushes().lastPushMs(machine.machineNo);
    std::optional<std::int64_t> lastMs = info != nullptr ? info->lastPushMs : std::nullopt;
    if (last && (!lastMs || *last > *lastMs)) lastMs = last;
    if (lastMs) {
        ImGui::TextDisabled("%s", trf("machines.last_push", {core::tz::formatInZone(*lastMs / 1000, m_model.machines().effectiveZone(machine))}).c_str());
    } else {
        ImGui::TextDisabled("%s", tr("machines.no_push"));
    }
    if (info != nullptr && info->tzWarning) {
        const auto& w = *info->tzWarning;
        auto hours = [](int seconds) {
            char text[16];
            std::snprintf(text, sizeof text, "%+.2g", seconds / 3600.0);
            return std::string(text);
        };
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextColored(ImVec4(0.85f, 0.45f, 0.05f, 1.f), "%s",
                           trf("machines.tz_warning", {hours(w.inferredOffset), w.configuredZone, hours(w.configuredOffset)})
                               .c_str());
        ImGui::PopTextWrapPos();
    }
}

void MachinesView::drawTimezoneEditor(const core::Machine& machine) {
    auto& vm = m_model.machines();
    const std::string zone = vm.effectiveZone(machine);
    if (m_zoneFor != machine.machineNo) {
        m_zoneFor = machine.machineNo;
        std::snprintf(m_zone, sizeof m_zone, "%s", zone.c_str());
    }
    drawPushInfo(machine);
    ImGui::TextUnformatted(tr("machines.timezone"));
    ImGui::SetNextItemWidth(-ImGui::GetFrameHeight() - ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::InputText("##zone", m_zone, sizeof m_zone);
    ImGui::SameLine(0.f, ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::BeginCombo("##zone_combo", nullptr, ImGuiComboFlags_NoPreview | ImGuiComboFlags_PopupAlignLeft)) {
        for (const auto& z : MachinesViewModel::commonZones()) {
            if (ImGui::Selectable(z.c_str(), z == m_zone)) std::snprintf(m_zone, sizeof m_zone, "%s", z.c_str());
        }
        ImGui::EndCombo();
    }
    const bool valid = MachinesViewModel::isValidZone(m_zone);
    const bool changed = zone != m_zone;
    if (!valid) {
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.3f, 1.f), "%s", tr("machines.zone_invalid"));
    } else {
        ImGui::BeginDisabled(!changed);
        if (ImGui::Button(tr("machines.zone_save"))) m_model.saveTimezone(machine.machineNo, m_zone);
        ImGui::EndDisabled();
    }
}

}  // namespace app::desktop
