#include "core/export/sheet.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace core::exporter {

SheetLayout::SheetLayout(const SheetOptions& options)
    : m_perPage(options.sheet.labelsPerPage()), m_skip(options.sheet.roll ? 0 : options.startAt - 1) {}

int SheetLayout::pageCount(std::int64_t totalLabels) const {
    if (totalLabels <= 0) return 0;
    return static_cast<int>((totalLabels + m_skip + m_perPage - 1) / m_perPage);
}

std::int64_t SheetLayout::firstLabel(int page) const {
    return page == 0 ? 0 : static_cast<std::int64_t>(page) * m_perPage - m_skip;
}

int SheetLayout::labelsOnPage(int page, std::int64_t totalLabels) const {
    const std::int64_t left = totalLabels - firstLabel(page);
    const std::int64_t room = m_perPage - firstSlot(page);
    return static_cast<int>(std::max<std::int64_t>(0, std::min(left, room)));
}

Status validateSheetOptions(const SheetOptions& options) {
    if (auto ok = validateTemplate(options.sheet); !ok) return ok;
    const int per = options.sheet.labelsPerPage();
    if (options.startAt < 1 || (!options.sheet.roll && options.startAt > per)) {
        return makeError(ErrorCode::InvalidInput, "Start label " + std::to_string(options.startAt) + " is outside the sheet; " +
                                                      "template '" + options.sheet.name + "' has labels 1 to " +
                                                      std::to_string(per) + ".");
    }
    if (std::abs(options.offset.xMm) > 20 || std::abs(options.offset.yMm) > 20) {
        return makeError(ErrorCode::InvalidInput, "Calibration offsets must be within ±20 mm; measure the test page again.");
    }
    return {};
}

PagePainter::PagePainter(SheetOptions options, std::unique_ptr<LabelPainter> labels)
    : m_options(std::move(options)), m_labels(std::move(labels)) {}

Result<std::unique_ptr<PagePainter>> PagePainter::create(const SheetOptions& options) {
    if (auto ok = validateSheetOptions(options); !ok) return ok.error();
    auto labels = LabelPainter::create(options.style);
    if (!labels) return labels.error();
    return std::unique_ptr<PagePainter>(new PagePainter(options, std::move(*labels)));
}

Status PagePainter::paintPage(cairo_t* cr, const std::vector<LabelData>& labels, int firstSlot) const {
    const SheetTemplate& t = m_options.sheet;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_restore(cr);
    const auto count =
        static_cast<std::size_t>(std::clamp(t.labelsPerPage() - firstSlot, 0, static_cast<int>(labels.size())));
    std::vector<QrMatrix> symbols;  // the whole page's QRs first: they share one image (qr_draw.hpp)
    symbols.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        auto qr = m_labels->encode(labels[i]);
        if (!qr) return qr.error();
        symbols.push_back(std::move(*qr));
    }
    const QrSymbols qr(std::move(symbols), wantsVectorQr(cr, m_options.pdfVectorQr));
    for (std::size_t i = 0; i < count; ++i) {
        const Rect box = t.labelRect(firstSlot + static_cast<int>(i), m_options.offset);
        if (m_options.outlines) {
            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
            cairo_set_line_width(cr, 0.1);
            cairo_rectangle(cr, box.x, box.y, box.w, box.h);
            cairo_stroke(cr);
            cairo_restore(cr);
        }
        m_labels->paint(cr, box, labels[i], qr, i);
    }
    if (m_options.cropMarks) paintCropMarks(cr);
    return {};
}

