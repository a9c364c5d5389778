//! The demo county's opinions: about two hundred items over the last eight months, in every stage of
//! the handling loop. Each is planned first (its fate, township, channel and the time of each step,
//! from the demo seed), then walked through the real workflow in order of submission — intake, the
//! actions of the deputy, the clerks, the units and the citizen, 督办单 and 重点督办 — by the demo
//! accounts, and finally dated into the past (`Store::backdate_opinion`), so deadlines, overdue
//! items and reports read like a county at work.

mod plan;
mod walk;

use std::collections::HashMap;

use chrono::Utc;
use liaison_domain::Scope;
use liaison_store::Store;

use super::registry::Township;
use crate::AnyResult;
use plan::Fate;

/// The accounts that act.
pub struct Cast {
    pub deputy: Scope,
    pub county: Scope,
    /// Township clerks by township code.
    pub clerks: HashMap<String, Scope>,
    /// Units' accounts by unit id.
    pub units: HashMap<i64, Scope>,
}

/// An item walked so far, for choosing what a duplicate merges into.
struct Done {
    id: i64,
    township: usize,
    category: &'static str,
    text: String,
    fate: Fate,
}

/// Seeds the opinions; returns how many.
pub async fn seed(store: &Store, cast: &Cast, townships: &[Township], seed: u64) -> AnyResult<usize> {
    let now = Utc::now();
    let planned = plan::plan(seed, townships, |c| cast.clerks.contains_key(c), now);
    let mut done: Vec<Done> = Vec::new();
    for (i, p) in planned.iter().enumerate() {
        let d = walk::walk(store, cast, townships, p, i, &done).await?;
        done.push(d);
    }
    Ok(done.len())
}
