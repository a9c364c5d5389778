-- 审议意见: the standing committee's review opinions on work reports, sent to a body (a handling unit)
-- with a deadline, its handling reports, the office's examination and the members' satisfaction
-- tests; their event history (opinion_event's columns).

CREATE TABLE review (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code     TEXT NOT NULL REFERENCES region (code),  -- the standing committee's region: scope key
    title           TEXT NOT NULL,                           -- the report reviewed
    meeting         TEXT NOT NULL,                           -- 县第十八届人大常委会第十二次会议, as written
    met_on          DATE NOT NULL,
    body            TEXT NOT NULL,                           -- the review opinion
    unit_id         BIGINT NOT NULL REFERENCES handling_unit (id),
    stage           TEXT NOT NULL,
    report_text     TEXT NOT NULL DEFAULT '',                -- the latest 研究处理情况报告
    examination     TEXT NOT NULL DEFAULT '',                -- the latest 审核意见
    satisfied       INTEGER,                                 -- the latest test's ballots
    basic           INTEGER,
    unsatisfied     INTEGER,
    passed          BOOLEAN,
    report_count    INTEGER NOT NULL DEFAULT 0,
    return_count    INTEGER NOT NULL DEFAULT 0,
    reopen_count    INTEGER NOT NULL DEFAULT 0,
    event_count     INTEGER NOT NULL DEFAULT 0,
    round_due_at    TEXT,                                    -- the current round's report deadline
    stage_at        TEXT,
    due_at          TEXT,                                    -- set while the body holds it (stage sent)
    alerted         INTEGER NOT NULL DEFAULT 0,
    reported_at     TEXT,
    examined_at     TEXT,
    tested_at       TEXT,
    closed_at       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX review_region ON review (region_code, id);
CREATE INDEX review_unit ON review (unit_id, id);
CREATE INDEX review_stage ON review (stage, id);
CREATE INDEX review_alert ON review (alerted, due_at);

CREATE TABLE review_event (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id   BIGINT NOT NULL REFERENCES review (id),
    seq         INTEGER NOT NULL,                 -- 0 = created, then 1 (sent), 2, ...
    action      TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}',
    actor       TEXT NOT NULL,                    -- staff | unit
    account_id  BIGINT REFERENCES account (id),
    from_stage  TEXT,
    to_stage    TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',         -- the report, the reason, the examination
    at          TEXT NOT NULL,
    UNIQUE (review_id, seq)
);

-- The first deadline is the date typed when the opinion is sent; after a test that did not pass the
-- body has this long for its new report. A returned report (退回重报) keeps the round's deadline.
INSERT INTO deadline_rule (kind, stage, span, label) VALUES
    ('review', 'sent', '2mo', '审议意见测评未通过后重新办理');
