#include "core/export/qr_draw.hpp"

#include <cairo.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace core::exporter {
namespace {

// cairo's A1 format packs pixels into native-endian 32-bit words, first pixel in the low bit on
// little-endian machines and in the high bit on big-endian ones.
std::uint32_t a1Bit(int x) {
    const int bit = x & 31;
    return std::endian::native == std::endian::little ? 1u << bit : 1u << (31 - bit);
}

// Sets the dark modules of `qr` in an A1 image whose top-left module is at (left, top).
void blit(const QrMatrix& qr, unsigned char* data, int stride, int left, int top) {
    for (int y = 0; y < qr.size; ++y) {
        unsigned char* row = data + static_cast<std::ptrdiff_t>(top + y) * stride;
        for (int x = 0; x < qr.size; ++x) {
            if (!qr.dark(x, y)) continue;
            const int px = left + x;
            std::uint32_t word;
            std::memcpy(&word, row + px / 32 * 4, sizeof word);
            word |= a1Bit(px);
            std::memcpy(row + px / 32 * 4, &word, sizeof word);
        }
    }
}

void drawRectangles(cairo_t* cr, const QrMatrix& qr, double x0, double y0, double module) {
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (const ModuleRect& r : darkRectangles(qr)) {
        cairo_rectangle(cr, x0 + r.x * module, y0 + r.y * module, r.w * module, r.h * module);
    }
    cairo_fill(cr);
    cairo_restore(cr);
}

// Blank modules around each symbol in the shared image. A viewer rasterises the clip around a
// symbol in its own way (antialiased, or rounded outwards by a pixel); the border makes sure what
// falls inside the clip's edge is blank, never the first row of the neighbouring symbol.
constexpr int kBorder = 1;
static_assert(kBorder <= kQuietZoneModules, "the clip must stay inside the quiet zone");

}  // namespace

QrSymbols::QrSymbols(std::vector<QrMatrix> symbols, bool vectors) : m_symbols(std::move(symbols)) {
    if (vectors || m_symbols.empty()) return;
    for (const auto& s : m_symbols) m_cell = std::max(m_cell, s.size + 2 * kBorder);
    // A near-square grid keeps the image within cairo's 32767-pixel limit for any page.
    const auto count = static_cast<int>(m_symbols.size());
    m_columns = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(count))));
    const int rows = (count + m_columns - 1) / m_columns;
    cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_A1, m_columns * m_cell, rows * m_cell);
    if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(image);
        return;  // rectangles still draw exactly the same symbols
    }
    cairo_surface_flush(image);
    unsigned char* data = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    for (int i = 0; i < count; ++i) {
        blit(m_symbols[static_cast<std::size_t>(i)], data, stride, i % m_columns * m_cell + kBorder,
             i / m_columns * m_cell + kBorder);
    }
    cairo_surface_mark_dirty(image);
    m_image = image;
}

QrSymbols::~QrSymbols() {
    if (m_image) cairo_surface_destroy(m_image);
}

void QrSymbols::draw(cairo_t* cr, std::size_t index, double x, double y, double side) const {
    const QrMatrix& qr = m_symbols.at(index);
    const double module = side / (qr.size + 2 * kQuietZoneModules);
    const double x0 = x + kQuietZoneModules * module;
    const double y0 = y + kQuietZoneModules * module;
    if (!m_image) {
        drawRectangles(cr, qr, x0, y0, module);
        return;
    }
    const auto i = static_cast<int>(index);
    cairo_save(cr);
    cairo_translate(cr, x0, y0);
    cairo_scale(cr, module, module);  // user unit = one module
    cairo_rectangle(cr, -kBorder, -kBorder, qr.size + 2 * kBorder, qr.size + 2 * kBorder);
    cairo_clip(cr);  // this symbol's cell only; its edge falls in the blank border, inside the quiet zone
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(m_image);
    cairo_pattern_set_filter(pattern, CAIRO_FILTER_NEAREST);  // hard module edges, never blurred
    cairo_matrix_t toCell;
    cairo_matrix_init_translate(&toCell, i % m_columns * m_cell + kBorder, i / m_columns * m_cell + kBorder);
    cairo_pattern_set_matrix(pattern, &toCell);
    cairo_mask(cr, pattern);
    cairo_pattern_destroy(pattern);
    cairo_restore(cr);
}

bool wantsVectorQr(cairo_t* cr, bool pdfVectors) {
    const cairo_surface_type_t type = cairo_surface_get_type(cairo_get_target(cr));
    return type == CAIRO_SURFACE_TYPE_SVG || (pdfVectors && type == CAIRO_SURFACE_TYPE_PDF);
}

std::vector<ModuleRect> darkRectangles(const QrMatrix& qr) {
    std::vector<ModuleRect> out;
    const auto n = static_cast<std::size_t>(qr.size);
    std::vector<int> open(n, -1), next(n, -1);  // by start column: the rectangle ending on the previous row
    for (int row = 0; row < qr.size; ++row) {
        std::fill(next.begin(), next.end(), -1);
        int col = 0;
        while (col < qr.size) {
            if (!qr.dark(col, row)) { ++col; continue; }
            const int start = col;
            while (col < qr.size && qr.dark(col, row)) ++col;
            int index = open[static_cast<std::size_t>(start)];
            if (index >= 0 && out[static_cast<std::size_t>(index)].w == col - start) {
                ++out[static_cast<std::size_t>(index)].h;  // the same run one row down: grow it
            } else {
                index = static_cast<int>(out.size());
                out.push_back({start, row, col - start, 1});
            }
            next[static_cast<std::size_t>(start)] = index;
        }
        open.swap(next);
    }
    return out;
}

}  // namespace core::exporter
