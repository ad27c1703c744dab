#include "app/desktop/cached_text.hpp"

#include "app/desktop/text_cache.hpp"

#include <imgui_internal.h>

namespace app::desktop {
namespace {

TextCache* g_cache = nullptr;  // UI thread only

// ImDrawList::AddText's picture: text starts on a whole pixel, lines below the clip rectangle and
// glyphs beside it are skipped, the scissor cuts the rest.
void renderText(ImDrawList& list, ImVec2 pos, ImU32 color, std::string_view text) {
    if ((color & IM_COL32_A_MASK) == 0 || text.empty()) return;
    const ImGuiContext& g = *GImGui;
    const TextCache::Quad* quad = nullptr;
    if (g_cache != nullptr && g_cache->texture() != nullptr && g.FontSize == g.Font->FontSize) {
        quad = g_cache->find(*g.Font, text);
    }
    if (quad == nullptr) {
        list.AddText(g.Font, g.FontSize, pos, color, text.data(), text.data() + text.size());
        return;
    }
    if (quad->size.x <= 0.f) return;
    const ImVec2 origin(IM_FLOOR(pos.x), IM_FLOOR(pos.y));
    const ImVec2 min(origin.x + quad->offset.x, origin.y + quad->offset.y);
    const ImVec2 max(min.x + quad->size.x, min.y + quad->size.y);
    const ImVec4& clip = list._CmdHeader.ClipRect;
    if (origin.y > clip.w || min.x > clip.z || max.x < clip.x) return;
    list.AddImage(g_cache->texture(), min, max, quad->uv0, quad->uv1, color);
}

}  // namespace

void setTextCache(TextCache* cache) { g_cache = cache; }

// ImGui::TextEx without wrapping, for one line.
void cachedText(std::string_view text, ImGuiCol color) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return;
    const ImVec2 pos(window->DC.CursorPos.x, window->DC.CursorPos.y + window->DC.CurrLineTextBaseOffset);
    const ImVec2 size = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    ImGui::ItemSize(size, 0.f);
    if (!ImGui::ItemAdd(bb, 0)) return;
    renderText(*window->DrawList, bb.Min, ImGui::GetColorU32(color), text);
}

// ImGui's Selectable draws its label at the cursor, moved down to the line's text baseline, after
// its frame; with an empty label it draws only the frame, and the label is drawn here.
bool cachedSelectable(const char* id, std::string_view label, bool selected, ImGuiSelectableFlags flags) {
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    const ImVec2 pos(window->DC.CursorPos.x, window->DC.CursorPos.y + window->DC.CurrLineTextBaseOffset);
    const float width = ImGui::CalcTextSize(label.data(), label.data() + label.size()).x;
    // The label's width for the layout, as ImGui's; SpanAvailWidth then widens the frame as it does
    // for a zero width.
    const bool pressed = ImGui::Selectable(id, selected, flags | ImGuiSelectableFlags_SpanAvailWidth, ImVec2(width, 0.f));
    if (ImGui::IsItemVisible()) renderText(*window->DrawList, pos, ImGui::GetColorU32(ImGuiCol_Text), label);
    return pressed;
}

}  // namespace app::desktop
