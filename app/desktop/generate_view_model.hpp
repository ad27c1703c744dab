#pragma once
// The Generate dialog: form, validation, the live expiry preview (machine time -> the exact GMT+8
// string sent and the UTC instant), and the run on the service worker with progress, cancel and
// result. No ImGui.
#include "app/desktop/ui_events.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>
#include <string>
#include <vector>

namespace app::desktop {

class Backend;

struct GenerateForm {
    bool allProducts = false;
    std::int64_t productId = 0;
    int count = 1;
    int length = 6;
    bool never = false;
    std::string expiresLocal;  // "YYYY-MM-DD HH:MM[:SS]" in the machine's zone
};

struct ExpiryPreview {
    bool ok = false;
    bool never = false;
    std::string zone;
    std::string gmt8;   // exactly what the API receives
    std::string utc;    // ISO 8601 with Z
    std::string error;  // why the text is not a usable time
};

// A validation problem: i18n key plus values for its "{}" slots.
struct Problem {
    std::string key;
    std::vector<std::string> args;
};

enum class GenerateState { Editing, Running, Done, Failed, Unknown, Cancelled };

class GenerateViewModel {
public:
    static constexpr int kMinLength = 6;
    static constexpr int kMaxLength = 10;

    explicit GenerateViewModel(Backend& backend) : m_backend(backend) {}

    // Opens the dialog for a machine; `products` supplies capacities. Keeps the last form values.
    void open(const std::string& machineNo, const std::string& zone, const std::vector<ProductRow>& products,
              std::int64_t preferredProduct = 0);
    bool isOpen() const { return m_open; }
    void close() { m_open = false; }

    GenerateForm& form() { return m_form; }
    const GenerateForm& form() const { return m_form; }
    const std::string& machineNo() const { return m_machineNo; }
    const std::string& zone() const { return m_zone; }
    const std::vector<ProductRow>& products() const { return m_products; }

    // The most codes one request may ask for: the product's capacity (1 for all products).
    int maxCount() const;
    std::vector<Problem> validate() const;
    static ExpiryPreview preview(const std::string& localText, const std::string& zone);
    ExpiryPreview preview() const;
    core::services::GenerateOptions options() const;

    // Starts the job when valid (returns false otherwise).
    bool submit();
    // Stops the job before its create is sent, or stops waiting for its pushes; not during the create.
    void cancel();
    bool cancellable() const;
    bool waitingForPushes() const;  // cancel now means "stop waiting" (the codes were created)
    static constexpr std::string_view kStepCreating = "creating codes";
    static constexpr std::string_view kStepWaiting = "waiting for create pushes";
    void reconcile();

    void apply(const GenerateProgressed& event);
    void apply(const GenerateFinished& event);
    void apply(const Reconciled& event);

    GenerateState state() const { return m_state; }
    const std::string& step() const { return m_step; }
    float progress() const { return m_total > 0 ? static_cast<float>(m_done) / static_cast<float>(m_total) : 0.f; }
    const std::optional<core::services::GenerateResult>& result() const { return m_result; }
    const std::optional<core::Error>& error() const { return m_error; }
    const std::vector<core::services::ReconcileItem>& reconciled() const { return m_reconciled; }
    bool reconciling() const { return m_reconciling; }

private:
    Backend& m_backend;
    bool m_open = false;
    std::string m_machineNo;
    std::string m_zone;
    std::vector<ProductRow> m_products;
    GenerateForm m_form;
    GenerateState m_state = GenerateState::Editing;
    std::uint64_t m_job = 0;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::string m_step;
    int m_done = 0;
    int m_total = 0;
    std::optional<core::services::GenerateResult> m_result;
    std::optional<core::Error> m_error;
    std::vector<core::services::ReconcileItem> m_reconciled;
    bool m_reconciling = false;
};

}  // namespace app::desktop
