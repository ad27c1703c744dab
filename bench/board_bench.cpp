// Board link benchmark (issue 7): command round trips over a pseudo-terminal against pickupdesk-boardsim
// pacing bytes at 9600 baud, compared with the wire time of the bytes (the physical limit), and a
// 100-slot sweep with zero-time motors (paced pty and in-process loopback).
//   board_bench [--n 50]
#include "hw/board/framed_driver.hpp"
#include "hw/services/dispense_service.hpp"
#include "hw/sim/board_sim.hpp"
#include "hw/sim/loopback_transport.hpp"
#include "hw/transport/serial_transport.hpp"

#include "tests/support/process.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kBaud = 9600;

double wireMs(std::size_t bytes) { return static_cast<double>(bytes) * 10.0 * 1000.0 / kBaud; }

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

void row(const char* what, std::size_t bytes, const std::function<bool()>& call, int n) {
    std::vector<double> times;
    for (int i = 0; i < n; ++i) {
        const auto t0 = Clock::now();
        if (!call()) {
            std::printf("| %s | failed |\n", what);
            return;
        }
        times.push_back(msSince(t0));
    }
    std::sort(times.begin(), times.end());
    double sum = 0;
    for (double t : times) sum += t;
    const double mean = sum / n, wire = wireMs(bytes);
    std::printf("| %s | %zu | %.1f | %.1f | %.1f | %.1f | %+.1f %% |\n", what, bytes, wire, mean, times[times.size() / 2],
                times[times.size() * 95 / 100], (mean - wire) / wire * 100.0);
}

void sweep(const char* what, hw::board::BoardDriver& driver, hw::Clock& clock, double wirePerSlot) {
    hw::services::DispenseOptions options;
    options.pollInterval = hw::Millis(0);
    hw::services::DispenseService service(driver, clock, options);
    std::vector<hw::services::SlotRequest> slots;
    for (int s = 0; s < 100; ++s) slots.push_back({1, static_cast<std::uint8_t>(s)});
    const auto t0 = Clock::now();
    auto report = service.sweep(slots);
    const double total = msSince(t0);
    std::printf("| %s | %d/100 | %.0f | %.2f | %s |\n", what, report.count(hw::services::DispenseResult::Success), total,
                total / 100.0, wirePerSlot > 0 ? (std::to_string(wirePerSlot).substr(0, 5) + " ms wire").c_str() : "–");
}

}  // namespace

int main(int argc, char** argv) {
    int n = 50;
    if (argc == 3 && std::strcmp(argv[1], "--n") == 0) n = std::max(1, std::atoi(argv[2]));
    testsupport::ChildProcess sim({PD_BOARDSIM_PATH, "--model", "M2301", "--fast", "--pace", std::to_string(kBaud)});
    std::string path;
    for (int i = 0; i < 100 && path.empty(); ++i) {
        const auto out = sim.stdoutText();
        if (const auto nl = out.find('\n'); nl != std::string::npos) path = out.substr(0, nl);
        else std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto link = hw::transport::openSerial(path);
    if (!link) {
        std::fprintf(stderr, "cannot open %s: %s\n", path.c_str(), link.error().message.c_str());
        return 1;
    }
    hw::SteadyClock clock;
    hw::board::FramedDriver driver(**link, clock, {hw::Millis(2000), 1});
    if (!driver.identify()) return 1;

    std::printf("Round trips over a pty, simulator pacing %d baud 8N1 (n=%d):\n\n", kBaud, n);
    std::printf("| command | bytes (req+resp) | wire ms | mean ms | p50 ms | p95 ms | over wire |\n|---|---|---|---|---|---|---|\n");
    row("PING", 9 + 15, [&] { return driver.ping().ok(); }, n);
    row("DISPENSE_STATUS", 13 + 21, [&] { return driver.dispenseStatus(1).ok(); }, n);
    row("HELLO", 10 + 25, [&] { return driver.identify().ok(); }, n);
    row("READ_CHANNELS x50", 12 + 163, [&] { return driver.readChannels(1, 0, 50).ok(); }, std::max(1, n / 5));

    std::printf("\n100-slot sweep, zero-time motors (DISPENSE + one DISPENSE_STATUS per slot = %zu bytes):\n\n", std::size_t{62});
    std::printf("| link | vended | total ms | per slot ms | physical limit |\n|---|---|---|---|---|\n");
    sweep("pty, 9600 baud paced", driver, clock, wireMs(62));
    hw::sim::BoardSim board(hw::board::BoardModel::M2301, clock);
    board.setTiming(hw::sim::SimTiming::zero());
    hw::sim::LoopbackTransport loop(board, clock);
    hw::board::FramedDriver loopDriver(loop, clock);
    sweep("in-process loopback", loopDriver, clock, 0);
    return 0;
}
