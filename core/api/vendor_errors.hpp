#pragma once
// Vendor error codes (vendor-protocol.md §3) with clear English and Chinese messages.
#include "core/util/lang.hpp"

#include <string>
#include <string_view>

namespace core::api {

struct VendorErrorInfo {
    int code;
    const char* en;     // what it means and what to do, in plain English
    const char* zh;     // the same in Simplified Chinese
};

// nullptr for a code the catalogue does not know.
const VendorErrorInfo* findVendorError(int code);

// "Vendor error 4006: <message>" in the language; an unknown code shows the raw code and vendor text.
std::string describeVendorError(int code, std::string_view vendorMessage, Lang lang = Lang::En);

// A reply with code 0 is success only when its message is not an error text (§10):
// true when the message reads like an error ("sorry, ...", "失败", "错误", "invalid", ...).
bool looksLikeErrorMessage(std::string_view message);

}  // namespace core::api
