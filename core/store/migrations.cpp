#include "core/store/migrations.hpp"

#include "core/store/store_detail.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace core::store::detail {
namespace {

// v1: profiles (never any secret), machines, products, codes. Codes have no foreign keys:
// pushes may deliver codes before their machine or product has been synced.
constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE profiles (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE CHECK (name <> ''),
    base_url         TEXT    NOT NULL DEFAULT '',
    app_id           TEXT    NOT NULL DEFAULT '',
    sign_encoding    TEXT    NOT NULL DEFAULT 'raw',
    default_timezone TEXT    NOT NULL DEFAULT 'Asia/Shanghai',
    ca_file          TEXT    NOT NULL DEFAULT '',
    active           INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
);
-- At most one active profile.
CREATE UNIQUE INDEX idx_profiles_one_active ON profiles(active) WHERE active = 1;

CREATE TABLE machines (
    machine_no  TEXT    PRIMARY KEY CHECK (machine_no <> ''),
    profile_id  INTEGER NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL DEFAULT '',
    address     TEXT    NOT NULL DEFAULT '',
    timezone    TEXT    NOT NULL DEFAULT '',
    online      INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL DEFAULT '',
    updated_utc INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_machines_profile ON machines(profile_id);

CREATE TABLE products (
    machine_no        TEXT    NOT NULL REFERENCES machines(machine_no) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    name              TEXT    NOT NULL DEFAULT '',
    channel           TEXT    NOT NULL DEFAULT '',
    cabinet           TEXT    NOT NULL DEFAULT '',
    addr              INTEGER NOT NULL DEFAULT 1,
    price             TEXT    NOT NULL DEFAULT '',
    current_inventory INTEGER NOT NULL DEFAULT 0,
    capacity          INTEGER NOT NULL DEFAULT 0,
    category          TEXT    NOT NULL DEFAULT '',
    updated_utc       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (machine_no, id)
);

-- 'expired' is never stored: it is 'unused' with expires_utc in the past. NULL expiry = never.
-- The status CHECK is an OR chain, not IN (...): SQLite builds an ephemeral table for an IN list
-- on every single-row INSERT, which doubled the bulk-insert time.
CREATE TABLE codes (
    machine_no  TEXT    NOT NULL CHECK (machine_no <> ''),
    id          INTEGER NOT NULL,
    product_id  INTEGER NOT NULL,
    code        TEXT    NOT NULL CHECK (code <> ''),
    quantity    INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 1),
    status      TEXT    NOT NULL DEFAULT 'unused'
                CHECK (status = 'unused' OR status = 'used' OR status = 'deleted' OR status = 'unknown'),
    created_utc INTEGER,
    expires_utc INTEGER,
    updated_utc INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (machine_no, id)
) WITHOUT ROWID;
)sql";

// v2: generation requests, codes.request_id, and the indexes behind the code list queries.
// idx_codes_page serves "machine + product + status, sorted by expiry": its expiry term must stay
// textually equal to detail::kExpiryKey. Every index costs bulk-insert time (the random
// idx_codes_code most), so machine-wide lists reuse idx_codes_page's machine_no prefix.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE generation_requests (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    profile_id     INTEGER NOT NULL,
    machine_no     TEXT    NOT NULL,
    method         TEXT    NOT NULL,
    product_id     INTEGER,
    count          INTEGER NOT NULL CHECK (count >= 1),
    code_length    INTEGER NOT NULL,
    expires_gmt8   TEXT    NOT NULL DEFAULT '',
    requested_utc  INTEGER NOT NULL,
    outcome        TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (outcome IN ('pending', 'ok', 'failed', 'unknown')),
    vendor_code    INTEGER NOT NULL DEFAULT 0,
    vendor_message TEXT    NOT NULL DEFAULT '',
    reply          TEXT    NOT NULL DEFAULT '',
    reconciled_utc INTEGER
);
CREATE INDEX idx_generation_requests_machine ON generation_requests(machine_no, id);

ALTER TABLE codes ADD COLUMN request_id INTEGER;  -- NULL = unknown

CREATE INDEX idx_codes_page
    ON codes(machine_no, product_id, status, coalesce(expires_utc, 9223372036854775807), id);
CREATE INDEX idx_codes_code ON codes(code);
CREATE INDEX idx_codes_request ON codes(request_id) WHERE request_id IS NOT NULL;
)sql";


// v3: MQTT pushes, stored raw and append-only before they are applied (vendor-protocol.md §10).
// dedup_key (machine|method|id|sign) makes a redelivered push a no-op; NULL keys never collide.
// applied: 'no' (invalid/unsigned/undecodable or informational), 'yes', 'pending' (a delete/put
// waiting for its create), 'skipped' (nothing to apply).
constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE push_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    received_ms   INTEGER NOT NULL,
    topic         TEXT    NOT NULL,
    qos           INTEGER NOT NULL DEFAULT 0,
    payload       BLOB    NOT NULL,
    verification  TEXT    NOT NULL
                  CHECK (verification IN ('valid', 'invalid', 'unsigned', 'undecodable')),
    decode_error  TEXT    NOT NULL DEFAULT '',
    method        TEXT    NOT NULL DEFAULT '',
    machine_no    TEXT    NOT NULL DEFAULT '',
    code_id       INTEGER,
    sign          TEXT    NOT NULL DEFAULT '',
    decoded       TEXT    NOT NULL DEFAULT '',
    applied       TEXT    NOT NULL DEFAULT 'no'
                  CHECK (applied IN ('no', 'yes', 'pending', 'skipped')),
    dedup_key     TEXT    UNIQUE
);
CREATE INDEX idx_push_events_machine ON push_events(machine_no, id);
CREATE INDEX idx_push_events_method ON push_events(method, id);
CREATE INDEX idx_push_events_received ON push_events(received_ms);
CREATE INDEX idx_push_events_pending ON push_events(machine_no, code_id) WHERE applied = 'pending';

