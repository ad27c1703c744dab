-- Pickup Desk store, schema version 1 (exactly as migration 1 creates it).
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

-- Rows as Pickup Desk schema v1 stored them (test fixture for migration to the latest version).
INSERT INTO profiles(id, name, base_url, app_id, sign_encoding, default_timezone, ca_file, active)
VALUES (1, 'main', 'https://www.awish.vip', 'app-1001', 'raw', 'Asia/Shanghai', '', 1);

INSERT INTO machines(machine_no, profile_id, name, address, timezone, online, status, updated_utc)
VALUES ('16327138', 1, '南山店一号机', '深圳市南山区科技园', 'Asia/Shanghai', 1, 'OPERATIONAL', 1761200000),
       ('16327139', 1, 'Lobby', '', '', 0, '', 1761200000);

INSERT INTO products(machine_no, id, name, channel, cabinet, addr, price, current_inventory, capacity, category, updated_utc)
VALUES ('16327138', 501, '矿泉水', 'A11', 'A', 1, '2.00', 7, 10, '饮料', 1761200000),
       ('16327138', 502, '可乐', 'A12', 'A', 1, '3.50', 0, 10, '饮料', 1761200000);

INSERT INTO codes(machine_no, id, product_id, code, quantity, status, created_utc, expires_utc, updated_utc)
VALUES ('16327138', 9001, 501, '10788613', 1, 'unused', 1761200000, 1761223897, 1761200000),
       ('16327138', 9002, 501, '20488120', 2, 'used', 1761200000, 1761223897, 1761200000),
       ('16327138', 9003, 502, '31415926', 1, 'unused', 1761200000, NULL, 1761200000),
       ('16327138', 9004, 502, '00012345', 3, 'deleted', 1761200000, NULL, 1761200000);

PRAGMA user_version = 1;
