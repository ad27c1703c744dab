#pragma once
// What one printed label shows, and how it is drawn with cairo (in millimetre user units).
#include "core/domain/types.hpp"
#include "core/export/qr.hpp"
#include "core/export/qr_draw.hpp"
#include "core/export/sheet_template.hpp"
#include "core/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

using cairo_t = struct _cairo;

namespace core::exporter {

// One code with everything a label or a CSV row needs, resolved from the store.
struct LabelData {
    std::string machineNo;
    std::string machineName;
    std::int64_t codeId = 0;
    std::string code;
    std::int64_t productId = 0;
    std::string productName;
    int quantity = 1;
    std::string status;                 // derived status name ("unused", "expired", ...)
    std::optional<Instant> expiresUtc;  // nullopt = never
    std::string timezone;               // the machine's IANA zone, for the expiry text
};

struct LabelFields {
    bool code = true;
    bool product = true;
    bool machine = true;
    bool expiry = true;
};

struct LabelStyle {
    EcLevel ecLevel = EcLevel::M;
    std::string payloadTemplate;  // "" = the code; else e.g. "https://x/p?c={code}"
    LabelFields fields;
    std::string headerText;       // optional line on top of every label
    std::string logoPngPath;      // optional PNG drawn in the header row
    // The toy font API does no glyph fallback, so the family must hold CJK glyphs itself.
    std::string fontFamily = "WenQuanYi Micro Hei";
};

// "Expires 2026-12-24 18:00" in the machine's zone (seconds when not :00), or "No expiry".
std::string expiryText(const LabelData& label);
// "16327138 name", or "Machine 16327138" when the machine has no name.
std::string machineText(const LabelData& label);

// Draws labels; holds the font faces, the decoded logo and the last fitted text of each line so a
// long export loads and measures them once. One painter per thread.
class LabelPainter {
public:
    static Result<std::unique_ptr<LabelPainter>> create(const LabelStyle& style);
    ~LabelPainter();
    LabelPainter(const LabelPainter&) = delete;
    LabelPainter& operator=(const LabelPainter&) = delete;

    // The QR symbol `label` shows (its code, or the payload template filled with it).
    Result<QrMatrix> encode(const LabelData& label) const;
    // Draws `label` inside `box` (mm; the context's user unit must be 1 mm); its QR is symbol
    // `qrIndex` of `qr`, which the caller encoded with encode() (a whole page at once).
    void paint(cairo_t* cr, const Rect& box, const LabelData& label, const QrSymbols& qr, std::size_t qrIndex) const;
    const LabelStyle& style() const { return m_style; }

private:
    struct Impl;
    explicit LabelPainter(std::unique_ptr<Impl> impl, LabelStyle style);
    std::unique_ptr<Impl> m_impl;
    LabelStyle m_style;
};

}  // namespace core::exporter
