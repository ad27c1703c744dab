#include "core/export/label_text.hpp"

#include <algorithm>
#include <cmath>

namespace core::exporter::detail {
namespace {

// Drops the last UTF-8 character (continuation bytes first).
void popUtf8(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
}

ShapedText shape(cairo_t* cr, std::string text) {
    ShapedText out;
    out.utf8 = std::move(text);
    cairo_glyph_t* glyphs = nullptr;
    cairo_text_cluster_t* clusters = nullptr;
    int glyphCount = 0, clusterCount = 0;
    if (cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, out.utf8.data(),
                                         static_cast<int>(out.utf8.size()), &glyphs, &glyphCount, &clusters,
                                         &clusterCount, &out.flags) == CAIRO_STATUS_SUCCESS) {
        out.glyphs.assign(glyphs, glyphs + glyphCount);
        out.clusters.assign(clusters, clusters + clusterCount);
        cairo_text_extents_t ext;
        cairo_glyph_extents(cr, glyphs, glyphCount, &ext);
        out.width = ext.x_advance;
    }
    cairo_glyph_free(glyphs);
    cairo_text_cluster_free(clusters);
    return out;
}

// Draws `text` with its origin at (x, y) in the current font (what cairo_show_text does, minus
// converting the text again).
void showShaped(cairo_t* cr, const ShapedText& text, double x, double y) {
    std::vector<cairo_glyph_t> placed = text.glyphs;
    for (auto& g : placed) {
        g.x += x;
        g.y += y;
    }
    cairo_show_text_glyphs(cr, text.utf8.data(), static_cast<int>(text.utf8.size()), placed.data(),
                           static_cast<int>(placed.size()), text.clusters.data(),
                           static_cast<int>(text.clusters.size()), text.flags);
}

}  // namespace

FittedText fitText(cairo_t* cr, std::string text, double size, double width, bool mayShorten) {
    cairo_set_font_size(cr, size);
    ShapedText whole = shape(cr, std::move(text));
    if (whole.width <= width) return {std::move(whole), size};
    const double fitted = size * width / whole.width * 0.999;
    const double fontSize = mayShorten ? std::max(size * 0.7, fitted) : fitted;
    cairo_set_font_size(cr, fontSize);
    ShapedText shrunk = shape(cr, std::move(whole.utf8));
    if (!mayShorten || shrunk.width <= width) return {std::move(shrunk), fontSize};
    std::string cut = std::move(shrunk.utf8);
    ShapedText shortened = shape(cr, cut + "\u2026");
    while (!cut.empty() && shortened.width > width) {
        popUtf8(cut);
        shortened = shape(cr, cut + "\u2026");
    }
    return {std::move(shortened), fontSize};
}

// What a fit depends on besides the text: font, sizes, and the device (a bitmap hints advances
// to its pixels, so the same painter previewing at another zoom must measure again).
struct FitKey {
    cairo_font_face_t* face = nullptr;  // identity only (the painter owns the faces)
    cairo_surface_type_t device{};
    double pixelsPerUnit = 0, size = 0, width = 0;
    bool mayShorten = false;

    static FitKey of(cairo_t* cr, const TextLine& line, double size, double width) {
        double dx = 1, dy = 0;
        cairo_user_to_device_distance(cr, &dx, &dy);
        return {cairo_get_font_face(cr), cairo_surface_get_type(cairo_get_target(cr)), std::hypot(dx, dy), size, width,
                line.mayShorten};
    }
    bool operator==(const FitKey& o) const {
        // Label boxes in other columns give the same sizes up to rounding (x + w computed per column).
        auto near = [](double a, double b) { return std::abs(a - b) < 1e-6; };
        return face == o.face && device == o.device && near(pixelsPerUnit, o.pixelsPerUnit) && near(size, o.size) &&
               near(width, o.width) && mayShorten == o.mayShorten;
    }
};

// The last line drawn at one position: what it was fitted from, and the fit.
struct LineWriter::Slot {
    std::string text;
    FitKey key;
    FittedText fitted;
};

LineWriter::LineWriter() = default;
LineWriter::~LineWriter() = default;

void LineWriter::draw(cairo_t* cr, std::size_t position, const TextLine& line, double size, double x, double baseline,
                      double width, bool centred) {
    if (m_slots.size() <= position) m_slots.resize(position + 1);
    auto& slot = m_slots[position];
    const FitKey key = FitKey::of(cr, line, size, width);
    if (!slot || slot->text != line.text || !(slot->key == key)) {
        slot = std::make_unique<Slot>(Slot{line.text, key, fitText(cr, line.text, size, width, line.mayShorten)});
    }
    const ShapedText& shown = slot->fitted.shaped;
    cairo_set_font_size(cr, slot->fitted.fontSize);
    showShaped(cr, shown, centred ? x + (width - shown.width) / 2 : x, baseline);
}

}  // namespace core::exporter::detail
