#include "app/desktop/board_view_model.hpp"

#include "app/desktop/i18n.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>

namespace app::desktop {
namespace {

using hw::services::DispenseResult;

std::string usbLabel(const hw::usb::UsbDevice& d) {
    std::string s = d.kind.empty() ? std::string("USB") : d.kind;
    s += " " + d.id();
    if (!d.product.empty()) s += " " + d.product;
    if (!d.ttyPath.empty()) s += " (" + d.ttyPath + ")";
    return s;
}

std::string usbTarget(const hw::usb::UsbDevice& d) {
    if (d.fit == hw::usb::Fit::Serial) return d.ttyPath;  // empty: no port node found yet
    if (d.fit != hw::usb::Fit::UsbBulk) return "";
    return "usb:" + d.id() + (d.serial.empty() ? std::string() : ":" + d.serial);
}

}  // namespace

const char* faultKey(hw::board::Fault fault) {
    using hw::board::Fault;
    switch (fault) {
    case Fault::None: return "board.fault.none";
    case Fault::SlotInvalid: return "board.fault.slot_invalid";
    case Fault::GoodsStuck: return "board.fault.goods_stuck";
    case Fault::DropNotDetected: return "board.fault.drop_not_detected";
    case Fault::MotorShort: return "board.fault.motor_short";
    case Fault::LockNotOpened: return "board.fault.lock_not_opened";
    case Fault::LiftFault: return "board.fault.lift";
    case Fault::BoardBusy: return "board.fault.busy";
    case Fault::PowerFault: return "board.fault.power";
    case Fault::SlaveCommError: return "board.fault.slave_comm";
    }
    return "board.fault.unknown";
}

std::string outcomeText(const hw::services::DispenseReport& r, bool cancelled) {
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(r.duration.count()) / 1000.0);
    switch (r.result) {
    case DispenseResult::Success: return trf("board.result.success", {secs});
    case DispenseResult::Fault: return trf("board.result.fault", {tr(faultKey(r.fault))});
    case DispenseResult::Refused: return trf("board.result.refused", {tr(faultKey(r.fault))});
    case DispenseResult::Unknown: return tr(cancelled ? "board.result.cancelled" : "board.result.unknown");
    case DispenseResult::NotRun: return r.message.empty() ? std::string(tr("board.result.not_run")) : r.message;
    }
    return r.message;
}

const hw::services::SlotRequest* BoardRun::current() const {
    if (finished || reports.size() >= slots.size()) return nullptr;
    return &slots[reports.size()];
}

BoardViewModel::BoardViewModel(std::function<void()> waker, BoardBackendOptions options)
    : m_inbox(std::make_shared<BoardInbox>(std::move(waker))),
      m_ptySimOffered(!options.simBinary.empty()),
      m_backend(m_inbox, std::move(options)) {
#ifdef _WIN32
    m_serialPath = "COM3";
#else
    m_serialPath = "/dev/ttyUSB0";
#endif
}

BoardViewModel::~BoardViewModel() = default;

int BoardViewModel::pump() {
    auto events = m_inbox->drain();
    for (const auto& e : events) apply(e);
    return static_cast<int>(events.size());
}

void BoardViewModel::apply(const BoardEvent& event) {
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, BoardDevicesListed>) {
                m_usb = e.devices;
                m_listError = e.error ? std::optional(e.error->message) : std::nullopt;
            } else if constexpr (std::is_same_v<T, BoardConnected>) {
                onConnected(e);
            } else if constexpr (std::is_same_v<T, BoardDisconnected>) {
                m_state = BoardLinkState::Disconnected;
                m_notice = e.reason;
            } else if constexpr (std::is_same_v<T, BoardSnapshotRead>) {
                onSnapshot(e.snapshot);
            } else if constexpr (std::is_same_v<T, BoardFrame>) {
                m_frames.add(describeFrame(e.entry, e.origin));
            } else if constexpr (std::is_same_v<T, BoardDispenseProgress>) {
                if (m_run && m_run->job == e.job) m_run->lastStatus = e.status;
            } else if constexpr (std::is_same_v<T, BoardDispenseDone>) {
                onDone(e);
            } else if constexpr (std::is_same_v<T, BoardSweepDone>) {
                if (m_run && m_run->job == e.job) {
                    m_run->finished = true;
                    m_run->cancelled = e.cancelled;
                    m_run->sweepReport = e.report;
                    for (std::size_t i = m_run->reports.size(); i < e.report.items.size(); ++i) {
                        m_run->reports.push_back(e.report.items[i]);  // slots the sweep did not run
                    }
                }
            } else if constexpr (std::is_same_v<T, BoardProvisioned>) {
                m_applyReport = e.report;
                m_form.dirty = false;
            } else if constexpr (std::is_same_v<T, BoardProvisioningLoaded>) {
                m_form.merge(e.provisioning, e.path);
            } else if constexpr (std::is_same_v<T, BoardFileWritten>) {
                m_notice = trf("board.written", {e.path});
            } else if constexpr (std::is_same_v<T, BoardFailed>) {
                if (e.what == "board.action.connect") m_state = BoardLinkState::Disconnected;
                m_errors.push_back(e);
                if (m_errors.size() > 20) m_errors.pop_front();
            }
        },
        event);
}

