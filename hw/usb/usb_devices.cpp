#include "hw/usb/usb_devices.hpp"
#include "hw/usb/usb_detail.hpp"

#include <libusb.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace hw::usb {
namespace {

struct Bridge {
    std::uint16_t vid, pid;
    const char* name;
};
constexpr Bridge kBridges[] = {
    {0x1a86, 0x7523, "CH340"}, {0x1a86, 0x5523, "CH341"}, {0x4348, 0x5523, "CH341"},
    {0x10c4, 0xea60, "CP210x"}, {0x0403, 0x6001, "FTDI"},  {0x0403, 0x6015, "FTDI"},
    {0x067b, 0x2303, "PL2303"},
};

constexpr std::uint8_t kClassCdc = 0x02, kClassCdcData = 0x0A, kClassHub = 0x09, kClassVendor = 0xFF;

std::string hex4(std::uint16_t v) {
    std::array<char, 8> buf{};
    std::snprintf(buf.data(), buf.size(), "%04x", v);
    return buf.data();
}

std::string readLine(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// Linux: strings and the tty node from sysfs (readable without opening the device).
void fillFromSysfs(UsbDevice& d) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::path("/sys/bus/usb/devices") / d.busPath;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return;
    d.manufacturer = readLine(dir / "manufacturer");
    d.product = readLine(dir / "product");
    d.serial = readLine(dir / "serial");
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto name = entry.path().filename().string();
        if (name.rfind(d.busPath + ":", 0) != 0) continue;  // interfaces: 1-1:1.0
        for (const auto& sub : fs::directory_iterator(entry.path(), ec)) {
            const auto subName = sub.path().filename().string();
            if (subName.rfind("ttyUSB", 0) == 0) d.ttyPath = "/dev/" + subName;
            if (subName == "tty") {
                for (const auto& tty : fs::directory_iterator(sub.path(), ec)) d.ttyPath = "/dev/" + tty.path().filename().string();
            }
        }
    }
}

void fillFromDescriptors(libusb_device* dev, const libusb_device_descriptor& desc, UsbDevice& d) {
    libusb_device_handle* h = nullptr;
    if (libusb_open(dev, &h) != 0) return;  // no permission: the list still shows VID:PID and bus path
    std::array<unsigned char, 128> buf{};
    auto get = [&](std::uint8_t index) -> std::string {
        if (index == 0) return {};
        const int n = libusb_get_string_descriptor_ascii(h, index, buf.data(), static_cast<int>(buf.size()));
        return n > 0 ? std::string(buf.begin(), buf.begin() + n) : std::string();
    };
    d.manufacturer = get(desc.iManufacturer);
    d.product = get(desc.iProduct);
    d.serial = get(desc.iSerialNumber);
    libusb_close(h);
}

void classify(libusb_device* dev, const libusb_device_descriptor& desc, UsbDevice& d) {
    if (const char* bridge = bridgeName(d.vid, d.pid)) {
        d.fit = Fit::Serial;
        d.kind = bridge;
        return;
    }
    libusb_config_descriptor* cfg = nullptr;
    if (libusb_get_active_config_descriptor(dev, &cfg) != 0 && libusb_get_config_descriptor(dev, 0, &cfg) != 0) return;
    const std::unique_ptr<libusb_config_descriptor, void (*)(libusb_config_descriptor*)> guard(cfg, libusb_free_config_descriptor);
    for (int i = 0; i < cfg->bNumInterfaces; ++i) {
        if (cfg->interface[i].num_altsetting < 1) continue;
        const auto& alt = cfg->interface[i].altsetting[0];
        if (alt.bInterfaceClass == kClassCdc || alt.bInterfaceClass == kClassCdcData || desc.bDeviceClass == kClassCdc) {
            d.fit = Fit::Serial;
            d.kind = "CDC-ACM";
            return;
        }
        if (alt.bInterfaceClass != kClassVendor) continue;
        std::uint8_t in = 0, out = 0;
        for (int e = 0; e < alt.bNumEndpoints; ++e) {
            const auto& ep = alt.endpoint[e];
            if ((ep.bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK) continue;
            if ((ep.bEndpointAddress & LIBUSB_ENDPOINT_IN) != 0) in = in ? in : ep.bEndpointAddress;
            else out = out ? out : ep.bEndpointAddress;
        }
        if (in != 0 && out != 0) {
            d.fit = Fit::UsbBulk;
            d.kind = "vendor-bulk";
            d.interfaceNumber = alt.bInterfaceNumber;
            d.epIn = in;
            d.epOut = out;
            return;
        }
    }
}

}  // namespace

