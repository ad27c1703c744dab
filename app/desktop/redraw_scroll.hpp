#pragma once
// The scroll copy (redraw_damage.hpp): when a view's table rows moved by whole pixels between two
// frames, move their pixels with one copy, then redraw only what the copy cannot give.
//
// After the copy, a pixel p of the copy's destination holds the last frame's pixel at p - dy. That is
// right when the triangles covering p now are the ones that covered p - dy, moved by dy, in the same
// order. So the damage is:
//   - the region's pixels the copy does not write (the strip the rows come in through);
//   - each row that drew other triangles than the last frame's row of the same index (new, changed,
//     hovered or selected), where it is, and where the copy put the pixels of one that went;
//   - every other triangle over the region (another window, a tooltip, the table's own lines) where
//     it is and where the copy moved its pixels, unless it is an unchanged band that looks the same
//     along the region's whole height (a column line); changed triangles elsewhere, as without a copy.
// Rows are compared on their vertices as the rasteriser sees them (y snapped to 1/256 px, relative to
// the row's whole-pixel top), so "the same" means the same pixels.
#include "app/desktop/redraw_geometry.hpp"
#include "app/desktop/redraw_rows.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace app::desktop {

// One frame of the scrolled list, split into its rows and the rest (made once per frame, kept for
// the next).
struct ScrolledListImage {
    struct Row {
        int index = 0;
        int top = 0;  // whole pixels
        std::uint64_t hash = 0;
        unsigned triangles = 0;
        PixelRect footprint;
        bool matched = false;
    };
    const ImDrawList* list = nullptr;  // null: no rows noted
    size_t position = 0;               // in the frame's lists
    std::vector<Row> rows;
    std::vector<DrawnTriangle> rest;  // triangles of no row, in drawing order
    PixelRect region;                 // the rows' footprints
};

ScrolledListImage splitScrolledList(const std::vector<DrawnList>& lists, const ScrolledRows& rows, const ImVec2& origin);

struct ScrollPlan {
    ScrollCopy copy;
    std::vector<PixelRect> damage;  // not merged
};

// before/now: the same lists in the same order (DamageTracker checked). Nullopt when the rows did not
// move, or not by whole pixels, or either frame has none: then damage as without a copy.
std::optional<ScrollPlan> planScrollCopy(const std::vector<DrawnList>& before, ScrolledListImage& was,
                                         const std::vector<DrawnList>& now, ScrolledListImage& is,
                                         const ImVec2& origin);

}  // namespace app::desktop