void BoardViewModel::onConnected(const BoardConnected& e) {
    m_state = BoardLinkState::Connected;
    m_target = e.target;
    m_link = e.link;
    m_outcomes.clear();
    m_selected.clear();
    m_run.reset();
    m_applyReport.reset();
    m_form.dirty = false;
    onSnapshot(e.snapshot);
    m_cabinet = hw::board::kMinAddr;
}

void BoardViewModel::onSnapshot(const hw::services::Snapshot& s) {
    m_snapshot = s;
    if (!m_form.dirty) m_form.fill(s.config);
}

void BoardViewModel::onDone(const BoardDispenseDone& e) {
    SlotOutcome& o = m_outcomes[{e.report.slot.addr, e.report.slot.slot}];
    o.result = e.report.result;
    o.fault = e.report.fault;
    o.message = e.report.message;
    o.duration = e.report.duration;
    o.cancelled = e.cancelled;
    if (!m_run || m_run->job != e.job) return;
    m_run->reports.push_back(e.report);
    m_run->lastStatus.reset();
    if (!m_run->sweep) {
        m_run->finished = true;
        m_run->cancelled = e.cancelled;
    }
}

std::vector<BoardDeviceEntry> BoardViewModel::devices() const {
    std::vector<BoardDeviceEntry> out;
    for (const auto& d : m_usb) {
        if (d.fit == hw::usb::Fit::Unsupported) continue;  // keyboards, cameras...
        BoardDeviceEntry e{usbLabel(d), usbTarget(d), d.busPath, false};
        if (!d.manufacturer.empty()) e.detail += " · " + d.manufacturer;
        if (e.target.empty()) e.detail += " · " + std::string(tr("board.no_port"));
        out.push_back(std::move(e));
    }
    out.push_back({tr("board.sim_entry"), kSimTarget, tr("board.sim_detail"), true});
    if (m_ptySimOffered) out.push_back({tr("board.sim_pty_entry"), kSimPtyTarget, tr("board.sim_pty_detail"), true});
    return out;
}

void BoardViewModel::connect(const std::string& target) {
    if (target.empty()) return;
    m_state = BoardLinkState::Connecting;
    m_target = target;
    m_notice.clear();
    if (m_run && !m_run->finished) m_run->cancelRequested = true;
    m_backend.connect(target);
}

void BoardViewModel::disconnect() {
    if (m_run && !m_run->finished) m_run->cancelRequested = true;
    m_backend.disconnect();
}

std::vector<std::uint8_t> BoardViewModel::cabinets() const {
    std::vector<std::uint8_t> out;
    if (!m_snapshot) return out;
    for (const auto& c : m_snapshot->channels) {
        if (std::find(out.begin(), out.end(), c.addr) == out.end()) out.push_back(c.addr);
    }
    return out;
}

void BoardViewModel::setCabinet(std::uint8_t addr) {
    if (addr == m_cabinet) return;
    m_cabinet = addr;
    m_selected.clear();
}

int BoardViewModel::channelCount() const { return m_snapshot ? m_snapshot->identity.channels : 0; }
int BoardViewModel::gridColumns() const { return std::min(10, channelCount()); }
int BoardViewModel::gridRows() const { return (channelCount() + 9) / 10; }

const hw::board::ChannelInfo* BoardViewModel::channel(std::uint8_t addr, std::uint8_t slot) const {
    if (!m_snapshot) return nullptr;
    for (const auto& c : m_snapshot->channels) {
        if (c.addr == addr && c.slot == slot) return &c;
    }
    return nullptr;
}

