#include "core/services/code_service.hpp"
#include "core/services/push_confirm.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace core::services {
namespace {

constexpr int kMinCodeLength = 6;
constexpr int kMaxCodeLength = 10;
// A reconciled create's codes were made within this window around the request time (clock skew, latency).
constexpr Instant kAdoptBefore = 120;
constexpr Instant kAdoptAfter = 900;

void report(const Progress& progress, std::string_view step, int done, int total) {
    if (progress) progress(step, done, total);
}

}  // namespace

CodeService::CodeService(store::Store& store, api::OpenApiClient& api, Profile profile)
    : m_store(store), m_api(api), m_profile(std::move(profile)) {}

Result<std::vector<Machine>> CodeService::syncMachines() {
    auto remote = m_api.machines();
    if (!remote) return remote.error();
    const Instant now = tz::nowUtc();
    for (auto& m : *remote) {
        m.profileId = m_profile.id;
        m.updatedUtc = now;
    }
    if (auto ok = m_store.upsertMachines(m_profile.id, *remote); !ok) return ok.error();
    return m_store.listMachines(m_profile.id);
}

Result<std::vector<Product>> CodeService::syncProducts(const std::string& machineNo) {
    if (auto machine = knownMachine(machineNo); !machine) return machine.error();
    auto remote = m_api.products(machineNo);
    if (!remote) return remote.error();
    const Instant now = tz::nowUtc();
    for (auto& p : *remote) p.updatedUtc = now;
    if (auto ok = m_store.replaceProducts(machineNo, *remote); !ok) return ok.error();
    return m_store.listProducts(machineNo);
}

std::string CodeService::machineTimezone(const std::string& machineNo) const {
    auto machine = m_store.machine(machineNo);
    if (machine && !machine->timezone.empty()) return machine->timezone;
    return m_profile.defaultTimezone.empty() ? std::string(tz::kDefaultZone) : m_profile.defaultTimezone;
}

Status CodeService::setMachineTimezone(const std::string& machineNo, const std::string& timezone) {
    if (!tz::isValidZone(timezone)) {
        return makeError(ErrorCode::InvalidInput, "Unknown time zone '" + timezone + "': use an IANA name such as Asia/Shanghai.");
    }
    if (auto machine = knownMachine(machineNo); !machine) return machine.error();
    return m_store.setMachineTimezone(machineNo, timezone);
}

Result<Machine> CodeService::knownMachine(const std::string& machineNo) {
    if (auto machine = m_store.machine(machineNo)) return machine;
    if (auto synced = syncMachines(); !synced) return synced.error();
    auto machine = m_store.machine(machineNo);
    if (!machine) {
        return makeError(ErrorCode::NotFound, "Machine " + machineNo + " is not in this account's machine list. "
                                              "Check the number with `pickupctl machines`.");
    }
    return machine;
}

Result<std::vector<Product>> CodeService::targetProducts(const GenerateOptions& options) {
    auto products = m_store.listProducts(options.machineNo);
    const auto has = [&](const std::vector<Product>& list) {
        return std::any_of(list.begin(), list.end(), [&](const Product& p) { return !options.productId || p.id == *options.productId; });
    };
    if (!products || !has(*products)) {
        products = syncProducts(options.machineNo);
        if (!products) return products.error();
    }
    if (!options.productId) {
        if (products->empty()) {
            return makeError(ErrorCode::NotFound, "Machine " + options.machineNo + " has no products to make codes for.");
        }
        return products;
    }
    for (const auto& p : *products) {
        if (p.id != *options.productId) continue;
        if (p.capacity > 0 && options.count > p.capacity) {
            return makeError(ErrorCode::InvalidInput,
                             "Count " + std::to_string(options.count) + " is more than the capacity of product " +
                                 std::to_string(p.id) + " (" + p.name + "): at most " + std::to_string(p.capacity) +
                                 " codes per request, the product's maximum stock.");
        }
        return std::vector<Product>{p};
    }
    return makeError(ErrorCode::NotFound, "Product " + std::to_string(*options.productId) + " is not on machine " +
                                              options.machineNo + ". List its products with `pickupctl products " +
                                              options.machineNo + "`.");
}

Result<std::string> CodeService::expiryToGmt8(const GenerateOptions& options, const std::string& zone,
                                              std::optional<Instant>& expiresUtc) const {
    if (!options.expiresLocal) return std::string();
    auto instant = tz::localToUtc(*options.expiresLocal, zone, options.ambiguity);
    if (!instant) return instant.error();
    if (*instant <= tz::nowUtc()) {
        return makeError(ErrorCode::InvalidInput, "The expiry " + *options.expiresLocal + " (" + zone +
                                                      ") is in the past: choose a later time, or --never.");
    }
    expiresUtc = *instant;
    return tz::toGmt8String(*instant);
}

