#pragma once
// The push console's "Export": the filtered pushes as JSON lines or CSV (UTF-8), written to a temporary
// file next to the target and renamed into place, so a failed write (disk full) leaves no half file.
#include "app/desktop/ui_events.hpp"
#include "core/util/result.hpp"

#include <string>
#include <vector>

namespace app::desktop {

enum class PushExportFormat { JsonLines, Csv };

std::string pushJsonLine(const PushRow& row);  // one JSON object, no newline
std::string pushCsvHeader();                   // with CRLF
std::string pushCsvRow(const PushRow& row);    // with CRLF
// ~/Documents/<stem>.<extension> (else ~/, else the current folder): where exports go by default.
std::string defaultExportPath(const std::string& stem, const std::string& extension);
core::Status writePushes(const std::string& path, const std::vector<PushRow>& rows, PushExportFormat format);

}  // namespace app::desktop