const SlotOutcome* BoardViewModel::outcome(std::uint8_t addr, std::uint8_t slot) const {
    auto it = m_outcomes.find({addr, slot});
    return it == m_outcomes.end() ? nullptr : &it->second;
}

SlotLook BoardViewModel::slotLook(std::uint8_t addr, std::uint8_t slot) const {
    if (m_run && !m_run->finished) {
        const auto* cur = m_run->current();
        if (cur != nullptr && cur->addr == addr && cur->slot == slot) return SlotLook::Running;
        for (std::size_t i = m_run->reports.size(); i < m_run->slots.size(); ++i) {
            if (m_run->slots[i].addr == addr && m_run->slots[i].slot == slot) return SlotLook::Queued;
        }
    }
    if (const SlotOutcome* o = outcome(addr, slot)) {
        switch (o->result) {
        case DispenseResult::Success: return SlotLook::Success;
        case DispenseResult::Fault: return SlotLook::Fault;
        case DispenseResult::Refused: return SlotLook::Refused;
        case DispenseResult::Unknown: return SlotLook::Unknown;
        case DispenseResult::NotRun: return SlotLook::NotRun;
        }
    }
    const auto* c = channel(addr, slot);
    if (c == nullptr || !c->enabled) return SlotLook::Disabled;
    return c->lastFault != hw::board::Fault::None ? SlotLook::Fault : SlotLook::Untested;
}

void BoardViewModel::click(std::uint8_t slot, bool additive) {
    if (additive) {
        if (!m_selected.erase(slot)) m_selected.insert(slot);
        return;
    }
    m_selected = {slot};
    if (const auto* c = channel(m_cabinet, slot)) m_params = {c->type, c->dropCheck, c->lift};
}

void BoardViewModel::selectAll() {
    m_selected.clear();
    for (int s = 0; s < channelCount(); ++s) {
        const auto* c = channel(m_cabinet, static_cast<std::uint8_t>(s));
        if (c != nullptr && c->enabled) m_selected.insert(static_cast<std::uint8_t>(s));
    }
}

hw::services::SlotRequest BoardViewModel::requestFor(std::uint8_t slot, bool ownSettings) const {
    hw::services::SlotRequest r{m_cabinet, slot, m_params.type, m_params.dropCheck, m_params.lift};
    if (const auto* c = channel(m_cabinet, slot); ownSettings && c != nullptr) {
        r.type = c->type;
        r.dropCheck = c->dropCheck;
        r.lift = c->lift;
    }
    return r;
}

bool BoardViewModel::canDispense() const { return m_state == BoardLinkState::Connected && !running(); }

void BoardViewModel::dispenseSelected() {
    if (m_selected.size() == 1) dispense(requestFor(*m_selected.begin(), false));
}

void BoardViewModel::dispense(const hw::services::SlotRequest& slot) {
    if (!canDispense()) return;
    startRun(false, {slot});
    m_backend.dispense(m_run->job, slot);
}

void BoardViewModel::sweepSelected() {
    std::vector<hw::services::SlotRequest> slots;
    for (auto s : m_selected) slots.push_back(requestFor(s, true));
    sweep(slots);
}

void BoardViewModel::sweep(const std::vector<hw::services::SlotRequest>& slots) {
    if (!canDispense() || slots.empty()) return;
    startRun(true, slots);
    m_backend.sweep(m_run->job, slots);
}

void BoardViewModel::startRun(bool sweep, std::vector<hw::services::SlotRequest> slots) {
    m_run = BoardRun{};
    m_run->job = m_nextJob++;
    m_run->sweep = sweep;
    m_run->slots = std::move(slots);
    m_notice.clear();
}

void BoardViewModel::cancel() {
    if (!running()) return;
    m_run->cancelRequested = true;
    m_backend.cancel();
}

void BoardViewModel::exportSweep(const std::string& path) {
    if (!m_run || !m_run->sweepReport) return;
    m_backend.writeFile(path, hw::services::sweepCsv(*m_run->sweepReport), "board.action.export_sweep");
}

void BoardViewModel::writeProvisioning() {
    if (!m_snapshot || m_state != BoardLinkState::Connected) return;
    auto wanted = m_form.wanted(m_snapshot->config);
    if (!wanted) {
        m_errors.push_back({"board.action.write", wanted.error()});
        return;
    }
    m_applyReport.reset();
    m_backend.apply(*wanted);
}

void BoardViewModel::exportFrames(const std::string& path) {
    m_backend.writeFile(path, m_frames.exportText(), "board.action.export_log");
}

}  // namespace app::desktop
