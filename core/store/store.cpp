#include "core/store/store.hpp"

#include "core/config/paths.hpp"
#include "core/store/backup.hpp"
#include "core/store/backup_detail.hpp"
#include "core/store/migrations.hpp"
#include "core/store/store_detail.hpp"
#include "core/tz/machine_time.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <system_error>

namespace core::store {

using detail::guarded;
using detail::invalidInput;
using detail::notFound;

namespace {

constexpr const char* kProfileColumns =
    "id, name, base_url, app_id, sign_encoding, default_timezone, ca_file, active, mqtt_url, mqtt_user, mqtt_version, "
    "mqtt_ca_file, mqtt_client_cert, mqtt_client_key, mqtt_client_id";
constexpr const char* kMachineColumns = "profile_id, machine_no, name, address, timezone, online, status, updated_utc";
constexpr const char* kProductColumns =
    "machine_no, id, name, channel, cabinet, addr, price, current_inventory, capacity, category, updated_utc";
constexpr const char* kRequestColumns =
    "id, profile_id, machine_no, method, product_id, count, code_length, expires_gmt8, requested_utc, "
    "outcome, vendor_code, vendor_message, reply, reconciled_utc";

Profile readProfile(SQLite::Statement& q) {
    Profile p;
    p.id = q.getColumn(0).getInt64();
    p.name = q.getColumn(1).getString();
    p.baseUrl = q.getColumn(2).getString();
    p.appId = q.getColumn(3).getString();
    p.signEncoding = q.getColumn(4).getString();
    p.defaultTimezone = q.getColumn(5).getString();
    p.caFile = q.getColumn(6).getString();
    p.active = q.getColumn(7).getInt() != 0;
    p.mqttUrl = q.getColumn(8).getString();
    p.mqttUser = q.getColumn(9).getString();
    p.mqttVersion = q.getColumn(10).getInt();
    p.mqttCaFile = q.getColumn(11).getString();
    p.mqttClientCert = q.getColumn(12).getString();
    p.mqttClientKey = q.getColumn(13).getString();
    p.mqttClientId = q.getColumn(14).getString();
    return p;
}

Machine readMachine(SQLite::Statement& q) {
    Machine m;
    m.profileId = q.getColumn(0).getInt64();
    m.machineNo = q.getColumn(1).getString();
    m.name = q.getColumn(2).getString();
    m.address = q.getColumn(3).getString();
    m.timezone = q.getColumn(4).getString();
    m.online = q.getColumn(5).getInt() != 0;
    m.status = q.getColumn(6).getString();
    m.updatedUtc = q.getColumn(7).getInt64();
    return m;
}

Product readProduct(SQLite::Statement& q) {
    Product p;
    p.machineNo = q.getColumn(0).getString();
    p.id = q.getColumn(1).getInt64();
    p.name = q.getColumn(2).getString();
    p.channel = q.getColumn(3).getString();
    p.cabinet = q.getColumn(4).getString();
    p.addr = q.getColumn(5).getInt();
    p.price = q.getColumn(6).getString();
    p.currentInventory = q.getColumn(7).getInt();
    p.capacity = q.getColumn(8).getInt();
    p.category = q.getColumn(9).getString();
    p.updatedUtc = q.getColumn(10).getInt64();
    return p;
}

GenerationRequest readRequest(SQLite::Statement& q) {
    GenerationRequest r;
    r.id = q.getColumn(0).getInt64();
    r.profileId = q.getColumn(1).getInt64();
    r.machineNo = q.getColumn(2).getString();
    r.method = q.getColumn(3).getString();
    r.productId = detail::optionalInt(q.getColumn(4));
    r.count = q.getColumn(5).getInt();
    r.codeLength = q.getColumn(6).getInt();
    r.expiresGmt8 = q.getColumn(7).getString();
    r.requestedUtc = q.getColumn(8).getInt64();
    r.outcome = parseOutcome(q.getColumn(9).getString()).value_or(Outcome::Unknown);
    r.vendorCode = q.getColumn(10).getInt();
    r.vendorMessage = q.getColumn(11).getString();
    r.reply = q.getColumn(12).getString();
    r.reconciledUtc = detail::optionalInt(q.getColumn(13));
    return r;
}

Status createParentDirectory(const std::string& path) {
    if (path == ":memory:") return {};
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) return {};
    // User-only (0700): the folder holds codes, pushes and their WAL.
    return config::ensurePrivateDir(parent.string());
}

// Connection settings; WAL must be set outside a transaction, before any migration.
Status configure(SQLite::Database& db, const std::string& path) {
    const std::string mode = db.execAndGet("PRAGMA journal_mode=WAL").getString();
    if (mode != "wal" && !(path == ":memory:" && mode == "memory")) {
        return makeError(ErrorCode::Storage, "The database '" + path +
                                                 "' cannot use write-ahead logging (journal mode is '" + mode +
                                                 "'). Put the data directory on a local disk.");
    }
    db.exec("PRAGMA foreign_keys=ON");
    db.exec("PRAGMA synchronous=NORMAL");
    db.exec("PRAGMA cache_size=-" + std::to_string(detail::kCacheKiB));
    // PICKUPDESK_DB_MAX_PAGES=N caps the file at N pages (4 KiB each): writes beyond fail with SQLITE_FULL,
    // as on a full disk. For fault tests and support (docs/CLI.md); it never shrinks a file.
    if (const char* pages = std::getenv("PICKUPDESK_DB_MAX_PAGES"); pages != nullptr && *pages != '\0') {
        const std::string digits(pages);
        if (digits.find_first_not_of("0123456789") != std::string::npos || digits.size() > 12) {
            return makeError(ErrorCode::InvalidInput, "PICKUPDESK_DB_MAX_PAGES must be a number of pages, not '" + digits + "'.");
        }
        db.exec("PRAGMA max_page_count=" + digits);
    }
    return {};
}

bool hasContent(const std::string& path) {
    if (path == ":memory:") return false;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    return !ec && size > 0;
}

// The automatic backup before migrating an existing file from schema `from`.
Status backupBeforeMigration(const std::string& path, int from, int keep) {
    if (from < 1) return {};  // an empty file: nothing to keep
    auto made = detail::backupBeforeMigration(path, from, keep);
    if (made) return {};
    return makeError(made.error().code, "Could not back up the database before upgrading it from schema version " +
                                            std::to_string(from) + ": " + made.error().message +
                                            " Nothing was changed. Free some disk space, or set "
                                            "PICKUPDESK_BACKUPS_KEEP=0 to upgrade without a backup.");
}

}  // namespace