-- The UTC offset pushes imply for a machine, when it disagrees with the configured zone.
CREATE TABLE machine_tz_warnings (
    machine_no      TEXT    PRIMARY KEY,
    configured_zone TEXT    NOT NULL,
    inferred_offset INTEGER NOT NULL,
    configured_offset INTEGER NOT NULL,
    seen_utc        INTEGER NOT NULL,
    event_id        INTEGER
);
)sql";

// v4: the export/print audit (issue 6): which codes went to which file or printer, with which
// template. A row is written complete = 0 while the export runs and set to 1 when it succeeded;
// a cancelled or failed export deletes its row (export_codes cascade).
constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE exports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_utc  INTEGER NOT NULL,
    kind         TEXT    NOT NULL CHECK (kind IN ('export', 'print')),
    format       TEXT    NOT NULL,
    template     TEXT    NOT NULL DEFAULT '',
    destination  TEXT    NOT NULL DEFAULT '',
    code_count   INTEGER NOT NULL DEFAULT 0,
    complete     INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1))
);
CREATE TABLE export_codes (
    export_id   INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
    machine_no  TEXT    NOT NULL,
    code_id     INTEGER NOT NULL,
    PRIMARY KEY (export_id, machine_no, code_id)
) WITHOUT ROWID;
CREATE INDEX idx_export_codes_code ON export_codes(machine_no, code_id);
)sql";

// v5: the profile's MQTT broker (issue 4). Settings and file paths only: the MQTT password is a
// keychain secret, never a column.
constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE profiles ADD COLUMN mqtt_url         TEXT    NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN mqtt_user        TEXT    NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN mqtt_version     INTEGER NOT NULL DEFAULT 4 CHECK (mqtt_version IN (3, 4, 5));
ALTER TABLE profiles ADD COLUMN mqtt_ca_file     TEXT    NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN mqtt_client_cert TEXT    NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN mqtt_client_key  TEXT    NOT NULL DEFAULT '';
ALTER TABLE profiles ADD COLUMN mqtt_client_id   TEXT    NOT NULL DEFAULT '';
)sql";

// v6: idx_codes_page also holds expires_utc as a plain last column. SQLite 3.40 (Debian 12) never
// treats an index on an expression as covering, so every code counted by expiry cost a table lookup:
// the per-product counts of a 1,000,000-code machine took ~2 s, now one covering scan (BENCHMARKS).
constexpr const char* kSchemaV6 = R"sql(
DROP INDEX idx_codes_page;
CREATE INDEX idx_codes_page
    ON codes(machine_no, product_id, status, coalesce(expires_utc, 9223372036854775807), id, expires_utc);
)sql";

// v7: a machine's codes in expiry order, the codes table's default sort. Its first page is then the
// index's first entries instead of a top-N scan of every code of the machine (0.12 s at 1,000,000),
// and the ids for later pages are read in order instead of sorted (0.8 s). expires_utc is repeated
// as a plain column so that SQLite 3.40 treats the index as covering (see v6).
constexpr const char* kSchemaV7 = R"sql(
CREATE INDEX idx_codes_expiry
    ON codes(machine_no, coalesce(expires_utc, 9223372036854775807), id, expires_utc);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> kAll = {
        {1, "create profiles, machines, products and codes", kSchemaV1},
        {2, "add generation requests and code indexes", kSchemaV2},
        {3, "add push events and time zone warnings", kSchemaV3},
        {4, "add export audit", kSchemaV4},
        {5, "add the profile's MQTT broker settings", kSchemaV5},
        {6, "make the code counts' index covering", kSchemaV6},
        {7, "index each machine's codes by expiry", kSchemaV7},
        // Append only; a released step is never edited.
    };
    return kAll;
}

int latestVersion() {
    return migrations().back().version;
}

int readUserVersion(SQLite::Database& db) {
    return db.execAndGet("PRAGMA user_version").getInt();
}

Status migrate(SQLite::Database& db, const std::string& path,
               const std::function<Status(int fromVersion)>& beforeFirstStep) {
    bool first = true;
    for (const Migration& step : migrations()) {
        auto applied = guarded(path, std::string("upgrade the schema (") + step.title + ")", [&]() -> Status {
            // IMMEDIATE takes the write lock first, so a second process opening the same file
            // waits and then sees the new version instead of applying the step twice.
            SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
            const int version = readUserVersion(db);
            if (version >= step.version) return {};
            if (first && beforeFirstStep) {
                if (auto ready = beforeFirstStep(version); !ready) return ready;
            }
            first = false;
            db.exec(step.sql);
            db.exec("PRAGMA user_version = " + std::to_string(step.version));
            tx.commit();
            return {};
        });
        if (!applied) return applied;
    }
    return {};
}

}  // namespace core::store::detail
