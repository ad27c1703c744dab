#pragma once
// Whole strings drawn once into an 8-bit texture, then drawn as one quad each instead of a quad per
// glyph. A software renderer (llvmpipe) pays per small triangle and per 4x4 block it touches, and
// adjacent glyphs share blocks, so a table of short strings draws faster from here
// (docs/ARCHITECTURE.md, "Text cache"; docs/BENCHMARKS.md). The picture is the same: the font is
// pixel-exact (fonts.cpp), so each glyph's pixels are copied from the atlas to where ImGui would put
// them.
//
// Strings are laid out on shelves one line high, left to right, wrapping to the top: the oldest
// strings are overwritten first, never one drawn in the current frame or the last. When no room is
// left in a frame, find() returns nullptr and the caller draws glyphs as usual.
// No GL here: the renderer uploads the changed spans (text_cache_texture.hpp).
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace app::desktop {

class TextCache {
public:
    struct Quad {
        ImVec2 offset;  // from the text's position (ImGui floors it) to the quad's top left, whole pixels
        ImVec2 size;
        ImVec2 uv0;
        ImVec2 uv1;
    };
    struct Span {  // changed pixels, to upload
        int x = 0;
        int y = 0;
        int width = 0;
        int height = 0;
    };

    TextCache(int width, int height);

    int width() const { return m_width; }
    int height() const { return m_height; }
    const unsigned char* pixels() const { return m_pixels.data(); }

    // A new frame: strings last found two frames ago may be overwritten from now on.
    void beginFrame() { ++m_frame; }
    // Drops every string (the font changed).
    void clear();
    // The string's quad, drawn into the cache when new; nullptr when it cannot be cached (a glyph that
    // is coloured or not pixel-exact, too wide, or no room left in this frame).
    const Quad* find(const ImFont& font, std::string_view text);
    // The spans changed since the last call.
    std::vector<Span> takeChanged();

    ImTextureID texture() const { return m_texture; }
    void setTexture(ImTextureID texture) { m_texture = texture; }

    std::size_t size() const { return m_entries.size(); }

private:
    struct Entry {
        Quad quad;
        std::uint64_t lastUsed = 0;
    };
    struct Occupant {  // a string's slot on its shelf, a gap included
        int x0;
        int x1;
        const std::string* key;
    };
    struct Layout {
        int left = 0;
        int top = 0;
        int right = 0;
        int bottom = 0;
        bool ok = true;
    };

    Layout measure(const ImFont& font, std::string_view text) const;
    bool allocate(int width, int& shelf, int& x);
    bool evictOverlapping(int shelf, int x0, int x1, int& skipTo);
    void draw(const ImFont& font, std::string_view text, const Layout& layout, int shelf, int x);
    void noteChanged(int shelf, int x0, int x1);
    void resetFont(const ImFont& font);

    int m_width;
    int m_height;
    int m_shelfHeight = 0;
    std::vector<unsigned char> m_pixels;
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, Entry, Hash, std::equal_to<>> m_entries;
    std::vector<std::vector<Occupant>> m_shelves;  // each ordered by x0
    std::vector<Span> m_changed;                    // per shelf: x = -1 when unchanged
    int m_headShelf = 0;
    int m_headX = 0;
    std::uint64_t m_frame = 1;
    const ImFont* m_font = nullptr;
    float m_fontSize = 0.f;
    ImTextureID m_texture = nullptr;
};

}  // namespace app::desktop
