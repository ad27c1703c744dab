#pragma once
// One byte-pipe interface for every way to reach a board: serial (termios / Win32), libusb bulk,
// and the in-process loopback to the simulator.
#include "hw/clock.hpp"

#include "core/util/result.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace hw::transport {

// Link failures a caller must tell apart. They travel in core::Error (code + the kind in
// vendorCode, see linkErrorOf) until core grows dedicated codes.
enum class LinkError {
    Timeout = 1,   // nothing arrived in time: the board may be off or the wrong port/baud
    Disconnected,  // unplugged or the port went away
    Busy,          // another program (or a kernel driver) holds the port/interface
    Permission,    // the OS refused access (udev rule / dialout group / WinUSB driver)
    NotFound,      // no such port or device
    Io,            // any other I/O failure
};

const char* linkErrorName(LinkError kind);  // "timeout", "disconnected", ...

// Error with the right core::ErrorCode (Timeout, Network, Config, NotFound) and the kind attached.
core::Error makeLinkError(LinkError kind, std::string message);
std::optional<LinkError> linkErrorOf(const core::Error& error);

class Transport {
public:
    virtual ~Transport() = default;
    // Writes every byte or fails.
    virtual core::Status write(std::span<const std::uint8_t> bytes, Millis timeout) = 0;
    // Returns 1..buf.size() bytes, or LinkError::Timeout when none arrived within the timeout.
    virtual core::Result<std::size_t> read(std::span<std::uint8_t> buf, Millis timeout) = 0;
    virtual void close() = 0;
    virtual std::string describe() const = 0;  // "serial /dev/ttyUSB0 9600 8N1", "usb 1209:0001 bus 1-1"
};

}  // namespace hw::transport
