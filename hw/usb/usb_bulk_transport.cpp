#include "hw/usb/usb_bulk_transport.hpp"

#include "hw/usb/usb_detail.hpp"

#include <libusb.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace hw::usb {
namespace {

using transport::LinkError;
using transport::makeLinkError;

unsigned int timeoutMs(Millis t) { return static_cast<unsigned int>(std::max<long long>(1, t.count())); }  // 0 = forever in libusb

class UsbBulkTransport final : public transport::Transport {
public:
    UsbBulkTransport(libusb_context* ctx, libusb_device_handle* h, UsbDevice device)
        : m_ctx(ctx), m_handle(h), m_device(std::move(device)) {}
    ~UsbBulkTransport() override { close(); }
    UsbBulkTransport(const UsbBulkTransport&) = delete;
    UsbBulkTransport& operator=(const UsbBulkTransport&) = delete;

    core::Status write(std::span<const std::uint8_t> bytes, Millis timeout) override {
        if (m_handle == nullptr) return closed();
        std::size_t done = 0;
        while (done < bytes.size()) {
            int sent = 0;
            // libusb takes a non-const buffer for both directions; OUT transfers do not modify it.
            auto* data = const_cast<unsigned char*>(bytes.data() + done);
            const int rc = libusb_bulk_transfer(m_handle, m_device.epOut, data, static_cast<int>(bytes.size() - done), &sent,
                                                timeoutMs(timeout));
            if (rc != 0) return usbError(rc, "Writing to the board failed", m_device.id());
            done += static_cast<std::size_t>(sent);
        }
        return {};
    }

    core::Result<std::size_t> read(std::span<std::uint8_t> buf, Millis timeout) override {
        if (m_handle == nullptr) return closed();
        if (m_rxLen == m_rxPos) {
            int got = 0;
            const int rc = libusb_bulk_transfer(m_handle, m_device.epIn, m_rx.data(), static_cast<int>(m_rx.size()), &got,
                                                timeoutMs(timeout));
            if (rc == LIBUSB_ERROR_TIMEOUT && got == 0) return makeLinkError(LinkError::Timeout, "No data from USB device " + m_device.id() + ".");
            if (rc != 0 && got == 0) return usbError(rc, "Reading from the board failed", m_device.id());
            if (got == 0) return makeLinkError(LinkError::Timeout, "No data from USB device " + m_device.id() + ".");
            m_rxPos = 0;
            m_rxLen = static_cast<std::size_t>(got);
        }
        const std::size_t n = std::min(buf.size(), m_rxLen - m_rxPos);
        std::copy_n(m_rx.begin() + static_cast<std::ptrdiff_t>(m_rxPos), n, buf.begin());
        m_rxPos += n;
        return n;
    }

    void close() override {
        if (m_handle != nullptr) {
            libusb_release_interface(m_handle, m_device.interfaceNumber);
            libusb_close(m_handle);
            m_handle = nullptr;
        }
        if (m_ctx != nullptr) libusb_exit(m_ctx);
        m_ctx = nullptr;
    }

    std::string describe() const override { return "usb " + m_device.id() + " bus " + m_device.busPath; }

private:
    core::Error closed() const { return makeLinkError(LinkError::Io, "USB device " + m_device.id() + " is closed: connect again."); }

    libusb_context* m_ctx;
    libusb_device_handle* m_handle;
    UsbDevice m_device;
    std::array<std::uint8_t, 512> m_rx{};  // a multiple of the 64-byte packet size: no overflow
    std::size_t m_rxPos = 0, m_rxLen = 0;
};

std::string selectorText(const UsbSelector& s) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%04x:%04x", s.vid, s.pid);
    return std::string(buf.data()) + (s.serial ? " serial " + *s.serial : "");
}

}  // namespace

core::Result<std::unique_ptr<transport::Transport>> openUsbBulk(const UsbSelector& selector) {
    libusb_context* ctx = nullptr;
    if (const int rc = libusb_init(&ctx); rc != 0) return usbError(rc, "Cannot start libusb", selectorText(selector));
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx, &list);
    std::optional<UsbDevice> found;
    libusb_device* target = nullptr;
    for (ssize_t i = 0; i < n && !found; ++i) {
        auto d = detail::describeDevice(list[i]);
        if (d && selector.matches(*d)) {
            found = std::move(d);
            target = list[i];
        }
    }
    auto fail = [&](core::Error e) {
        if (n >= 0) libusb_free_device_list(list, 1);
        libusb_exit(ctx);
        return e;
    };
    if (!found) {
        return fail(makeLinkError(LinkError::NotFound, "Board " + selectorText(selector) +
                                                           " not detected: check the cable and power; `pickupctl board list` shows the USB devices seen."));
    }
    if (found->fit != Fit::UsbBulk) {
        return fail(makeLinkError(LinkError::NotFound, "USB device " + found->id() + " is a " +
                                                           (found->kind.empty() ? std::string("device") : found->kind) +
                                                           ", not a vendor-bulk board: open its serial port instead" +
                                                           (found->ttyPath.empty() ? "." : " (" + found->ttyPath + ").")));
    }
    libusb_device_handle* h = nullptr;
    if (const int rc = libusb_open(target, &h); rc != 0) return fail(usbError(rc, "Cannot open the board", found->id()));
    libusb_set_auto_detach_kernel_driver(h, 1);  // not supported everywhere; claiming tells us if it mattered
    if (const int rc = libusb_claim_interface(h, found->interfaceNumber); rc != 0) {
        libusb_close(h);
        return fail(usbError(rc, "Cannot claim the board's interface", found->id()));
    }
    libusb_free_device_list(list, 1);
    return std::unique_ptr<transport::Transport>(std::make_unique<UsbBulkTransport>(ctx, h, std::move(*found)));
}

}  // namespace hw::usb
