#include "hw/usb/device_watcher.hpp"

namespace hw::usb {

std::string DeviceWatcher::key(const UsbDevice& d) { return d.busPath + "|" + d.id() + "|" + d.serial; }

core::Result<std::vector<DeviceEvent>> DeviceWatcher::poll() {
    auto devices = m_lister();
    if (!devices) return devices.error();
    std::map<std::string, UsbDevice> now;
    for (auto& d : *devices) now.emplace(key(d), std::move(d));
    std::vector<DeviceEvent> events;
    for (const auto& [k, d] : m_known) {
        if (now.find(k) == now.end()) events.push_back({false, d});
    }
    for (const auto& [k, d] : now) {
        if (m_known.find(k) == m_known.end()) events.push_back({true, d});
    }
    m_known = std::move(now);
    return events;
}

}  // namespace hw::usb
