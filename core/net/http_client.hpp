#pragma once
// HTTP over libcurl. TLS verification is always on; a custom CA bundle may be given.
// Transport failures (DNS, connect, TLS, timeout, dropped connection) come back as
// ErrorCode::Network / ErrorCode::Timeout with Error::requestSent telling whether the request
// may have reached the server. Any HTTP status is a successful transport result.
#include "core/util/result.hpp"

#include <string>
#include <utility>
#include <vector>

namespace core::net {

struct HttpRequest {
    std::string method = "POST";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    long connectTimeoutMs = 5000;
    long totalTimeoutMs = 20000;
    std::string caFile;  // empty = system trust store
};

struct HttpResponse {
    long status = 0;
    std::string contentType;
    std::string body;
};

class HttpClient {
public:
    HttpClient();
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Blocking; call from a worker thread, never the UI thread.
    Result<HttpResponse> send(const HttpRequest& request);

private:
    void* m_curl;  // CURL*, reused so keep-alive connections serve page walks
};

}  // namespace core::net
