// pickupctl board dispense|sweep: test dispenses for technicians. A dispense whose outcome is unknown
// exits 5 and is never repeated automatically.
#include "app/cli/commands_board.hpp"
#include "app/cli/exit_codes.hpp"

#include "hw/services/connect.hpp"
#include "hw/services/dispense_service.hpp"

#include <atomic>
#include <csignal>
#include <fstream>
#include <iostream>

namespace cli {
namespace {

using hw::services::DispenseReport;
using hw::services::DispenseResult;
using nlohmann::json;

std::atomic<bool> g_cancel{false};
extern "C" void onInterrupt(int) { g_cancel = true; }

core::Result<hw::services::SlotRequest> slotRequest(const BoardSlotOptions& s) {
    auto type = hw::board::parseSlotType(s.type);
    if (!type) return core::makeError(core::ErrorCode::InvalidInput, "--type must be spring, elock or belt.");
    if (s.addr < 1 || s.addr > 8) return core::makeError(core::ErrorCode::InvalidInput, "--addr must be 1-8 (1 = main cabinet).");
    if (s.slot < 0 || s.slot > 99) return core::makeError(core::ErrorCode::InvalidInput, "--slot must be 0-99 (row*10 + col).");
    return hw::services::SlotRequest{static_cast<std::uint8_t>(s.addr), static_cast<std::uint8_t>(s.slot), *type, s.dropCheck, s.lift};
}

json reportJson(const DispenseReport& r) {
    return {{"addr", r.slot.addr}, {"slot", r.slot.slot}, {"type", hw::board::slotTypeName(r.slot.type)},
            {"drop_check", r.slot.dropCheck}, {"lift", r.slot.lift}, {"txn", r.txn},
            {"result", hw::services::dispenseResultName(r.result)},
            {"fault", r.fault == hw::board::Fault::None ? "" : hw::board::faultName(r.fault)},
            {"duration_ms", r.duration.count()}, {"message", r.message}};
}

std::string line(const DispenseReport& r) {
    std::string out = "cabinet " + std::to_string(r.slot.addr) + " slot " + std::to_string(r.slot.slot) + " (" +
                      hw::board::slotTypeName(r.slot.type) + "): " + hw::services::dispenseResultName(r.result);
    if (r.fault != hw::board::Fault::None) out += std::string(" ") + hw::board::faultName(r.fault);
    out += " in " + std::to_string(r.duration.count()) + " ms. " + r.message;
    if (r.result == DispenseResult::Unknown) out += " Later: `pickupctl board status TARGET --txn " + std::to_string(r.txn) + "`.";
    return out;
}

int exitForResult(DispenseResult r) {
    switch (r) {
    case DispenseResult::Success: return kExitOk;
    case DispenseResult::Unknown: return kExitOutcomeUnknown;
    case DispenseResult::Fault:
    case DispenseResult::Refused: return kExitVendor;
    case DispenseResult::NotRun: break;
    }
    return kExitFailure;
}

}  // namespace

int runBoardDispense(const GlobalOptions& g, const BoardTargetOptions& t, const BoardSlotOptions& s) {
    auto slot = slotRequest(s);
    if (!slot) return fail(slot.error(), g);
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    std::signal(SIGINT, onInterrupt);  // Ctrl-C stops waiting; the board may still vend
    hw::services::DispenseService service((*c)->driver(), (*c)->clock());
    auto r = service.dispense(*slot, &g_cancel);
    if (!r) return fail(r.error(), g);
    if (g.json) std::cout << reportJson(*r).dump(2) << '\n';
    else std::cout << line(*r) << '\n';
    return exitForResult(r->result);
}

int runBoardSweep(const GlobalOptions& g, const BoardTargetOptions& t, const BoardSweepOptions& s) {
    auto first = slotRequest(s.slots);
    if (!first) return fail(first.error(), g);
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    auto id = (*c)->driver().identify();
    if (!id) return fail(id.error(), g);
    const int last = s.count > 0 ? std::min<int>(first->slot + s.count, id->channels) : id->channels;
    std::vector<hw::services::SlotRequest> slots;
    for (int n = first->slot; n < last; ++n) {
        auto one = *first;
        one.slot = static_cast<std::uint8_t>(n);
        slots.push_back(one);
    }
    std::signal(SIGINT, onInterrupt);
    hw::services::DispenseService service((*c)->driver(), (*c)->clock());
    auto report = service.sweep(slots, &g_cancel, [&](const DispenseReport& r) {
        if (!g.json) std::cout << line(r) << std::endl;
    });
    if (!s.csv.empty()) {
        std::ofstream out(s.csv);
        out << hw::services::sweepCsv(report);
        if (!out) return fail(core::makeError(core::ErrorCode::Storage, "Cannot write " + s.csv + ": check the folder."), g);
    }
    const int ok = report.count(DispenseResult::Success), faults = report.count(DispenseResult::Fault) + report.count(DispenseResult::Refused);
    const int unknown = report.count(DispenseResult::Unknown), notRun = report.count(DispenseResult::NotRun);
    if (g.json) {
        json items = json::array();
        for (const auto& r : report.items) items.push_back(reportJson(r));
        std::cout << json{{"success", ok}, {"faults", faults}, {"unknown", unknown}, {"not_run", notRun},
                          {"stopped", report.stopped}, {"stop_reason", report.stopReason}, {"items", items}}.dump(2) << '\n';
    } else {
        std::cout << "sweep: " << ok << " ok, " << faults << " fault(s), " << unknown << " unknown, " << notRun << " not run";
        if (report.stopped) std::cout << " (stopped: " << report.stopReason << ")";
        std::cout << '\n';
    }
    if (unknown > 0) return kExitOutcomeUnknown;
    return faults > 0 || notRun > 0 ? kExitVendor : kExitOk;
}

int runBoardStatus(const GlobalOptions& g, const BoardTargetOptions& t, std::uint32_t txn) {
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    auto s = (*c)->driver().dispenseStatus(txn);
    if (!s) return fail(s.error(), g);
    const char* drop = s->drop == hw::board::DropSensor::Detected ? "detected"
                       : s->drop == hw::board::DropSensor::NotDetected ? "not-detected" : "not-checked";
    if (g.json) {
        std::cout << json{{"txn", txn}, {"state", hw::board::dispenseStateName(s->state)},
                          {"fault", s->fault == hw::board::Fault::None ? "" : hw::board::faultName(s->fault)},
                          {"drop_sensor", drop}, {"elapsed_ms", s->elapsedMs}}.dump(2) << '\n';
    } else if (s->state == hw::board::DispenseState::Idle) {
        std::cout << "The board does not know transaction " << txn << " (it keeps the last 8; it may have restarted): check the slot.\n";
    } else {
        std::cout << "transaction " << txn << ": " << hw::board::dispenseStateName(s->state);
        if (s->fault != hw::board::Fault::None) std::cout << " - " << hw::board::faultText(s->fault);
        std::cout << " (drop sensor " << drop << ", " << s->elapsedMs << " ms)\n";
    }
    return s->state == hw::board::DispenseState::Success ? kExitOk : kExitVendor;
}

int runBoardClearFault(const GlobalOptions& g, const BoardTargetOptions& t, int addr, int slot) {
    auto c = boardcli::open(t);
    if (!c) return fail(c.error(), g);
    const auto wire = slot < 0 ? hw::board::kAllSlots : static_cast<std::uint8_t>(slot);
    if (auto st = (*c)->driver().clearFault(static_cast<std::uint8_t>(addr), wire); !st) return fail(st.error(), g);
    const std::string what = "cabinet " + std::to_string(addr) + (slot < 0 ? " all slots" : " slot " + std::to_string(slot));
    if (g.json) std::cout << json{{"cleared", what}}.dump(2) << '\n';
    else std::cout << "Faults cleared: " << what << ".\n";
    return kExitOk;
}

}  // namespace cli
