#include "app/sim/sim_api.hpp"

#include "core/util/base64.hpp"

#include <chrono>
#include <regex>
#include <thread>

#include <httplib.h>
#include <spdlog/spdlog.h>

namespace app::sim {
namespace {

using Params = core::sign::Params;
using Handler = ApiReply (Endpoints::*)(const Params&, const Captures&);

struct Route {
    const char* method;
    std::regex pattern;  // over the path after /api/openapi/v1/
    Handler handler;
};

const std::vector<Route>& routes() {
    static const std::vector<Route> kRoutes = {
        {"POST", std::regex("ping"), &Endpoints::ping},
        {"POST", std::regex("rent/machines"), &Endpoints::machines},
        {"POST", std::regex("rent/machines/([0-9A-Za-z_-]+)"), &Endpoints::machineDetail},
        {"POST", std::regex("products"), &Endpoints::products},
        {"POST", std::regex("products/([0-9]{1,18})/pickup_code"), &Endpoints::listCodes},
        {"POST", std::regex("pickup_codes"), &Endpoints::createCodes},
        {"PUT", std::regex("pickup_codes"), &Endpoints::deleteCodes},
    };
    return kRoutes;
}

constexpr const char* kApiPrefix = "/api/openapi/v1/";

std::string dumpJson(const nlohmann::json& value) {
    // Replace rather than throw on invalid UTF-8 echoed from a request.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void writeReply(httplib::Response& res, const ApiReply& reply, bool dropConnection) {
    nlohmann::json envelope = {{"code", reply.code}, {"message", reply.message}};
    if (!reply.data.is_null()) envelope["data"] = reply.data;
    const std::string body = dumpJson(envelope);
    res.status = reply.httpStatus;
    if (!dropConnection) {
        res.set_content(body, "application/json");
        return;
    }
    // Headers announce the full length, then the provider fails: the client sees a cut transfer.
    res.set_content_provider(body.size(), "application/json",
                             [](size_t, size_t, httplib::DataSink&) { return false; });
}

core::Result<Params> decodePayload(const std::string& body) {
    auto fail = [](const char* detail) {
        return vendorError(4003, std::string("sorry, invalid params: ") + detail);
    };
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return fail("the body must be JSON {\"payload\":\"...\"}");
    const auto it = json.find("payload");
    if (it == json.end() || !it->is_string() || it->get<std::string>().empty()) return fail("payload is missing");
    const auto decoded = core::util::base64Decode(it->get<std::string>());
    if (!decoded) return fail("payload is not base64");
    const auto payload = nlohmann::json::parse(*decoded, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()) return fail("payload is not a JSON object");
    return core::sign::paramsFromJson(payload);
}

}  // namespace

SimApi::SimApi(SimConfig config)
    : m_config(std::move(config)), m_state(makeSeed()), m_faults(m_config.faults), m_endpoints(m_state, m_config) {}

void SimApi::registerRoutes(httplib::Server& server) {
    const std::string api = std::string(kApiPrefix) + "(.*)";
    auto apiHandler = [this](const httplib::Request& req, httplib::Response& res) { handleApi(req, res); };
    server.Get(api, apiHandler);
    server.Post(api, apiHandler);
    server.Put(api, apiHandler);
    server.Delete(api, apiHandler);
    server.Patch(api, apiHandler);
    registerAdminRoutes(server);

    auto notFound = [](const httplib::Request& req, httplib::Response& res) {
        res.status = 404;
        res.set_content(R"({"code":6016,"message":"route not found"})", "application/json");
        spdlog::info("{} {} -> 404 code 6016", req.method, req.path);
    };
    server.Get(".*", notFound);
    server.Post(".*", notFound);
    server.Put(".*", notFound);
    server.Delete(".*", notFound);
    server.Patch(".*", notFound);
    server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(R"({"code":500,"message":"simulator internal error"})", "application/json");
        spdlog::error("{} {} -> 500 (handler threw)", req.method, req.path);
    });
}

bool SimApi::applyFaults(const Faults& faults, const httplib::Request& req, httplib::Response& res) {
    if (faults.latencyMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(faults.latencyMs));
    if (faults.fail5xx) {
        res.status = 503;
        res.set_content("Service Unavailable (simulated)\n", "text/plain");
        spdlog::info("{} {} -> 503 (fault fail_5xx)", req.method, req.path);
        return true;
    }
    if (faults.htmlError) {
        res.status = 502;
        res.set_content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html");
        spdlog::info("{} {} -> 502 (fault html_error)", req.method, req.path);
        return true;
    }
    return false;
}

std::optional<ApiReply> SimApi::checkAuth(const httplib::Request& req) const {
    const std::string appId = req.get_header_value("Appid");
    const std::string appSecret = req.get_header_value("AppSecret");
    if (appId.empty() || appSecret.empty()) {
        ApiReply reply = errorReply(10008, "appid or appsecret is empty");
        reply.httpStatus = 401;
        return reply;
    }
    if (appId != m_config.appId) return errorReply(4001, "sorry, appid invalid");
    if (appSecret != m_config.appSecret) return errorReply(4009, "sorry, app secret invalid");
    return std::nullopt;
}

ApiReply SimApi::dispatch(const httplib::Request& req) {
    const std::string subPath = req.path.substr(std::char_traits<char>::length(kApiPrefix));
    for (const Route& route : routes()) {
        std::smatch match;
        if (req.method != route.method || !std::regex_match(subPath, match, route.pattern)) continue;
        if (auto denied = checkAuth(req)) return *denied;
        auto params = decodePayload(req.body);
        if (!params) return errorReply(params.error());
        if (!core::sign::verify(*params, m_config.signKey, m_config.encoding)) {
            return errorReply(4006, "sorry, payload sign invalid");
        }
        if (params->count("timestamp") == 0 || params->at("timestamp").empty()) {
            return errorReply(4003, "sorry, invalid params: timestamp is required");
        }
        Captures captures;
        for (size_t i = 1; i < match.size(); ++i) captures.push_back(match[i].str());
        return (m_endpoints.*route.handler)(*params, captures);
    }
    ApiReply reply = errorReply(6016, "route not found");
    reply.httpStatus = 404;
    reply.data = nullptr;  // the vendor's 404 carries no data
    return reply;
}

void SimApi::handleApi(const httplib::Request& req, httplib::Response& res) {
    m_state.countRequest();
    const Faults faults = m_faults.current();
    if (applyFaults(faults, req, res)) return;
    const ApiReply reply = dispatch(req);
    const bool drop = reply.createdCodes && faults.dropAfterCreate;
    writeReply(res, reply, drop);
    spdlog::info("{} {} -> {} code {}{}", req.method, req.path, reply.httpStatus, reply.code,
                 drop ? " (fault drop_after_create: connection cut)" : "");
}

}  // namespace app::sim
