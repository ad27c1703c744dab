#pragma once
// The technician's frame log: every frame on the board link with time, direction, hex, decoded
// command and latency. Filter, pause (new frames wait, nothing is lost) and export to text.
// UI-thread only; the link worker hands entries over through the board inbox.
#include "hw/board/framed_driver.hpp"

#include <cstddef>
#include <deque>
#include <string>
#include <vector>

namespace app::desktop {

struct FrameRow {
    long long atMs = 0;       // since the connection opened
    bool outgoing = false;
    int seq = 0;
    std::string command;      // "DISPENSE", "DISPENSE_STATUS answer"
    std::string decoded;      // "txn=7 addr=1 slot=23 spring drop-check"
    std::string hex;          // "A5 5A 01 ..." (MQTT password masked by the driver)
    long long latencyMs = -1; // answers only
    int attempt = 1;          // requests: 2+ = resend with the same SEQ
};

// One frame in plain words (also used by tests).
FrameRow describeFrame(const hw::board::FrameLogEntry& entry, hw::Millis origin);
std::string hexBytes(const hw::board::Bytes& bytes);

enum class FrameDirection { Both, Outgoing, Incoming };

class FrameLog {
public:
    static constexpr std::size_t kCapacity = 5000;  // oldest rows go first

    void add(FrameRow row);
    void clear();
    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    std::size_t held() const { return m_held.size(); }  // arrived while paused

    void setFilter(std::string text) { m_filter = std::move(text); }
    const std::string& filter() const { return m_filter; }
    void setDirection(FrameDirection direction) { m_direction = direction; }
    FrameDirection direction() const { return m_direction; }

    const std::deque<FrameRow>& rows() const { return m_rows; }
    std::vector<const FrameRow*> visible() const;  // after filter and direction
    bool matches(const FrameRow& row) const;
    // The visible rows as tab-separated text with a header line.
    std::string exportText() const;

private:
    std::deque<FrameRow> m_rows;
    std::vector<FrameRow> m_held;
    bool m_paused = false;
    std::string m_filter;
    FrameDirection m_direction = FrameDirection::Both;
};

}  // namespace app::desktop
