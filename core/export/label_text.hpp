#pragma once
// The text lines of a label: fitted to their width (shrunk, then cut with an ellipsis), converted to
// glyphs once, and remembered per line position, because product, machine and expiry lines repeat
// from label to label and measuring and emitting text is most of an export's cairo time.
#include <cairo.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace core::exporter::detail {

struct TextLine {
    std::string text;
    double weight;  // relative font size
    bool bold;
    bool mayShorten;  // false: shrink until it fits (the code and expiry are never cut)
};

// A line converted to glyphs at the origin (baseline y = 0), with the clusters that give a PDF its
// text layer (copy, search, pdftotext).
struct ShapedText {
    std::string utf8;
    std::vector<cairo_glyph_t> glyphs;
    std::vector<cairo_text_cluster_t> clusters;
    cairo_text_cluster_flags_t flags{};
    double width = 0;  // advance, as cairo_text_extents gives it
};

// A line as drawn: the text (maybe cut, with an ellipsis) and its font size.
struct FittedText {
    ShapedText shaped;
    double fontSize = 0;
};

// Shrinks the font to fit `width` (down to 70 % when the text may be shortened), then shortens
// the text with an ellipsis. Uses the context's current font face; leaves the font size set.
FittedText fitText(cairo_t* cr, std::string text, double size, double width, bool mayShorten);

// Draws label lines, one slot per line position. Not thread-safe: one per painter, one painter per thread.
class LineWriter {
public:
    LineWriter();
    ~LineWriter();
    LineWriter(const LineWriter&) = delete;
    LineWriter& operator=(const LineWriter&) = delete;

    // Fits `line` (font size `size`, at most `width` wide) in the current font face and draws it
    // with its baseline at y, from x or centred in [x, x + width]. A line equal to the previous
    // label's at this position reuses that fit and its glyphs.
    void draw(cairo_t* cr, std::size_t position, const TextLine& line, double size, double x, double baseline,
              double width, bool centred);

private:
    struct Slot;
    std::vector<std::unique_ptr<Slot>> m_slots;
};

}  // namespace core::exporter::detail
