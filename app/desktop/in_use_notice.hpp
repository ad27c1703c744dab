#pragma once
// What a second pickupdesk on the same data directory shows instead of the app: who has the
// database (core/config/instance_lock.hpp) and a Close button. Never opens the database.
#include <string>

struct GLFWwindow;

namespace app::desktop {

// pickupdesk's exit code when another Pickup Desk process holds the database (README.md).
inline constexpr int kExitInUse = 3;

// Runs until the user closes the notice (or, with a screenshot path, until it is saved).
// Returns kExitInUse, or 1 when the screenshot could not be written.
int runInUseNotice(GLFWwindow* window, const std::string& dbPath, const std::string& screenshot);

}  // namespace app::desktop
