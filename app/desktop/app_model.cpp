#include "app/desktop/app_model.hpp"

#include "app/desktop/sim_process.hpp"

#include <algorithm>
#include <filesystem>
#include <chrono>
#include <type_traits>

namespace app::desktop {

namespace {

// The board tab offers the pseudo-terminal simulator when pickupdesk-sim is found (POSIX).
BoardBackendOptions boardOptions(const std::string& workDir) {
    BoardBackendOptions options;
#ifndef _WIN32
    options.simBinary = SimProcess::locate();
#endif
    options.workDir = workDir.empty() ? std::filesystem::temp_directory_path().string() : workDir;
    return options;
}

}  // namespace

AppModel::AppModel(BackendConfig config, std::function<void()> waker)
    : m_events(std::make_shared<UiEventQueue>(waker)),  // copied: the board tab wakes the UI too
      m_backend(std::make_unique<Backend>(std::move(config), m_events)),
      m_codes(*m_backend),
      m_generate(*m_backend),
      m_pushes(*m_backend),
      m_export(*m_backend),
      m_board(waker, boardOptions(m_backend->workDir())) {}

AppModel::~AppModel() { m_export.cancel(); }  // a running export stops at its next page

const MachinePushInfo* AppModel::pushInfo(const std::string& machineNo) const {
    auto it = m_pushInfo.find(machineNo);
    return it == m_pushInfo.end() ? nullptr : &it->second;
}

// The board's results too, whichever tab is shown: a dispense that ends (or a board that is
// unplugged) while another tab is open is applied and logged at once, not when the tab is opened.
int AppModel::pump() {
    auto events = m_events->drain();
    for (const auto& e : events) apply(e);
    return static_cast<int>(events.size()) + m_board.pump();
}

void AppModel::start(bool sandbox, const std::string& simUrl) {
    if (sandbox) {
        m_backend->startSandbox(simUrl);
    } else {
        m_backend->loadProfile();
    }
    // Meanwhile the query worker reads what the store holds: the remembered machine's products and
    // codes are on screen before the service worker's integrity check (~0.3 s per 1,000,000 codes)
    // and the profile load are done. LocalViewLoaded confirms or drops this choice.
    m_backend->loadLocalView(sandbox);
    if (!m_preferredMachine.empty()) showMachine(m_preferredMachine);
}

void AppModel::apply(const UiEvent& event) {
    std::visit(
        [this](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, JobFailed>) {
                m_errors.push_back(e);
                if (m_errors.size() > 20) m_errors.pop_front();
            } else if constexpr (std::is_same_v<T, ProfileLoaded>) {
                onProfile(e);
            } else if constexpr (std::is_same_v<T, ConnectionTested>) {
                m_status.connectionTest = e;
                m_status.connectionTesting = false;
            } else if constexpr (std::is_same_v<T, NetworkState>) {
                m_status.http = e.ok ? LinkState::Ok : LinkState::Failed;
                m_status.httpDetail = e.detail;
            } else if constexpr (std::is_same_v<T, MachinesLoaded>) {
                onMachines(e);
            } else if constexpr (std::is_same_v<T, LocalViewLoaded>) {
                onLocalView(e);
            } else if constexpr (std::is_same_v<T, ProductsLoaded>) {
                m_products.apply(e);
                // A sync that brought or changed codes recounts the table (filters kept). A local read
                // or a sync that changed none does not: whoever asked refreshed the table already, and
                // a recount empties the table's pages (~0.17 s to refill at 1,000,000 codes).
                if (e.codesChanged && e.machineNo == m_codes.machineNo()) m_codes.refresh();
            } else if constexpr (std::is_same_v<T, TimezoneSaved>) {
                m_machines.apply(e);
                if (e.machineNo == m_machines.selectedNo()) reloadSelected(true);
            } else if constexpr (std::is_same_v<T, CodesCounted> || std::is_same_v<T, CodesPage>) {
                m_codes.apply(e);
            } else if constexpr (std::is_same_v<T, CodesDeleted>) {
                m_status.lastDelete = e;
                if (e.error) m_errors.push_back(JobFailed{"action.delete_codes", *e.error});
                m_codes.clearSelection();
                reloadSelected();
            } else if constexpr (std::is_same_v<T, GenerateProgressed>) {
                m_generate.apply(e);
            } else if constexpr (std::is_same_v<T, GenerateFinished>) {
                m_generate.apply(e);
                reloadSelected();
            } else if constexpr (std::is_same_v<T, Reconciled>) {
                m_generate.apply(e);
                reloadSelected();
            } else if constexpr (std::is_same_v<T, MqttStatus> || std::is_same_v<T, PushesArrived> ||
                                 std::is_same_v<T, PushesLoaded> || std::is_same_v<T, MachinePushInfo> ||
                                 std::is_same_v<T, PushesExported>) {
                applyPushes(e);
            } else if constexpr (std::is_same_v<T, DatabaseBackedUp> || std::is_same_v<T, DatabaseRestored>) {
                applyDatabase(e);
            } else {
                applyExport(e);
            }
        },
        event);
}

