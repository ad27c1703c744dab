#pragma once
// The local SQLite store: one file in the user's data directory, WAL, foreign keys,
// versioned migrations (PRAGMA user_version). All writes of one call happen in one transaction.
// A Store object is a single connection: use it from one thread at a time.
#include "core/domain/types.hpp"
#include "core/util/result.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace SQLite {
class Database;
}

namespace core::store {

enum class CodeSort { ExpiresUtc, Code, Id, ProductId, CreatedUtc, Status, MachineNo };

struct CodeFilter {
    std::optional<std::string> machineNo;
    std::optional<std::int64_t> productId;
    // Expired is derived: stored status unused and expiresUtc < now. Unused means unused and not expired.
    std::optional<CodeStatus> status;
    std::optional<std::string> codePrefix;     // matches codes starting with this text
    std::optional<Instant> expiresFrom;        // inclusive
    std::optional<Instant> expiresTo;          // exclusive
    std::optional<std::int64_t> requestId;
    std::vector<std::int64_t> ids;             // non-empty: only these code ids (a UI selection)
    Instant now = 0;                           // 0 = current time
    CodeSort sort = CodeSort::ExpiresUtc;      // never-expiring codes sort last ascending
    bool descending = false;
    int limit = 0;                             // 0 = no limit
    int offset = 0;
};

// What Store::mergeCodes did: codes added, and stored codes whose fields it changed.
struct CodeMerge {
    int added = 0;
    int changed = 0;
};

// A machine's codes of one product by derived status (Store::codeCountsByProduct).
struct ProductCodeCounts {
    std::int64_t productId = 0;
    std::int64_t unused = 0;   // unused and not expired
    std::int64_t used = 0;
    std::int64_t expired = 0;  // unused past its expiry
};

// How Store::open treats an existing file.
struct StoreOpenOptions {
    // PRAGMA quick_check before anything is changed: reads every page (about 1-2 s per million
    // codes, docs/SECURITY.md), so the process that holds the instance lock runs it, readers skip it.
    // Damage found at open, or by any later call, is ErrorCode::Corrupt; the file is never recreated.
    bool quickCheck = false;
    // Before migrating an existing file from schema N, write <folder>/backups/<stem>-vN-<time>.db and
    // keep the newest this many: -1 = defaultBackupsToKeep() (PICKUPDESK_BACKUPS_KEEP, else 5), 0 = none.
    int migrationBackups = -1;
};

class Store;

// The rows of one code query in order, a chunk at a time, from one snapshot, so a long export
// neither skips nor repeats a row that a push changes meanwhile, and each chunk continues the same
// statement (no OFFSET re-scan: paging a 1,000,000-code export with OFFSET was quadratic). On a file
// the reader copies the rows into a temporary table of its own read-only connection when it is made
// and ends its read transaction at once: a snapshot held for a whole export kept SQLite from ever
// restarting the write-ahead log, which grew by 4.7 GB under 1,000 pushes/s (docs/BENCHMARKS.md "Soak").
// Use it on the Store's thread and destroy it before the Store.
class CodeReader {
public:
    ~CodeReader();
    CodeReader(const CodeReader&) = delete;
    CodeReader& operator=(const CodeReader&) = delete;
    // Up to `max` more rows; empty at the end.
    Result<std::vector<PickupCode>> next(int max);
    // The rows the filter matches in the snapshot, ignoring its limit and offset (as countCodes).
    std::int64_t total() const;

private:
    friend class Store;
    struct Impl;
    explicit CodeReader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

class Store {
public:
    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    // Opens (creating if needed) and migrates to the latest schema.
    static Result<std::unique_ptr<Store>> open(const std::string& path, const StoreOpenOptions& options = {});
    // A read-only connection to an existing file already at the latest schema: never creates,
    // configures, checks or migrates it. For a reader that starts before the writer has checked and
    // migrated the file (the app's first screen); NotFound when there is nothing current to read.
    static Result<std::unique_ptr<Store>> openReader(const std::string& path);
    static int latestSchemaVersion();
    // The schema version of the file at `path` without changing it: 0 when it does not exist or is
    // empty (opening would create it). Lets a reader tell that opening would write (a migration).
    static Result<int> fileSchemaVersion(const std::string& path);
    int schemaVersion() const;
    const std::string& path() const { return m_path; }

    // Profiles (no secrets). upsert matches by name and returns the id.
    Result<std::int64_t> upsertProfile(const Profile& profile);
    Result<std::vector<Profile>> listProfiles() const;
    Result<Profile> profileByName(const std::string& name) const;
    Result<std::optional<Profile>> activeProfile() const;
    Status setActiveProfile(const std::string& name);

