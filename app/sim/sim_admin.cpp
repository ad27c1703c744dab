// The /_sim/* admin routes: no auth, no faults. They let tests and demos look inside the
// simulated cloud and act for the world outside it (a customer redeeming a code).
#include "app/sim/sim_api.hpp"
#include "app/sim/sim_push.hpp"

#include <charconv>

#include <httplib.h>
#include <spdlog/spdlog.h>

namespace app::sim {
namespace {

const char* listTimeFormatName(ListTimeFormat format) {
    switch (format) {
        case ListTimeFormat::Seconds: return "s";
        case ListTimeFormat::Millis: return "ms";
        case ListTimeFormat::Gmt8: break;
    }
    return "gmt8";
}

void writeJson(httplib::Response& res, int status, const nlohmann::json& body) {
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

void writeAdminError(httplib::Response& res, int status, const std::string& message) {
    writeJson(res, status, {{"ok", false}, {"error", message}});
}

void logAdmin(const httplib::Request& req, const httplib::Response& res) {
    spdlog::info("{} {} -> {} (admin)", req.method, req.path, res.status);
}

}  // namespace

nlohmann::json SimApi::stateJson() const {
    nlohmann::json state = m_state.dump();
    state["faults"] = faultsToJson(m_faults.current());
    state["config"] = {{"sign_encoding", core::sign::encodingName(m_config.encoding)},
                       {"list_time_format", listTimeFormatName(m_config.listTimeFormat)},
                       {"tls", !m_config.tlsCert.empty()}};
    return state;
}

void SimApi::registerAdminRoutes(httplib::Server& server) {
    server.Get("/_sim/state", [this](const httplib::Request& req, httplib::Response& res) {
        writeJson(res, 200, stateJson());
        logAdmin(req, res);
    });

    server.Post("/_sim/faults", [this](const httplib::Request& req, httplib::Response& res) {
        const auto patch = nlohmann::json::parse(req.body, nullptr, false);
        if (patch.is_discarded()) {
            writeAdminError(res, 400, "the body is not JSON; send e.g. {\"latency_ms\":200,\"fail_5xx\":false}");
        } else if (auto error = m_faults.apply(patch)) {
            writeAdminError(res, 400, *error);
        } else {
            writeJson(res, 200, faultsToJson(m_faults.current()));
        }
        logAdmin(req, res);
    });

    server.Post(R"(/_sim/codes/([0-9]+)/([0-9]{1,18})/use)",
                [this](const httplib::Request& req, httplib::Response& res) {
                    std::int64_t id = 0;
                    const std::string idText = req.matches[2].str();
                    std::from_chars(idText.data(), idText.data() + idText.size(), id);
                    auto used = m_state.markUsed(req.matches[1].str(), id);
                    if (used && m_config.push != nullptr) {
                        if (auto machine = m_state.machine(used->machineNo)) m_config.push->codeUsed(*machine, used->id);
                    }
                    if (used) {
                        writeJson(res, 200, {{"ok", true}, {"id", used->id}, {"code", used->code}});
                    } else {
                        const int status = used.error().vendorCode == 6033 ? 409 : 404;
                        writeAdminError(res, status, used.error().vendorMessage);
                    }
                    logAdmin(req, res);
                });

    server.Post("/_sim/reset", [this](const httplib::Request& req, httplib::Response& res) {
        m_state.reset(makeSeed());
        m_faults.reset();
        writeJson(res, 200, {{"ok", true}});
        logAdmin(req, res);
    });
}

}  // namespace app::sim
