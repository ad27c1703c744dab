#include "hw/usb/usb_devices.hpp"

#include <libusb.h>

namespace hw::usb {

using transport::LinkError;
using transport::makeLinkError;

core::Error usbError(int code, const std::string& what, const std::string& id) {
    const std::string head = what + " (" + libusb_error_name(code) + "): ";
    switch (code) {
    case LIBUSB_ERROR_ACCESS:
#if defined(_WIN32)
        return makeLinkError(LinkError::Permission, head + "Windows refused access to " + id +
                                                        ": bind the WinUSB driver to it (Zadig), or close the program using it.");
#elif defined(__APPLE__)
        return makeLinkError(LinkError::Permission, head + "macOS refused access to " + id + ": close other programs using it.");
#else
        return makeLinkError(LinkError::Permission,
                             head + "permission denied for USB device " + id +
                                 ": install assets/udev/70-pickupdesk.rules into /etc/udev/rules.d/, run `sudo udevadm "
                                 "control --reload && sudo udevadm trigger`, add yourself to the dialout group (`sudo "
                                 "usermod -aG dialout $USER`, then log in again) and replug the board.");
#endif
    case LIBUSB_ERROR_BUSY:
        return makeLinkError(LinkError::Busy, head + "USB device " + id +
                                                  " is in use by another program or a kernel driver: close the other program and retry.");
    case LIBUSB_ERROR_NO_DEVICE:
        return makeLinkError(LinkError::Disconnected, head + "USB device " + id + " was unplugged: check the cable and connect again.");
    case LIBUSB_ERROR_NOT_FOUND:
    case LIBUSB_ERROR_NOT_SUPPORTED:
#if defined(_WIN32)
        return makeLinkError(LinkError::NotFound, head + "Windows has no WinUSB driver on " + id +
                                                      ": install WinUSB for it with Zadig (or use board firmware with WCID descriptors).");
#else
        return makeLinkError(LinkError::NotFound, head + "USB device " + id +
                                                      " does not offer the expected interface: check that it is a Pickup Desk board.");
#endif
    case LIBUSB_ERROR_TIMEOUT:
        return makeLinkError(LinkError::Timeout, head + "USB device " + id + " did not answer in time.");
    default:
        return makeLinkError(LinkError::Io, head + "USB transfer with " + id + " failed: unplug and replug the board, then retry.");
    }
}

}  // namespace hw::usb
