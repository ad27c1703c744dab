// QR sheets without decoding: templates, CSV (golden file, RFC 4180 round trip), streaming from a
// real SQLite store, the audit, cancellation and failures leaving no file, calibration settings,
// and clear printing errors with no print server.
#include "pd_test_paths.hpp"
#include "tests/core/export_scan_support.hpp"
#include "tests/support/cupsd.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include "core/export/calibration.hpp"
#include "core/export/code_source.hpp"
#include "core/export/csv.hpp"
#include "core/export/export_service.hpp"
#include "core/store/export_audit.hpp"
#include "core/tz/machine_time.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>

using namespace core;
using namespace core::exporter;
using namespace exporttest;

namespace {

std::vector<std::string> filesIn(const std::string& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    return out;
}

SheetOptions sheetFor(const std::string& name) {
    auto t = findTemplate(name);
    REQUIRE(t.ok());
    SheetOptions o;
    o.sheet = *t;
    return o;
}

// A store with two machines (one named, zones set), Chinese product names and `n` codes.
std::unique_ptr<store::Store> seededStore(const std::string& path, int n) {
    auto opened = store::Store::open(path);
    REQUIRE(opened.ok());
    auto s = std::move(*opened);
    Profile p;
    p.name = "main";
    auto pid = s->upsertProfile(p);
    REQUIRE(pid.ok());
    Machine a{*pid, "16327138", "一号机", "", "", true, "", 0};
    Machine b{*pid, "20240601", "", "", "", true, "", 0};
    REQUIRE(s->upsertMachines(*pid, {a, b}).ok());
    REQUIRE(s->setMachineTimezone("16327138", "America/New_York").ok());
    Product cola;
    cola.machineNo = "16327138";
    cola.id = 30001;
    cola.name = "可口可乐 330ml";
    REQUIRE(s->replaceProducts("16327138", {cola}).ok());
    std::vector<PickupCode> codes;
    for (int i = 0; i < n; ++i) {
        PickupCode c;
        c.machineNo = i % 2 ? "16327138" : "20240601";
        c.id = 5000 + i;
        c.productId = 30001;
        c.code = std::to_string(20000000 + i * 37);
        if (i % 4) c.expiresUtc = 1798106400 + i;
        codes.push_back(c);
    }
    REQUIRE(s->upsertCodes(codes).ok());
    return s;
}

}  // namespace

TEST_CASE("export templates: built-ins load, user files and grid specs validate") {
    auto all = listTemplates();
    REQUIRE(all.ok());
    std::vector<std::string> names;
    for (const auto& t : *all) names.push_back(t.name);
    for (const char* name : {"a4-3x8", "a4-4x10", "letter-3x10", "roll-58", "roll-80"}) {
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
    }
    const auto a4 = sheetFor("a4-3x8").sheet;
    CHECK(a4.labelsPerPage() == 24);
    const Rect last = a4.labelRect(23, {1, 2});
    CHECK(last.x == doctest::Approx(7.25 + 2 * 66.0 + 1));
    CHECK(last.y == doctest::Approx(12.9 + 7 * 33.9 + 2));
    CHECK(sheetFor("roll-80").sheet.roll);

    auto grid = parseGridSpec("page=100x150,label=40x30,pitch=45x35,grid=2x4");
    REQUIRE(grid.ok());
    CHECK(grid->marginLeftMm == doctest::Approx(7.5));  // centred: (100 - 45 - 40) / 2
    CHECK(grid->marginTopMm == doctest::Approx(7.5));   // (150 - 3 * 35 - 30) / 2
    auto roundTrip = parseTemplateJson(templateToJson(*grid), "round trip");
    REQUIRE(roundTrip.ok());
    CHECK(roundTrip->pitchYMm == doctest::Approx(35));
    auto tooWide = parseGridSpec("page=100x150,label=60x30,grid=2x1");
    REQUIRE_FALSE(tooWide.ok());
    CHECK(tooWide.error().message.find("do not fit") != std::string::npos);
    CHECK_FALSE(parseGridSpec("page=100x150,label=40,grid=2x1").ok());
    auto missing = findTemplate("a5-2x2");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(missing.error().message.find("a4-3x8") != std::string::npos);  // lists what exists
}

