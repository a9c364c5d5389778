-- Login protection: failed attempts are counted per username and client address, and per username
-- account-wide (source '*', for addresses the account has not logged in from), when an attempt is
-- claimed, before its password is checked. Usernames that do not exist are counted the same way, so
-- the answers do not tell them apart. `account.failed_logins` and `account.locked_until` now only show
-- the latest state on the administrators' pages.
CREATE TABLE login_throttle (
    username     TEXT NOT NULL,
    source       TEXT NOT NULL,              -- the client address, or '*' for the account as a whole
    failures     BIGINT NOT NULL DEFAULT 0,  -- attempts counted since the last success, lock or quiet spell
    locked_until TIMESTAMPTZ,                -- no attempt is checked before this
    last_at      TIMESTAMPTZ NOT NULL,       -- when the last attempt was counted
    succeeded_at TIMESTAMPTZ,                -- the last successful login from this address
    PRIMARY KEY (username, source)
);
CREATE INDEX login_throttle_last ON login_throttle (last_at);
