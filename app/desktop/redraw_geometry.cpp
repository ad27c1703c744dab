#include "app/desktop/redraw_geometry.hpp"

#include <algorithm>
#include <cstring>

namespace app::desktop {

// std::floor and std::ceil are library calls on x86-64 without SSE4.1; these run for every triangle.
int floorToInt(float f) {
    const int i = static_cast<int>(f);
    return i - (f < static_cast<float>(i) ? 1 : 0);
}

int ceilToInt(float f) {
    const int i = static_cast<int>(f);
    return i + (f > static_cast<float>(i) ? 1 : 0);
}

PixelRect intersect(const PixelRect& a, const PixelRect& b) {
    return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

PixelRect unite(const PixelRect& a, const PixelRect& b) {
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

PixelRect scissorPixels(const ImVec4& clipRect, const ImVec2& displayPos, int framebufferHeight) {
    // As imgui_impl_opengl3.cpp (1.86) turns a clip rectangle into glScissor, at a framebuffer scale of 1.
    const ImVec2 clipMin(clipRect.x - displayPos.x, clipRect.y - displayPos.y);
    const ImVec2 clipMax(clipRect.z - displayPos.x, clipRect.w - displayPos.y);
    if (clipMax.x <= clipMin.x || clipMax.y <= clipMin.y) return {};
    const int x = static_cast<int>(clipMin.x);
    const int glY = static_cast<int>(static_cast<float>(framebufferHeight) - clipMax.y);
    const int w = static_cast<int>(clipMax.x - clipMin.x);
    const int h = static_cast<int>(clipMax.y - clipMin.y);
    return {x, framebufferHeight - glY - h, x + w, framebufferHeight - glY};
}

bool sameTriangle(const DrawnTriangle& a, const DrawnTriangle& b) {
    // Field by field up to the vertices' end: the struct's tail padding is not compared.
    return std::memcmp(&a, &b, offsetof(DrawnTriangle, v) + sizeof a.v) == 0;
}

// Rasterisation samples pixel centres inside the triangle: its bounding box, rounded out by one.
PixelRect triangleBounds(const DrawnTriangle& t, const ImVec2& origin) {
    const ImRect v = vertexBox(t);
    const PixelRect box{floorToInt(v.Min.x - origin.x) - 1, floorToInt(v.Min.y - origin.y) - 1,
                        ceilToInt(v.Max.x - origin.x) + 1, ceilToInt(v.Max.y - origin.y) + 1};
    return intersect(box, PixelRect{t.scissor[0], t.scissor[1], t.scissor[2], t.scissor[3]});
}

CommonEnds commonEnds(const std::vector<DrawnTriangle>& before, const std::vector<DrawnTriangle>& now) {
    CommonEnds e;
    while (e.head < before.size() && e.head < now.size() && sameTriangle(before[e.head], now[e.head])) ++e.head;
    while (e.tail < before.size() - e.head && e.tail < now.size() - e.head &&
           sameTriangle(before[before.size() - 1 - e.tail], now[now.size() - 1 - e.tail])) {
        ++e.tail;
    }
    return e;
}

PixelRect copyDestination(const ScrollCopy& copy) {
    const PixelRect& r = copy.region;
    return intersect(r, PixelRect{r.x0, r.y0 + copy.dy, r.x1, r.y1 + copy.dy});
}

}  // namespace app::desktop