Store::Store(std::string path, std::unique_ptr<SQLite::Database> db) : m_path(std::move(path)), m_db(std::move(db)) {}

Store::~Store() = default;

void Store::setYieldHook(std::function<void()> hook, int steps) {
    m_yieldHook = std::move(hook);
    if (!m_yieldHook) {
        sqlite3_progress_handler(m_db->getHandle(), 0, nullptr, nullptr);
        return;
    }
    sqlite3_progress_handler(
        m_db->getHandle(), steps,
        [](void* self) {
            static_cast<Store*>(self)->m_yieldHook();
            return 0;  // never interrupts the statement
        },
        this);
}

Result<int> Store::fileSchemaVersion(const std::string& path) {
    if (!hasContent(path)) return 0;
    return guarded(path, "read the database's schema version", [&]() -> Result<int> {
        SQLite::Database db(path, SQLite::OPEN_READONLY, detail::kBusyTimeoutMs);
        return detail::readUserVersion(db);
    });
}

std::uint64_t Store::walBytes() const {
    std::error_code ec;
    const auto size = std::filesystem::file_size(m_path + "-wal", ec);
    return ec ? 0 : static_cast<std::uint64_t>(size);
}

namespace {

// The busy timeout for one statement, then the usual one again (also when it throws).
class BusyTimeoutFor {
public:
    BusyTimeoutFor(SQLite::Database& db, int ms) : m_db(db) { m_db.setBusyTimeout(ms); }
    ~BusyTimeoutFor() {
        try {
            m_db.setBusyTimeout(detail::kBusyTimeoutMs);
        } catch (const std::exception&) {  // setting a busy handler does not fail; never throw here
        }
    }
    BusyTimeoutFor(const BusyTimeoutFor&) = delete;
    BusyTimeoutFor& operator=(const BusyTimeoutFor&) = delete;

private:
    SQLite::Database& m_db;
};

}  // namespace

