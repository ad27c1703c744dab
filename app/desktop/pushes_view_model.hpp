#pragma once
// The push console: a window over the stored push events (the newest kMaxRows), topped up from
// the store when the ingest writer says new ones arrived, filtered in memory by machine, method,
// verification and text. Pausing freezes the visible list; nothing is lost (rows keep loading).
// No ImGui.
#include "app/desktop/pushes_export.hpp"
#include "app/desktop/ui_events.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace app::desktop {

class Backend;

// What the detail pane shows of one push, made when it is selected.
struct PushDetail {
    std::int64_t id = 0;
    std::string decodedPretty;  // the decoded object, indented ("" when undecodable)
    std::string viewJson;       // pushJson(): typed view, labels, notes
};
PushDetail describePush(const PushRow& row);

class PushesViewModel {
public:
    static constexpr size_t kMaxRows = 20000;
    static constexpr int kBatch = 2000;
    static constexpr std::int64_t kRateWindowMs = 5000;

    explicit PushesViewModel(Backend& backend) : m_backend(backend) {}

    void load();         // first load: the newest kMaxRows
    void onArrived();    // the writer stored more: fetch what is new (one query in flight at a time)
    void apply(const PushesLoaded& event);
    void apply(const MqttStatus& event) { m_mqtt = event; }

    // Filters (empty / nullopt = any). Text matches machine, method, labels, summaries, payload.
    void setMachine(std::optional<std::string> machineNo);
    void setMethod(std::optional<std::string> method);
    void setVerification(std::optional<core::protocol::Verification> verification);
    void setSearch(const std::string& text);
    const std::optional<std::string>& machineFilter() const { return m_machine; }
    const std::optional<std::string>& methodFilter() const { return m_method; }
    const std::optional<core::protocol::Verification>& verificationFilter() const { return m_verification; }

    void setPaused(bool paused);
    bool paused() const { return m_paused; }
    int newWhilePaused() const { return m_newWhilePaused; }

    const std::deque<PushRow>& rows() const { return m_rows; }
    const std::vector<int>& visible() const { return m_visible; }  // indices into rows()
    const PushRow& visibleRow(int index) const { return m_rows[static_cast<size_t>(m_visible[static_cast<size_t>(index)])]; }
    bool loaded() const { return m_loaded; }

    void select(std::int64_t eventId) { m_selectedId = eventId; }
    const PushRow* selected() const;
    const PushDetail* selectedDetail();  // made once per selection (a decode and two JSON dumps)

    // Pushes per second over the last kRateWindowMs before nowMs (arrival times of stored rows).
    double ratePerSecond(std::int64_t nowMs) const;
    const std::map<std::string, int>& countsPerMethod() const { return m_methodCounts; }
    const std::map<std::string, int>& machineCounts() const { return m_machineCounts; }
    std::optional<std::int64_t> lastPushMs(const std::string& machineNo) const;
    const MqttStatus& mqtt() const { return m_mqtt; }
    bool consumeScrollRequest();  // true once after new visible rows while not paused

    // Writes the visible (filtered) pushes on the export worker; lastExport() says how it went.
    void exportVisible(const std::string& path, PushExportFormat format);
    void apply(const PushesExported& event);
    bool exporting() const { return m_exporting; }
    const std::optional<PushesExported>& lastExport() const { return m_lastExport; }

private:
    bool matches(const PushRow& row) const;
    void refilter();
    void request();
    Backend& m_backend;
    std::deque<PushRow> m_rows;  // oldest first; trimmed at the front
    PushDetail m_detail;
    std::vector<int> m_visible;
    std::map<std::string, int> m_methodCounts;
    std::map<std::string, int> m_machineCounts;
    std::map<std::string, std::int64_t> m_lastPush;
    std::optional<std::string> m_machine;
    std::optional<std::string> m_method;
    std::optional<core::protocol::Verification> m_verification;
    std::string m_search;  // lower case
    std::int64_t m_selectedId = 0;
    std::int64_t m_lastId = -1;  // -1: nothing loaded yet
    std::uint64_t m_generation = 0;
    bool m_inFlight = false;
    bool m_again = false;
    bool m_loaded = false;
    bool m_paused = false;
    bool m_exporting = false;
    std::optional<PushesExported> m_lastExport;
    bool m_scroll = false;
    int m_newWhilePaused = 0;
    MqttStatus m_mqtt;  // configured until a start says otherwise
};

}  // namespace app::desktop
