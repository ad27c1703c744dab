#include "app/desktop/text_cache.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace app::desktop {
namespace {

constexpr int kGap = 1;  // between slots and below each line: nearest sampling never reaches a neighbour

bool whole(float v) { return v == std::floor(v); }

// Each glyph of the text in order, as ImFont::RenderText places it: x advances by AdvanceX from 0.
// Returns false to stop.
template <typename Visit>
void forEachGlyph(const ImFont& font, std::string_view text, Visit&& visit) {
    const char* s = text.data();
    const char* end = s + text.size();
    float x = 0.f;
    while (s < end) {
        unsigned int c = static_cast<unsigned char>(*s);
        if (c < 0x80) {
            s += 1;
        } else {
            s += ImTextCharFromUtf8(&c, s, end);
            if (c == 0) break;
        }
        if (c == '\r') continue;
        const ImFontGlyph* glyph = font.FindGlyph(static_cast<ImWchar>(c));
        if (glyph == nullptr) continue;
        if (!visit(c, *glyph, x)) return;
        x += glyph->AdvanceX;
    }
}

}  // namespace

TextCache::TextCache(int width, int height)
    : m_width(width), m_height(height), m_pixels(static_cast<std::size_t>(width) * static_cast<std::size_t>(height)) {}

void TextCache::clear() {
    m_entries.clear();
    const int shelves = m_shelfHeight > 0 ? m_height / m_shelfHeight : 0;
    m_shelves.assign(static_cast<std::size_t>(shelves), {});
    m_changed.assign(static_cast<std::size_t>(shelves), Span{-1, 0, 0, 0});
    m_headShelf = 0;
    m_headX = 0;
}

void TextCache::resetFont(const ImFont& font) {
    m_font = &font;
    m_fontSize = font.FontSize;
    m_shelfHeight = std::min(m_height, static_cast<int>(std::ceil(font.FontSize)) + 2 + kGap);
    clear();
}

TextCache::Layout TextCache::measure(const ImFont& font, std::string_view text) const {
    Layout layout;
    bool any = false;
    forEachGlyph(font, text, [&](unsigned int c, const ImFontGlyph& glyph, float x) {
        if (c == '\n' || glyph.Colored || !whole(glyph.AdvanceX) || font.ContainerAtlas->TexPixelsAlpha8 == nullptr) {
            return layout.ok = false;
        }
        if (!glyph.Visible) return true;
        if (!whole(glyph.X0) || !whole(glyph.Y0) || !whole(glyph.X1) || !whole(glyph.Y1)) return layout.ok = false;
        const int x0 = static_cast<int>(x + glyph.X0);
        const int x1 = static_cast<int>(x + glyph.X1);
        const int y0 = static_cast<int>(glyph.Y0);
        const int y1 = static_cast<int>(glyph.Y1);
        layout.left = any ? std::min(layout.left, x0) : x0;
        layout.right = any ? std::max(layout.right, x1) : x1;
        layout.top = any ? std::min(layout.top, y0) : y0;
        layout.bottom = any ? std::max(layout.bottom, y1) : y1;
        any = true;
        return true;
    });
    if (layout.bottom - layout.top > m_shelfHeight - kGap || layout.right - layout.left + kGap > m_width) {
        layout.ok = false;
    }
    return layout;
}

// Frees [x0, x1) on the shelf unless a string drawn in this frame or the last is there; then skipTo is
// past it. This frame's strings must keep their pixels; the last frame's are likely drawn again, and
// keeping their place keeps their rows' triangles, which partial redraw then copies or leaves alone.
bool TextCache::evictOverlapping(int shelf, int x0, int x1, int& skipTo) {
    auto& occupants = m_shelves[static_cast<std::size_t>(shelf)];
    auto first = std::find_if(occupants.begin(), occupants.end(), [&](const Occupant& o) { return o.x1 > x0; });
    auto last = std::find_if(first, occupants.end(), [&](const Occupant& o) { return o.x0 >= x1; });
    for (auto it = first; it != last; ++it) {
        if (m_entries.find(*it->key)->second.lastUsed + 1 >= m_frame) {
            skipTo = it->x1;
            return false;
        }
    }
    for (auto it = first; it != last; ++it) m_entries.erase(m_entries.find(*it->key));
    occupants.erase(first, last);
    return true;
}

// The next free slot after the head, wrapping to the top once.
bool TextCache::allocate(int width, int& shelf, int& x) {
    const int shelves = static_cast<int>(m_shelves.size());
    int s = m_headShelf;
    int hx = m_headX;
    for (int turned = 0; turned <= shelves;) {
        if (hx + width > m_width) {
            s = (s + 1) % shelves;
            hx = 0;
            ++turned;
            continue;
        }
        int skipTo = hx;
        if (evictOverlapping(s, hx, hx + width, skipTo)) {
            shelf = s;
            x = hx;
            m_headShelf = s;
            m_headX = hx + width;
            return true;
        }
        hx = skipTo;
    }
    return false;
}

