#pragma once
// Test dispenses for technicians: one slot (dispense, poll until done, fault or deadline) and sweeps.
// Blocking: run it on a worker thread. A dispense whose outcome cannot be known ends as Unknown and
// is never repeated automatically.
#include "hw/board/board_driver.hpp"
#include "hw/clock.hpp"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace hw::services {

struct DispenseOptions {
    Millis pollInterval{250};
    Millis elockDeadline{15'000};
    Millis springDeadline{30'000};
    Millis beltDeadline{90'000};  // also any dispense with lift
    Millis overallCap{120'000};   // the vendor server's own limit
};
Millis dispenseDeadline(board::SlotType type, bool lift, const DispenseOptions& options);

enum class DispenseResult {
    Success,  // vended (drop sensor confirmed when drop check was on)
    Fault,    // the board ran the dispense and reported a fault
    Refused,  // the board refused at once (slot invalid, busy): nothing vended
    Unknown,  // OUTCOME UNKNOWN: deadline passed, link lost or polling cancelled; check the slot
    NotRun,   // a sweep stopped before this slot
};
const char* dispenseResultName(DispenseResult result);  // "success", "fault", "refused", "unknown", "not-run"

struct SlotRequest {
    std::uint8_t addr = 1;
    std::uint8_t slot = 0;
    board::SlotType type = board::SlotType::Spring;
    bool dropCheck = false, lift = false;
};

struct DispenseReport {
    SlotRequest slot;
    std::uint32_t txn = 0;
    DispenseResult result = DispenseResult::NotRun;
    board::Fault fault = board::Fault::None;
    board::DropSensor drop = board::DropSensor::NotChecked;
    Millis duration{0};
    std::string message;  // plain words, with advice for faults and unknown outcomes
};

struct SweepReport {
    std::vector<DispenseReport> items;
    bool stopped = false;  // cancelled or ended early after an unknown outcome
    std::string stopReason;
    int count(DispenseResult result) const;
};

using ProgressFn = std::function<void(const board::DispenseStatus&)>;

class DispenseService {
public:
    DispenseService(board::BoardDriver& driver, Clock& clock, DispenseOptions options = {});

    // Errors only when nothing was sent (e.g. permission denied); everything else is a report.
    core::Result<DispenseReport> dispense(const SlotRequest& slot, const std::atomic<bool>* cancel = nullptr,
                                          const ProgressFn& progress = {});
    // One slot after another; stops on cancel or after an unknown outcome (the board's state is then uncertain).
    SweepReport sweep(const std::vector<SlotRequest>& slots, const std::atomic<bool>* cancel = nullptr,
                      const std::function<void(const DispenseReport&)>& onEach = {});

private:
    DispenseReport poll(DispenseReport report, Millis start, Millis deadline, const std::atomic<bool>* cancel,
                        const ProgressFn& progress);

    board::BoardDriver& m_driver;
    Clock& m_clock;
    DispenseOptions m_options;
    std::uint32_t m_nextTxn;
};

std::string sweepCsv(const SweepReport& report);

}  // namespace hw::services
