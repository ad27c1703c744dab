#pragma once
// The codes table: a filtered, sorted window over store::Store::queryCodes, fetched a page at a
// time on the query worker as the clipper asks for rows. Results from an older filter are
// dropped by generation number. No ImGui.
#include "app/desktop/ui_events.hpp"
#include "core/store/store.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace app::desktop {

class Backend;

enum class TimeMode { Machine, Utc, Local };
TimeMode parseTimeMode(const std::string& text);
const char* timeModeName(TimeMode mode);
// The sort's name in settings.json ("code", "id", "product", "status", "expires", "created", "machine").
std::optional<core::store::CodeSort> parseCodeSort(const std::string& text);
const char* codeSortName(core::store::CodeSort sort);

class CodesViewModel {
public:
    static constexpr int kPageSize = 200;
    static constexpr size_t kMaxCachedPages = 64;

    explicit CodesViewModel(Backend& backend) : m_backend(backend) {}

    void setMachine(const std::string& machineNo, const std::string& zone);  // "" = none: an empty table
    void setZone(const std::string& zone);  // the machine's zone became known: display only, no recount
    void setStatus(std::optional<core::CodeStatus> status);
    void setProduct(std::optional<std::int64_t> productId);
    void setPrefix(const std::string& prefix);  // digits only; others are dropped
    void setSort(core::store::CodeSort sort, bool descending);
    void setTimeMode(TimeMode mode) { m_timeMode = mode; }
    // Starts over: new generation, empty cache, count requested (with a machine).
    void refresh();
    // The rows may be out of date (pushes changed codes): refreshIfStale, called by the codes view
    // each frame it is drawn, refreshes once. A hidden table costs nothing (at 1,000,000 codes a
    // refresh is ~0.17 s of the query worker, once a second under pushes).
    void invalidate() { m_stale = true; }
    void refreshIfStale();
    bool stale() const { return m_stale; }

    void apply(const CodesCounted& event);
    void apply(const CodesPage& event);
    void apply(const PrintedLoaded& event);
    // Export/print audit of a loaded code (nullptr until its page's states arrived).
    const core::store::PrintedState* printed(std::int64_t id) const;

    const core::store::CodeFilter& filter() const { return m_filter; }
    const std::string& machineNo() const { return m_machineNo; }
    std::int64_t total() const { return m_total; }
    bool counted() const { return m_counted; }
    std::uint64_t generation() const { return m_generation; }
    TimeMode timeMode() const { return m_timeMode; }

    // The row at `index`, or nullptr while its page is on its way (the page is then wanted).
    const core::PickupCode* row(int index);
    // Sends the wanted pages that are not in flight; call once per frame after drawing.
    void requestMissing();
    bool busy() const { return !m_inFlight.empty() || !m_counted; }

    std::string viewZone() const;  // the zone rowTimes uses

    // A row's times as the table shows them, in the chosen zone. Formatted once per code, zone and
    // value, not in every frame (two time-zone conversions per visible row otherwise).
    struct RowTimes {
        std::optional<core::Instant> expiresUtc;  // what the texts were made from
        std::optional<core::Instant> createdUtc;
        std::string expires;  // "" = never expires
        std::string created;  // "" = unknown
    };
    // Valid until the next call.
    const RowTimes& rowTimes(const core::PickupCode& code);

    // Selection (kept across pages; cleared when the machine or filter changes).
    void click(int index, bool ctrl, bool shift);
    void selectAllLoaded();
    void clearSelection() { m_selected.clear(); }
    bool isSelected(std::int64_t id) const { return m_selected.count(id) > 0; }
    size_t selectedCount() const { return m_selected.size(); }
    std::vector<std::int64_t> selectedIds() const;
    std::string clipboardText() const;  // selected codes, one per line, in id order

private:
    void clearCache();
    Backend& m_backend;
    core::store::CodeFilter m_filter;
    std::string m_machineNo;
    std::string m_zone = "Asia/Shanghai";
    TimeMode m_timeMode = TimeMode::Machine;
    std::uint64_t m_generation = 0;
    std::int64_t m_total = 0;
    bool m_counted = false;
    bool m_stale = false;
    std::map<int, std::vector<core::PickupCode>> m_pages;
    std::set<int> m_wanted;
    std::set<int> m_inFlight;
    std::map<std::int64_t, core::store::PrintedState> m_printed;  // loaded pages only
    std::map<std::int64_t, std::string> m_selected;  // id -> code
    std::unordered_map<std::int64_t, RowTimes> m_rowTimes;  // by code id, all in m_rowTimesZone
    std::string m_rowTimesZone;
    int m_anchor = -1;                                // shift-click range start
};

}  // namespace app::desktop
