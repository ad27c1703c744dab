#pragma once
// Partial redraw for software renderers. llvmpipe spends most of a frame rasterising, yet between two
// frames of scrolling the codes table only the table's rows change. DamageTracker compares this
// frame's draw lists with the last frame's, byte for byte, and returns the framebuffer rectangles that
// may differ; it then narrows every draw command's clip rectangle to them, so the stock OpenGL backend
// draws only there. The caller keeps the back buffer between frames (it presents with
// glXCopySubBufferMESA instead of swapping, see partial_present.hpp) and clears only the damage.
//
// Scrolling: when a view noted its table's rows (redraw_rows.hpp) and they moved by whole pixels, the
// tracker plans a scroll copy (redraw_scroll.hpp): the caller moves the rows' pixels first, and the
// damage is only what the copy cannot give: the rows that came in or changed, the scrollbar.
#include "app/desktop/redraw_geometry.hpp"
#include "app/desktop/redraw_rows.hpp"
#include "app/desktop/redraw_scroll.hpp"

#include <imgui.h>

#include <cstddef>
#include <optional>
#include <vector>

namespace app::desktop {

class DamageTracker {
public:
    // At most this many rectangles per frame; more are merged (each costs a present call).
    static constexpr size_t kMaxRects = 4;

    // Compares drawData with the last frame and returns the rectangles to redraw (none when nothing
    // changed; the whole framebuffer after invalidate(), a resize, a change in the set or order of
    // draw lists, or with a framebuffer scale other than 1). Then clips drawData's commands to them.
    // `rows`: the rows a view noted for this frame (takeScrolledRows()); with the last frame's, they
    // may give a scroll copy, which the caller makes before drawing the rectangles.
    std::vector<PixelRect> update(ImDrawData& drawData, int framebufferWidth, int framebufferHeight,
                                  const ScrolledRows& rows = {});
    // This frame's scroll copy, if update() planned one.
    const std::optional<ScrollCopy>& scrollCopy() const { return m_copy; }
    // Whether update() may plan scroll copies (PICKUPDESK_NO_SCROLL_COPY=1 turns them off).
    void allowScrollCopy(bool allowed) { m_copyAllowed = allowed; }

    // The next update() redraws everything: the window was exposed, or a texture's pixels changed
    // under the same id (the font atlas, the export preview).
    void invalidate() { m_valid = false; }

private:
    bool comparable(const ImDrawData& drawData, const std::vector<DrawnList>& next) const;
    std::vector<PixelRect> compare(const ImDrawData& drawData, const std::vector<DrawnList>& next,
                                   ScrolledListImage& image);

    std::vector<DrawnList> m_lists;  // the last frame's
    std::vector<DrawnList> m_spare;  // storage for the next frame's
    ScrolledListImage m_image;       // the last frame's scrolled list
    std::optional<ScrollCopy> m_copy;
    int m_width = 0;
    int m_height = 0;
    bool m_valid = false;
    bool m_copyAllowed = true;
};

// For code that changes a texture's pixels under the same id (the export preview): the next frame is
// drawn in full. Any thread.
void requestFullRedraw();
bool takeFullRedrawRequest();  // the main loop: true once after a request

// Merges overlapping (or nearly touching) rectangles, then the closest pairs until at most maxRects.
std::vector<PixelRect> mergeRects(std::vector<PixelRect> rects, size_t maxRects);

// Keeps, for every command, only its parts inside the rectangles (a command spanning two is drawn twice,
// each clipped to one), each with only the triangles that can touch its rectangle (their indices are
// appended to the list's index buffer). Commands outside all of them are dropped; callbacks are kept.
void clipDrawData(ImDrawData& drawData, const std::vector<PixelRect>& rects, int framebufferHeight);

}  // namespace app::desktop
