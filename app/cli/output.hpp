#pragma once
// Human tables (CJK-width aware) and JSON output for pickupctl.
#include "core/domain/types.hpp"
#include "core/util/result.hpp"

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

// Terminal columns taken by UTF-8 text (East Asian wide characters count 2).
int displayWidth(std::string_view utf8);

class Table {
public:
    explicit Table(std::vector<std::string> headers);
    void addRow(std::vector<std::string> cells);
    void print(std::ostream& out) const;
    bool empty() const { return m_rows.empty(); }

private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

// Which zone to show code times in.
enum class TimeView { Machine, Utc, Local };

nlohmann::json codeJson(const core::PickupCode& code, const std::string& machineZone);
nlohmann::json machineJson(const core::Machine& machine, const std::string& effectiveZone);
nlohmann::json productJson(const core::Product& product);
nlohmann::json errorJson(const core::Error& error);

// Prints an error: JSON on stdout with --json, else "error: <message>" on stderr.
void printError(const core::Error& error, bool json);

}  // namespace cli
