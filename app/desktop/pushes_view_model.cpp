#include "app/desktop/pushes_view_model.hpp"

#include "app/desktop/backend.hpp"
#include "core/protocol/push_message.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>

namespace app::desktop {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool contains(const std::string& haystack, const std::string& needle) {
    return lower(haystack).find(needle) != std::string::npos;
}

}  // namespace

PushDetail describePush(const PushRow& row) {
    constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
    PushDetail d;
    d.id = row.id;
    if (!row.decodedJson.empty()) {
        auto parsed = nlohmann::json::parse(row.decodedJson, nullptr, false);
        d.decodedPretty = parsed.is_discarded() ? row.decodedJson : parsed.dump(2, ' ', false, kReplace);
    }
    auto m = core::protocol::decodePush(row.payload, row.topic, "", core::sign::Encoding::Raw);
    m.verification = row.verification;  // the one recorded at arrival, not re-checked without the key
    d.viewJson = core::protocol::pushJson(m).dump(2, ' ', false, kReplace);
    return d;
}

const PushDetail* PushesViewModel::selectedDetail() {
    const PushRow* row = selected();
    if (row == nullptr) return nullptr;
    if (m_detail.id != row->id) m_detail = describePush(*row);
    return &m_detail;
}

void PushesViewModel::load() {
    m_backend.pushesSeen();
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    m_backend.queryPushes(m_generation, m_lastId, m_lastId < 0 ? static_cast<int>(kMaxRows) : kBatch);
}

void PushesViewModel::request() { load(); }

void PushesViewModel::onArrived() { request(); }

void PushesViewModel::apply(const PushesLoaded& event) {
    if (event.generation != m_generation) return;
    m_inFlight = false;
    m_loaded = true;
    for (const auto& row : event.rows) {
        if (row.id <= m_lastId) continue;  // already here (a repeated request)
        m_lastId = row.id;
        ++m_methodCounts[row.method];
        ++m_machineCounts[row.machineNo];
        auto& last = m_lastPush[row.machineNo];
        last = std::max(last, row.receivedMs);
        m_rows.push_back(row);
    }
    if (m_lastId < 0) m_lastId = 0;  // an empty store: from now on, everything after id 0
    bool trimmed = false;
    if (m_rows.size() > kMaxRows) {
        m_rows.erase(m_rows.begin(), m_rows.begin() + static_cast<std::ptrdiff_t>(m_rows.size() - kMaxRows));  // deque: cheap
        trimmed = true;
    }
    if (m_paused) {
        m_newWhilePaused += static_cast<int>(event.rows.size());
        if (trimmed) refilter();  // indices moved; keeps the frozen view valid
    } else if (!event.rows.empty()) {
        refilter();
        m_scroll = true;
    }
    if (event.more || m_again) {
        m_again = false;
        request();
    }
}

bool PushesViewModel::matches(const PushRow& row) const {
    if (m_machine && row.machineNo != *m_machine) return false;
    if (m_method && row.method != *m_method) return false;
    if (m_verification && row.verification != *m_verification) return false;
    if (m_search.empty()) return true;
    return contains(row.machineNo, m_search) || contains(row.method, m_search) || contains(row.labelEn, m_search) ||
           row.labelZh.find(m_search) != std::string::npos || contains(row.summaryEn, m_search) ||
           row.summaryZh.find(m_search) != std::string::npos || contains(row.decodedJson, m_search) ||
           row.payload.find(m_search) != std::string::npos;
}

void PushesViewModel::refilter() {
    m_visible.clear();
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (matches(m_rows[i])) m_visible.push_back(static_cast<int>(i));
    }
}

void PushesViewModel::setMachine(std::optional<std::string> machineNo) {
    m_machine = std::move(machineNo);
    refilter();
}

void PushesViewModel::setMethod(std::optional<std::string> method) {
    m_method = std::move(method);
    refilter();
}

void PushesViewModel::setVerification(std::optional<core::protocol::Verification> verification) {
    m_verification = verification;
    refilter();
}

void PushesViewModel::setSearch(const std::string& text) {
    m_search = lower(text);
    refilter();
}

void PushesViewModel::setPaused(bool paused) {
    m_paused = paused;
    if (!paused) {
        m_newWhilePaused = 0;
        refilter();
        m_scroll = true;
    }
}

const PushRow* PushesViewModel::selected() const {
    if (m_selectedId == 0) return nullptr;
    auto it = std::lower_bound(m_rows.begin(), m_rows.end(), m_selectedId,
                               [](const PushRow& r, std::int64_t id) { return r.id < id; });
    return it != m_rows.end() && it->id == m_selectedId ? &*it : nullptr;
}

double PushesViewModel::ratePerSecond(std::int64_t nowMs) const {
    int n = 0;
    for (auto it = m_rows.rbegin(); it != m_rows.rend() && it->receivedMs >= nowMs - kRateWindowMs; ++it) ++n;
    return static_cast<double>(n) * 1000.0 / static_cast<double>(kRateWindowMs);
}

std::optional<std::int64_t> PushesViewModel::lastPushMs(const std::string& machineNo) const {
    auto it = m_lastPush.find(machineNo);
    if (it == m_lastPush.end()) return std::nullopt;
    return it->second;
}

bool PushesViewModel::consumeScrollRequest() {
    const bool scroll = m_scroll;
    m_scroll = false;
    return scroll;
}

void PushesViewModel::exportVisible(const std::string& path, PushExportFormat format) {
    if (m_exporting) return;
    std::vector<PushRow> rows;
    rows.reserve(m_visible.size());
    for (int index : m_visible) rows.push_back(m_rows[static_cast<size_t>(index)]);
    m_exporting = true;
    m_lastExport.reset();
    m_backend.exportPushes(std::move(rows), path, format);
}

void PushesViewModel::apply(const PushesExported& event) {
    m_exporting = false;
    m_lastExport = event;
}

}  // namespace app::desktop
