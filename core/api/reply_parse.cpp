#include "core/api/reply_parse.hpp"

#include "core/api/vendor_errors.hpp"
#include "core/tz/machine_time.hpp"

#include <charconv>
#include <cstdint>

namespace core::api {

using nlohmann::json;

std::string jsonText(const json& object, const char* key) {
    if (!object.is_object()) return {};
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    if (it->is_boolean()) return it->get<bool>() ? "1" : "0";
    return it->dump();
}

std::int64_t jsonInt(const json& object, const char* key, std::int64_t fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_number_float()) {
        // Out-of-range doubles (1e300, NaN) would overflow the cast (a fuzz finding): use the fallback.
        const double d = it->get<double>();
        return (d > -9.2e18 && d < 9.2e18) ? static_cast<std::int64_t>(d) : fallback;
    }
    if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (ec == std::errc{} && ptr == s.data() + s.size()) return value;
    }
    return fallback;
}

bool jsonBool(const json& object, const char* key, bool fallback) {
    if (!object.is_object()) return fallback;
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return fallback;
    if (it->is_boolean()) return it->get<bool>();
    if (it->is_number()) return it->get<double>() != 0;
    if (it->is_string()) {
        const auto& s = it->get_ref<const std::string&>();
        return s == "1" || s == "true" || s == "TRUE" || s == "online";
    }
    return fallback;
}

namespace {

bool looksLikeHtml(const net::HttpResponse& response) {
    if (response.contentType.find("html") != std::string::npos) return true;
    const auto first = response.body.find_first_not_of(" \t\r\n");
    return first != std::string::npos && response.body[first] == '<';
}

Error httpError(const net::HttpResponse& response, std::string message) {
    Error error = makeError(ErrorCode::Http, std::move(message));
    error.httpStatus = static_cast<int>(response.status);
    return error;
}

Error vendorError(int code, const std::string& vendorMessage, long status) {
    Error error = makeError(ErrorCode::Vendor, describeVendorError(code, vendorMessage, Lang::En));
    error.vendorCode = code;
    error.vendorMessage = vendorMessage;
    error.httpStatus = static_cast<int>(status);
    return error;
}

}  // namespace

Result<json> parseEnvelope(const net::HttpResponse& response) {
    const std::string status = std::to_string(response.status);
    if (looksLikeHtml(response)) {
        return httpError(response, "The server answered HTTP " + status +
                                       " with a web page instead of API data (a proxy or gateway error?). "
                                       "Check the profile URL; if it is right, the vendor service may be down: try again later.");
    }
    json body = json::parse(response.body, nullptr, false);
    const bool envelope = body.is_object() && body.contains("code");
    if (envelope && (response.status == 200 || response.status == 401 || response.status == 403)) {
        // A code outside int (4294967296 would truncate to 0 = success) counts as unknown (-1).
        const std::int64_t rawCode = jsonInt(body, "code", -1);
        const int code = (rawCode >= INT32_MIN && rawCode <= INT32_MAX) ? static_cast<int>(rawCode) : -1;
        const std::string message = jsonText(body, "message");
        if (code != 0 || looksLikeErrorMessage(message)) return vendorError(code, message, response.status);
        return body.contains("data") ? body["data"] : json(nullptr);
    }
    if (response.status == 401 || response.status == 403) {
        return httpError(response, "The server refused the credentials (HTTP " + status +
                                       "). Check the profile's Appid and AppSecret.");
    }
    if (response.status >= 500) {
        return httpError(response, "The vendor server had an error (HTTP " + status + "). Try again later.");
    }
    if (response.status != 200) {
        return httpError(response, "Unexpected HTTP " + status + " from the server. Check the profile URL.");
    }
    return makeError(ErrorCode::Protocol, "The server's reply is not the vendor's {code,message,data} JSON. "
                                          "Check that the profile URL points at the vendor open API.");
}

std::vector<Machine> parseMachines(const json& data) {
    std::vector<Machine> machines;
    if (!data.is_array()) return machines;
    for (const auto& item : data) {
        Machine m;
        m.machineNo = jsonText(item, "machine_no");
        if (m.machineNo.empty()) continue;
        m.name = jsonText(item, "machine_name");
        m.address = jsonText(item, "address");
        m.online = jsonBool(item, "is_online");
        if (item.contains("status")) m.status = jsonBool(item, "status") ? "enabled" : "disabled";
        machines.push_back(std::move(m));
    }
    return machines;
}

Result<ProductPage> parseProductPage(const json& data, const std::string& machineNo) {
    if (!data.is_object() || (data.contains("data") && !data["data"].is_array() && !data["data"].is_null())) {
        return makeError(ErrorCode::Protocol, "The product list reply has no item list.");
    }
    ProductPage page;
    page.currentPage = static_cast<int>(jsonInt(data, "current_page", 1));
    page.lastPage = static_cast<int>(jsonInt(data, "last_page", 1));
    page.total = static_cast<int>(jsonInt(data, "total", 0));
    const json items = data.value("data", json::array());
    for (const auto& item : items) {
        Product p;
        p.machineNo = machineNo;
        p.id = jsonInt(item, "id");
        if (p.id == 0) continue;
        const json good = item.value("good", json::object());
        const json channel = item.value("channel", json::object());
        const json category = item.value("category", json::object());
        p.name = jsonText(good, "name");
        p.price = jsonText(good, "price");
        p.channel = jsonText(channel, "name");
        p.cabinet = jsonText(channel, "cabinet_name");
        p.addr = static_cast<int>(jsonInt(channel, "addr", 1));
        p.currentInventory = static_cast<int>(jsonInt(item, "current_inventory"));
        p.capacity = static_cast<int>(jsonInt(item, "inventory"));
        p.category = jsonText(category, "title");
        page.items.push_back(std::move(p));
    }
    return page;
}

Result<std::vector<PickupCode>> parseUnusedCodes(const json& data, const std::string& machineNo,
                                                 std::int64_t productId) {
    std::vector<PickupCode> codes;
    if (data.is_null()) return codes;  // protobuf JSON omits empty lists
    if (!data.is_array()) return makeError(ErrorCode::Protocol, "The pickup-code list reply is not a list.");
    for (const auto& item : data) {
        PickupCode c;
        c.machineNo = machineNo;
        c.productId = productId;
        c.id = jsonInt(item, "id");
        c.code = jsonText(item, "code");
        if (c.id == 0 || c.code.empty()) {
            return makeError(ErrorCode::Protocol, "A pickup code in the list has no id or code.");
        }
        c.quantity = static_cast<int>(jsonInt(item, "quantity", 1));
        c.status = parseCodeStatus(jsonText(item, "status")).value_or(CodeStatus::Unused);
        for (const auto& [key, target] : {std::pair{"created_at", &c.createdUtc}, std::pair{"expired_at", &c.expiresUtc}}) {
            const std::string text = jsonText(item, key);
            if (text.empty() || text == "0") continue;
            auto instant = tz::parseVendorTime(text);
            if (!instant) {
                return makeError(ErrorCode::Protocol, "Code " + c.code + " has an unreadable " + key + " '" + text + "'.");
            }
            *target = *instant;
        }
        codes.push_back(std::move(c));
    }
    return codes;
}

}  // namespace core::api