Result<bool> Store::checkpointIfLarge(std::uint64_t limitBytes, int waitMs) {
    if (walBytes() <= limitBytes) return false;
    return guarded(m_path, "checkpoint the write-ahead log", [&]() -> Result<bool> {
        BusyTimeoutFor wait(*m_db, waitMs);
        try {
            SQLite::Statement checkpoint(*m_db, "PRAGMA wal_checkpoint(TRUNCATE)");
            return checkpoint.executeStep() && checkpoint.getColumn(0).getInt() == 0;  // 1 = a reader held it
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_BUSY || e.getErrorCode() == SQLITE_LOCKED) return false;
            throw;
        }
    });
}

int Store::latestSchemaVersion() {
    return detail::latestVersion();
}

Result<std::unique_ptr<Store>> Store::open(const std::string& path, const StoreOpenOptions& options) {
    if (path.empty()) return invalidInput("No database path given: choose a data directory.");
    if (auto dir = createParentDirectory(path); !dir) return dir.error();
    const bool existing = hasContent(path);
    const int keep = options.migrationBackups < 0 ? defaultBackupsToKeep() : options.migrationBackups;
    return guarded(path, "open the database", [&]() -> Result<std::unique_ptr<Store>> {
        // NOMUTEX: a Store is used from one thread at a time, so SQLite's per-call locking is waste.
        auto db = std::make_unique<SQLite::Database>(
            path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, detail::kBusyTimeoutMs);
        // Check the version before changing anything, so a newer file is left untouched.
        const int version = detail::readUserVersion(*db);
        if (version > detail::latestVersion()) {
            return makeError(ErrorCode::Storage, "The database '" + path +
                                                     "' was made by a newer Pickup Desk (schema version " +
                                                     std::to_string(version) + ", this version knows up to " +
                                                     std::to_string(detail::latestVersion()) +
                                                     "). Update Pickup Desk; the file was not changed.");
        }
        // Before anything is written (journal mode, migration), so a damaged file stays as it was.
        if (existing && options.quickCheck) {
            if (auto checked = detail::quickCheck(*db, path); !checked) return checked.error();
        }
        if (auto configured = configure(*db, path); !configured) return configured.error();
        std::function<Status(int)> backup;
        // Only the connection that upgrades the file as it was found backs it up: another one
        // (another process, or the app's other workers) that arrives midway finds a newer version.
        if (existing && keep > 0) {
            backup = [&](int from) { return from == version ? backupBeforeMigration(path, from, keep) : Status{}; };
        }
        if (auto migrated = detail::migrate(*db, path, backup); !migrated) return migrated.error();
        return std::unique_ptr<Store>(new Store(path, std::move(db)));
    });
}

Result<std::unique_ptr<Store>> Store::openReader(const std::string& path) {
    if (!hasContent(path)) return makeError(ErrorCode::NotFound, "There is no database at '" + path + "' yet.");
    return guarded(path, "open the database for reading", [&]() -> Result<std::unique_ptr<Store>> {
        auto db = std::make_unique<SQLite::Database>(path, SQLite::OPEN_READONLY | SQLite::OPEN_NOMUTEX,
                                                     detail::kBusyTimeoutMs);
        if (const int version = detail::readUserVersion(*db); version != detail::latestVersion()) {
            return makeError(ErrorCode::NotFound, "The database '" + path + "' is at schema version " +
                                                      std::to_string(version) + ", not " +
                                                      std::to_string(detail::latestVersion()) + ": open it to migrate.");
        }
        db->exec("PRAGMA cache_size=-" + std::to_string(detail::kReaderCacheKiB));
        return std::unique_ptr<Store>(new Store(path, std::move(db)));
    });
}

int Store::schemaVersion() const {
    try {
        return detail::readUserVersion(*m_db);
    } catch (const std::exception&) {
        return -1;
    }
}

// ---- Profiles ----

