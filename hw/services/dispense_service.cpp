#include "hw/services/dispense_service.hpp"

#include <algorithm>
#include <random>
#include <sstream>

namespace hw::services {
namespace {

using board::DispenseState;
using board::Fault;

std::string seconds(Millis ms) {
    std::ostringstream out;
    out << static_cast<double>(ms.count()) / 1000.0 << " s";
    return out.str();
}

DispenseReport unknown(DispenseReport r, const std::string& why) {
    r.result = DispenseResult::Unknown;
    r.message = "OUTCOME UNKNOWN: " + why +
                ". The board may still vend or may have vended: look at the slot and the delivery port before "
                "dispensing this slot again.";
    return r;
}

}  // namespace

Millis dispenseDeadline(board::SlotType type, bool lift, const DispenseOptions& o) {
    Millis d = o.springDeadline;
    if (lift || type == board::SlotType::Belt) d = o.beltDeadline;
    else if (type == board::SlotType::ELock) d = o.elockDeadline;
    return std::min(d, o.overallCap);
}

const char* dispenseResultName(DispenseResult result) {
    switch (result) {
    case DispenseResult::Success: return "success";
    case DispenseResult::Fault: return "fault";
    case DispenseResult::Refused: return "refused";
    case DispenseResult::Unknown: return "unknown";
    case DispenseResult::NotRun: return "not-run";
    }
    return "unknown";
}

int SweepReport::count(DispenseResult result) const {
    return static_cast<int>(std::count_if(items.begin(), items.end(), [&](const auto& i) { return i.result == result; }));
}

DispenseService::DispenseService(board::BoardDriver& driver, Clock& clock, DispenseOptions options)
    : m_driver(driver), m_clock(clock), m_options(options),
      // Random per session: the board answers a txn it already knows as "accepted" without vending, so a
      // new session must never reuse a recent id.
      m_nextTxn(std::random_device{}() ^ static_cast<std::uint32_t>(clock.now().count())) {}

core::Result<DispenseReport> DispenseService::dispense(const SlotRequest& slot, const std::atomic<bool>* cancel,
                                                       const ProgressFn& progress) {
    DispenseReport report;
    report.slot = slot;
    report.txn = m_nextTxn++;
    const Millis start = m_clock.now();
    const Millis deadline = start + dispenseDeadline(slot.type, slot.lift, m_options);
    auto ack = m_driver.dispense({report.txn, slot.addr, slot.slot, slot.type, slot.dropCheck, slot.lift});
    report.duration = m_clock.now() - start;
    if (!ack) {
        if (ack.error().code == core::ErrorCode::OutcomeUnknown) {  // the driver's message already holds the advice
            report.result = DispenseResult::Unknown;
            report.message = "OUTCOME UNKNOWN: " + ack.error().message;
            return report;
        }
        return ack.error();
    }
    if (!ack->accepted) {
        report.result = DispenseResult::Refused;
        report.fault = ack->fault;
        report.message = std::string("Refused, nothing vended: ") + board::faultText(ack->fault) + ".";
        return report;
    }
    return poll(report, start, deadline, cancel, progress);
}

DispenseReport DispenseService::poll(DispenseReport r, Millis start, Millis deadline, const std::atomic<bool>* cancel,
                                     const ProgressFn& progress) {
    for (;;) {
        r.duration = m_clock.now() - start;
        if (cancel != nullptr && cancel->load()) return unknown(r, "you stopped waiting after " + seconds(r.duration));
        auto status = m_driver.dispenseStatus(r.txn);
        r.duration = m_clock.now() - start;
        if (!status) return unknown(r, "contact with the board was lost while dispensing (" + status.error().message + ")");
        if (progress) progress(*status);
        r.drop = status->drop;
        switch (status->state) {
        case DispenseState::Success:
            r.result = DispenseResult::Success;
            r.message = "Vended in " + seconds(r.duration) + ".";
            return r;
        case DispenseState::Fault:
            r.result = DispenseResult::Fault;
            r.fault = status->fault;
            r.message = std::string(board::faultText(status->fault)) + ".";
            return r;
        case DispenseState::Idle:
            return unknown(r, "the board no longer knows this dispense (it may have restarted)");
        case DispenseState::Busy: break;
        }
        const Millis now = m_clock.now();
        if (now >= deadline) {
            return unknown(r, "no result within the " + seconds(deadline - start) + " limit for a " +
                                  board::slotTypeName(r.slot.type) + " slot");
        }
        m_clock.sleepFor(std::min(m_options.pollInterval, deadline - now));
    }
}

SweepReport DispenseService::sweep(const std::vector<SlotRequest>& slots, const std::atomic<bool>* cancel,
                                   const std::function<void(const DispenseReport&)>& onEach) {
    SweepReport report;
    for (const auto& slot : slots) {
        if (report.stopped || (cancel != nullptr && cancel->load())) {
            if (!report.stopped) report.stopReason = "stopped by you";
            report.stopped = true;
            DispenseReport skipped;
            skipped.slot = slot;
            skipped.message = "Not run: the sweep stopped (" + report.stopReason + ").";
            report.items.push_back(skipped);
            continue;
        }
        auto one = dispense(slot, cancel, {});
        DispenseReport item;
        if (one) {
            item = *one;
        } else {
            item.slot = slot;
            item.result = DispenseResult::NotRun;
            item.message = one.error().message;
            report.stopped = true;
            report.stopReason = "the board could not be reached";
        }
        if (item.result == DispenseResult::Unknown) {
            report.stopped = true;
            report.stopReason = "an outcome is unknown; check the board before continuing";
        }
        if (onEach) onEach(item);
        report.items.push_back(std::move(item));
    }
    return report;
}

std::string sweepCsv(const SweepReport& report) {
    std::ostringstream out;
    out << "addr,slot,type,drop_check,lift,result,fault,drop_sensor,duration_ms,message\n";
    for (const auto& i : report.items) {
        std::string msg = i.message;
        std::replace(msg.begin(), msg.end(), '"', '\'');
        const char* drop = i.drop == board::DropSensor::Detected ? "detected"
                           : i.drop == board::DropSensor::NotDetected ? "not-detected" : "not-checked";
        out << int(i.slot.addr) << ',' << int(i.slot.slot) << ',' << board::slotTypeName(i.slot.type) << ','
            << (i.slot.dropCheck ? 1 : 0) << ',' << (i.slot.lift ? 1 : 0) << ',' << dispenseResultName(i.result) << ','
            << (i.fault == Fault::None ? "" : board::faultName(i.fault)) << ',' << drop << ',' << i.duration.count()
            << ",\"" << msg << "\"\n";
    }
    return out.str();
}

}  // namespace hw::services
