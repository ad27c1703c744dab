#pragma once
// Serial transport for USB-serial bridges (CH340, CP210x, FTDI, PL2303) and CDC-ACM boards, through
// the OS serial driver: termios on Linux/macOS (serial_posix.cpp), Win32 COM on Windows
// (serial_win32.cpp). 8N1, no flow control, 9600 baud by default.
#include "hw/transport/transport.hpp"

#include <memory>
#include <string>

namespace hw::transport {

struct SerialOptions {
    int baud = 9600;
};

// path: "/dev/ttyUSB0", "/dev/ttyACM0", "/dev/cu.usbserial-1410", "COM3". Errors: NotFound,
// Permission (names the dialout group and the udev rule), Busy (port in use), Io.
core::Result<std::unique_ptr<Transport>> openSerial(const std::string& path, SerialOptions options = {});

// The per-platform hint for a permission error on a serial port.
std::string serialPermissionHint(const std::string& path);

}  // namespace hw::transport
