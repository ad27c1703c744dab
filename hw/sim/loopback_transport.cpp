#include "hw/sim/loopback_transport.hpp"

#include <algorithm>

namespace hw::sim {

using transport::LinkError;
using transport::makeLinkError;

core::Error LoopbackTransport::gone() const {
    if (m_closed) return makeLinkError(LinkError::Io, "The loopback link is closed: connect again.");
    return makeLinkError(LinkError::Disconnected, "The simulated board was unplugged: plug it in and connect again.");
}

void LoopbackTransport::unplug() {
    std::lock_guard lock(m_mutex);
    m_unplugged = true;
    m_rx.clear();
}

void LoopbackTransport::replug() {
    std::lock_guard lock(m_mutex);
    m_unplugged = false;
}

void LoopbackTransport::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
}

core::Status LoopbackTransport::write(std::span<const std::uint8_t> bytes, Millis /*timeout*/) {
    std::lock_guard lock(m_mutex);
    if (m_unplugged || m_closed) return gone();
    const int before = m_board.dispensesExecuted();
    Bytes response = m_board.feed(bytes);
    if (m_faults.unplugOnDispense && m_board.dispensesExecuted() > before) {
        m_faults.unplugOnDispense = false;
        m_unplugged = true;
        m_rx.clear();
        return {};  // the request went out; the answer never comes back
    }
    if (response.empty()) return {};
    if (m_faults.dropResponses > 0) {
        --m_faults.dropResponses;
        return {};
    }
    if (m_faults.corruptResponses > 0) {
        --m_faults.corruptResponses;
        response.back() ^= 0xFF;
    }
    Bytes out = m_faults.garbageBefore;
    out.insert(out.end(), response.begin(), response.end());
    if (m_faults.duplicateResponses) out.insert(out.end(), response.begin(), response.end());
    m_rx.push_back({m_clock.now() + m_faults.responseDelay, std::move(out)});
    return {};
}

core::Result<std::size_t> LoopbackTransport::read(std::span<std::uint8_t> buf, Millis timeout) {
    std::unique_lock lock(m_mutex);
    if (m_unplugged || m_closed) return gone();
    const Millis deadline = m_clock.now() + timeout;
    if (m_rx.empty() || m_rx.front().at > deadline) {
        lock.unlock();
        m_clock.sleepFor(timeout);
        return makeLinkError(LinkError::Timeout, "No data from the simulated board.");
    }
    if (m_rx.front().at > m_clock.now()) m_clock.sleepFor(m_rx.front().at - m_clock.now());
    auto& front = m_rx.front();
    std::size_t n = std::min(buf.size(), front.bytes.size());
    if (m_faults.readChunk > 0) n = std::min(n, m_faults.readChunk);
    std::copy_n(front.bytes.begin(), n, buf.begin());
    front.bytes.erase(front.bytes.begin(), front.bytes.begin() + static_cast<std::ptrdiff_t>(n));
    if (front.bytes.empty()) m_rx.pop_front();
    return n;
}

}  // namespace hw::sim