    // Machines. upsertMachines keeps the timezone the user set; a new machine starts with ''.
    Status upsertMachines(std::int64_t profileId, const std::vector<Machine>& machines);
    Result<std::vector<Machine>> listMachines(std::int64_t profileId) const;
    Result<Machine> machine(const std::string& machineNo) const;
    Status setMachineTimezone(const std::string& machineNo, const std::string& timezone);

    // Products of one machine: replaceProducts swaps the machine's whole list in one transaction.
    Status replaceProducts(const std::string& machineNo, const std::vector<Product>& products);
    Result<std::vector<Product>> listProducts(const std::string& machineNo) const;
    Result<Product> product(const std::string& machineNo, std::int64_t productId) const;

    // Codes, keyed by (machineNo, id). upsertCodes inserts or updates in one transaction and
    // returns how many were new; mergeCodes also says how many stored codes it changed. A code that
    // arrives as it is stored is not written (its updated_utc stays).
    Result<int> upsertCodes(const std::vector<PickupCode>& codes);
    Result<CodeMerge> mergeCodes(const std::vector<PickupCode>& codes);
    Result<std::vector<PickupCode>> queryCodes(const CodeFilter& filter) const;
    Result<std::int64_t> countCodes(const CodeFilter& filter) const;
    Result<std::unique_ptr<CodeReader>> readCodes(const CodeFilter& filter) const;
    // The ids of the codes `filter` matches, in its order; filter.machineNo is required. A list view
    // sorts once and then reads any page by id (CodeFilter::ids), where OFFSET paging sorted the whole
    // machine again for each page (19 s at offset 500,000 of 1,000,000 codes, docs/BENCHMARKS.md).
    // `reuse`: storage to fill (its contents are dropped): a view that sorts again on every filter keeps
    // one buffer instead of allocating and faulting in 8 MB per 1,000,000 ids each time.
    Result<std::vector<std::int64_t>> queryCodeIds(const CodeFilter& filter, std::vector<std::int64_t> reuse = {}) const;
    // One pass over the machine's codes (a covering index scan), for products that have any.
    Result<std::vector<ProductCodeCounts>> codeCountsByProduct(const std::string& machineNo, Instant now = 0) const;
    Result<std::optional<PickupCode>> codeById(const std::string& machineNo, std::int64_t id) const;
    Status setCodeStatus(const std::string& machineNo, std::int64_t id, CodeStatus status);
    // Marks every unused code of the machine deleted (after a vendor delete-all); returns the count.
    Result<int> markAllDeleted(const std::string& machineNo);
    // The EXPLAIN QUERY PLAN lines of the SQL queryCodes runs for `filter` (tests, benchmarks).
    Result<std::vector<std::string>> explainCodeQuery(const CodeFilter& filter) const;

    // Generation requests.
    Result<std::int64_t> insertGenerationRequest(const GenerationRequest& request);
    Status finishGenerationRequest(std::int64_t id, Outcome outcome, int vendorCode,
                                   const std::string& vendorMessage, const std::string& reply);
    Status markReconciled(std::int64_t id, Instant when, Outcome outcome);
    Result<GenerationRequest> generationRequest(std::int64_t id) const;
    Result<std::vector<GenerationRequest>> listGenerationRequests(const std::optional<std::string>& machineNo,
                                                                  const std::optional<Outcome>& outcome) const;

    // Keeps the write-ahead log bounded under a steady stream of short readers (SQLite's
    // "checkpoint starvation": a passive checkpoint cannot restart the log while a reader uses it,
    // so it grows as long as commits go on). When the log is over `limitBytes`, copies it into the
    // database and truncates it, waiting at most `waitMs` for readers. True when it was truncated;
    // false when it was small enough or a reader held it past the wait (try again later).
    Result<bool> checkpointIfLarge(std::uint64_t limitBytes, int waitMs);
    std::uint64_t walBytes() const;  // the write-ahead log's size on disk (0 when there is none)

    SQLite::Database& db() { return *m_db; }  // for migrations tests and benchmarks

    // Runs `hook` on this connection's thread about every `steps` SQLite VM steps of any statement, so
    // a long query can give way to more urgent work: the hook may block for a moment (the app's query
    // worker waits while a frame is rasterised on every core). An empty hook removes it.
    void setYieldHook(std::function<void()> hook, int steps = 2000);

private:
    Store(std::string path, std::unique_ptr<SQLite::Database> db);
    std::string m_path;
    std::unique_ptr<SQLite::Database> m_db;
    std::function<void()> m_yieldHook;
};

}  // namespace core::store