TEST_CASE("export layout: start at label N and page counts") {
    SheetOptions o = sheetFor("a4-3x8");
    o.startAt = 20;
    const SheetLayout layout(o);
    CHECK(layout.pageCount(5) == 1);   // slots 20..24
    CHECK(layout.pageCount(6) == 2);
    CHECK(layout.labelsOnPage(0, 30) == 5);
    CHECK(layout.firstLabel(1) == 5);
    CHECK(layout.labelsOnPage(1, 30) == 24);
    CHECK(layout.labelsOnPage(2, 30) == 1);
    o.startAt = 25;
    CHECK_FALSE(validateSheetOptions(o).ok());
}

TEST_CASE("export CSV: BOM, RFC 4180 quoting, machine time and UTC, equal to the golden file") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.format = Format::Csv;
    o.outPath = dir.file("codes.csv");
    VectorCodeSource source(sampleLabels(6));
    auto r = runExport(source, o);
    REQUIRE(r.ok());
    CHECK(r->labels == 6);
    const std::string csv = readFile(o.outPath);
    CHECK(csv.rfind("\xEF\xBB\xBF" "machine_no,machine_name,code_id,code,", 0) == 0);
    CHECK(csv == readFile(std::string(PD_TEST_DATA_DIR) + "/export_golden.csv"));
    CHECK(csvField("a,b") == "\"a,b\"");
    CHECK(csvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvField("line\nbreak") == "\"line\nbreak\"");
    CHECK(csvField("可口可乐") == "可口可乐");
}

TEST_CASE("export CSV: a standard parser (Python csv) reads back the same values") {
    testsupport::TempDir dir;
    const auto labels = sampleLabels(7);
    ExportOptions o;
    o.format = Format::Csv;
    o.outPath = dir.file("codes.csv");
    VectorCodeSource source(labels);
    REQUIRE(runExport(source, o).ok());
    auto py = testsupport::runProcess(
        {"python3", "-c",
         "import csv, json, sys\n"
         "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f: print(json.dumps(list(csv.DictReader(f))))",
         o.outPath});
    REQUIRE_MESSAGE(py.exitCode == 0, py.err);
    const auto rows = nlohmann::json::parse(py.out);
    REQUIRE(rows.size() == labels.size());
    for (std::size_t i = 0; i < labels.size(); ++i) {
        CAPTURE(i);
        CHECK(rows[i]["code"] == labels[i].code);
        CHECK(rows[i]["product_name"] == labels[i].productName);
        CHECK(rows[i]["machine_name"] == labels[i].machineName);
        CHECK(rows[i]["timezone"] == labels[i].timezone);
        CHECK(rows[i]["expires_utc"] == (labels[i].expiresUtc ? tz::toIso8601Utc(*labels[i].expiresUtc) : std::string()));
        CHECK(rows[i]["expires_local"] ==
              (labels[i].expiresUtc ? tz::formatInZone(*labels[i].expiresUtc, labels[i].timezone) : std::string()));
    }
    CHECK(rows[3]["product_name"] == "Oreo 奥利奥, \"原味\"");
}

TEST_CASE("export: cancelling or failing mid-way leaves no file behind") {
    testsupport::TempDir dir;
    const auto labels = sampleLabels(60);
    for (Format format : {Format::Pdf, Format::Png, Format::Svg, Format::Csv}) {
        CAPTURE(formatName(format));
        ExportOptions o;
        o.sheet = sheetFor("a4-4x10");
        o.format = format;
        o.dpi = 100;
        o.outPath = dir.file(std::string("out.") + formatName(format));
        VectorCodeSource source(labels);
        std::atomic<bool> cancel{false};
        int calls = 0;
        auto r = runExport(source, o, [&](const ExportProgress& p) {
            ++calls;
            if (format != Format::Csv) CHECK(p.pagesTotal == 2);
            cancel = true;  // after the first page (or CSV batch)
        }, &cancel);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::Cancelled);
        CHECK(calls == 1);
        CHECK(filesIn(dir.path()).empty());

        VectorCodeSource again(labels);
        int batches = 0;
        auto failed = runExport(again, o, {}, nullptr, [&](const std::vector<LabelData>&) -> Status {
            if (++batches == 2 || format == Format::Csv) return makeError(ErrorCode::Storage, "disk full (test)");
            return {};
        });
        REQUIRE_FALSE(failed.ok());
        CHECK(failed.error().message == "disk full (test)");
        CHECK(filesIn(dir.path()).empty());
    }
    ExportOptions bad;
    bad.outPath = dir.file("no-such-folder/x.pdf");
    bad.sheet = sheetFor("a4-3x8");
    VectorCodeSource source(labels);
    auto r = runExport(source, bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("does not exist") != std::string::npos);
}

