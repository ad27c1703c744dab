// Printing through CUPS (Linux, macOS). CUPS_SERVER / ~/.cups/client.conf choose the server.
#include "core/export/printing.hpp"

#include <cups/cups.h>

#include <memory>

namespace core::exporter {
namespace {

struct Dests {
    cups_dest_t* list = nullptr;
    int count = 0;
    ~Dests() { cupsFreeDests(count, list); }
};

Error noPrinterError() {
    return makeError(ErrorCode::Config,
                     "No printer is set up (the print system lists none). Add a printer in the system settings "
                     "(or with `lpadmin`), or export a PDF and print it from another program.");
}

Error cupsError(const std::string& what) {
    return makeError(ErrorCode::Config, what + ": " + cupsLastErrorString() +
                                            ". Check that the printing service (CUPS) is running and the printer is on.");
}

bool lastCallFailed() { return cupsLastError() > IPP_STATUS_OK_CONFLICTING; }

}  // namespace

Result<std::vector<PrinterInfo>> listPrinters() {
    Dests dests;
    dests.count = cupsGetDests2(CUPS_HTTP_DEFAULT, &dests.list);
    if (dests.count == 0 && lastCallFailed() && cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND) {
        return cupsError("Could not reach the print system (CUPS) to list printers");
    }
    std::vector<PrinterInfo> out;
    for (int i = 0; i < dests.count; ++i) {
        const cups_dest_t& d = dests.list[i];
        if (d.instance) continue;  // lpoptions instances share the queue
        PrinterInfo p;
        p.name = d.name;
        if (const char* info = cupsGetOption("printer-info", d.num_options, d.options)) p.description = info;
        p.isDefault = d.is_default != 0;
        if (const char* accepting = cupsGetOption("printer-is-accepting-jobs", d.num_options, d.options)) {
            p.accepting = std::string(accepting) != "false";
        }
        out.push_back(std::move(p));
    }
    return out;
}

Result<std::string> defaultPrinter() {
    auto printers = listPrinters();
    if (!printers) return printers.error();
    for (const auto& p : *printers) {
        if (p.isDefault) return p.name;
    }
    if (printers->empty()) return noPrinterError();
    return makeError(ErrorCode::Config, "No default printer is set. Choose one with --printer NAME (see `pickupctl printers`) "
                                        "or set a default in the system settings.");
}

Result<std::string> resolvePrinter(const std::string& requested) {
    if (requested.empty()) {
        auto name = defaultPrinter();
        if (!name) return name.error();
        return resolvePrinter(*name);  // the same checks (accepting jobs) as a named printer
    }
    auto printers = listPrinters();
    if (!printers) return printers.error();
    if (printers->empty()) return noPrinterError();
    std::string names;
    for (const auto& p : *printers) {
        if (p.name == requested) {
            if (!p.accepting) {
                return makeError(ErrorCode::Config, "Printer '" + requested + "' is not accepting jobs; enable it in the "
                                                    "system's printer settings (or `cupsaccept " + requested + "`).");
            }
            return p.name;
        }
        names += (names.empty() ? "" : ", ") + p.name;
    }
    return makeError(ErrorCode::NotFound, "There is no printer named '" + requested + "'. Printers: " + names + ".");
}

Result<int> printPdf(const std::string& pdfPath, const PrintJob& job) {
    auto printer = resolvePrinter(job.printer);
    if (!printer) return printer.error();
    if (job.copies < 1 || job.copies > 999) {
        return makeError(ErrorCode::InvalidInput, "Copies must be between 1 and 999.");
    }
    cups_option_t* options = nullptr;
    int count = cupsAddOption("copies", std::to_string(job.copies).c_str(), 0, &options);
    count = cupsAddOption("document-format", "application/pdf", count, &options);
    const int id = cupsPrintFile2(CUPS_HTTP_DEFAULT, printer->c_str(), pdfPath.c_str(), job.title.c_str(), count, options);
    cupsFreeOptions(count, options);
    if (id == 0) return cupsError("Printer '" + *printer + "' refused the job");
    return id;
}

}  // namespace core::exporter
