-- Notifications: an outbox written in the same transaction as the event it reports. Inbox rows are
-- delivered when written (status 'sent', read_at marks them read); SMS rows wait for the sender jobs,
-- which claim them (pending -> sending), post them to the gateway with dedupe_key as the idempotency
-- key, and mark them sent, or pending again with a later next_attempt_at, or failed after 8 attempts.

CREATE TABLE notification (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    opinion_id      BIGINT REFERENCES opinion (id),  -- NULL for notices about nothing in particular
    kind            TEXT NOT NULL,                   -- arrived | accepted | assigned | replied | returned | reopened | closed | due_soon | overdue | supervised
    channel         TEXT NOT NULL,                   -- inbox | sms
    account_id      BIGINT REFERENCES account (id),  -- inbox: whose
    phone           TEXT NOT NULL DEFAULT '',        -- sms: to whom (personal information)
    body            TEXT NOT NULL,                   -- the text; an SMS keeps {link} for the sender to fill
    link            TEXT NOT NULL DEFAULT '',        -- sms: the path {link} stands for (public URL added when sent)
    dedupe_key      TEXT NOT NULL UNIQUE,            -- {opinion}:{seq}:{recipient}:{account or phone}:{channel}, or the caller's
    status          TEXT NOT NULL,                   -- pending | sending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_at      TEXT,                             -- when a sender took it (stale claims are requeued)
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    read_at         TEXT
);
CREATE INDEX notification_due ON notification (status, next_attempt_at);
CREATE INDEX notification_inbox ON notification (account_id, id);
CREATE INDEX notification_unread ON notification (account_id) WHERE read_at IS NULL;

-- SMS texts per notice kind (data, editable): {receipt} shows as ABCD-EFGH, {stage} is the tracking
-- page's words for the stage, {link} the tracking page (public URL + /t?r=…). Short: 70 characters is
-- one SMS.
CREATE TABLE sms_template (
    kind TEXT PRIMARY KEY,
    text TEXT NOT NULL
);
INSERT INTO sms_template (kind, text) VALUES
    ('accepted', '您反映的问题已受理（回执码{receipt}），办理进度：{link}'),
    ('assigned', '您反映的问题（回执码{receipt}）{stage}，已交承办单位。办理进度：{link}'),
    ('replied', '您反映的问题已有答复（回执码{receipt}），请查看并评价：{link}'),
    ('closed', '您反映的问题已办结（回执码{receipt}），感谢您的支持。');

-- Who is told about an item: the deputy's and the unit's accounts.
CREATE INDEX account_person ON account (person_id);
CREATE INDEX account_unit ON account (unit_id);
