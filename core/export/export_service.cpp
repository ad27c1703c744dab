#include "core/export/export_service.hpp"

#include "core/store/export_audit.hpp"

#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace core::exporter {
namespace {

// Runs the export while recording its codes under an audit record that only becomes visible
// (complete) when everything succeeded; otherwise the record is removed.
Result<ExportSummary> exportAudited(store::Store& store, const StoreSelection& selection, const ExportOptions& options,
                                    const store::ExportRecord& record, const ProgressFn& progress,
                                    const std::atomic<bool>* cancel, const std::function<Status()>& beforeComplete) {
    StoreCodeSource source(store, selection.filter, selection.defaultZone);
    if (options.calibrationPage) return runExport(source, options, progress, cancel);
    auto id = beginExport(store, record);
    if (!id) return id.error();
    auto onWritten = [&](const std::vector<LabelData>& labels) -> Status {
        std::vector<store::CodeKey> keys;
        keys.reserve(labels.size());
        for (const auto& l : labels) keys.push_back({l.machineNo, l.codeId});
        return addExportCodes(store, *id, keys);
    };
    auto result = runExport(source, options, progress, cancel, onWritten);
    Status finished = result ? (beforeComplete ? beforeComplete() : Status{}) : Status{result.error()};
    if (finished) finished = completeExport(store, *id);
    if (!finished) {
        (void)discardExport(store, *id);  // best effort: the export's own error is the one to report
        return finished.error();
    }
    return result;
}

std::string tempPdfPath() {
    std::random_device rd;
    return (fs::temp_directory_path() / ("pickupdesk-print-" + std::to_string(rd()) + ".pdf")).string();
}

}  // namespace

Result<ExportSummary> exportFromStore(store::Store& store, const StoreSelection& selection, const ExportOptions& options,
                                      const ProgressFn& progress, const std::atomic<bool>* cancel) {
    store::ExportRecord record;
    record.kind = store::ExportKind::Export;
    record.format = formatName(options.format);
    record.templateName = options.sheet.sheet.name;
    record.destination = fs::absolute(options.outPath).string();
    return exportAudited(store, selection, options, record, progress, cancel, {});
}

Result<PrintSummary> printFromStore(store::Store& store, const StoreSelection& selection, ExportOptions options,
                                    const PrintJob& job, const ProgressFn& progress, const std::atomic<bool>* cancel) {
    auto printer = resolvePrinter(job.printer);  // fail before minutes of rendering
    if (!printer) return printer.error();
    options.format = Format::Pdf;
    options.outPath = tempPdfPath();
    PrintSummary summary;
    summary.printer = *printer;
    PrintJob resolved = job;
    resolved.printer = *printer;
    store::ExportRecord record;
    record.kind = store::ExportKind::Print;
    record.format = "pdf";
    record.templateName = options.sheet.sheet.name;
    record.destination = *printer;
    auto send = [&]() -> Status {
        auto id = printPdf(options.outPath, resolved);
        if (!id) return id.error();
        summary.jobId = *id;
        return {};
    };
    auto result = exportAudited(store, selection, options, record, progress, cancel, send);
#ifndef _WIN32
    std::error_code ec;
    fs::remove(options.outPath, ec);  // CUPS has the document once the job is submitted
#endif
    if (!result) return result.error();
    summary.exported = std::move(*result);
    return summary;
}

}  // namespace core::exporter
