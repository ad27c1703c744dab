#include "core/net/http_client.hpp"

#include <curl/curl.h>

#include <mutex>

namespace core::net {
namespace {

void globalInitOnce() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t appendBody(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::string hostOf(const std::string& url) {
    const auto start = url.find("://");
    const size_t from = start == std::string::npos ? 0 : start + 3;
    const auto end = url.find_first_of("/?#", from);
    return url.substr(from, end == std::string::npos ? std::string::npos : end - from);
}

// Failures where curl never handed the request to the server.
bool failedBeforeSending(CURLcode rc) {
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
        return true;
    default:
        return false;
    }
}

Error transportError(CURLcode rc, const std::string& url, const char* detail, bool sent) {
    const std::string host = hostOf(url);
    std::string message;
    ErrorCode code = ErrorCode::Network;
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        message = "The URL '" + url + "' is not valid: use http:// or https:// and a host name.";
        code = ErrorCode::Config;
        break;
    case CURLE_COULDNT_RESOLVE_HOST:
        message = "Cannot find the server " + host + " (DNS lookup failed). Check the profile URL and your internet connection.";
        break;
    case CURLE_COULDNT_CONNECT:
        message = "Cannot connect to " + host + " (" + detail + "). Check that the server is running and the URL and port are right.";
        break;
    case CURLE_OPERATION_TIMEDOUT:
        code = ErrorCode::Timeout;
        message = "The server " + host + " did not answer in time (" + detail + "). Try again; if it keeps happening check the network.";
        break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
        message = "The TLS connection to " + host + " could not be verified (" + detail +
                  "). If the server uses a private certificate authority, set the profile's CA file "
                  "(--ca-file or PICKUPDESK_CA_FILE); verification is never turned off.";
        break;
    default:
        message = "The connection to " + host + " failed (" + detail + "). Check the network and try again.";
        break;
    }
    Error error = makeError(code, std::move(message));
    error.requestSent = sent;
    return error;
}

}  // namespace

HttpClient::HttpClient() {
    globalInitOnce();
    m_curl = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(m_curl)); }

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
    CURL* curl = static_cast<CURL*>(m_curl);
    if (curl == nullptr) return makeError(ErrorCode::Network, "Cannot start the HTTP client (libcurl init failed).");
    curl_easy_reset(curl);

    HttpResponse response;
    char errorBuffer[CURL_ERROR_SIZE] = {0};
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, request.totalTimeoutMs);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!request.caFile.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.caFile.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, appendBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "PickupDesk/0.1");

    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK) {
        long requestSize = 0;
        curl_easy_getinfo(curl, CURLINFO_REQUEST_SIZE, &requestSize);
        const bool sent = !failedBeforeSending(rc) && (requestSize > 0 || rc != CURLE_OPERATION_TIMEDOUT);
        const char* detail = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(rc);
        return transportError(rc, request.url, detail, sent);
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
    char* contentType = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &contentType);
    if (contentType != nullptr) response.contentType = contentType;
    return response;
}

}  // namespace core::net
