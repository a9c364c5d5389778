-- 三员分立: an account change one administrator asks for and a different administrator confirms — the
-- security administrator's grant of roles, region and bindings that read personal data, and the
-- two-person rule over administrators' passwords and state. At most one open request per account and
-- kind; a decided request stays as the record of who asked and who decided.
CREATE TABLE account_request (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     BIGINT NOT NULL REFERENCES account (id),
    kind           TEXT NOT NULL,                   -- access | reset_password | disable | enable
    roles          TEXT NOT NULL DEFAULT '',        -- access: the proposed roles, comma-separated
    region_code    TEXT REFERENCES region (code),   -- access: the proposed region
    unit_id        BIGINT,                          -- access: the proposed bindings
    station_id     BIGINT,
    person_id      BIGINT,
    confirmer_role TEXT NOT NULL,                   -- the administrator role that confirms
    requested_by   BIGINT NOT NULL REFERENCES account (id),
    requested_at   TEXT NOT NULL,
    outcome        TEXT,                            -- NULL while open; confirmed | rejected | withdrawn | superseded
    decided_by     BIGINT REFERENCES account (id),
    decided_at     TEXT
);
CREATE UNIQUE INDEX account_request_open ON account_request (account_id, kind) WHERE outcome IS NULL;
CREATE INDEX account_request_waiting ON account_request (confirmer_role, id) WHERE outcome IS NULL;
