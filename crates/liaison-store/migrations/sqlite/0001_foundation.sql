-- Foundation: regions, settings, accounts, roles, sessions, audit log.
CREATE TABLE region (
    code        TEXT PRIMARY KEY,          -- 12-digit NBS code
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,             -- province | city | county | township | village
    parent_code TEXT REFERENCES region (code),
    kind        TEXT NOT NULL DEFAULT 'regular'  -- regular | placeholder | non_admin
);
CREATE INDEX region_parent ON region (parent_code);
CREATE INDEX region_name ON region (name);

CREATE TABLE setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE account (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    region_code          TEXT NOT NULL REFERENCES region (code),
    unit_id              BIGINT,
    station_id           BIGINT,
    password_hash        TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    password_changed_at  TEXT NOT NULL,
    failed_logins        BIGINT NOT NULL DEFAULT 0,
    locked_until         TEXT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at        TEXT,
    created_at           TEXT NOT NULL
);
CREATE INDEX account_region ON account (region_code, id);

CREATE TABLE account_role (
    account_id BIGINT NOT NULL REFERENCES account (id),
    role       TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE session (
    token_hash   TEXT PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES account (id),
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    ip           TEXT NOT NULL,
    user_agent   TEXT NOT NULL
);
CREATE INDEX session_account ON session (account_id);

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at          TEXT NOT NULL,             -- RFC 3339 UTC, exactly as hashed
    actor_id    BIGINT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    region_code TEXT,
    ip          TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);
CREATE INDEX audit_log_region ON audit_log (region_code, seq);

-- The head of the hash chain. Appending locks this row first, which serialises appenders.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Append-only: the database itself refuses to change or delete an audit row.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
