#include "app/desktop/generate_view_model.hpp"

#include "app/desktop/backend.hpp"
#include "core/tz/machine_time.hpp"

#include <algorithm>

namespace app::desktop {

void GenerateViewModel::open(const std::string& machineNo, const std::string& zone,
                             const std::vector<ProductRow>& products, std::int64_t preferredProduct) {
    m_open = true;
    m_machineNo = machineNo;
    m_zone = zone;
    m_products = products;
    if (m_state != GenerateState::Running) {
        m_state = GenerateState::Editing;
        m_result.reset();
        m_error.reset();
        m_reconciled.clear();
    }
    const bool known = preferredProduct != 0 || std::any_of(products.begin(), products.end(), [&](const ProductRow& r) {
                           return r.product.id == m_form.productId;
                       });
    if (preferredProduct != 0) m_form.productId = preferredProduct;
    if (!known && !products.empty()) m_form.productId = products.front().product.id;
    if (m_form.expiresLocal.empty()) {
        // Default: tomorrow 23:59 in the machine's zone.
        const std::string tomorrow = core::tz::formatInZone(core::tz::nowUtc() + 86400, zone);
        m_form.expiresLocal = tomorrow.substr(0, 10) + " 23:59";
    }
}

int GenerateViewModel::maxCount() const {
    if (m_form.allProducts) return 1;
    for (const auto& r : m_products) {
        if (r.product.id == m_form.productId) return r.product.capacity > 0 ? r.product.capacity : 1000;
    }
    return 1;
}

std::vector<Problem> GenerateViewModel::validate() const {
    std::vector<Problem> problems;
    if (m_machineNo.empty()) problems.push_back({"gen.err.no_machine", {}});
    if (!m_form.allProducts && m_products.end() == std::find_if(m_products.begin(), m_products.end(), [&](const ProductRow& r) {
            return r.product.id == m_form.productId;
        })) {
        problems.push_back({"gen.err.no_product", {}});
    }
    if (m_form.count < 1 || m_form.count > maxCount()) {
        problems.push_back({"gen.err.count", {std::to_string(maxCount())}});
    }
    if (m_form.length < kMinLength || m_form.length > kMaxLength) problems.push_back({"gen.err.length", {}});
    if (!m_form.never) {
        const ExpiryPreview p = preview();
        if (!p.ok) problems.push_back({"gen.err.expiry", {p.error}});
    }
    return problems;
}

ExpiryPreview GenerateViewModel::preview(const std::string& localText, const std::string& zone) {
    ExpiryPreview p;
    p.zone = zone;
    auto instant = core::tz::localToUtc(localText, zone);
    if (!instant) {
        p.error = instant.error().message;
        return p;
    }
    p.gmt8 = core::tz::toGmt8String(*instant);
    p.utc = core::tz::toIso8601Utc(*instant);
    if (*instant <= core::tz::nowUtc()) {
        p.error = "The expiry " + localText + " (" + zone + ") is in the past: choose a later time, or never.";
        return p;
    }
    p.ok = true;
    return p;
}

ExpiryPreview GenerateViewModel::preview() const {
    if (m_form.never) {
        ExpiryPreview p;
        p.ok = true;
        p.never = true;
        p.zone = m_zone;
        return p;
    }
    return preview(m_form.expiresLocal, m_zone);
}

core::services::GenerateOptions GenerateViewModel::options() const {
    core::services::GenerateOptions o;
    o.machineNo = m_machineNo;
    if (!m_form.allProducts) o.productId = m_form.productId;
    o.count = m_form.allProducts ? 1 : m_form.count;
    o.codeLength = m_form.length;
    if (!m_form.never) o.expiresLocal = m_form.expiresLocal;
    return o;
}

bool GenerateViewModel::submit() {
    if (m_state == GenerateState::Running || !validate().empty()) return false;
    m_state = GenerateState::Running;
    m_step.clear();
    m_done = 0;
    m_total = 4;
    m_result.reset();
    m_error.reset();
    m_reconciled.clear();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_backend.generate(++m_job, options(), m_cancel);
    return true;
}

bool GenerateViewModel::cancellable() const {
    // The create call itself is never interrupted (its outcome would be unknown); before it the job stops,
    // after it cancel means "stop waiting for the pushes" (CodeService::generate, GenerateOptions::cancel).
    return m_state == GenerateState::Running && m_step != kStepCreating && !(m_cancel && m_cancel->load());
}

bool GenerateViewModel::waitingForPushes() const {
    return m_state == GenerateState::Running && m_step == kStepWaiting;
}

void GenerateViewModel::cancel() {
    if (m_cancel && cancellable()) m_cancel->store(true);
}

void GenerateViewModel::reconcile() {
    if (m_reconciling || m_machineNo.empty()) return;
    m_reconciling = true;
    m_backend.reconcile(m_machineNo);
}

void GenerateViewModel::apply(const GenerateProgressed& event) {
    if (event.job != m_job) return;
    m_step = event.step;
    m_done = event.done;
    m_total = event.total;
}

void GenerateViewModel::apply(const GenerateFinished& event) {
    if (event.job != m_job) return;
    if (event.cancelled) {
        m_state = GenerateState::Cancelled;
    } else if (event.result) {
        m_state = GenerateState::Done;
        m_result = event.result;
    } else {
        m_error = event.error;
        const bool unknown = event.error && event.error->code == core::ErrorCode::OutcomeUnknown;
        m_state = unknown ? GenerateState::Unknown : GenerateState::Failed;
    }
}

void GenerateViewModel::apply(const Reconciled& event) {
    if (event.machineNo != m_machineNo) return;
    m_reconciling = false;
    m_reconciled = event.items;
    if (event.error) {
        m_error = event.error;
        return;
    }
    if (m_state == GenerateState::Unknown) m_state = GenerateState::Done;
}

}  // namespace app::desktop