void TextCache::draw(const ImFont& font, std::string_view text, const Layout& layout, int shelf, int x) {
    const int top = shelf * m_shelfHeight;
    const int slotWidth = layout.right - layout.left + kGap;
    for (int row = 0; row < m_shelfHeight; ++row) {
        std::fill_n(m_pixels.begin() + (top + row) * m_width + x, slotWidth, 0);
    }
    const ImFontAtlas& atlas = *font.ContainerAtlas;
    forEachGlyph(font, text, [&](unsigned int, const ImFontGlyph& glyph, float gx) {
        if (!glyph.Visible) return true;
        const int u0 = static_cast<int>(std::lround(glyph.U0 * static_cast<float>(atlas.TexWidth)));
        const int v0 = static_cast<int>(std::lround(glyph.V0 * static_cast<float>(atlas.TexHeight)));
        const int w = static_cast<int>(glyph.X1 - glyph.X0);
        const int h = static_cast<int>(glyph.Y1 - glyph.Y0);
        const int dx = x + static_cast<int>(gx + glyph.X0) - layout.left;
        const int dy = top + static_cast<int>(glyph.Y0) - layout.top;
        for (int row = 0; row < h; ++row) {
            const unsigned char* src = atlas.TexPixelsAlpha8 + (v0 + row) * atlas.TexWidth + u0;
            unsigned char* dst = &m_pixels[static_cast<std::size_t>((dy + row) * m_width + dx)];
            for (int col = 0; col < w; ++col) {
                // Glyph boxes may overlap: coverage adds as blending would ("over").
                const int a = src[col];
                const int d = dst[col];
                dst[col] = static_cast<unsigned char>(d == 0 ? a : d + a - (d * a + 127) / 255);
            }
        }
        return true;
    });
    noteChanged(shelf, x, x + slotWidth);
}

void TextCache::noteChanged(int shelf, int x0, int x1) {
    Span& span = m_changed[static_cast<std::size_t>(shelf)];
    if (span.x < 0) {
        span = Span{x0, shelf * m_shelfHeight, x1 - x0, m_shelfHeight};
    } else {
        const int right = std::max(span.x + span.width, x1);
        span.x = std::min(span.x, x0);
        span.width = right - span.x;
    }
}

const TextCache::Quad* TextCache::find(const ImFont& font, std::string_view text) {
    if (&font != m_font || font.FontSize != m_fontSize) resetFont(font);
    if (m_shelves.empty() || font.ContainerAtlas == nullptr) return nullptr;
    if (auto it = m_entries.find(text); it != m_entries.end()) {
        it->second.lastUsed = m_frame;
        return &it->second.quad;
    }
    const Layout layout = measure(font, text);
    if (!layout.ok) return nullptr;
    Entry entry;
    entry.lastUsed = m_frame;
    const int width = layout.right - layout.left;
    if (width <= 0) return &m_entries.emplace(std::string(text), entry).first->second.quad;  // nothing to draw
    int shelf = 0;
    int x = 0;
    if (!allocate(width + kGap, shelf, x)) return nullptr;
    draw(font, text, layout, shelf, x);
    const float w = static_cast<float>(m_width);
    const float h = static_cast<float>(m_height);
    const float top = static_cast<float>(shelf * m_shelfHeight);
    entry.quad.offset = ImVec2(static_cast<float>(layout.left), static_cast<float>(layout.top));
    entry.quad.size = ImVec2(static_cast<float>(width), static_cast<float>(layout.bottom - layout.top));
    entry.quad.uv0 = ImVec2(static_cast<float>(x) / w, top / h);
    entry.quad.uv1 = ImVec2(static_cast<float>(x + width) / w, (top + entry.quad.size.y) / h);
    auto it = m_entries.emplace(std::string(text), entry).first;
    auto& occupants = m_shelves[static_cast<std::size_t>(shelf)];
    const auto at = std::lower_bound(occupants.begin(), occupants.end(), x,
                                     [](const Occupant& o, int x0) { return o.x0 < x0; });
    occupants.insert(at, Occupant{x, x + width + kGap, &it->first});
    return &it->second.quad;
}

std::vector<TextCache::Span> TextCache::takeChanged() {
    std::vector<Span> spans;
    for (Span& span : m_changed) {
        if (span.x >= 0) spans.push_back(span);
        span.x = -1;
    }
    return spans;
}

}  // namespace app::desktop
