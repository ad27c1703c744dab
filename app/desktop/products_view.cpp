#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

namespace app::desktop {

void ProductsView::draw() {
    auto& vm = m_model.products();
    if (vm.machineNo().empty()) {
        ImGui::TextDisabled("%s", tr("products.pick_machine"));
        return;
    }
    if (ImGui::Button(tr("products.generate_all"))) m_model.openGenerate();
    ImGui::SameLine();
    ImGui::TextDisabled("%s", trf("products.count", {std::to_string(vm.rows().size())}).c_str());
    if (!vm.loaded()) {
        ImGui::TextDisabled("%s", tr("status.loading"));
        return;
    }
    const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
    if (!ImGui::BeginTable("##products", 8, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    const float em = ImGui::GetFontSize();
    const float buttonWidth = ImGui::CalcTextSize(tr("products.generate")).x + ImGui::GetStyle().FramePadding.x * 2.f;
    ImGui::TableSetupColumn(tr("products.col.channel"), ImGuiTableColumnFlags_WidthFixed, em * 3.f);
    ImGui::TableSetupColumn(tr("products.col.name"), ImGuiTableColumnFlags_WidthStretch, 3.f);
    ImGui::TableSetupColumn(tr("products.col.price"), ImGuiTableColumnFlags_WidthFixed, em * 4.f);
    ImGui::TableSetupColumn(tr("products.col.stock"), ImGuiTableColumnFlags_WidthFixed, em * 6.5f);
    ImGui::TableSetupColumn(tr("products.col.unused"), ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
    ImGui::TableSetupColumn(tr("products.col.used"), ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
    ImGui::TableSetupColumn(tr("products.col.expired"), ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
    ImGui::TableSetupColumn("##generate", ImGuiTableColumnFlags_WidthFixed, buttonWidth);
    ImGui::TableHeadersRow();
    for (const auto& row : vm.rows()) {
        const auto& p = row.product;
        noteGlyphs(p.name);
        ImGui::PushID(static_cast<int>(p.id));
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.channel.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(p.price.c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%d / %d", p.currentInventory, p.capacity);
        ImGui::TableNextColumn();
        ImGui::Text("%lld", static_cast<long long>(row.unused));
        ImGui::TableNextColumn();
        ImGui::Text("%lld", static_cast<long long>(row.used));
        ImGui::TableNextColumn();
        ImGui::Text("%lld", static_cast<long long>(row.expired));
        ImGui::TableNextColumn();
        if (ImGui::SmallButton(tr("products.generate"))) m_model.openGenerate(p.id);
        ImGui::PopID();
    }
    ImGui::EndTable();
}

}  // namespace app::desktop
