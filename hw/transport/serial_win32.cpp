// Windows serial port (Win32 COM API). Compiled only on Windows.
#include "hw/transport/serial_transport.hpp"

#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>

namespace hw::transport {
namespace {

core::Error winError(const std::string& path, DWORD err) {
    switch (err) {
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return makeLinkError(LinkError::NotFound, "Serial port " + path + " does not exist: check the cable and the COM "
                                                  "number in Device Manager (Ports).");
    case ERROR_ACCESS_DENIED:
        return makeLinkError(LinkError::Busy, "Serial port " + path + " is in use by another program: close it and retry.");
    case ERROR_DEVICE_NOT_CONNECTED:
    case ERROR_OPERATION_ABORTED:
    case ERROR_GEN_FAILURE:
        return makeLinkError(LinkError::Disconnected, "The board on " + path + " was disconnected: check the cable, then connect again.");
    default:
        return makeLinkError(LinkError::Io, "Serial port " + path + " failed (Windows error " + std::to_string(err) +
                                            "): unplug and replug the board; install the bridge's driver (CH340/CP210x) if Windows did not.");
    }
}

class Win32Serial final : public Transport {
public:
    Win32Serial(HANDLE h, std::string path, int baud) : m_h(h), m_path(std::move(path)), m_baud(baud) {}
    ~Win32Serial() override { close(); }
    Win32Serial(const Win32Serial&) = delete;
    Win32Serial& operator=(const Win32Serial&) = delete;

    core::Status write(std::span<const std::uint8_t> bytes, Millis timeout) override {
        setTimeouts(timeout);
        DWORD done = 0;
        if (!WriteFile(m_h, bytes.data(), static_cast<DWORD>(bytes.size()), &done, nullptr)) return winError(m_path, GetLastError());
        if (done != bytes.size()) return makeLinkError(LinkError::Timeout, "Writing to " + m_path + " timed out.");
        return {};
    }

    core::Result<std::size_t> read(std::span<std::uint8_t> buf, Millis timeout) override {
        setTimeouts(timeout);
        DWORD got = 0;
        if (!ReadFile(m_h, buf.data(), static_cast<DWORD>(buf.size()), &got, nullptr)) return winError(m_path, GetLastError());
        if (got == 0) return makeLinkError(LinkError::Timeout, "No data from " + m_path + ".");
        return static_cast<std::size_t>(got);
    }

    void close() override {
        if (m_h != INVALID_HANDLE_VALUE) CloseHandle(m_h);
        m_h = INVALID_HANDLE_VALUE;
    }

    std::string describe() const override { return "serial " + m_path + " " + std::to_string(m_baud) + " 8N1"; }

private:
    void setTimeouts(Millis timeout) {
        // Return as soon as any byte arrives, or after the timeout with none.
        COMMTIMEOUTS t{};
        t.ReadIntervalTimeout = MAXDWORD;
        t.ReadTotalTimeoutMultiplier = MAXDWORD;
        t.ReadTotalTimeoutConstant = static_cast<DWORD>(timeout.count() > 0 ? timeout.count() : 1);
        t.WriteTotalTimeoutConstant = static_cast<DWORD>(timeout.count() > 0 ? timeout.count() : 1);
        SetCommTimeouts(m_h, &t);
    }

    HANDLE m_h;
    std::string m_path;
    int m_baud;
};

}  // namespace

std::string serialPermissionHint(const std::string& path) {
    return "another program may hold " + path + ": close it and retry.";
}

core::Result<std::unique_ptr<Transport>> openSerial(const std::string& path, SerialOptions options) {
    const std::string device = path.rfind("\\\\.\\", 0) == 0 ? path : "\\\\.\\" + path;  // COM10 and above need it
    HANDLE h = CreateFileA(device.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_EXISTING, 0, nullptr);
    if (h == INVALID_HANDLE_VALUE) return winError(path, GetLastError());
    DCB dcb{};
    dcb.DCBlength = sizeof dcb;
    GetCommState(h, &dcb);
    dcb.BaudRate = static_cast<DWORD>(options.baud);
    dcb.ByteSize = 8;
    dcb.Parity = NOPARITY;
    dcb.StopBits = ONESTOPBIT;
    dcb.fBinary = TRUE;
    dcb.fOutxCtsFlow = FALSE;
    dcb.fRtsControl = RTS_CONTROL_ENABLE;
    dcb.fDtrControl = DTR_CONTROL_ENABLE;
    dcb.fOutX = FALSE;
    dcb.fInX = FALSE;
    if (!SetCommState(h, &dcb)) {
        const DWORD err = GetLastError();
        CloseHandle(h);
        return winError(path, err);
    }
    PurgeComm(h, PURGE_RXCLEAR | PURGE_TXCLEAR);
    return std::unique_ptr<Transport>(std::make_unique<Win32Serial>(h, path, options.baud));
}

}  // namespace hw::transport
