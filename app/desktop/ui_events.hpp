#pragma once
// Typed results that workers post to the UI thread. The UI drains the queue once per frame
// (swap under the mutex, apply unlocked); posting wakes an idle UI through the waker.
#include "core/domain/types.hpp"
#include "core/services/code_service.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace app::desktop {

// What a failed job was doing, so the UI can word the error.
struct JobFailed {
    std::string what;  // i18n key of the action, e.g. "action.sync_machines"
    core::Error error;
};

struct ProfileLoaded {
    std::optional<core::Profile> profile;  // nullopt: first run
    bool secretsInMemoryOnly = false;
    std::string secretsNote;  // why, when in memory only (never holds a secret)
};

struct ConnectionTested {
    bool ok = false;
    std::string detail;  // the vendor's ping reply or the error message
};

struct NetworkState {
    bool ok = false;
    std::string detail;
};

struct MachinesLoaded {
    std::vector<core::Machine> machines;
};

struct ProductRow {
    core::Product product;
    std::int64_t unused = 0;
    std::int64_t used = 0;
    std::int64_t expired = 0;
};

struct ProductsLoaded {
    std::string machineNo;
    std::string timezone;  // the machine's effective zone
    std::vector<ProductRow> rows;
};

struct TimezoneSaved {
    std::string machineNo;
    std::string timezone;
};

struct CodesCounted {
    std::uint64_t generation = 0;
    std::int64_t total = 0;
};

struct CodesPage {
    std::uint64_t generation = 0;
    int offset = 0;
    std::vector<core::PickupCode> codes;
};

struct CodesDeleted {
    std::string machineNo;
    int deleted = 0;
    std::optional<core::Error> error;  // set when some deletes failed
};

struct GenerateProgressed {
    std::uint64_t job = 0;
    std::string step;
    int done = 0;
    int total = 0;
};

struct GenerateFinished {
    std::uint64_t job = 0;
    bool cancelled = false;
    std::optional<core::services::GenerateResult> result;
    std::optional<core::Error> error;
};

struct Reconciled {
    std::string machineNo;
    std::vector<core::services::ReconcileItem> items;
    std::optional<core::Error> error;
};

using UiEvent = std::variant<JobFailed, ProfileLoaded, ConnectionTested, NetworkState, MachinesLoaded, ProductsLoaded,
                             TimezoneSaved, CodesCounted, CodesPage, CodesDeleted, GenerateProgressed,
                             GenerateFinished, Reconciled>;

class UiEventQueue {
public:
    // `waker` runs on the posting thread after each post (the app passes glfwPostEmptyEvent).
    explicit UiEventQueue(std::function<void()> waker = {}) : m_waker(std::move(waker)) {}

    void post(UiEvent event) {
        {
            std::lock_guard lock(m_mutex);
            m_events.push_back(std::move(event));
        }
        if (m_waker) m_waker();
    }
    std::vector<UiEvent> drain() {
        std::vector<UiEvent> out;
        std::lock_guard lock(m_mutex);
        out.swap(m_events);
        return out;
    }

private:
    std::function<void()> m_waker;
    std::mutex m_mutex;
    std::vector<UiEvent> m_events;
};

}  // namespace app::desktop
