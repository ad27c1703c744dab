#include "pd_test_paths.hpp"
#include "tests/support/sim_server.hpp"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <httplib.h>

namespace testsupport {
namespace {

int readPort(const std::string& path) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port) return port;
    return 0;
}

}  // namespace

SimServer::SimServer(const std::vector<std::string>& extraArgs) {
    const std::string portFile = m_dir.file("sim.port");
    std::vector<std::string> argv = {PD_SIM_PATH, "--port", "0", "--port-file", portFile};
    argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
    m_tls = std::find(extraArgs.begin(), extraArgs.end(), "--tls-cert") != extraArgs.end();
    m_process = std::make_unique<ChildProcess>(argv);

    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while ((m_port = readPort(portFile)) == 0) {
        if (!m_process->running()) {
            throw std::runtime_error("pickupdesk-sim exited with code " + std::to_string(m_process->exitCode()) +
                                     " before listening: " + m_process->stderrText());
        }
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("pickupdesk-sim did not listen within 10 s: " + m_process->stderrText());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

int SimServer::port() const { return m_port; }

std::string SimServer::url() const {
    return std::string(m_tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(m_port);
}

nlohmann::json SimServer::adminCall(const std::string& method, const std::string& path,
                                    const std::string& body) const {
    httplib::Client client(url());
    client.enable_server_certificate_verification(false);  // admin calls only; TLS tests verify on their own
    client.set_connection_timeout(std::chrono::seconds(5));
    client.set_read_timeout(std::chrono::seconds(10));
    auto res = method == "GET" ? client.Get(path.c_str()) : client.Post(path.c_str(), body, "application/json");
    if (!res) {
        throw std::runtime_error("simulator admin " + method + " " + path + " failed: " + httplib::to_string(res.error()));
    }
    if (res->status != 200) {
        throw std::runtime_error("simulator admin " + method + " " + path + " answered " +
                                 std::to_string(res->status) + ": " + res->body);
    }
    auto json = nlohmann::json::parse(res->body, nullptr, false);
    if (json.is_discarded()) throw std::runtime_error("simulator admin " + path + " sent non-JSON: " + res->body);
    return json;
}

nlohmann::json SimServer::state() const { return adminCall("GET", "/_sim/state", {}); }

void SimServer::setFaults(const nlohmann::json& faults) { adminCall("POST", "/_sim/faults", faults.dump()); }

void SimServer::useCode(const std::string& machineNo, std::int64_t id) {
    adminCall("POST", "/_sim/codes/" + machineNo + "/" + std::to_string(id) + "/use", "{}");
}

void SimServer::reset() { adminCall("POST", "/_sim/reset", "{}"); }

std::string SimServer::stderrText() { return m_process->stderrText(); }

bool SimServer::running() { return m_process->running(); }

}  // namespace testsupport
