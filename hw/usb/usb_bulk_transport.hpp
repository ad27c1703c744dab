#pragma once
// libusb bulk transport for boards whose firmware exposes a vendor-specific interface (class 0xFF,
// one bulk IN and one bulk OUT endpoint). Serial bridges go through the OS serial driver instead.
#include "hw/transport/transport.hpp"
#include "hw/usb/usb_devices.hpp"

#include <memory>

namespace hw::usb {

// Finds the device, opens it, detaches a kernel driver where the OS allows, claims the interface.
core::Result<std::unique_ptr<transport::Transport>> openUsbBulk(const UsbSelector& selector);

}  // namespace hw::usb
