#pragma once
// Printers and print jobs: CUPS on Linux and macOS (printing_cups.cpp), the shell's "printto"
// verb on Windows (printing_windows.cpp), and a stub when built without CUPS (printing_none.cpp).
#include "core/util/result.hpp"

#include <string>
#include <vector>

namespace core::exporter {

struct PrinterInfo {
    std::string name;         // queue name, what print jobs and calibration settings are keyed by
    std::string description;  // human name, may be empty
    bool isDefault = false;
    bool accepting = true;    // false: the queue rejects jobs
};

struct PrintJob {
    std::string printer;  // empty = the default printer
    int copies = 1;
    std::string title = "Pickup codes";
};

Result<std::vector<PrinterInfo>> listPrinters();
// The default printer's name; a Config error that says how to add one when there is none.
Result<std::string> defaultPrinter();
// The printer a job would go to: `requested`, or the default one; checks that it exists.
Result<std::string> resolvePrinter(const std::string& requested);
// Sends a PDF file; returns the job id (0 where the system gives none).
Result<int> printPdf(const std::string& pdfPath, const PrintJob& job);

}  // namespace core::exporter
