#include "hw/services/connect.hpp"

#include "hw/sim/board_sim.hpp"
#include "hw/sim/loopback_transport.hpp"
#include "hw/transport/serial_transport.hpp"
#include "hw/usb/usb_bulk_transport.hpp"

namespace hw::services {

Connection::Connection() = default;
Connection::~Connection() {
    m_driver.reset();
    if (m_transport) m_transport->close();
}

core::Result<std::unique_ptr<Connection>> connect(const std::string& target, const ConnectOptions& options) {
    auto c = std::make_unique<Connection>();
    c->m_clock = std::make_unique<SteadyClock>();
    Millis timeout(200);
    if (target == "sim" || target.rfind("sim:", 0) == 0) {
        auto model = target == "sim" ? std::optional(board::BoardModel::W50x) : board::parseModel(target.substr(4));
        if (!model) return core::makeError(core::ErrorCode::InvalidInput, "Unknown simulator model in '" + target + "': use sim:W50x, sim:eLock24P or sim:M2301.");
        c->m_sim = std::make_unique<sim::BoardSim>(*model, *c->m_clock, "SIM0001");
        c->m_transport = std::make_unique<sim::LoopbackTransport>(*c->m_sim, *c->m_clock);
    } else if (target.rfind("usb:", 0) == 0) {
        auto selector = usb::parseSelector(target);
        if (!selector) return core::makeError(core::ErrorCode::InvalidInput, "Bad USB target '" + target + "': use usb:VID:PID[:SERIAL] in hex, e.g. usb:1209:0001.");
        auto link = usb::openUsbBulk(*selector);
        if (!link) return link.error();
        c->m_transport = std::move(*link);
    } else {
        auto link = transport::openSerial(target, {options.baud});
        if (!link) return link.error();
        c->m_transport = std::move(*link);
        timeout = Millis(500);
    }
    c->m_driver = std::make_unique<board::FramedDriver>(*c->m_transport, *c->m_clock,
                                                        board::DriverOptions{options.responseTimeout.value_or(timeout), 3});
    return c;
}

}  // namespace hw::services
