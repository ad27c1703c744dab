#pragma once
// The vendor open-API endpoints, after authentication and signature checks passed.
#include "app/sim/sim_config.hpp"
#include "app/sim/sim_state.hpp"
#include "core/sign/signing.hpp"

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace app::sim {

// One reply envelope {code, message, data}; httpStatus is 200 except for the few noted cases.
struct ApiReply {
    int httpStatus = 200;
    int code = 0;
    std::string message = "ok";
    nlohmann::json data = nlohmann::json::object();
    bool createdCodes = false;  // a create was applied (the drop-after-create fault keys on it)
};

ApiReply okReply(nlohmann::json data);
ApiReply errorReply(int code, std::string message);
ApiReply errorReply(const core::Error& error);

using Captures = std::vector<std::string>;  // regex groups of the route path

class Endpoints {
public:
    Endpoints(SimState& state, const SimConfig& config) : m_state(state), m_config(config) {}

    ApiReply ping(const core::sign::Params& params, const Captures& captures);
    ApiReply machines(const core::sign::Params& params, const Captures& captures);
    ApiReply machineDetail(const core::sign::Params& params, const Captures& captures);
    ApiReply products(const core::sign::Params& params, const Captures& captures);
    ApiReply createCodes(const core::sign::Params& params, const Captures& captures);
    ApiReply deleteCodes(const core::sign::Params& params, const Captures& captures);
    ApiReply listCodes(const core::sign::Params& params, const Captures& captures);

private:
    void pushCreated(const CreateRequest& request, int created);  // with --mqtt-url

    SimState& m_state;
    const SimConfig& m_config;
};

}  // namespace app::sim
