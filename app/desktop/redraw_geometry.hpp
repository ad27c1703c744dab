#pragma once
// What partial redraw (redraw_damage.hpp) and the scroll copy (redraw_scroll.hpp) see of a frame:
// framebuffer rectangles, and each draw list's triangles as the OpenGL backend draws them.
#include <imgui.h>
#include <imgui_internal.h>  // ImRect

#include <cstddef>
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

// One frame of a draw list: its triangles in drawing order, each with its first vertex's index in the
// list's VtxBuffer (which row drew it, for the scroll copy).
struct DrawnList {
    const ImDrawList* list = nullptr;
    std::vector<DrawnTriangle> triangles;
    std::vector<unsigned> firstVertex;
    bool hasCallback = false;
};

bool sameTriangle(const DrawnTriangle& a, const DrawnTriangle& b);
// The bounding box of a triangle's vertices, in ImGui's coordinates.
inline ImRect vertexBox(const ImVec2& a, const ImVec2& b, const ImVec2& c) {
    ImRect box(a, a);
    box.Add(b);
    box.Add(c);
    return box;
}
inline ImRect vertexBox(const DrawnTriangle& t) { return vertexBox(t.v[0].pos, t.v[1].pos, t.v[2].pos); }
// The pixels a triangle can touch: its bounding box, within its scissor.
PixelRect triangleBounds(const DrawnTriangle& t, const ImVec2& origin);
// std::floor and std::ceil to int, without a library call (they run for every triangle).
int floorToInt(float f);
int ceilToInt(float f);
// How many triangles two frames of a list share at their beginning (head) and end (tail).
struct CommonEnds {
    size_t head = 0;
    size_t tail = 0;
};
CommonEnds commonEnds(const std::vector<DrawnTriangle>& before, const std::vector<DrawnTriangle>& now);

// Move the region's pixels dy down (up when negative), within the region, before drawing the damage.
struct ScrollCopy {
    PixelRect region;
    int dy = 0;
};
// The pixels the copy writes: the region, moved by dy, within the region.
PixelRect copyDestination(const ScrollCopy& copy);

}  // namespace app::desktop
