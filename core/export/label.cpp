#include "core/export/label.hpp"

#include "core/tz/machine_time.hpp"

#include <cairo.h>

#include <algorithm>
#include <vector>

namespace core::exporter {
namespace {

struct TextLine {
    std::string text;
    double weight;  // relative font size
    bool bold;
    bool mayShorten;  // false: shrink until it fits (the code and expiry are never cut)
};

// Drops the last UTF-8 character (continuation bytes first).
void popUtf8(std::string& s) {
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty()) s.pop_back();
}

double textWidth(cairo_t* cr, const std::string& text) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text.c_str(), &ext);
    return ext.x_advance;
}

// Shrinks the font to fit `width` (down to 70 % when the text may be shortened), then shortens
// the text with an ellipsis.
std::string fitText(cairo_t* cr, std::string text, double size, double width, bool mayShorten) {
    cairo_set_font_size(cr, size);
    const double w = textWidth(cr, text);
    if (w <= width) return text;
    const double fitted = size * width / w * 0.999;
    cairo_set_font_size(cr, mayShorten ? std::max(size * 0.7, fitted) : fitted);
    if (!mayShorten || textWidth(cr, text) <= width) return text;
    while (!text.empty() && textWidth(cr, text + "\u2026") > width) popUtf8(text);
    return text + "\u2026";
}

void drawQr(cairo_t* cr, const QrMatrix& qr, double x, double y, double side) {
    const double module = side / (qr.size + 2 * kQuietZoneModules);
    const double x0 = x + kQuietZoneModules * module;
    const double y0 = y + kQuietZoneModules * module;
    cairo_save(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    for (int row = 0; row < qr.size; ++row) {
        int col = 0;
        while (col < qr.size) {  // one rectangle per run of dark modules keeps files small
            if (!qr.dark(col, row)) { ++col; continue; }
            const int start = col;
            while (col < qr.size && qr.dark(col, row)) ++col;
            cairo_rectangle(cr, x0 + start * module, y0 + row * module, (col - start) * module, module);
        }
    }
    cairo_fill(cr);
    cairo_restore(cr);
}

}  // namespace

std::string expiryText(const LabelData& label) {
    if (!label.expiresUtc) return "No expiry";
    std::string local = tz::formatInZone(*label.expiresUtc, label.timezone);
    if (local.size() == 19 && local.ends_with(":00")) local.resize(16);  // seconds only when they matter
    return "Expires " + local;
}

std::string machineText(const LabelData& label) {
    if (label.machineName.empty() || label.machineName == label.machineNo) return "Machine " + label.machineNo;
    return label.machineNo + " " + label.machineName;  // the number first: a long name gets cut, not it
}

struct LabelPainter::Impl {
    cairo_font_face_t* regular = nullptr;
    cairo_font_face_t* bold = nullptr;
    cairo_surface_t* logo = nullptr;
    ~Impl() {
        if (regular) cairo_font_face_destroy(regular);
        if (bold) cairo_font_face_destroy(bold);
        if (logo) cairo_surface_destroy(logo);
    }
};

LabelPainter::LabelPainter(std::unique_ptr<Impl> impl, LabelStyle style)
    : m_impl(std::move(impl)), m_style(std::move(style)) {}
LabelPainter::~LabelPainter() = default;

