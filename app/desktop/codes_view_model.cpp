#include "app/desktop/codes_view_model.hpp"

#include "app/desktop/backend.hpp"
#include "core/tz/machine_time.hpp"

#include <algorithm>
#include <utility>
#include <cctype>
#include <cstdlib>

namespace app::desktop {

TimeMode parseTimeMode(const std::string& text) {
    if (text == "utc") return TimeMode::Utc;
    if (text == "local") return TimeMode::Local;
    return TimeMode::Machine;
}

namespace {
constexpr std::pair<core::store::CodeSort, const char*> kSortNames[] = {
    {core::store::CodeSort::Code, "code"},       {core::store::CodeSort::Id, "id"},
    {core::store::CodeSort::ProductId, "product"}, {core::store::CodeSort::Status, "status"},
    {core::store::CodeSort::ExpiresUtc, "expires"}, {core::store::CodeSort::CreatedUtc, "created"},
    {core::store::CodeSort::MachineNo, "machine"}};
}  // namespace

std::optional<core::store::CodeSort> parseCodeSort(const std::string& text) {
    for (const auto& [sort, name] : kSortNames) {
        if (text == name) return sort;
    }
    return std::nullopt;
}

const char* codeSortName(core::store::CodeSort sort) {
    for (const auto& [s, name] : kSortNames) {
        if (s == sort) return name;
    }
    return "expires";
}

const char* timeModeName(TimeMode mode) {
    switch (mode) {
        case TimeMode::Utc: return "utc";
        case TimeMode::Local: return "local";
        case TimeMode::Machine: break;
    }
    return "machine";
}

void CodesViewModel::setMachine(const std::string& machineNo, const std::string& zone) {
    m_machineNo = machineNo;
    m_zone = zone.empty() ? std::string(core::tz::kDefaultZone) : zone;
    m_filter.machineNo = machineNo.empty() ? std::nullopt : std::optional<std::string>(machineNo);
    m_filter.productId.reset();
    m_selected.clear();
    refresh();
}

void CodesViewModel::setZone(const std::string& zone) {
    m_zone = zone.empty() ? std::string(core::tz::kDefaultZone) : zone;
}

void CodesViewModel::setStatus(std::optional<core::CodeStatus> status) {
    m_filter.status = status;
    refresh();
}

void CodesViewModel::setProduct(std::optional<std::int64_t> productId) {
    m_filter.productId = productId;
    refresh();
}

void CodesViewModel::setPrefix(const std::string& prefix) {
    std::string digits;
    std::copy_if(prefix.begin(), prefix.end(), std::back_inserter(digits),
                 [](unsigned char c) { return std::isdigit(c) != 0; });
    m_filter.codePrefix = digits.empty() ? std::nullopt : std::optional<std::string>(digits);
    refresh();
}

void CodesViewModel::setSort(core::store::CodeSort sort, bool descending) {
    if (m_filter.sort == sort && m_filter.descending == descending) return;
    m_filter.sort = sort;
    m_filter.descending = descending;
    refresh();
}

void CodesViewModel::clearCache() {
    m_pages.clear();
    m_printed.clear();
    m_wanted.clear();
    m_inFlight.clear();
}

void CodesViewModel::refreshIfStale() {
    if (m_stale) refresh();
}

void CodesViewModel::refresh() {
    m_stale = false;
    ++m_generation;  // what is on its way for the old view is not wanted
    clearCache();
    m_anchor = -1;
    if (m_machineNo.empty()) {  // no machine: an empty table, nothing to count
        m_total = 0;
        m_counted = true;
        return;
    }
    m_counted = false;
    m_filter.now = core::tz::nowUtc();  // one "now" for every page of this view: stable paging
    m_filter.limit = 0;
    m_filter.offset = 0;
    m_backend.countCodes(m_generation, m_filter, kPageSize);
}

void CodesViewModel::apply(const CodesCounted& event) {
    if (event.generation != m_generation) return;
    m_total = event.total;
    m_counted = true;
    if (event.firstPageFollows && m_pages.count(0) == 0) m_inFlight.insert(0);
}

void CodesViewModel::apply(const CodesPage& event) {
    if (event.generation != m_generation) return;
    const int page = event.offset / kPageSize;
    m_inFlight.erase(page);
    if (m_pages.size() >= kMaxCachedPages) {
        // Drop the page farthest from this one: the clipper only shows a screenful.
        auto farthest = std::max_element(m_pages.begin(), m_pages.end(), [page](const auto& a, const auto& b) {
            return std::abs(a.first - page) < std::abs(b.first - page);
        });
        m_pages.erase(farthest);
    }
    m_pages[page] = event.codes;
    std::vector<std::int64_t> ids;
    ids.reserve(event.codes.size());
    for (const auto& c : event.codes) ids.push_back(c.id);
    if (!ids.empty()) m_backend.loadPrinted(m_generation, m_machineNo, ids);
}

void CodesViewModel::apply(const PrintedLoaded& event) {
    if (event.generation != m_generation) return;
    for (const auto& [id, state] : event.states) m_printed[id] = state;
}

const core::store::PrintedState* CodesViewModel::printed(std::int64_t id) const {
    auto it = m_printed.find(id);
    return it == m_printed.end() ? nullptr : &it->second;
}

const core::PickupCode* CodesViewModel::row(int index) {
    if (index < 0 || index >= m_total) return nullptr;
    const int page = index / kPageSize;
    auto it = m_pages.find(page);
    if (it == m_pages.end()) {
        m_wanted.insert(page);
        return nullptr;
    }
    const size_t at = static_cast<size_t>(index % kPageSize);
    return at < it->second.size() ? &it->second[at] : nullptr;
}

void CodesViewModel::requestMissing() {
    for (const int page : m_wanted) {
        if (m_inFlight.count(page) > 0 || m_pages.count(page) > 0) continue;
        core::store::CodeFilter f = m_filter;
        f.offset = page * kPageSize;
        f.limit = kPageSize;
        m_inFlight.insert(page);
        m_backend.queryCodes(m_generation, f);
    }
    m_wanted.clear();
}

std::string CodesViewModel::viewZone() const {
    switch (m_timeMode) {
        case TimeMode::Utc: return "UTC";
        case TimeMode::Local: return core::tz::localZoneName();
        case TimeMode::Machine: break;
    }
    return m_zone;
}

const CodesViewModel::RowTimes& CodesViewModel::rowTimes(const core::PickupCode& code) {
    constexpr size_t kMaxRowTimes = 4096;  // ~20 screens of rows; scrolling further formats again
    std::string zone = viewZone();
    if (zone != m_rowTimesZone || m_rowTimes.size() >= kMaxRowTimes) {
        m_rowTimes.clear();
        m_rowTimesZone = std::move(zone);
    }
    // A new entry has no times and empty texts: right for a code without either.
    RowTimes& times = m_rowTimes[code.id];
    if (times.expiresUtc != code.expiresUtc) {
        times.expiresUtc = code.expiresUtc;
        times.expires = code.expiresUtc ? core::tz::formatInZone(*code.expiresUtc, m_rowTimesZone) : std::string();
    }
    if (times.createdUtc != code.createdUtc) {
        times.createdUtc = code.createdUtc;
        times.created = code.createdUtc ? core::tz::formatInZone(*code.createdUtc, m_rowTimesZone) : std::string();
    }
    return times;
}

void CodesViewModel::click(int index, bool ctrl, bool shift) {
    const core::PickupCode* code = row(index);
    if (code == nullptr) return;
    if (shift && m_anchor >= 0) {
        if (!ctrl) m_selected.clear();
        for (int i = std::min(m_anchor, index); i <= std::max(m_anchor, index); ++i) {
            if (const auto* c = row(i)) m_selected[c->id] = c->code;
        }
        return;
    }
    if (ctrl) {
        if (!m_selected.erase(code->id)) m_selected[code->id] = code->code;
    } else {
        m_selected.clear();
        m_selected[code->id] = code->code;
    }
    m_anchor = index;
}

void CodesViewModel::selectAllLoaded() {
    for (const auto& [page, codes] : m_pages) {
        for (const auto& c : codes) m_selected[c.id] = c.code;
    }
}

std::vector<std::int64_t> CodesViewModel::selectedIds() const {
    std::vector<std::int64_t> ids;
    for (const auto& [id, code] : m_selected) ids.push_back(id);
    return ids;
}

std::string CodesViewModel::clipboardText() const {
    std::string text;
    for (const auto& [id, code] : m_selected) {
        text += code;
        text += '\n';
    }
    return text;
}

}  // namespace app::desktop
