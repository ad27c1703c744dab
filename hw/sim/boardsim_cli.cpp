// The board simulator command line (pickupdesk-boardsim, and `pickupdesk-sim board --pty`): the board simulator on a pseudo-terminal. Prints the slave path (one line),
// then serves until SIGINT/SIGTERM. The app or pickupctl opens that path like /dev/ttyUSB0.
//   pickupdesk-boardsim [--model W50x|eLock24P|M2301] [--cabinets N] [--serial S] [--fast] [--pace BAUD]
//                       [--drop-every N] [--noise] [--fault ADDR:SLOT:KIND[:MS]]...   KIND: stuck no-drop invalid comm-error lift
//                                                          motor-short lock power busy slow hang
#include "hw/sim/boardsim_cli.hpp"

#include "hw/sim/board_sim.hpp"
#include "hw/sim/pty_server.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};

extern "C" void onSignal(int) { g_stop = true; }

struct Options {
    hw::board::BoardModel model = hw::board::BoardModel::W50x;
    int cabinets = 1;
    std::string serial = "SIM0001";
    bool fast = false;
    int paceBaud = 0;  // emulate the wire time of this baud rate
    int dropEvery = 0;  // lose every Nth answer
    bool noise = false;  // garbage bytes before each answer
    std::vector<std::string> faults;
};

bool parseArgs(int argc, char** argv, Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const bool hasValue = i + 1 < argc;
        if (arg == "--model" && hasValue) {
            auto m = hw::board::parseModel(argv[++i]);
            if (!m) return false;
            o.model = *m;
        } else if (arg == "--cabinets" && hasValue) {
            o.cabinets = std::stoi(argv[++i]);
        } else if (arg == "--serial" && hasValue) {
            o.serial = argv[++i];
        } else if (arg == "--fault" && hasValue) {
            o.faults.push_back(argv[++i]);
        } else if (arg == "--pace" && hasValue) {
            o.paceBaud = std::stoi(argv[++i]);
        } else if (arg == "--drop-every" && hasValue) {
            o.dropEvery = std::stoi(argv[++i]);
        } else if (arg == "--noise") {
            o.noise = true;
        } else if (arg == "--pty") {
            // The only mode: accepted so `pickupdesk-sim board --pty` reads as documented.
        } else if (arg == "--fast") {
            o.fast = true;
        } else {
            return false;
        }
    }
    return true;
}

// "ADDR:SLOT:KIND[:MS]"
bool applyFault(hw::sim::BoardSim& board, const std::string& spec) {
    std::vector<std::string> parts;
    std::stringstream in(spec);
    for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
    if (parts.size() < 3 || parts.size() > 4) return false;
    hw::sim::SlotPlan plan;
    if (!hw::sim::parseSlotFault(parts[2], plan.fault)) return false;
    if (parts.size() == 4) plan.delay = hw::Millis(std::stoll(parts[3]));
    board.plan(static_cast<std::uint8_t>(std::stoi(parts[0])), static_cast<std::uint8_t>(std::stoi(parts[1])), plan);
    return true;
}

}  // namespace

namespace hw::sim {

int runBoardSimCli(int argc, char** argv) {
    Options options;
    try {
        if (!parseArgs(argc, argv, options)) {
            std::cerr << "usage: pickupdesk-boardsim [--model W50x|eLock24P|M2301] [--cabinets N] [--serial S] [--fast] [--pace BAUD] "
                         "[--drop-every N] [--noise] [--fault ADDR:SLOT:KIND[:MS]]...\n";
            return 2;
        }
    } catch (const std::exception&) {
        std::cerr << "error: a number was expected; see --help\n";
        return 2;
    }
    hw::SteadyClock clock;
    hw::sim::BoardSim board(options.model, clock, options.serial, options.cabinets);
    if (options.fast) board.setTiming(hw::sim::SimTiming::zero());
    for (const auto& f : options.faults) {
        bool ok = false;
        try {
            ok = applyFault(board, f);
        } catch (const std::exception&) {
        }
        if (!ok) {
            std::cerr << "error: bad --fault '" << f << "': use ADDR:SLOT:KIND[:MS], e.g. 1:7:stuck\n";
            return 2;
        }
    }
    auto pty = hw::sim::PtyServer::open();
    if (!pty) {
        std::cerr << "error: " << pty.error().message << '\n';
        return 1;
    }
    pty->setPace(options.paceBaud);
    pty->setLinkFaults(options.dropEvery, options.noise);
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::cout << pty->slavePath() << std::endl;
    std::cerr << "pickupdesk-boardsim: " << hw::board::modelName(options.model) << ", "
              << hw::board::modelChannels(options.model) << " channels, serial " << options.serial << " on "
              << pty->slavePath() << '\n';
    pty->serve(board, g_stop);
    return 0;
}

}  // namespace hw::sim
