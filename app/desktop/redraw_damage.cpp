#include "app/desktop/redraw_damage.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>

namespace app::desktop {
namespace {

// Rectangles closer than this are merged: one present and one pass over the commands instead of two.
constexpr int kMergeSlack = 32;

std::atomic<bool> g_fullRedrawRequested{false};

bool sameTriangle(const DrawnTriangle& a, const DrawnTriangle& b) {
    // Field by field up to the vertices' end: the struct's tail padding is not compared.
    return std::memcmp(&a, &b, offsetof(DrawnTriangle, v) + sizeof a.v) == 0;
}

// The pixels a triangle can touch: its bounding box (rasterisation samples pixel centres inside
// it), within its scissor.
PixelRect triangleBounds(const DrawnTriangle& t, const ImVec2& origin) {
    const float minX = std::min({t.v[0].pos.x, t.v[1].pos.x, t.v[2].pos.x}) - origin.x;
    const float minY = std::min({t.v[0].pos.y, t.v[1].pos.y, t.v[2].pos.y}) - origin.y;
    const float maxX = std::max({t.v[0].pos.x, t.v[1].pos.x, t.v[2].pos.x}) - origin.x;
    const float maxY = std::max({t.v[0].pos.y, t.v[1].pos.y, t.v[2].pos.y}) - origin.y;
    const PixelRect box{static_cast<int>(std::floor(minX)) - 1, static_cast<int>(std::floor(minY)) - 1,
                        static_cast<int>(std::ceil(maxX)) + 1, static_cast<int>(std::ceil(maxY)) + 1};
    return intersect(box, PixelRect{t.scissor[0], t.scissor[1], t.scissor[2], t.scissor[3]});
}

// The list's triangles in drawing order, each with what decides its pixels.
void snapshot(const ImDrawList& list, const ImVec2& origin, int height, std::vector<DrawnTriangle>& out,
              bool& hasCallback) {
    out.clear();
    hasCallback = false;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        if (cmd.UserCallback != nullptr) {
            hasCallback = true;
            continue;
        }
        const PixelRect sc = scissorPixels(cmd.ClipRect, origin, height);
        if (sc.empty()) continue;
        for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
            DrawnTriangle& t = out.emplace_back();  // value-initialised: padding is zero
            t.texture = reinterpret_cast<std::uintptr_t>(cmd.TextureId);
            t.scissor[0] = sc.x0;
            t.scissor[1] = sc.y0;
            t.scissor[2] = sc.x1;
            t.scissor[3] = sc.y1;
            for (unsigned k = 0; k < 3; ++k) {
                const ImDrawIdx index = list.IdxBuffer[static_cast<int>(cmd.IdxOffset + i + k)];
                t.v[k] = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + index)];
            }
        }
    }
}

// Where two frames of one list differ: the triangles between their common beginning and common end,
// before and after (two rectangles: a window that moved is redrawn where it was and where it is).
// Outside those a pixel sees the same triangles in the same order.
void addChanges(const std::vector<DrawnTriangle>& before, const std::vector<DrawnTriangle>& now, const ImVec2& origin,
                std::vector<PixelRect>& out) {
    size_t head = 0;
    while (head < before.size() && head < now.size() && sameTriangle(before[head], now[head])) ++head;
    size_t tail = 0;
    while (tail < before.size() - head && tail < now.size() - head &&
           sameTriangle(before[before.size() - 1 - tail], now[now.size() - 1 - tail])) {
        ++tail;
    }
    for (const auto* tris : {&before, &now}) {
        PixelRect changed{};
        for (size_t i = head; i + tail < tris->size(); ++i) {
            const PixelRect r = triangleBounds((*tris)[i], origin);
            if (!r.empty()) changed = changed.empty() ? r : unite(changed, r);
        }
        if (!changed.empty()) out.push_back(changed);
    }
}

PixelRect grown(const PixelRect& r, int by) { return {r.x0 - by, r.y0 - by, r.x1 + by, r.y1 + by}; }

long long mergeCost(const PixelRect& a, const PixelRect& b) { return unite(a, b).area() - a.area() - b.area(); }

}  // namespace

void requestFullRedraw() { g_fullRedrawRequested = true; }

bool takeFullRedrawRequest() { return g_fullRedrawRequested.exchange(false); }

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

