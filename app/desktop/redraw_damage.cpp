#include "app/desktop/redraw_damage.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <optional>

namespace app::desktop {
namespace {

// Rectangles closer than this are merged: one present and one pass over the commands instead of two.
constexpr int kMergeSlack = 32;

std::atomic<bool> g_fullRedrawRequested{false};

// The list's triangles in drawing order, each with what decides its pixels.
void snapshot(const ImDrawList& list, const ImVec2& origin, int height, DrawnList& out) {
    out.triangles.clear();
    out.firstVertex.clear();
    out.hasCallback = false;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        if (cmd.UserCallback != nullptr) {
            out.hasCallback = true;
            continue;
        }
        const PixelRect sc = scissorPixels(cmd.ClipRect, origin, height);
        if (sc.empty()) continue;
        for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
            DrawnTriangle& t = out.triangles.emplace_back();  // value-initialised: padding is zero
            t.texture = reinterpret_cast<std::uintptr_t>(cmd.TextureId);
            t.scissor[0] = sc.x0;
            t.scissor[1] = sc.y0;
            t.scissor[2] = sc.x1;
            t.scissor[3] = sc.y1;
            for (unsigned k = 0; k < 3; ++k) {
                const ImDrawIdx index = list.IdxBuffer[static_cast<int>(cmd.IdxOffset + i + k)];
                t.v[k] = list.VtxBuffer[static_cast<int>(cmd.VtxOffset + index)];
            }
            out.firstVertex.push_back(cmd.VtxOffset + list.IdxBuffer[static_cast<int>(cmd.IdxOffset + i)]);
        }
    }
}

// Where two frames of one list differ: the triangles between their common beginning and common end,
// before and after (two rectangles: a window that moved is redrawn where it was and where it is).
// Outside those a pixel sees the same triangles in the same order.
void addChanges(const std::vector<DrawnTriangle>& before, const std::vector<DrawnTriangle>& now, const ImVec2& origin,
                std::vector<PixelRect>& out) {
    const CommonEnds ends = commonEnds(before, now);
    for (const auto* tris : {&before, &now}) {
        PixelRect changed{};
        for (size_t i = ends.head; i + ends.tail < tris->size(); ++i) {
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

namespace {

// Whether a triangle's vertices come within a pixel of the rectangle.
bool nearRect(const ImDrawList& list, const ImDrawCmd& cmd, unsigned first, const PixelRect& r, const ImVec2& origin) {
    const auto at = [&](unsigned k) {
        return list.VtxBuffer[static_cast<int>(cmd.VtxOffset + list.IdxBuffer[static_cast<int>(first + k)])].pos;
    };
    const ImRect v = vertexBox(at(0), at(1), at(2));
    return v.Max.x - origin.x >= static_cast<float>(r.x0 - 1) && v.Min.x - origin.x <= static_cast<float>(r.x1 + 1) &&
           v.Max.y - origin.y >= static_cast<float>(r.y0 - 1) && v.Min.y - origin.y <= static_cast<float>(r.y1 + 1);
}

// The command's triangles that can touch `part`, as a command of their own: their indices are
// appended to the list's index buffer (unless that is all of them). A software renderer transforms
// and bins every triangle it is given, scissored away or not: the codes table's one text command,
// drawn once per rectangle, cost more than the pixels the rectangles saved.
std::optional<ImDrawCmd> trianglesNear(ImDrawList& list, const ImDrawCmd& cmd, const PixelRect& part, const ImVec2& origin) {
    const unsigned end = cmd.IdxOffset + cmd.ElemCount;
    unsigned kept = 0;
    const auto appendedFrom = static_cast<unsigned>(list.IdxBuffer.Size);
    for (unsigned first = cmd.IdxOffset; first + 2 < end; first += 3) {
        if (!nearRect(list, cmd, first, part, origin)) continue;
        for (unsigned k = 0; k < 3; ++k) {
            const ImDrawIdx index = list.IdxBuffer[static_cast<int>(first + k)];  // push_back may move the buffer
            list.IdxBuffer.push_back(index);
        }
        kept += 3;
    }
    if (kept == 0) return std::nullopt;
    ImDrawCmd out = cmd;
    if (kept == cmd.ElemCount) {
        list.IdxBuffer.resize(static_cast<int>(appendedFrom));  // all of them: the original indices do
    } else {
        out.IdxOffset = appendedFrom;
        out.ElemCount = kept;
    }
    // Whole pixels: the backend's scissor maps them back to exactly these.
    out.ClipRect = ImVec4(static_cast<float>(part.x0) + origin.x, static_cast<float>(part.y0) + origin.y,
                          static_cast<float>(part.x1) + origin.x, static_cast<float>(part.y1) + origin.y);
    return out;
}

}  // namespace

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
                if (const auto near = trianglesNear(list, cmd, part, origin)) clipped.push_back(*near);
            }
        }
        list.CmdBuffer.swap(clipped);
    }
}