Result<std::vector<PickupCode>> CodeService::listUnused(const std::string& machineNo,
                                                       const std::vector<std::int64_t>& productIds,
                                                       const Progress& progress) {
    std::vector<PickupCode> all;
    int done = 0;
    for (std::int64_t productId : productIds) {
        auto codes = m_api.unusedCodes(machineNo, productId);
        if (!codes) return codes.error();
        for (auto& c : *codes) all.push_back(std::move(c));
        report(progress, "listing codes", ++done, static_cast<int>(productIds.size()));
    }
    return all;
}

// Reconcile: the codes of `listed` that `request` made, at most `room` more per product (the create
// made exactly that many; codes beyond belong to another interrupted request or to the vendor's own
// console). Codes the store has never seen were made after the last listing, so they come first; then
// codes stored without a request and created around the request time, newest first (requests are
// reconciled newest first). Everything listed is stored; only the adopted codes get the request id.
Result<std::vector<PickupCode>> CodeService::adoptNewCodes(const GenerationRequest& request, std::vector<PickupCode> listed,
                                                           std::map<std::int64_t, int> room) {
    struct Candidate {
        bool unseen = false;
        std::size_t index = 0;
    };
    std::vector<Candidate> candidates;
    std::vector<bool> adopt(listed.size(), false);
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const PickupCode& c = listed[i];
        auto known = m_store.codeById(c.machineNo, c.id);
        if (!known) return known.error();
        const bool unseen = !known->has_value();
        const bool unattributed = !unseen && (*known)->requestId == 0;
        const bool inWindow = c.createdUtc && *c.createdUtc >= request.requestedUtc - kAdoptBefore &&
                              *c.createdUtc <= request.requestedUtc + kAdoptAfter;
        if (unseen || (unattributed && inWindow)) candidates.push_back({unseen, i});
    }
    std::stable_sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
        if (a.unseen != b.unseen) return a.unseen;
        return listed[a.index].id > listed[b.index].id;
    });
    for (const Candidate& c : candidates) {
        int& left = room[listed[c.index].productId];
        if (left <= 0) continue;
        --left;
        adopt[c.index] = true;
    }
    std::vector<PickupCode> adopted;
    std::vector<PickupCode> others;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        if (adopt[i]) listed[i].requestId = request.id;
        (adopt[i] ? adopted : others).push_back(std::move(listed[i]));
    }
    if (auto ok = m_store.upsertCodes(others); !ok) return ok.error();
    if (auto ok = m_store.upsertCodes(adopted); !ok) return ok.error();
    return adopted;
}

// After the create succeeded, a failure to store its codes must not read "try again": the create is
// not idempotent. The request stays pending for reconcile.
Error CodeService::createdButNotSaved(Error e, const GenerationRequest& request) const {
    if (e.code != ErrorCode::Storage) return e;
    e.message = "The vendor created the codes (request #" + std::to_string(request.id) +
                ") but they could not be saved here: " + e.message + " Once that is fixed, run `pickupctl reconcile " +
                request.machineNo + "` to store them; generating again would make more codes.";
    return e;
}

