#pragma once
// HTTP glue of the simulator: vendor routes (faults, auth, payload, signature, envelope)
// and the /_sim/* admin routes. Owns the state; the server owns the sockets.
#include "app/sim/sim_config.hpp"
#include "app/sim/sim_endpoints.hpp"
#include "app/sim/sim_faults.hpp"
#include "app/sim/sim_state.hpp"

#include <optional>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace app::sim {

class SimApi {
public:
    explicit SimApi(SimConfig config);

    void registerRoutes(httplib::Server& server);

private:
    void handleApi(const httplib::Request& req, httplib::Response& res);
    bool applyFaults(const Faults& faults, const httplib::Request& req, httplib::Response& res);
    std::optional<ApiReply> checkAuth(const httplib::Request& req) const;
    ApiReply dispatch(const httplib::Request& req);

    // sim_admin.cpp
    void registerAdminRoutes(httplib::Server& server);
    nlohmann::json stateJson() const;

    SimConfig m_config;
    SimState m_state;
    FaultSwitch m_faults;
    Endpoints m_endpoints;
};

}  // namespace app::sim
