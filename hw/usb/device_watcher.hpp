#pragma once
// Notices boards being plugged in and out by comparing successive USB listings (works on every OS).
// poll() is synchronous; run it from a worker thread, on a timer and, where libusb has hotplug
// events (hotplug.hpp), whenever one arrives.
#include "hw/usb/usb_devices.hpp"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace hw::usb {

struct DeviceEvent {
    bool added = true;  // false = removed
    UsbDevice device;
};

class DeviceWatcher {
public:
    using Lister = std::function<core::Result<std::vector<UsbDevice>>()>;
    explicit DeviceWatcher(Lister lister = listDevices) : m_lister(std::move(lister)) {}

    // Lists again and returns what changed since the last call (the first call reports every device).
    core::Result<std::vector<DeviceEvent>> poll();
    const std::map<std::string, UsbDevice>& current() const { return m_known; }

private:
    static std::string key(const UsbDevice& d);  // bus path + VID:PID + serial
    Lister m_lister;
    std::map<std::string, UsbDevice> m_known;
};

}  // namespace hw::usb
