//! Login sessions: a random token in an `HttpOnly` cookie, its SHA-256 in the database. Idle and absolute
//! expiry; logout deletes the row; every session of an account can be ended at once, and a password
//! change ends all but the one that made it.

use chrono::{DateTime, Duration, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::password::{KNOWN_ADDRESS_DAYS, PasswordPolicy};
use liaison_domain::{RegionCode, Role, Scope};

use crate::account::LoginRecord;
use crate::{Actor, Result, Store, StoreError, Tx};

/// A staff session lasts at most this long, however active (a deputy's own: the policy's days).
pub const ABSOLUTE_HOURS: i64 = 12;
/// No session outlives this, whatever the policy (the row's `expires_at`; the policy's limits for the
/// account's roles are checked on each request).
pub const MAX_SESSION_DAYS: i64 = 30;
/// `last_seen_at` is written at most this often, so reads do not turn into writes.
const TOUCH_SECONDS: i64 = 60;

#[derive(Debug, Clone)]
pub struct Session {
    pub scope: Scope,
    pub display_name: String,
    pub csrf_token: String,
    pub must_change_password: bool,
    pub password_changed_at: DateTime<Utc>,
    /// Unread inbox entries, up to `notification::UNREAD_CAP` (the navigation's badge), read with
    /// the session.
    pub unread: i64,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    account_id: i64,
    csrf_token: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    display_name: String,
    must_change_password: bool,
    password_changed_at: DateTime<Utc>,
    disabled: bool,
    // the account's scope columns, read in the same query
    username: String,
    region_code: String,
    unit_id: Option<i64>,
    station_id: Option<i64>,
    person_id: Option<i64>,
    /// One of the account's roles (one row per role; none: NULL).
    role: Option<String>,
    unread: i64,
}

pub struct NewSession<'a> {
    pub token_digest: &'a str,
    pub csrf_token: &'a str,
    pub ip: &'a str,
    pub user_agent: &'a str,
}