void AppModel::applyPushes(const UiEvent& event) {
    if (const auto* status = std::get_if<MqttStatus>(&event)) {
        m_pushes.apply(*status);
    } else if (std::holds_alternative<PushesArrived>(event)) {
        m_pushes.onArrived();
    } else if (const auto* loaded = std::get_if<PushesLoaded>(&event)) {
        m_pushes.apply(*loaded);
        const std::string& selected = m_machines.selectedNo();
        const bool touchesSelected = std::any_of(loaded->rows.begin(), loaded->rows.end(),
                                                 [&](const PushRow& r) { return r.machineNo == selected; });
        // Pushes change codes (created, used, deleted); at high rates, refresh once a second.
        const auto now = std::chrono::steady_clock::now();
        if (!selected.empty() && touchesSelected && now - m_lastPushRefresh > std::chrono::seconds(1)) {
            m_lastPushRefresh = now;
            m_backend->machinePushInfo(selected);
            m_codes.invalidate();  // recounted when the table is next drawn, not while another tab is open
        }
    } else if (const auto* exported = std::get_if<PushesExported>(&event)) {
        m_pushes.apply(*exported);
    } else if (const auto* info = std::get_if<MachinePushInfo>(&event)) {
        m_pushInfo[info->machineNo] = *info;
    }
}

void AppModel::applyExport(const UiEvent& event) {
    if (const auto* e = std::get_if<TemplatesLoaded>(&event)) m_export.apply(*e);
    if (const auto* e = std::get_if<CalibrationLoaded>(&event)) m_export.apply(*e);
    if (const auto* e = std::get_if<ExportPreviewed>(&event)) m_export.apply(*e);
    if (const auto* e = std::get_if<ExportProgressed>(&event)) m_export.apply(*e);
    if (const auto* e = std::get_if<ExportFinished>(&event)) {
        m_export.apply(*e);
        if (!e->cancelled && !e->error) m_codes.refresh();  // the printed column
    }
    if (const auto* e = std::get_if<PrintedLoaded>(&event)) m_codes.apply(*e);
}

void AppModel::backupDatabase(const std::string& destPath) {
    m_status.databaseJobRunning = true;
    m_status.lastBackup.reset();
    m_backend->backupDatabase(destPath);
}

void AppModel::restoreDatabase(const std::string& sourcePath) {
    m_status.databaseJobRunning = true;
    m_status.lastRestore.reset();
    m_backend->restoreDatabase(sourcePath);
}

void AppModel::applyDatabase(const UiEvent& event) {
    m_status.databaseJobRunning = false;
    if (const auto* backedUp = std::get_if<DatabaseBackedUp>(&event)) m_status.lastBackup = *backedUp;
    if (const auto* restored = std::get_if<DatabaseRestored>(&event)) {
        m_status.lastRestore = *restored;
        // Everything shown came from the replaced content: load it all again, profile first.
        if (restored->outcome && !restored->restartNeeded) {
            m_backend->loadProfile();
            reloadSelected();
        }
    }
}

void AppModel::openExport() {
    const auto* machine = m_machines.selected();
    if (machine == nullptr) return;
    core::store::CodeFilter filter = m_codes.filter();
    filter.limit = 0;
    filter.offset = 0;
    filter.ids = m_codes.selectedIds();
    m_export.open(filter, m_machines.effectiveZone(*machine), !filter.ids.empty());
}

void AppModel::onProfile(const ProfileLoaded& event) {
    m_status.profileKnown = true;
    m_status.profile = event.profile;
    m_status.secretsInMemoryOnly = event.secretsInMemoryOnly;
    m_status.secretsNote = event.secretsNote;
    if (!event.profile) {  // first run: the view offers Sandbox / Vendor cloud
        if (!m_machines.selectedNo().empty()) showMachine({});  // nothing remembered is shown
        return;
    }
    m_serviceReady = true;
    m_machines.setDefaultZone(event.profile->defaultTimezone);
    m_backend->syncMachines();
}

