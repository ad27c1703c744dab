#pragma once
// Where Pickup Desk keeps its files, per platform:
// Linux $XDG_DATA_HOME/pickupdesk (~/.local/share/pickupdesk), config $XDG_CONFIG_HOME/pickupdesk;
// macOS ~/Library/Application Support/PickupDesk; Windows %APPDATA%\PickupDesk.
#include "core/util/result.hpp"

#include <string>

namespace core::config {

std::string dataDir();
std::string configDir();
// PICKUPDESK_DB if set, else <dataDir>/pickupdesk.db.
std::string defaultDatabasePath();
// Creates the directory (and parents) readable by the user only (0700 on POSIX).
Status ensurePrivateDir(const std::string& dir);

}  // namespace core::config