Result<std::int64_t> Store::upsertProfile(const Profile& profile) {
    if (profile.name.empty()) return invalidInput("A profile needs a name: enter one and save again.");
    return guarded(m_path, "save profile '" + profile.name + "'", [&]() -> Result<std::int64_t> {
        SQLite::Transaction tx(*m_db);
        SQLite::Statement q(*m_db,
                            "INSERT INTO profiles(name, base_url, app_id, sign_encoding, default_timezone, ca_file, "
                            "mqtt_url, mqtt_user, mqtt_version, mqtt_ca_file, mqtt_client_cert, mqtt_client_key, "
                            "mqtt_client_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                            "base_url = excluded.base_url, app_id = excluded.app_id, "
                            "sign_encoding = excluded.sign_encoding, default_timezone = excluded.default_timezone, "
                            "ca_file = excluded.ca_file, mqtt_url = excluded.mqtt_url, mqtt_user = excluded.mqtt_user, "
                            "mqtt_version = excluded.mqtt_version, mqtt_ca_file = excluded.mqtt_ca_file, "
                            "mqtt_client_cert = excluded.mqtt_client_cert, mqtt_client_key = excluded.mqtt_client_key, "
                            "mqtt_client_id = excluded.mqtt_client_id RETURNING id");
        q.bind(1, profile.name);
        q.bind(2, profile.baseUrl);
        q.bind(3, profile.appId);
        q.bind(4, profile.signEncoding);
        q.bind(5, profile.defaultTimezone);
        q.bind(6, profile.caFile);
        q.bind(7, profile.mqttUrl);
        q.bind(8, profile.mqttUser);
        q.bind(9, profile.mqttVersion);
        q.bind(10, profile.mqttCaFile);
        q.bind(11, profile.mqttClientCert);
        q.bind(12, profile.mqttClientKey);
        q.bind(13, profile.mqttClientId);
        q.executeStep();
        const std::int64_t id = q.getColumn(0).getInt64();
        q.reset();
        if (profile.active) {
            SQLite::Statement clear(*m_db, "UPDATE profiles SET active = 0 WHERE active = 1 AND id <> ?");
            clear.bind(1, id);
            clear.exec();
            SQLite::Statement set(*m_db, "UPDATE profiles SET active = 1 WHERE id = ?");
            set.bind(1, id);
            set.exec();
        }
        tx.commit();
        return id;
    });
}

Result<std::vector<Profile>> Store::listProfiles() const {
    return guarded(m_path, "list profiles", [&]() -> Result<std::vector<Profile>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kProfileColumns + " FROM profiles ORDER BY name");
        std::vector<Profile> out;
        while (q.executeStep()) out.push_back(readProfile(q));
        return out;
    });
}

Result<Profile> Store::profileByName(const std::string& name) const {
    return guarded(m_path, "read profile '" + name + "'", [&]() -> Result<Profile> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kProfileColumns + " FROM profiles WHERE name = ?");
        q.bind(1, name);
        if (!q.executeStep())
            return notFound("There is no profile named '" + name + "': create it first or pick an existing one.");
        return readProfile(q);
    });
}

Result<std::optional<Profile>> Store::activeProfile() const {
    return guarded(m_path, "read the active profile", [&]() -> Result<std::optional<Profile>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kProfileColumns + " FROM profiles WHERE active = 1");
        if (!q.executeStep()) return std::optional<Profile>{};
        return std::optional<Profile>{readProfile(q)};
    });
}

Status Store::setActiveProfile(const std::string& name) {
    return guarded(m_path, "make profile '" + name + "' active", [&]() -> Status {
        SQLite::Transaction tx(*m_db);
        SQLite::Statement clear(*m_db, "UPDATE profiles SET active = 0 WHERE active = 1 AND name <> ?");
        clear.bind(1, name);
        clear.exec();
        SQLite::Statement set(*m_db, "UPDATE profiles SET active = 1 WHERE name = ?");
        set.bind(1, name);
        if (set.exec() == 0)
            return notFound("There is no profile named '" + name + "': create it first or pick an existing one.");
        tx.commit();
        return {};
    });
}

// ---- Machines ----

Status Store::upsertMachines(std::int64_t profileId, const std::vector<Machine>& machines) {
    return guarded(m_path, "save machines", [&]() -> Status {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM profiles WHERE id = ?");
        exists.bind(1, profileId);
        if (!exists.executeStep())
            return notFound("Profile id " + std::to_string(profileId) + " does not exist: save the profile first.");
        SQLite::Transaction tx(*m_db);
        // The timezone is the user's choice: set to '' for a new machine, never overwritten here.
        SQLite::Statement q(
            *m_db,
            "INSERT INTO machines(machine_no, profile_id, name, address, timezone, online, status, updated_utc) "
            "VALUES(?, ?, ?, ?, '', ?, ?, ?) ON CONFLICT(machine_no) DO UPDATE SET "
            "profile_id = excluded.profile_id, name = excluded.name, address = excluded.address, "
            "online = excluded.online, status = excluded.status, updated_utc = excluded.updated_utc");
        const Instant now = detail::currentTime();
        for (const Machine& m : machines) {
            if (m.machineNo.empty())
                return invalidInput("A machine without a machine number cannot be saved; nothing was saved.");
            q.bind(1, m.machineNo);
            q.bind(2, profileId);
            q.bind(3, m.name);
            q.bind(4, m.address);
            q.bind(5, m.online ? 1 : 0);
            q.bind(6, m.status);
            q.bind(7, m.updatedUtc != 0 ? m.updatedUtc : now);
            q.exec();
            q.reset();
        }
        tx.commit();
        return {};
    });
}

