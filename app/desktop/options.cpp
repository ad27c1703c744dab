#include "app/desktop/options.hpp"

#include <cstdlib>
#include <string_view>

namespace app::desktop {

const char* usageText() {
    return "Usage: pickupdesk [--sandbox] [--sim-url URL] [--mqtt-url URL] [--data-dir DIR] [--lang en|zh] [--no-keychain]\n"
           "                  [--screenshot FILE [--frames N] [--view products|codes|requests|pushes|board|generate|export]]\n"
           "  --sandbox        start (or with --sim-url, use) the local simulator with the sandbox profile\n"
           "  --sim-url URL    the simulator to use instead of starting one (scripts/run)\n"
           "  --mqtt-url URL   the MQTT broker for pushes (else PICKUPDESK_MQTT_URL, else the profile)\n"
           "  --data-dir DIR   keep the database, settings and layout in DIR\n"
           "  --screenshot F   render, save the window as PNG to F and exit (after N frames and loading)\n"
           "  --bench-script S --bench-out F.json [--bench-frames N] [--bench-seconds S] [--bench-fps N]\n"
           "                   [--bench-warmup N]\n"
           "                   benchmark: once the codes table is shown in full, run script S (scroll, filter:\n"
           "                   scripted input on the codes table; pushes, idle: no input) and write frame\n"
           "                   times, time to the first full frame and CPU time as JSON to F, then exit;\n"
           "                   --bench-fps paces scroll and filter at N frames a second (a display's rate);\n"
           "                   --bench-warmup: they wait for the start-up work, then run N frames (120)\n"
           "                   before measuring (0: measure from the first full frame)\n";
}

bool parseOptions(int argc, char** argv, Options& o, std::string& error, bool& help) {
    help = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                error = std::string(arg) + " needs a value.";
                return false;
            }
            out = argv[++i];
            return true;
        };
        auto number = [&](int lo, int hi, int& out) {  // a whole number from lo to hi
            std::string n;
            if (!value(n)) return false;
            out = std::atoi(n.c_str());
            if (out < lo || out > hi) {
                error = std::string(arg) + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ".";
                return false;
            }
            return true;
        };
        if (arg == "--help" || arg == "-h") {
            help = true;
            return true;
        } else if (arg == "--sandbox") {
            o.sandbox = true;
        } else if (arg == "--no-keychain") {
            o.noKeychain = true;
        } else if (arg == "--sim-url") {
            if (!value(o.simUrl)) return false;
            o.sandbox = true;
        } else if (arg == "--mqtt-url") {
            if (!value(o.mqttUrl)) return false;
        } else if (arg == "--data-dir") {
            if (!value(o.dataDir)) return false;
        } else if (arg == "--screenshot") {
            if (!value(o.screenshot)) return false;
        } else if (arg == "--view") {
            if (!value(o.view)) return false;
        } else if (arg == "--lang") {
            if (!value(o.lang)) return false;
            if (o.lang != "en" && o.lang != "zh") {
                error = "--lang must be en or zh.";
                return false;
            }
        } else if (arg == "--bench-script") {
            if (!value(o.benchScript)) return false;
            if (o.benchScript != "scroll" && o.benchScript != "filter" && o.benchScript != "pushes" &&
                o.benchScript != "idle" && o.benchScript != "soak") {
                error = "--bench-script must be scroll, filter, pushes, idle or soak.";
                return false;
            }
        } else if (arg == "--bench-out") {
            if (!value(o.benchOut)) return false;
        } else if (arg == "--bench-frames" || arg == "--bench-seconds") {
            if (!number(1, 1000000, arg == "--bench-frames" ? o.benchFrames : o.benchSeconds)) return false;
        } else if (arg == "--bench-fps") {
            if (!number(1, 1000, o.benchFps)) return false;
        } else if (arg == "--bench-warmup") {
            if (!number(0, 100000, o.benchWarmup)) return false;
        } else if (arg == "--frames") {
            if (!number(1, 100000, o.frames)) return false;
        } else {
            error = "Unknown option " + std::string(arg) + ".";
            return false;
        }
    }
    if (!o.benchScript.empty() && o.benchOut.empty()) {
        error = "--bench-script needs --bench-out FILE.json.";
        return false;
    }
    return true;
}

}  // namespace app::desktop
