#include "core/config/paths.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace core::config {
namespace fs = std::filesystem;
namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::string(value) : std::string();
}

fs::path home() {
#ifdef _WIN32
    const std::string profile = env("USERPROFILE");
    return profile.empty() ? fs::path(".") : fs::path(profile);
#else
    const std::string h = env("HOME");
    return h.empty() ? fs::path(".") : fs::path(h);
#endif
}

fs::path platformDir(const char* xdgVar, const char* xdgDefault) {
#if defined(_WIN32)
    (void)xdgVar;
    (void)xdgDefault;
    const std::string appData = env("APPDATA");
    return (appData.empty() ? home() : fs::path(appData)) / "PickupDesk";
#elif defined(__APPLE__)
    (void)xdgVar;
    (void)xdgDefault;
    return home() / "Library" / "Application Support" / "PickupDesk";
#else
    const std::string xdg = env(xdgVar);
    return (xdg.empty() ? home() / xdgDefault : fs::path(xdg)) / "pickupdesk";
#endif
}

}  // namespace

std::string dataDir() { return platformDir("XDG_DATA_HOME", ".local/share").string(); }
std::string configDir() { return platformDir("XDG_CONFIG_HOME", ".config").string(); }

std::string defaultDatabasePath() {
    const std::string fromEnv = env("PICKUPDESK_DB");
    if (!fromEnv.empty()) return fromEnv;
    return (fs::path(dataDir()) / "pickupdesk.db").string();
}

Status ensurePrivateDir(const std::string& dir) {
    if (dir.empty()) return {};
    std::error_code ec;
    const bool created = fs::create_directories(dir, ec);
    if (ec) {
        return makeError(ErrorCode::Storage, "Cannot create the folder " + dir + ": " + ec.message() +
                                                 ". Check the permissions of its parent folder.");
    }
#ifndef _WIN32
    if (created) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
#else
    (void)created;
#endif
    return {};
}

}  // namespace core::config
