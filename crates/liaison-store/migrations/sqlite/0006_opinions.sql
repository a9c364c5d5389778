-- 码上办: citizens' opinions, their event history, photos, co-units, decline reasons (data), rate limits
-- kept in the database, and the deputy an account speaks for.

ALTER TABLE account ADD COLUMN person_id BIGINT REFERENCES person (id);

CREATE TABLE decline_reason (
    code     TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL,
    active   BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO decline_reason (code, label, position) VALUES
    ('duplicate', '重复反映，已并入同一事项办理', 10),
    ('litigation', '属于诉讼、仲裁、信访等法定途径处理的事项', 20),
    ('out_of_scope', '不属于代表联络工作范围', 30),
    ('not_request', '不是具体意见建议', 40),
    ('unreachable', '内容不清且无法联系核实', 50),
    ('other', '其他', 1000);

CREATE TABLE opinion (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    receipt        TEXT NOT NULL UNIQUE,          -- the citizen's receipt code
    nonce          TEXT NOT NULL UNIQUE,          -- the form's one-time token: a resent form is the same item
    channel        TEXT NOT NULL,                 -- deputy_code | station_code | walk_in | phone | home_visit | deputy_visit
    person_id      BIGINT REFERENCES person (id), -- the deputy it reached first
    station_id     BIGINT REFERENCES station (id),-- the station it reached or belongs to
    region_code    TEXT NOT NULL REFERENCES region (code), -- scope key: where the matter is
    category       TEXT NOT NULL REFERENCES category (code),
    description    TEXT NOT NULL,
    citizen_name   TEXT NOT NULL DEFAULT '',      -- personal information
    citizen_phone  TEXT NOT NULL DEFAULT '',      -- personal information
    phone_last4    TEXT NOT NULL DEFAULT '',
    callback_ok    BOOLEAN NOT NULL DEFAULT FALSE,
    share_contact  BOOLEAN NOT NULL DEFAULT FALSE,-- the handling unit may see the contact
    recorded_by    BIGINT REFERENCES account (id),-- staff who recorded it for the citizen
    stage          TEXT NOT NULL,                 -- derived from the events (cached for queues)
    holder         TEXT NOT NULL,                 -- who acts next (cached)
    escalated      BOOLEAN NOT NULL DEFAULT FALSE,
    lead_unit_id   BIGINT REFERENCES handling_unit (id),
    reopen_count   INTEGER NOT NULL DEFAULT 0,
    return_count   INTEGER NOT NULL DEFAULT 0,
    rating         TEXT,
    answer         TEXT NOT NULL DEFAULT '',      -- what the citizen was told (tracking page)
    public_text    TEXT NOT NULL DEFAULT '',      -- reviewed text on the public list
    event_count    INTEGER NOT NULL DEFAULT 0,    -- optimistic concurrency for changes
    due_at         TEXT,                          -- the current stage's deadline (set by deadline rules)
    submitted_at   TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    closed_at      TEXT,
    published_at   TEXT
);
CREATE INDEX opinion_region ON opinion (region_code, id);
CREATE INDEX opinion_person ON opinion (person_id, stage, id);
CREATE INDEX opinion_station ON opinion (station_id, stage, id);
CREATE INDEX opinion_lead_unit ON opinion (lead_unit_id, stage, id);
CREATE INDEX opinion_stage ON opinion (stage, region_code, id);
CREATE INDEX opinion_published ON opinion (published_at, id);

CREATE TABLE opinion_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id  BIGINT NOT NULL REFERENCES opinion (id),
    seq         INTEGER NOT NULL,                 -- 0 = submitted, then 1, 2, ...
    action      TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',       -- the action as JSON (unit, rating, reason, co-units)
    actor       TEXT NOT NULL,                    -- citizen | deputy | staff | unit
    account_id  BIGINT REFERENCES account (id),
    from_stage  TEXT,
    to_stage    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',         -- comment, reply text, reason detail
    at          TEXT NOT NULL,
    UNIQUE (opinion_id, seq)
);

CREATE TABLE opinion_unit (
    opinion_id BIGINT NOT NULL REFERENCES opinion (id),
    unit_id    BIGINT NOT NULL REFERENCES handling_unit (id),
    lead       BOOLEAN NOT NULL,
    PRIMARY KEY (opinion_id, unit_id)
);
CREATE INDEX opinion_unit_unit ON opinion_unit (unit_id, opinion_id);

CREATE TABLE opinion_photo (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id BIGINT NOT NULL REFERENCES opinion (id),
    blob       TEXT NOT NULL,
    hidden     BOOLEAN NOT NULL DEFAULT FALSE,    -- staff hid it from public view
    created_at TEXT NOT NULL
);
CREATE INDEX opinion_photo_opinion ON opinion_photo (opinion_id, id);

-- Fixed-window counters for the public forms (per IP, per code), shared by every instance.
CREATE TABLE rate_limit (
    bucket  TEXT NOT NULL,
    window_start BIGINT NOT NULL,                     -- window start, Unix seconds
    hits    BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
