#pragma once
// Export and print the codes a filter selects, with the audit recorded in the store: the view a
// CLI command or a dialog calls. Blocking: run it on a worker thread; progress/cancel as runExport.
#include "core/export/exporter.hpp"
#include "core/export/printing.hpp"
#include "core/store/store.hpp"

#include <atomic>

namespace core::exporter {

struct StoreSelection {
    store::CodeFilter filter;
    std::string defaultZone = "Asia/Shanghai";  // for machines without a zone (the profile's)
};

// Writes the file(s) and records an "export" audit entry (not for a calibration page).
Result<ExportSummary> exportFromStore(store::Store& store, const StoreSelection& selection, const ExportOptions& options,
                                      const ProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr);

struct PrintSummary {
    std::string printer;
    int jobId = 0;
    ExportSummary exported;
};

// Renders a PDF to a temporary file, sends it to the printer and records a "print" audit entry.
// The printer is checked before anything is rendered. `options.outPath`/`format` are ignored.
Result<PrintSummary> printFromStore(store::Store& store, const StoreSelection& selection, ExportOptions options,
                                    const PrintJob& job, const ProgressFn& progress = {},
                                    const std::atomic<bool>* cancel = nullptr);

}  // namespace core::exporter
