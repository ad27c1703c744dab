#pragma once
// Shared between usb_devices.cpp and usb_bulk_transport.cpp; not part of the public API.
#include "hw/usb/usb_devices.hpp"

struct libusb_device;

namespace hw::usb::detail {

// nullopt for hubs and unreadable descriptors.
std::optional<UsbDevice> describeDevice(libusb_device* device);

}  // namespace hw::usb::detail
