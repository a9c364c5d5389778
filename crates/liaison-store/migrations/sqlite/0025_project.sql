-- 民生实事 (livelihood projects): candidates, the congress's vote, the unit carrying each out, progress
-- reports, deputies' inspections, the year-end satisfaction test; the event history has
-- opinion_event's columns.

CREATE TABLE project (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code    TEXT NOT NULL REFERENCES region (code),   -- the office's region (county or township): scope key
    year           INTEGER NOT NULL,
    title          TEXT NOT NULL,
    body           TEXT NOT NULL,
    origin         TEXT NOT NULL,                            -- government | suggestion | opinion
    budget         REAL,                         -- 万元
    stage          TEXT NOT NULL,
    unit_id        BIGINT REFERENCES handling_unit (id),
    progress       INTEGER NOT NULL DEFAULT 0,               -- per cent done, as last reported
    vote_present   INTEGER, vote_yes INTEGER, vote_no INTEGER, vote_abstain INTEGER,
    test_satisfied INTEGER, test_basic INTEGER, test_unsatisfied INTEGER,
    reopen_count   INTEGER NOT NULL DEFAULT 0,
    event_count    INTEGER NOT NULL DEFAULT 0,
    stage_at       TEXT,
    due_at         TEXT,                                     -- the year's end once assigned
    alerted        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX project_region ON project (region_code, year, id);
CREATE INDEX project_unit ON project (unit_id);
CREATE INDEX project_alert ON project (alerted, due_at);

CREATE TABLE project_event (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   BIGINT NOT NULL REFERENCES project (id),
    seq          INTEGER NOT NULL,
    action       TEXT NOT NULL,
    data         TEXT NOT NULL DEFAULT '{}',
    actor        TEXT NOT NULL,                    -- staff | unit
    account_id   BIGINT REFERENCES account (id),
    from_stage   TEXT,
    to_stage     TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',         -- the report's, inspection's or test's words
    at           TEXT NOT NULL,
    UNIQUE (project_id, seq)
);