Result<GenerateResult> CodeService::generate(const GenerateOptions& options, const Progress& progress) {
    if (options.codeLength < kMinCodeLength || options.codeLength > kMaxCodeLength) {
        return makeError(ErrorCode::InvalidInput, "Code length must be 6 to 10 digits.");
    }
    if (options.count < 1) return makeError(ErrorCode::InvalidInput, "Count must be at least 1.");
    if (!options.productId && options.count != 1) {
        return makeError(ErrorCode::InvalidInput, "With all products the vendor makes exactly one code per product: drop --count.");
    }
    report(progress, "checking machine", 0, 4);
    if (auto machine = knownMachine(options.machineNo); !machine) return machine.error();
    GenerateResult result;
    result.timezone = machineTimezone(options.machineNo);
    auto gmt8 = expiryToGmt8(options, result.timezone, result.expiresUtc);
    if (!gmt8) return gmt8.error();
    result.expiresGmt8 = *gmt8;
    auto products = targetProducts(options);
    if (!products) return products.error();
    std::vector<std::int64_t> productIds;
    for (const auto& p : *products) productIds.push_back(p.id);

    // Snapshot the codes that exist now, so the new ones can be told apart afterwards.
    if (isCancelled(options)) return makeError(ErrorCode::Cancelled, "Cancelled before anything was sent to the vendor.");
    report(progress, "listing existing codes", 1, 4);
    auto before = listUnused(options.machineNo, productIds, {});
    if (!before) return before.error();
    if (auto ok = m_store.upsertCodes(*before); !ok) return ok.error();
    std::set<std::int64_t> beforeIds;
    for (const auto& c : *before) beforeIds.insert(c.id);
    // Subscribed before the create is sent, so no create push can be missed.
    const bool armed = armPushes(options.machineNo, result, progress);
    if (isCancelled(options)) {
        if (armed) m_pushes->collector().disarm();
        return makeError(ErrorCode::Cancelled, "Cancelled before anything was sent to the vendor.");
    }

    GenerationRequest request;
    request.profileId = m_profile.id;
    request.machineNo = options.machineNo;
    request.method = options.productId ? "pickup_code.product.id" : "pickup_code.product.all";
    request.productId = options.productId;
    request.count = options.productId ? options.count : static_cast<int>(productIds.size());
    request.codeLength = options.codeLength;
    request.expiresGmt8 = result.expiresGmt8;
    request.requestedUtc = tz::nowUtc();
    auto requestId = m_store.insertGenerationRequest(request);
    if (!requestId) return requestId.error();
    request.id = result.requestId = *requestId;

    report(progress, "creating codes", 2, 4);
    api::CreateCodesRequest create{options.machineNo, options.productId, options.count, options.codeLength, result.expiresGmt8};
    auto created = m_api.createCodes(create);
    if (!created) {
        const Error& e = created.error();
        const Outcome outcome = e.code == ErrorCode::OutcomeUnknown ? Outcome::Unknown : Outcome::Failed;
        (void)m_store.finishGenerationRequest(request.id, outcome, e.vendorCode,
                                              e.vendorMessage.empty() ? e.message : e.vendorMessage, "");
        return e;
    }
    // Recorded `ok` only once its codes are stored: a crash or a full disk before that leaves the request
    // pending with the codes it has, and reconcile completes it (never a request `ok` with half its codes).
    if (auto ok = collectNewCodes(options, request, productIds, beforeIds, armed, result, progress); !ok) {
        return createdButNotSaved(ok.error(), request);
    }
    if (!result.stoppedEarly) {  // a stopped wait stays pending: reconcile (or the pushes) bring the rest
        if (auto ok = m_store.finishGenerationRequest(request.id, Outcome::Ok, 0, "ok", *created); !ok) {
            return createdButNotSaved(ok.error(), request);
        }
    }
    report(progress, "done", 4, 4);
    return result;
}

Result<store::CodeMerge> CodeService::refreshCodes(const std::string& machineNo, std::optional<std::int64_t> productId) {
    std::vector<std::int64_t> ids;
    if (productId) {
        ids.push_back(*productId);
    } else {
        auto products = m_store.listProducts(machineNo);
        if (!products) return products.error();
        for (const auto& p : *products) ids.push_back(p.id);
    }
    auto listed = listUnused(machineNo, ids, {});
    if (!listed) return listed.error();
    return m_store.mergeCodes(*listed);
}

Result<std::vector<ReconcileItem>> CodeService::reconcile(const std::string& machineNo) {
    auto requests = m_store.listGenerationRequests(machineNo, std::nullopt);
    if (!requests) return requests.error();
    std::vector<ReconcileItem> items;
    for (const auto& request : *requests) {
        const bool unknown = request.outcome == Outcome::Unknown || request.outcome == Outcome::Pending;
        if (!unknown || request.reconciledUtc) continue;
        std::vector<std::int64_t> ids;
        if (request.productId) {
            ids.push_back(*request.productId);
        } else {
            auto products = m_store.listProducts(machineNo);
            if (!products) return products.error();
            for (const auto& p : *products) ids.push_back(p.id);
        }
        auto listed = listUnused(machineNo, ids, {});
        if (!listed) return listed.error();
        // Codes it already owns (stored before a crash between saving them and recording `ok`) count.
        store::CodeFilter mine;
        mine.machineNo = machineNo;
        mine.requestId = request.id;
        auto owned = m_store.queryCodes(mine);
        if (!owned) return owned.error();
        std::map<std::int64_t, int> room;
        for (std::int64_t id : ids) room[id] = request.productId ? request.count : 1;
        for (const auto& c : *owned) --room[c.productId];
        auto adopted = adoptNewCodes(request, std::move(*listed), std::move(room));
        if (!adopted) return adopted.error();
        const int found = static_cast<int>(owned->size() + adopted->size());
        const Outcome outcome = found == 0 ? Outcome::Failed : Outcome::Ok;
        if (auto ok = m_store.markReconciled(request.id, tz::nowUtc(), outcome); !ok) return ok.error();
        items.push_back({request.id, outcome, found});
    }
    return items;
}

Status CodeService::deleteCode(const std::string& machineNo, std::int64_t codeId) {
    if (auto ok = m_api.deleteCode(machineNo, codeId); !ok) return ok;
    return m_store.setCodeStatus(machineNo, codeId, CodeStatus::Deleted);
}

Result<int> CodeService::deleteAllCodes(const std::string& machineNo) {
    if (auto ok = m_api.deleteAllCodes(machineNo); !ok) return ok.error();
    return m_store.markAllDeleted(machineNo);
}

}  // namespace core::services
