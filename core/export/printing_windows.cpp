// Printing on Windows: printers from the spooler, the PDF handed to the default PDF program's
// "printto" verb (Windows has no built-in PDF rasteriser to call directly).
#include "core/export/printing.hpp"

#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#include <shellapi.h>
#include <winspool.h>

#include <vector>

namespace core::exporter {
namespace {

std::string narrow(const wchar_t* text) {
    if (!text || !*text) return {};
    const int size = WideCharToMultiByte(CP_UTF8, 0, text, -1, nullptr, 0, nullptr, nullptr);
    std::string out(static_cast<std::size_t>(size > 0 ? size - 1 : 0), '\0');
    if (size > 1) WideCharToMultiByte(CP_UTF8, 0, text, -1, out.data(), size, nullptr, nullptr);
    return out;
}

std::wstring widen(const std::string& text) {
    if (text.empty()) return {};
    const int size = MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, nullptr, 0);
    std::wstring out(static_cast<std::size_t>(size > 0 ? size - 1 : 0), L'\0');
    if (size > 1) MultiByteToWideChar(CP_UTF8, 0, text.c_str(), -1, out.data(), size);
    return out;
}

Error noPrinterError() {
    return makeError(ErrorCode::Config, "No printer is set up. Add one in Settings > Printers & scanners, "
                                        "or export a PDF and print it from another program.");
}

}  // namespace

Result<std::vector<PrinterInfo>> listPrinters() {
    DWORD needed = 0, returned = 0;
    const DWORD flags = PRINTER_ENUM_LOCAL | PRINTER_ENUM_CONNECTIONS;
    EnumPrintersW(flags, nullptr, 2, nullptr, 0, &needed, &returned);
    std::vector<BYTE> buffer(needed);
    if (needed > 0 && !EnumPrintersW(flags, nullptr, 2, buffer.data(), needed, &needed, &returned)) {
        return makeError(ErrorCode::Config, "Could not list printers (Windows error " + std::to_string(GetLastError()) +
                                                "). Check that the Print Spooler service is running.");
    }
    std::string defaultName;
    DWORD size = 0;
    GetDefaultPrinterW(nullptr, &size);
    if (size > 0) {
        std::wstring name(size, L'\0');
        if (GetDefaultPrinterW(name.data(), &size)) defaultName = narrow(name.c_str());
    }
    std::vector<PrinterInfo> out;
    const auto* info = reinterpret_cast<const PRINTER_INFO_2W*>(buffer.data());
    for (DWORD i = 0; i < returned; ++i) {
        PrinterInfo p;
        p.name = narrow(info[i].pPrinterName);
        p.description = narrow(info[i].pComment);
        p.isDefault = p.name == defaultName;
        p.accepting = (info[i].Status & (PRINTER_STATUS_PAUSED | PRINTER_STATUS_ERROR | PRINTER_STATUS_OFFLINE)) == 0;
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
    return makeError(ErrorCode::Config, "No default printer is set. Choose a printer, or set a default in Settings.");
}

Result<std::string> resolvePrinter(const std::string& requested) {
    if (requested.empty()) return defaultPrinter();
    auto printers = listPrinters();
    if (!printers) return printers.error();
    if (printers->empty()) return noPrinterError();
    for (const auto& p : *printers) {
        if (p.name == requested) return p.name;
    }
    return makeError(ErrorCode::NotFound, "There is no printer named '" + requested + "'.");
}

Result<int> printPdf(const std::string& pdfPath, const PrintJob& job) {
    auto printer = resolvePrinter(job.printer);
    if (!printer) return printer.error();
    const std::wstring file = widen(pdfPath);
    const std::wstring args = L"\"" + widen(*printer) + L"\"";
    // The verb prints one copy; repeat it for more.
    for (int copy = 0; copy < job.copies; ++copy) {
        const auto result = reinterpret_cast<INT_PTR>(
            ShellExecuteW(nullptr, L"printto", file.c_str(), args.c_str(), nullptr, SW_HIDE));
        if (result <= 32) {
            return makeError(ErrorCode::Config, "Windows could not print the PDF (error " + std::to_string(result) +
                                                    "). Install a PDF reader that can print, or open the PDF and print it.");
        }
    }
    return 0;
}

}  // namespace core::exporter
