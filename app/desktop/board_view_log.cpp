// Board tab: the frame log (filter, direction, pause, export) drawn with a list clipper.
#include "app/desktop/board_view.hpp"

#include "app/desktop/i18n.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

namespace app::desktop {

void BoardView::drawLog() {
    FrameLog& log = m_model.frames();
    std::string filter = log.filter();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.f);
    if (ImGui::InputTextWithHint("##log_filter", tr("board.log.filter"), &filter)) log.setFilter(filter);
    ImGui::SameLine();
    int dir = static_cast<int>(log.direction());
    const char* dirs[] = {tr("board.log.both"), tr("board.log.out"), tr("board.log.in")};
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.f);
    if (ImGui::Combo("##log_dir", &dir, dirs, 3)) log.setDirection(static_cast<FrameDirection>(dir));
    ImGui::SameLine();
    if (log.paused()) {
        if (ImGui::Button(trf("board.log.resume", {std::to_string(log.held())}).c_str())) log.setPaused(false);
    } else if (ImGui::Button(tr("board.log.pause"))) {
        log.setPaused(true);
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("board.log.clear"))) log.clear();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.f);
    ImGui::InputText("##log_path", &m_logPath);
    ImGui::SameLine();
    if (ImGui::Button(tr("board.log.export"))) m_model.exportFrames(m_logPath);

    const auto rows = log.visible();
    ImGui::TextDisabled("%s", trf("board.log.count", {std::to_string(rows.size()), std::to_string(log.rows().size())}).c_str());
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("##frames", 7, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("board.col.time"));
    ImGui::TableSetupColumn(tr("board.col.dir"));
    ImGui::TableSetupColumn(tr("board.col.seq"));
    ImGui::TableSetupColumn(tr("board.col.command"));
    ImGui::TableSetupColumn(tr("board.col.decoded"));
    ImGui::TableSetupColumn(tr("board.col.latency"));
    ImGui::TableSetupColumn(tr("board.col.hex"), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const FrameRow& r = *rows[static_cast<std::size_t>(i)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::Text("%lld", r.atMs);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.outgoing ? tr("board.log.out") : tr("board.log.in"));
            if (r.attempt > 1) ImGui::SameLine(), ImGui::TextDisabled("#%d", r.attempt);
            ImGui::TableNextColumn();
            ImGui::Text("%d", r.seq);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.command.c_str());
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.decoded.c_str());
            ImGui::TableNextColumn();
            if (r.latencyMs >= 0) ImGui::Text("%lld", r.latencyMs);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(r.hex.c_str());
        }
    }
    if (!log.paused() && ImGui::GetScrollY() >= ImGui::GetScrollMaxY()) ImGui::SetScrollHereY(1.f);  // follow the tail
    ImGui::EndTable();
}

}  // namespace app::desktop
