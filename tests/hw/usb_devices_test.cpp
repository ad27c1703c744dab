// USB helpers that need no device: selectors, bridge table, libusb error wording.
#include "hw/usb/usb_devices.hpp"

#include <doctest/doctest.h>

#include <libusb.h>

using hw::transport::LinkError;
using hw::transport::linkErrorOf;

TEST_CASE("usb selectors parse usb:VID:PID[:SERIAL]") {
    auto s = hw::usb::parseSelector("usb:1209:0001");
    REQUIRE(s);
    CHECK(s->vid == 0x1209);
    CHECK(s->pid == 0x0001);
    CHECK_FALSE(s->serial);
    auto withSerial = hw::usb::parseSelector("usb:1a86:7523:A1B2");
    REQUIRE(withSerial);
    CHECK(withSerial->serial == "A1B2");
    CHECK_FALSE(hw::usb::parseSelector("/dev/ttyUSB0"));
    CHECK_FALSE(hw::usb::parseSelector("usb:12345:0001"));
    CHECK_FALSE(hw::usb::parseSelector("usb:zz:0001"));
}

TEST_CASE("known bridges map to the serial path") {
    CHECK(std::string(hw::usb::bridgeName(0x1a86, 0x7523)) == "CH340");
    CHECK(std::string(hw::usb::bridgeName(0x10c4, 0xea60)) == "CP210x");
    CHECK(std::string(hw::usb::bridgeName(0x0403, 0x6001)) == "FTDI");
    CHECK(std::string(hw::usb::bridgeName(0x067b, 0x2303)) == "PL2303");
    CHECK(hw::usb::bridgeName(0x1209, 0x0001) == nullptr);
}

TEST_CASE("libusb errors become distinct link errors with advice") {
    auto access = hw::usb::usbError(LIBUSB_ERROR_ACCESS, "Cannot open the board", "1209:0001");
    CHECK(linkErrorOf(access) == LinkError::Permission);
    CHECK(access.message.find("assets/udev/70-pickupdesk.rules") != std::string::npos);
    CHECK(access.message.find("dialout") != std::string::npos);
    CHECK(linkErrorOf(hw::usb::usbError(LIBUSB_ERROR_BUSY, "x", "1209:0001")) == LinkError::Busy);
    CHECK(linkErrorOf(hw::usb::usbError(LIBUSB_ERROR_NO_DEVICE, "x", "1209:0001")) == LinkError::Disconnected);
    CHECK(linkErrorOf(hw::usb::usbError(LIBUSB_ERROR_TIMEOUT, "x", "1209:0001")) == LinkError::Timeout);
    CHECK(linkErrorOf(hw::usb::usbError(LIBUSB_ERROR_IO, "x", "1209:0001")) == LinkError::Io);
    CHECK(hw::usb::usbError(LIBUSB_ERROR_TIMEOUT, "x", "1").code == core::ErrorCode::Timeout);
}

#include "hw/usb/device_watcher.hpp"

TEST_CASE("the device watcher reports added and removed devices between polls") {
    std::vector<hw::usb::UsbDevice> devices;
    hw::usb::UsbDevice a;
    a.vid = 0x1209;
    a.pid = 0x0001;
    a.busPath = "1-1";
    hw::usb::UsbDevice b = a;
    b.vid = 0x1a86;
    b.pid = 0x7523;
    b.busPath = "1-2";
    hw::usb::DeviceWatcher watcher([&]() -> core::Result<std::vector<hw::usb::UsbDevice>> { return devices; });
    devices = {a};
    CHECK(watcher.poll()->size() == 1);
    devices = {a, b};
    auto plugged = watcher.poll();
    REQUIRE(plugged->size() == 1);
    CHECK(plugged->front().added);
    CHECK(plugged->front().device.id() == "1a86:7523");
    devices = {b};
    auto unplugged = watcher.poll();
    REQUIRE(unplugged->size() == 1);
    CHECK_FALSE(unplugged->front().added);
    CHECK(unplugged->front().device.id() == "1209:0001");
}
