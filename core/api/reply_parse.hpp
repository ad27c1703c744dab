#pragma once
// Turns vendor replies into typed results. Tolerant where the vendor is inconsistent
// (numbers as strings or ints, omitted falsy fields), strict where safety needs it
// (a code-0 reply with an error text is an error).
#include "core/domain/types.hpp"
#include "core/net/http_client.hpp"
#include "core/util/result.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace core::api {

// Reads the {code,message,data} envelope: returns `data` on success, else a typed error
// (HTTP status, HTML or non-JSON page, vendor code with its catalogue message).
Result<nlohmann::json> parseEnvelope(const net::HttpResponse& response);

std::vector<Machine> parseMachines(const nlohmann::json& data);

struct ProductPage {
    std::vector<Product> items;
    int currentPage = 1;
    int lastPage = 1;
    int total = 0;
};
Result<ProductPage> parseProductPage(const nlohmann::json& data, const std::string& machineNo);

// Codes from POST /products/{id}/pickup_code; times may be GMT+8 strings or epochs in s or ms.
Result<std::vector<PickupCode>> parseUnusedCodes(const nlohmann::json& data, const std::string& machineNo,
                                                 std::int64_t productId);

// Field helpers that accept a string or a number.
std::string jsonText(const nlohmann::json& object, const char* key);
std::int64_t jsonInt(const nlohmann::json& object, const char* key, std::int64_t fallback = 0);
bool jsonBool(const nlohmann::json& object, const char* key, bool fallback = false);

}  // namespace core::api
