#pragma once
#include <string>
#include <string_view>

namespace core::util {

// MD5 of the bytes as 32 hex digits (upper-case, as the vendor's `sign`).
std::string md5HexUpper(std::string_view bytes);
std::string md5HexLower(std::string_view bytes);

}  // namespace core::util
