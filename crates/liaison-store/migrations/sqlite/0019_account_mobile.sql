-- Staff and deputy accounts get a mobile number (personal information: shown masked, changes audited)
-- for alert SMS and login by SMS code; `sms_alerts` lets the person turn the alerts off.
ALTER TABLE account ADD COLUMN mobile TEXT NOT NULL DEFAULT '';
ALTER TABLE account ADD COLUMN sms_alerts BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX account_mobile ON account (mobile) WHERE mobile <> '';

-- One-time SMS codes (login by mobile, the administrators' second factor); only a digest is kept.
-- `pending_digest`: the second factor's half-finished login (a cookie's digest).
CREATE TABLE login_code (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id     BIGINT NOT NULL REFERENCES account (id),
    purpose        TEXT NOT NULL,
    code_digest    TEXT NOT NULL,
    pending_digest TEXT NOT NULL DEFAULT '',
    attempts       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    used_at        TEXT
);
CREATE INDEX login_code_account ON login_code (account_id, created_at);

-- The notification row of an alert held back by the quiet hours waits in `next_attempt_at`; nothing
-- else changes in the outbox.
