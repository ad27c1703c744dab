#pragma once
// Streams codes from a CodeSource into PDF, SVG, PNG or CSV, one page at a time (bounded memory).
// Output is written to temporary files in the target folder and renamed into place only when the
// whole export succeeded: a cancelled or failed export leaves no file behind.
#include "core/export/code_source.hpp"
#include "core/export/sheet.hpp"

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core::exporter {

enum class Format { Pdf, Png, Svg, Csv };

std::optional<Format> parseFormat(std::string_view text);  // "pdf", "png", "svg", "csv"
const char* formatName(Format format);

struct ExportOptions {
    Format format = Format::Pdf;
    // PDF and CSV: this file. PNG and SVG: one file per page, "<stem>-<n><ext>" (sheet-1.png, ...).
    std::string outPath;
    SheetOptions sheet;
    int dpi = 300;                 // PNG only
    bool calibrationPage = false;  // write only the calibration test page (no codes)
};

struct ExportProgress {
    std::int64_t labelsDone = 0;
    std::int64_t labelsTotal = 0;
    int pagesDone = 0;
    int pagesTotal = 0;  // 0 for CSV
};

using ProgressFn = std::function<void(const ExportProgress&)>;
// Called with each batch of codes once drawn/written (e.g. to record the audit); an error aborts.
using LabelsWrittenFn = std::function<Status(const std::vector<LabelData>&)>;

struct ExportSummary {
    std::vector<std::string> files;
    std::int64_t labels = 0;
    int pages = 0;
    std::uintmax_t bytes = 0;
};

// The file of 1-based page `page` for PNG/SVG output.
std::string pageFilePath(const std::string& outPath, int page);

// Pages an export of `totalLabels` codes will have (0 for CSV).
int exportPageCount(const ExportOptions& options, std::int64_t totalLabels);

// `cancel` is polled between pages; cancelling returns ErrorCode::Cancelled.
Result<ExportSummary> runExport(CodeSource& source, const ExportOptions& options, const ProgressFn& progress = {},
                                const std::atomic<bool>* cancel = nullptr, const LabelsWrittenFn& onWritten = {});

}  // namespace core::exporter
