//! A value read from the database and kept by a `Store` (shared by its clones) for a minute: data that
//! is read on nearly every action and changes rarely (the working-day calendar, the deadline rules). A
//! save on this instance forgets it at once; other instances pick the change up within the minute. The
//! generation counts invalidations, so a load that started before a save cannot put the old value back
//! afterwards.

use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long a loaded value is used before it is read again.
pub(crate) const CACHE_FOR: Duration = Duration::from_secs(60);

#[derive(Debug)]
pub(crate) struct Cached<T> {
    state: RwLock<State<T>>,
}

#[derive(Debug)]
struct State<T> {
    generation: u64,
    loaded: Option<(Instant, T)>,
}

impl<T> Default for Cached<T> {
    fn default() -> Self {
        Cached {
            state: RwLock::new(State {
                generation: 0,
                loaded: None,
            }),
        }
    }
}

impl<T: Clone> Cached<T> {
    /// The value if one was loaded less than [`CACHE_FOR`] ago, else the generation to load for.
    pub(crate) fn fresh(&self) -> Result<T, u64> {
        let state = self.state.read().unwrap_or_else(|p| p.into_inner());
        match &state.loaded {
            Some((at, value)) if at.elapsed() < CACHE_FOR => Ok(value.clone()),
            _ => Err(state.generation),
        }
    }

    /// Keeps `value`, loaded for `generation`, unless a save came in meanwhile.
    pub(crate) fn put(&self, generation: u64, value: &T) {
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        if state.generation == generation {
            state.loaded = Some((Instant::now(), value.clone()));
        }
    }

    /// Drops the kept value (after a save on this instance).
    pub(crate) fn forget(&self) {
        let mut state = self.state.write().unwrap_or_else(|p| p.into_inner());
        state.generation = state.generation.wrapping_add(1);
        state.loaded = None;
    }
}

/// Values computed per key (a region) and reused for a fixed time: tallies that group many rows, where
/// a figure some seconds old serves as well as a fresh one. Bounded: stale entries go first, and a
/// flood of keys empties it.
#[derive(Debug)]
pub(crate) struct Kept<V> {
    ttl: Duration,
    kept: std::sync::Mutex<std::collections::HashMap<String, (Instant, V)>>,
}

impl<V: Clone> Kept<V> {
    pub(crate) fn new(ttl: Duration) -> Kept<V> {
        Kept {
            ttl,
            kept: Default::default(),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<V> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        kept.get(key)
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .map(|(_, v)| v.clone())
    }

    pub(crate) fn put(&self, key: &str, value: &V) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let ttl = self.ttl;
        kept.retain(|_, (at, _)| at.elapsed() < ttl);
        if kept.len() >= 10_000 {
            kept.clear();
        }
        kept.insert(key.to_owned(), (Instant::now(), value.clone()));
    }
}

impl<V> Kept<V> {
    /// Forgets everything kept (a write on this instance; other instances wait out the TTL).
    pub(crate) fn clear(&self) {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_begun_before_a_save_does_not_put_the_old_value_back() {
        let cache = Cached::<Vec<i32>>::default();
        let Err(first) = cache.fresh() else {
            panic!("an empty cache has nothing fresh");
        };
        cache.put(first, &vec![2024, 2025, 2026]);
        assert!(cache.fresh().is_ok());
        cache.forget();
        let Err(stale) = cache.fresh() else {
            panic!("forgotten");
        };
        cache.forget(); // a save lands while that load is running
        cache.put(stale, &vec![]);
        let Err(now) = cache.fresh() else {
            panic!("the stale load is dropped");
        };
        cache.put(now, &vec![2024, 2025, 2026]);
        assert_eq!(cache.fresh(), Ok(vec![2024, 2025, 2026]));
    }
}
