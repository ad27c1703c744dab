#include "core/store/export_audit.hpp"

#include "core/store/store_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace core::store {

using detail::guarded;

namespace {

ExportRecord readRecord(SQLite::Statement& s) {
    ExportRecord r;
    r.id = s.getColumn(0).getInt64();
    r.createdUtc = s.getColumn(1).getInt64();
    r.kind = s.getColumn(2).getString() == "print" ? ExportKind::Print : ExportKind::Export;
    r.format = s.getColumn(3).getString();
    r.templateName = s.getColumn(4).getString();
    r.destination = s.getColumn(5).getString();
    r.codeCount = s.getColumn(6).getInt64();
    r.complete = s.getColumn(7).getInt() != 0;
    return r;
}

}  // namespace

const char* exportKindName(ExportKind kind) { return kind == ExportKind::Print ? "print" : "export"; }

Result<std::int64_t> beginExport(Store& store, const ExportRecord& record) {
    return guarded(store.path(), "record an export", [&]() -> Result<std::int64_t> {
        SQLite::Statement s(store.db(),
                            "INSERT INTO exports (created_utc, kind, format, template, destination, complete) "
                            "VALUES (?, ?, ?, ?, ?, 0)");
        s.bind(1, detail::orNow(record.createdUtc));
        s.bind(2, exportKindName(record.kind));
        s.bind(3, record.format);
        s.bind(4, record.templateName);
        s.bind(5, record.destination);
        s.exec();
        return std::int64_t{store.db().getLastInsertRowid()};
    });
}

Status addExportCodes(Store& store, std::int64_t exportId, const std::vector<CodeKey>& codes) {
    return guarded(store.path(), "record exported codes", [&]() -> Status {
        SQLite::Transaction tx(store.db());
        SQLite::Statement s(store.db(), "INSERT OR IGNORE INTO export_codes (export_id, machine_no, code_id) VALUES (?, ?, ?)");
        for (const auto& c : codes) {
            s.bind(1, exportId);
            s.bindNoCopy(2, c.machineNo);
            s.bind(3, c.codeId);
            s.exec();
            s.reset();
        }
        tx.commit();
        return {};
    });
}

Status completeExport(Store& store, std::int64_t exportId) {
    return guarded(store.path(), "complete an export record", [&]() -> Status {
        SQLite::Statement s(store.db(),
                            "UPDATE exports SET complete = 1, "
                            "code_count = (SELECT count(*) FROM export_codes WHERE export_id = ?1) WHERE id = ?1");
        s.bind(1, exportId);
        if (s.exec() != 1) return detail::notFound("Export record " + std::to_string(exportId) + " does not exist.");
        return {};
    });
}

Status discardExport(Store& store, std::int64_t exportId) {
    return guarded(store.path(), "discard an export record", [&]() -> Status {
        SQLite::Statement s(store.db(), "DELETE FROM exports WHERE id = ?");
        s.bind(1, exportId);
        s.exec();
        return {};
    });
}

Result<std::vector<ExportRecord>> listExports(Store& store, int limit) {
    return guarded(store.path(), "list exports", [&]() -> Result<std::vector<ExportRecord>> {
        SQLite::Statement s(store.db(),
                            "SELECT id, created_utc, kind, format, template, destination, code_count, complete "
                            "FROM exports WHERE complete = 1 ORDER BY id DESC LIMIT ?");
        s.bind(1, limit > 0 ? limit : -1);
        std::vector<ExportRecord> out;
        while (s.executeStep()) out.push_back(readRecord(s));
        return out;
    });
}

Result<std::vector<CodeKey>> exportCodes(Store& store, std::int64_t exportId) {
    return guarded(store.path(), "list exported codes", [&]() -> Result<std::vector<CodeKey>> {
        SQLite::Statement s(store.db(), "SELECT machine_no, code_id FROM export_codes WHERE export_id = ? ORDER BY machine_no, code_id");
        s.bind(1, exportId);
        std::vector<CodeKey> out;
        while (s.executeStep()) out.push_back({s.getColumn(0).getString(), s.getColumn(1).getInt64()});
        return out;
    });
}

Result<PrintedState> printedState(Store& store, const CodeKey& code) {
    auto states = printedStates(store, {code});
    if (!states) return states.error();
    return states->front();
}

Result<std::vector<PrintedState>> printedStates(Store& store, const std::vector<CodeKey>& codes) {
    return guarded(store.path(), "read the printed state of codes", [&]() -> Result<std::vector<PrintedState>> {
        SQLite::Statement s(store.db(),
                            "SELECT sum(e.kind = 'export'), sum(e.kind = 'print'), max(e.created_utc) "
                            "FROM export_codes c JOIN exports e ON e.id = c.export_id "
                            "WHERE c.machine_no = ? AND c.code_id = ? AND e.complete = 1");
        std::vector<PrintedState> out;
        out.reserve(codes.size());
        for (const auto& c : codes) {  // one indexed lookup each (idx_export_codes_code)
            s.bind(1, c.machineNo);
            s.bind(2, c.codeId);
            PrintedState state;
            if (s.executeStep() && !s.getColumn(2).isNull()) {
                state.exports = s.getColumn(0).getInt();
                state.prints = s.getColumn(1).getInt();
                state.lastUtc = s.getColumn(2).getInt64();
            }
            out.push_back(state);
            s.reset();
        }
        return out;
    });
}

}  // namespace core::store
