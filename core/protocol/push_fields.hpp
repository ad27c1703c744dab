#pragma once
// Reads push fields that should be strings but may arrive as numbers, noting what is missing or odd.
// Private to core/protocol.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace core::protocol::detail {

class FieldReader {
public:
    FieldReader(const nlohmann::json& object, std::vector<std::string>& notes)
        : m_object(object), m_notes(notes) {}

    // The value as text ("" when missing or null); notes a missing required field.
    std::string text(const char* key, bool required = true);
    // A whole number given as "123" or 123; notes a missing required field or a non-number.
    std::optional<std::int64_t> integer(const char* key, bool required = true);
    std::optional<int> smallInt(const char* key, bool required = true);
    // "0"/"1" (also "false"/"true", 0/1, false/true).
    std::optional<bool> flag(const char* key, bool required = true);

private:
    const nlohmann::json& m_object;
    std::vector<std::string>& m_notes;
};

// Parses a whole decimal number (optional '-'); empty on anything else.
std::optional<std::int64_t> parseWhole(const std::string& text);

}  // namespace core::protocol::detail
