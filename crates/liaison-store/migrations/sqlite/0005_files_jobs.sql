-- Station photos and rules (制度) documents, and background jobs (large Excel imports now; deadline
-- sweeps and notifications later).

CREATE TABLE station_file (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    station_id  BIGINT NOT NULL REFERENCES station (id),
    kind        TEXT NOT NULL CHECK (kind IN ('photo', 'document')),
    blob        TEXT NOT NULL,                 -- content address in the file store
    name        TEXT NOT NULL,                 -- caption (photo) or file name (document)
    media_type  TEXT NOT NULL,
    size        BIGINT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES account (id),
    created_at  TEXT NOT NULL,
    removed_at  TEXT
);
CREATE INDEX station_file_station ON station_file (station_id, kind, id);

CREATE TABLE job (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,                 -- import.stations | import.deputies | import.units | ...
    state       TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    account_id  BIGINT NOT NULL REFERENCES account (id),
    input       TEXT NOT NULL DEFAULT '',      -- content address of the uploaded file
    result      TEXT NOT NULL DEFAULT '',      -- JSON written when the job ends
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX job_account ON job (account_id, id);
CREATE INDEX job_state ON job (state, id);
