#pragma once
// One cairo surface kind per output format, behind a common begin/end page interface, writing to
// temporary paths from PendingFiles. Internal to exporter.
#include "core/export/pending_files.hpp"
#include "core/export/sheet_template.hpp"

#include <memory>

using cairo_t = struct _cairo;

namespace core::exporter::detail {

class PageWriter {
public:
    virtual ~PageWriter() = default;
    // A context for page `page` (1-based) whose user unit is 1 mm.
    virtual Result<cairo_t*> beginPage(int page) = 0;
    virtual Status endPage() = 0;
    virtual Status finish() = 0;  // after the last page
};

std::unique_ptr<PageWriter> makePdfWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet);
std::unique_ptr<PageWriter> makeSvgWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet);
std::unique_ptr<PageWriter> makePngWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet,
                                          int dpi);

}  // namespace core::exporter::detail
