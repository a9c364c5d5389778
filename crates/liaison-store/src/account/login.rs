//! The login path, before the caller is known: the login record looked up by username; the login
//! protection's counters (claimed before a password is checked, see `liaison_domain::password::Throttle`);
//! the audit of failures; lifting locks; and the caller's own password change.

use chrono::{DateTime, Duration, Utc};
use liaison_domain::audit::AuditAction;
use liaison_domain::password::{
    KNOWN_ADDRESS_DAYS, PasswordPolicy, Throttle, another_can_unlock, tried_username,
};
use liaison_domain::{RegionCode, Role, Scope};

use crate::{Actor, Result, Store, StoreError, Tx};

/// What the login path needs, looked up by username before anyone is known.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: i64,
    pub username: String,
    pub region_code: String,
    pub password_hash: String,
    /// Attempts counted since the last success (shown to administrators; the counters decide).
    pub failed_logins: i64,
    /// The latest lock taken on this account from any address (shown to administrators).
    pub locked_until: Option<DateTime<Utc>>,
    pub disabled: bool,
}

/// The answer to claiming one login attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginClaim {
    /// The password may be checked. `failures`: this attempt's place in the address's count;
    /// `locked_until`: the address is locked out of the account from now on unless the password is right.
    Granted {
        failures: i64,
        locked_until: Option<DateTime<Utc>>,
    },
    /// No password is checked before `until`: this address is locked out of this account, or
    /// (`account_wide`) the account is held off for addresses it has not logged in from.
    Refused {
        until: DateTime<Utc>,
        account_wide: bool,
    },
}

/// The account-wide counter's row.
const ACCOUNT_WIDE: &str = "*";

