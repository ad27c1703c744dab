#pragma once
// The board tab's workers (no ImGui): one link worker owns the open board connection and runs
// connect, read, provisioning and dispenses in order; one file worker reads and writes files; one
// watcher thread lists USB devices on libusb hotplug events and every second. Results go to the
// BoardInbox only.
#include "app/desktop/board_events.hpp"
#include "app/desktop/work_queue.hpp"
#include "hw/sim/board_sim.hpp"
#include "hw/usb/device_watcher.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace app::desktop {

inline constexpr const char* kSimTarget = "sim";         // the in-process simulator entry
inline constexpr const char* kSimPtyTarget = "sim-pty";  // pickupdesk-sim board --pty, over the serial transport

struct PlannedSlotFault {
    std::uint8_t addr = 1;
    std::uint8_t slot = 0;
    hw::sim::SlotPlan plan;
};

// How the in-process simulator is built when the technician picks "Simulator (in-process)".
struct BoardSimSetup {
    hw::board::BoardModel model = hw::board::BoardModel::W50x;
    int cabinets = 1;
    std::string serial = "SIM0001";
    bool fakeClock = false;  // tests: motors and timeouts cost no real time
    std::optional<hw::sim::SimTiming> timing;
    std::vector<PlannedSlotFault> faults;
};

// Starts USB hotplug notifications that call `onChange`; the handle keeps them running. Null where
// the platform has none (polling alone then). Tests inject their own.
using HotplugStarter = std::function<std::shared_ptr<void>(std::function<void()> onChange)>;
std::shared_ptr<void> startLibusbHotplug(std::function<void()> onChange);

struct BoardBackendOptions {
    bool watchUsb = true;
    HotplugStarter hotplug = startLibusbHotplug;  // wakes the USB watcher at once; the poll stays as a fallback
    std::string simBinary;  // pickupdesk-sim, for kSimPtyTarget ("" = not offered)
    std::string workDir;    // where that simulator's output and log go
    hw::usb::DeviceWatcher::Lister lister = hw::usb::listDevices;
    hw::Millis watchInterval{1000};
    BoardSimSetup sim;
    hw::services::DispenseOptions dispense;
};

class BoardBackend {
public:
    BoardBackend(std::shared_ptr<BoardInbox> inbox, BoardBackendOptions options);
    ~BoardBackend();
    BoardBackend(const BoardBackend&) = delete;
    BoardBackend& operator=(const BoardBackend&) = delete;

    void setSimSetup(BoardSimSetup setup);  // applies to the next simulator connection
    void connect(const std::string& target);
    void disconnect();
    void reread();
    void dispense(std::uint64_t job, const hw::services::SlotRequest& slot);
    void sweep(std::uint64_t job, const std::vector<hw::services::SlotRequest>& slots);
    // Stops polling the running dispense or sweep; the board may still vend.
    void cancel() { m_cancel->store(true); }
    void clearFaults(std::uint8_t addr);
    void apply(const hw::services::Provisioning& wanted);
    void loadProvisioning(const std::string& path);
    void writeFile(const std::string& path, std::string text, const std::string& what);
    int pending() const { return m_link.pending() + m_files.pending(); }

private:
    struct LinkState;
    void watch();
    std::shared_ptr<void> startHotplug();

    std::shared_ptr<BoardInbox> m_inbox;
    BoardBackendOptions m_options;
    std::shared_ptr<LinkState> m_state;
    std::shared_ptr<std::atomic<bool>> m_cancel = std::make_shared<std::atomic<bool>>(false);
    WorkQueue m_link;
    WorkQueue m_files;
    std::mutex m_watchMutex;
    std::condition_variable m_watchWake;
    bool m_stopping = false;
    bool m_hotplugPending = false;  // a hotplug event arrived: list again now
    std::thread m_watcher;
};

}  // namespace app::desktop
