#pragma once
// Runs the real pickupctl against the real simulator over a socket, with its own database.
#include "pd_test_paths.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sim_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace testsupport {

// Distinctive secrets, so a leak into output or files can be searched for.
inline constexpr const char* kLeakAppSecret = "AppSecret-9f3e1c-LEAKCHECK";
inline constexpr const char* kLeakSignKey = "SignKey-7a2b4d-LEAKCHECK";

class CliFixture {
public:
    explicit CliFixture(std::vector<std::string> simArgs = {})
        : m_sim(withSecrets(std::move(simArgs))) {
        m_env = {{"PICKUPDESK_DB", m_dir.file("pickupdesk.db")},
                 {"PICKUPDESK_URL", m_sim.url()},
                 {"PICKUPDESK_APPID", SimServer::kAppId},
                 {"PICKUPDESK_APP_SECRET", kLeakAppSecret},
                 {"PICKUPDESK_SIGN_KEY", kLeakSignKey},
                 {"PICKUPDESK_SIGN_ENCODING", "raw"},
                 {"XDG_DATA_HOME", m_dir.file("data")},
                 {"XDG_CONFIG_HOME", m_dir.file("config")}};
    }

    ProcessResult run(const std::vector<std::string>& args, const std::string& stdinText = {}) {
        std::vector<std::string> argv{PD_PICKUPCTL_PATH};
        argv.insert(argv.end(), args.begin(), args.end());
        ProcessResult r = runProcess(argv, m_env, stdinText, 60000);
        m_outputs += r.out + r.err;
        return r;
    }

    // Runs with --json and parses stdout; fails the test when it is not JSON.
    nlohmann::json json(const std::vector<std::string>& args, int expectedExit = 0) {
        std::vector<std::string> full{"--json"};
        full.insert(full.end(), args.begin(), args.end());
        const ProcessResult r = run(full);
        INFO("stdout: " << r.out << "\nstderr: " << r.err);
        CHECK(r.exitCode == expectedExit);
        auto parsed = nlohmann::json::parse(r.out, nullptr, false);
        REQUIRE_FALSE(parsed.is_discarded());
        return parsed;
    }

    SimServer& sim() { return m_sim; }
    std::map<std::string, std::string>& env() { return m_env; }
    TempDir& dir() { return m_dir; }
    const std::string& allOutput() const { return m_outputs; }

    // Codes the simulator holds for a product that are neither used nor deleted.
    int simLiveCodes(std::int64_t productId) {
        int n = 0;
        const auto state = m_sim.state();  // keep the temporary alive for the loop
        for (const auto& c : state["codes"]) {
            if (c["product_id"] == productId && !c["used"].get<bool>() && !c["deleted"].get<bool>()) ++n;
        }
        return n;
    }

private:
    static std::vector<std::string> withSecrets(std::vector<std::string> args) {
        args.insert(args.end(), {"--app-secret", kLeakAppSecret, "--sign-key", kLeakSignKey});
        return args;
    }

    TempDir m_dir;
    SimServer m_sim;
    std::map<std::string, std::string> m_env;
    std::string m_outputs;
};

}  // namespace testsupport
