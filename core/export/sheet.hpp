#pragma once
// Pages of labels: which code goes in which slot (start at label N), drawing a page (labels,
// optional crop marks and outlines), the calibration test page, and RGBA previews for the UI.
#include "core/export/label.hpp"
#include "core/export/sheet_template.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace core::exporter {

struct SheetOptions {
    SheetTemplate sheet;
    Offset offset;           // printer calibration, added to every label position
    bool cropMarks = false;  // short marks in the page margin along each label edge
    bool outlines = false;   // thin label outlines (to check alignment on plain paper)
    int startAt = 1;         // first label slot to use on the first page (1-based), sheets only
    // PDF only: QR symbols as vector rectangles rather than one 1-bit image mask per page (both
    // exact at any zoom; qr_draw.hpp). SVG is always vectors, PNG always pixels.
    bool pdfVectorQr = false;
    LabelStyle style;
};

// Which codes land on which page, given the start slot.
class SheetLayout {
public:
    explicit SheetLayout(const SheetOptions& options);
    int firstSlot(int page) const { return page == 0 ? m_skip : 0; }
    int labelsOnPage(int page, std::int64_t totalLabels) const;
    std::int64_t firstLabel(int page) const;  // index of the page's first code
    int pageCount(std::int64_t totalLabels) const;
    int perPage() const { return m_perPage; }

private:
    int m_perPage = 1;
    int m_skip = 0;
};

Status validateSheetOptions(const SheetOptions& options);

// Draws pages; the context's user unit must be 1 mm (see scaleToMm).
class PagePainter {
public:
    static Result<std::unique_ptr<PagePainter>> create(const SheetOptions& options);
    // Draws `labels` into consecutive slots from `firstSlot` on a white page.
    Status paintPage(cairo_t* cr, const std::vector<LabelData>& labels, int firstSlot) const;
    // Label outlines, a millimetre ruler along the top and left edges, and the offsets in use.
    void paintCalibrationPage(cairo_t* cr) const;
    const SheetOptions& options() const { return m_options; }

private:
    PagePainter(SheetOptions options, std::unique_ptr<LabelPainter> labels);
    void paintCropMarks(cairo_t* cr) const;
    SheetOptions m_options;
    std::unique_ptr<LabelPainter> m_labels;
};

constexpr double kPointsPerMm = 72.0 / 25.4;
inline double pixelsPerMm(int dpi) { return dpi / 25.4; }

// Page size in pixels at `pxPerMm` (rounded up).
int pagePixels(double mm, double pxPerMm);

// An 8-bit RGBA image (not premultiplied, rows top to bottom, no padding): ready for a GPU texture.
struct RgbaImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// Renders one page of `labels` (already the page's codes) or, with calibration = true, the
// calibration page, at `pxPerMm` (e.g. 4 for a preview, pixelsPerMm(300) for print).
Result<RgbaImage> renderPageImage(const PagePainter& painter, const std::vector<LabelData>& labels, int firstSlot,
                                  double pxPerMm, bool calibration = false);

}  // namespace core::exporter
