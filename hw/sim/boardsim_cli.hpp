#pragma once
// The board simulator's command line, shared by pickupdesk-boardsim and `pickupdesk-sim board --pty`.

namespace hw::sim {

// argv[0] is the program (or subcommand) name. Prints the pty slave path, serves until SIGINT/SIGTERM.
int runBoardSimCli(int argc, char** argv);

}  // namespace hw::sim
