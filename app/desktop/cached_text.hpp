#pragma once
// ImGui text items drawn through the app's text cache (text_cache.hpp): the same layout, ids and
// picture as ImGui's own items, one quad per string instead of one per glyph. Without a cache (the
// headless tests, a font that is not pixel-exact) they draw ImGui's glyphs.
#include <imgui.h>

#include <string_view>

namespace app::desktop {

class TextCache;

// The cache the items use from the next frame on; nullptr for none (UI thread).
void setTextCache(TextCache* cache);

// Like ImGui::TextUnformatted, in the style colour given.
void cachedText(std::string_view text, ImGuiCol color = ImGuiCol_Text);
// Like ImGui::Selectable(label, selected, flags), with `id` as the item's id (e.g. "##row").
bool cachedSelectable(const char* id, std::string_view label, bool selected, ImGuiSelectableFlags flags);

}  // namespace app::desktop
