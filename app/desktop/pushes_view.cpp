// The Pushes tab: filters and live state on top, the virtualised event list on the left, the
// selected push's decoded fields, notes and raw payload on the right.
#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"
#include "core/tz/machine_time.hpp"

#include <imgui.h>

#include <chrono>

namespace app::desktop {
namespace {

using core::protocol::Verification;

struct BadgeStyle {
    const char* key;
    ImU32 colour;
};

BadgeStyle badgeStyle(Verification v) {
    switch (v) {
        case Verification::Valid: return {"pushes.badge.valid", IM_COL32(46, 160, 67, 255)};
        case Verification::Invalid: return {"pushes.badge.invalid", IM_COL32(207, 34, 46, 255)};
        case Verification::Unsigned: return {"pushes.badge.unsigned", IM_COL32(191, 135, 0, 255)};
        case Verification::Undecodable: break;
    }
    return {"pushes.badge.undecodable", IM_COL32(110, 84, 148, 255)};
}

std::string timeText(std::int64_t ms) {
    return core::tz::formatInZone(ms / 1000, core::tz::localZoneName());
}

const std::string& label(const PushRow& row) { return uiIsChinese() ? row.labelZh : row.labelEn; }
const std::string& summary(const PushRow& row) { return uiIsChinese() ? row.summaryZh : row.summaryEn; }

std::int64_t nowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const char* stateKey(const MqttStatus& s) {
    if (!s.configured) return "mqtt.not_configured";
    switch (s.state) {
        case core::net::MqttState::Connected: return "mqtt.connected";
        case core::net::MqttState::Connecting: return "mqtt.connecting";
        case core::net::MqttState::Reconnecting: return "mqtt.reconnecting";
        case core::net::MqttState::Disconnected: break;
    }
    return "mqtt.disconnected";
}

}  // namespace

void verificationBadge(Verification verification) {
    const BadgeStyle style = badgeStyle(verification);
    const char* text = tr(style.key);
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float pad = 3.f;
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + size.x + pad * 2.f, p.y + size.y), style.colour, 3.f);
    ImGui::SetCursorScreenPos(ImVec2(p.x + pad, p.y));
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    ImGui::TextUnformatted(text);
    ImGui::PopStyleColor();
}