Result<std::vector<Machine>> Store::listMachines(std::int64_t profileId) const {
    return guarded(m_path, "list machines", [&]() -> Result<std::vector<Machine>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kMachineColumns +
                                       " FROM machines WHERE profile_id = ? ORDER BY machine_no");
        q.bind(1, profileId);
        std::vector<Machine> out;
        while (q.executeStep()) out.push_back(readMachine(q));
        return out;
    });
}

Result<Machine> Store::machine(const std::string& machineNo) const {
    return guarded(m_path, "read machine " + machineNo, [&]() -> Result<Machine> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kMachineColumns + " FROM machines WHERE machine_no = ?");
        q.bind(1, machineNo);
        if (!q.executeStep())
            return notFound("Machine " + machineNo + " is not in the local store: sync the machine list first.");
        return readMachine(q);
    });
}

Status Store::setMachineTimezone(const std::string& machineNo, const std::string& timezone) {
    if (!timezone.empty() && !tz::isValidZone(timezone)) {
        return invalidInput("Unknown time zone '" + timezone +
                            "': use an IANA name such as Asia/Shanghai, or leave it empty for the profile default.");
    }
    return guarded(m_path, "set the time zone of machine " + machineNo, [&]() -> Status {
        SQLite::Statement q(*m_db, "UPDATE machines SET timezone = ? WHERE machine_no = ?");
        q.bind(1, timezone);
        q.bind(2, machineNo);
        if (q.exec() == 0)
            return notFound("Machine " + machineNo + " is not in the local store: sync the machine list first.");
        return {};
    });
}

// ---- Products ----

