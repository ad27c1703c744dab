#include "core/export/label.hpp"

#include "core/export/label_text.hpp"
#include "core/export/qr_draw.hpp"
#include "core/tz/machine_time.hpp"

#include <cairo.h>

#include <algorithm>
#include <vector>

namespace core::exporter {
using detail::TextLine;

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

namespace {

// What a label says, top to bottom, as the style's field toggles choose.
std::vector<TextLine> labelLines(const LabelStyle& style, bool header, const LabelData& label) {
    std::vector<TextLine> out;
    if (header) out.push_back({style.headerText, 0.8, false, true});
    if (style.fields.code) out.push_back({label.code, 1.9, true, false});
    if (style.fields.product && !label.productName.empty()) out.push_back({label.productName, 1.0, false, true});
    if (style.fields.machine) out.push_back({machineText(label), 0.8, false, true});
    if (style.fields.expiry) out.push_back({expiryText(label), 0.8, false, false});
    return out;
}

}  // namespace

struct LabelPainter::Impl {
    cairo_font_face_t* regular = nullptr;
    cairo_font_face_t* bold = nullptr;
    cairo_surface_t* logo = nullptr;
    mutable detail::LineWriter lines;  // remembers each line position (one reason a painter is for one thread)
    ~Impl() {
        if (regular) cairo_font_face_destroy(regular);
        if (bold) cairo_font_face_destroy(bold);
        if (logo) cairo_surface_destroy(logo);
    }

    // The lines stacked in `area`, sized by weight; `withLogo`: the logo starts the first line.
    void paintText(cairo_t* cr, const Rect& area, const std::vector<TextLine>& text, bool centred,
                   bool withLogo) const {
        double totalWeight = 0;
        for (const auto& l : text) totalWeight += l.weight;
        const double unit = area.h / (totalWeight * 1.2);
        cairo_save(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        double y = area.y;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const TextLine& line = text[i];
            const double size = line.weight * unit;
            y += size * 1.2;
            cairo_set_font_face(cr, line.bold ? bold : regular);
            double x = area.x;
            double width = area.w;
            if (i == 0 && withLogo) {
                const double logoWidth = paintLogo(cr, x, y, size, width);
                x += logoWidth + size * 0.3;
                width -= logoWidth + size * 0.3;
            }
            if (line.text.empty() || width <= 0) continue;
            lines.draw(cr, i, line, size, x, y - size * 0.22, width, centred);
        }
        cairo_restore(cr);
    }

    // Draws the logo one line high from `x` on the line's baseline; returns its width.
    double paintLogo(cairo_t* cr, double x, double baseline, double size, double maxWidth) const {
        const double lh = size * 1.1;
        const double iw = cairo_image_surface_get_width(logo);
        const double ih = cairo_image_surface_get_height(logo);
        const double lw = std::min(maxWidth, lh * iw / std::max(ih, 1.0));
        cairo_save(cr);
        cairo_translate(cr, x, baseline - lh * 0.9);
        cairo_scale(cr, lw / iw, lh / ih);
        cairo_set_source_surface(cr, logo, 0, 0);
        cairo_paint(cr);
        cairo_restore(cr);
        return lw;
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

Result<QrMatrix> LabelPainter::encode(const LabelData& label) const {
    return encodeQr(expandPayload(m_style.payloadTemplate, label.code), m_style.ecLevel);
}

void LabelPainter::paint(cairo_t* cr, const Rect& box, const LabelData& label, const QrSymbols& qr,
                         std::size_t qrIndex) const {
    const bool header = !m_style.headerText.empty() || m_impl->logo;
    const std::vector<TextLine> text = labelLines(m_style, header, label);
    // Wide labels: QR on the left, text beside it. Tall ones (rolls): QR on top, text below.
    const double pad = std::clamp(std::min(box.w, box.h) * 0.05, 1.0, 3.0);
    const bool wide = box.w >= box.h * 1.3;
    double qrSide = 0, qrX = 0, qrY = 0;
    Rect area;
    if (wide) {
        qrSide = std::min(box.h - 2 * pad, box.w * 0.42);  // leave the text room for product names
        qrX = box.x + pad;
        qrY = box.y + (box.h - qrSide) / 2;
        area = {qrX + qrSide, box.y + pad, box.x + box.w - pad - (qrX + qrSide), box.h - 2 * pad};
    } else {
        const double textShare = text.empty() ? 0.0 : 0.4;
        qrSide = std::min(box.w - 2 * pad, (box.h - 2 * pad) * (1 - textShare));
        qrX = box.x + (box.w - qrSide) / 2;
        qrY = box.y + pad;
        area = {box.x + pad, qrY + qrSide, box.w - 2 * pad, box.y + box.h - pad - (qrY + qrSide)};
    }
    qr.draw(cr, qrIndex, qrX, qrY, qrSide);
    if (!text.empty() && area.w > 0 && area.h > 0) m_impl->paintText(cr, area, text, !wide, header && m_impl->logo);
}

}  // namespace core::exporter
