#pragma once
// The app's engine room: two owned worker threads, each with its own SQLite connection to the
// same WAL file. The service worker runs network calls and writes (sync, generate, delete); the
// query worker runs reads (code pages, counts) so paging never waits behind the network.
// Results go to the UiEventQueue; callers on the UI thread never block.
#include "app/desktop/pushes_export.hpp"
#include "app/desktop/frame_gate.hpp"
#include "app/desktop/ui_events.hpp"
#include "app/desktop/work_queue.hpp"
#include "core/export/export_service.hpp"
#include "core/services/code_service.hpp"
#include "core/services/profile_service.hpp"
#include "core/services/push_confirm.hpp"
#include "core/store/store.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace core::config {
class InstanceLock;
}

namespace app::desktop {

class FallbackSecretStore;
class SimProcess;

struct BackendConfig {
    std::string dbPath;
    std::string workDir;           // sandbox files (simulator port file and log)
    bool useKeychain = true;       // false: secrets in memory only
    std::string sandboxMqttUrl;    // sandbox: the simulator publishes its pushes to this broker
    // The app's hold on the database (main_window.cpp): proof for File > Restore; null = no restore.
    const core::config::InstanceLock* instanceLock = nullptr;
    std::string calibrationFile;   // printer offsets; "" = core::exporter::calibrationFilePath()
    // Closed by the UI thread while a software renderer rasterises a frame: the query worker's reads
    // wait for it between SQLite steps (frame_gate.hpp). Null: never wait.
    std::shared_ptr<FrameGate> frameGate;
};

// Where pushes come from. Each field: this value, else the environment (PICKUPDESK_MQTT_URL,
// PICKUPDESK_MQTT_USER, PICKUPDESK_MQTT_PASSWORD, PICKUPDESK_CA_FILE), else the profile.
struct MqttSettings {
    std::string url;
    std::string username;
    std::string password;  // secret: never posted to the UI
    std::string caFile;
};

// One export or print: the codes (a selection via filter.ids, or a filter) and how.
struct ExportRequest {
    core::exporter::StoreSelection selection;
    core::exporter::ExportOptions options;
    bool print = false;
    core::exporter::PrintJob job;
};

struct ProfileForm {
    std::string name;
    std::string baseUrl;
    std::string appId;
    std::string appSecret;
    std::string signKey;
    std::string pushKey;
    std::string signEncoding = "raw";
    std::string timezone = "Asia/Shanghai";
    std::string caFile;
    // MQTT broker for pushes; an empty secret field keeps the stored secret.
    std::string mqttUrl, mqttUser, mqttPassword, mqttCaFile, mqttClientCert, mqttClientKey, mqttClientId;
    int mqttVersion = 4;
};

// The form pre-filled from a stored profile (secrets stay empty: "unchanged").
ProfileForm formFromProfile(const core::Profile& profile);

class Backend {
public:
    Backend(BackendConfig config, std::shared_ptr<UiEventQueue> events);
    ~Backend();
    Backend(const Backend&) = delete;
    Backend& operator=(const Backend&) = delete;

    // Service worker: network and writes.
    void loadProfile();                                  // -> ProfileLoaded
    void startSandbox(const std::string& simUrl);        // "" = start pickupdesk-sim; -> ProfileLoaded
    void saveProfile(const ProfileForm& form);           // -> ProfileLoaded | JobFailed
    void testConnection(const ProfileForm& form);        // -> ConnectionTested
    void syncMachines();                                 // -> MachinesLoaded (local, then fresh) + NetworkState
    void syncProducts(const std::string& machineNo);     // -> ProductsLoaded
    void setTimezone(const std::string& machineNo, const std::string& zone);  // -> TimezoneSaved
    // Cancelled while queued -> GenerateFinished{cancelled}. Progress -> GenerateProgressed.
    void generate(std::uint64_t job, const core::services::GenerateOptions& options,
                  std::shared_ptr<std::atomic<bool>> cancel);
    void reconcile(const std::string& machineNo);        // -> Reconciled
    void deleteCodes(const std::string& machineNo, const std::vector<std::int64_t>& ids);  // -> CodesDeleted

    // Query worker: reads only.
    // At start, beside the service worker: the stored profile that start() will use (sandbox: the
    // "sandbox" profile) and its machines, read without checking or migrating the file -> LocalViewLoaded.
    void loadLocalView(bool sandbox);
    void loadProducts(const std::string& machineNo);     // -> ProductsLoaded (store only)
    // -> CodesCounted, then (firstPage > 0) the first page unasked -> CodesPage.
    void countCodes(std::uint64_t generation, const core::store::CodeFilter& filter, int firstPage = 0);
    // -> CodesPage; past the first page of a machine's codes, read by id from the sorted ids.
    void queryCodes(std::uint64_t generation, const core::store::CodeFilter& filter);

