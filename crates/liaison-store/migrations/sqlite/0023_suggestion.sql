-- 代表建议、批评和意见 and 议案: meetings with their rules as data, reply classes as data, the items,
-- their event history (opinion_event's columns), co-signers, units, ratings, milestones and the citizen
-- opinions behind them.

-- A meeting (届次 and 会次) of a region's people's meeting, with its rules for suggestions.
CREATE TABLE congress_meeting (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code    TEXT NOT NULL REFERENCES region (code),   -- the meeting's region (county or township)
    name           TEXT NOT NULL,                            -- 某某县第十八届人民代表大会第三次会议
    year           INTEGER NOT NULL,
    min_cosigners  INTEGER NOT NULL DEFAULT 10,               -- co-signers a motion needs
    answer_within  TEXT NOT NULL DEFAULT '3mo',               -- time to answer after assignment (≤ 6 months)
    return_within  TEXT NOT NULL DEFAULT '5wd',               -- a lead unit may return a wrong assignment within it
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TEXT NOT NULL
);
CREATE INDEX congress_meeting_region ON congress_meeting (region_code, year);

-- 答复类别 as data (A/B/C by default; some places use four).
CREATE TABLE suggestion_class (
    code               TEXT PRIMARY KEY,
    label              TEXT NOT NULL,
    needs_explanation  BOOLEAN NOT NULL DEFAULT FALSE,
    needs_plan         BOOLEAN NOT NULL DEFAULT FALSE,
    position           INTEGER NOT NULL DEFAULT 0,
    active             BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO suggestion_class (code, label, needs_explanation, needs_plan, position) VALUES
    ('A', '已解决或采纳', FALSE, FALSE, 1),
    ('B', '正在解决或列入计划解决', FALSE, TRUE, 2),
    ('C', '因条件限制或其他原因需要以后解决，留作参考', TRUE, FALSE, 3);

CREATE TABLE suggestion (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id     BIGINT NOT NULL REFERENCES congress_meeting (id),
    region_code     TEXT NOT NULL REFERENCES region (code),  -- the meeting's region: scope key
    number          INTEGER,                                 -- 第 N 号, given at registration, per meeting
    kind            TEXT NOT NULL,                           -- suggestion | motion
    period          TEXT NOT NULL,                           -- session | recess
    proposer_id     BIGINT REFERENCES person (id),           -- 领衔代表 (none: a delegation or group)
    group_name      TEXT NOT NULL DEFAULT '',                -- the delegation or group raising it as a whole
    title           TEXT NOT NULL,
    body            TEXT NOT NULL,
    category        TEXT NOT NULL REFERENCES category (code),
    min_cosigners   INTEGER NOT NULL,                        -- the meeting's minimum when it was raised
    stage           TEXT NOT NULL,
    lead_unit_id    BIGINT REFERENCES handling_unit (id),
    reply_class     TEXT,
    reply_text      TEXT NOT NULL DEFAULT '',
    explanation     TEXT NOT NULL DEFAULT '',
    planned_on      DATE,                                    -- class B: expected completion
    satisfaction    TEXT,                                    -- the proposer's latest verdict
    reopen_count    INTEGER NOT NULL DEFAULT 0,
    key_item        BOOLEAN NOT NULL DEFAULT FALSE,          -- 重点督办
    supervisor      TEXT NOT NULL DEFAULT '',                -- the supervising leader
    entered_by_staff BOOLEAN NOT NULL DEFAULT FALSE,         -- handed in on paper
    event_count     INTEGER NOT NULL DEFAULT 0,
    stage_at        TEXT,
    due_at          TEXT,
    answer_due_at   TEXT,                                     -- the first handling's deadline (on time or not)
    alerted         INTEGER NOT NULL DEFAULT 0,
    submitted_at    TEXT,
    registered_at   TEXT,
    assigned_at     TEXT,
    replied_at      TEXT,
    first_replied_at TEXT,
    rated_at        TEXT,
    closed_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX suggestion_region ON suggestion (region_code, id);
CREATE INDEX suggestion_meeting ON suggestion (meeting_id, stage);
CREATE INDEX suggestion_proposer ON suggestion (proposer_id);
CREATE INDEX suggestion_lead ON suggestion (lead_unit_id);
CREATE INDEX suggestion_alert ON suggestion (alerted, due_at);
CREATE UNIQUE INDEX suggestion_number ON suggestion (meeting_id, number);

CREATE TABLE suggestion_event (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    seq            INTEGER NOT NULL,                 -- 0 = created, then 1, 2, ...
    action         TEXT NOT NULL,
    data           TEXT NOT NULL DEFAULT '{}',
    actor          TEXT NOT NULL,                    -- proposer | cosigner | staff | lead_unit | co_unit
    account_id     BIGINT REFERENCES account (id),
    from_stage     TEXT,
    to_stage       TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    at             TEXT NOT NULL,
    UNIQUE (suggestion_id, seq)
);

CREATE TABLE suggestion_cosigner (
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    person_id      BIGINT NOT NULL REFERENCES person (id),
    confirmed_at   TEXT,
    by_staff       BOOLEAN NOT NULL DEFAULT FALSE,   -- a paper signature recorded by staff
    PRIMARY KEY (suggestion_id, person_id)
);
CREATE INDEX suggestion_cosigner_person ON suggestion_cosigner (person_id);

CREATE TABLE suggestion_unit (
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    unit_id        BIGINT NOT NULL REFERENCES handling_unit (id),
    lead           BOOLEAN NOT NULL,
    signed_at      TEXT,                             -- 会签 in the current round
    PRIMARY KEY (suggestion_id, unit_id)
);
CREATE INDEX suggestion_unit_unit ON suggestion_unit (unit_id);

CREATE TABLE suggestion_rating (
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    person_id      BIGINT NOT NULL REFERENCES person (id),
    round          INTEGER NOT NULL,                 -- the reply rated (1 = first)
    satisfaction   TEXT NOT NULL,
    comment        TEXT NOT NULL DEFAULT '',
    by_staff       BOOLEAN NOT NULL DEFAULT FALSE,   -- a paper rating entered by staff
    at             TEXT NOT NULL,
    PRIMARY KEY (suggestion_id, person_id, round)
);

CREATE TABLE suggestion_milestone (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    round          INTEGER NOT NULL,
    due_on         DATE NOT NULL,
    what           TEXT NOT NULL,
    done_on        DATE,
    done_note      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX suggestion_milestone_item ON suggestion_milestone (suggestion_id, due_on);

-- The citizen opinions behind a suggestion.
CREATE TABLE suggestion_opinion (
    suggestion_id  BIGINT NOT NULL REFERENCES suggestion (id),
    opinion_id     BIGINT NOT NULL REFERENCES opinion (id),
    PRIMARY KEY (suggestion_id, opinion_id)
);

INSERT INTO deadline_rule (kind, stage, span, label) VALUES
    ('suggestion', 'submitted',  '5wd', '建议立案登记'),
    ('suggestion', 'registered', '5wd', '建议交办');
