#pragma once
// The app's state without ImGui: owns the Backend and the view models, applies worker results
// once per frame (pump) and turns user intents into worker jobs. Tests drive it directly.
#include "app/desktop/backend.hpp"
#include "app/desktop/codes_view_model.hpp"
#include "app/desktop/generate_view_model.hpp"
#include "app/desktop/machines_view_model.hpp"
#include "app/desktop/products_view_model.hpp"
#include "app/desktop/pushes_view_model.hpp"
#include "app/desktop/export_view_model.hpp"
#include "app/desktop/board_view_model.hpp"

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace app::desktop {

enum class LinkState { Unknown, Ok, Failed };

struct StatusInfo {
    LinkState http = LinkState::Unknown;
    std::string httpDetail;
    bool profileKnown = false;          // ProfileLoaded arrived
    std::optional<core::Profile> profile;
    bool secretsInMemoryOnly = false;
    std::string secretsNote;
    std::optional<ConnectionTested> connectionTest;
    bool connectionTesting = false;     // a test is running on the service worker
    std::optional<CodesDeleted> lastDelete;
    // File > Back up / Restore: running, then the last result.
    bool databaseJobRunning = false;
    std::optional<DatabaseBackedUp> lastBackup;
    std::optional<DatabaseRestored> lastRestore;
};

class AppModel {
public:
    AppModel(BackendConfig config, std::function<void()> waker);
    ~AppModel();
    AppModel(const AppModel&) = delete;
    AppModel& operator=(const AppModel&) = delete;

    // Applies every queued worker result; returns how many there were.
    int pump();

    void start(bool sandbox, const std::string& simUrl);  // loads the profile, or sets up the sandbox
    void selectMachine(const std::string& machineNo);
    void refresh();                       // F5: machines, the selected machine's products and codes
    void saveTimezone(const std::string& machineNo, const std::string& zone);
    void deleteSelectedCodes();
    void openGenerate(std::int64_t productId = 0);
    void testConnection(const ProfileForm& form);  // -> status().connectionTest
    void setPreferredMachine(const std::string& machineNo) { m_preferredMachine = machineNo; }
    // Broker settings from the command line (empty fields: environment, then profile).
    void setMqttSettings(const MqttSettings& settings) { m_mqttSettings = settings; }
    // Export dialog for the codes selection (when there is one) or the codes table's filter.
    void openExport();
    // File > Back up database / Restore database (status().lastBackup / lastRestore).
    void backupDatabase(const std::string& destPath);
    void restoreDatabase(const std::string& sourcePath);

    Backend& backend() { return *m_backend; }
    MachinesViewModel& machines() { return m_machines; }
    ProductsViewModel& products() { return m_products; }
    CodesViewModel& codes() { return m_codes; }
    GenerateViewModel& generate() { return m_generate; }
    PushesViewModel& pushes() { return m_pushes; }
    ExportViewModel& exporter() { return m_export; }
    BoardViewModel& board() { return m_board; }
    const MachinePushInfo* pushInfo(const std::string& machineNo) const;
    const StatusInfo& status() const { return m_status; }
    StatusInfo& status() { return m_status; }
    int pending() const { return m_backend->pending(); }
    // Errors not yet seen by the user (newest last); the view pops them.
    std::deque<JobFailed>& errors() { return m_errors; }

private:
    void apply(const UiEvent& event);
    void onProfile(const ProfileLoaded& event);
    void onMachines(const MachinesLoaded& event);
    void onLocalView(const LocalViewLoaded& event);
    std::string pickMachine(const std::vector<core::Machine>& machines) const;
    void showMachine(const std::string& machineNo);  // selection + local reads (products, codes)
    void syncSelected();                              // the service's part: vendor sync, push info
    void reloadSelected(bool zoneChanged = false);
    void applyPushes(const UiEvent& event);
    void applyExport(const UiEvent& event);
    void applyDatabase(const UiEvent& event);

    std::shared_ptr<UiEventQueue> m_events;
    std::unique_ptr<Backend> m_backend;
    MachinesViewModel m_machines;
    ProductsViewModel m_products;
    CodesViewModel m_codes;
    GenerateViewModel m_generate;
    PushesViewModel m_pushes;
    ExportViewModel m_export;
    MqttSettings m_mqttSettings;
    std::map<std::string, MachinePushInfo> m_pushInfo;
    std::chrono::steady_clock::time_point m_lastPushRefresh{};
    StatusInfo m_status;
    std::deque<JobFailed> m_errors;
    std::string m_preferredMachine;
    // Start-up: the remembered machine is shown from the store before the service worker has
    // checked it and loaded the profile (start()); its sync waits for the real machine list.
    bool m_serviceReady = false;    // a profile came from the service worker
    bool m_selectionSynced = false; // syncSelected ran for the current selection
    bool m_machinesFromService = false;
    BoardViewModel m_board;  // the Board tab: own workers and inbox (board_backend.hpp)
};

}  // namespace app::desktop
