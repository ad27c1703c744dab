// Builds without a print system (PD_WITH_CUPS=OFF): every call explains how to get a PDF instead.
#include "core/export/printing.hpp"

namespace core::exporter {
namespace {

Error unavailable() {
    return makeError(ErrorCode::Config, "Printing is not available in this build (built without CUPS). "
                                        "Export a PDF and print it from another program.");
}

}  // namespace

Result<std::vector<PrinterInfo>> listPrinters() { return unavailable(); }
Result<std::string> defaultPrinter() { return unavailable(); }
Result<std::string> resolvePrinter(const std::string&) { return unavailable(); }
Result<int> printPdf(const std::string&, const PrintJob&) { return unavailable(); }

}  // namespace core::exporter
