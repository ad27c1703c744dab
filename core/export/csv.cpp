#include "core/export/csv.hpp"

#include "core/tz/machine_time.hpp"

#include <initializer_list>

namespace core::exporter {
namespace {

std::string joinRow(std::initializer_list<std::string_view> fields) {
    std::string row;
    bool first = true;
    for (auto f : fields) {
        if (!first) row += ',';
        row += csvField(f);
        first = false;
    }
    row += "\r\n";
    return row;
}

}  // namespace

std::string csvField(std::string_view value) {
    if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string csvHeader() {
    return joinRow({"machine_no", "machine_name", "code_id", "code", "product_id", "product_name", "quantity", "status",
                    "expires_local", "timezone", "expires_utc", "qr_text"});
}

std::string csvRow(const LabelData& label, const std::string& qrText) {
    const std::string local = label.expiresUtc ? tz::formatInZone(*label.expiresUtc, label.timezone) : "";
    const std::string utc = label.expiresUtc ? tz::toIso8601Utc(*label.expiresUtc) : "";
    return joinRow({label.machineNo, label.machineName, std::to_string(label.codeId), label.code,
                    std::to_string(label.productId), label.productName, std::to_string(label.quantity), label.status, local,
                    label.timezone, utc, qrText});
}

}  // namespace core::exporter
