// CodeService::generate's second half: the new codes from create pushes, listing as the fallback.
#include "core/services/code_service.hpp"
#include "core/services/push_confirm.hpp"

#include <algorithm>
#include <chrono>

namespace core::services {
namespace {

void report(const Progress& progress, std::string_view step, int done, int total) {
    if (progress) progress(step, done, total);
}

}  // namespace

bool CodeService::armPushes(const std::string& machineNo, GenerateResult& result, const Progress& progress) {
    if (m_pushes == nullptr) return false;
    report(progress, "subscribing to pushes", 1, 4);
    auto ready = m_pushes->prepare(machineNo);
    if (!ready) {
        result.note = "Pushes are not available (" + ready.error().message + "); the new codes were listed instead.";
        return false;
    }
    return true;
}

// The pushed codes are in the store already (the ingest applied them): tie them to the request.
Result<std::vector<PickupCode>> CodeService::claimPushed(const GenerationRequest& request,
                                                        const std::vector<std::int64_t>& ids) {
    std::vector<PickupCode> codes;
    for (std::int64_t id : ids) {
        auto stored = m_store.codeById(request.machineNo, id);
        if (!stored) return stored.error();
        if (!stored->has_value()) continue;
        PickupCode code = std::move(**stored);
        code.requestId = request.id;
        codes.push_back(std::move(code));
    }
    if (auto ok = m_store.upsertCodes(codes); !ok) return ok.error();
    return codes;
}

Status CodeService::collectNewCodes(const GenerateOptions& options, const GenerationRequest& request,
                                    const std::vector<std::int64_t>& productIds, const std::set<std::int64_t>& beforeIds,
                                    bool armed, GenerateResult& result, const Progress& progress) {
    const std::set<std::int64_t> products(productIds.begin(), productIds.end());
    const auto isNew = [&](const PushedCode& p) { return products.count(p.productId) && !beforeIds.count(p.id); };
    const auto countNew = [&](const std::vector<PushedCode>& arrived) {
        return static_cast<int>(std::count_if(arrived.begin(), arrived.end(), isNew));
    };
    const int expected = request.count;
    result.requested = expected;
    std::vector<std::int64_t> pushedIds;
    if (armed) {
        report(progress, "waiting for create pushes", 0, expected);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max(0, options.pushTimeoutMs));
        const auto arrived = m_pushes->collector().waitUntil(
            [&](const std::vector<PushedCode>& a) { return countNew(a) >= expected || isCancelled(options); }, deadline,
            [&](const std::vector<PushedCode>& a) { report(progress, "waiting for create pushes", countNew(a), expected); });
        m_pushes->collector().disarm();
        for (const auto& p : arrived) {
            if (isNew(p)) pushedIds.push_back(p.id);
        }
    }
    auto claimed = claimPushed(request, pushedIds);
    if (!claimed) return claimed.error();
    result.codes = std::move(*claimed);
    result.pushed = static_cast<int>(result.codes.size());
    if (armed && result.pushed >= expected) {
        result.source = "push";
        return {};
    }
    if (isCancelled(options)) {  // the user stopped waiting: the rest arrive by push or on refresh
        result.source = "push";
        result.stoppedEarly = true;
        result.note = "Stopped waiting after " + std::to_string(result.pushed) + " of " + std::to_string(expected) +
                      " codes. The request was sent; the rest appear when their pushes arrive, or run reconcile.";
        return {};
    }
    if (armed) {
        result.note = "Only " + std::to_string(result.pushed) + " of " + std::to_string(expected) +
                      " create pushes arrived within " + std::to_string(options.pushTimeoutMs / 1000) +
                      " s; the rest were listed from the vendor.";
    }

    report(progress, "fetching new codes", 3, 4);
    auto after = listUnused(options.machineNo, productIds, {});
    if (!after) {
        Error e = after.error();
        e.message = "The codes were created (request #" + std::to_string(request.id) + ") but could not be listed: " +
                    e.message + " Run `pickupctl reconcile " + options.machineNo + "` to fetch them.";
        return e;
    }
    // New = not in the snapshot taken before the create, and not already owned by another request.
    std::vector<PickupCode> listed;
    for (auto& c : *after) {
        if (beforeIds.count(c.id) || std::find(pushedIds.begin(), pushedIds.end(), c.id) != pushedIds.end()) continue;
        auto known = m_store.codeById(c.machineNo, c.id);
        if (!known) return known.error();
        if (known->has_value() && (*known)->requestId != 0 && (*known)->requestId != request.id) continue;
        c.requestId = request.id;
        listed.push_back(std::move(c));
    }
    if (auto ok = m_store.upsertCodes(listed); !ok) return ok.error();
    for (auto& c : listed) result.codes.push_back(std::move(c));
    result.source = result.pushed > 0 ? "push+list" : "list";
    return {};
}

}  // namespace core::services
