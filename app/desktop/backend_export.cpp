// Backend: export and print on the export worker (its own Store connection), so a long export
// never holds up code paging or network work. Cancel is polled by core between pages.
#include "app/desktop/backend.hpp"

#include "core/export/calibration.hpp"
#include "core/export/code_source.hpp"
#include "core/store/export_audit.hpp"

namespace app::desktop {

core::store::Store* Backend::exportStore() {
    if (!m_exportStore) {
        auto store = core::store::Store::open(m_config.dbPath);
        if (!store) {
            postFailure("action.open_store", store.error());
            return nullptr;
        }
        m_exportStore = std::move(*store);
    }
    return m_exportStore.get();
}

namespace {

std::string calibrationFile(const BackendConfig& config) {
    return config.calibrationFile.empty() ? core::exporter::calibrationFilePath() : config.calibrationFile;
}

}  // namespace

void Backend::loadCalibration(const std::string& printer, const std::string& templateName) {
    m_export.post([this, printer, templateName] {
        CalibrationLoaded out{printer, templateName, {}, false, std::nullopt};
        auto offset = core::exporter::loadCalibration(calibrationFile(m_config), printer, templateName);
        if (offset) out.offset = *offset;
        else out.error = offset.error();
        m_events->post(std::move(out));
    });
}

void Backend::saveCalibration(const std::string& printer, const std::string& templateName, core::exporter::Offset offset) {
    m_export.post([this, printer, templateName, offset] {
        CalibrationLoaded out{printer, templateName, offset, true, std::nullopt};
        if (auto ok = core::exporter::saveCalibration(calibrationFile(m_config), printer, templateName, offset); !ok) {
            out.error = ok.error();
        }
        m_events->post(std::move(out));
    });
}

void Backend::loadTemplates() {
    m_export.post([this] {
        TemplatesLoaded loaded;
        auto templates = core::exporter::listTemplates();
        if (!templates) return postFailure("action.load_templates", templates.error());
        loaded.templates = std::move(*templates);
        if (auto printers = core::exporter::listPrinters()) {
            loaded.printers = std::move(*printers);
        } else {
            loaded.printersError = printers.error().message;
        }
        m_events->post(std::move(loaded));
    });
}

void Backend::previewExport(std::uint64_t generation, const ExportRequest& request, int maxPages, double pxPerMm) {
    m_export.post([this, generation, request, maxPages, pxPerMm] {
        ExportPreviewed out;
        out.generation = generation;
        auto fail = [&](const core::Error& e) {
            out.error = e;
            m_events->post(std::move(out));
        };
        auto* store = exportStore();
        if (store == nullptr) return;
        core::exporter::StoreCodeSource source(*store, request.selection.filter, request.selection.defaultZone);
        auto total = source.count();
        if (!total) return fail(total.error());
        out.labels = *total;
        const auto& sheet = request.options.sheet;
        core::exporter::SheetLayout layout(sheet);
        out.pages = layout.pageCount(*total);
        auto painter = core::exporter::PagePainter::create(sheet);
        if (!painter) return fail(painter.error());
        for (int page = 0; page < std::min(maxPages, out.pages); ++page) {
            auto labels = source.fetch(layout.firstLabel(page), layout.labelsOnPage(page, *total));
            if (!labels) return fail(labels.error());
            auto image = core::exporter::renderPageImage(**painter, *labels, layout.firstSlot(page), pxPerMm);
            if (!image) return fail(image.error());
            out.images.push_back(std::move(*image));
        }
        m_events->post(std::move(out));
    });
}

void Backend::runExport(std::uint64_t job, const ExportRequest& request, std::shared_ptr<std::atomic<bool>> cancel) {
    m_export.post([this, job, request, cancel] {
        ExportFinished out;
        out.job = job;
        out.printed = request.print;
        auto* store = exportStore();
        if (store == nullptr) {
            out.error = core::makeError(core::ErrorCode::Storage, "The database could not be opened; see the error shown.");
            return m_events->post(std::move(out));
        }
        auto progress = [this, job](const core::exporter::ExportProgress& p) { m_events->post(ExportProgressed{job, p}); };
        auto finish = [&](const core::Error& e) {
            out.cancelled = e.code == core::ErrorCode::Cancelled;
            if (!out.cancelled) out.error = e;
        };
        if (request.print) {
            auto printed = core::exporter::printFromStore(*store, request.selection, request.options, request.job,
                                                          progress, cancel.get());
            if (printed) {
                out.printer = printed->printer;
                out.labels = printed->exported.labels;
                out.pages = printed->exported.pages;
            } else {
                finish(printed.error());
            }
        } else {
            auto saved = core::exporter::exportFromStore(*store, request.selection, request.options, progress, cancel.get());
            if (saved) {
                out.files = saved->files;
                out.labels = saved->labels;
                out.pages = saved->pages;
            } else {
                finish(saved.error());
            }
        }
        m_events->post(std::move(out));
    });
}

void Backend::loadPrinted(std::uint64_t generation, const std::string& machineNo, const std::vector<std::int64_t>& ids) {
    m_query.post([this, generation, machineNo, ids] {
        auto* store = queryStore();
        if (store == nullptr) return;
        std::vector<core::store::CodeKey> keys;
        keys.reserve(ids.size());
        for (const auto id : ids) keys.push_back({machineNo, id});
        auto states = core::store::printedStates(*store, keys);
        if (!states) return postFailure("action.query_codes", states.error());
        PrintedLoaded out;
        out.generation = generation;
        for (size_t i = 0; i < ids.size() && i < states->size(); ++i) out.states[ids[i]] = (*states)[i];
        m_events->post(std::move(out));
    });
}

}  // namespace app::desktop