type CounterRow = (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

impl Store {
    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>> {
        let r = with_pool!(&self.read, p => {
            sqlx::query_as::<_, LoginRecord>(
                "SELECT id, username, region_code, password_hash, failed_logins, locked_until, disabled \
                 FROM account WHERE username = $1",
            )
            .bind(username)
            .fetch_optional(p)
            .await?
        });
        Ok(r)
    }

    /// Claims one attempt of `username` from `source` before its password is checked: counts it on the
    /// address's counter and, unless the account logged in from that address lately, on the
    /// account-wide one; each count is one conditional statement, so concurrent claims never pass the
    /// threshold. Usernames that do not exist are counted the same way. Nothing is counted when refused.
    pub async fn claim_login(
        &self,
        username: &str,
        source: &str,
        policy: &PasswordPolicy,
        now: DateTime<Utc>,
    ) -> Result<LoginClaim> {
        let mut tx = self.begin().await?;
        let per_address = policy.per_address();
        let Some((failures, locked_until, succeeded_at)) =
            claim_counter(&mut tx, username, source, per_address, now).await?
        else {
            let until = counter_lock(&mut tx, username, source).await?.unwrap_or(now);
            return Ok(LoginClaim::Refused {
                until,
                account_wide: false,
            });
        };
        let known = succeeded_at.is_some_and(|t| t > now - Duration::days(KNOWN_ADDRESS_DAYS));
        let mut account_lock = None;
        if !known {
            match claim_counter(&mut tx, username, ACCOUNT_WIDE, policy.account_wide(), now).await? {
                Some((_, lock, _)) => account_lock = lock,
                // anonymous traffic never holds off the security administrator nobody else can unlock
                None if self.sole_security_admin_in(&mut tx, username).await? => {}
                None => {
                    let until = counter_lock(&mut tx, username, ACCOUNT_WIDE)
                        .await?
                        .unwrap_or(now);
                    return Ok(LoginClaim::Refused {
                        until,
                        account_wide: true,
                    });
                }
            }
        }
        // what the administrators' pages show (no row for a username that does not exist)
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET failed_logins = failed_logins + 1, locked_until = COALESCE($1, locked_until) \
                 WHERE username = $2",
            )
            .bind(locked_until.or(account_lock)).bind(username).execute(&mut *c).await?;
        });
        tx.commit().await?;
        Ok(LoginClaim::Granted {
            failures,
            locked_until,
        })
    }

    /// Whether `username` is an enabled security administrator whom no other enabled one can unlock.
    async fn sole_security_admin_in(&self, tx: &mut Tx, username: &str) -> Result<bool> {
        let rows: Vec<(String, String)> = with_tx!(tx, c => {
            sqlx::query_as(
                "SELECT a.username, a.region_code FROM account a JOIN account_role r ON r.account_id = a.id \
                 WHERE r.role = $1 AND a.disabled = FALSE",
            )
            .bind(Role::SecurityAdmin.as_str())
            .fetch_all(&mut *c)
            .await?
        });
        let Some((_, mine)) = rows.iter().find(|(u, _)| u == username) else {
            return Ok(false);
        };
        let region = |code: &str| RegionCode::parse(code).map_err(|_| StoreError::Corrupt(code.to_owned()));
        let mine = region(mine)?;
        let others = rows
            .iter()
            .filter(|(u, _)| u != username)
            .map(|(_, code)| region(code))
            .collect::<Result<Vec<_>>>()?;
        Ok(!another_can_unlock(&mine, &others))
    }

    /// Audits a checked attempt that did not log in: a wrong password (or an unknown username), or the
    /// right password of a disabled account; and the lock its claim took, if any.
    pub async fn login_failed(
        &self,
        rec: Option<&LoginRecord>,
        tried: &str,
        source: &str,
        reason: &str,
        locked_until: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let Some(rec) = rec else {
            let actor = Actor {
                account_id: None,
                username: "anonymous".into(),
                ip: source.to_owned(),
            };
            let detail = serde_json::json!({ "reason": reason, "username": tried_username(tried) });
            self.audit(
                &mut tx,
                &actor,
                AuditAction::LoginFailure,
                "account:?",
                None,
                &detail.to_string(),
            )
            .await?;
            return tx.commit().await;
        };
        let actor = Actor {
            account_id: Some(rec.id),
            username: rec.username.clone(),
            ip: source.to_owned(),
        };
        let target = format!("account:{}", rec.id);
        let region = RegionCode::parse(&rec.region_code).ok();
        let detail = serde_json::json!({ "reason": reason }).to_string();
        self.audit(
            &mut tx,
            &actor,
            AuditAction::LoginFailure,
            &target,
            region.as_ref(),
            &detail,
        )
        .await?;
        if let Some(until) = locked_until {
            let detail = serde_json::json!({ "source": source, "until": until.to_rfc3339() }).to_string();
            self.audit(
                &mut tx,
                &actor,
                AuditAction::AccountLocked,
                &target,
                region.as_ref(),
                &detail,
            )
            .await?;
        }
        tx.commit().await
    }

    /// Audits attempts refused without a password check (the web layer writes one such entry per
    /// address per minute, with how many there were).
    pub async fn login_refused(&self, source: &str, refused: u64, reason: &str) -> Result<()> {
        let actor = Actor {
            account_id: None,
            username: "anonymous".into(),
            ip: source.to_owned(),
        };
        let detail = serde_json::json!({ "reason": reason, "refused": refused }).to_string();
        self.audit_alone(&actor, AuditAction::LoginThrottled, "login", None, &detail)
            .await
    }

    /// Lifts every lock on `username` (from every address, and account-wide), in the caller's transaction.
    /// [`Store::lift_login_locks`] for the account `id`.
    pub(crate) async fn lift_login_locks_of(&self, tx: &mut Tx, id: i64) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query(
                "UPDATE login_throttle SET failures = 0, locked_until = NULL \
                 WHERE username = (SELECT username FROM account WHERE id = $1)",
            )
            .bind(id).execute(&mut *c).await?;
        });
        Ok(())
    }

    pub(crate) async fn lift_login_locks(&self, tx: &mut Tx, username: &str) -> Result<()> {
        with_tx!(tx, c => {
            sqlx::query("UPDATE login_throttle SET failures = 0, locked_until = NULL WHERE username = $1")
                .bind(username).execute(&mut *c).await?;
            sqlx::query("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE username = $1")
                .bind(username).execute(&mut *c).await?;
        });
        Ok(())
    }

    /// `liaison unlock`: lifts every lock on an account from the server's command line (the way back
    /// when the only security administrator is locked out); audited.
    pub async fn unlock_username(&self, actor: &Actor, username: &str) -> Result<()> {
        let rec = self.login_record(username).await?.ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        self.lift_login_locks(&mut tx, username).await?;
        let region = RegionCode::parse(&rec.region_code).ok();
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountUnlock,
            &format!("account:{}", rec.id),
            region.as_ref(),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    /// Forgets counters nobody has used for two days (and that hold no lock, and no recent success).
    pub async fn prune_login_throttle(&self, now: DateTime<Utc>) -> Result<u64> {
        let n = with_pool!(&self.write, p => {
            sqlx::query(
                "DELETE FROM login_throttle WHERE last_at < $1 AND (locked_until IS NULL OR locked_until < $2) \
                 AND (succeeded_at IS NULL OR succeeded_at < $3)",
            )
            .bind(now - Duration::days(2)).bind(now).bind(now - Duration::days(KNOWN_ADDRESS_DAYS))
            .execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// The caller changes their own password (after checking the old one and the policy). Every other
    /// session of the account ends; the one with `keep_session` (a token digest) stays.
    pub async fn change_own_password(
        &self,
        scope: &Scope,
        actor: &Actor,
        hash: &str,
        keep_session: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        with_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE account SET password_hash = $1, must_change_password = FALSE, password_changed_at = $2 \
                 WHERE id = $3",
            )
            .bind(hash).bind(Utc::now()).bind(scope.account_id).execute(&mut *c).await?;
        });
        self.delete_other_sessions_of(&mut tx, scope.account_id, keep_session)
            .await?;
        self.audit(
            &mut tx,
            actor,
            AuditAction::AccountChangePassword,
            &format!("account:{}", scope.account_id),
            Some(&scope.region),
            "{}",
        )
        .await?;
        tx.commit().await
    }

    pub async fn password_hash_of(&self, account_id: i64) -> Result<String> {
        let r: (String,) = with_pool!(&self.read, p => {
            sqlx::query_as("SELECT password_hash FROM account WHERE id = $1").bind(account_id).fetch_one(p).await?
        });
        Ok(r.0)
    }
}