const char* fitName(Fit fit) {
    switch (fit) {
    case Fit::Serial: return "serial";
    case Fit::UsbBulk: return "usb-bulk";
    case Fit::Unsupported: break;
    }
    return "unsupported";
}

std::string UsbDevice::id() const { return hex4(vid) + ":" + hex4(pid); }

const char* bridgeName(std::uint16_t vid, std::uint16_t pid) {
    for (const auto& b : kBridges) {
        if (b.vid == vid && b.pid == pid) return b.name;
    }
    return nullptr;
}

std::optional<UsbDevice> detail::describeDevice(libusb_device* dev) {
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(dev, &desc) != 0 || desc.bDeviceClass == kClassHub) return std::nullopt;
    UsbDevice d;
    d.vid = desc.idVendor;
    d.pid = desc.idProduct;
    d.bus = libusb_get_bus_number(dev);
    d.address = libusb_get_device_address(dev);
    std::array<std::uint8_t, 8> ports{};
    const int depth = libusb_get_port_numbers(dev, ports.data(), static_cast<int>(ports.size()));
    d.busPath = std::to_string(d.bus);
    for (int p = 0; p < depth; ++p) d.busPath += (p == 0 ? "-" : ".") + std::to_string(ports[static_cast<std::size_t>(p)]);
    classify(dev, desc, d);
    fillFromSysfs(d);
    if (d.manufacturer.empty() && d.product.empty() && d.serial.empty()) fillFromDescriptors(dev, desc, d);
    return d;
}

core::Result<std::vector<UsbDevice>> listDevices() {
    libusb_context* ctx = nullptr;
    if (const int rc = libusb_init(&ctx); rc != 0) return usbError(rc, "Cannot start libusb", "any device");
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx, &list);
    if (n < 0) {
        libusb_exit(ctx);
        return usbError(static_cast<int>(n), "Cannot list USB devices", "any device");
    }
    std::vector<UsbDevice> out;
    for (ssize_t i = 0; i < n; ++i) {
        if (auto d = detail::describeDevice(list[i])) out.push_back(std::move(*d));
    }
    libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    return out;
}

bool UsbSelector::matches(const UsbDevice& device) const {
    return device.vid == vid && device.pid == pid && (!serial || *serial == device.serial);
}

std::optional<UsbSelector> parseSelector(const std::string& text) {
    if (text.rfind("usb:", 0) != 0) return std::nullopt;
    const std::string rest = text.substr(4);
    const auto c1 = rest.find(':');
    if (c1 == std::string::npos) return std::nullopt;
    const auto c2 = rest.find(':', c1 + 1);
    const std::string vidText = rest.substr(0, c1);
    const std::string pidText = rest.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1);
    auto parseHex = [](const std::string& s) -> std::optional<std::uint16_t> {
        if (s.empty() || s.size() > 4 || s.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) return std::nullopt;
        return static_cast<std::uint16_t>(std::stoul(s, nullptr, 16));
    };
    const auto vid = parseHex(vidText);
    const auto pid = parseHex(pidText);
    if (!vid || !pid) return std::nullopt;
    UsbSelector sel{*vid, *pid, std::nullopt};
    if (c2 != std::string::npos) sel.serial = rest.substr(c2 + 1);
    return sel;
}

}  // namespace hw::usb
