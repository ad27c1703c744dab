// pickupctl board ... end to end: the CLI process talks over a pty to pickupdesk-boardsim (another process).
#include "pd_test_paths.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

using nlohmann::json;
using testsupport::runProcess;

namespace {

struct Sim {
    explicit Sim(std::vector<std::string> args, const char* program = PD_BOARDSIM_PATH) : process([&] {
        args.insert(args.begin(), program);
        return args;
    }()) {
        for (int i = 0; i < 100 && path.empty(); ++i) {
            const auto out = process.stdoutText();
            if (const auto nl = out.find('\n'); nl != std::string::npos) path = out.substr(0, nl);
            else std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        REQUIRE(!path.empty());
    }
    testsupport::ChildProcess process;
    std::string path;
};

testsupport::ProcessResult ctl(std::vector<std::string> args, const std::string& stdinText = {}) {
    args.insert(args.begin(), PD_PICKUPCTL_PATH);
    return runProcess(args, {}, stdinText, 30000);
}

}  // namespace

TEST_CASE("pickupctl board info, config set and dispense over a pty") {
    Sim sim({"--model", "M2301", "--fast", "--fault", "1:7:stuck"});
    auto info = ctl({"--json", "board", "info", sim.path});
    REQUIRE_MESSAGE(info.exitCode == 0, info.err);
    const auto j = json::parse(info.out);
    CHECK(j["model"] == "M2301");
    CHECK(j["channels"] == 100);
    CHECK(j["link"] == "serial " + sim.path + " 9600 8N1");

    auto set = ctl({"--json", "board", "config", "set", sim.path, "machine_no=20240601", "--mqtt-password-stdin"}, "pw\n");
    REQUIRE_MESSAGE(set.exitCode == 0, set.err);
    CHECK(json::parse(set.out)["ok"] == true);
    CHECK(set.out.find("\"pw\"") == std::string::npos);
    auto get = ctl({"--json", "board", "config", "get", sim.path});
    REQUIRE(get.exitCode == 0);
    CHECK(json::parse(get.out)["machine_no"] == "20240601");
    CHECK(json::parse(get.out)["mqtt_password"] == "***");

    auto ok = ctl({"board", "dispense", sim.path, "--slot", "12"});
    CHECK(ok.exitCode == 0);
    CHECK(ok.out.find("cabinet 1 slot 12 (spring): success") != std::string::npos);
    auto invalid = ctl({"--json", "board", "dispense", sim.path, "--slot", "99", "--addr", "2"});
    CHECK(invalid.exitCode == 3);
    CHECK(json::parse(invalid.out)["fault"] == "SLOT_INVALID");
    auto vended = ctl({"--json", "board", "dispense", sim.path, "--slot", "13"});
    REQUIRE(vended.exitCode == 0);
    const auto txn = json::parse(vended.out)["txn"].get<std::uint32_t>();
    auto status = ctl({"--json", "board", "status", sim.path, "--txn", std::to_string(txn)});  // asked by a new process
    CHECK(status.exitCode == 0);
    CHECK(json::parse(status.out)["state"] == "success");
    auto clear = ctl({"board", "clear", sim.path, "--slot", "7"});
    CHECK(clear.exitCode == 0);
    CHECK(clear.out == "Faults cleared: cabinet 1 slot 7.\n");
}

TEST_CASE("pickupctl board config apply: one file to several boards in a row, a report per board") {
    Sim first({"--model", "W50x", "--fast"});
    Sim second({"--model", "eLock24P", "--fast"});
    testsupport::TempDir dir;
    const std::string file = dir.file("provision.json");
    std::ofstream(file) << R"({"config": {"machine_no": "30030001", "server_host": "iot.example.cn", "server_port": 443,
        "mqtt_host": "mqtt.example.cn", "mqtt_port": 8883, "mqtt_user": "dev", "mqtt_password": "s3cret", "tls": true},
        "channels": [{"addr": 1, "slot": 3, "type": "elock", "enabled": true, "drop_check": true, "lift": false}]})";
    const std::string missing = dir.file("no-such-tty");
    auto applied = ctl({"--json", "board", "config", "apply", file, first.path, second.path, missing});
    INFO(applied.out << applied.err);
    CHECK(applied.exitCode != 0);  // the third board failed
    const auto reports = json::parse(applied.out);
    REQUIRE(reports.size() == 3);
    for (int i = 0; i < 2; ++i) {
        CHECK(reports[i]["board"] == (i == 0 ? first.path : second.path));
        CHECK(reports[i]["ok"] == true);
        CHECK(reports[i]["channels_written"] == 1);
        CHECK(reports[i]["mismatches"].empty());
    }
    CHECK(reports[2]["board"] == missing);
    CHECK(reports[2]["ok"] == false);
    CHECK_FALSE(reports[2]["error"].get<std::string>().empty());
    CHECK(applied.out.find("s3cret") == std::string::npos);
    for (const auto* sim : {&first, &second}) {  // each board kept what was written, read by a new process
        auto get = ctl({"--json", "board", "config", "get", sim->path});
        REQUIRE(get.exitCode == 0);
        CHECK(json::parse(get.out)["machine_no"] == "30030001");
    }
}

TEST_CASE("pickupctl board sweep writes a CSV report and exits 3 when a slot faults") {
    Sim sim({"--fast", "--fault", "1:2:no-drop", "--fault", "1:4:invalid"});
    testsupport::TempDir dir;
    auto sweep = ctl({"--json", "board", "sweep", sim.path, "--from", "0", "--count", "6", "--drop-check", "--csv", dir.file("r.csv")});
    CHECK(sweep.exitCode == 3);
    const auto j = json::parse(sweep.out);
    CHECK(j["success"] == 4);
    CHECK(j["faults"] == 2);
    CHECK(j["items"][2]["fault"] == "DROP_NOT_DETECTED");
    std::ifstream csv(dir.file("r.csv"));
    std::stringstream text;
    text << csv.rdbuf();
    CHECK(text.str().find("1,4,spring,1,0,refused,SLOT_INVALID") != std::string::npos);
}

TEST_CASE("pickupctl board errors: missing port and bad target") {
    auto missing = ctl({"board", "info", "/dev/ttyUSB-none"});
    CHECK(missing.exitCode == 8);
    CHECK(missing.err.find("does not exist") != std::string::npos);
    auto badUsb = ctl({"board", "info", "usb:zz"});
    CHECK(badUsb.exitCode == 2);
    auto log = ctl({"board", "log", "sim", "--pings", "1"});
    CHECK(log.exitCode == 0);
    CHECK(log.out.find("-> seq 1 HELLO  A5 5A 01 01 01 01 00 01 44 B0") != std::string::npos);
}

TEST_CASE("pickupdesk-sim board --pty serves a simulated board that pickupctl identifies") {
    Sim sim({"board", "--pty", "--model", "eLock24P", "--serial", "SIMPTY9", "--fast"}, PD_SIM_PATH);
    auto info = ctl({"--json", "board", "info", sim.path});
    REQUIRE_MESSAGE(info.exitCode == 0, info.err);
    const auto j = json::parse(info.out);
    CHECK(j.dump().find("eLock24P") != std::string::npos);
    CHECK(j.dump().find("SIMPTY9") != std::string::npos);
}