TEST_CASE("export from the store: reads the codes in order, resolves names and zones, records the audit") {
    testsupport::TempDir dir;
    auto s = seededStore(dir.file("pd.db"), 2500);  // more than one fetch of 1,000
    CHECK(s->schemaVersion() >= 4);
    StoreSelection sel;
    sel.filter.sort = store::CodeSort::Code;
    ExportOptions o;
    o.format = Format::Csv;
    o.outPath = dir.file("all.csv");
    std::int64_t lastDone = 0;
    auto r = exportFromStore(*s, sel, o, [&](const ExportProgress& p) {
        CHECK(p.labelsTotal == 2500);
        lastDone = p.labelsDone;
    });
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    CHECK(lastDone == 2500);
    const std::string csv = readFile(o.outPath);
    CHECK(std::count(csv.begin(), csv.end(), '\n') == 2501);
    CHECK(csv.find("16327138,一号机,5001,20000037,30001,可口可乐 330ml,1,unused,2026-12-24 05:00:01,America/New_York,"
                   "2026-12-24T10:00:01Z,20000037\r\n") != std::string::npos);
    CHECK(csv.find("20240601,,5000,20000000,30001,Product 30001,1,unused,,Asia/Shanghai,,20000000\r\n") != std::string::npos);

    auto records = store::listExports(*s);
    REQUIRE(records.ok());
    REQUIRE(records->size() == 1);
    CHECK(records->front().codeCount == 2500);
    CHECK(records->front().format == "csv");
    CHECK(records->front().kind == store::ExportKind::Export);
    CHECK(records->front().destination == fs::absolute(o.outPath).string());

    // A filtered PDF export, then a cancelled one (no trace).
    StoreSelection one;
    one.filter.machineNo = "16327138";
    one.filter.limit = 30;
    o.format = Format::Pdf;
    o.sheet = sheetFor("a4-3x8");
    o.outPath = dir.file("one.pdf");
    auto pdf = exportFromStore(*s, one, o);
    REQUIRE(pdf.ok());
    CHECK(pdf->labels == 30);
    CHECK(pdf->pages == 2);
    std::atomic<bool> cancel{true};
    o.outPath = dir.file("cancelled.pdf");
    auto cancelled = exportFromStore(*s, one, o, {}, &cancel);
    CHECK(cancelled.error().code == ErrorCode::Cancelled);
    CHECK(s->db().execAndGet("SELECT count(*) FROM exports").getInt() == 2);
    CHECK_FALSE(fs::exists(o.outPath));

    auto states = store::printedStates(*s, {{"16327138", 5001}, {"20240601", 5000}, {"16327138", 99}});
    REQUIRE(states.ok());
    CHECK((*states)[0].exports == 2);  // the CSV and the machine's PDF
    CHECK((*states)[1].exports == 1);
    CHECK_FALSE((*states)[2].printed());
    auto keys = store::exportCodes(*s, (*store::listExports(*s, 1)).front().id);
    REQUIRE(keys.ok());
    CHECK(keys->size() == 30);
}

