#pragma once
// The rows a view scrolls, for partial redraw's scroll copy (redraw_scroll.hpp). While it builds the
// frame, a view whose table scrolls notes which vertices each row drew; the damage tracker can then
// move the rows that only scrolled with one copy of their pixels and redraw only the rows that came
// in or changed (content, hover, selection). Vertices, not content: a row counts as unchanged only
// when it drew the same triangles, whatever made them.
#include <imgui.h>

#include <vector>

struct ImGuiTable;

namespace app::desktop {

struct RowVertices {
    int index = 0;       // the row's index in its table: the same row in two frames
    unsigned begin = 0;  // its vertices in the list's VtxBuffer: [begin, end)
    unsigned end = 0;
    float y = 0;  // its top on the screen, which moves with it
};

struct ScrolledRows {
    const ImDrawList* list = nullptr;
    std::vector<RowVertices> rows;  // in vertex order
};

// Used between ImGui::BeginTable and EndTable, around the rows a clipper shows (UI thread).
class ScrolledRowsRecorder {
public:
    // Right after ImGui::TableNextRow(), which ended the previous row (its lines drawn).
    void rowStarted(int index);
    // After the last row: ends it (its lines drawn), then notes the rows for this frame.
    void finish();

private:
    void endRow(const ImDrawList& list);

    ScrolledRows m_rows;
};

// The rows noted for the frame being drawn, then none until a view notes rows again (UI thread).
ScrolledRows takeScrolledRows();

}  // namespace app::desktop
