#pragma once
// Helpers for the QR sheet tests: sample codes with Chinese product names, rasterising real
// exported pages (pdftoppm, rsvg-convert), cropping label tiles with cairo and decoding them with
// zbarimg. Header-only; used by tests/core/export_*_test.cpp.
#include "core/export/exporter.hpp"
#include "tests/support/process.hpp"

#include <cairo.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace exporttest {

namespace fs = std::filesystem;
using core::exporter::LabelData;
using core::exporter::Rect;

inline std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// n codes over two machines; every third never expires; Chinese and mixed product names.
inline std::vector<LabelData> sampleLabels(int n, int seed = 1) {
    static const char* kNames[] = {"可口可乐 330ml", "农夫山泉矿泉水 550ml", "康师傅红烧牛肉面", "Oreo 奥利奥, \"原味\"",
                                   "乐事薯片（黄瓜味）"};
    std::vector<LabelData> out;
    for (int i = 0; i < n; ++i) {
        LabelData l;
        l.machineNo = i % 2 ? "16327138" : "20240601";
        l.machineName = i % 2 ? "一号机 Lobby" : "";
        l.codeId = 1000 + i;
        l.code = std::to_string(10000000 + (static_cast<long long>(seed) * 7919 + i * 104729LL) % 89999999);
        l.productId = 30001 + i % 5;
        l.productName = kNames[i % 5];
        l.quantity = 1 + i % 2;
        l.status = "unused";
        if (i % 3 != 2) l.expiresUtc = 1798106400 + i * 3600;  // 2026-12-24 10:00 UTC + i hours
        l.timezone = i % 2 ? "America/New_York" : "Asia/Shanghai";
        out.push_back(l);
    }
    return out;
}

// Page PNGs pdftoppm wrote for `prefix`, in page order.
inline std::vector<std::string> pagePngs(const std::string& dir, const std::string& stem) {
    std::vector<std::pair<int, std::string>> pages;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(stem + "-", 0) != 0 || e.path().extension() != ".png") continue;
        pages.emplace_back(std::stoi(name.substr(stem.size() + 1)), e.path().string());
    }
    std::sort(pages.begin(), pages.end());
    std::vector<std::string> out;
    for (auto& p : pages) out.push_back(p.second);
    return out;
}

inline std::vector<std::string> rasterizePdf(const std::string& pdf, const std::string& dir, int dpi) {
    const std::string stem = "raster";
    auto r = testsupport::runProcess({"pdftoppm", "-r", std::to_string(dpi), "-gray", "-png", pdf, (fs::path(dir) / stem).string()},
                                     {}, {}, 120000);
    REQUIRE_MESSAGE(r.exitCode == 0, r.err);
    return pagePngs(dir, stem);
}

inline std::string rasterizeSvg(const std::string& svg, const std::string& png, int widthPx, int heightPx) {
    auto r = testsupport::runProcess({"rsvg-convert", "-w", std::to_string(widthPx), "-h", std::to_string(heightPx),
                                      "-b", "white", "-f", "png", "-o", png, svg});
    REQUIRE_MESSAGE(r.exitCode == 0, r.err);
    return png;
}

// Cuts `rects` (mm) out of a page image at pxPerMm into tile PNGs.
inline std::vector<std::string> cropTiles(const std::string& pagePng, const std::vector<Rect>& rects, double pxPerMm,
                                          const std::string& dir, const std::string& prefix) {
    cairo_surface_t* page = cairo_image_surface_create_from_png(pagePng.c_str());
    REQUIRE(cairo_surface_status(page) == CAIRO_STATUS_SUCCESS);
    std::vector<std::string> tiles;
    for (std::size_t i = 0; i < rects.size(); ++i) {
        const Rect& r = rects[i];
        const int w = static_cast<int>(r.w * pxPerMm), h = static_cast<int>(r.h * pxPerMm);
        cairo_surface_t* tile = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        cairo_t* cr = cairo_create(tile);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_paint(cr);
        cairo_set_source_surface(cr, page, -r.x * pxPerMm, -r.y * pxPerMm);
        cairo_paint(cr);
        cairo_destroy(cr);
        const std::string path = (fs::path(dir) / (prefix + "-" + std::to_string(i) + ".png")).string();
        REQUIRE(cairo_surface_write_to_png(tile, path.c_str()) == CAIRO_STATUS_SUCCESS);
        cairo_surface_destroy(tile);
        tiles.push_back(path);
    }
    cairo_surface_destroy(page);
    return tiles;
}

inline std::string xmlUnescape(std::string s) {
    const std::pair<std::string, std::string> kEntities[] = {{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
    for (const auto& [from, to] : kEntities) {
        for (std::size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
    }
    return s;
}

// The QR text found in each tile ("" when none), in one zbarimg run.
inline std::vector<std::string> decodeTiles(const std::vector<std::string>& tiles) {
    std::vector<std::string> argv{"zbarimg", "--quiet", "--nodbus", "--xml", "-Sdisable", "-Sqrcode.enable"};
    argv.insert(argv.end(), tiles.begin(), tiles.end());
    auto r = testsupport::runProcess(argv, {}, {}, 120000);
    REQUIRE_MESSAGE((r.exitCode == 0 || r.exitCode == 4), r.err);  // 4 = some image had no symbol
    std::vector<std::string> out(tiles.size());
    // <source href='PATH'> ... <data><![CDATA[TEXT]]></data> ... </source>
    std::size_t pos = 0;
    while ((pos = r.out.find("<source href='", pos)) != std::string::npos) {
        pos += 14;
        const std::string href = xmlUnescape(r.out.substr(pos, r.out.find('\'', pos) - pos));
        const std::size_t end = r.out.find("</source>", pos);
        const std::size_t data = r.out.find("<data><![CDATA[", pos);
        if (data == std::string::npos || data > end) continue;
        const std::size_t start = data + 15;
        const std::string text = r.out.substr(start, r.out.find("]]></data>", start) - start);
        const auto it = std::find(tiles.begin(), tiles.end(), href);
        if (it != tiles.end()) out[static_cast<std::size_t>(it - tiles.begin())] = text;
    }
    return out;
}

}  // namespace exporttest
