// pickupctl export | print | printers | templates | calibrate (QR sheets; docs/CLI.md).
#include "app/cli/commands.hpp"
#include "app/cli/context.hpp"
#include "app/cli/exit_codes.hpp"

#include "core/export/calibration.hpp"
#include "core/export/export_service.hpp"
#include "core/store/export_audit.hpp"
#include "core/tz/machine_time.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace cli {
namespace {

using namespace core::exporter;

core::Error usage(std::string message) { return core::makeError(core::ErrorCode::InvalidInput, std::move(message)); }

core::Result<SheetTemplate> sheetFor(const ExportCliOptions& o) {
    if (o.grid) return parseGridSpec(*o.grid);
    return findTemplate(o.templateName);
}

core::Result<LabelStyle> styleFor(const ExportCliOptions& o) {
    LabelStyle style;
    auto ec = parseEcLevel(o.ecLevel);
    if (!ec) return usage("--ec must be L, M, Q or H.");
    style.ecLevel = *ec;
    style.payloadTemplate = o.qrText;
    style.headerText = o.header;
    style.logoPngPath = o.logo;
    for (const auto& field : o.hide) {
        if (field == "code") style.fields.code = false;
        else if (field == "product") style.fields.product = false;
        else if (field == "machine") style.fields.machine = false;
        else if (field == "expiry") style.fields.expiry = false;
        else return usage("--hide takes code, product, machine or expiry (not '" + field + "').");
    }
    return style;
}

core::Result<core::store::CodeFilter> filterFor(const ExportCliOptions& o) {
    core::store::CodeFilter f;
    f.machineNo = o.machineNo;
    f.productId = o.productId;
    f.codePrefix = o.prefix;
    f.limit = o.limit;
    f.sort = core::store::CodeSort::MachineNo;
    if (o.status) {
        f.status = core::parseCodeStatus(*o.status);
        if (!f.status) return usage("--status must be unused, used, expired or deleted.");
    }
    return f;
}

// Offsets from the command line, else the ones saved for this printer (or files) and template.
core::Result<Offset> offsetFor(const ExportCliOptions& o, const std::string& printerKey, const std::string& templateName) {
    auto saved = loadCalibration(calibrationFilePath(), printerKey, templateName);
    if (!saved) return saved.error();
    return Offset{o.offsetX.value_or(saved->xMm), o.offsetY.value_or(saved->yMm)};
}

void printProgress(const ExportProgress& p) {
    if (p.pagesTotal > 0) std::cerr << "\rpage " << p.pagesDone << "/" << p.pagesTotal << ", " << p.labelsDone << " code(s)" << std::flush;
    else std::cerr << "\r" << p.labelsDone << "/" << p.labelsTotal << " code(s)" << std::flush;
}

nlohmann::json summaryJson(const ExportSummary& s) {
    return {{"files", s.files}, {"codes", s.labels}, {"pages", s.pages}, {"bytes", s.bytes}};
}

}  // namespace

