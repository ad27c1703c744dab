#pragma once
// The Export/Print dialog: template, fields, start slot, crop marks, calibration offsets, format
// and destination for the codes selection (or the codes table's filter); a live preview of the
// first pages rendered by core on the export worker; export/print on that worker with progress
// and cancel. No ImGui.
#include "app/desktop/ui_events.hpp"
#include "core/store/store.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace app::desktop {

class Backend;
struct ExportRequest;

struct ExportSettings {
    int templateIndex = 0;
    core::exporter::LabelFields fields;
    int startAt = 1;
    bool cropMarks = false;
    bool vectorQr = false;  // PDF: QR codes as vector rectangles (SheetOptions::pdfVectorQr)
    float offsetXMm = 0.f;
    float offsetYMm = 0.f;
    core::exporter::Format format = core::exporter::Format::Pdf;
    std::string outPath;
    int printerIndex = -1;  // -1 = the default printer
    int copies = 1;
};

class ExportViewModel {
public:
    static constexpr int kPreviewPages = 2;
    static constexpr double kPreviewPxPerMm = 3.0;

    explicit ExportViewModel(Backend& backend) : m_backend(backend) {}

    // `filter` selects the codes (filter.ids non-empty = a selection); `zone` is the profile's
    // default for machines without one.
    void open(const core::store::CodeFilter& filter, const std::string& zone, bool selection);
    void close();
    bool isOpen() const { return m_open; }
    bool forSelection() const { return m_selection; }

    ExportSettings& settings() { return m_settings; }
    const ExportSettings& settings() const { return m_settings; }
    // Call after changing settings(): clamps values and asks for a new preview.
    void changed();
    void setFormat(core::exporter::Format format);  // also swaps the file extension

    // "" when the request can run, else the i18n key of what to fix.
    std::string problem(bool print) const;
    ExportRequest request(bool print) const;
    void save();    // export to settings().outPath
    void print();   // send a PDF to the chosen printer
    void cancel();  // a running job stops at its next page and leaves no file

    void apply(const TemplatesLoaded& event);
    void apply(const CalibrationLoaded& event);

    // Printer calibration: the offsets are loaded for the chosen printer (the default printer, or
    // files when there is none) and template whenever either changes; save keeps the current ones.
    std::string calibrationPrinter() const;
    void saveCalibration();
    // The last load or save for the current printer and template (error, or saved = true).
    const std::optional<CalibrationLoaded>& calibration() const { return m_calibration; }
    void apply(const ExportPreviewed& event);
    void apply(const ExportProgressed& event);
    void apply(const ExportFinished& event);

    const std::vector<core::exporter::SheetTemplate>& templates() const { return m_templates; }
    const std::vector<core::exporter::PrinterInfo>& printers() const { return m_printers; }
    const std::string& printersError() const { return m_printersError; }
    const core::exporter::SheetTemplate* currentTemplate() const;

    bool previewReady() const { return m_previewed.generation == m_previewGeneration && m_previewLoaded; }
    std::uint64_t previewGeneration() const { return m_previewed.generation; }
    const ExportPreviewed& preview() const { return m_previewed; }

    bool running() const { return m_running; }
    const core::exporter::ExportProgress& progress() const { return m_progress; }
    const std::optional<ExportFinished>& result() const { return m_result; }

    static std::string defaultOutPath(const std::string& machineNo, core::exporter::Format format);

private:
    void start(bool print);
    Backend& m_backend;
    bool m_open = false;
    bool m_selection = false;
    core::store::CodeFilter m_filter;
    std::string m_zone;
    ExportSettings m_settings;
    std::vector<core::exporter::SheetTemplate> m_templates;
    std::vector<core::exporter::PrinterInfo> m_printers;
    std::string m_printersError;
    bool m_templatesLoaded = false;
    std::string m_calibrationFor;  // "printer\ntemplate" of the offsets shown (loaded or asked for)
    std::optional<CalibrationLoaded> m_calibration;
    std::uint64_t m_previewGeneration = 0;
    bool m_previewLoaded = false;
    ExportPreviewed m_previewed;
    std::uint64_t m_job = 0;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    core::exporter::ExportProgress m_progress;
    std::optional<ExportFinished> m_result;
};

}  // namespace app::desktop
