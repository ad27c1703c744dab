#include "app/desktop/redraw_rows.hpp"

#include <imgui_internal.h>

#include <utility>

namespace app::desktop {
namespace {

ScrolledRows g_noted;  // UI thread only

unsigned vertexCount(const ImDrawList& list) { return static_cast<unsigned>(list.VtxBuffer.Size); }

}  // namespace

void ScrolledRowsRecorder::endRow(const ImDrawList& list) {
    if (!m_rows.rows.empty()) m_rows.rows.back().end = vertexCount(list);
}

void ScrolledRowsRecorder::rowStarted(int index) {
    const ImGuiTable* table = ImGui::GetCurrentTable();
    if (table == nullptr) return;
    const ImDrawList& list = *ImGui::GetWindowDrawList();  // the table's, the same for all its rows
    m_rows.list = &list;
    endRow(list);
    m_rows.rows.push_back(RowVertices{index, vertexCount(list), vertexCount(list), table->RowPosY1});
}

void ScrolledRowsRecorder::finish() {
    ImGuiTable* table = ImGui::GetCurrentTable();
    if (table == nullptr || m_rows.list == nullptr) return;
    // The last row's background and lines are drawn when it ends; EndTable() would end it after
    // other lines, so end it here.
    if (table->IsInsideRow) ImGui::TableEndRow(table);
    endRow(*m_rows.list);
    g_noted = std::move(m_rows);
    m_rows = {};
}

ScrolledRows takeScrolledRows() { return std::exchange(g_noted, ScrolledRows{}); }

}  // namespace app::desktop
