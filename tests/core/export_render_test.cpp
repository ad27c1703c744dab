// QR sheets end to end: export real PDF/PNG/SVG files, rasterise them like a printer would, cut
// every label out of the page and decode it with zbarimg. Each slot must hold exactly its code.
#include "tests/core/export_scan_support.hpp"
#include "tests/support/temp_dir.hpp"

#include "core/export/exporter.hpp"

#include <cairo.h>
#include <doctest/doctest.h>

#include <cmath>

using namespace core::exporter;
using namespace exporttest;

namespace {

SheetOptions optionsFor(const std::string& name) {
    auto t = findTemplate(name);
    REQUIRE_MESSAGE(t.ok(), (t.ok() ? "" : t.error().message));
    SheetOptions o;
    o.sheet = *t;
    return o;
}

// The QR text each slot of each page must show ("" = empty slot).
std::vector<std::vector<std::string>> expectedSlots(const SheetOptions& o, const std::vector<LabelData>& labels,
                                                    const std::string& payload = "") {
    const SheetLayout layout(o);
    const auto total = static_cast<std::int64_t>(labels.size());
    std::vector<std::vector<std::string>> pages;
    for (int p = 0; p < layout.pageCount(total); ++p) {
        std::vector<std::string> slots(static_cast<std::size_t>(layout.perPage()));
        for (int i = 0; i < layout.labelsOnPage(p, total); ++i) {
            slots[static_cast<std::size_t>(layout.firstSlot(p) + i)] =
                expandPayload(payload, labels[static_cast<std::size_t>(layout.firstLabel(p) + i)].code);
        }
        pages.push_back(std::move(slots));
    }
    return pages;
}

// Crops every slot of every page image and decodes it; compares slot by slot.
void checkPages(const std::vector<std::string>& pageImages, double pxPerMm, const SheetOptions& o,
                const std::vector<std::vector<std::string>>& expected, const std::string& dir) {
    REQUIRE(pageImages.size() == expected.size());
    std::vector<Rect> rects;
    for (int slot = 0; slot < o.sheet.labelsPerPage(); ++slot) rects.push_back(o.sheet.labelRect(slot, o.offset));
    std::size_t codes = 0;
    for (std::size_t p = 0; p < pageImages.size(); ++p) {
        const auto tiles = cropTiles(pageImages[p], rects, pxPerMm, dir, "tile-p" + std::to_string(p));
        const auto decoded = decodeTiles(tiles);
        CHECK_MESSAGE(decoded == expected[p], "page " << p + 1);
        for (const auto& s : expected[p]) codes += s.empty() ? 0 : 1;
    }
    MESSAGE(o.sheet.name << ": " << codes << " QR codes decoded on " << pageImages.size() << " page(s)");
}

int pdfPages(const std::string& pdf) {
    auto r = testsupport::runProcess({"pdfinfo", pdf});
    REQUIRE(r.exitCode == 0);
    const auto pos = r.out.find("Pages:");
    REQUIRE(pos != std::string::npos);
    return std::stoi(r.out.substr(pos + 6));
}

ExportSummary exportOk(const std::vector<LabelData>& labels, const ExportOptions& options) {
    VectorCodeSource source(labels);
    auto r = runExport(source, options);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().message));
    return *r;
}

}  // namespace

static void checkTemplatePdf(const char* name, bool vectorQr = false) {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor(name);
    o.sheet.pdfVectorQr = vectorQr;
    o.format = Format::Pdf;
    o.outPath = dir.file("sheet.pdf");
    const int n = o.sheet.sheet.roll ? 3 : o.sheet.sheet.labelsPerPage() + 5;  // two pages, the second partly used
    const auto labels = sampleLabels(n, n);
    const auto summary = exportOk(labels, o);
    const int pages = o.sheet.sheet.roll ? 3 : 2;
    CHECK(summary.pages == pages);
    CHECK(summary.labels == n);
    CHECK(summary.files == std::vector<std::string>{o.outPath});
    CHECK(pdfPages(o.outPath) == pages);
    const auto images = rasterizePdf(o.outPath, dir.path(), 150);
    checkPages(images, 150 / 25.4, o.sheet, expectedSlots(o.sheet, labels), dir.path());
}

// Every built-in template: the PDF, rasterised by pdftoppm at 150 dpi, scans back to exactly its codes.
TEST_CASE("export: a4-3x8 PDF scans back to exactly its codes") { checkTemplatePdf("a4-3x8"); }
TEST_CASE("export: a4-4x10 PDF scans back to exactly its codes") { checkTemplatePdf("a4-4x10"); }
TEST_CASE("export: letter-3x10 PDF scans back to exactly its codes") { checkTemplatePdf("letter-3x10"); }
TEST_CASE("export: roll-58 PDF scans back to exactly its codes") { checkTemplatePdf("roll-58"); }
TEST_CASE("export: roll-80 PDF scans back to exactly its codes") { checkTemplatePdf("roll-80"); }
TEST_CASE("export: a4-4x10 PDF with vector QR codes scans back to exactly its codes") {
    checkTemplatePdf("a4-4x10", true);
}

