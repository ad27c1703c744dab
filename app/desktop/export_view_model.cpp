#include "app/desktop/export_view_model.hpp"
#include "app/desktop/pushes_export.hpp"

#include "app/desktop/backend.hpp"
#include "core/export/calibration.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace app::desktop {

namespace fs = std::filesystem;
using core::exporter::Format;

std::string ExportViewModel::defaultOutPath(const std::string& machineNo, Format format) {
    const std::string stem = "pickup-codes" + (machineNo.empty() ? std::string() : "-" + machineNo);
    return defaultExportPath(stem, core::exporter::formatName(format));
}

void ExportViewModel::open(const core::store::CodeFilter& filter, const std::string& zone, bool selection) {
    m_open = true;
    m_filter = filter;
    m_zone = zone;
    m_selection = selection;
    m_result.reset();
    m_progress = {};
    if (m_settings.outPath.empty()) m_settings.outPath = defaultOutPath(filter.machineNo.value_or(""), m_settings.format);
    if (!m_templatesLoaded) {
        m_backend.loadTemplates();  // the preview follows once templates are known
    } else {
        changed();
    }
}

void ExportViewModel::close() {
    if (m_running) return;  // cancel first
    m_open = false;
}

const core::exporter::SheetTemplate* ExportViewModel::currentTemplate() const {
    const auto i = static_cast<size_t>(m_settings.templateIndex);
    return m_settings.templateIndex >= 0 && i < m_templates.size() ? &m_templates[i] : nullptr;
}

void ExportViewModel::setFormat(Format format) {
    m_settings.format = format;
    if (!m_settings.outPath.empty()) {
        fs::path p(m_settings.outPath);
        p.replace_extension(std::string(".") + core::exporter::formatName(format));
        m_settings.outPath = p.string();
    }
}

void ExportViewModel::changed() {
    auto& s = m_settings;
    s.templateIndex = std::clamp(s.templateIndex, 0, std::max(0, static_cast<int>(m_templates.size()) - 1));
    const auto* t = currentTemplate();
    const int perPage = t != nullptr ? t->labelsPerPage() : 1;
    s.startAt = std::clamp(s.startAt, 1, t != nullptr && !t->roll ? perPage : 1);
    s.copies = std::clamp(s.copies, 1, 99);
    s.offsetXMm = std::clamp(s.offsetXMm, -20.f, 20.f);
    s.offsetYMm = std::clamp(s.offsetYMm, -20.f, 20.f);
    if (t == nullptr) return;
    if (const std::string key = calibrationPrinter() + "\n" + t->name; key != m_calibrationFor) {
        m_calibrationFor = key;  // the preview follows when the offsets arrive
        m_calibration.reset();
        m_backend.loadCalibration(calibrationPrinter(), t->name);
        return;
    }
    ++m_previewGeneration;
    m_previewLoaded = false;
    m_backend.previewExport(m_previewGeneration, request(false), kPreviewPages, kPreviewPxPerMm);
}

ExportRequest ExportViewModel::request(bool print) const {
    ExportRequest r;
    r.selection.filter = m_filter;
    r.selection.defaultZone = m_zone;
    r.print = print;
    auto& o = r.options;
    o.format = print ? Format::Pdf : m_settings.format;
    o.outPath = m_settings.outPath;
    if (const auto* t = currentTemplate()) o.sheet.sheet = *t;
    o.sheet.offset = {m_settings.offsetXMm, m_settings.offsetYMm};
    o.sheet.cropMarks = m_settings.cropMarks;
    o.sheet.pdfVectorQr = m_settings.vectorQr;
    o.sheet.startAt = m_settings.startAt;
    o.sheet.style.fields = m_settings.fields;
    const auto p = static_cast<size_t>(m_settings.printerIndex);
    if (m_settings.printerIndex >= 0 && p < m_printers.size()) r.job.printer = m_printers[p].name;
    r.job.copies = m_settings.copies;
    return r;
}

std::string ExportViewModel::problem(bool print) const {
    if (currentTemplate() == nullptr) return "export.no_template";
    if (m_previewLoaded && m_previewed.labels == 0) return "export.no_codes";
    if (print) return m_printers.empty() ? "export.no_printer" : "";
    if (m_settings.outPath.empty()) return "export.no_path";
    const fs::path dir = fs::path(m_settings.outPath).parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec)) return "export.bad_folder";
    return "";
}

void ExportViewModel::start(bool print) {
    if (m_running || !problem(print).empty()) return;
    m_running = true;
    m_result.reset();
    m_progress = {};
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_backend.runExport(++m_job, request(print), m_cancel);
}

void ExportViewModel::save() { start(false); }
void ExportViewModel::print() { start(true); }

void ExportViewModel::cancel() {
    if (m_cancel) m_cancel->store(true);
}

void ExportViewModel::apply(const TemplatesLoaded& event) {
    m_templates = event.templates;
    m_printers = event.printers;
    m_printersError = event.printersError;
    m_templatesLoaded = true;
    for (size_t i = 0; i < m_templates.size(); ++i) {
        if (m_templates[i].name == "a4-3x8") m_settings.templateIndex = static_cast<int>(i);
    }
    if (m_open) changed();
}

std::string ExportViewModel::calibrationPrinter() const {
    const auto i = static_cast<size_t>(m_settings.printerIndex);
    if (m_settings.printerIndex >= 0 && i < m_printers.size()) return m_printers[i].name;
    for (const auto& p : m_printers) {
        if (p.isDefault) return p.name;
    }
    return core::exporter::kFilePrinter;
}

void ExportViewModel::saveCalibration() {
    const auto* t = currentTemplate();
    if (t == nullptr) return;
    m_backend.saveCalibration(calibrationPrinter(), t->name, {m_settings.offsetXMm, m_settings.offsetYMm});
}

void ExportViewModel::apply(const CalibrationLoaded& event) {
    const auto* t = currentTemplate();
    if (t == nullptr || event.printer != calibrationPrinter() || event.templateName != t->name) return;  // stale
    m_calibration = event;
    if (event.saved || event.error) return;  // a save keeps what is shown; a failed load keeps the fields
    m_settings.offsetXMm = static_cast<float>(event.offset.xMm);
    m_settings.offsetYMm = static_cast<float>(event.offset.yMm);
    changed();
}

void ExportViewModel::apply(const ExportPreviewed& event) {
    if (event.generation != m_previewGeneration) return;  // an older request
    m_previewed = event;
    m_previewLoaded = true;
}

void ExportViewModel::apply(const ExportProgressed& event) {
    if (event.job == m_job) m_progress = event.progress;
}

void ExportViewModel::apply(const ExportFinished& event) {
    if (event.job != m_job) return;
    m_running = false;
    m_cancel.reset();
    m_result = event;
}

}  // namespace app::desktop
