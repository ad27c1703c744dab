#include "app/cli/output.hpp"

#include "core/tz/machine_time.hpp"

#include <algorithm>
#include <iostream>

namespace cli {
namespace {

// Decodes one UTF-8 sequence; returns its length and sets cp (U+FFFD on malformed input).
size_t decodeUtf8(std::string_view s, size_t i, char32_t& cp) {
    const auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    cp = len == 1 ? (b < 0x80 ? b : 0xFFFD) : (b & (0xFF >> (len + 1)));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    return len;
}

bool isWide(char32_t cp) {
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

}  // namespace

int displayWidth(std::string_view utf8) {
    int width = 0;
    for (size_t i = 0; i < utf8.size();) {
        char32_t cp = 0;
        i += decodeUtf8(utf8, i, cp);
        width += isWide(cp) ? 2 : 1;
    }
    return width;
}

Table::Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}

void Table::addRow(std::vector<std::string> cells) {
    cells.resize(m_headers.size());
    m_rows.push_back(std::move(cells));
}

void Table::print(std::ostream& out) const {
    std::vector<int> widths;
    for (const auto& h : m_headers) widths.push_back(displayWidth(h));
    for (const auto& row : m_rows) {
        for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], displayWidth(row[c]));
    }
    auto line = [&](const std::vector<std::string>& cells) {
        for (size_t c = 0; c < cells.size(); ++c) {
            out << cells[c];
            if (c + 1 < cells.size()) out << std::string(static_cast<size_t>(widths[c] - displayWidth(cells[c]) + 2), ' ');
        }
        out << '\n';
    };
    line(m_headers);
    for (const auto& row : m_rows) line(row);
}

nlohmann::json codeJson(const core::PickupCode& code, const std::string& machineZone) {
    nlohmann::json j{{"machine_no", code.machineNo},
                     {"id", code.id},
                     {"product_id", code.productId},
                     {"code", code.code},
                     {"quantity", code.quantity},
                     {"status", core::codeStatusName(code.status)},
                     {"timezone", machineZone},
                     {"request_id", code.requestId}};
    j["expires_utc"] = code.expiresUtc ? nlohmann::json(core::tz::toIso8601Utc(*code.expiresUtc)) : nlohmann::json(nullptr);
    j["expires_local"] = code.expiresUtc ? nlohmann::json(core::tz::formatInZone(*code.expiresUtc, machineZone)) : nlohmann::json(nullptr);
    j["created_utc"] = code.createdUtc ? nlohmann::json(core::tz::toIso8601Utc(*code.createdUtc)) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json machineJson(const core::Machine& machine, const std::string& effectiveZone) {
    return {{"machine_no", machine.machineNo}, {"name", machine.name},         {"address", machine.address},
            {"online", machine.online},        {"timezone", effectiveZone},    {"timezone_set", !machine.timezone.empty()},
            {"status", machine.status}};
}

nlohmann::json productJson(const core::Product& product) {
    return {{"machine_no", product.machineNo}, {"id", product.id},
            {"name", product.name},            {"channel", product.channel},
            {"cabinet", product.cabinet},      {"addr", product.addr},
            {"price", product.price},          {"current_inventory", product.currentInventory},
            {"capacity", product.capacity},    {"category", product.category}};
}

nlohmann::json errorJson(const core::Error& error) {
    nlohmann::json j{{"error", {{"kind", core::errorCodeName(error.code)}, {"message", error.message}}}};
    if (error.vendorCode != 0) j["error"]["vendor_code"] = error.vendorCode;
    if (!error.vendorMessage.empty()) j["error"]["vendor_message"] = error.vendorMessage;
    if (error.httpStatus != 0) j["error"]["http_status"] = error.httpStatus;
    return j;
}

void printError(const core::Error& error, bool json) {
    if (json) {
        std::cout << errorJson(error).dump(2) << '\n';
    } else {
        std::cerr << "error: " << error.message << '\n';
    }
}

}  // namespace cli