Result<std::unique_ptr<LabelPainter>> LabelPainter::create(const LabelStyle& style) {
    auto impl = std::make_unique<Impl>();
    const char* family = style.fontFamily.c_str();
    impl->regular = cairo_toy_font_face_create(family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    impl->bold = cairo_toy_font_face_create(family, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    if (!style.logoPngPath.empty()) {
        impl->logo = cairo_image_surface_create_from_png(style.logoPngPath.c_str());
        if (cairo_surface_status(impl->logo) != CAIRO_STATUS_SUCCESS) {
            return makeError(ErrorCode::InvalidInput, "Could not read the logo '" + style.logoPngPath + "' (" +
                                                          cairo_status_to_string(cairo_surface_status(impl->logo)) +
                                                          "). Give a PNG file, or leave the logo out.");
        }
    }
    if (auto probe = encodeQr(expandPayload(style.payloadTemplate, "0000000000"), style.ecLevel); !probe) {
        return probe.error();
    }
    return std::unique_ptr<LabelPainter>(new LabelPainter(std::move(impl), style));
}

Status LabelPainter::paint(cairo_t* cr, const Rect& box, const LabelData& label) const {
    auto qr = encodeQr(expandPayload(m_style.payloadTemplate, label.code), m_style.ecLevel);
    if (!qr) return qr.error();

    std::vector<TextLine> lines;
    const bool hasHeader = !m_style.headerText.empty() || m_impl->logo;
    if (hasHeader) lines.push_back({m_style.headerText, 0.8, false, true});
    if (m_style.fields.code) lines.push_back({label.code, 1.9, true, false});
    if (m_style.fields.product && !label.productName.empty()) lines.push_back({label.productName, 1.0, false, true});
    if (m_style.fields.machine) lines.push_back({machineText(label), 0.8, false, true});
    if (m_style.fields.expiry) lines.push_back({expiryText(label), 0.8, false, false});

    // Wide labels: QR on the left, text beside it. Tall ones (rolls): QR on top, text below.
    const double pad = std::clamp(std::min(box.w, box.h) * 0.05, 1.0, 3.0);
    const bool wide = box.w >= box.h * 1.3;
    double qrSide = 0, qrX = 0, qrY = 0;
    Rect text;
    if (wide) {
        qrSide = std::min(box.h - 2 * pad, box.w * 0.42);  // leave the text room for product names
        qrX = box.x + pad;
        qrY = box.y + (box.h - qrSide) / 2;
        text = {qrX + qrSide, box.y + pad, box.x + box.w - pad - (qrX + qrSide), box.h - 2 * pad};
    } else {
        const double textShare = lines.empty() ? 0.0 : 0.4;
        qrSide = std::min(box.w - 2 * pad, (box.h - 2 * pad) * (1 - textShare));
        qrX = box.x + (box.w - qrSide) / 2;
        qrY = box.y + pad;
        text = {box.x + pad, qrY + qrSide, box.w - 2 * pad, box.y + box.h - pad - (qrY + qrSide)};
    }
    drawQr(cr, *qr, qrX, qrY, qrSide);
    if (lines.empty() || text.w <= 0 || text.h <= 0) return {};

    double totalWeight = 0;
    for (const auto& l : lines) totalWeight += l.weight;
    const double unit = text.h / (totalWeight * 1.2);
    cairo_save(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    double y = text.y;
    for (const auto& line : lines) {
        const double size = line.weight * unit;
        y += size * 1.2;
        cairo_set_font_face(cr, line.bold ? m_impl->bold : m_impl->regular);
        double x = text.x;
        double width = text.w;
        if (&line == &lines.front() && hasHeader && m_impl->logo) {  // logo at the start of the header row
            const double lh = size * 1.1;
            const double iw = cairo_image_surface_get_width(m_impl->logo);
            const double ih = cairo_image_surface_get_height(m_impl->logo);
            const double lw = std::min(width, lh * iw / std::max(ih, 1.0));
            cairo_save(cr);
            cairo_translate(cr, x, y - lh * 0.9);
            cairo_scale(cr, lw / iw, lh / ih);
            cairo_set_source_surface(cr, m_impl->logo, 0, 0);
            cairo_paint(cr);
            cairo_restore(cr);
            x += lw + size * 0.3;
            width -= lw + size * 0.3;
        }
        if (line.text.empty() || width <= 0) continue;
        const std::string shown = fitText(cr, line.text, size, width, line.mayShorten);
        const double w = textWidth(cr, shown);
        cairo_move_to(cr, wide ? x : x + (width - w) / 2, y - size * 0.22);
        cairo_show_text(cr, shown.c_str());
    }
    cairo_restore(cr);
    return {};
}

}  // namespace core::exporter
