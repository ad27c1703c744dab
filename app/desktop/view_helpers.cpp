#include "app/desktop/fonts.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

namespace app::desktop {
namespace {
FontManager* g_fonts = nullptr;
}

void setGlyphSink(FontManager* fonts) { g_fonts = fonts; }

bool hasGlyphSink() { return g_fonts != nullptr; }

void noteGlyphs(std::string_view text) {
    if (g_fonts != nullptr) g_fonts->noteText(text);
}

void statusDot(bool on) {
    const float r = ImGui::GetTextLineHeight() * 0.3f;
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const ImVec2 center(p.x + r + 1.f, p.y + ImGui::GetTextLineHeight() * 0.5f);
    const ImU32 color = on ? IM_COL32(60, 190, 90, 255) : IM_COL32(150, 150, 150, 255);
    ImGui::GetWindowDrawList()->AddCircleFilled(center, r, color);
    ImGui::Dummy(ImVec2(r * 2.f + 4.f, ImGui::GetTextLineHeight()));
}

void drawRequestsTab(AppModel& model) {
    auto& gen = model.generate();
    ImGui::TextWrapped("%s", tr("requests.intro"));
    if (ImGui::Button(tr("requests.reconcile"))) gen.reconcile();
    if (gen.reconciling()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("status.working"));
    }
    for (const auto& item : gen.reconciled()) {
        ImGui::BulletText("%s", trf("requests.reconciled_item", {std::to_string(item.requestId),
                                                                  core::outcomeName(item.outcome),
                                                                  std::to_string(item.codesFound)})
                                    .c_str());
    }
}

}  // namespace app::desktop
