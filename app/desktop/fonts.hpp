#pragma once
// The UI font: a CJK-capable system font (fontconfig, then known paths), rasterised with the
// glyphs of ChineseSimplifiedCommon plus every character of the UI catalogues. Vendor text
// (machine and product names) may use rarer characters: noteText() collects the ones the atlas
// lacks and rebuild() adds them between frames, so Chinese never shows as '?'.
// The atlas is the manager's own, shared with the ImGui context (ImGui::CreateContext(atlas())):
// load() needs no context, so it runs on a thread while the window is created.
#include <imgui.h>

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace app::desktop {

class FontManager {
public:
    // fontconfig's match for sans:lang=zh-cn, else known paths; "" when none exists.
    static std::string findCjkFont();

    FontManager();
    ~FontManager();
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Loads the font at `pixelSize` (already multiplied by the content scale). uiText: all UI strings;
    // remembered: extraGlyphs() of an earlier run. False when no CJK font was found (ImGui's default
    // font is loaded instead).
    bool load(float pixelSize, const std::string& uiText, const std::string& remembered = {});
    // Rebuilds at another size (the window's scale differed from the monitor's guess); no-op if equal.
    void resize(float pixelSize);
    const std::string& fontPath() const { return m_path; }
    ImFontAtlas* atlas() { return m_atlas.get(); }

    // Records characters of `text` the atlas does not have.
    void noteText(std::string_view text);
    // True when the atlas must be rebuilt (call before NewFrame; the caller re-uploads the texture).
    bool needsRebuild() const { return !m_missing.empty(); }
    void rebuild();
    // UTF-8: every character added beyond the built-in set (remembered ones included), at most
    // kMaxRemembered of them, for the next load().
    std::string extraGlyphs() const;
    static constexpr std::size_t kMaxRemembered = 4096;

private:
    void build();
    std::unique_ptr<ImFontAtlas> m_atlas;
    std::string m_path;
    int m_faceIndex = 0;
    float m_size = 16.f;
    std::string m_uiText;
    std::set<ImWchar> m_extra;
    std::set<ImWchar> m_missing;
    ImVector<ImWchar> m_ranges;
};

}  // namespace app::desktop
