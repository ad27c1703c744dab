#pragma once
// CSV of exported codes: UTF-8 with a BOM (so spreadsheet programs detect UTF-8), RFC 4180
// quoting, CRLF line ends, a header row; expiry in the machine's time plus a UTC column.
#include "core/export/label.hpp"

#include <string>
#include <string_view>

namespace core::exporter {

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Quotes a field when it holds a comma, quote, CR or LF; quotes inside are doubled.
std::string csvField(std::string_view value);
// "machine_no,machine_name,code_id,code,...\r\n" (no BOM).
std::string csvHeader();
// One row; never-expiring codes leave both expiry columns empty. `qrText` is what the QR holds.
std::string csvRow(const LabelData& label, const std::string& qrText);

}  // namespace core::exporter
