// POSIX serial port (termios). Compiled everywhere but Windows.
#include "hw/transport/serial_transport.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <termios.h>
#include <unistd.h>

namespace hw::transport {
namespace {

speed_t speedFor(int baud) {
    switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    default: return B0;
    }
}

std::string sysText(int err) { return std::strerror(err); }

core::Error openError(const std::string& path, int err) {
    switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
        return makeLinkError(LinkError::NotFound, "Serial port " + path + " does not exist: check the cable and run "
                                                  "`pickupctl board list` to see the ports that are there.");
    case EACCES:
    case EPERM:
        return makeLinkError(LinkError::Permission, "Permission denied opening " + path + ": " + serialPermissionHint(path));
    case EBUSY:
        return makeLinkError(LinkError::Busy, "Serial port " + path + " is in use by another program: close it (or the "
                                              "vendor tool / ModemManager) and retry.");
    default:
        return makeLinkError(LinkError::Io, "Cannot open serial port " + path + " (" + sysText(err) + "): unplug and replug the board, then retry.");
    }
}

class PosixSerial final : public Transport {
public:
    PosixSerial(int fd, std::string path, int baud) : m_fd(fd), m_path(std::move(path)), m_baud(baud) {}
    ~PosixSerial() override { close(); }
    PosixSerial(const PosixSerial&) = delete;
    PosixSerial& operator=(const PosixSerial&) = delete;

    core::Status write(std::span<const std::uint8_t> bytes, Millis timeout) override {
        std::size_t done = 0;
        while (done < bytes.size()) {
            if (m_fd < 0) return closedError();
            pollfd p{m_fd, POLLOUT, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
            if (ready == 0) return makeLinkError(LinkError::Timeout, "Writing to " + m_path + " timed out: check the board's flow control and cable.");
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0 || (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return lost();
            const ssize_t n = ::write(m_fd, bytes.data() + done, bytes.size() - done);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n < 0) return lost();
            done += static_cast<std::size_t>(n);
        }
        return {};
    }

    core::Result<std::size_t> read(std::span<std::uint8_t> buf, Millis timeout) override {
        for (;;) {
            if (m_fd < 0) return closedError();
            pollfd p{m_fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, timeout.count())));
            if (ready == 0) return makeLinkError(LinkError::Timeout, "No data from " + m_path + ".");
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) return lost();
            if ((p.revents & POLLIN) == 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return lost();
            const ssize_t n = ::read(m_fd, buf.data(), buf.size());
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (n <= 0) return lost();  // 0 after POLLIN on a tty = hang-up
            return static_cast<std::size_t>(n);
        }
    }

    void close() override {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
    }

    std::string describe() const override { return "serial " + m_path + " " + std::to_string(m_baud) + " 8N1"; }

private:
    core::Error lost() const {
        return makeLinkError(LinkError::Disconnected, "The board on " + m_path + " was disconnected (" + sysText(errno) +
                                                          "): check the cable, then connect again.");
    }
    core::Error closedError() const { return makeLinkError(LinkError::Io, "Serial port " + m_path + " is closed: connect again."); }

    int m_fd;
    std::string m_path;
    int m_baud;
};

core::Status configure(int fd, const std::string& path, int baud) {
    termios tio{};
    if (::tcgetattr(fd, &tio) != 0) {
        return makeLinkError(LinkError::Io, path + " is not a serial port (" + sysText(errno) + "): pick the board's tty.");
    }
    ::cfmakeraw(&tio);
    ::cfsetispeed(&tio, speedFor(baud));
    ::cfsetospeed(&tio, speedFor(baud));
    tio.c_cflag |= CLOCAL | CREAD | CS8;
    tio.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | PARENB | CRTSCTS);
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
        return makeLinkError(LinkError::Io, "Cannot set " + path + " to " + std::to_string(baud) + " 8N1 (" + sysText(errno) + ").");
    }
    ::tcflush(fd, TCIOFLUSH);
    return {};
}

}  // namespace

std::string serialPermissionHint(const std::string& path) {
#if defined(__APPLE__)
    return "check that no other program holds " + path + " and that you may use it.";
#else
    (void)path;
    return "add yourself to the dialout group (`sudo usermod -aG dialout $USER`, then log out and in) or install "
           "assets/udev/70-pickupdesk.rules into /etc/udev/rules.d/ and run `sudo udevadm control --reload && sudo "
           "udevadm trigger`.";
#endif
}

core::Result<std::unique_ptr<Transport>> openSerial(const std::string& path, SerialOptions options) {
    if (speedFor(options.baud) == B0) {
        return core::makeError(core::ErrorCode::InvalidInput, "Baud rate " + std::to_string(options.baud) +
                                                                  " is not supported: use 9600 (the boards' default), 19200, 38400, 57600 or 115200.");
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return openError(path, errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {  // another Pickup Desk (or a polite tool) has it
        ::close(fd);
        return openError(path, EBUSY);
    }
    if (auto st = configure(fd, path, options.baud); !st) {
        ::close(fd);
        return st.error();
    }
    return std::unique_ptr<Transport>(std::make_unique<PosixSerial>(fd, path, options.baud));
}

}  // namespace hw::transport
