#pragma once
// Opens a board from a connection string, for the CLI and the app:
//   "/dev/ttyUSB0", "COM3"          serial (9600 8N1 unless baud is given)
//   "usb:VID:PID[:SERIAL]"          libusb vendor-bulk
//   "sim[:MODEL]"                   in-process simulator (sandbox; MODEL W50x, eLock24P, M2301)
#include "hw/board/framed_driver.hpp"
#include "hw/clock.hpp"
#include "hw/transport/transport.hpp"

#include <memory>
#include <optional>
#include <string>

namespace hw::sim {
class BoardSim;
}

namespace hw::services {

struct ConnectOptions {
    int baud = 9600;
    std::optional<Millis> responseTimeout;  // default 500 ms serial, 200 ms USB and simulator
};

class Connection {
public:
    Connection();
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Clock& clock() { return *m_clock; }
    board::FramedDriver& driver() { return *m_driver; }
    transport::Transport& transport() { return *m_transport; }
    std::string describe() const { return m_transport->describe(); }

private:
    friend core::Result<std::unique_ptr<Connection>> connect(const std::string&, const ConnectOptions&);
    std::unique_ptr<Clock> m_clock;
    std::unique_ptr<sim::BoardSim> m_sim;
    std::unique_ptr<transport::Transport> m_transport;
    std::unique_ptr<board::FramedDriver> m_driver;
};

core::Result<std::unique_ptr<Connection>> connect(const std::string& target, const ConnectOptions& options = {});

}  // namespace hw::services
