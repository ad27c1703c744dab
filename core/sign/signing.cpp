#include "core/sign/signing.hpp"

#include "core/util/md5.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

namespace core::sign {

std::optional<Encoding> parseEncoding(std::string_view text) {
    if (text == "raw") return Encoding::Raw;
    if (text == "form") return Encoding::Form;
    return std::nullopt;
}

const char* encodingName(Encoding encoding) { return encoding == Encoding::Raw ? "raw" : "form"; }

std::string formEncode(std::string_view value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(value.size());
    for (unsigned char c : value) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else if (c == ' ') {
            out.push_back('+');
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0x0F]);
        }
    }
    return out;
}

namespace {

bool counts(const std::string& key, const std::string& value) {
    return key != "sign" && !value.empty() && value != "NULL";
}

}  // namespace

std::string canonicalString(const Params& params, std::string_view key, Encoding encoding) {
    std::string out;
    for (const auto& [k, v] : params) {
        if (!counts(k, v)) continue;
        if (encoding == Encoding::Form) {
            out += formEncode(k);
            out += '=';
            out += formEncode(v);
        } else {
            out += k;
            out += '=';
            out += v;
        }
        out += '&';
    }
    out += "key=";
    out += key;
    return out;
}

std::string sign(const Params& params, std::string_view key, Encoding encoding) {
    return util::md5HexUpper(canonicalString(params, key, encoding));
}

bool verify(const Params& params, std::string_view key, Encoding encoding) {
    const auto it = params.find("sign");
    if (it == params.end() || it->second.size() != 32) return false;
    const std::string expected = sign(params, key, encoding);
    for (size_t i = 0; i < expected.size(); ++i) {
        const char got = static_cast<char>(std::toupper(static_cast<unsigned char>(it->second[i])));
        if (got != expected[i]) return false;
    }
    return true;
}

Params paramsFromJson(const nlohmann::json& object) {
    Params params;
    if (!object.is_object()) return params;
    for (const auto& [k, v] : object.items()) {
        if (v.is_null()) continue;
        params[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    return params;
}

}  // namespace core::sign
