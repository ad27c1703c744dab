// QR drawing (core/export/qr_draw): a page's symbols share one 1-bit image (PDF, PNG, preview) or
// are drawn as merged rectangles (SVG); both must put every module exactly where it belongs.
#include "tests/core/export_scan_support.hpp"
#include "tests/support/temp_dir.hpp"

#include "core/export/exporter.hpp"
#include "core/export/qr_draw.hpp"

#include <cairo.h>
#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace core::exporter;

namespace {

// Symbols of several versions (21 to 41 modules): short codes, a URL, a longer text.
std::vector<QrMatrix> sampleSymbols() {
    const std::vector<std::pair<std::string, EcLevel>> payloads = {
        {"10000000", EcLevel::M},
        {"https://x.example/p?c=10007919&v=1", EcLevel::H},
        {"98765432", EcLevel::L},
        {"取货码 10015838 / pickup code, valid until 2026-12-24 18:00", EcLevel::Q},
        {"10023757", EcLevel::M},
    };
    std::vector<QrMatrix> out;
    for (const auto& [text, level] : payloads) {
        auto qr = encodeQr(text, level);
        REQUIRE(qr.ok());
        out.push_back(*qr);
    }
    return out;
}

constexpr int kPxPerModule = 3;
constexpr int kSide = 41 + 2 * kQuietZoneModules;  // cells big enough for the largest sample

// Draws every symbol on a white RGB image, symbol i at cell (i, 0) of kSide modules, module =
// kPxPerModule pixels, so every module covers whole pixels.
cairo_surface_t* drawAll(const std::vector<QrMatrix>& symbols, bool vectors) {
    const int cellPx = kSide * kPxPerModule;
    cairo_surface_t* image =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, cellPx * static_cast<int>(symbols.size()), cellPx);
    cairo_t* cr = cairo_create(image);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    const QrSymbols qr(symbols, vectors);
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        // Each symbol fills its square: size + 2 quiet zones = side, so a module is kSide/(size+8) px wide.
        const double side = (symbols[i].size + 2.0 * kQuietZoneModules) * kPxPerModule;
        qr.draw(cr, i, static_cast<double>(i) * cellPx, 0, side);
    }
    cairo_destroy(cr);
    cairo_surface_flush(image);
    return image;
}

bool darkPixel(cairo_surface_t* image, int x, int y) {
    const auto* row =
        cairo_image_surface_get_data(image) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(image);
    std::uint32_t pixel;
    std::memcpy(&pixel, row + x * 4, sizeof pixel);
    return (pixel & 0xff) < 128;
}

// Every pixel of every symbol's square (quiet zone included) is dark exactly where its module is.
void checkModules(cairo_surface_t* image, const std::vector<QrMatrix>& symbols) {
    const int cellPx = kSide * kPxPerModule;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const QrMatrix& qr = symbols[i];
        const int modules = qr.size + 2 * kQuietZoneModules;
        int wrong = 0;
        for (int py = 0; py < cellPx; ++py) {
            for (int px = 0; px < cellPx; ++px) {
                const int mx = px / kPxPerModule - kQuietZoneModules, my = py / kPxPerModule - kQuietZoneModules;
                const bool inside = px < modules * kPxPerModule && py < modules * kPxPerModule && mx >= 0 && my >= 0 &&
                                    mx < qr.size && my < qr.size;
                const bool expected = inside && qr.dark(mx, my);
                if (darkPixel(image, static_cast<int>(i) * cellPx + px, py) != expected) ++wrong;
            }
        }
        CHECK_MESSAGE(wrong == 0, "symbol " << i << " (" << qr.size << " modules): " << wrong << " wrong pixels");
    }
}

}  // namespace

TEST_CASE("export QR drawing: merged rectangles cover exactly the dark modules, each once") {
    for (const QrMatrix& qr : sampleSymbols()) {
        std::vector<int> cover(qr.modules.size(), 0);
        int runs = 0;
        for (int y = 0; y < qr.size; ++y) {
            for (int x = 0; x < qr.size; ++x) runs += qr.dark(x, y) && (x == 0 || !qr.dark(x - 1, y));
        }
        const auto rects = darkRectangles(qr);
        for (const ModuleRect& r : rects) {
            for (int y = r.y; y < r.y + r.h; ++y) {
                for (int x = r.x; x < r.x + r.w; ++x) ++cover[static_cast<std::size_t>(y * qr.size + x)];
            }
        }
        for (std::size_t m = 0; m < cover.size(); ++m) REQUIRE(cover[m] == qr.modules[m]);  // dark: 1, light: 0
        CHECK(rects.size() < static_cast<std::size_t>(runs));  // finder patterns alone merge 3 x 8 runs
    }
}

TEST_CASE("export QR drawing: symbols of one shared 1-bit image land module for module, like the rectangles") {
    const auto symbols = sampleSymbols();
    cairo_surface_t* image = drawAll(symbols, false);
    cairo_surface_t* vectors = drawAll(symbols, true);
    checkModules(image, symbols);
    checkModules(vectors, symbols);
    cairo_surface_destroy(image);
    cairo_surface_destroy(vectors);
}

TEST_CASE("export QR drawing: a PDF holds one stencil image per page, not one per code, or only vectors") {
    testsupport::TempDir dir;
    ExportOptions o;
    auto sheet = findTemplate("a4-3x8");
    REQUIRE(sheet.ok());
    o.sheet.sheet = *sheet;
    o.outPath = dir.file("sheet.pdf");
    const auto labels = exporttest::sampleLabels(30);  // 24 + 6: two pages
    VectorCodeSource source(labels);
    auto summary = runExport(source, o);
    REQUIRE_MESSAGE(summary.ok(), (summary.ok() ? "" : summary.error().message));
    CHECK(summary->pages == 2);
    const std::string pdf = exporttest::readFile(o.outPath);
    std::size_t images = 0;
    for (auto p = pdf.find("/ImageMask true"); p != std::string::npos; p = pdf.find("/ImageMask true", p + 1)) ++images;
    CHECK(images == 2);
    CHECK(pdf.find("/Interpolate false") != std::string::npos);  // viewers must not smooth the modules

    o.sheet.pdfVectorQr = true;  // the vector form: no image at all, only paths
    o.outPath = dir.file("vector.pdf");
    VectorCodeSource again(labels);
    auto vector = runExport(again, o);
    REQUIRE(vector.ok());
    CHECK(vector->pages == 2);
    CHECK(exporttest::readFile(o.outPath).find("/ImageMask") == std::string::npos);
}
