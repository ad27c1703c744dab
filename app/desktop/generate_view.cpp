#include "app/desktop/i18n.hpp"
#include "app/desktop/views.hpp"

#include <imgui.h>

#include <cstring>

namespace app::desktop {

void GenerateView::draw() {
    auto& vm = m_model.generate();
    if (vm.isOpen() && !m_popupOpen) {
        ImGui::OpenPopup("##generate");
        std::snprintf(m_expires, sizeof m_expires, "%s", vm.form().expiresLocal.c_str());
        m_popupOpen = true;
    }
    if (!m_popupOpen) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 34.f, 0.f), ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("##generate", nullptr, ImGuiWindowFlags_NoTitleBar)) {
        m_popupOpen = false;
        vm.close();
        return;
    }
    ImGui::TextUnformatted(trf("gen.title", {vm.machineNo(), vm.zone()}).c_str());
    ImGui::Separator();
    if (vm.state() == GenerateState::Editing) {
        drawForm();
    } else {
        drawRun();
    }
    const bool running = vm.state() == GenerateState::Running;
    ImGui::Separator();
    ImGui::BeginDisabled(running);
    if (ImGui::Button(tr("common.close")) || (!running && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) {
        vm.close();
        m_popupOpen = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
    ImGui::EndPopup();
}

void GenerateView::drawForm() {
    auto& vm = m_model.generate();
    auto& form = vm.form();
    int target = form.allProducts ? 1 : 0;
    ImGui::RadioButton(tr("gen.one_product"), &target, 0);
    ImGui::SameLine();
    ImGui::RadioButton(tr("gen.all_products"), &target, 1);
    form.allProducts = target == 1;
    if (!form.allProducts) {
        const ProductRow* selected = nullptr;
        for (const auto& r : vm.products()) {
            if (r.product.id == form.productId) selected = &r;
        }
        const std::string label = selected ? selected->product.channel + "  " + selected->product.name : "";
        if (ImGui::BeginCombo(tr("gen.product"), label.c_str())) {
            for (const auto& r : vm.products()) {
                ImGui::PushID(static_cast<int>(r.product.id));
                const std::string item = r.product.channel + "  " + r.product.name;
                if (ImGui::Selectable(item.c_str(), r.product.id == form.productId)) form.productId = r.product.id;
                ImGui::PopID();
            }
            ImGui::EndCombo();
        }
        ImGui::SliderInt(tr("gen.count"), &form.count, 1, vm.maxCount());
        ImGui::TextDisabled("%s", trf("gen.count_help", {std::to_string(vm.maxCount())}).c_str());
    } else {
        form.count = 1;
        ImGui::TextDisabled("%s", trf("gen.all_help", {std::to_string(vm.products().size())}).c_str());
    }
    ImGui::SliderInt(tr("gen.length"), &form.length, GenerateViewModel::kMinLength, GenerateViewModel::kMaxLength);
    ImGui::Checkbox(tr("gen.never"), &form.never);
    if (!form.never) {
        if (ImGui::InputText(tr("gen.expires"), m_expires, sizeof m_expires)) form.expiresLocal = m_expires;
        ImGui::TextDisabled("%s", trf("gen.expires_help", {vm.zone()}).c_str());
    }
    const ExpiryPreview p = vm.preview();
    if (p.never) {
        ImGui::TextUnformatted(tr("gen.preview_never"));
    } else if (!p.gmt8.empty()) {
        ImGui::TextUnformatted(trf("gen.preview_gmt8", {p.gmt8}).c_str());
        ImGui::TextUnformatted(trf("gen.preview_utc", {p.utc}).c_str());
    }
    const auto problems = vm.validate();
    for (const auto& problem : problems) {
        ImGui::TextColored(ImVec4(0.9f, 0.35f, 0.3f, 1.f), "%s", trf(problem.key, problem.args).c_str());
    }
    ImGui::BeginDisabled(!problems.empty());
    if (ImGui::Button(tr("gen.submit"))) vm.submit();
    ImGui::EndDisabled();
}

void GenerateView::drawRun() {
    auto& vm = m_model.generate();
    switch (vm.state()) {
        case GenerateState::Running:
            ImGui::ProgressBar(vm.progress(), ImVec2(-1.f, 0.f), vm.step().empty() ? tr("gen.queued") : vm.step().c_str());
            ImGui::BeginDisabled(!vm.cancellable());
            if (ImGui::Button(vm.waitingForPushes() ? tr("gen.stop_waiting") : tr("common.cancel"))) vm.cancel();
            ImGui::EndDisabled();
            if (!vm.cancellable()) ImGui::TextDisabled("%s", tr("gen.cancel_help"));
            break;
        case GenerateState::Cancelled:
            ImGui::TextUnformatted(tr("gen.cancelled"));
            break;
        case GenerateState::Done:
            if (const auto& r = vm.result()) {
                ImGui::TextUnformatted(trf("gen.done", {std::to_string(r->codes.size()), std::to_string(r->requestId)}).c_str());
                ImGui::TextUnformatted(r->expiresGmt8.empty() ? tr("gen.preview_never")
                                                              : trf("gen.preview_gmt8", {r->expiresGmt8}).c_str());
                std::string all;
                ImGui::BeginChild("##new_codes", ImVec2(0.f, ImGui::GetTextLineHeightWithSpacing() * 8.f), true);
                for (const auto& c : r->codes) {
                    ImGui::Text("%s   #%lld", c.code.c_str(), static_cast<long long>(c.productId));
                    all += c.code + "\n";
                }
                ImGui::EndChild();
                if (ImGui::Button(tr("gen.copy_codes"))) ImGui::SetClipboardText(all.c_str());
                if (r->stoppedEarly) {
                    ImGui::TextWrapped("%s", trf("gen.stopped_early", {std::to_string(r->pushed),
                                                                       std::to_string(r->requested)}).c_str());
                }
                ImGui::TextDisabled("%s", tr("gen.push_note"));
            }
            for (const auto& item : vm.reconciled()) {
                ImGui::BulletText("%s", trf("requests.reconciled_item", {std::to_string(item.requestId),
                                                                          core::outcomeName(item.outcome),
                                                                          std::to_string(item.codesFound)})
                                            .c_str());
            }
            break;
        case GenerateState::Failed:
        case GenerateState::Unknown:
            if (const auto& e = vm.error()) {
                ImGui::TextColored(ImVec4(0.9f, 0.35f, 0.3f, 1.f), "%s",
                                   vm.state() == GenerateState::Unknown ? tr("gen.unknown") : tr("gen.failed"));
                ImGui::TextWrapped("%s", e->message.c_str());
                if (e->vendorCode != 0) ImGui::TextUnformatted(trf("gen.vendor_code", {std::to_string(e->vendorCode)}).c_str());
            }
            if (vm.state() == GenerateState::Unknown) {
                ImGui::BeginDisabled(vm.reconciling());
                if (ImGui::Button(tr("requests.reconcile"))) vm.reconcile();
                ImGui::EndDisabled();
            }
            break;
        case GenerateState::Editing:
            break;
    }
}

}  // namespace app::desktop
