// pickupdesk's command line (app/desktop/options.hpp): numbers in range, clear errors out of range.
#include "app/desktop/options.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

struct Parsed {
    bool ok = false;
    app::desktop::Options options;
    std::string error;
};

Parsed parse(std::vector<std::string> args) {
    args.insert(args.begin(), "pickupdesk");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    Parsed p;
    bool help = false;
    p.ok = app::desktop::parseOptions(static_cast<int>(argv.size()), argv.data(), p.options, p.error, help);
    return p;
}

}  // namespace

TEST_CASE("options: benchmark and screenshot numbers are read within their ranges") {
    const Parsed p = parse({"--bench-script", "scroll", "--bench-out", "x.json", "--bench-frames", "250", "--bench-fps",
                            "60", "--screenshot", "s.png", "--frames", "12"});
    REQUIRE_MESSAGE(p.ok, p.error);
    CHECK(p.options.benchScript == "scroll");
    CHECK(p.options.benchFrames == 250);
    CHECK(p.options.benchFps == 60);
    CHECK(p.options.frames == 12);
    CHECK(parse({"--bench-script", "idle", "--bench-out", "x.json", "--bench-seconds", "5"}).options.benchSeconds == 5);
    CHECK(p.options.benchWarmup == -1);  // the script's default
    CHECK(parse({"--bench-warmup", "0"}).options.benchWarmup == 0);
    CHECK(parse({"--bench-warmup", "300"}).options.benchWarmup == 300);
}

TEST_CASE("options: a number out of range or missing is refused and named") {
    Parsed p = parse({"--bench-fps", "0"});
    CHECK_FALSE(p.ok);
    CHECK(p.error == "--bench-fps must be a number from 1 to 1000.");
    p = parse({"--frames", "100001"});
    CHECK_FALSE(p.ok);
    CHECK(p.error == "--frames must be a number from 1 to 100000.");
    p = parse({"--bench-frames", "x"});
    CHECK_FALSE(p.ok);
    CHECK(p.error == "--bench-frames must be a number from 1 to 1000000.");
    p = parse({"--bench-fps"});
    CHECK_FALSE(p.ok);
    CHECK(p.error == "--bench-fps needs a value.");
    p = parse({"--bench-warmup", "-1"});
    CHECK_FALSE(p.ok);
    CHECK(p.error == "--bench-warmup must be a number from 0 to 100000.");
}
