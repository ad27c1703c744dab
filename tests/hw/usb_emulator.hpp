#pragma once
// An emulated USB board for libusb tests (Linux, umockdev): a umockdev testbed holds a vendor-bulk
// device 1209:0001 (bus path 1-1) and a CH340 bridge 1a86:7523 (1-2); an ioctl handler answers the
// usbdevfs URB life cycle with a BoardSim behind it (pattern of libusb's tests/umockdev.c).
// The program must run with libumockdev-preload (umockdev-wrapper or LD_PRELOAD).
#include "hw/sim/board_sim.hpp"

#include <atomic>
#include <memory>

namespace hwtest {

bool underUmockdev();

class UsbEmulator {
public:
    explicit UsbEmulator(hw::sim::BoardSim& board);
    ~UsbEmulator();
    UsbEmulator(const UsbEmulator&) = delete;
    UsbEmulator& operator=(const UsbEmulator&) = delete;

    std::atomic<bool> mute{false};              // OUT accepted, never answered
    std::atomic<bool> unplugOnDispense{false};  // the board runs the next DISPENSE, then the device vanishes
    std::atomic<bool> unplugged{false};
    std::atomic<int> maxInChunk{0};              // >0: each IN transfer carries at most this many bytes

    void removeBoard();  // the device disappears from sysfs and /dev (unplug as libusb enumeration sees it)
    // A second CH340 bridge (bus path 1-3) appears, announced by a udev "add" event (hotplug), and
    // leaves with a "remove" event.
    void plugBridge();
    void unplugBridge();

    struct State;

private:
    std::unique_ptr<State> m_state;
};

}  // namespace hwtest
