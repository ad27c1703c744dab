#pragma once
// Draws QR symbols with cairo, in the cheapest exact form for the target surface.
#include "core/export/qr.hpp"

#include <cstddef>
#include <vector>

using cairo_t = struct _cairo;
using cairo_surface_t = struct _cairo_surface;

namespace core::exporter {

// The symbols of one page, ready to draw.
//   PDF, PNG and previews: all symbols in one 1-bit image, one pixel per module, in a grid of
//   cells; each label shows its cell, clipped, scaled with the nearest filter. A PDF gets one
//   /ImageMask (/Interpolate false) per page and about 80 content bytes per symbol instead of
//   ~9 KB of path (far less to format and deflate); module edges stay exact at any zoom or
//   resolution, and cairo keeps one image per page, not per code, until the file is finished
//   (memory stays flat over 100,000 codes; docs/BENCHMARKS.md, "QR sheets").
//   SVG: vector rectangles, because SVG viewers smooth scaled images and the SVG must stay a
//   vector drawing.
class QrSymbols {
public:
    QrSymbols(std::vector<QrMatrix> symbols, bool vectors);
    ~QrSymbols();
    QrSymbols(const QrSymbols&) = delete;
    QrSymbols& operator=(const QrSymbols&) = delete;

    // Draws symbol `index` in black in the square (x, y, side) in user units; the quiet zone
    // (kQuietZoneModules on each side, inside the square) is left untouched.
    void draw(cairo_t* cr, std::size_t index, double x, double y, double side) const;
    std::size_t size() const { return m_symbols.size(); }

private:
    std::vector<QrMatrix> m_symbols;
    cairo_surface_t* m_image = nullptr;  // null: rectangles (SVG, or no memory for the image)
    int m_cell = 0;                      // cell side in the image, in modules (symbol + blank border)
    int m_columns = 1;                   // cells per image row
};

// True when QR symbols on this context are drawn as vectors: always on an SVG surface, on a PDF
// surface when `pdfVectors` is set.
bool wantsVectorQr(cairo_t* cr, bool pdfVectors);

// The rectangles (in modules) drawn for the vector form: horizontal runs of dark modules, with a
// run on the same columns of the next row merged into it. Their union is exactly the dark modules.
struct ModuleRect {
    int x, y, w, h;
    bool operator==(const ModuleRect&) const = default;
};
std::vector<ModuleRect> darkRectangles(const QrMatrix& qr);

}  // namespace core::exporter
