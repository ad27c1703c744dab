#pragma once
// pickupctl board ...: technician commands over hw/ (list, info, config, dispense, sweep, log).
#include "app/cli/commands.hpp"

#include "core/util/result.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cli {

struct BoardTargetOptions {
    std::string target;  // /dev/ttyUSB0 | COM3 | usb:VID:PID[:SERIAL] | sim[:MODEL]
    int baud = 9600;
    int responseMs = 0;  // 0 = the transport's default
    bool frames = false;  // print every frame to stderr
};

struct BoardSlotOptions {
    int addr = 1;
    int slot = 0;
    std::string type = "spring";
    bool dropCheck = false, lift = false;
};

struct BoardSweepOptions {
    BoardSlotOptions slots;  // slot = the first slot
    int count = 0;           // 0 = to the last channel
    std::string csv;         // write the report here too
};

int runBoardList(const GlobalOptions& g, bool all);
int runBoardInfo(const GlobalOptions& g, const BoardTargetOptions& t);
int runBoardConfigGet(const GlobalOptions& g, const BoardTargetOptions& t);
int runBoardConfigSet(const GlobalOptions& g, const BoardTargetOptions& t, const std::vector<std::string>& pairs, bool passwordStdin);
int runBoardConfigApply(const GlobalOptions& g, const BoardTargetOptions& t, const std::vector<std::string>& moreTargets,
                        const std::string& file);
int runBoardDispense(const GlobalOptions& g, const BoardTargetOptions& t, const BoardSlotOptions& s);
int runBoardSweep(const GlobalOptions& g, const BoardTargetOptions& t, const BoardSweepOptions& s);
int runBoardClearFault(const GlobalOptions& g, const BoardTargetOptions& t, int addr, int slot);  // slot -1 = all
int runBoardStatus(const GlobalOptions& g, const BoardTargetOptions& t, std::uint32_t txn);  // after an unknown outcome
int runBoardLog(const GlobalOptions& g, const BoardTargetOptions& t, int pings);

}  // namespace cli

namespace hw::services {
class Connection;
}

namespace cli::boardcli {

// Opens the target; with t.frames every frame is printed to stderr.
core::Result<std::unique_ptr<hw::services::Connection>> open(const BoardTargetOptions& t);
int exitFor(const core::Error& e, const GlobalOptions& g);

}  // namespace cli::boardcli