TEST_CASE("export: start at label N and a calibration offset move the codes where they belong") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("a4-3x8");
    o.sheet.startAt = 7;
    o.sheet.offset = {2.5, -1.5};
    o.sheet.cropMarks = true;
    o.outPath = dir.file("offset.pdf");
    const auto labels = sampleLabels(20, 3);
    CHECK(exportOk(labels, o).pages == 2);  // 6 skipped + 20 = 26 slots
    const auto expected = expectedSlots(o.sheet, labels);
    CHECK(expected[0][5].empty());
    CHECK(expected[0][6] == labels[0].code);
    CHECK(expected[1][1] == labels[19].code);
    checkPages(rasterizePdf(o.outPath, dir.path(), 150), 150 / 25.4, o.sheet, expected, dir.path());
}

TEST_CASE("export: the offset shifts the printed QR by exactly that many millimetres (PNG, 300 dpi)") {
    testsupport::TempDir dir;
    const auto labels = sampleLabels(1, 5);
    auto firstDarkPixel = [&](Offset offset, const std::string& name) {
        ExportOptions o;
        o.sheet = optionsFor("a4-3x8");
        o.sheet.offset = offset;
        o.format = Format::Png;
        o.outPath = dir.file(name);
        exportOk(labels, o);
        cairo_surface_t* s = cairo_image_surface_create_from_png(pageFilePath(o.outPath, 1).c_str());
        REQUIRE(cairo_surface_status(s) == CAIRO_STATUS_SUCCESS);
        const auto* data = cairo_image_surface_get_data(s);
        const int stride = cairo_image_surface_get_stride(s);
        int minX = 1 << 30, minY = 1 << 30;
        for (int y = 0; y < cairo_image_surface_get_height(s); ++y) {
            const auto* row = reinterpret_cast<const std::uint32_t*>(data + y * stride);
            for (int x = 0; x < cairo_image_surface_get_width(s); ++x) {
                if ((row[x] & 0xff) < 128) { minX = std::min(minX, x); minY = std::min(minY, y); }
            }
        }
        cairo_surface_destroy(s);
        return std::pair{minX, minY};
    };
    const auto base = firstDarkPixel({0, 0}, "base.png");
    const auto moved = firstDarkPixel({3.0, 2.0}, "moved.png");
    const double px = 300 / 25.4;
    CHECK(std::abs(moved.first - base.first - 3.0 * px) <= 1.0);  // within one pixel (0.085 mm)
    CHECK(std::abs(moved.second - base.second - 2.0 * px) <= 1.0);
}

TEST_CASE("export: PNG pages at 300 dpi decode, one file per page") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("letter-3x10");
    o.sheet.startAt = 29;
    o.format = Format::Png;
    o.outPath = dir.file("labels.png");
    const auto labels = sampleLabels(5, 7);
    const auto summary = exportOk(labels, o);
    REQUIRE(summary.files == std::vector<std::string>{dir.file("labels-1.png"), dir.file("labels-2.png")});
    cairo_surface_t* s = cairo_image_surface_create_from_png(summary.files[0].c_str());
    CHECK(cairo_image_surface_get_width(s) == 2550);  // 8.5 in at 300 dpi
    CHECK(cairo_image_surface_get_height(s) == 3300);
    cairo_surface_destroy(s);
    CHECK_FALSE(std::filesystem::exists(o.outPath));
    checkPages(summary.files, 300 / 25.4, o.sheet, expectedSlots(o.sheet, labels), dir.path());
}

TEST_CASE("export: SVG pages are vectors that decode after rasterising (rsvg-convert)") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("a4-4x10");
    o.format = Format::Svg;
    o.outPath = dir.file("sheet.svg");
    const auto labels = sampleLabels(43, 11);
    const auto summary = exportOk(labels, o);
    REQUIRE(summary.files.size() == 2);
    const std::string svg = readFile(summary.files[0]);
    CHECK(svg.find("<svg") != std::string::npos);
    CHECK(svg.find("width=\"595.") != std::string::npos);  // 210 mm in points
    CHECK(svg.find("<image") == std::string::npos);        // no bitmaps: QR and glyphs are paths
    std::vector<std::string> images;
    const double pxPerMm = 150 / 25.4;
    for (std::size_t i = 0; i < summary.files.size(); ++i) {
        images.push_back(rasterizeSvg(summary.files[i], dir.file("svg-" + std::to_string(i) + ".png"),
                                      pagePixels(210, pxPerMm), pagePixels(297, pxPerMm)));
    }
    checkPages(images, pxPerMm, o.sheet, expectedSlots(o.sheet, labels), dir.path());
}