Status Store::replaceProducts(const std::string& machineNo, const std::vector<Product>& products) {
    return guarded(m_path, "save the products of machine " + machineNo, [&]() -> Status {
        SQLite::Statement exists(*m_db, "SELECT 1 FROM machines WHERE machine_no = ?");
        exists.bind(1, machineNo);
        if (!exists.executeStep())
            return notFound("Machine " + machineNo +
                            " is not in the local store: sync the machine list before its products.");
        SQLite::Transaction tx(*m_db);
        SQLite::Statement clear(*m_db, "DELETE FROM products WHERE machine_no = ?");
        clear.bind(1, machineNo);
        clear.exec();
        SQLite::Statement q(
            *m_db,
            "INSERT INTO products(machine_no, id, name, channel, cabinet, addr, price, "
            "current_inventory, capacity, category, updated_utc) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        const Instant now = detail::currentTime();
        for (const Product& p : products) {
            if (!p.machineNo.empty() && p.machineNo != machineNo) {
                return invalidInput("Product " + std::to_string(p.id) + " belongs to machine " + p.machineNo +
                                    ", not " + machineNo + "; nothing was saved.");
            }
            q.bind(1, machineNo);
            q.bind(2, p.id);
            q.bind(3, p.name);
            q.bind(4, p.channel);
            q.bind(5, p.cabinet);
            q.bind(6, p.addr);
            q.bind(7, p.price);
            q.bind(8, p.currentInventory);
            q.bind(9, p.capacity);
            q.bind(10, p.category);
            q.bind(11, p.updatedUtc != 0 ? p.updatedUtc : now);
            q.exec();
            q.reset();
        }
        tx.commit();
        return {};
    });
}

Result<std::vector<Product>> Store::listProducts(const std::string& machineNo) const {
    return guarded(m_path, "list the products of machine " + machineNo, [&]() -> Result<std::vector<Product>> {
        SQLite::Statement q(
            *m_db, std::string("SELECT ") + kProductColumns + " FROM products WHERE machine_no = ? ORDER BY id");
        q.bind(1, machineNo);
        std::vector<Product> out;
        while (q.executeStep()) out.push_back(readProduct(q));
        return out;
    });
}

Result<Product> Store::product(const std::string& machineNo, std::int64_t productId) const {
    return guarded(m_path, "read a product", [&]() -> Result<Product> {
        SQLite::Statement q(
            *m_db, std::string("SELECT ") + kProductColumns + " FROM products WHERE machine_no = ? AND id = ?");
        q.bind(1, machineNo);
        q.bind(2, productId);
        if (!q.executeStep()) {
            return notFound("Product " + std::to_string(productId) + " of machine " + machineNo +
                            " is not in the local store: sync the products first.");
        }
        return readProduct(q);
    });
}

// ---- Generation requests ----

Result<std::int64_t> Store::insertGenerationRequest(const GenerationRequest& r) {
    if (r.machineNo.empty()) return invalidInput("A generation request needs a machine number.");
    if (r.count < 1) return invalidInput("A generation request must ask for at least one code.");
    return guarded(m_path, "record a code generation request", [&]() -> Result<std::int64_t> {
        SQLite::Statement q(
            *m_db,
            "INSERT INTO generation_requests(profile_id, machine_no, method, product_id, count, code_length, "
            "expires_gmt8, requested_utc, outcome, vendor_code, vendor_message, reply, reconciled_utc) "
            "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, r.profileId);
        q.bind(2, r.machineNo);
        q.bind(3, r.method);
        detail::bindOptional(q, 4, r.productId);
        q.bind(5, r.count);
        q.bind(6, r.codeLength);
        q.bind(7, r.expiresGmt8);
        q.bind(8, detail::orNow(r.requestedUtc));
        q.bind(9, outcomeName(r.outcome));
        q.bind(10, r.vendorCode);
        q.bind(11, r.vendorMessage);
        q.bind(12, r.reply);
        detail::bindOptional(q, 13, r.reconciledUtc);
        q.exec();
        return std::int64_t{m_db->getLastInsertRowid()};
    });
}

Status Store::finishGenerationRequest(std::int64_t id, Outcome outcome, int vendorCode,
                                      const std::string& vendorMessage, const std::string& reply) {
    return guarded(m_path, "record the outcome of a generation request", [&]() -> Status {
        SQLite::Statement q(
            *m_db,
            "UPDATE generation_requests SET outcome = ?, vendor_code = ?, vendor_message = ?, reply = ? WHERE id = ?");
        q.bind(1, outcomeName(outcome));
        q.bind(2, vendorCode);
        q.bind(3, vendorMessage);
        q.bind(4, reply);
        q.bind(5, id);
        if (q.exec() == 0) return notFound("Generation request " + std::to_string(id) + " does not exist.");
        return {};
    });
}

Status Store::markReconciled(std::int64_t id, Instant when, Outcome outcome) {
    return guarded(m_path, "mark a generation request reconciled", [&]() -> Status {
        SQLite::Statement q(*m_db, "UPDATE generation_requests SET reconciled_utc = ?, outcome = ? WHERE id = ?");
        q.bind(1, detail::orNow(when));
        q.bind(2, outcomeName(outcome));
        q.bind(3, id);
        if (q.exec() == 0) return notFound("Generation request " + std::to_string(id) + " does not exist.");
        return {};
    });
}

Result<GenerationRequest> Store::generationRequest(std::int64_t id) const {
    return guarded(m_path, "read a generation request", [&]() -> Result<GenerationRequest> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kRequestColumns + " FROM generation_requests WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return notFound("Generation request " + std::to_string(id) + " does not exist.");
        return readRequest(q);
    });
}

// Newest first.
Result<std::vector<GenerationRequest>> Store::listGenerationRequests(const std::optional<std::string>& machineNo,
                                                                     const std::optional<Outcome>& outcome) const {
    return guarded(m_path, "list generation requests", [&]() -> Result<std::vector<GenerationRequest>> {
        SQLite::Statement q(*m_db, std::string("SELECT ") + kRequestColumns +
                                       " FROM generation_requests WHERE (?1 IS NULL OR machine_no = ?1) "
                                       "AND (?2 IS NULL OR outcome = ?2) ORDER BY id DESC");
        if (machineNo) q.bind(1, *machineNo);
        if (outcome) q.bind(2, outcomeName(*outcome));
        std::vector<GenerationRequest> out;
        while (q.executeStep()) out.push_back(readRequest(q));
        return out;
    });
}

}  // namespace core::store
