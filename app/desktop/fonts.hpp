#pragma once
// The UI font: a CJK-capable system font (fontconfig, then known paths), rasterised with the
// glyphs of ChineseSimplifiedCommon plus every character of the UI catalogues. Vendor text
// (machine and product names) may use rarer characters: noteText() collects the ones the atlas
// lacks and rebuild() adds them between frames, so Chinese never shows as '?'.
#include <imgui.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace app::desktop {

class FontManager {
public:
    // fontconfig's match for sans:lang=zh-cn, else known paths; "" when none exists.
    static std::string findCjkFont();

    // Loads the font at `pixelSize` (already multiplied by the content scale). uiText: all UI strings.
    bool load(float pixelSize, const std::string& uiText);
    const std::string& fontPath() const { return m_path; }

    // Records characters of `text` the atlas does not have.
    void noteText(std::string_view text);
    // True when the atlas must be rebuilt (call before NewFrame; the caller re-uploads the texture).
    bool needsRebuild() const { return !m_missing.empty(); }
    void rebuild();

private:
    void build();
    std::string m_path;
    int m_faceIndex = 0;
    float m_size = 16.f;
    std::string m_uiText;
    std::set<ImWchar> m_extra;
    std::set<ImWchar> m_missing;
    ImVector<ImWchar> m_ranges;
};

}  // namespace app::desktop
