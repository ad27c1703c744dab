#include "app/desktop/app_model.hpp"

#include <type_traits>

namespace app::desktop {

AppModel::AppModel(BackendConfig config, std::function<void()> waker)
    : m_events(std::make_shared<UiEventQueue>(std::move(waker))),
      m_backend(std::make_unique<Backend>(std::move(config), m_events)),
      m_codes(*m_backend),
      m_generate(*m_backend) {}

int AppModel::pump() {
    auto events = m_events->drain();
    for (const auto& e : events) apply(e);
    return static_cast<int>(events.size());
}

void AppModel::start(bool sandbox, const std::string& simUrl) {
    if (sandbox) {
        m_backend->startSandbox(simUrl);
    } else {
        m_backend->loadProfile();
    }
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
            } else if constexpr (std::is_same_v<T, NetworkState>) {
                m_status.http = e.ok ? LinkState::Ok : LinkState::Failed;
                m_status.httpDetail = e.detail;
            } else if constexpr (std::is_same_v<T, MachinesLoaded>) {
                onMachines(e);
            } else if constexpr (std::is_same_v<T, ProductsLoaded>) {
                m_products.apply(e);
                // A sync may have brought codes too: recount the table (filters kept).
                if (e.machineNo == m_codes.machineNo()) m_codes.refresh();
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
            }
        },
        event);
}

void AppModel::onProfile(const ProfileLoaded& event) {
    m_status.profileKnown = true;
    m_status.profile = event.profile;
    m_status.secretsInMemoryOnly = event.secretsInMemoryOnly;
    m_status.secretsNote = event.secretsNote;
    if (!event.profile) return;  // first run: the view offers Sandbox / Vendor cloud
    m_machines.setDefaultZone(event.profile->defaultTimezone);
    m_backend->syncMachines();
}

void AppModel::onMachines(const MachinesLoaded& event) {
    m_machines.apply(event);
    if (!m_machines.selectedNo().empty() && m_machines.selected() != nullptr) return;
    std::string pick;
    for (const auto& m : event.machines) {
        if (m.machineNo == m_preferredMachine) pick = m.machineNo;
    }
    for (const auto& m : event.machines) {
        if (pick.empty() && m.online) pick = m.machineNo;  // else the first online machine
    }
    if (pick.empty() && !event.machines.empty()) pick = event.machines.front().machineNo;
    if (!pick.empty()) selectMachine(pick);
}

void AppModel::selectMachine(const std::string& machineNo) {
    m_machines.select(machineNo);
    m_products.setMachine(machineNo);
    const auto* machine = m_machines.selected();
    m_codes.setMachine(machineNo, machine != nullptr ? m_machines.effectiveZone(*machine) : std::string());
    m_backend->loadProducts(machineNo);
    m_backend->syncProducts(machineNo);
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

}  // namespace app::desktop
