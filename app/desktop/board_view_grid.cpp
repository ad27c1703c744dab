// Board tab: the channel grid of one cabinet, dispense controls, and the running/last result.
#include "app/desktop/board_view.hpp"

#include "app/desktop/i18n.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdio>

namespace app::desktop {
namespace {

using hw::services::DispenseResult;

struct LookStyle {
    ImU32 colour;
    const char* key;
};

LookStyle styleOf(SlotLook look) {
    switch (look) {
    case SlotLook::Untested: return {IM_COL32(225, 225, 225, 255), "board.look.untested"};
    case SlotLook::Running: return {IM_COL32(90, 150, 235, 255), "board.look.running"};
    case SlotLook::Queued: return {IM_COL32(190, 210, 240, 255), "board.look.queued"};
    case SlotLook::Success: return {IM_COL32(110, 200, 120, 255), "board.look.success"};
    case SlotLook::Fault: return {IM_COL32(230, 95, 85, 255), "board.look.fault"};
    case SlotLook::Refused: return {IM_COL32(240, 160, 150, 255), "board.look.refused"};
    case SlotLook::Unknown: return {IM_COL32(245, 180, 60, 255), "board.look.unknown"};
    case SlotLook::NotRun: return {IM_COL32(200, 200, 200, 255), "board.look.not_run"};
    case SlotLook::Disabled: return {IM_COL32(245, 245, 245, 255), "board.look.disabled"};
    }
    return {IM_COL32(225, 225, 225, 255), "board.look.untested"};
}

ImVec4 textColourOf(DispenseResult r) {
    switch (r) {
    case DispenseResult::Success: return {0.1f, 0.5f, 0.2f, 1.f};
    case DispenseResult::Fault:
    case DispenseResult::Refused: return {0.8f, 0.15f, 0.1f, 1.f};
    case DispenseResult::Unknown: return {0.75f, 0.45f, 0.f, 1.f};
    case DispenseResult::NotRun: break;
    }
    return ImGui::GetStyle().Colors[ImGuiCol_TextDisabled];
}

std::string slotTooltip(const BoardViewModel& vm, std::uint8_t slot) {
    std::string s = trf("board.outcome_title", {std::to_string(slot)});
    if (const auto* c = vm.channel(vm.cabinet(), slot)) {
        s += std::string("\n") + tr(std::string("board.type.") + hw::board::slotTypeName(c->type));
        if (c->dropCheck) s += std::string(", ") + tr("board.drop_check");
        if (c->lift) s += std::string(", ") + tr("board.lift");
        if (!c->enabled) s += std::string(", ") + tr("board.look.disabled");
        if (c->lastFault != hw::board::Fault::None) s += std::string("\n") + tr(faultKey(c->lastFault));
    }
    if (const auto* o = vm.outcome(vm.cabinet(), slot)) {
        hw::services::DispenseReport r;
        r.result = o->result;
        r.fault = o->fault;
        r.duration = o->duration;
        r.message = o->message;
        s += "\n" + outcomeText(r, o->cancelled);
    }
    return s;
}

}  // namespace

void BoardView::drawGrid() {
    const auto cabinets = m_model.cabinets();
    if (cabinets.size() > 1) {
        for (auto addr : cabinets) {
            if (ImGui::RadioButton(trf("board.cabinet", {std::to_string(addr)}).c_str(), m_model.cabinet() == addr)) {
                m_model.setCabinet(addr);
            }
            ImGui::SameLine();
        }
        ImGui::NewLine();
    }
    ImGui::TextDisabled("%s", tr("board.grid_hint"));
    drawGridCells();
    for (SlotLook look : {SlotLook::Untested, SlotLook::Running, SlotLook::Success, SlotLook::Fault, SlotLook::Refused, SlotLook::Unknown,
                          SlotLook::Disabled}) {
        const LookStyle st = styleOf(look);
        const float h = ImGui::GetTextLineHeight();
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + h, p.y + h), st.colour, 2.f);
        ImGui::Dummy(ImVec2(h, h));
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(st.key));
        ImGui::SameLine(0.f, ImGui::GetFontSize());
    }
    ImGui::NewLine();
    ImGui::Separator();
    drawDispenseControls();
    ImGui::Separator();
    drawRun();
}

void BoardView::drawGridCells() {
    const float cell = ImGui::GetFontSize() * 2.6f;
    const ImVec2 size(cell, cell * 0.8f);
    const int rows = m_model.gridRows();
    const int cols = m_model.gridColumns();
    const std::uint8_t addr = m_model.cabinet();
    const bool ctrl = ImGui::GetIO().KeyCtrl;
    for (int r = 0; r < rows; ++r) {
        ImGui::TextDisabled("%d", r);
        ImGui::SameLine(ImGui::GetFontSize() * 1.5f);
        for (int c = 0; c < cols; ++c) {
            const int n = r * 10 + c;
            if (n >= m_model.channelCount()) break;
            const auto slot = static_cast<std::uint8_t>(n);
            const LookStyle st = styleOf(m_model.slotLook(addr, slot));
            const bool selected = m_model.selection().count(slot) > 0;
            ImGui::PushID(n);
            ImGui::PushStyleColor(ImGuiCol_Button, st.colour);
            ImGui::PushStyleColor(ImGuiCol_ButtonHovered, st.colour);
            ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(30, 30, 30, 255));
            ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, selected ? 3.f : 1.f);
            ImGui::PushStyleColor(ImGuiCol_Border, selected ? IM_COL32(20, 60, 160, 255) : IM_COL32(160, 160, 160, 255));
            char label[16];
            std::snprintf(label, sizeof label, "%02d", n);
            if (ImGui::Button(label, size)) m_model.click(slot, ctrl);
            if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0) && m_model.canDispense()) {
                m_model.click(slot, false);
                m_model.dispenseSelected();
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", slotTooltip(m_model, slot).c_str());
            ImGui::PopStyleColor(4);
            ImGui::PopStyleVar();
            ImGui::PopID();
            if (c + 1 < cols && n + 1 < m_model.channelCount()) ImGui::SameLine();
        }
    }
}

