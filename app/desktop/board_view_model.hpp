#pragma once
// The Board tab's state without ImGui: devices (USB hotplug by polling, a serial path, the
// in-process simulator), connection and identity, the provisioning form with validation and a diff,
// the channel grid coloured by last result, dispenses and sweeps with live progress and cancel, and
// the frame log. Intents go to BoardBackend's workers; results come back through pump().
#include "app/desktop/board_backend.hpp"
#include "app/desktop/board_frame_log.hpp"
#include "app/desktop/board_provisioning_form.hpp"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace app::desktop {

enum class BoardLinkState { Disconnected, Connecting, Connected };

struct BoardDeviceEntry {
    std::string label;   // "CH340 1a86:7523 (/dev/ttyUSB0)", "Simulator (in-process)"
    std::string target;  // what connect() takes; empty when no transport fits
    std::string detail;  // bus path, manufacturer/product, or why it cannot be used
    bool simulator = false;
};

// How a grid cell is drawn.
enum class SlotLook { Untested, Running, Queued, Success, Fault, Refused, Unknown, NotRun, Disabled };

struct SlotOutcome {
    hw::services::DispenseResult result = hw::services::DispenseResult::NotRun;
    hw::board::Fault fault = hw::board::Fault::None;
    std::string message;  // the service's English words (detail / tooltip)
    hw::Millis duration{0};
    bool cancelled = false;
};

struct DispenseParams {
    hw::board::SlotType type = hw::board::SlotType::Spring;
    bool dropCheck = false;
    bool lift = false;
};

// A dispense or sweep in progress (and, once finished, its result until the next one).
struct BoardRun {
    std::uint64_t job = 0;
    bool sweep = false;
    std::vector<hw::services::SlotRequest> slots;
    std::vector<hw::services::DispenseReport> reports;  // one per finished slot, in order
    std::optional<hw::board::DispenseStatus> lastStatus;
    bool cancelRequested = false;
    bool finished = false;
    bool cancelled = false;
    std::optional<hw::services::SweepReport> sweepReport;
    const hw::services::SlotRequest* current() const;  // the slot being dispensed now
};

// i18n key of a fault's plain-words reason ("board.fault.goods_stuck").
const char* faultKey(hw::board::Fault fault);
// Result in the UI language: the fault reason, success time, or the unknown-outcome warning.
std::string outcomeText(const hw::services::DispenseReport& report, bool cancelled);

class BoardViewModel {
public:
    explicit BoardViewModel(std::function<void()> waker, BoardBackendOptions options = {});
    ~BoardViewModel();
    BoardViewModel(const BoardViewModel&) = delete;
    BoardViewModel& operator=(const BoardViewModel&) = delete;

    int pump();  // applies worker results (UI thread, once per frame); returns how many
    bool busy() const { return m_backend.pending() > 0; }
    void setSimSetup(BoardSimSetup setup) { m_backend.setSimSetup(std::move(setup)); }

    // Devices and connection.
    std::vector<BoardDeviceEntry> devices() const;
    std::string& serialPath() { return m_serialPath; }  // the manual serial entry ("/dev/ttyUSB0", "COM3", a pty)
    const std::optional<std::string>& listError() const { return m_listError; }
    void connect(const std::string& target);
    void disconnect();
    BoardLinkState linkState() const { return m_state; }
    const std::string& target() const { return m_target; }
    const std::string& linkText() const { return m_link; }
    const std::optional<hw::services::Snapshot>& snapshot() const { return m_snapshot; }
    void reread() { m_backend.reread(); }

    // Channel grid of one cabinet: slot = row*10 + col.
    std::vector<std::uint8_t> cabinets() const;
    std::uint8_t cabinet() const { return m_cabinet; }
    void setCabinet(std::uint8_t addr);
    int gridRows() const;
    int gridColumns() const;
    int channelCount() const;
    const hw::board::ChannelInfo* channel(std::uint8_t addr, std::uint8_t slot) const;
    SlotLook slotLook(std::uint8_t addr, std::uint8_t slot) const;
    const SlotOutcome* outcome(std::uint8_t addr, std::uint8_t slot) const;
    void click(std::uint8_t slot, bool additive);  // plain click: select one (params from its channel); Ctrl: toggle
    void selectAll();
    void clearSelection() { m_selected.clear(); }
    const std::set<std::uint8_t>& selection() const { return m_selected; }
    DispenseParams& params() { return m_params; }
    void clearFaults() { m_backend.clearFaults(m_cabinet); m_outcomes.clear(); }

    // Dispenses. One run at a time; the single dispense takes params(), a sweep each slot's own channel settings.
    bool canDispense() const;
    void dispenseSelected();
    void dispense(const hw::services::SlotRequest& slot);
    void sweepSelected();
    void sweep(const std::vector<hw::services::SlotRequest>& slots);
    void cancel();  // stops polling; the board may still vend
    const std::optional<BoardRun>& run() const { return m_run; }
    bool running() const { return m_run && !m_run->finished; }
    void exportSweep(const std::string& path);

    // Provisioning.
    BoardProvisioningForm& form() { return m_form; }
    void loadProvisioning(const std::string& path) { m_backend.loadProvisioning(path); }
    void writeProvisioning();  // the form's changes (validated, diffed) to the board
    const std::optional<hw::services::ApplyReport>& applyReport() const { return m_applyReport; }

    // Frame log.
    FrameLog& frames() { return m_frames; }
    void exportFrames(const std::string& path);

    // Errors and notices for the tab (newest last).
    std::deque<BoardFailed>& errors() { return m_errors; }
    const std::string& notice() const { return m_notice; }

private:
    void apply(const BoardEvent& event);
    void onConnected(const BoardConnected& e);
    void onDone(const BoardDispenseDone& e);
    void onSnapshot(const hw::services::Snapshot& s);
    void startRun(bool sweep, std::vector<hw::services::SlotRequest> slots);
    hw::services::SlotRequest requestFor(std::uint8_t slot, bool ownSettings) const;

    std::shared_ptr<BoardInbox> m_inbox;
    bool m_ptySimOffered = false;  // pickupdesk-sim found: devices() lists the pseudo-terminal simulator
    BoardBackend m_backend;
    std::vector<hw::usb::UsbDevice> m_usb;
    std::optional<std::string> m_listError;
    std::string m_serialPath;
    BoardLinkState m_state = BoardLinkState::Disconnected;
    std::string m_target, m_link;
    std::optional<hw::services::Snapshot> m_snapshot;
    std::uint8_t m_cabinet = 1;
    std::set<std::uint8_t> m_selected;
    DispenseParams m_params;
    std::map<std::pair<int, int>, SlotOutcome> m_outcomes;
    std::optional<BoardRun> m_run;
    std::uint64_t m_nextJob = 1;
    BoardProvisioningForm m_form;
    std::optional<hw::services::ApplyReport> m_applyReport;
    FrameLog m_frames;
    std::deque<BoardFailed> m_errors;
    std::string m_notice;
};

}  // namespace app::desktop