// Marks sit outside the label grid, in the page margins, in line with every label edge.
void PagePainter::paintCropMarks(cairo_t* cr) const {
    const SheetTemplate& t = m_options.sheet;
    const Rect first = t.labelRect(0, m_options.offset);
    const Rect last = t.labelRect(t.labelsPerPage() - 1, m_options.offset);
    const double left = first.x, top = first.y, right = last.x + last.w, bottom = last.y + last.h;
    constexpr double kGap = 1.0, kLen = 4.0;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.15);
    auto line = [&](double x1, double y1, double x2, double y2) {
        cairo_move_to(cr, x1, y1);
        cairo_line_to(cr, x2, y2);
    };
    for (int c = 0; c < t.columns; ++c) {
        const Rect r = t.labelRect(c, m_options.offset);
        for (double x : {r.x, r.x + r.w}) {
            line(x, std::max(0.0, top - kGap - kLen), x, std::max(0.0, top - kGap));
            line(x, std::min(t.pageHeightMm, bottom + kGap), x, std::min(t.pageHeightMm, bottom + kGap + kLen));
        }
    }
    for (int row = 0; row < t.rows; ++row) {
        const Rect r = t.labelRect(row * t.columns, m_options.offset);
        for (double y : {r.y, r.y + r.h}) {
            line(std::max(0.0, left - kGap - kLen), y, std::max(0.0, left - kGap), y);
            line(std::min(t.pageWidthMm, right + kGap), y, std::min(t.pageWidthMm, right + kGap + kLen), y);
        }
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void PagePainter::paintCalibrationPage(cairo_t* cr) const {
    const SheetTemplate& t = m_options.sheet;
    cairo_save(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_select_font_face(cr, m_options.style.fontFamily.c_str(), CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    // Ruler: a tick every mm along the top and left edges, longer every 5 and 10 mm, numbered in cm.
    cairo_set_line_width(cr, 0.1);
    cairo_set_font_size(cr, 2.2);
    for (int mm = 0; mm <= static_cast<int>(t.pageWidthMm); ++mm) {
        const double len = mm % 10 == 0 ? 4.0 : mm % 5 == 0 ? 2.5 : 1.5;
        cairo_move_to(cr, mm, 0);
        cairo_line_to(cr, mm, len);
        if (mm % 10 == 0 && mm > 0) {
            cairo_move_to(cr, mm + 0.4, 6.0);
            cairo_show_text(cr, std::to_string(mm / 10).c_str());
        }
    }
    for (int mm = 0; mm <= static_cast<int>(t.pageHeightMm); ++mm) {
        const double len = mm % 10 == 0 ? 4.0 : mm % 5 == 0 ? 2.5 : 1.5;
        cairo_move_to(cr, 0, mm);
        cairo_line_to(cr, len, mm);
        if (mm % 10 == 0 && mm > 0) {
            cairo_move_to(cr, 4.6, mm + 0.8);
            cairo_show_text(cr, std::to_string(mm / 10).c_str());
        }
    }
    cairo_stroke(cr);
    // Label outlines with the slot number, where the labels will be printed (offset applied).
    cairo_set_line_width(cr, 0.2);
    for (int slot = 0; slot < t.labelsPerPage(); ++slot) {
        const Rect r = t.labelRect(slot, m_options.offset);
        cairo_rectangle(cr, r.x, r.y, r.w, r.h);
        cairo_move_to(cr, r.x + 1.5, r.y + 4);
        cairo_show_text(cr, std::to_string(slot + 1).c_str());
    }
    cairo_stroke(cr);
    char info[160];
    std::snprintf(info, sizeof info, "%s  offset x %+.1f mm, y %+.1f mm", t.name.c_str(), m_options.offset.xMm,
                  m_options.offset.yMm);
    cairo_set_font_size(cr, 3);
    cairo_move_to(cr, 10, t.pageHeightMm - 3);
    cairo_show_text(cr, info);
    cairo_restore(cr);
}

int pagePixels(double mm, double pxPerMm) { return static_cast<int>(std::ceil(mm * pxPerMm - 1e-6)); }

Result<RgbaImage> renderPageImage(const PagePainter& painter, const std::vector<LabelData>& labels, int firstSlot,
                                  double pxPerMm, bool calibration) {
    const SheetTemplate& t = painter.options().sheet;
    RgbaImage image;
    image.width = pagePixels(t.pageWidthMm, pxPerMm);
    image.height = pagePixels(t.pageHeightMm, pxPerMm);
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
    cairo_t* cr = cairo_create(surface);
    cairo_scale(cr, pxPerMm, pxPerMm);
    Status painted;
    if (calibration) painter.paintCalibrationPage(cr);
    else painted = painter.paintPage(cr, labels, firstSlot);
    cairo_destroy(cr);
    cairo_surface_flush(surface);
    if (!painted) {
        cairo_surface_destroy(surface);
        return painted.error();
    }
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    image.pixels.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 4);
    std::size_t out = 0;
    for (int y = 0; y < image.height; ++y) {
        // RGB24 pixels are native-endian 32-bit words 0x00RRGGBB.
        const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
        for (int x = 0; x < image.width; ++x) {
            const std::uint32_t px = row[x];
            image.pixels[out++] = static_cast<std::uint8_t>(px >> 16);
            image.pixels[out++] = static_cast<std::uint8_t>(px >> 8);
            image.pixels[out++] = static_cast<std::uint8_t>(px);
            image.pixels[out++] = 255;
        }
    }
    cairo_surface_destroy(surface);
    return image;
}

}  // namespace core::exporter
