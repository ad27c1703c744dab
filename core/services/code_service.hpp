#pragma once
// What a merchant does with machines, products and pickup codes, front-end neutral:
// sync from the vendor into the store, generate codes (never retrying a create blindly),
// reconcile creates whose outcome is unknown, delete codes. Blocking: run on a worker thread.
#include "core/api/open_api_client.hpp"
#include "core/domain/types.hpp"
#include "core/store/store.hpp"
#include "core/tz/machine_time.hpp"
#include "core/util/result.hpp"

#include <functional>
#include <map>
#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace core::services {

struct GenerateOptions {
    std::string machineNo;
    std::optional<std::int64_t> productId;   // nullopt = every product (pickup_code.product.all)
    int count = 1;                           // per product; must be 1 for all products
    int codeLength = 6;                      // 6..10
    std::optional<std::string> expiresLocal; // "YYYY-MM-DD HH:MM[:SS]" in the machine's zone; nullopt = never
    tz::Ambiguity ambiguity = tz::Ambiguity::Reject;
    int pushTimeoutMs = 10000;               // wait this long for the create pushes, then list
    // Set by the caller to stop at the next safe point: before the create is sent (ErrorCode::Cancelled,
    // nothing sent), or while waiting for its pushes (the result holds what arrived; stoppedEarly).
    // The create call itself is never interrupted: that would leave its outcome unknown.
    const std::atomic<bool>* cancel = nullptr;
};

inline bool isCancelled(const GenerateOptions& options) { return options.cancel && options.cancel->load(); }

struct GenerateResult {
    std::int64_t requestId = 0;
    std::string timezone;                    // the machine zone the expiry was read in
    std::string expiresGmt8;                 // what was sent ("" = never)
    std::optional<Instant> expiresUtc;
    std::vector<PickupCode> codes;           // the new codes
    std::string source = "list";             // "push": every code came by push; "push+list"; "list"
    int pushed = 0;                          // codes that arrived by push
    std::string note;                        // why pushes were not (fully) used, for the user
    bool stoppedEarly = false;               // cancelled while waiting for pushes
    int requested = 0;                       // codes asked for (count x products)
};

struct ReconcileItem {
    std::int64_t requestId = 0;
    Outcome outcome = Outcome::Unknown;      // Ok: the create was applied; Failed: it was not
    int codesFound = 0;
};

// step text, done, total
using Progress = std::function<void(std::string_view, int, int)>;

class CreatePushSource;  // push_confirm.hpp

class CodeService {
public:
    CodeService(store::Store& store, api::OpenApiClient& api, Profile profile);

    Result<std::vector<Machine>> syncMachines();
    Result<std::vector<Product>> syncProducts(const std::string& machineNo);
    // The machine's own zone, else the profile default.
    std::string machineTimezone(const std::string& machineNo) const;
    Status setMachineTimezone(const std::string& machineNo, const std::string& timezone);

    Result<GenerateResult> generate(const GenerateOptions& options, const Progress& progress = {});
    // Lists unused codes from the vendor into the store; says how many were new and how many changed.
    Result<store::CodeMerge> refreshCodes(const std::string& machineNo, std::optional<std::int64_t> productId = std::nullopt);
    Result<std::vector<ReconcileItem>> reconcile(const std::string& machineNo);
    Status deleteCode(const std::string& machineNo, std::int64_t codeId);
    // With a push source, generate subscribes before the create and takes the new codes from the
    // create pushes, listing only what did not arrive in time. nullptr = list only (the default).
    void setCreatePushSource(CreatePushSource* source) { m_pushes = source; }
    Result<int> deleteAllCodes(const std::string& machineNo);

private:
    Result<Machine> knownMachine(const std::string& machineNo);
    Result<std::vector<Product>> targetProducts(const GenerateOptions& options);
    Result<std::string> expiryToGmt8(const GenerateOptions& options, const std::string& zone,
                                     std::optional<Instant>& expiresUtc) const;
    Result<std::vector<PickupCode>> listUnused(const std::string& machineNo, const std::vector<std::int64_t>& productIds,
                                               const Progress& progress);
    Result<std::vector<PickupCode>> adoptNewCodes(const GenerationRequest& request, std::vector<PickupCode> listed,
                                                  std::map<std::int64_t, int> room);
    Error createdButNotSaved(Error e, const GenerationRequest& request) const;
    // code_service_push.cpp
    bool armPushes(const std::string& machineNo, GenerateResult& result, const Progress& progress);
    Status collectNewCodes(const GenerateOptions& options, const GenerationRequest& request,
                           const std::vector<std::int64_t>& productIds, const std::set<std::int64_t>& beforeIds,
                           bool armed, GenerateResult& result, const Progress& progress);
    Result<std::vector<PickupCode>> claimPushed(const GenerationRequest& request, const std::vector<std::int64_t>& ids);

    store::Store& m_store;
    api::OpenApiClient& m_api;
    Profile m_profile;
    CreatePushSource* m_pushes = nullptr;
};

}  // namespace core::services
