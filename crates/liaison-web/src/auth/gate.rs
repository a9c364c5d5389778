//! What stands in front of a password check, in memory: each address's budget of failed attempts
//! (refused before any hashing once spent), a bounded queue for the hasher, the hasher itself on a
//! small blocking pool (argon2 never runs on the threads that serve pages), and one audit entry per
//! address per minute for attempts refused unchecked.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use liaison_domain::password::{ADDRESS_FAILURES, ADDRESS_WINDOW_MINUTES, hash_password, verify_password};
use tokio::sync::Semaphore;

use crate::WebError;

/// Addresses tracked at most; beyond this, addresses nobody saw for a window are forgotten first.
const MAX_ADDRESSES: usize = 50_000;
/// Attempts waiting for the hasher at most, per hashing thread; more are told to come back shortly.
const QUEUE_PER_PERMIT: usize = 32;
/// One audit entry per address per this long for attempts refused unchecked.
const AUDIT_EVERY: Duration = Duration::from_secs(60);
/// How often the store's stale counters are pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

struct Address {
    window_start: Instant,
    failures: i64,
    audited_at: Option<Instant>,
    refused_unaudited: u64,
}

pub(crate) struct LoginGate {
    hashing: Semaphore,
    max_waiting: usize,
    waiting: AtomicUsize,
    addresses: Mutex<HashMap<String, Address>>,
    pruned_at: Mutex<Option<Instant>>,
}

/// One of an address's failure slots, taken before a password check. Given back when dropped (a
/// success, a refusal, an error) unless `spend` says the attempt failed.
pub(crate) struct AddressSlot<'a> {
    gate: &'a LoginGate,
    key: String,
    spent: bool,
}

impl AddressSlot<'_> {
    pub fn spend(mut self) {
        self.spent = true;
    }
}

impl Drop for AddressSlot<'_> {
    fn drop(&mut self) {
        if !self.spent
            && let Ok(mut map) = self.gate.addresses.lock()
            && let Some(a) = map.get_mut(&self.key)
        {
            a.failures = (a.failures - 1).max(0);
        }
    }
}

/// A place in the hasher's queue.
pub(crate) struct QueueTicket<'a>(&'a LoginGate);

