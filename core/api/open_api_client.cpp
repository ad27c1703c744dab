#include "core/api/open_api_client.hpp"

#include "core/tz/machine_time.hpp"
#include "core/util/base64.hpp"

namespace core::api {

using nlohmann::json;

OpenApiClient::OpenApiClient(ClientConfig config)
    : m_config(std::move(config)), m_http(std::make_unique<net::HttpClient>()) {
    while (!m_config.baseUrl.empty() && m_config.baseUrl.back() == '/') m_config.baseUrl.pop_back();
}

std::string OpenApiClient::buildBody(sign::Params payload) const {
    payload.erase("sign");
    payload["timestamp"] = std::to_string(tz::nowUtc());
    payload["sign"] = sign::sign(payload, m_config.signKey, m_config.encoding);
    json object = json::object();
    for (const auto& [k, v] : payload) object[k] = v;
    return json{{"payload", util::base64Encode(object.dump())}}.dump();
}

Result<OpenApiClient::Reply> OpenApiClient::call(const char* httpMethod, const std::string& path,
                                                 sign::Params payload) {
    if (m_config.baseUrl.empty()) {
        return makeError(ErrorCode::Config, "No vendor URL is set: add a profile (pickupctl profile add) or set PICKUPDESK_URL.");
    }
    net::HttpRequest request;
    request.method = httpMethod;
    request.url = m_config.baseUrl + "/api/openapi/v1" + path;
    request.headers = {{"Content-Type", "application/json"},
                       {"Accept", "application/json"},
                       {"Appid", m_config.appId},
                       {"AppSecret", m_config.appSecret}};
    request.body = buildBody(std::move(payload));
    request.connectTimeoutMs = m_config.connectTimeoutMs;
    request.totalTimeoutMs = m_config.totalTimeoutMs;
    request.caFile = m_config.caFile;
    auto response = m_http->send(request);
    if (!response) return response.error();
    auto data = parseEnvelope(*response);
    if (!data) {
        Error error = data.error();
        if (error.code == ErrorCode::Vendor && error.vendorCode == 4006) {
            error.message += " Current settings: sign encoding '" + std::string(sign::encodingName(m_config.encoding)) +
                             "'; change them with `pickupctl profile add --sign-key-stdin --sign-encoding raw|form` "
                             "or PICKUPDESK_SIGN_KEY / PICKUPDESK_SIGN_ENCODING.";
        }
        return error;
    }
    return Reply{std::move(*data), std::move(response->body)};
}

Result<std::string> OpenApiClient::ping() {
    auto reply = call("POST", "/ping", {});
    if (!reply) return reply.error();
    return reply->data.is_string() ? reply->data.get<std::string>() : reply->data.dump();
}

Result<std::vector<Machine>> OpenApiClient::machines() {
    auto reply = call("POST", "/rent/machines", {});
    if (!reply) return reply.error();
    if (!reply->data.is_array() && !reply->data.is_null()) {
        return makeError(ErrorCode::Protocol, "The machine list reply is not a list.");
    }
    return parseMachines(reply->data);
}

Result<json> OpenApiClient::machineDetail(const std::string& machineNo) {
    auto reply = call("POST", "/rent/machines/" + machineNo, {{"machine_no", machineNo}});
    if (!reply) return reply.error();
    return std::move(reply->data);
}

Result<std::vector<Product>> OpenApiClient::products(const std::string& machineNo,
                                                     const std::function<void(int, int)>& onPage) {
    constexpr int kPerPage = 20;  // machines rarely hold more; small pages keep replies quick
    constexpr int kMaxPages = 1000;  // a guard against a server that never reports the last page
    std::vector<Product> all;
    for (int page = 1; page <= kMaxPages; ++page) {
        auto reply = call("POST", "/products",
                          {{"machine_no", machineNo}, {"page", std::to_string(page)},
                           {"per_page", std::to_string(kPerPage)}, {"select_all", "1"}});
        if (!reply) return reply.error();
        auto parsed = parseProductPage(reply->data, machineNo);
        if (!parsed) return parsed.error();
        if (onPage) onPage(page, parsed->lastPage);
        const bool empty = parsed->items.empty();
        for (auto& p : parsed->items) all.push_back(std::move(p));
        if (empty || page >= parsed->lastPage) break;
    }
    return all;
}

Result<std::string> OpenApiClient::createCodes(const CreateCodesRequest& request) {
    sign::Params payload{{"machine_no", request.machineNo},
                         {"code_length", std::to_string(request.codeLength)}};
    if (request.productId) {
        payload["method"] = "pickup_code.product.id";
        payload["product_id"] = std::to_string(*request.productId);
        payload["count"] = std::to_string(request.count);
    } else {
        payload["method"] = "pickup_code.product.all";
    }
    if (!request.expiresGmt8.empty()) payload["expired_at"] = request.expiresGmt8;
    auto reply = call("POST", "/pickup_codes", std::move(payload));
    if (reply) return std::move(reply->raw);
    Error error = reply.error();
    if ((error.code == ErrorCode::Network || error.code == ErrorCode::Timeout) && error.requestSent) {
        const char* what = error.code == ErrorCode::Timeout ? "the reply timed out" : "the connection dropped";
        error.code = ErrorCode::OutcomeUnknown;
        error.message = "The create request for machine " + request.machineNo + " was sent but " + what +
                        ". The codes may or may not have been created; nothing was retried. Run `pickupctl reconcile " +
                        request.machineNo + "` to find out.";
    }
    return error;
}

Status OpenApiClient::deleteCode(const std::string& machineNo, std::int64_t codeId) {
    auto reply = call("PUT", "/pickup_codes",
                      {{"machine_no", machineNo}, {"method", "pickup_code.delete.id"}, {"id", std::to_string(codeId)}});
    if (!reply) return reply.error();
    return {};
}

Status OpenApiClient::deleteAllCodes(const std::string& machineNo) {
    auto reply = call("PUT", "/pickup_codes", {{"machine_no", machineNo}, {"method", "pickup_code.delete.all"}});
    if (!reply) return reply.error();
    return {};
}

Result<std::vector<PickupCode>> OpenApiClient::unusedCodes(const std::string& machineNo, std::int64_t productId) {
    auto reply = call("POST", "/products/" + std::to_string(productId) + "/pickup_code", {{"machine_no", machineNo}});
    if (!reply) return reply.error();
    return parseUnusedCodes(reply->data, machineNo, productId);
}

}  // namespace core::api