TEST_CASE("store code source: sequential and random fetches inside the caller's window") {
    testsupport::TempDir dir;
    auto s = seededStore(dir.file("pd.db"), 2500);
    store::CodeFilter f;
    f.sort = store::CodeSort::Code;
    f.offset = 5;
    f.limit = 2000;
    f.now = 1761200000;
    auto expected = s->queryCodes(f);
    REQUIRE(expected.ok());
    REQUIRE(expected->size() == 2000);
    auto codeAt = [&](std::int64_t i) { return (*expected)[static_cast<std::size_t>(i)].code; };

    StoreCodeSource source(*s, f, "Asia/Shanghai");
    CHECK(source.count().value() == 2000);
    std::vector<std::string> seen;
    for (std::int64_t at = 0; at < 2000; at += 700) {  // sequential: one reader
        auto labels = source.fetch(at, 700);
        REQUIRE(labels.ok());
        CHECK(labels->size() == static_cast<std::size_t>(std::min<std::int64_t>(700, 2000 - at)));
        for (const auto& l : *labels) seen.push_back(l.code);
    }
    REQUIRE(seen.size() == 2000);
    for (std::int64_t i = 0; i < 2000; i += 111) CHECK(seen[static_cast<std::size_t>(i)] == codeAt(i));
    CHECK(seen.back() == codeAt(1999));

    auto jump = source.fetch(250, 3);  // a preview jumping to a page: a new reader at 250
    REQUIRE(jump.ok());
    REQUIRE(jump->size() == 3);
    CHECK(jump->front().code == codeAt(250));
    auto next = source.fetch(253, 2);  // and on from there
    REQUIRE(next.ok());
    CHECK(next->back().code == codeAt(254));
    CHECK(source.fetch(1990, 50)->size() == 10);  // clipped to the window
    CHECK(source.fetch(2000, 50)->empty());
}

TEST_CASE("export calibration settings: saved per printer and template") {
    testsupport::TempDir dir;
    const std::string file = dir.file("cfg/calibration.json");
    auto none = loadCalibration(file, "Office", "a4-3x8");
    REQUIRE(none.ok());
    CHECK(none->xMm == 0);
    REQUIRE(saveCalibration(file, "Office", "a4-3x8", {1.5, -0.5}).ok());
    REQUIRE(saveCalibration(file, "Office", "roll-58", {0.2, 0.3}).ok());
    REQUIRE(saveCalibration(file, "Label", "a4-3x8", {-2, 0}).ok());
    auto office = loadCalibration(file, "Office", "a4-3x8");
    REQUIRE(office.ok());
    CHECK(office->xMm == doctest::Approx(1.5));
    CHECK(office->yMm == doctest::Approx(-0.5));
    CHECK(loadCalibration(file, "Label", "a4-3x8")->xMm == doctest::Approx(-2));
    CHECK(loadCalibration(file, "Label", "roll-58")->xMm == 0);
    std::ofstream(file) << "{not json";
    auto damaged = loadCalibration(file, "Office", "a4-3x8");
    REQUIRE_FALSE(damaged.ok());
    CHECK(damaged.error().message.find("Delete the file") != std::string::npos);
}

