-- Notifications and 督办单 about any subject (kind + id), not only opinions: `opinion_id` becomes
-- (`subject_kind`, `subject_id`), with no foreign key (the id names a row of the kind's own table).
-- SQLite cannot drop a foreign key in place, so both tables are rebuilt with their rows and indexes.

CREATE TABLE notification_next (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind    TEXT,                            -- opinion | …; NULL for notices about nothing in particular
    subject_id      BIGINT,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL,                   -- inbox | sms
    account_id      BIGINT REFERENCES account (id),  -- inbox: whose
    phone           TEXT NOT NULL DEFAULT '',        -- sms: to whom (personal information)
    body            TEXT NOT NULL,
    link            TEXT NOT NULL DEFAULT '',        -- sms: the path {link} stands for (public URL added when sent)
    dedupe_key      TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL,                   -- pending | sending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_at      TEXT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    read_at         TEXT
);
INSERT INTO notification_next (id, subject_kind, subject_id, kind, channel, account_id, phone, body, link, dedupe_key,
    status, attempts, next_attempt_at, claimed_at, last_error, created_at, sent_at, read_at)
SELECT id, CASE WHEN opinion_id IS NULL THEN NULL ELSE 'opinion' END, opinion_id, kind, channel, account_id, phone, body,
    link, dedupe_key, status, attempts, next_attempt_at, claimed_at, last_error, created_at, sent_at, read_at
FROM notification;
DROP TABLE notification;
ALTER TABLE notification_next RENAME TO notification;
CREATE INDEX notification_due ON notification (status, next_attempt_at);
CREATE INDEX notification_inbox ON notification (account_id, id);
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;
CREATE INDEX notification_sms_status ON notification (status, id) WHERE channel = 'sms';
CREATE INDEX notification_subject ON notification (subject_kind, subject_id, id);

CREATE TABLE supervision_notice_next (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind     TEXT NOT NULL,            -- opinion | …
    subject_id       BIGINT NOT NULL,
    number           TEXT NOT NULL UNIQUE,     -- e.g. 督〔2026〕第0001号
    unit_id          BIGINT REFERENCES handling_unit (id),
    demand           TEXT NOT NULL,
    reply_by         TEXT,
    issued_by        BIGINT REFERENCES account (id),
    issued_at        TEXT NOT NULL,
    acknowledged_at  TEXT,
    acknowledged_by  BIGINT REFERENCES account (id),
    ack_note         TEXT NOT NULL DEFAULT ''
);
INSERT INTO supervision_notice_next (id, subject_kind, subject_id, number, unit_id, demand, reply_by, issued_by, issued_at,
    acknowledged_at, acknowledged_by, ack_note)
SELECT id, 'opinion', opinion_id, number, unit_id, demand, reply_by, issued_by, issued_at, acknowledged_at, acknowledged_by,
    ack_note
FROM supervision_notice;
DROP TABLE supervision_notice;
ALTER TABLE supervision_notice_next RENAME TO supervision_notice;
CREATE INDEX supervision_notice_subject ON supervision_notice (subject_kind, subject_id, id);
CREATE INDEX supervision_notice_unit ON supervision_notice (unit_id, acknowledged_at);