    // Pushes (backend_pushes.cpp). Service worker: starts (or restarts, when the topics changed)
    // MQTT + ingest for these machines -> MqttStatus; the writer posts PushesArrived.
    void startPushes(const MqttSettings& settings, const std::vector<std::string>& machineNos);
    void stopPushes();
    // Query worker: stored events with id > afterId (afterId < 0: the newest `limit`) -> PushesLoaded.
    void queryPushes(std::uint64_t generation, std::int64_t afterId, int limit);
    void pushesSeen() { m_pushNotified->store(false); }  // re-arms PushesArrived
    void machinePushInfo(const std::string& machineNo);  // -> MachinePushInfo
    // Export worker: the given rows to a file -> PushesExported.
    void exportPushes(std::vector<PushRow> rows, const std::string& path, PushExportFormat format);

    // Export (backend_export.cpp), on the export worker (own Store) so paging never waits.
    void loadTemplates();  // -> TemplatesLoaded (templates and printers)
    // The offsets saved for (printer key, template) -> CalibrationLoaded; save writes them first.
    void loadCalibration(const std::string& printer, const std::string& templateName);
    void saveCalibration(const std::string& printer, const std::string& templateName, core::exporter::Offset offset);
    void previewExport(std::uint64_t generation, const ExportRequest& request, int maxPages, double pxPerMm);
    void runExport(std::uint64_t job, const ExportRequest& request, std::shared_ptr<std::atomic<bool>> cancel);
    // Query worker: printed state of these codes -> PrintedLoaded.
    void loadPrinted(std::uint64_t generation, const std::string& machineNo, const std::vector<std::int64_t>& ids);

    // File > Back up (export worker: a read, never in the way of paging) -> DatabaseBackedUp.
    // File > Restore (service worker, with the instance lock) -> DatabaseRestored. backend_database.cpp.
    void backupDatabase(const std::string& destPath);
    void restoreDatabase(const std::string& sourcePath);
    const std::string& databasePath() const { return m_config.dbPath; }
    const std::string& workDir() const { return m_config.workDir; }

    int pending() const { return m_service.pending() + m_query.pending() + m_export.pending(); }

private:
    struct ServiceEnv;
    ServiceEnv& service();                        // opened lazily on the service thread
    core::store::Store* queryStore();             // opened lazily on the query thread, read-only
    core::store::Store* exportStore();            // opened lazily on the export thread
    core::Status startPushesNow(const core::net::MqttConfig& config);
    core::Result<std::string> pushKey();  // PICKUPDESK_PUSH_KEY, else the profile's push-verify key
    // While pushes are on: a short-lived subscription that lets generate take its codes from their pushes.
    std::unique_ptr<core::services::MqttCreatePushSource> generatePushSource();
    core::Result<core::net::MqttConfig> mqttConfig(const MqttSettings& settings, const std::vector<std::string>& topics);
    core::Result<core::services::CodeService*> codes();
    void postProducts(core::store::Store& store, const std::string& machineNo, bool codesChanged);
    void postProductsFromReader(const std::string& machineNo, bool codesChanged);  // on the query worker
    // The codes table's result as ids in order, for `generation` (query thread); false: failed (posted).
    bool buildIdWindow(core::store::Store& store, std::uint64_t generation, core::store::CodeFilter filter);
    void postFailure(const std::string& what, const core::Error& error);
    void postNetwork(const core::Error* error);

    BackendConfig m_config;
    std::shared_ptr<UiEventQueue> m_events;
    std::unique_ptr<ServiceEnv> m_env;            // service thread only
    MqttSettings m_pushSettings;                  // service thread only: the last startPushes settings
    std::unique_ptr<core::store::Store> m_queryStore;  // query thread only: read-only when it can be
    std::mutex m_openMutex;                       // one thread at a time creates or migrates the file
    // The codes table's current result as ids in order (query thread only): sorted once per
    // generation when a page past the first is wanted, then each page is read by id.
    // m_codesGeneration: the newest asked for, so a count or page that a newer filter replaced
    // while it was queued is skipped.
    struct CodeIdWindow {
        std::uint64_t generation = 0;
        std::vector<std::int64_t> ids;
    };
    struct CodeCount {
        std::uint64_t generation = 0;
        std::int64_t total = 0;
    };
    CodeIdWindow m_codeIds;
    CodeCount m_counted;  // the last count posted (query thread only)
    std::atomic<std::uint64_t> m_codesGeneration{0};
    std::unique_ptr<core::store::Store> m_exportStore;  // export thread only
    std::shared_ptr<std::atomic<bool>> m_pushNotified = std::make_shared<std::atomic<bool>>(false);
    // Normal: threads inherit their creator's priority, and the push ingest and MQTT client threads
    // start here; they must keep up with the broker.
    WorkQueue m_service;
    WorkQueue m_query{WorkPriority::BelowUi};  // its results show in later frames: the frames go first
    WorkQueue m_export{WorkPriority::Background};
};

}  // namespace app::desktop