TEST_CASE("printing without a print server fails clearly and records nothing") {
    ::setenv("CUPS_SERVER", "127.0.0.1:9", 1);  // discard port: nothing listens
    auto printer = resolvePrinter("");
    REQUIRE_FALSE(printer.ok());
    CHECK(printer.error().code == ErrorCode::Config);
    CHECK(printer.error().message.find("print") != std::string::npos);
    MESSAGE("no-printer error: " << printer.error().message);

    testsupport::TempDir dir;
    auto s = seededStore(dir.file("pd.db"), 3);
    ExportOptions o;
    o.sheet = sheetFor("roll-58");
    auto r = printFromStore(*s, StoreSelection{}, o, PrintJob{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::Config);
    CHECK(s->db().execAndGet("SELECT count(*) FROM exports").getInt() == 0);
    ::unsetenv("CUPS_SERVER");
}

TEST_CASE("printing through a real CUPS scheduler: the PDF, the copies, the audit, and refusals") {
    testsupport::Cupsd cups;
    cups.addCapturePrinter("pd-labels", true);
    cups.addCapturePrinter("pd-closed", false);
    cups.rejectJobs("pd-closed");
    ::setenv("CUPS_SERVER", cups.server().c_str(), 1);

    auto printers = listPrinters();
    REQUIRE_MESSAGE(printers.ok(), (printers.ok() ? "" : printers.error().message));
    REQUIRE(printers->size() == 2);
    for (const auto& p : *printers) {
        CHECK(p.isDefault == (p.name == "pd-labels"));
        CHECK(p.accepting == (p.name == "pd-labels"));
    }
    CHECK(defaultPrinter().value() == "pd-labels");

    testsupport::TempDir dir;
    auto s = seededStore(dir.file("pd.db"), 30);
    ExportOptions o;
    o.sheet = sheetFor("a4-3x8");
    PrintJob job;  // the default printer
    job.copies = 2;
    auto printed = printFromStore(*s, StoreSelection{}, o, job);
    REQUIRE_MESSAGE(printed.ok(), (printed.ok() ? "" : printed.error().message + "\n" + cups.log()));
    CHECK(printed->printer == "pd-labels");
    CHECK(printed->jobId > 0);
    CHECK(printed->exported.pages == 2);
    const std::string data = cups.waitForJob("pd-labels");
    REQUIRE_MESSAGE(!data.empty(), cups.log());
    CHECK(data.rfind("%PDF-", 0) == 0);
    CHECK(cups.capturedCopies("pd-labels") == 2);
    std::ofstream(dir.file("received.pdf"), std::ios::binary) << data;
    const auto info = testsupport::runProcess({"pdfinfo", dir.file("received.pdf")});
    REQUIRE(info.exitCode == 0);
    const auto pagesAt = info.out.find("Pages:");
    REQUIRE(pagesAt != std::string::npos);
    CHECK(std::stoi(info.out.substr(pagesAt + 6)) == 2);
    auto records = store::listExports(*s);
    REQUIRE(records.ok());
    REQUIRE(records->size() == 1);
    CHECK(records->front().kind == store::ExportKind::Print);
    CHECK(records->front().destination == "pd-labels");
    CHECK(records->front().codeCount == 30);

    // A queue that rejects jobs, and one that does not exist: clear errors, nothing recorded.
    job.printer = "pd-closed";
    auto closed = printFromStore(*s, StoreSelection{}, o, job);
    REQUIRE_FALSE(closed.ok());
    CHECK(closed.error().message.find("not accepting jobs") != std::string::npos);
    job.printer = "pd-missing";
    auto missing = printFromStore(*s, StoreSelection{}, o, job);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == ErrorCode::NotFound);
    CHECK(missing.error().message.find("pd-labels") != std::string::npos);  // lists the printers there are
    CHECK(store::listExports(*s)->size() == 1);
    ::unsetenv("CUPS_SERVER");
}

TEST_CASE("export audit: codes are recorded in batches, every one once, only for a complete export") {
    testsupport::TempDir dir;
    auto s = seededStore(dir.file("pd.db"), 6000);  // past one audit batch of 5,000
    StoreSelection sel;
    sel.filter.sort = store::CodeSort::Code;
    ExportOptions o;
    o.format = Format::Csv;
    o.outPath = dir.file("all.csv");
    auto r = exportFromStore(*s, sel, o);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    auto records = store::listExports(*s);
    REQUIRE(records.ok());
    REQUIRE(records->size() == 1);
    CHECK(records->front().codeCount == 6000);
    auto keys = store::exportCodes(*s, records->front().id);
    REQUIRE(keys.ok());
    CHECK(keys->size() == 6000);

    // Cancelled after the first batch was written: the record and its rows are gone.
    std::atomic<bool> cancel{false};
    o.outPath = dir.file("cancelled.csv");
    auto cancelled = exportFromStore(*s, sel, o, [&](const ExportProgress& p) {
        if (p.labelsDone >= 5000) cancel = true;
    }, &cancel);
    CHECK(cancelled.error().code == ErrorCode::Cancelled);
    CHECK(s->db().execAndGet("SELECT count(*) FROM exports").getInt() == 1);
    CHECK(s->db().execAndGet("SELECT count(*) FROM export_codes").getInt() == 6000);
}
