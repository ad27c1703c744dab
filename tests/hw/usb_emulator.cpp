#include "tests/hw/usb_emulator.hpp"

#include <glib-object.h>
#include <umockdev.h>
// linux/ioctl.h first, or the USBDEVFS_* case labels do not compile (hw-notes.md).
#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <stdexcept>
#include <string>

namespace hwtest {

bool underUmockdev() {
    // The preload library must really be mapped (LD_PRELOAD naming a missing library is ignored by ld.so).
    std::ifstream maps("/proc/self/maps");
    for (std::string line; std::getline(maps, line);) {
        if (line.find("libumockdev-preload") != std::string::npos) return true;
    }
    return false;
}

struct UsbEmulator::State {
    UsbEmulator* owner = nullptr;
    hw::sim::BoardSim* board = nullptr;
    UMockdevTestbed* testbed = nullptr;
    UMockdevIoctlBase* handler = nullptr;
    std::deque<UMockdevIoctlData*> done;       // URBs ready to reap
    std::deque<UMockdevIoctlData*> pendingIn;  // IN URBs waiting for board data
    hw::board::Bytes txq;                      // board → host bytes not yet delivered
};

namespace {

using State = UsbEmulator::State;

usbdevfs_urb* urbOf(UMockdevIoctlData* d) { return static_cast<usbdevfs_urb*>(static_cast<void*>(d->data)); }

void pump(State& s) {
    while (!s.pendingIn.empty() && !s.txq.empty()) {
        UMockdevIoctlData* u = s.pendingIn.front();
        usbdevfs_urb* urb = urbOf(u);
        std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(urb->buffer_length), s.txq.size());
        if (const int chunk = s.owner->maxInChunk.load(); chunk > 0) n = std::min<std::size_t>(n, static_cast<std::size_t>(chunk));
        std::memcpy(urb->buffer, s.txq.data(), n);
        s.txq.erase(s.txq.begin(), s.txq.begin() + static_cast<std::ptrdiff_t>(n));
        urb->actual_length = static_cast<int>(n);
        urb->status = 0;
        s.pendingIn.pop_front();
        s.done.push_back(u);
    }
}

void complete(UMockdevIoctlClient* c, int result, int err) { umockdev_ioctl_client_complete(c, result, err); }

gboolean onSubmit(State& s, UMockdevIoctlClient* c, UMockdevIoctlData* arg) {
    UMockdevIoctlData* u = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
    usbdevfs_urb* urb = urbOf(u);
    UMockdevIoctlData* buf = umockdev_ioctl_data_resolve(u, offsetof(usbdevfs_urb, buffer), static_cast<gsize>(urb->buffer_length), nullptr);
    if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == 0x02) {  // host → board
        const int before = s.board->dispensesExecuted();
        const auto* bytes = static_cast<const std::uint8_t*>(urb->buffer);
        auto reply = s.board->feed({bytes, static_cast<std::size_t>(urb->buffer_length)});
        if (s.owner->unplugOnDispense.load() && s.board->dispensesExecuted() > before) {
            s.owner->unplugOnDispense = false;
            s.owner->unplugged = true;
        } else if (!s.owner->mute.load()) {
            s.txq.insert(s.txq.end(), reply.begin(), reply.end());
        }
        urb->actual_length = urb->buffer_length;
        urb->status = 0;
        s.done.push_back(u);
    } else if (urb->type == USBDEVFS_URB_TYPE_BULK && urb->endpoint == 0x81) {  // board → host
        s.pendingIn.push_back(u);
    } else {
        umockdev_ioctl_data_unref(buf);
        umockdev_ioctl_data_unref(u);
        complete(c, -1, EINVAL);
        return TRUE;
    }
    umockdev_ioctl_data_unref(buf);
    pump(s);
    complete(c, 0, 0);
    return TRUE;
}

gboolean onReap(State& s, UMockdevIoctlClient* c, UMockdevIoctlData* arg) {
    pump(s);
    if (s.done.empty()) {
        complete(c, -1, EAGAIN);
        return TRUE;
    }
    UMockdevIoctlData* u = s.done.front();
    s.done.pop_front();
    UMockdevIoctlData* p = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
    umockdev_ioctl_data_set_ptr(p, 0, u);
    umockdev_ioctl_data_unref(p);
    umockdev_ioctl_data_unref(u);
    complete(c, 0, 0);
    return TRUE;
}

gboolean onDiscard(State& s, UMockdevIoctlClient* c, UMockdevIoctlData* arg) {
    // A libusb timeout cancels the IN URB: hand it back as -ENOENT.
    void* wanted = nullptr;
    std::memcpy(&wanted, arg->data, sizeof wanted);
    for (auto it = s.pendingIn.begin(); it != s.pendingIn.end(); ++it) {
        if ((*it)->client_addr == reinterpret_cast<gulong>(wanted)) {
            urbOf(*it)->status = -ENOENT;
            s.done.push_back(*it);
            s.pendingIn.erase(it);
            complete(c, 0, 0);
            return TRUE;
        }
    }
    complete(c, -1, EINVAL);
    return TRUE;
}

