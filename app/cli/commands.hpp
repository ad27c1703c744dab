#pragma once
// pickupctl commands, one function each, free of CLI11 so they compile fast and stay testable.
#include "app/cli/output.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cli {

struct GlobalOptions {
    bool json = false;
    std::optional<std::string> profile;
    std::string db;          // empty = PICKUPDESK_DB or the data directory
    double timeoutSeconds = 20;
};

struct ProfileAddOptions {
    std::string name, url, appId, signEncoding = "raw", timezone = "Asia/Shanghai", caFile;
    bool appSecretStdin = false, signKeyStdin = false, pushKeyStdin = false, activate = true;
};

struct GenerateCliOptions {
    std::string machineNo;
    std::optional<std::int64_t> productId;
    bool allProducts = false;
    int count = 1;
    int length = 6;
    std::optional<std::string> expires;
    bool never = false;
    bool earlier = false, later = false;  // for a local time that happens twice (DST)
};

struct CodesCliOptions {
    std::optional<std::string> machineNo;
    std::optional<std::int64_t> productId;
    std::optional<std::string> status;
    std::string tz = "machine";
    std::optional<std::string> prefix;
    bool refresh = false;
    int limit = 0;
};

struct SignCliOptions {
    std::optional<std::string> key;
    std::optional<std::string> encoding;
    std::vector<std::string> pairs;  // k=v
    bool showString = false;         // print the canonical string too (it holds the key: local use only)
};

// Prints the error (JSON with --json) and returns its exit code.
int fail(const core::Error& error, const GlobalOptions& g);

int runProfileAdd(const GlobalOptions& g, const ProfileAddOptions& o);
int runProfileList(const GlobalOptions& g);
int runProfileUse(const GlobalOptions& g, const std::string& name);
int runProfileTest(const GlobalOptions& g, const std::optional<std::string>& name);
int runMachines(const GlobalOptions& g, bool offline);
int runMachineTz(const GlobalOptions& g, const std::string& machineNo, const std::string& zone);
int runProducts(const GlobalOptions& g, const std::string& machineNo, bool offline);
int runGenerate(const GlobalOptions& g, const GenerateCliOptions& o);
int runCodes(const GlobalOptions& g, const CodesCliOptions& o);
int runDelete(const GlobalOptions& g, const std::string& machineNo, std::optional<std::int64_t> codeId, bool all);
int runReconcile(const GlobalOptions& g, const std::string& machineNo);
int runSign(const GlobalOptions& g, const SignCliOptions& o);

}  // namespace cli
