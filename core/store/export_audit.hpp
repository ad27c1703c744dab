#pragma once
// The export/print audit (schema v4): which codes went to which file or printer, when, with which
// template; and the "printed" state of a code. Free functions over Store::db() (one connection,
// one thread at a time, as the Store itself).
#include "core/domain/types.hpp"
#include "core/store/store.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core::store {

enum class ExportKind { Export, Print };
const char* exportKindName(ExportKind kind);  // "export" | "print"

struct ExportRecord {
    std::int64_t id = 0;
    Instant createdUtc = 0;       // 0 = now (on begin)
    ExportKind kind = ExportKind::Export;
    std::string format;           // pdf | png | svg | csv
    std::string templateName;
    std::string destination;      // a file path, or a printer name
    std::int64_t codeCount = 0;
    bool complete = false;
};

struct CodeKey {
    std::string machineNo;
    std::int64_t codeId = 0;
    bool operator==(const CodeKey&) const = default;
};

// An incomplete record: call addExportCodes as codes are written, then completeExport or
// discardExport (a cancelled/failed export leaves no trace).
Result<std::int64_t> beginExport(Store& store, const ExportRecord& record);
Status addExportCodes(Store& store, std::int64_t exportId, const std::vector<CodeKey>& codes);
Status completeExport(Store& store, std::int64_t exportId);  // sets code_count from the rows
Status discardExport(Store& store, std::int64_t exportId);

// Complete records, newest first (limit 0 = all).
Result<std::vector<ExportRecord>> listExports(Store& store, int limit = 0);
Result<std::vector<CodeKey>> exportCodes(Store& store, std::int64_t exportId);

// Whether a code has been exported or printed (complete records only), for the codes table.
struct PrintedState {
    int exports = 0;                   // times exported to a file
    int prints = 0;                    // times sent to a printer
    std::optional<Instant> lastUtc;    // the latest of either
    bool printed() const { return exports + prints > 0; }
};
Result<PrintedState> printedState(Store& store, const CodeKey& code);
// The same for many codes at once (one entry per key, same order): one query for a table page.
Result<std::vector<PrintedState>> printedStates(Store& store, const std::vector<CodeKey>& codes);

}  // namespace core::store
