#pragma once
// The vendor's open API (vendor-protocol.md §2): POST {url}/api/openapi/v1/<path> with headers
// Appid/AppSecret and body {"payload": base64(signed JSON)}; a fresh timestamp on every call.
// Blocking: call from worker threads.
#include "core/api/reply_parse.hpp"
#include "core/domain/types.hpp"
#include "core/net/http_client.hpp"
#include "core/sign/signing.hpp"
#include "core/util/result.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace core::api {

struct ClientConfig {
    std::string baseUrl;
    std::string appId;
    std::string appSecret;
    std::string signKey;
    sign::Encoding encoding = sign::Encoding::Raw;
    std::string caFile;
    long connectTimeoutMs = 5000;
    long totalTimeoutMs = 20000;
};

struct CreateCodesRequest {
    std::string machineNo;
    std::optional<std::int64_t> productId;  // nullopt: pickup_code.product.all (one code per product)
    int count = 1;
    int codeLength = 6;
    std::string expiresGmt8;                // "" = never expires
};

class OpenApiClient {
public:
    explicit OpenApiClient(ClientConfig config);

    Result<std::string> ping();
    Result<std::vector<Machine>> machines();
    Result<nlohmann::json> machineDetail(const std::string& machineNo);
    // Walks every page; onPage(page, lastPage) reports progress.
    Result<std::vector<Product>> products(const std::string& machineNo,
                                          const std::function<void(int, int)>& onPage = {});
    // Not idempotent: a transport failure after sending comes back as ErrorCode::OutcomeUnknown.
    // Returns the raw reply body for the audit trail.
    Result<std::string> createCodes(const CreateCodesRequest& request);
    Status deleteCode(const std::string& machineNo, std::int64_t codeId);
    Status deleteAllCodes(const std::string& machineNo);
    Result<std::vector<PickupCode>> unusedCodes(const std::string& machineNo, std::int64_t productId);

    // The signed body for a payload (adds timestamp and sign); exposed for tests and `pickupctl sign`.
    std::string buildBody(sign::Params payload) const;
    const ClientConfig& config() const { return m_config; }

private:
    struct Reply {
        nlohmann::json data;
        std::string raw;
    };
    Result<Reply> call(const char* httpMethod, const std::string& path, sign::Params payload);

    ClientConfig m_config;
    std::unique_ptr<net::HttpClient> m_http;
};

}  // namespace core::api
