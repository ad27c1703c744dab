#pragma once
// The vendor's signature (vendor-protocol.md §1, decisions in §10).
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace core::sign {

// How values are written into the signed string: `raw` (PHP, Rust libraries) or
// `form` (Go url.Values.Encode / Kotlin URLEncoder: space -> '+', reserved bytes -> %XX).
enum class Encoding { Raw, Form };

std::optional<Encoding> parseEncoding(std::string_view text);
const char* encodingName(Encoding encoding);

// std::map orders keys by byte value, which is the ASCII sort the rule asks for.
using Params = std::map<std::string, std::string>;

// application/x-www-form-urlencoded escaping as Go's url.QueryEscape does it.
std::string formEncode(std::string_view value);

// "k=v&...&key=SECRET" over the params that count (no `sign`, no empty, null or "NULL" values).
// Holds the secret: never log it.
std::string canonicalString(const Params& params, std::string_view key, Encoding encoding);

// MD5 of canonicalString, upper-case hex.
std::string sign(const Params& params, std::string_view key, Encoding encoding);

// True when params["sign"] matches (case-insensitive hex compare).
bool verify(const Params& params, std::string_view key, Encoding encoding);

// Converts a flat JSON object into Params as the vendor signs it: strings as they are,
// numbers and booleans as their JSON text, null dropped, nested values as compact JSON.
Params paramsFromJson(const nlohmann::json& object);

}  // namespace core::sign
