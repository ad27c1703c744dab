#include "core/export/export_service.hpp"

#include "core/store/export_audit.hpp"

#include <filesystem>
#include <random>

namespace fs = std::filesystem;

namespace core::exporter {
namespace {

constexpr std::size_t kAuditBatch = 5000;  // codes per audit write transaction

// Runs the export while recording its codes under an audit record that only becomes visible
// (complete) when everything succeeded; otherwise the record is removed.
Result<ExportSummary> exportAudited(store::Store& store, const StoreSelection& selection, const ExportOptions& options,
                                    const store::ExportRecord& record, const ProgressFn& progress,
                                    const std::atomic<bool>* cancel, const std::function<Status()>& beforeComplete) {
    StoreCodeSource source(store, selection.filter, selection.defaultZone);
    if (options.calibrationPage) return runExport(source, options, progress, cancel);
    auto id = beginExport(store, record);
    if (!id) return id.error();
    // Audit rows go in batches: a PDF hands over one page (24 labels) at a time, and a write transaction
    // per page had to win the write lock from the push ingest's 1,000 commits/s 4,000 times for 100,000
    // codes (the soak's PDF exports took minutes). The rows only count once the record is complete.
    std::vector<store::CodeKey> keys;
    auto flush = [&]() -> Status {
        if (keys.empty()) return {};
        auto ok = addExportCodes(store, *id, keys);
        keys.clear();
        return ok;
    };
    auto onWritten = [&](const std::vector<LabelData>& labels) -> Status {
        for (const auto& l : labels) keys.push_back({l.machineNo, l.codeId});
        return keys.size() >= kAuditBatch ? flush() : Status{};
    };
    auto result = runExport(source, options, progress, cancel, onWritten);
    Status finished = result ? flush() : Status{result.error()};
    if (finished && beforeComplete) finished = beforeComplete();
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