/// Counts one attempt on the counter (`username`, `source`) with `Throttle::claim`'s rules, in one
/// statement; `None` (nothing counted) while it is locked. Returns the count, the lock this attempt
/// took, and the address's last success.
async fn claim_counter(
    tx: &mut Tx,
    username: &str,
    source: &str,
    t: Throttle,
    now: DateTime<Utc>,
) -> Result<Option<CounterRow>> {
    // a lock that ran out, or a counter quiet for a lock's length, starts again from zero
    const FRESH: &str = "(login_throttle.locked_until IS NOT NULL OR login_throttle.last_at <= $4)";
    let sql = format!(
        "INSERT INTO login_throttle (username, source, failures, locked_until, last_at) \
         VALUES ($1, $2, 1, CASE WHEN $5 <= 1 THEN $6 ELSE NULL END, $3) \
         ON CONFLICT (username, source) DO UPDATE SET \
           failures = CASE WHEN {FRESH} THEN 1 ELSE login_throttle.failures + 1 END, \
           locked_until = CASE WHEN (CASE WHEN {FRESH} THEN 1 ELSE login_throttle.failures + 1 END) >= $5 \
                          THEN $6 ELSE NULL END, \
           last_at = $3 \
         WHERE login_throttle.locked_until IS NULL OR login_throttle.locked_until <= $3 \
         RETURNING failures, locked_until, succeeded_at"
    );
    let sql = sqlx::AssertSqlSafe(sql);
    let row: Option<CounterRow> = with_tx!(tx, c => {
        sqlx::query_as(sql)
            .bind(username).bind(source).bind(now).bind(t.quiet_before(now)).bind(t.threshold)
            .bind(now + Duration::minutes(t.minutes))
            .fetch_optional(&mut *c)
            .await?
    });
    Ok(row)
}

async fn counter_lock(tx: &mut Tx, username: &str, source: &str) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(Option<DateTime<Utc>>,)> = with_tx!(tx, c => {
        sqlx::query_as("SELECT locked_until FROM login_throttle WHERE username = $1 AND source = $2")
            .bind(username).bind(source).fetch_optional(&mut *c).await?
    });
    Ok(row.and_then(|r| r.0))
}