int runExport(const GlobalOptions& g, const ExportCliOptions& o) {
    auto format = parseFormat(o.format);
    if (!format) return fail(usage("--format must be pdf, png, svg or csv."), g);
    auto sheet = sheetFor(o);
    if (!sheet) return fail(sheet.error(), g);
    auto style = styleFor(o);
    if (!style) return fail(style.error(), g);
    auto filter = filterFor(o);
    if (!filter) return fail(filter.error(), g);
    std::string printerKey = kFilePrinter;
    if (o.print) {
        auto printer = resolvePrinter(o.printer);
        if (!printer) return fail(printer.error(), g);
        printerKey = *printer;
    } else if (!o.printer.empty()) {
        printerKey = o.printer;  // export for a printer: use its calibration
    }
    auto offset = offsetFor(o, printerKey, sheet->name);
    if (!offset) return fail(offset.error(), g);

    ExportOptions options;
    options.format = *format;
    options.outPath = o.out.value_or("pickup-codes." + o.format);
    options.dpi = o.dpi;
    options.calibrationPage = o.calibrationPage;
    options.sheet.sheet = *sheet;
    options.sheet.style = *style;
    options.sheet.offset = *offset;
    options.sheet.startAt = o.startAt;
    options.sheet.cropMarks = o.cropMarks;
    options.sheet.outlines = o.outlines;
    options.sheet.pdfVectorQr = o.vectorQr;

    auto ctx = Context::open(g);
    if (!ctx) return fail(ctx.error(), g);
    auto active = (*ctx)->store().activeProfile();
    StoreSelection selection;
    selection.filter = *filter;
    selection.defaultZone = active && active->has_value() ? (**active).defaultTimezone : std::string(core::tz::kDefaultZone);
    const bool showProgress = !g.json;
    const ProgressFn progress = showProgress ? ProgressFn(printProgress) : ProgressFn();
    if (o.print) {
        auto printed = printFromStore((*ctx)->store(), selection, options, PrintJob{printerKey, o.copies, "Pickup codes"}, progress);
        if (showProgress) std::cerr << '\n';
        if (!printed) return fail(printed.error(), g);
        if (g.json) {
            auto j = summaryJson(printed->exported);
            j.erase("files");
            j["printer"] = printed->printer;
            j["job_id"] = printed->jobId;
            std::cout << j.dump(2) << '\n';
        } else {
            std::cout << "Sent " << printed->exported.labels << " code(s) on " << printed->exported.pages << " page(s) to "
                      << printed->printer << " (job " << printed->jobId << ").\n";
        }
        return kExitOk;
    }
    auto exported = exportFromStore((*ctx)->store(), selection, options, progress);
    if (showProgress) std::cerr << '\n';
    if (!exported) return fail(exported.error(), g);
    if (g.json) {
        std::cout << summaryJson(*exported).dump(2) << '\n';
        return kExitOk;
    }
    std::cout << "Wrote " << exported->labels << " code(s)";
    if (exported->pages > 0) std::cout << " on " << exported->pages << " page(s)";
    std::cout << " (" << exported->bytes << " bytes):\n";
    for (const auto& f : exported->files) std::cout << "  " << f << '\n';
    return kExitOk;
}

int runPrinters(const GlobalOptions& g) {
    auto printers = listPrinters();
    if (!printers) return fail(printers.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& p : *printers) {
            out.push_back({{"name", p.name}, {"description", p.description}, {"default", p.isDefault}, {"accepting", p.accepting}});
        }
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    if (printers->empty()) {
        std::cout << "No printers are set up. Add one in the system settings, or export a PDF.\n";
        return kExitOk;
    }
    Table table({"PRINTER", "DEFAULT", "ACCEPTING", "DESCRIPTION"});
    for (const auto& p : *printers) table.addRow({p.name, p.isDefault ? "yes" : "", p.accepting ? "yes" : "no", p.description});
    table.print(std::cout);
    return kExitOk;
}

int runTemplates(const GlobalOptions& g) {
    auto templates = listTemplates();
    if (!templates) return fail(templates.error(), g);
    if (g.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& t : *templates) out.push_back(nlohmann::json::parse(templateToJson(t)));
        std::cout << out.dump(2) << '\n';
        return kExitOk;
    }
    Table table({"NAME", "LABELS", "LABEL MM", "PAGE MM", "TITLE"});
    auto mm = [](double w, double h) {
        char text[48];
        std::snprintf(text, sizeof text, "%.1f x %.1f", w, h);
        return std::string(text);
    };
    for (const auto& t : *templates) {
        table.addRow({t.name, std::to_string(t.labelsPerPage()), mm(t.labelWidthMm, t.labelHeightMm),
                      mm(t.pageWidthMm, t.pageHeightMm), t.title});
    }
    table.print(std::cout);
    std::cout << "User templates: " << userTemplateDir() << "/*.json\n";
    return kExitOk;
}

int runCalibrate(const GlobalOptions& g, const CalibrateCliOptions& o) {
    auto sheet = findTemplate(o.templateName);
    if (!sheet) return fail(sheet.error(), g);
    if (std::abs(o.x) > 20 || std::abs(o.y) > 20) return fail(usage("Offsets must be within ±20 mm."), g);
    const std::string printer = o.printer.empty() ? kFilePrinter : o.printer;
    if (auto ok = saveCalibration(calibrationFilePath(), printer, sheet->name, {o.x, o.y}); !ok) return fail(ok.error(), g);
    if (g.json) {
        std::cout << nlohmann::json{{"printer", printer}, {"template", sheet->name}, {"x_mm", o.x}, {"y_mm", o.y}}.dump(2) << '\n';
    } else {
        std::cout << "Saved offset x " << o.x << " mm, y " << o.y << " mm for " << printer << " + " << sheet->name << ".\n";
    }
    return kExitOk;
}

}  // namespace cli