std::string AppModel::pickMachine(const std::vector<core::Machine>& machines) const {
    for (const auto& m : machines) {
        if (m.machineNo == m_preferredMachine) return m.machineNo;
    }
    for (const auto& m : machines) {
        if (m.online) return m.machineNo;  // else the first online machine
    }
    return machines.empty() ? std::string() : machines.front().machineNo;
}

void AppModel::onMachines(const MachinesLoaded& event) {
    m_machinesFromService = true;
    m_machines.apply(event);
    if (!m_pushes.loaded()) m_pushes.load();
    std::vector<std::string> machineNos;
    for (const auto& m : event.machines) machineNos.push_back(m.machineNo);
    if (!machineNos.empty()) m_backend->startPushes(m_mqttSettings, machineNos);
    if (const auto* machine = m_machines.selected()) {
        m_codes.setZone(m_machines.effectiveZone(*machine));  // shown before the machine list came
        if (!m_selectionSynced) syncSelected();
        return;
    }
    if (const std::string pick = pickMachine(event.machines); !pick.empty()) selectMachine(pick);
}

// The store's own view at start. The service worker's answers (ProfileLoaded, MachinesLoaded)
// replace it; once they are in, it is old news.
void AppModel::onLocalView(const LocalViewLoaded& event) {
    if (m_status.profileKnown || m_machinesFromService) return;
    if (!event.profile || event.machines.empty()) {
        if (m_machines.selected() == nullptr && !m_machines.selectedNo().empty()) showMachine({});
        return;
    }
    m_status.profile = event.profile;  // shown; profileKnown waits for the service worker
    m_machines.setDefaultZone(event.profile->defaultTimezone);
    m_machines.apply(MachinesLoaded{event.machines});
    if (const auto* machine = m_machines.selected()) {
        m_codes.setZone(m_machines.effectiveZone(*machine));
        return;
    }
    showMachine(pickMachine(event.machines));
}

void AppModel::selectMachine(const std::string& machineNo) {
    showMachine(machineNo);
    if (m_serviceReady) syncSelected();
}

void AppModel::showMachine(const std::string& machineNo) {
    m_machines.select(machineNo);
    m_products.setMachine(machineNo);
    const auto* machine = m_machines.selected();
    m_codes.setMachine(machineNo, machine != nullptr ? m_machines.effectiveZone(*machine) : std::string());
    m_selectionSynced = false;
    if (machineNo.empty()) return;
    m_backend->loadProducts(machineNo);
}

void AppModel::syncSelected() {
    const std::string& machineNo = m_machines.selectedNo();
    if (machineNo.empty()) return;
    m_selectionSynced = true;
    m_backend->syncProducts(machineNo);
    m_backend->machinePushInfo(machineNo);
}

void AppModel::reloadSelected(bool zoneChanged) {
    const auto* machine = m_machines.selected();
    if (machine == nullptr) return;
    if (zoneChanged) {
        m_codes.setMachine(machine->machineNo, m_machines.effectiveZone(*machine));
    } else {
        m_codes.refresh();  // keeps the user's filters and sort
    }
    m_backend->loadProducts(machine->machineNo);
}

void AppModel::refresh() {
    if (!m_status.profile) return;
    m_backend->syncMachines();
    if (!m_machines.selectedNo().empty()) m_backend->syncProducts(m_machines.selectedNo());
}

void AppModel::saveTimezone(const std::string& machineNo, const std::string& zone) {
    if (!MachinesViewModel::isValidZone(zone)) return;
    m_backend->setTimezone(machineNo, zone);
}

void AppModel::deleteSelectedCodes() {
    if (m_codes.selectedCount() == 0 || m_codes.machineNo().empty()) return;
    m_backend->deleteCodes(m_codes.machineNo(), m_codes.selectedIds());
}

void AppModel::openGenerate(std::int64_t productId) {
    const auto* machine = m_machines.selected();
    if (machine == nullptr) return;
    m_generate.open(machine->machineNo, m_machines.effectiveZone(*machine), m_products.rows(), productId);
}

void AppModel::testConnection(const ProfileForm& form) {
    m_status.connectionTest.reset();
    m_status.connectionTesting = true;
    m_backend->testConnection(form);
}

}  // namespace app::desktop
