#pragma once
// USB device discovery through libusb: identity, bus path, and which transport fits each device
// (OS serial port for bridges and CDC-ACM; libusb bulk for vendor-specific interfaces).
#include "hw/transport/transport.hpp"

#include "core/util/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hw::usb {

enum class Fit { Serial, UsbBulk, Unsupported };
const char* fitName(Fit fit);  // "serial" | "usb-bulk" | "unsupported"

struct UsbDevice {
    std::uint16_t vid = 0, pid = 0;
    std::string manufacturer, product, serial;  // empty when unreadable
    int bus = 0, address = 0;
    std::string busPath;  // "1-1.2" (bus-ports), stable while the cable stays in the same port
    Fit fit = Fit::Unsupported;
    std::string kind;     // "CH340", "CP210x", "FTDI", "PL2303", "CDC-ACM", "vendor-bulk", ""
    std::string ttyPath;  // the OS serial port for Fit::Serial when known ("/dev/ttyUSB0")
    int interfaceNumber = -1;           // Fit::UsbBulk
    std::uint8_t epIn = 0, epOut = 0;   // Fit::UsbBulk
    std::string id() const;             // "1209:0001"
};

// Known USB-serial bridges by VID:PID: "CH340", ... or nullptr.
const char* bridgeName(std::uint16_t vid, std::uint16_t pid);

// Every USB device libusb sees (hubs excluded). On Linux the strings come from sysfs, so no device
// has to be opened (and no permission is needed) to list them.
core::Result<std::vector<UsbDevice>> listDevices();

// "usb:VID:PID[:SERIAL]" (hex VID/PID).
struct UsbSelector {
    std::uint16_t vid = 0, pid = 0;
    std::optional<std::string> serial;
    bool matches(const UsbDevice& device) const;
};
std::optional<UsbSelector> parseSelector(const std::string& text);

// libusb error → a link error whose message says what to do (udev rule / dialout on Linux, WinUSB
// on Windows, busy, unplugged, timeout).
core::Error usbError(int libusbCode, const std::string& what, const std::string& deviceId);

}  // namespace hw::usb