void PushesView::draw() {
    drawToolbar();
    const float detailWidth = ImGui::GetContentRegionAvail().x * 0.33f;
    ImGui::BeginChild("##push_list", ImVec2(-detailWidth, 0.f), false);
    drawTable(ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##push_detail", ImVec2(0.f, 0.f), true);
    drawDetail();
    ImGui::EndChild();
}

void PushesView::drawToolbar() {
    auto& vm = m_model.pushes();
    const MqttStatus& s = vm.mqtt();
    statusDot(s.configured && s.state == core::net::MqttState::Connected);
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(stateKey(s)));
    if (!s.broker.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", s.broker.c_str());
    }
    if (!s.lastError.empty()) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1.f), "%s", s.configured ? s.lastError.c_str() : "");
    }
    if (!s.configured) ImGui::TextWrapped("%s", tr("mqtt.how_to_configure"));

    // Filters.
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.f);
    const std::string machine = vm.machineFilter().value_or(tr("pushes.any_machine"));
    if (ImGui::BeginCombo("##push_machine", machine.c_str())) {
        if (ImGui::Selectable(tr("pushes.any_machine"), !vm.machineFilter())) vm.setMachine(std::nullopt);
        for (const auto& [no, count] : vm.machineCounts()) {
            if (ImGui::Selectable(no.empty() ? "-" : no.c_str(), vm.machineFilter() == no)) vm.setMachine(no);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.f);
    std::string method = tr("pushes.any_method");
    if (const auto& m = vm.methodFilter()) {
        const auto* info = core::protocol::findMethod(*m);
        method = info != nullptr ? (uiIsChinese() ? info->zh : info->en) : *m;
    }
    if (ImGui::BeginCombo("##push_method", method.c_str())) {
        if (ImGui::Selectable(tr("pushes.any_method"), !vm.methodFilter())) vm.setMethod(std::nullopt);
        for (const auto& [name, count] : vm.countsPerMethod()) {
            const auto* info = core::protocol::findMethod(name);
            const std::string text = (info != nullptr ? (uiIsChinese() ? info->zh : info->en) : name) + "  (" +
                                     std::to_string(count) + ")";
            ImGui::PushID(name.c_str());
            if (ImGui::Selectable(text.c_str(), vm.methodFilter() == name)) vm.setMethod(name);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.f);
    const auto& v = vm.verificationFilter();
    if (ImGui::BeginCombo("##push_verif", v ? tr(badgeStyle(*v).key) : tr("pushes.any_verification"))) {
        if (ImGui::Selectable(tr("pushes.any_verification"), !v)) vm.setVerification(std::nullopt);
        for (auto x : {Verification::Valid, Verification::Invalid, Verification::Unsigned, Verification::Undecodable}) {
            if (ImGui::Selectable(tr(badgeStyle(x).key), v == x)) vm.setVerification(x);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.f);
    if (ImGui::InputTextWithHint("##push_search", tr("pushes.search_hint"), m_search, sizeof m_search)) {
        vm.setSearch(m_search);
    }
    ImGui::SameLine();
    bool paused = vm.paused();
    if (ImGui::Checkbox(tr("pushes.pause"), &paused)) vm.setPaused(paused);
    if (vm.paused() && vm.newWhilePaused() > 0) {
        ImGui::SameLine();
        ImGui::TextColored(ImVec4(0.9f, 0.55f, 0.1f, 1.f), "%s",
                           trf("pushes.new_while_paused", {std::to_string(vm.newWhilePaused())}).c_str());
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("pushes.export"))) ImGui::OpenPopup("##push_export");
    drawExportPopup();
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.1f", vm.ratePerSecond(nowMs()));
    ImGui::TextDisabled("%s", trf("pushes.counts", {std::to_string(vm.visible().size()), std::to_string(vm.rows().size()),
                                                   rate})
                                  .c_str());
}

void PushesView::drawTable(float width) {
    (void)width;
    auto& vm = m_model.pushes();
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_Hideable;
    if (!ImGui::BeginTable("##pushes", 5, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("pushes.col.time"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8.2f);
    ImGui::TableSetupColumn(tr("pushes.col.machine"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4.6f);
    ImGui::TableSetupColumn(tr("pushes.col.method"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6.5f);
    ImGui::TableSetupColumn(tr("pushes.col.verification"), ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 4.6f);
    ImGui::TableSetupColumn(tr("pushes.col.summary"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    const PushRow* selected = vm.selected();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(vm.visible().size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const PushRow& row = vm.visibleRow(i);
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(i);
            const std::string time = timeText(row.receivedMs);
            if (ImGui::Selectable(time.c_str(), selected != nullptr && selected->id == row.id,
                                  ImGuiSelectableFlags_SpanAllColumns)) {
                vm.select(row.id);
            }
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(row.machineNo.empty() ? "-" : row.machineNo.c_str());
            ImGui::TableNextColumn();
            noteGlyphs(label(row));
            ImGui::TextUnformatted(label(row).c_str());
            ImGui::TableNextColumn();
            verificationBadge(row.verification);
            ImGui::TableNextColumn();
            noteGlyphs(summary(row));
            ImGui::TextUnformatted(summary(row).c_str());
            ImGui::PopID();
        }
    }
    if (vm.consumeScrollRequest() && !vm.paused()) ImGui::SetScrollHereY(1.f);
    ImGui::EndTable();
    if (vm.visible().empty()) ImGui::TextDisabled("%s", tr(vm.rows().empty() ? "pushes.none_yet" : "pushes.none_match"));
}

void PushesView::drawDetail() {
    const PushRow* row = m_model.pushes().selected();
    if (row == nullptr) {
        ImGui::TextDisabled("%s", tr("pushes.pick_one"));
        return;
    }
    ImGui::TextUnformatted(label(*row).c_str());
    ImGui::SameLine();
    verificationBadge(row->verification);
    ImGui::TextDisabled("#%lld  %s  %s", static_cast<long long>(row->id), row->topic.c_str(), timeText(row->receivedMs).c_str());
    ImGui::TextWrapped("%s", summary(*row).c_str());
    ImGui::TextUnformatted(trf("pushes.applied", {row->applied}).c_str());
    if (!row->decodeError.empty()) ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1.f), "%s", row->decodeError.c_str());
    for (const auto& note : row->notes) ImGui::BulletText("%s", note.c_str());
    auto block = [](const char* titleKey, const char* id, const std::string& text) {
        ImGui::Separator();
        ImGui::TextUnformatted(tr(titleKey));
        ImGui::SameLine();
        ImGui::PushID(id);
        if (ImGui::SmallButton(tr("pushes.copy"))) ImGui::SetClipboardText(text.c_str());
        ImGui::PopID();
        noteGlyphs(text);
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopTextWrapPos();
    };
    if (const PushDetail* detail = m_model.pushes().selectedDetail()) {
        if (!detail->decodedPretty.empty()) block("pushes.decoded", "decoded", detail->decodedPretty);
        block("pushes.typed_view", "view", detail->viewJson);
    }
    block("pushes.raw", "raw", row->payload);
}

void PushesView::drawExportPopup() {
    auto& vm = m_model.pushes();
    if (!ImGui::BeginPopup("##push_export")) return;
    if (m_exportPath[0] == '\0') {
        const std::string suggested = defaultExportPath("pickupdesk-pushes", m_exportFormat == 1 ? "csv" : "jsonl");
        std::snprintf(m_exportPath, sizeof m_exportPath, "%s", suggested.c_str());
    }
    ImGui::TextUnformatted(trf("pushes.export_title", {std::to_string(vm.visible().size())}).c_str());
    ImGui::RadioButton(tr("pushes.export_jsonl"), &m_exportFormat, 0);
    ImGui::SameLine();
    ImGui::RadioButton("CSV", &m_exportFormat, 1);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 28.f);
    ImGui::InputText(tr("pushes.export_path"), m_exportPath, sizeof m_exportPath);
    ImGui::BeginDisabled(vm.exporting() || vm.visible().empty());
    if (ImGui::Button(tr("pushes.export_save"))) {
        vm.exportVisible(m_exportPath, m_exportFormat == 1 ? PushExportFormat::Csv : PushExportFormat::JsonLines);
    }
    ImGui::EndDisabled();
    if (vm.exporting()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("pushes.exporting"));
    } else if (const auto& last = vm.lastExport()) {
        if (last->error) {
            ImGui::TextColored(ImVec4(0.9f, 0.35f, 0.3f, 1.f), "%s", last->error->message.c_str());
        } else {
            ImGui::TextUnformatted(trf("pushes.exported", {std::to_string(last->count), last->path}).c_str());
        }
    }
    ImGui::EndPopup();
}

}  // namespace app::desktop
