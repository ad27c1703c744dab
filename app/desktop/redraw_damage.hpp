#pragma once
// Partial redraw for software renderers. llvmpipe spends most of a frame rasterising, yet between two
// frames of scrolling the codes table only the table's rows change. DamageTracker compares this
// frame's draw lists with the last frame's, byte for byte, and returns the framebuffer rectangles that
// may differ; it then narrows every draw command's clip rectangle to them, so the stock OpenGL backend
// draws only there. The caller keeps the back buffer between frames (it presents with
// glXCopySubBufferMESA instead of swapping, see partial_present.hpp) and clears only the damage.
#include <imgui.h>

#include <cstdint>
#include <vector>

namespace app::desktop {

// Framebuffer pixels, top-left origin, half-open: [x0, x1) x [y0, y1).
struct PixelRect {
    int x0 = 0;
    int y0 = 0;
    int x1 = 0;
    int y1 = 0;

    bool empty() const { return x1 <= x0 || y1 <= y0; }
    long long area() const { return empty() ? 0 : static_cast<long long>(x1 - x0) * (y1 - y0); }
    friend bool operator==(const PixelRect& a, const PixelRect& b) {
        return a.x0 == b.x0 && a.y0 == b.y0 && a.x1 == b.x1 && a.y1 == b.y1;
    }
};

PixelRect intersect(const PixelRect& a, const PixelRect& b);
PixelRect unite(const PixelRect& a, const PixelRect& b);

// The pixels the OpenGL backend's scissor covers for a clip rectangle (its exact float-to-int steps).
PixelRect scissorPixels(const ImVec4& clipRect, const ImVec2& displayPos, int framebufferHeight);

// One triangle as the backend draws it: texture, scissor (a PixelRect) and vertices. Compared bytewise.
struct DrawnTriangle {
    std::uintptr_t texture = 0;
    int scissor[4] = {};
    ImDrawVert v[3] = {};
};

class DamageTracker {
public:
    // At most this many rectangles per frame; more are merged (each costs a present call).
    static constexpr size_t kMaxRects = 4;

    // Compares drawData with the last frame and returns the rectangles to redraw (none when nothing
    // changed; the whole framebuffer after invalidate(), a resize, a change in the set or order of
    // draw lists, or with a framebuffer scale other than 1). Then clips drawData's commands to them.
    std::vector<PixelRect> update(ImDrawData& drawData, int framebufferWidth, int framebufferHeight);

    // The next update() redraws everything: the window was exposed, or a texture's pixels changed
    // under the same id (the font atlas, the export preview).
    void invalidate() { m_valid = false; }

private:
    struct ListSnapshot {
        const ImDrawList* list = nullptr;
        std::vector<DrawnTriangle> triangles;  // in drawing order
        bool hasCallback = false;
    };

    std::vector<PixelRect> compare(const ImDrawData& drawData, std::vector<ListSnapshot>& next) const;

    std::vector<ListSnapshot> m_lists;  // the last frame's
    std::vector<ListSnapshot> m_spare;  // storage for the next frame's
    int m_width = 0;
    int m_height = 0;
    bool m_valid = false;
};

// For code that changes a texture's pixels under the same id (the export preview): the next frame is
// drawn in full. Any thread.
void requestFullRedraw();
bool takeFullRedrawRequest();  // the main loop: true once after a request

// Merges overlapping (or nearly touching) rectangles, then the closest pairs until at most maxRects.
std::vector<PixelRect> mergeRects(std::vector<PixelRect> rects, size_t maxRects);

// Keeps, for every command, only its parts inside the rectangles (a command spanning two is drawn twice,
// each clipped to one). Commands outside all of them are dropped; callbacks are kept.
void clipDrawData(ImDrawData& drawData, const std::vector<PixelRect>& rects, int framebufferHeight);

}  // namespace app::desktop
