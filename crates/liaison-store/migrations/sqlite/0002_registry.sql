-- The registry: handling units, stations, persons and their deputy mandates, residence at stations,
-- linked households (双联系) and committee members' linked deputies, the routing table, QR codes.

CREATE TABLE handling_unit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL REFERENCES region (code),
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,                 -- department | township_government | court | procuratorate | other
    phone       TEXT NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (region_code, name)
);

CREATE TABLE station (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code    TEXT NOT NULL REFERENCES region (code),
    kind           TEXT NOT NULL,              -- home | station | room | point | legislative_contact_point | studio | overseas_chinese_point
    industry       TEXT NOT NULL DEFAULT '',   -- set for an industry home/station (行业代表之家/联络站)
    name           TEXT NOT NULL,
    address        TEXT NOT NULL DEFAULT '',
    latitude       REAL,
    longitude      REAL,
    phone          TEXT NOT NULL DEFAULT '',   -- the station's public phone
    manager_name   TEXT NOT NULL DEFAULT '',
    manager_phone  TEXT NOT NULL DEFAULT '',
    liaison_name   TEXT NOT NULL DEFAULT '',
    liaison_phone  TEXT NOT NULL DEFAULT '',
    open_hours     TEXT NOT NULL DEFAULT '',
    reception_rule TEXT NOT NULL DEFAULT '',
    facilities     TEXT NOT NULL DEFAULT '',   -- one item per line
    rules          TEXT NOT NULL DEFAULT '',
    funding        TEXT NOT NULL DEFAULT '',
    closed_on      DATE,
    closed_reason  TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (region_code, name)
);
CREATE INDEX station_region ON station (region_code, id);
CREATE INDEX station_kind ON station (kind, region_code);

CREATE TABLE person (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL,                 -- male | female
    ethnicity   TEXT NOT NULL DEFAULT '',
    birth_year  INTEGER,
    party       TEXT NOT NULL DEFAULT '',
    occupation  TEXT NOT NULL DEFAULT '',
    employer    TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',      -- personal information: masked in public, reads audited
    photo       TEXT NOT NULL DEFAULT '',      -- content address of the photo in the blob store
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX person_name ON person (name);

CREATE TABLE mandate (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id           BIGINT NOT NULL REFERENCES person (id),
    level               TEXT NOT NULL,         -- national | provincial | city | county | township
    congress_region     TEXT NOT NULL REFERENCES region (code),  -- whose congress elected the deputy
    term                INTEGER NOT NULL,      -- 届次, e.g. 18 for 第十八届
    constituency        TEXT NOT NULL DEFAULT '',               -- 选区 as named locally
    constituency_region TEXT NOT NULL REFERENCES region (code),  -- where the constituency lies: scope key
    deputy_group        TEXT NOT NULL DEFAULT '',
    expert_group        TEXT NOT NULL DEFAULT '',
    status              TEXT NOT NULL DEFAULT 'in_office',       -- in_office | left
    left_on             DATE,
    left_reason         TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (person_id, level, congress_region, term)
);
CREATE INDEX mandate_scope ON mandate (constituency_region, id);
CREATE INDEX mandate_level ON mandate (level, term, constituency_region);
CREATE INDEX mandate_person ON mandate (person_id);

CREATE TABLE station_deputy (
    station_id BIGINT NOT NULL REFERENCES station (id),
    mandate_id BIGINT NOT NULL REFERENCES mandate (id),
    since      DATE,
    PRIMARY KEY (station_id, mandate_id)
);
CREATE INDEX station_deputy_mandate ON station_deputy (mandate_id);

CREATE TABLE linked_household (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id   BIGINT NOT NULL REFERENCES person (id),   -- the deputy
    kind        TEXT NOT NULL,                 -- well_off_leader | needy | local_notable
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    region_code TEXT NOT NULL REFERENCES region (code),
    address     TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX linked_household_person ON linked_household (person_id);

CREATE TABLE household_meeting (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id BIGINT NOT NULL REFERENCES linked_household (id),
    met_on       DATE NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  BIGINT REFERENCES account (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX household_meeting_household ON household_meeting (household_id, met_on);

CREATE TABLE committee_link (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    member_person_id BIGINT NOT NULL REFERENCES person (id),  -- the standing-committee member
    deputy_person_id BIGINT NOT NULL REFERENCES person (id),
    created_at       TEXT NOT NULL,
    UNIQUE (member_person_id, deputy_person_id)
);

CREATE TABLE committee_meeting (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    link_id    BIGINT NOT NULL REFERENCES committee_link (id),
    met_on     DATE NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);

CREATE TABLE routing_rule (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code TEXT NOT NULL REFERENCES region (code),
    category    TEXT NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES handling_unit (id),
    UNIQUE (region_code, category)
);

CREATE TABLE qr_code (
    code           TEXT PRIMARY KEY,           -- short random id printed in the QR
    target_kind    TEXT NOT NULL,              -- deputy (a person) | station
    target_id      BIGINT NOT NULL,
    created_at     TEXT NOT NULL,
    revoked_at     TEXT,
    revoked_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX qr_code_target ON qr_code (target_kind, target_id);
