#pragma once
// libusb hotplug notifications where the platform has them (Linux, macOS): onChange runs on the
// signal's own event thread whenever a USB device arrives or leaves, so a DeviceWatcher can list
// again at once instead of waiting for its next poll. Elsewhere start() returns null and polling
// alone finds the changes.
#include <functional>
#include <memory>

namespace hw::usb {

class HotplugSignal {
public:
    ~HotplugSignal();
    HotplugSignal(const HotplugSignal&) = delete;
    HotplugSignal& operator=(const HotplugSignal&) = delete;

    // Null when libusb cannot deliver hotplug events here. onChange must be quick (it only signals).
    static std::unique_ptr<HotplugSignal> start(std::function<void()> onChange);

    struct Impl;

private:
    explicit HotplugSignal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hw::usb
