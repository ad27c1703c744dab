#pragma once
// Starts pickupdesk-sim (PD_SIM_PATH) on a free port for a test and talks to its admin API.
#include "pd_test_paths.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace testsupport {

// Runs the simulator with --port 0 --port-file and waits (<= 10 s) until it listens; stops it
// on destruction. Throws std::runtime_error (with the simulator's stderr) when it cannot start,
// and from the admin calls when they fail.
class SimServer {
public:
    static constexpr const char* kAppId = "sandbox-appid";
    static constexpr const char* kAppSecret = "sandbox-secret";
    static constexpr const char* kSignKey = "sandbox-sign-key";

    explicit SimServer(const std::vector<std::string>& extraArgs = {});

    int port() const;
    std::string url() const;  // "http://127.0.0.1:PORT" ("https://..." when started with --tls-cert)

    nlohmann::json state() const;                  // GET /_sim/state
    void setFaults(const nlohmann::json& faults);  // POST /_sim/faults
    void useCode(const std::string& machineNo, std::int64_t id);  // POST /_sim/codes/{no}/{id}/use
    void reset();                                  // POST /_sim/reset

    std::string stderrText();  // the simulator's log so far
    bool running();

private:
    nlohmann::json adminCall(const std::string& method, const std::string& path, const std::string& body) const;

    TempDir m_dir;  // holds the port file; outlives the process
    std::unique_ptr<ChildProcess> m_process;
    int m_port = 0;
    bool m_tls = false;
};

}  // namespace testsupport
