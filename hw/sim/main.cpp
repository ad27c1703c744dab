// pickupdesk-boardsim: the board simulator on a pseudo-terminal (see hw/sim/boardsim_cli.cpp for the flags).
#include "hw/sim/boardsim_cli.hpp"

int main(int argc, char** argv) { return hw::sim::runBoardSimCli(argc, argv); }
