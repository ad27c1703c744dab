#include "app/desktop/redraw_scroll.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace app::desktop {
namespace {

// Rasterisers snap vertices to a subpixel grid; llvmpipe's is 1/256 px (the finest in Mesa).
constexpr int kSubpixels = 256;

using RowImage = ScrolledListImage::Row;

// FNV-1a over 64-bit words: one multiply per word (this runs for every row triangle of a frame).
std::uint64_t mix(std::uint64_t h, std::uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }

std::uint64_t bits(float f) {
    std::uint32_t u = 0;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

// To the nearest 1/256 px, as an integer (std::lround is a library call on x86-64 without SSE4.1).
std::int64_t snapped(float f) {
    const float scaled = f * static_cast<float>(kSubpixels) + 0.5f;
    const auto i = static_cast<std::int64_t>(scaled);
    return i - (scaled < static_cast<float>(i) ? 1 : 0);
}

// splitmix64's finaliser: spreads a triangle's hash over all 64 bits before the row adds it up.
std::uint64_t finish(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// A triangle as the rasteriser sees it: x, texture coordinates and colours exact, y snapped and
// relative to its row's whole-pixel top. Its scissor counts only where it may cut the triangle
// (within a pixel of it): the same row, drawn lower, can be cut where it was not.
std::uint64_t hashTriangle(const DrawnTriangle& t, const ImVec2& origin, int top) {
    std::uint64_t h = mix(0xcbf29ce484222325ULL, t.texture);
    for (const ImDrawVert& v : t.v) {
        const std::int64_t y = snapped(v.pos.y - origin.y) - std::int64_t{top} * kSubpixels;
        h = mix(h, bits(v.pos.x) << 32 | static_cast<std::uint32_t>(y));
        h = mix(h, bits(v.uv.x) << 32 | bits(v.uv.y));
        h = mix(h, v.col);
    }
    const ImRect box = vertexBox(t);
    // Per axis: a row line spans the scissor's width, but not its height.
    const auto at = [](int edge, int inward) { return static_cast<float>(edge + inward); };
    const bool insideX = box.Min.x - origin.x >= at(t.scissor[0], 1) && box.Max.x - origin.x <= at(t.scissor[2], -1);
    const bool insideY = box.Min.y - origin.y >= at(t.scissor[1], 1) && box.Max.y - origin.y <= at(t.scissor[3], -1);
    h = mix(h, insideX ? 1 : static_cast<std::uint64_t>(t.scissor[0]) << 32 | static_cast<std::uint32_t>(t.scissor[2]));
    h = mix(h, insideY ? 1 : static_cast<std::uint64_t>(t.scissor[1] - top) << 32 | static_cast<std::uint32_t>(t.scissor[3] - top));
    return finish(h);
}

PixelRect unionWith(const PixelRect& a, const PixelRect& b) { return a.empty() ? b : (b.empty() ? a : unite(a, b)); }

// The row that drew vertex v: rows are in vertex order.
RowImage* rowOf(std::vector<RowImage>& images, const std::vector<RowVertices>& rows, unsigned v) {
    auto it = std::upper_bound(rows.begin(), rows.end(), v, [](unsigned x, const RowVertices& r) { return x < r.begin; });
    if (it == rows.begin()) return nullptr;
    --it;
    if (v >= it->end) return nullptr;
    return &images[static_cast<size_t>(it - rows.begin())];
}

RowImage* findRow(std::vector<RowImage>& rows, int index) {
    for (RowImage& r : rows) {
        if (r.index == index) return &r;
    }
    return nullptr;
}

// How far the rows moved in whole pixels: the same for every row in both frames, else nullopt.
std::optional<int> rowShift(ScrolledListImage& before, const ScrolledListImage& now) {
    std::optional<int> shift;
    for (const RowImage& r : now.rows) {
        const RowImage* old = findRow(before.rows, r.index);
        if (old == nullptr) continue;
        if (shift && *shift != r.top - old->top) return std::nullopt;
        shift = r.top - old->top;
    }
    return shift;
}

PixelRect moved(const PixelRect& r, int dy) { return r.empty() ? r : PixelRect{r.x0, r.y0 + dy, r.x1, r.y1 + dy}; }

// The parts of r outside the region, which the copy does not touch.
void addOutside(const PixelRect& r, const PixelRect& region, std::vector<PixelRect>& out) {
    const PixelRect i = intersect(r, region);
    if (r.empty() || i == r) return;
    if (i.empty()) {
        out.push_back(r);
        return;
    }
    if (r.y0 < i.y0) out.push_back({r.x0, r.y0, r.x1, i.y0});
    if (i.y1 < r.y1) out.push_back({r.x0, i.y1, r.x1, r.y1});
    if (r.x0 < i.x0) out.push_back({r.x0, i.y0, i.x0, i.y1});
    if (i.x1 < r.x1) out.push_back({i.x1, i.y0, r.x1, i.y1});
}

// Where the copy put the pixels that were at r (only those inside the region move).
PixelRect whereCopied(const PixelRect& r, const ScrollCopy& copy) {
    return intersect(moved(intersect(r, copy.region), copy.dy), copyDestination(copy));
}

// The pixel rows a band's rectangle covers: those whose centre lies within it, within its scissor.
struct PixelRows {
    int y0 = 0;
    int y1 = 0;
};
PixelRows bandRows(const DrawnTriangle& t, const ImVec2& origin) {
    const ImRect box = vertexBox(t);
    return {std::max(ceilToInt(box.Min.y - origin.y - 0.5f), t.scissor[1]),
            std::min(ceilToInt(box.Max.y - origin.y - 0.5f), t.scissor[3])};
}

// The region is the rows' footprints, rounded out by a pixel, and the first row's top border lies
// above the table's clip when the rows line up with its header: a column line can stop a pixel or
// two short of either end.
constexpr int kBandSlack = 2;

// Two triangles, drawn one after the other, that fill a rectangle of one colour reaching over the
// region's height (kBandSlack): every pixel of those rows looks the same there, before and after.
bool bandPair(const DrawnTriangle& a, const DrawnTriangle& b, const PixelRect& region, const ImVec2& origin) {
    if (a.texture != b.texture || std::memcmp(a.scissor, b.scissor, sizeof a.scissor) != 0) return false;
    const ImDrawVert& first = a.v[0];
    for (const DrawnTriangle* t : {&a, &b}) {
        for (const ImDrawVert& v : t->v) {
            if (v.col != first.col || v.uv.x != first.uv.x || v.uv.y != first.uv.y) return false;
        }
    }
    ImRect box = vertexBox(a);
    box.Add(vertexBox(b));
    const float minX = box.Min.x, maxX = box.Max.x, minY = box.Min.y, maxY = box.Max.y;
    int corners = 0;  // which corners of the bounding box the vertices are on; all must be corners
    for (const DrawnTriangle* t : {&a, &b}) {
        for (const ImDrawVert& v : t->v) {
            const bool onX = v.pos.x == minX || v.pos.x == maxX;
            const bool onY = v.pos.y == minY || v.pos.y == maxY;
            if (!onX || !onY) return false;
            corners |= 1 << ((v.pos.x == maxX ? 1 : 0) + (v.pos.y == maxY ? 2 : 0));
        }
    }
    // Within a pixel or two of the region's ends: those rows are redrawn (addBandMisses).
    const PixelRows rows = bandRows(a, origin);
    return corners == 0xf && rows.y0 <= region.y0 + kBandSlack && rows.y1 >= region.y1 - kBandSlack;
}

bool inBand(const std::vector<DrawnTriangle>& tris, size_t i, const CommonEnds& ends, const PixelRect& region,
            const ImVec2& origin) {
    const auto unchanged = [&](size_t k) { return k < ends.head || k + ends.tail >= tris.size(); };
    const auto pair = [&](size_t a, size_t b) {
        return unchanged(a) && unchanged(b) && bandPair(tris[a], tris[b], region, origin);
    };
    return (i > 0 && pair(i - 1, i)) || (i + 1 < tris.size() && pair(i, i + 1));
}

// The region's rows at either end that a band does not reach (kBandSlack): there the copy brings
// pixels that had the band, or takes away pixels that had none, so those rows and where the copy
// moves them are redrawn.
void addBandMisses(const DrawnTriangle& band, const PixelRect& f, const ScrollCopy& copy, const ImVec2& origin,
                   std::vector<PixelRect>& out) {
    const PixelRect& region = copy.region;
    const PixelRows rows = bandRows(band, origin);
    for (const PixelRect miss : {PixelRect{f.x0, region.y0, f.x1, std::min(rows.y0, region.y1)},
                                 PixelRect{f.x0, std::max(rows.y1, region.y0), f.x1, region.y1}}) {
        if (miss.empty()) continue;
        out.push_back(miss);
        out.push_back(whereCopied(miss, copy));
    }
}

// Whether a triangle's vertices reach the region's rows (cheaper than its bounds).
bool reachesRows(const DrawnTriangle& t, const PixelRect& region, const ImVec2& origin) {
    const ImRect box = vertexBox(t);
    return box.Max.y - origin.y >= static_cast<float>(region.y0 - 1) &&
           box.Min.y - origin.y <= static_cast<float>(region.y1 + 1);
}

// A list's triangles other than the scrolled rows (see the header's third point).
void addOtherChanges(const std::vector<DrawnTriangle>& before, const std::vector<DrawnTriangle>& now,
                     const ImVec2& origin, const ScrollCopy& copy, std::vector<PixelRect>& out) {
    const CommonEnds ends = commonEnds(before, now);
    PixelRect changedBefore;
    for (size_t i = ends.head; i + ends.tail < before.size(); ++i) {
        changedBefore = unionWith(changedBefore, triangleBounds(before[i], origin));
    }
    PixelRect changedNow;
    for (size_t i = ends.head; i + ends.tail < now.size(); ++i) changedNow = unionWith(changedNow, triangleBounds(now[i], origin));
    out.push_back(changedBefore);
    out.push_back(changedNow);
    out.push_back(whereCopied(changedBefore, copy));
    for (size_t i = 0; i < now.size(); ++i) {
        if (i == ends.head) i = now.size() - ends.tail;  // the unchanged ones only
        if (i >= now.size()) break;
        if (!reachesRows(now[i], copy.region, origin)) continue;
        const PixelRect f = intersect(triangleBounds(now[i], origin), copy.region);
        if (f.empty()) continue;
        if (inBand(now, i, ends, copy.region, origin)) {
            addBandMisses(now[i], f, copy, origin, out);
            continue;
        }
        out.push_back(f);
        out.push_back(whereCopied(f, copy));
    }
}

void addRowChanges(ScrolledListImage& before, ScrolledListImage& now, const ScrollCopy& copy, std::vector<PixelRect>& out) {
    for (RowImage& o : before.rows) o.matched = false;  // from when it was the newer frame
    for (RowImage& r : now.rows) {
        RowImage* old = findRow(before.rows, r.index);
        if (old != nullptr && old->hash == r.hash && old->triangles == r.triangles) {
            old->matched = r.matched = true;
            addOutside(r.footprint, copy.region, out);  // the copy gave only what is inside
            continue;
        }
        out.push_back(r.footprint);
    }
    for (const RowImage& o : before.rows) {
        addOutside(o.footprint, copy.region, out);  // left as it was
        if (!o.matched) out.push_back(whereCopied(o.footprint, copy));
    }
}

// The region's pixels the copy does not write.
void addUncovered(const ScrollCopy& copy, std::vector<PixelRect>& out) {
    const PixelRect& r = copy.region;
    const PixelRect d = copyDestination(copy);
    if (d.empty()) {
        out.push_back(r);
        return;
    }
    if (d.y0 > r.y0) out.push_back({r.x0, r.y0, r.x1, d.y0});
    if (d.y1 < r.y1) out.push_back({r.x0, d.y1, r.x1, r.y1});
}

}  // namespace

ScrolledListImage splitScrolledList(const std::vector<DrawnList>& lists, const ScrolledRows& rows, const ImVec2& origin) {
    ScrolledListImage out;
    const auto it = std::find_if(lists.begin(), lists.end(), [&](const DrawnList& l) { return l.list == rows.list; });
    if (rows.list == nullptr || it == lists.end()) return out;
    out.list = rows.list;
    out.position = static_cast<size_t>(it - lists.begin());
    out.rows.reserve(rows.rows.size());
    for (const RowVertices& r : rows.rows) {
        RowImage& image = out.rows.emplace_back();
        image.index = r.index;
        image.top = static_cast<int>(std::lround(r.y - origin.y));
    }
    const DrawnList& list = *it;
    for (size_t k = 0; k < list.triangles.size(); ++k) {
        const DrawnTriangle& t = list.triangles[k];
        RowImage* row = rowOf(out.rows, rows.rows, list.firstVertex[k]);
        if (row == nullptr) {
            out.rest.push_back(t);
            continue;
        }
        // A sum: the order does not count. A table merges its columns' draw channels differently
        // from frame to frame as their content's width changes, and columns do not overlap; the
        // row's background comes first in every frame.
        row->hash += hashTriangle(t, origin, row->top);
        ++row->triangles;
        row->footprint = unionWith(row->footprint, triangleBounds(t, origin));
    }
    for (const RowImage& r : out.rows) out.region = unionWith(out.region, r.footprint);
    return out;
}

std::optional<ScrollPlan> planScrollCopy(const std::vector<DrawnList>& before, ScrolledListImage& was,
                                         const std::vector<DrawnList>& now, ScrolledListImage& is,
                                         const ImVec2& origin) {
    if (is.list == nullptr || is.list != was.list || is.position != was.position || before.size() != now.size()) {
        return std::nullopt;
    }
    // Where rows are in both frames (the first or last row may be cut by a pixel more or less).
    const PixelRect region = intersect(was.region, is.region);
    if (region.empty()) return std::nullopt;
    const std::optional<int> shift = rowShift(was, is);
    if (!shift || *shift == 0) return std::nullopt;
    ScrollPlan plan{ScrollCopy{region, *shift}, {}};
    if (copyDestination(plan.copy).empty()) return std::nullopt;
    addUncovered(plan.copy, plan.damage);
    addRowChanges(was, is, plan.copy, plan.damage);
    for (size_t i = 0; i < now.size(); ++i) {
        if (i == is.position) {
            addOtherChanges(was.rest, is.rest, origin, plan.copy, plan.damage);
        } else {
            addOtherChanges(before[i].triangles, now[i].triangles, origin, plan.copy, plan.damage);
        }
    }
    std::erase_if(plan.damage, [](const PixelRect& r) { return r.empty(); });
    return plan;
}

}  // namespace app::desktop
