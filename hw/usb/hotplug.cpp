#include "hw/usb/hotplug.hpp"

#include <libusb.h>

#include <atomic>
#include <thread>

namespace hw::usb {

struct HotplugSignal::Impl {
    libusb_context* ctx = nullptr;
    libusb_hotplug_callback_handle handle{};
    std::function<void()> onChange;
    std::atomic<bool> stopping{false};
    std::thread events;

    static int LIBUSB_CALL onEvent(libusb_context*, libusb_device*, libusb_hotplug_event, void* self) {
        static_cast<Impl*>(self)->onChange();
        return 0;  // stay registered
    }
    void run() {
        while (!stopping.load()) {
            timeval tv{0, 200000};  // wakes at least every 200 ms to see `stopping`
            libusb_handle_events_timeout_completed(ctx, &tv, nullptr);
        }
    }
};

HotplugSignal::HotplugSignal(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}

HotplugSignal::~HotplugSignal() {
    m_impl->stopping.store(true);
    libusb_hotplug_deregister_callback(m_impl->ctx, m_impl->handle);  // also wakes the event thread
    if (m_impl->events.joinable()) m_impl->events.join();
    libusb_exit(m_impl->ctx);
}

std::unique_ptr<HotplugSignal> HotplugSignal::start(std::function<void()> onChange) {
    if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) == 0) return nullptr;
    auto impl = std::make_unique<Impl>();
    impl->onChange = std::move(onChange);
    if (libusb_init(&impl->ctx) != 0) return nullptr;
    const int rc = libusb_hotplug_register_callback(
        impl->ctx, static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
        static_cast<libusb_hotplug_flag>(0), LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
        &Impl::onEvent, impl.get(), &impl->handle);
    if (rc != LIBUSB_SUCCESS) {
        libusb_exit(impl->ctx);
        return nullptr;
    }
    Impl* raw = impl.get();
    impl->events = std::thread([raw] { raw->run(); });
    return std::unique_ptr<HotplugSignal>(new HotplugSignal(std::move(impl)));
}

}  // namespace hw::usb
