// The Export/Print dialog: options on the left, the first pages (rendered by core, uploaded as
// OpenGL textures once per preview) on the right, actions and progress at the bottom.
#include "app/desktop/i18n.hpp"
#include "app/desktop/redraw_damage.hpp"
#include "app/desktop/views.hpp"
#include "core/export/calibration.hpp"

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace app::desktop {
namespace {

using core::exporter::Format;

constexpr Format kFormats[] = {Format::Pdf, Format::Png, Format::Svg, Format::Csv};

ImTextureID textureId(unsigned texture) {
    return reinterpret_cast<ImTextureID>(static_cast<std::uintptr_t>(texture));
}

// Whose offsets these are, a button to keep them, and the last load/save's outcome.
void drawCalibrationState(ExportViewModel& vm) {
    const std::string printer = vm.calibrationPrinter();
    const bool files = printer == core::exporter::kFilePrinter;
    ImGui::TextDisabled("%s", trf("export.calibration_for", {files ? tr("export.calibration_files") : printer}).c_str());
    if (ImGui::Button(tr("export.save_calibration"))) vm.saveCalibration();
    const auto& state = vm.calibration();
    if (!state) return;
    ImGui::PushTextWrapPos(0.f);
    if (state->error) {
        ImGui::TextColored(ImVec4(0.9f, 0.3f, 0.3f, 1.f), "%s", state->error->message.c_str());
    } else if (state->saved) {
        ImGui::SameLine();
        ImGui::TextUnformatted(tr("export.calibration_saved"));
    }
    ImGui::PopTextWrapPos();
}

}  // namespace

ExportView::~ExportView() {
    if (!m_textures.empty()) glDeleteTextures(static_cast<GLsizei>(m_textures.size()), m_textures.data());
}

void ExportView::uploadPreview() {
    const auto& vm = m_model.exporter();
    if (!vm.previewReady() || vm.previewGeneration() == m_textureGeneration) return;
    m_textureGeneration = vm.previewGeneration();
    const auto& images = vm.preview().images;
    if (m_textures.size() < images.size()) {
        const size_t had = m_textures.size();
        m_textures.resize(images.size());
        glGenTextures(static_cast<GLsizei>(images.size() - had), m_textures.data() + had);
    }
    for (size_t i = 0; i < images.size(); ++i) {
        glBindTexture(GL_TEXTURE_2D, m_textures[i]);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, images[i].width, images[i].height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     images[i].pixels.data());
    }
    requestFullRedraw();  // same texture ids, new pixels
}

void ExportView::draw() {
    auto& vm = m_model.exporter();
    if (vm.isOpen() && !m_popupOpen) {
        ImGui::OpenPopup("##export");
        std::snprintf(m_path, sizeof m_path, "%s", vm.settings().outPath.c_str());
        m_popupOpen = true;
    }
    if (!m_popupOpen) return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(vp->WorkSize.x * 0.95f, ImGui::GetFontSize() * 62.f),
                                    std::min(vp->WorkSize.y * 0.92f, ImGui::GetFontSize() * 40.f)),
                             ImGuiCond_Appearing);
    if (!ImGui::BeginPopupModal("##export", nullptr, ImGuiWindowFlags_NoTitleBar)) {
        m_popupOpen = false;
        vm.close();
        return;
    }
    uploadPreview();
    const std::string what = vm.forSelection() ? tr("export.for_selection") : tr("export.for_filter");
    ImGui::TextUnformatted(trf("export.title", {what, std::to_string(vm.preview().labels)}).c_str());
    ImGui::Separator();
    const float actionsHeight = ImGui::GetFrameHeightWithSpacing() * 3.f;
    ImGui::BeginChild("##export_options", ImVec2(ImGui::GetFontSize() * 21.f, -actionsHeight), false);
    drawOptions();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##export_preview", ImVec2(0.f, -actionsHeight), true, ImGuiWindowFlags_HorizontalScrollbar);
    drawPreview();
    ImGui::EndChild();
    ImGui::Separator();
    drawActions();
    ImGui::EndPopup();
}

