#pragma once
// Runs the simulator's HTTP(S) server until SIGINT/SIGTERM.
#include "app/sim/sim_config.hpp"

namespace app::sim {

// Returns the process exit code: 0 after a clean stop, 1 when it could not start.
int runServer(const SimConfig& config);

}  // namespace app::sim