std::vector<PixelRect> mergeRects(std::vector<PixelRect> rects, size_t maxRects) {
    rects.erase(std::remove_if(rects.begin(), rects.end(), [](const PixelRect& r) { return r.empty(); }), rects.end());
    for (bool merged = true; merged;) {
        merged = false;
        for (size_t i = 0; i < rects.size() && !merged; ++i) {
            for (size_t j = i + 1; j < rects.size() && !merged; ++j) {
                if (intersect(grown(rects[i], kMergeSlack), rects[j]).empty()) continue;
                rects[i] = unite(rects[i], rects[j]);
                rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(j));
                merged = true;
            }
        }
    }
    while (rects.size() > std::max<size_t>(maxRects, 1)) {
        size_t bestI = 0;
        size_t bestJ = 1;
        for (size_t i = 0; i < rects.size(); ++i) {
            for (size_t j = i + 1; j < rects.size(); ++j) {
                if (mergeCost(rects[i], rects[j]) < mergeCost(rects[bestI], rects[bestJ])) {
                    bestI = i;
                    bestJ = j;
                }
            }
        }
        rects[bestI] = unite(rects[bestI], rects[bestJ]);
        rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bestJ));
    }
    return rects;
}

void clipDrawData(ImDrawData& drawData, const std::vector<PixelRect>& rects, int framebufferHeight) {
    const ImVec2 origin = drawData.DisplayPos;
    for (int n = 0; n < drawData.CmdListsCount; ++n) {
        ImDrawList& list = *drawData.CmdLists[n];
        ImVector<ImDrawCmd> clipped;
        clipped.reserve(list.CmdBuffer.Size);
        for (const ImDrawCmd& cmd : list.CmdBuffer) {
            if (cmd.UserCallback != nullptr) {
                clipped.push_back(cmd);
                continue;
            }
            const PixelRect scissor = scissorPixels(cmd.ClipRect, origin, framebufferHeight);
            for (const PixelRect& rect : rects) {
                const PixelRect part = intersect(scissor, rect);
                if (part.empty()) continue;
                ImDrawCmd copy = cmd;
                // Whole pixels: the backend's scissor maps them back to exactly these.
                copy.ClipRect = ImVec4(static_cast<float>(part.x0) + origin.x, static_cast<float>(part.y0) + origin.y,
                                       static_cast<float>(part.x1) + origin.x, static_cast<float>(part.y1) + origin.y);
                clipped.push_back(copy);
            }
        }
        list.CmdBuffer.swap(clipped);
    }
}

std::vector<PixelRect> DamageTracker::compare(const ImDrawData& drawData, std::vector<ListSnapshot>& next) const {
    const std::vector<PixelRect> everything{PixelRect{0, 0, m_width, m_height}};
    const bool unscaled = drawData.FramebufferScale.x == 1.f && drawData.FramebufferScale.y == 1.f;
    if (!m_valid || !unscaled || next.size() != m_lists.size()) return everything;
    std::vector<PixelRect> damage;
    for (size_t i = 0; i < next.size(); ++i) {
        const ListSnapshot& before = m_lists[i];
        const ListSnapshot& now = next[i];
        // Another list, or the same ones in another order: what overlaps may change, so all of it.
        // Callbacks draw what the snapshot cannot see.
        if (before.list != now.list || before.hasCallback || now.hasCallback) return everything;
        addChanges(before.triangles, now.triangles, drawData.DisplayPos, damage);
    }
    for (PixelRect& r : damage) r = intersect(r, everything.front());
    return mergeRects(std::move(damage), kMaxRects);
}

std::vector<PixelRect> DamageTracker::update(ImDrawData& drawData, int framebufferWidth, int framebufferHeight) {
    if (framebufferWidth != m_width || framebufferHeight != m_height) {
        m_width = framebufferWidth;
        m_height = framebufferHeight;
        m_valid = false;
    }
    // Snapshots reuse the storage of two frames ago: no allocation per frame once warm.
    std::vector<ListSnapshot> next = std::move(m_spare);
    next.resize(static_cast<size_t>(std::max(drawData.CmdListsCount, 0)));
    for (int n = 0; n < drawData.CmdListsCount; ++n) {
        ListSnapshot& s = next[static_cast<size_t>(n)];
        s.list = drawData.CmdLists[n];
        snapshot(*s.list, drawData.DisplayPos, m_height, s.triangles, s.hasCallback);
    }
    std::vector<PixelRect> damage = compare(drawData, next);
    m_spare = std::move(m_lists);
    m_lists = std::move(next);
    m_valid = true;
    const bool everything = damage.size() == 1 && damage.front() == PixelRect{0, 0, m_width, m_height};
    if (!damage.empty() && !everything) clipDrawData(drawData, damage, m_height);
    return damage;
}

}  // namespace app::desktop
