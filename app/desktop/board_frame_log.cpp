#include "app/desktop/board_frame_log.hpp"

#include "hw/board/payloads.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

namespace app::desktop {
namespace {

using hw::board::Cmd;
using hw::board::Payload;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string dispenseText(const hw::board::DispenseRequest& r) {
    std::string s = "txn=" + std::to_string(r.txn) + " addr=" + std::to_string(r.addr) + " slot=" +
                    std::to_string(r.slot) + " " + hw::board::slotTypeName(r.type);
    if (r.dropCheck) s += " drop-check";
    if (r.lift) s += " lift";
    return s;
}

std::string requestText(Cmd cmd, Payload p) {
    switch (cmd) {
    case Cmd::Dispense:
        if (auto r = hw::board::decodeDispense(p)) return dispenseText(*r);
        break;
    case Cmd::DispenseStatus:
        if (auto t = hw::board::decodeTxn(p)) return "txn=" + std::to_string(*t);
        break;
    case Cmd::ReadChannels:
        if (auto r = hw::board::decodeChannelRange(p)) {
            return "addr=" + std::to_string(r->addr) + " first=" + std::to_string(r->first) + " count=" + std::to_string(r->count);
        }
        break;
    case Cmd::ClearFault:
        if (auto r = hw::board::decodeClearFault(p)) {
            return "addr=" + std::to_string(r->addr) + (r->slot == hw::board::kAllSlots ? std::string(" all slots")
                                                                                          : " slot=" + std::to_string(r->slot));
        }
        break;
    case Cmd::SetConfig: return std::to_string(p.size()) + " bytes of settings";
    default: break;
    }
    return "";
}

std::string responseText(Cmd cmd, Payload p) {
    if (p.empty()) return "empty answer";
    const auto status = static_cast<hw::board::BoardStatus>(p[0]);
    std::string s = hw::board::statusName(status);
    const Payload body = p.subspan(1);
    if (cmd == Cmd::Dispense && !body.empty() && body[0] != 0) {
        s += std::string(" ") + hw::board::faultName(static_cast<hw::board::Fault>(body[0]));
    }
    if (cmd == Cmd::DispenseStatus) {
        if (auto st = hw::board::decodeDispenseStatusBody(body)) {
            s += " txn=" + std::to_string(st->txn) + " " + hw::board::dispenseStateName(st->state);
            if (st->fault != hw::board::Fault::None) s += std::string(" ") + hw::board::faultName(st->fault);
            s += " " + std::to_string(st->elapsedMs) + " ms";
        }
    }
    if (cmd == Cmd::Hello) {
        if (auto id = hw::board::decodeIdentityBody(body)) {
            s += std::string(" ") + hw::board::modelName(id->model) + " " + std::to_string(id->channels) + " ch fw " +
                 id->firmware() + " " + id->serial;
        }
    }
    if (cmd == Cmd::Ping) {
        if (auto ping = hw::board::decodePingBody(body)) s += " uptime " + std::to_string(ping->uptimeMs) + " ms";
    }
    return s;
}

}  // namespace

std::string hexBytes(const hw::board::Bytes& bytes) {
    std::string out;
    out.reserve(bytes.size() * 3);
    char buf[4];
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::snprintf(buf, sizeof buf, i == 0 ? "%02X" : " %02X", static_cast<unsigned>(bytes[i]));
        out += buf;
    }
    return out;
}

FrameRow describeFrame(const hw::board::FrameLogEntry& entry, hw::Millis origin) {
    FrameRow row;
    row.atMs = (entry.at - origin).count();
    row.outgoing = entry.outgoing;
    row.seq = entry.frame.seq;
    row.attempt = entry.attempt;
    const bool answer = (entry.frame.cmd & hw::board::kResponseBit) != 0;
    const auto cmd = static_cast<Cmd>(entry.frame.cmd & ~hw::board::kResponseBit);
    row.command = hw::board::cmdName(entry.frame.cmd);
    if (answer) row.command += " answer";
    const Payload payload(entry.frame.payload);
    row.decoded = answer ? responseText(cmd, payload) : requestText(cmd, payload);
    if (!entry.outgoing) row.latencyMs = entry.latency.count();
    row.hex = hexBytes(entry.wire);
    return row;
}

void FrameLog::add(FrameRow row) {
    if (m_paused) {
        m_held.push_back(std::move(row));
        if (m_held.size() > kCapacity) m_held.erase(m_held.begin());
        return;
    }
    m_rows.push_back(std::move(row));
    while (m_rows.size() > kCapacity) m_rows.pop_front();
}

void FrameLog::clear() {
    m_rows.clear();
    m_held.clear();
}

void FrameLog::setPaused(bool paused) {
    if (m_paused == paused) return;
    m_paused = paused;
    if (paused) return;
    auto held = std::move(m_held);
    m_held.clear();
    for (auto& row : held) add(std::move(row));
}

bool FrameLog::matches(const FrameRow& row) const {
    if (m_direction == FrameDirection::Outgoing && !row.outgoing) return false;
    if (m_direction == FrameDirection::Incoming && row.outgoing) return false;
    if (m_filter.empty()) return true;
    const std::string needle = lower(m_filter);
    return lower(row.command).find(needle) != std::string::npos || lower(row.decoded).find(needle) != std::string::npos ||
           lower(row.hex).find(needle) != std::string::npos;
}

std::vector<const FrameRow*> FrameLog::visible() const {
    std::vector<const FrameRow*> out;
    for (const auto& row : m_rows) {
        if (matches(row)) out.push_back(&row);
    }
    return out;
}

std::string FrameLog::exportText() const {
    std::ostringstream out;
    out << "time_ms\tdirection\tseq\tcommand\tdecoded\tlatency_ms\tattempt\thex\n";
    for (const FrameRow* row : visible()) {
        out << row->atMs << '\t' << (row->outgoing ? "out" : "in") << '\t' << row->seq << '\t' << row->command << '\t'
            << row->decoded << '\t' << (row->latencyMs >= 0 ? std::to_string(row->latencyMs) : std::string()) << '\t'
            << row->attempt << '\t' << row->hex << '\n';
    }
    return out.str();
}

}  // namespace app::desktop