void BoardView::drawDispenseControls() {
    auto& p = m_model.params();
    ImGui::TextUnformatted(tr("board.type"));
    for (auto type : {hw::board::SlotType::Spring, hw::board::SlotType::ELock, hw::board::SlotType::Belt}) {
        ImGui::SameLine();
        const std::string key = std::string("board.type.") + hw::board::slotTypeName(type);
        if (ImGui::RadioButton(tr(key), p.type == type)) p.type = type;
    }
    ImGui::SameLine(0.f, ImGui::GetFontSize());
    ImGui::Checkbox(tr("board.drop_check"), &p.dropCheck);
    ImGui::SameLine();
    ImGui::Checkbox(tr("board.lift"), &p.lift);

    const auto& sel = m_model.selection();
    ImGui::BeginDisabled(!m_model.canDispense() || sel.size() != 1);
    const std::string one = sel.size() == 1 ? std::to_string(*sel.begin()) : std::string("-");
    if (ImGui::Button(trf("board.dispense", {one}).c_str())) m_model.dispenseSelected();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_model.canDispense() || sel.empty());
    if (ImGui::Button(trf("board.sweep", {std::to_string(sel.size())}).c_str())) m_model.sweepSelected();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("board.select_all"))) m_model.selectAll();
    ImGui::SameLine();
    if (ImGui::Button(tr("board.select_none"))) m_model.clearSelection();
    ImGui::SameLine();
    ImGui::BeginDisabled(!m_model.canDispense());
    if (ImGui::Button(tr("board.clear_faults"))) m_model.clearFaults();
    ImGui::EndDisabled();
}

void BoardView::drawRun() {
    const auto& run = m_model.run();
    if (!run) return;
    if (!run->finished) {
        if (const auto* cur = run->current()) {
            const std::string slot = std::to_string(cur->slot);
            ImGui::TextUnformatted(run->lastStatus ? trf("board.progress", {slot, std::to_string(run->lastStatus->elapsedMs)}).c_str()
                                                   : trf("board.waiting", {slot}).c_str());
        }
        if (run->sweep) {
            const float done = static_cast<float>(run->reports.size()) / static_cast<float>(run->slots.size());
            ImGui::ProgressBar(done, ImVec2(ImGui::GetFontSize() * 20.f, 0.f),
                               trf("board.progress_sweep", {std::to_string(run->reports.size()), std::to_string(run->slots.size())}).c_str());
        }
        if (run->cancelRequested) {
            ImGui::TextColored(ImVec4(0.75f, 0.45f, 0.f, 1.f), "%s", tr("board.cancelling"));
        } else {
            if (ImGui::Button(tr("board.cancel"))) m_model.cancel();
            ImGui::SameLine();
            ImGui::TextDisabled("%s", tr("board.cancel_note"));
        }
    }
    if (run->sweepReport) {
        const auto& s = *run->sweepReport;
        ImGui::TextUnformatted(trf("board.sweep_summary", {std::to_string(s.count(DispenseResult::Success)),
                                                            std::to_string(s.count(DispenseResult::Fault)),
                                                            std::to_string(s.count(DispenseResult::Refused)),
                                                            std::to_string(s.count(DispenseResult::Unknown)),
                                                            std::to_string(s.count(DispenseResult::NotRun))}).c_str());
        if (s.stopped) ImGui::TextColored(ImVec4(0.75f, 0.45f, 0.f, 1.f), "%s", trf("board.sweep_stopped", {s.stopReason}).c_str());
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14.f);
        ImGui::InputText("##sweep_path", &m_sweepPath);
        ImGui::SameLine();
        if (ImGui::Button(tr("board.export_csv"))) m_model.exportSweep(m_sweepPath);
    }
    const float height = ImGui::GetContentRegionAvail().y;
    if (run->reports.empty() || height < ImGui::GetFontSize() * 2.f) return;
    ImGui::BeginChild("##results", ImVec2(0.f, height), false);
    for (auto it = run->reports.rbegin(); it != run->reports.rend(); ++it) {  // newest first
        const bool cancelled = run->cancelled && it->result == DispenseResult::Unknown;
        ImGui::TextColored(textColourOf(it->result), "%s  %s", trf("board.outcome_title", {std::to_string(it->slot.slot)}).c_str(),
                           outcomeText(*it, cancelled).c_str());
        if (it->result != DispenseResult::Success && ImGui::IsItemHovered() && !it->message.empty()) {
            ImGui::SetTooltip("%s", it->message.c_str());  // the service's English detail
        }
    }
    ImGui::EndChild();
}

}  // namespace app::desktop
