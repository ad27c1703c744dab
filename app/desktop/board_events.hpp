#pragma once
#include "app/desktop/event_inbox.hpp"
// Results the board workers hand to the UI thread. The board tab has its own small inbox (drained
// once per frame by BoardViewModel::pump) so hw events stay out of the app-wide UiEvent variant.
#include "hw/board/framed_driver.hpp"
#include "hw/services/dispense_service.hpp"
#include "hw/services/provisioning.hpp"
#include "hw/usb/usb_devices.hpp"

#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace app::desktop {

struct BoardDevicesListed {
    std::vector<hw::usb::UsbDevice> devices;  // the whole current list
    std::optional<core::Error> error;         // listing failed (libusb missing, permission)
};

struct BoardConnected {
    std::uint64_t session = 0;
    std::string target;    // "sim", "/dev/ttyUSB0", "usb:1a86:7523"
    std::string link;      // Transport::describe()
    hw::services::Snapshot snapshot;
};

struct BoardDisconnected {
    std::uint64_t session = 0;
    std::string reason;  // empty: the technician disconnected
};

struct BoardSnapshotRead {
    std::uint64_t session = 0;
    hw::services::Snapshot snapshot;
};

struct BoardFrame {
    std::uint64_t session = 0;
    hw::board::FrameLogEntry entry;
    hw::Millis origin{0};
};

struct BoardDispenseProgress {
    std::uint64_t job = 0;
    hw::services::SlotRequest slot;
    hw::board::DispenseStatus status;
};

// One slot finished (a single dispense or one slot of a sweep).
struct BoardDispenseDone {
    std::uint64_t job = 0;
    hw::services::DispenseReport report;
    bool cancelled = false;  // the technician stopped polling
};

struct BoardSweepDone {
    std::uint64_t job = 0;
    hw::services::SweepReport report;
    bool cancelled = false;
};

struct BoardProvisioned {
    hw::services::ApplyReport report;
};

struct BoardProvisioningLoaded {
    std::string path;
    hw::services::Provisioning provisioning;
};

struct BoardFileWritten {
    std::string path;
    std::string what;  // i18n key of what was written
};

struct BoardFailed {
    std::string what;  // i18n key of the action, e.g. "board.action.connect"
    core::Error error;
};

using BoardEvent = std::variant<BoardDevicesListed, BoardConnected, BoardDisconnected, BoardSnapshotRead, BoardFrame,
                                BoardDispenseProgress, BoardDispenseDone, BoardSweepDone, BoardProvisioned,
                                BoardProvisioningLoaded, BoardFileWritten, BoardFailed>;

// Posting wakes an idle UI through the waker.
using BoardInbox = EventInbox<BoardEvent>;

}  // namespace app::desktop
