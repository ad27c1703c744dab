#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace core::util {

// Standard Base64 (RFC 4648, with padding), as the vendor uses for payloads and pushes.
std::string base64Encode(std::string_view bytes);
// Strict decode: whitespace (line breaks) is skipped, anything else outside the alphabet fails.
std::optional<std::string> base64Decode(std::string_view text);

}  // namespace core::util
