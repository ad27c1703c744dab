#pragma once
// The command line of pickupdesk.
#include <string>

namespace app::desktop {

struct Options {
    bool sandbox = false;
    std::string simUrl;          // --sim-url: use this simulator instead of starting one
    std::string mqttUrl;         // --mqtt-url: the broker for pushes (sandbox: the simulator publishes there)
    std::string dataDir;         // --data-dir: database and config here (tests)
    std::string screenshot;      // --screenshot FILE: render, save a PNG, exit
    int frames = 60;             // --frames N: at least N frames before the screenshot
    std::string view;            // --view products|codes|requests|pushes|board|generate|export
    std::string lang;            // --lang en|zh (overrides the saved setting)
    bool noKeychain = false;     // --no-keychain: secrets in memory only
    // Benchmark (bench/app_bench.sh, docs/BENCHMARKS.md): a scripted, timed session; off by default.
    std::string benchScript;     // --bench-script scroll|filter|pushes|idle
    std::string benchOut;        // --bench-out FILE.json: frame times, time to first full frame, CPU
    int benchFrames = 0;         // --bench-frames N: measured frames (scroll, filter; 0 = 1000)
    int benchFps = 0;            // --bench-fps N: scroll and filter frames start N times a second (0 = back to back)
    int benchSeconds = 0;        // --bench-seconds S: measured time (pushes 30, idle 60 when 0)
    // --bench-warmup N: scroll and filter wait for the start-up work, then run N frames unmeasured
    // (-1 = 120; 0 = measure from the first full frame)
    int benchWarmup = -1;
};

// Returns false (with `error`) on an unknown flag or a bad value; `help` set for --help.
bool parseOptions(int argc, char** argv, Options& options, std::string& error, bool& help);
const char* usageText();

}  // namespace app::desktop