impl Store {
    /// A successful login: resets the address's failure count (and remembers the address as one the
    /// account logs in from), opens the session and audits, in one transaction. Locks other addresses
    /// hold stay until they run out or a security administrator lifts them.
    pub async fn login(&self, rec: &LoginRecord, s: NewSession<'_>) -> Result<()> {
        let now = Utc::now();
        let known_since = now - Duration::days(KNOWN_ADDRESS_DAYS);
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            // an address the account had not logged in from lately was counted account-wide too: a
            // success is not a failure there either
            let known: Option<(Option<DateTime<Utc>>,)> = sqlx::query_as(
                "SELECT succeeded_at FROM login_throttle WHERE username = $1 AND source = $2",
            )
            .bind(&rec.username).bind(s.ip).fetch_optional(&mut *c).await?;
            let known = known.and_then(|k| k.0).is_some_and(|t| t > known_since);
            sqlx::query(
                "UPDATE login_throttle SET failures = 0, locked_until = NULL, succeeded_at = $1 \
                 WHERE username = $2 AND source = $3",
            )
            .bind(now).bind(&rec.username).bind(s.ip).execute(&mut *c).await?;
            if !known {
                sqlx::query(
                    "UPDATE login_throttle SET failures = failures - 1 \
                     WHERE username = $1 AND source = '*' AND failures > 0",
                )
                .bind(&rec.username).execute(&mut *c).await?;
            }
            sqlx::query("UPDATE account SET failed_logins = 0, last_login_at = $1 WHERE id = $2")
                .bind(now).bind(rec.id).execute(&mut *c).await?;
            sqlx::query(
                "INSERT INTO session (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(s.token_digest).bind(rec.id).bind(s.csrf_token).bind(now).bind(now)
            .bind(now + Duration::days(MAX_SESSION_DAYS)).bind(s.ip)
            .bind(s.user_agent.chars().take(200).collect::<String>())
            .execute(&mut *c)
            .await?;
        });
        let actor = Actor {
            account_id: Some(rec.id),
            username: rec.username.clone(),
            ip: s.ip.to_owned(),
        };
        let region = liaison_domain::RegionCode::parse(&rec.region_code).ok();
        self.audit(
            &mut tx,
            &actor,
            AuditAction::LoginSuccess,
            &format!("account:{}", rec.id),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// The live session behind a token digest, or `None` (unknown, expired, idle too long, account
    /// disabled). How long is idle too long, and how long a session lives at all, is the policy's for
    /// the account's roles (`PasswordPolicy::session_limits`: a deputy's own phone keeps its session
    /// longer).
    pub async fn session(&self, token_digest: &str, policy: &PasswordPolicy) -> Result<Option<Session>> {
        // everything a page needs of its caller in one statement: the session, the account, its
        // roles (one row each) and the unread badge (an indexed count, capped)
        let rows = with_pool!(&self.read, p => {
            sqlx::query_as::<_, SessionRow>(
                "SELECT s.account_id, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at, a.display_name, \
                 a.must_change_password, a.password_changed_at, a.disabled, \
                 a.username, a.region_code, a.unit_id, a.station_id, a.person_id, r.role, \
                 (SELECT COUNT(*) FROM (SELECT 1 FROM notification n WHERE n.account_id = s.account_id \
                  AND n.read_at IS NULL LIMIT $2) u) AS unread \
                 FROM session s JOIN account a ON a.id = s.account_id \
                 LEFT JOIN account_role r ON r.account_id = a.id WHERE s.token_hash = $1 ORDER BY r.role",
            )
            .bind(token_digest)
            .bind(crate::notification::UNREAD_CAP)
            .fetch_all(p)
            .await?
        });
        let mut roles = Vec::new();
        for r in rows.iter().filter_map(|r| r.role.as_deref()) {
            roles.push(Role::parse(r).map_err(|_| StoreError::Corrupt(r.to_owned()))?);
        }
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let now = Utc::now();
        if row.disabled || row.expires_at <= now {
            self.logout(token_digest).await?;
            return Ok(None);
        }
        let scope = Scope {
            account_id: row.account_id,
            username: row.username,
            roles,
            region: RegionCode::parse(&row.region_code).map_err(|_| StoreError::Corrupt(row.region_code))?,
            unit_id: row.unit_id,
            station_id: row.station_id,
            person_id: row.person_id,
        };
        let (idle, lifetime) = policy.session_limits(&scope.roles, Duration::hours(ABSOLUTE_HOURS));
        if row.last_seen_at + idle <= now || row.created_at + lifetime <= now {
            self.logout(token_digest).await?;
            return Ok(None);
        }
        if now - row.last_seen_at > Duration::seconds(TOUCH_SECONDS) {
            with_pool!(&self.write, p => {
                sqlx::query("UPDATE session SET last_seen_at = $1 WHERE token_hash = $2")
                    .bind(now).bind(token_digest).execute(p).await?;
            });
        }
        Ok(Some(Session {
            scope,
            display_name: row.display_name,
            csrf_token: row.csrf_token,
            must_change_password: row.must_change_password,
            password_changed_at: row.password_changed_at,
            unread: row.unread,
        }))
    }

    /// Deletes one session (logout, or found expired).
    pub async fn logout(&self, token_digest: &str) -> Result<()> {
        with_pool!(&self.write, p => {
            sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_digest).execute(p).await?;
        });
        Ok(())
    }

    pub(crate) async fn delete_sessions_of(&self, tx: &mut Tx, account_id: i64) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account_id).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// Ends every session of an account but one (a password change keeps the browser that made it).
    pub(crate) async fn delete_other_sessions_of(
        &self,
        tx: &mut Tx,
        account_id: i64,
        keep: &str,
    ) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("DELETE FROM session WHERE account_id = $1 AND token_hash <> $2")
                .bind(account_id).bind(keep).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// Number of live sessions of an account (for the security page).
    pub async fn session_count(&self, account_id: i64) -> Result<i64> {
        let r: (i64,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT COUNT(*) FROM session WHERE account_id = $1 AND expires_at > $2")
                .bind(account_id).bind(Utc::now()).fetch_one(p).await?
        });
        Ok(r.0)
    }
}