void ExportView::drawOptions() {
    auto& vm = m_model.exporter();
    auto& s = vm.settings();
    bool changed = false;
    const auto* current = vm.currentTemplate();
    ImGui::TextUnformatted(tr("export.template"));
    ImGui::SetNextItemWidth(-1.f);
    if (ImGui::BeginCombo("##template", current != nullptr ? current->title.c_str() : tr("status.loading"))) {
        for (size_t i = 0; i < vm.templates().size(); ++i) {
            const auto& t = vm.templates()[i];
            const std::string text = t.title + "  [" + t.name + "]";
            if (ImGui::Selectable(text.c_str(), static_cast<int>(i) == s.templateIndex)) {
                s.templateIndex = static_cast<int>(i);
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    ImGui::TextUnformatted(tr("export.fields"));
    changed |= ImGui::Checkbox(tr("export.field.code"), &s.fields.code);
    ImGui::SameLine();
    changed |= ImGui::Checkbox(tr("export.field.product"), &s.fields.product);
    changed |= ImGui::Checkbox(tr("export.field.machine"), &s.fields.machine);
    ImGui::SameLine();
    changed |= ImGui::Checkbox(tr("export.field.expiry"), &s.fields.expiry);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.f);
    changed |= ImGui::InputInt(tr("export.start_at"), &s.startAt);
    changed |= ImGui::Checkbox(tr("export.crop_marks"), &s.cropMarks);
    ImGui::SameLine();
    ImGui::Checkbox(tr("export.vector_qr"), &s.vectorQr);  // no preview change: the preview is pixels
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("export.vector_qr_tip"));
    ImGui::TextUnformatted(tr("export.offsets"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.f);
    changed |= ImGui::DragFloat("X mm", &s.offsetXMm, 0.1f, -20.f, 20.f, "%.1f");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.f);
    changed |= ImGui::DragFloat("Y mm", &s.offsetYMm, 0.1f, -20.f, 20.f, "%.1f");
    drawCalibrationState(vm);
    ImGui::Separator();
    ImGui::TextUnformatted(tr("export.format"));
    for (const Format f : kFormats) {
        ImGui::SameLine();
        if (ImGui::RadioButton(core::exporter::formatName(f), s.format == f)) {
            vm.setFormat(f);
            std::snprintf(m_path, sizeof m_path, "%s", s.outPath.c_str());
        }
    }
    ImGui::TextUnformatted(tr("export.path"));
    ImGui::SetNextItemWidth(-1.f);
    if (ImGui::InputText("##path", m_path, sizeof m_path)) s.outPath = m_path;
    ImGui::Separator();
    ImGui::TextUnformatted(tr("export.printer"));
    ImGui::SetNextItemWidth(-1.f);
    const auto& printers = vm.printers();
    const auto pi = static_cast<size_t>(s.printerIndex);
    const std::string printer = s.printerIndex >= 0 && pi < printers.size() ? printers[pi].name : tr("export.default_printer");
    if (ImGui::BeginCombo("##printer", printer.c_str())) {
        if (ImGui::Selectable(tr("export.default_printer"), s.printerIndex < 0)) {
            s.printerIndex = -1;
            changed = true;  // its calibration
        }
        for (size_t i = 0; i < printers.size(); ++i) {
            if (ImGui::Selectable(printers[i].name.c_str(), static_cast<int>(i) == s.printerIndex)) {
                s.printerIndex = static_cast<int>(i);
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    if (printers.empty()) {
        ImGui::PushTextWrapPos(0.f);
        ImGui::TextDisabled("%s", vm.printersError().empty() ? tr("export.no_printer") : vm.printersError().c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.f);
    ImGui::InputInt(tr("export.copies"), &s.copies);
    if (changed) vm.changed();
}

void ExportView::drawPreview() {
    const auto& vm = m_model.exporter();
    const auto& p = vm.preview();
    if (!vm.previewReady()) {
        ImGui::TextDisabled("%s", tr("status.loading"));
        return;
    }
    if (p.error) {
        ImGui::TextWrapped("%s", p.error->message.c_str());
        return;
    }
    ImGui::TextUnformatted(trf("export.pages", {std::to_string(p.pages), std::to_string(p.labels)}).c_str());
    const float height = ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y;
    for (size_t i = 0; i < p.images.size() && i < m_textures.size(); ++i) {
        const auto& img = p.images[i];
        const float scale = height / static_cast<float>(std::max(1, img.height));
        if (i > 0) ImGui::SameLine();
        ImGui::Image(textureId(m_textures[i]), ImVec2(static_cast<float>(img.width) * scale, height), ImVec2(0.f, 0.f),
                     ImVec2(1.f, 1.f), ImVec4(1.f, 1.f, 1.f, 1.f), ImVec4(0.5f, 0.5f, 0.5f, 1.f));
    }
}

void ExportView::drawActions() {
    auto& vm = m_model.exporter();
    const bool running = vm.running();
    if (running) {
        const auto& pr = vm.progress();
        const float fraction = pr.labelsTotal > 0 ? static_cast<float>(pr.labelsDone) / static_cast<float>(pr.labelsTotal) : 0.f;
        const std::string text = trf("export.progress", {std::to_string(pr.labelsDone), std::to_string(pr.labelsTotal)});
        ImGui::ProgressBar(fraction, ImVec2(ImGui::GetFontSize() * 20.f, 0.f), text.c_str());
        ImGui::SameLine();
        if (ImGui::Button(tr("common.cancel"))) vm.cancel();
    } else if (const auto& r = vm.result()) {
        if (r->cancelled) {
            ImGui::TextUnformatted(tr("export.cancelled"));
        } else if (r->error) {
            ImGui::TextColored(ImVec4(0.8f, 0.2f, 0.2f, 1.f), "%s", r->error->message.c_str());
        } else if (r->printed) {
            ImGui::TextUnformatted(trf("export.printed_to", {std::to_string(r->labels), r->printer}).c_str());
        } else {
            const std::string first = r->files.empty() ? std::string() : r->files.front();
            ImGui::TextUnformatted(trf("export.saved_to", {std::to_string(r->labels), first}).c_str());
        }
    } else {
        const std::string problem = vm.problem(false);
        if (!problem.empty()) ImGui::TextColored(ImVec4(0.8f, 0.45f, 0.1f, 1.f), "%s", tr(problem));
        else ImGui::TextUnformatted("");
    }
    ImGui::BeginDisabled(running || !vm.problem(false).empty());
    if (ImGui::Button(tr("export.save"))) vm.save();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(running || !vm.problem(true).empty());
    if (ImGui::Button(tr("export.print"))) vm.print();
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(running);
    if (ImGui::Button(tr("common.close")) || (!running && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape)))) {
        vm.close();
        m_popupOpen = false;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndDisabled();
}

}  // namespace app::desktop