bool DamageTracker::comparable(const ImDrawData& drawData, const std::vector<DrawnList>& next) const {
    const bool unscaled = drawData.FramebufferScale.x == 1.f && drawData.FramebufferScale.y == 1.f;
    if (!m_valid || !unscaled || next.size() != m_lists.size()) return false;
    for (size_t i = 0; i < next.size(); ++i) {
        // Another list, or the same ones in another order: what overlaps may change, so all of it.
        // Callbacks draw what the snapshot cannot see.
        if (m_lists[i].list != next[i].list || m_lists[i].hasCallback || next[i].hasCallback) return false;
    }
    return true;
}

std::vector<PixelRect> DamageTracker::compare(const ImDrawData& drawData, const std::vector<DrawnList>& next,
                                              ScrolledListImage& image) {
    const PixelRect everything{0, 0, m_width, m_height};
    if (!comparable(drawData, next)) return {everything};
    std::vector<PixelRect> damage;
    std::optional<ScrollPlan> plan;
    if (m_copyAllowed) plan = planScrollCopy(m_lists, m_image, next, image, drawData.DisplayPos);
    if (plan) {
        m_copy = plan->copy;
        damage = std::move(plan->damage);
    } else {
        for (size_t i = 0; i < next.size(); ++i) addChanges(m_lists[i].triangles, next[i].triangles, drawData.DisplayPos, damage);
    }
    for (PixelRect& r : damage) r = intersect(r, everything);
    return mergeRects(std::move(damage), kMaxRects);
}

std::vector<PixelRect> DamageTracker::update(ImDrawData& drawData, int framebufferWidth, int framebufferHeight,
                                             const ScrolledRows& rows) {
    if (framebufferWidth != m_width || framebufferHeight != m_height) {
        m_width = framebufferWidth;
        m_height = framebufferHeight;
        m_valid = false;
    }
    // Snapshots reuse the storage of two frames ago: no allocation per frame once warm.
    std::vector<DrawnList> next = std::move(m_spare);
    next.resize(static_cast<size_t>(std::max(drawData.CmdListsCount, 0)));
    for (int n = 0; n < drawData.CmdListsCount; ++n) {
        DrawnList& s = next[static_cast<size_t>(n)];
        s.list = drawData.CmdLists[n];
        snapshot(*s.list, drawData.DisplayPos, m_height, s);
    }
    m_copy.reset();
    ScrolledListImage image = m_copyAllowed ? splitScrolledList(next, rows, drawData.DisplayPos) : ScrolledListImage{};
    std::vector<PixelRect> damage = compare(drawData, next, image);
    m_spare = std::move(m_lists);
    m_lists = std::move(next);
    m_image = std::move(image);
    m_valid = true;
    const bool everything = damage.size() == 1 && damage.front() == PixelRect{0, 0, m_width, m_height};
    if (!damage.empty() && !everything) clipDrawData(drawData, damage, m_height);
    return damage;
}

}  // namespace app::desktop
