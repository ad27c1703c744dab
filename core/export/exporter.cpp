#include "core/export/exporter.hpp"

#include "core/export/csv.hpp"
#include "core/export/page_writers.hpp"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace core::exporter {
namespace {

constexpr int kChunk = 1000;  // codes fetched per store query; bounds memory

Error cancelledError() {
    return makeError(ErrorCode::Cancelled, "The export was cancelled; no file was written.");
}

bool isCancelled(const std::atomic<bool>* cancel) { return cancel && cancel->load(std::memory_order_relaxed); }

// Hands out codes in order, fetching kChunk at a time from the source.
class Cursor {
public:
    explicit Cursor(CodeSource& source) : m_source(source) {}
    Result<std::vector<LabelData>> take(int n) {
        std::vector<LabelData> out;
        while (static_cast<int>(out.size()) < n) {
            if (m_pos == m_buffer.size()) {
                auto more = m_source.fetch(m_next, kChunk);
                if (!more) return more.error();
                if (more->empty()) break;  // the source shrank since it was counted
                m_next += static_cast<std::int64_t>(more->size());
                m_buffer = std::move(*more);
                m_pos = 0;
            }
            out.push_back(std::move(m_buffer[m_pos++]));
        }
        return out;
    }

private:
    CodeSource& m_source;
    std::vector<LabelData> m_buffer;
    std::size_t m_pos = 0;
    std::int64_t m_next = 0;
};

Result<ExportSummary> writeCsv(CodeSource& source, const ExportOptions& options, std::int64_t total,
                               const ProgressFn& progress, const std::atomic<bool>* cancel, const LabelsWrittenFn& onWritten) {
    detail::PendingFiles files;
    auto temp = files.add(options.outPath);
    if (!temp) return temp.error();
    std::ofstream out(*temp, std::ios::binary);
    if (!out) return makeError(ErrorCode::Storage, "Could not create '" + options.outPath + "'; check the folder is writable.");
    out << kUtf8Bom << csvHeader();
    Cursor cursor(source);
    ExportSummary summary;
    for (;;) {
        if (isCancelled(cancel)) return cancelledError();
        auto batch = cursor.take(kChunk);
        if (!batch) return batch.error();
        if (batch->empty()) break;
        for (const auto& label : *batch) out << csvRow(label, expandPayload(options.sheet.style.payloadTemplate, label.code));
        summary.labels += static_cast<std::int64_t>(batch->size());
        if (onWritten) {
            if (auto ok = onWritten(*batch); !ok) return ok.error();
        }
        if (progress) progress({summary.labels, total, 0, 0});
    }
    out.close();
    if (!out) return makeError(ErrorCode::Storage, "Could not write '" + options.outPath + "'; check free disk space.");
    if (auto ok = files.commit(); !ok) return ok.error();
    summary.files = files.finalPaths();
    return summary;
}

std::unique_ptr<detail::PageWriter> makeWriter(detail::PendingFiles& files, const ExportOptions& options) {
    switch (options.format) {
    case Format::Pdf: return detail::makePdfWriter(files, options.outPath, options.sheet.sheet);
    case Format::Svg: return detail::makeSvgWriter(files, options.outPath, options.sheet.sheet);
    case Format::Png: return detail::makePngWriter(files, options.outPath, options.sheet.sheet, options.dpi);
    case Format::Csv: break;
    }
    return nullptr;
}

Result<ExportSummary> writePages(CodeSource& source, const ExportOptions& options, std::int64_t total,
                                 const ProgressFn& progress, const std::atomic<bool>* cancel,
                                 const LabelsWrittenFn& onWritten) {
    auto painter = PagePainter::create(options.sheet);
    if (!painter) return painter.error();
    detail::PendingFiles files;
    auto writer = makeWriter(files, options);
    const SheetLayout layout(options.sheet);
    const int pages = options.calibrationPage ? 1 : layout.pageCount(total);
    Cursor cursor(source);
    ExportSummary summary;
    for (int page = 0; page < pages; ++page) {
        if (isCancelled(cancel)) return cancelledError();
        auto cr = writer->beginPage(page + 1);
        if (!cr) return cr.error();
        if (options.calibrationPage) {
            (*painter)->paintCalibrationPage(*cr);
        } else {
            auto labels = cursor.take(layout.labelsOnPage(page, total));
            if (!labels) return labels.error();
            if (auto ok = (*painter)->paintPage(*cr, *labels, layout.firstSlot(page)); !ok) return ok.error();
            summary.labels += static_cast<std::int64_t>(labels->size());
            if (onWritten) {
                if (auto ok = onWritten(*labels); !ok) return ok.error();
            }
        }
        if (auto ok = writer->endPage(); !ok) return ok.error();
        summary.pages = page + 1;
        if (progress) progress({summary.labels, total, summary.pages, pages});
    }
    if (isCancelled(cancel)) return cancelledError();
    if (auto ok = writer->finish(); !ok) return ok.error();
    writer.reset();
    if (auto ok = files.commit(); !ok) return ok.error();
    summary.files = files.finalPaths();
    return summary;
}

}  // namespace

std::optional<Format> parseFormat(std::string_view text) {
    if (text == "pdf") return Format::Pdf;
    if (text == "png") return Format::Png;
    if (text == "svg") return Format::Svg;
    if (text == "csv") return Format::Csv;
    return std::nullopt;
}

const char* formatName(Format format) {
    switch (format) {
    case Format::Pdf: return "pdf";
    case Format::Png: return "png";
    case Format::Svg: return "svg";
    case Format::Csv: return "csv";
    }
    return "pdf";
}

std::string pageFilePath(const std::string& outPath, int page) {
    const fs::path p(outPath);
    const std::string name = p.stem().string() + "-" + std::to_string(page) + p.extension().string();
    return (p.parent_path() / name).string();
}

int exportPageCount(const ExportOptions& options, std::int64_t totalLabels) {
    if (options.format == Format::Csv) return 0;
    if (options.calibrationPage) return 1;
    return SheetLayout(options.sheet).pageCount(totalLabels);
}

Result<ExportSummary> runExport(CodeSource& source, const ExportOptions& options, const ProgressFn& progress,
                                const std::atomic<bool>* cancel, const LabelsWrittenFn& onWritten) {
    if (options.outPath.empty()) return makeError(ErrorCode::InvalidInput, "Give an output file for the export.");
    if (options.format == Format::Png && (options.dpi < 72 || options.dpi > 1200)) {
        return makeError(ErrorCode::InvalidInput, "PNG resolution must be between 72 and 1200 dpi.");
    }
    std::int64_t total = 0;
    if (!options.calibrationPage) {
        auto count = source.count();
        if (!count) return count.error();
        total = *count;
        if (total == 0) return makeError(ErrorCode::NotFound, "No codes match the selection, so there is nothing to export; change the filter.");
    }
    Result<ExportSummary> result = options.format == Format::Csv
                                       ? writeCsv(source, options, total, progress, cancel, onWritten)
                                       : writePages(source, options, total, progress, cancel, onWritten);
    if (!result) return result;
    for (const auto& file : result->files) {
        std::error_code ec;
        const auto size = fs::file_size(file, ec);
        if (!ec) result->bytes += size;
    }
    return result;
}

}  // namespace core::exporter