impl Drop for QueueTicket<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The key an address is counted under: the address, or its /64 for IPv6 (one subscriber's block).
fn address_key(ip: &str) -> String {
    match ip.parse::<IpAddr>() {
        Ok(IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        _ => ip.chars().take(64).collect(),
    }
}

impl LoginGate {
    /// Sized to the machine: half the cores hash (at least one), so the rest keep serving pages.
    pub fn new() -> LoginGate {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let permits = (cores / 2).max(1);
        LoginGate {
            hashing: Semaphore::new(permits),
            max_waiting: permits * QUEUE_PER_PERMIT,
            waiting: AtomicUsize::new(0),
            addresses: Mutex::new(HashMap::new()),
            pruned_at: Mutex::new(None),
        }
    }

    fn window() -> Duration {
        Duration::from_secs(ADDRESS_WINDOW_MINUTES as u64 * 60)
    }

    /// Takes one of the address's failure slots, or says how long until its window ends.
    pub fn claim_address(&self, ip: &str) -> Result<AddressSlot<'_>, Duration> {
        let key = address_key(ip);
        let now = Instant::now();
        let mut map = self.addresses.lock().map_err(|_| Duration::from_secs(60))?;
        if map.len() >= MAX_ADDRESSES && !map.contains_key(&key) {
            map.retain(|_, a| now.duration_since(a.window_start) < Self::window());
        }
        let key = if map.len() >= MAX_ADDRESSES && !map.contains_key(&key) {
            // too many addresses at once: the newcomers share one budget
            "overflow".to_owned()
        } else {
            key
        };
        let a = map.entry(key.clone()).or_insert(Address {
            window_start: now,
            failures: 0,
            audited_at: None,
            refused_unaudited: 0,
        });
        if now.duration_since(a.window_start) >= Self::window() {
            a.window_start = now;
            a.failures = 0;
        }
        if a.failures >= ADDRESS_FAILURES {
            return Err(Self::window().saturating_sub(now.duration_since(a.window_start)));
        }
        a.failures += 1;
        Ok(AddressSlot {
            gate: self,
            key,
            spent: false,
        })
    }

    /// A place in the hasher's queue, or `None` when it is full.
    pub fn queue(&self) -> Option<QueueTicket<'_>> {
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let ticket = QueueTicket(self);
        (before < self.max_waiting).then_some(ticket)
    }

    /// Notes an attempt refused unchecked; `Some(n)` when an audit entry is due for this address (the
    /// first in a minute), `n` being the refusals since its last one, this one included.
    pub fn refused(&self, ip: &str) -> Option<u64> {
        let key = address_key(ip);
        let now = Instant::now();
        let mut map = self.addresses.lock().ok()?;
        let a = map.entry(key).or_insert(Address {
            window_start: now,
            failures: 0,
            audited_at: None,
            refused_unaudited: 0,
        });
        a.refused_unaudited += 1;
        if a.audited_at.is_some_and(|t| now.duration_since(t) < AUDIT_EVERY) {
            return None;
        }
        a.audited_at = Some(now);
        Some(std::mem::take(&mut a.refused_unaudited))
    }

    /// True at most once an hour: time to prune the stored counters (and forget idle addresses here).
    pub fn prune_due(&self) -> bool {
        let now = Instant::now();
        let Ok(mut at) = self.pruned_at.lock() else {
            return false;
        };
        match *at {
            Some(t) if now.duration_since(t) < PRUNE_EVERY => false,
            _ => {
                *at = Some(now);
                if let Ok(mut map) = self.addresses.lock() {
                    map.retain(|_, a| {
                        now.duration_since(a.window_start) < Self::window()
                            || a.audited_at.is_some_and(|t| now.duration_since(t) < AUDIT_EVERY)
                    });
                }
                true
            }
        }
    }

    /// Checks a password against a PHC string on the blocking pool, at most `permits` at a time.
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool, WebError> {
        let (password, phc) = (password.to_owned(), phc.to_owned());
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))
    }

    /// Hashes a new password the same way.
    pub async fn hash(&self, password: &str) -> Result<String, WebError> {
        let password = password.to_owned();
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?;
        Ok(hash?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_has_a_budget_of_failures_and_successes_give_theirs_back() {
        let gate = LoginGate::new();
        // successes (slots dropped unspent) cost nothing
        for _ in 0..100 {
            drop(gate.claim_address("10.0.0.1").unwrap());
        }
        for _ in 0..ADDRESS_FAILURES {
            gate.claim_address("10.0.0.1").unwrap().spend();
        }
        let wait = gate.claim_address("10.0.0.1").err().expect("refused");
        assert!(wait <= Duration::from_secs(15 * 60) && wait > Duration::from_secs(14 * 60));
        assert!(
            gate.claim_address("10.0.0.2").is_ok(),
            "another address is not affected"
        );
    }

    #[test]
    fn an_ipv6_subscriber_block_is_one_address() {
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:bbbb::9")
        );
        assert_ne!(address_key("2001:db8:1:2::1"), address_key("2001:db8:1:3::1"));
        assert_eq!(address_key("::ffff:10.0.0.1"), "10.0.0.1");
        assert_eq!(address_key("10.0.0.1"), "10.0.0.1");
    }

    #[test]
    fn refusals_are_audited_once_a_minute_with_their_count() {
        let gate = LoginGate::new();
        assert_eq!(gate.refused("10.0.0.1"), Some(1));
        for _ in 0..50 {
            assert_eq!(gate.refused("10.0.0.1"), None);
        }
        assert_eq!(gate.refused("10.0.0.2"), Some(1));
    }

    #[test]
    fn the_hasher_queue_is_bounded() {
        let gate = LoginGate::new();
        let tickets: Vec<_> = (0..gate.max_waiting)
            .map(|_| gate.queue().expect("room"))
            .collect();
        assert!(gate.queue().is_none());
        drop(tickets);
        assert!(gate.queue().is_some());
    }
}