TEST_CASE("export: the PDF embeds a font with CJK glyphs") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("a4-3x8");
    o.outPath = dir.file("cjk.pdf");
    exportOk(sampleLabels(5), o);
    auto r = testsupport::runProcess({"pdffonts", o.outPath});
    REQUIRE(r.exitCode == 0);
    INFO(r.out);
    bool embeddedCjk = false;
    std::size_t pos = 0;
    while ((pos = r.out.find("WenQuanYi", pos)) != std::string::npos) {
        const std::string line = r.out.substr(pos, r.out.find('\n', pos) - pos);
        if (line.find("CID") != std::string::npos && line.find("yes") != std::string::npos) embeddedCjk = true;
        ++pos;
    }
    CHECK(embeddedCjk);
    auto text = testsupport::runProcess({"pdftotext", o.outPath, "-"});
    CHECK(text.out.find("可口可乐") != std::string::npos);
    CHECK(text.out.find("康师傅红烧牛肉面") != std::string::npos);
    CHECK(text.out.find("No expiry") != std::string::npos);
    CHECK(text.out.find("Expires 2026-12-24 06:00") != std::string::npos);  // code 1: 11:00 UTC in New York
}

TEST_CASE("export: URL payload template, error level H, header and field toggles") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("a4-3x8");
    o.sheet.style.payloadTemplate = "https://x.example/p?c={code}&v=1";
    o.sheet.style.ecLevel = EcLevel::H;
    o.sheet.style.headerText = "扫码取货 Scan to collect";
    o.sheet.style.fields.machine = false;
    o.outPath = dir.file("url.pdf");
    const auto labels = sampleLabels(4, 2);
    exportOk(labels, o);
    checkPages(rasterizePdf(o.outPath, dir.path(), 150), 150 / 25.4, o.sheet,
               expectedSlots(o.sheet, labels, o.sheet.style.payloadTemplate), dir.path());
    auto text = testsupport::runProcess({"pdftotext", o.outPath, "-"});
    CHECK(text.out.find("扫码取货") != std::string::npos);
    CHECK(text.out.find("16327138") == std::string::npos);  // machine line switched off
}

TEST_CASE("export: the preview image is the same page the export writes") {
    testsupport::TempDir dir;
    SheetOptions o = optionsFor("a4-3x8");
    o.startAt = 2;
    auto painter = PagePainter::create(o);
    REQUIRE(painter.ok());
    const auto labels = sampleLabels(3, 9);
    const double pxPerMm = 6;
    auto image = renderPageImage(**painter, labels, 1, pxPerMm);
    REQUIRE(image.ok());
    CHECK(image->width == 1260);
    CHECK(image->height == 1782);
    CHECK(image->pixels.size() == std::size_t{1260} * 1782 * 4);
    // Write the RGBA pixels to a PNG with cairo and decode its tiles.
    cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image->width, image->height);
    auto* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < image->height; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(data + y * stride);
        for (int x = 0; x < image->width; ++x) {
            const auto* px = &image->pixels[(static_cast<std::size_t>(y) * image->width + x) * 4];
            row[x] = (std::uint32_t{px[0]} << 16) | (std::uint32_t{px[1]} << 8) | px[2];
        }
    }
    cairo_surface_mark_dirty(s);
    const std::string png = dir.file("preview.png");
    REQUIRE(cairo_surface_write_to_png(s, png.c_str()) == CAIRO_STATUS_SUCCESS);
    cairo_surface_destroy(s);
    checkPages({png}, pxPerMm, o, expectedSlots(o, labels), dir.path());
    auto calibration = renderPageImage(**painter, {}, 0, 2, true);
    REQUIRE(calibration.ok());
    CHECK(calibration->width == 420);
}

TEST_CASE("export: the calibration page is one page with the template's outlines") {
    testsupport::TempDir dir;
    ExportOptions o;
    o.sheet = optionsFor("a4-4x10");
    o.sheet.offset = {1.0, -0.5};
    o.calibrationPage = true;
    o.outPath = dir.file("calibrate.pdf");
    VectorCodeSource empty({});
    auto r = runExport(empty, o);
    REQUIRE(r.ok());
    CHECK(r->pages == 1);
    CHECK(pdfPages(o.outPath) == 1);
    auto text = testsupport::runProcess({"pdftotext", o.outPath, "-"});
    CHECK(text.out.find("a4-4x10") != std::string::npos);
    CHECK(text.out.find("+1.0 mm") != std::string::npos);
    CHECK(text.out.find("40") != std::string::npos);  // slot numbers up to 40
}
