#include "core/export/page_writers.hpp"

#include "core/export/exporter.hpp"
#include "core/export/sheet.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

namespace core::exporter::detail {
namespace {

Error cairoError(cairo_status_t status, const std::string& path) {
    return makeError(ErrorCode::Storage, "Could not write '" + path + "' (" + cairo_status_to_string(status) +
                                             "). Check free disk space and that the folder is writable.");
}

Status surfaceStatus(cairo_surface_t* surface, const std::string& path) {
    const cairo_status_t status = cairo_surface_status(surface);
    if (status != CAIRO_STATUS_SUCCESS) return cairoError(status, path);
    return {};
}

// Every page of one PDF file through one surface; fonts are subset and embedded on finish.
class PdfWriter : public PageWriter {
public:
    PdfWriter(PendingFiles& files, std::string outPath, const SheetTemplate& sheet)
        : m_files(files), m_outPath(std::move(outPath)), m_sheet(sheet) {}
    ~PdfWriter() override { close(); }

    Result<cairo_t*> beginPage(int) override {
        if (!m_surface) {
            auto temp = m_files.add(m_outPath);
            if (!temp) return temp.error();
            m_surface = cairo_pdf_surface_create(temp->c_str(), m_sheet.pageWidthMm * kPointsPerMm,
                                                 m_sheet.pageHeightMm * kPointsPerMm);
            if (auto ok = surfaceStatus(m_surface, m_outPath); !ok) return ok.error();
            cairo_pdf_surface_set_metadata(m_surface, CAIRO_PDF_METADATA_CREATOR, "Pickup Desk");
            m_cr = cairo_create(m_surface);
            cairo_scale(m_cr, kPointsPerMm, kPointsPerMm);
        }
        cairo_save(m_cr);
        return m_cr;
    }
    Status endPage() override {
        cairo_restore(m_cr);
        cairo_show_page(m_cr);
        return surfaceStatus(m_surface, m_outPath);
    }
    Status finish() override {
        if (!m_surface) return {};
        cairo_surface_finish(m_surface);
        auto ok = surfaceStatus(m_surface, m_outPath);
        close();
        return ok;
    }

private:
    void close() {
        if (m_cr) cairo_destroy(m_cr);
        if (m_surface) cairo_surface_destroy(m_surface);
        m_cr = nullptr;
        m_surface = nullptr;
    }
    PendingFiles& m_files;
    std::string m_outPath;
    SheetTemplate m_sheet;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
};

// SVG has no pages browsers show, so each page is its own file.
class SvgWriter : public PageWriter {
public:
    SvgWriter(PendingFiles& files, std::string outPath, const SheetTemplate& sheet)
        : m_files(files), m_outPath(std::move(outPath)), m_sheet(sheet) {}
    ~SvgWriter() override { close(); }

    Result<cairo_t*> beginPage(int page) override {
        m_pagePath = pageFilePath(m_outPath, page);
        auto temp = m_files.add(m_pagePath);
        if (!temp) return temp.error();
        m_surface = cairo_svg_surface_create(temp->c_str(), m_sheet.pageWidthMm * kPointsPerMm,
                                             m_sheet.pageHeightMm * kPointsPerMm);
        if (auto ok = surfaceStatus(m_surface, m_pagePath); !ok) return ok.error();
        cairo_svg_surface_set_document_unit(m_surface, CAIRO_SVG_UNIT_PT);  // real size: 210 mm prints as 210 mm
        m_cr = cairo_create(m_surface);
        cairo_scale(m_cr, kPointsPerMm, kPointsPerMm);
        return m_cr;
    }
    Status endPage() override {
        cairo_destroy(m_cr);
        m_cr = nullptr;
        cairo_surface_finish(m_surface);
        auto ok = surfaceStatus(m_surface, m_pagePath);
        close();
        return ok;
    }
    Status finish() override { return {}; }

private:
    void close() {
        if (m_cr) cairo_destroy(m_cr);
        if (m_surface) cairo_surface_destroy(m_surface);
        m_cr = nullptr;
        m_surface = nullptr;
    }
    PendingFiles& m_files;
    std::string m_outPath;
    std::string m_pagePath;
    SheetTemplate m_sheet;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
};

// One reused image surface (an A4 page at 300 dpi is 35 MB), one PNG file per page.
class PngWriter : public PageWriter {
public:
    PngWriter(PendingFiles& files, std::string outPath, const SheetTemplate& sheet, int dpi)
        : m_files(files), m_outPath(std::move(outPath)), m_sheet(sheet), m_pxPerMm(pixelsPerMm(dpi)) {}
    ~PngWriter() override {
        if (m_cr) cairo_destroy(m_cr);
        if (m_surface) cairo_surface_destroy(m_surface);
    }

    Result<cairo_t*> beginPage(int page) override {
        if (!m_surface) {
            m_surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pagePixels(m_sheet.pageWidthMm, m_pxPerMm),
                                                   pagePixels(m_sheet.pageHeightMm, m_pxPerMm));
            if (cairo_surface_status(m_surface) != CAIRO_STATUS_SUCCESS) {
                return makeError(ErrorCode::InvalidInput, "A page this size at this resolution does not fit in memory; choose a lower DPI.");
            }
        }
        m_pagePath = pageFilePath(m_outPath, page);
        m_cr = cairo_create(m_surface);
        cairo_scale(m_cr, m_pxPerMm, m_pxPerMm);
        return m_cr;
    }
    Status endPage() override {
        cairo_destroy(m_cr);
        m_cr = nullptr;
        auto temp = m_files.add(m_pagePath);
        if (!temp) return temp.error();
        const cairo_status_t status = cairo_surface_write_to_png(m_surface, temp->c_str());
        if (status != CAIRO_STATUS_SUCCESS) return cairoError(status, m_pagePath);
        return {};
    }
    Status finish() override { return {}; }

private:
    PendingFiles& m_files;
    std::string m_outPath;
    std::string m_pagePath;
    SheetTemplate m_sheet;
    double m_pxPerMm;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
};

}  // namespace

std::unique_ptr<PageWriter> makePdfWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet) {
    return std::make_unique<PdfWriter>(files, outPath, sheet);
}
std::unique_ptr<PageWriter> makeSvgWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet) {
    return std::make_unique<SvgWriter>(files, outPath, sheet);
}
std::unique_ptr<PageWriter> makePngWriter(PendingFiles& files, const std::string& outPath, const SheetTemplate& sheet,
                                          int dpi) {
    return std::make_unique<PngWriter>(files, outPath, sheet, dpi);
}

}  // namespace core::exporter::detail