gboolean onIoctl(UMockdevIoctlBase*, UMockdevIoctlClient* c, gpointer userData) {
    State& s = *static_cast<State*>(userData);
    const gulong request = umockdev_ioctl_client_get_request(c);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(c);
    if (s.owner->unplugged.load()) {
        // Like the kernel on a disconnect: URBs in flight come back with -ESHUTDOWN, then ENODEV.
        const bool reap = request == USBDEVFS_REAPURB || request == USBDEVFS_REAPURBNDELAY;
        for (auto* u : s.pendingIn) urbOf(u)->status = -ESHUTDOWN;
        s.done.insert(s.done.end(), s.pendingIn.begin(), s.pendingIn.end());
        s.pendingIn.clear();
        s.txq.clear();
        if (reap && !s.done.empty()) return onReap(s, c, arg);
        complete(c, -1, ENODEV);
        return TRUE;
    }
    switch (request) {
    case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
        const guint32 caps = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM;
        std::memcpy(d->data, &caps, sizeof caps);
        umockdev_ioctl_data_unref(d);
        complete(c, 0, 0);
        return TRUE;
    }
    case USBDEVFS_CLAIMINTERFACE:
    case USBDEVFS_RELEASEINTERFACE:
    case USBDEVFS_CLEAR_HALT:
    case USBDEVFS_RESET:
    case USBDEVFS_RESETEP: complete(c, 0, 0); return TRUE;
    case USBDEVFS_GETDRIVER:
    case USBDEVFS_IOCTL: complete(c, -1, ENODATA); return TRUE;  // no kernel driver bound: nothing to detach
    case USBDEVFS_SUBMITURB: return onSubmit(s, c, arg);
    case USBDEVFS_REAPURB:
    case USBDEVFS_REAPURBNDELAY: return onReap(s, c, arg);
    case USBDEVFS_DISCARDURB: return onDiscard(s, c, arg);
    default: return FALSE;
    }
}

constexpr const char* kBoardDevice =
    "P: /devices/usb1/1-1\nN: bus/usb/001/002\nE: SUBSYSTEM=usb\nE: DRIVER=usb\nE: DEVTYPE=usb_device\n"
    "E: BUSNUM=001\nE: DEVNUM=002\nE: DEVNAME=/dev/bus/usb/001/002\n"
    "A: bConfigurationValue=1\\n\nA: busnum=1\\n\nA: devnum=2\\n\nA: speed=12\\n\n"
    "A: idVendor=1209\\n\nA: idProduct=0001\\n\n"
    "A: manufacturer=SimVend\\n\nA: product=SimBoard W50x\\n\nA: serial=SIM0001\\n\n"
    "H: descriptors=1201000200000040091201000001000000010902200001010080320904000002FF0000000705810240000007050202400000\n";

constexpr const char* kBridgeDevice =
    "P: /devices/usb1/1-2\nN: bus/usb/001/003\nE: SUBSYSTEM=usb\nE: DRIVER=usb\nE: DEVTYPE=usb_device\n"
    "E: BUSNUM=001\nE: DEVNUM=003\nE: DEVNAME=/dev/bus/usb/001/003\n"
    "A: bConfigurationValue=1\\n\nA: busnum=1\\n\nA: devnum=3\\n\nA: speed=12\\n\n"
    "A: idVendor=1a86\\n\nA: idProduct=7523\\n\nA: product=USB Serial\\n\n"
    "H: descriptors=12010002FF000040861A23755402000200010902200001010080320904000002FF0000000705810240000007050202400000\n";

}  // namespace

UsbEmulator::UsbEmulator(hw::sim::BoardSim& board) : m_state(std::make_unique<State>()) {
    m_state->owner = this;
    m_state->board = &board;
    m_state->testbed = umockdev_testbed_new();
    m_state->handler = umockdev_ioctl_base_new();
    g_signal_connect_data(m_state->handler, "handle-ioctl", reinterpret_cast<GCallback>(+onIoctl), m_state.get(), nullptr,
                          static_cast<GConnectFlags>(0));
    GError* error = nullptr;
    if (!umockdev_testbed_attach_ioctl(m_state->testbed, "/dev/bus/usb/001/002", m_state->handler, &error)) {
        const std::string why = error != nullptr ? error->message : "unknown";
        g_clear_error(&error);
        throw std::runtime_error("umockdev attach_ioctl failed: " + why);
    }
    umockdev_testbed_add_from_string(m_state->testbed, kBoardDevice, nullptr);
    umockdev_testbed_add_from_string(m_state->testbed, kBridgeDevice, nullptr);
}

constexpr const char* kSecondBridge =
    "P: /devices/usb1/1-3\nN: bus/usb/001/004\nE: SUBSYSTEM=usb\nE: DRIVER=usb\nE: DEVTYPE=usb_device\n"
    "E: BUSNUM=001\nE: DEVNUM=004\nE: DEVNAME=/dev/bus/usb/001/004\n"
    "A: bConfigurationValue=1\\n\nA: busnum=1\\n\nA: devnum=4\\n\nA: speed=12\\n\n"
    "A: idVendor=1a86\\n\nA: idProduct=7523\\n\nA: product=USB Serial\\n\n"
    "H: descriptors=12010002FF000040861A23755402000200010902200001010080320904000002FF0000000705810240000007050202400000\n";

void UsbEmulator::plugBridge() {
    umockdev_testbed_add_from_string(m_state->testbed, kSecondBridge, nullptr);
    umockdev_testbed_uevent(m_state->testbed, "/sys/devices/usb1/1-3", "add");
}

void UsbEmulator::unplugBridge() {
    umockdev_testbed_uevent(m_state->testbed, "/sys/devices/usb1/1-3", "remove");
    umockdev_testbed_remove_device(m_state->testbed, "/sys/devices/usb1/1-3");
}

void UsbEmulator::removeBoard() {
    unplugged = true;
    umockdev_testbed_remove_device(m_state->testbed, "/sys/devices/usb1/1-1");
}

UsbEmulator::~UsbEmulator() {
    for (auto* u : m_state->done) umockdev_ioctl_data_unref(u);
    for (auto* u : m_state->pendingIn) umockdev_ioctl_data_unref(u);
    g_object_unref(m_state->handler);
    g_object_unref(m_state->testbed);
}

}  // namespace hwtest
