#include "app/desktop/cached_text.hpp"
#include "app/desktop/i18n.hpp"
#include "app/desktop/redraw_rows.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

#include <array>

#include "core/tz/machine_time.hpp"

namespace app::desktop {
namespace {

using core::store::CodeSort;

// Column -> sort key, in table order.
constexpr std::array<CodeSort, 6> kColumnSort = {CodeSort::Code,      CodeSort::Id,        CodeSort::ProductId,
                                                 CodeSort::Status,    CodeSort::ExpiresUtc, CodeSort::CreatedUtc};

const char* statusKey(core::CodeStatus s) {
    switch (s) {
        case core::CodeStatus::Unused: return "codes.status.unused";
        case core::CodeStatus::Used: return "codes.status.used";
        case core::CodeStatus::Expired: return "codes.status.expired";
        case core::CodeStatus::Deleted: return "codes.status.deleted";
        case core::CodeStatus::Unknown: break;
    }
    return "codes.status.unknown";
}

core::CodeStatus shownStatus(const core::PickupCode& c, core::Instant now) {
    if (c.status == core::CodeStatus::Unused && c.expiresUtc && *c.expiresUtc < now) return core::CodeStatus::Expired;
    return c.status;
}

}  // namespace

void CodesView::draw() {
    if (m_model.codes().machineNo().empty()) {
        ImGui::TextDisabled("%s", tr("products.pick_machine"));
        return;
    }
    m_model.codes().refreshIfStale();  // pushes changed codes while the table was hidden or shown
    drawToolbar();
    drawTable();
    drawDeleteConfirm();
}

void CodesView::drawToolbar() {
    auto& vm = m_model.codes();
    const auto& f = vm.filter();
    // Status filter.
    const char* current = f.status ? tr(statusKey(*f.status)) : tr("codes.status.any");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.f);
    if (ImGui::BeginCombo("##status", current)) {
        if (ImGui::Selectable(tr("codes.status.any"), !f.status)) vm.setStatus(std::nullopt);
        for (auto s : {core::CodeStatus::Unused, core::CodeStatus::Used, core::CodeStatus::Expired,
                       core::CodeStatus::Deleted}) {
            if (ImGui::Selectable(tr(statusKey(s)), f.status == s)) vm.setStatus(s);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    // Product filter.
    const auto* product = f.productId ? m_model.products().find(*f.productId) : nullptr;
    const std::string productLabel = product ? product->product.name : tr("codes.product.any");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12.f);
    if (ImGui::BeginCombo("##product", productLabel.c_str())) {
        if (ImGui::Selectable(tr("codes.product.any"), !f.productId)) vm.setProduct(std::nullopt);
        for (const auto& row : m_model.products().rows()) {
            ImGui::PushID(static_cast<int>(row.product.id));
            if (ImGui::Selectable(row.product.name.c_str(), f.productId == row.product.id)) vm.setProduct(row.product.id);
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.f);
    if (ImGui::InputTextWithHint("##prefix", tr("codes.prefix_hint"), m_prefix, sizeof m_prefix,
                                 ImGuiInputTextFlags_CharsDecimal)) {
        vm.setPrefix(m_prefix);
    }
    ImGui::SameLine();
    int mode = static_cast<int>(vm.timeMode());
    ImGui::TextUnformatted(tr("codes.time"));
    ImGui::SameLine();
    if (ImGui::RadioButton(tr("codes.time.machine"), &mode, 0)) vm.setTimeMode(TimeMode::Machine);
    ImGui::SameLine();
    if (ImGui::RadioButton("UTC", &mode, 1)) vm.setTimeMode(TimeMode::Utc);
    ImGui::SameLine();
    if (ImGui::RadioButton(tr("codes.time.local"), &mode, 2)) vm.setTimeMode(TimeMode::Local);

    const bool any = vm.selectedCount() > 0;
    ImGui::BeginDisabled(!any);
    if (ImGui::Button(tr("codes.copy"))) copySelection();
    ImGui::SameLine();
    if (ImGui::Button(tr("codes.delete"))) m_confirmDelete = true;
    ImGui::SameLine();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(tr("codes.export"))) m_model.openExport();  // the selection, else the filter
    ImGui::SameLine();
    ImGui::TextDisabled("%s", trf("codes.summary", {std::to_string(vm.total()), std::to_string(vm.selectedCount()),
                                                     vm.viewZone()})
                                  .c_str());
}

// Every product name's rarer characters join the font at once (one atlas rebuild when the list
// arrives), not one rebuild mid-scroll each time a row shows a new one.
void CodesView::noteProductGlyphs() {
    const auto& rows = m_model.products().rows();
    if (!hasGlyphSink() || (rows.data() == m_notedProducts && rows.size() == m_notedProductCount)) return;
    for (const auto& row : rows) noteGlyphs(row.product.name);
    m_notedProducts = rows.data();
    m_notedProductCount = rows.size();
}

void CodesView::drawTable() {
    noteProductGlyphs();
    auto& vm = m_model.codes();
    // Row lines without alternate row backgrounds (in every table): under a software renderer those
    // were 40 % of a scrolled frame's pixels (docs/BENCHMARKS.md).
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Sortable | ImGuiTableFlags_Resizable | ImGuiTableFlags_Hideable;
    if (!ImGui::BeginTable("##codes", 7, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn(tr("codes.col.code"));
    ImGui::TableSetupColumn(tr("codes.col.id"));
    ImGui::TableSetupColumn(tr("codes.col.product"));
    ImGui::TableSetupColumn(tr("codes.col.status"));
    ImGui::TableSetupColumn(tr("codes.col.expires"), ImGuiTableColumnFlags_DefaultSort);  // the view model's default
    ImGui::TableSetupColumn(tr("codes.col.created"));
    ImGui::TableSetupColumn(tr("codes.col.printed"), ImGuiTableColumnFlags_NoSort);
    ImGui::TableHeadersRow();
    // The rows and borders are axis-aligned lines and rectangles on whole pixels, where anti-aliasing
    // only adds fringe triangles that shade to nothing: without it a software renderer draws ~10 %
    // fewer pixels per scrolled frame (docs/BENCHMARKS.md). The header above keeps it (sort arrows).
    ImGui::GetWindowDrawList()->Flags &= ~(ImDrawListFlags_AntiAliasedLines | ImDrawListFlags_AntiAliasedFill);
    if (ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs != nullptr && specs->SpecsDirty) {
        if (specs->SpecsCount > 0) {
            const auto& s = specs->Specs[0];
            if (static_cast<size_t>(s.ColumnIndex) < kColumnSort.size()) {
                vm.setSort(kColumnSort[static_cast<size_t>(s.ColumnIndex)], s.SortDirection == ImGuiSortDirection_Descending);
            }
        }
        specs->SpecsDirty = false;
    }
    const core::Instant now = vm.filter().now;
    ImGuiListClipper clipper;
    ScrolledRowsRecorder scrolled;  // a scroll moves the rows' pixels instead of redrawing them
    clipper.Begin(static_cast<int>(vm.total()));
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            ImGui::TableNextRow();
            scrolled.rowStarted(i);
            ImGui::TableNextColumn();
            const core::PickupCode* code = vm.row(i);
            if (code == nullptr) {
                cachedText("...", ImGuiCol_TextDisabled);
                continue;
            }
            ImGui::PushID(i);
            const ImGuiIO& io = ImGui::GetIO();
            if (cachedSelectable("##code", code->code, vm.isSelected(code->id), ImGuiSelectableFlags_SpanAllColumns)) {
                vm.click(i, io.KeyCtrl, io.KeyShift);
            }
            ImGui::TableNextColumn();
            cachedText(std::to_string(code->id));
            ImGui::TableNextColumn();
            if (const auto* product = m_model.products().find(code->productId)) {
                cachedText(product->product.name);  // its characters are in the font (noteProductGlyphs)
            } else {
                cachedText(std::to_string(code->productId));
            }
            ImGui::TableNextColumn();
            cachedText(tr(statusKey(shownStatus(*code, now))));
            ImGui::TableNextColumn();
            const auto& times = vm.rowTimes(*code);
            cachedText(times.expires.empty() ? std::string_view(tr("codes.never")) : std::string_view(times.expires));
            ImGui::TableNextColumn();
            cachedText(times.created);
            ImGui::TableNextColumn();
            if (const auto* printed = vm.printed(code->id); printed != nullptr && printed->printed()) {
                cachedText(trf("codes.printed_count",
                               {std::to_string(printed->exports), std::to_string(printed->prints)}));
                if (ImGui::IsItemHovered() && printed->lastUtc) {
                    ImGui::SetTooltip("%s", core::tz::formatInZone(*printed->lastUtc, vm.viewZone()).c_str());
                }
            }
            ImGui::PopID();
        }
    }
    scrolled.finish();
    ImGui::EndTable();
}

void CodesView::copySelection() {
    const std::string text = m_model.codes().clipboardText();
    if (!text.empty()) ImGui::SetClipboardText(text.c_str());
}

void CodesView::drawDeleteConfirm() {
    if (m_confirmDelete) {
        ImGui::OpenPopup("##confirm_delete");
        m_confirmDelete = false;
    }
    if (!ImGui::BeginPopupModal("##confirm_delete", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
    auto& vm = m_model.codes();
    ImGui::TextUnformatted(
        trf("codes.delete_confirm", {std::to_string(vm.selectedCount()), vm.machineNo()}).c_str());
    if (ImGui::Button(tr("codes.delete_yes"))) {
        m_model.deleteSelectedCodes();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr("common.cancel")) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

}  // namespace app::desktop
