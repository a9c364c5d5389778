//! Figures over handled suggestions, as pure functions (reports, the scorecard, duty points and the
//! star rating use them): replies on time, the class distribution, first-time and overall
//! satisfaction, per unit and per deputy, and suggestions per deputy per year.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::opinion::Satisfaction;

/// What the figures need of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    pub year: i32,
    pub proposer: Option<i64>,
    pub lead_unit: Option<i64>,
    pub class: Option<String>,
    pub due_at: Option<DateTime<Utc>>,
    /// The first reply.
    pub first_reply_at: Option<DateTime<Utc>>,
    /// The proposer's verdict on the first reply, and the latest.
    pub first_rating: Option<Satisfaction>,
    pub last_rating: Option<Satisfaction>,
}

/// Counts over a set of items; rates are (part, whole) so a page shows "12/15" and a percentage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub items: u32,
    pub replied: u32,
    /// First replies given by the due time (of items with a due time and a reply).
    pub on_time: u32,
    pub classes: BTreeMap<String, u32>,
    pub rated: u32,
    /// 满意 or 基本满意 at the first rating.
    pub first_satisfied: u32,
    /// 满意 or 基本满意 at the latest rating.
    pub satisfied: u32,
}

impl Figures {
    fn add(&mut self, h: &Handled) {
        self.items += 1;
        if let Some(r) = h.first_reply_at {
            self.replied += 1;
            if h.due_at.is_some_and(|d| r <= d) {
                self.on_time += 1;
            }
        }
        if let Some(c) = &h.class {
            *self.classes.entry(c.clone()).or_default() += 1;
        }
        let good = |s: Option<Satisfaction>| matches!(s, Some(Satisfaction::Satisfied | Satisfaction::Basic));
        if h.last_rating.is_some() {
            self.rated += 1;
        }
        self.first_satisfied += u32::from(good(h.first_rating));
        self.satisfied += u32::from(good(h.last_rating));
    }

    /// A share in per cent, one decimal; None when there is nothing to divide by.
    pub fn percent(part: u32, whole: u32) -> Option<f64> {
        (whole > 0).then(|| (f64::from(part) * 1000.0 / f64::from(whole)).round() / 10.0)
    }

    /// Replies on time over replies.
    pub fn on_time_rate(&self) -> Option<f64> {
        Figures::percent(self.on_time, self.replied)
    }

    /// Satisfied at the first rating, over rated items.
    pub fn first_satisfaction(&self) -> Option<f64> {
        Figures::percent(self.first_satisfied, self.rated)
    }

    /// Satisfied at the latest rating, over rated items.
    pub fn satisfaction(&self) -> Option<f64> {
        Figures::percent(self.satisfied, self.rated)
    }
}

/// The figures of all the items.
pub fn figures<'a>(items: impl IntoIterator<Item = &'a Handled>) -> Figures {
    let mut f = Figures::default();
    for h in items {
        f.add(h);
    }
    f
}

/// The figures per lead unit (items without one are left out).
pub fn by_unit<'a>(items: impl IntoIterator<Item = &'a Handled>) -> BTreeMap<i64, Figures> {
    let mut out: BTreeMap<i64, Figures> = BTreeMap::new();
    for h in items {
        if let Some(u) = h.lead_unit {
            out.entry(u).or_default().add(h);
        }
    }
    out
}

/// The figures per proposer.
pub fn by_deputy<'a>(items: impl IntoIterator<Item = &'a Handled>) -> BTreeMap<i64, Figures> {
    let mut out: BTreeMap<i64, Figures> = BTreeMap::new();
    for h in items {
        if let Some(p) = h.proposer {
            out.entry(p).or_default().add(h);
        }
    }
    out
}

/// Suggestions per deputy per year: (deputy, year) → count.
pub fn per_deputy_year<'a>(items: impl IntoIterator<Item = &'a Handled>) -> BTreeMap<(i64, i32), u32> {
    let mut out = BTreeMap::new();
    for h in items {
        if let Some(p) = h.proposer {
            *out.entry((p, h.year)).or_default() += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Satisfaction as S;

    fn at(day: u32) -> Option<DateTime<Utc>> {
        chrono::NaiveDate::from_ymd_opt(2027, 3, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
    }

    fn item(unit: i64, class: &str, reply: Option<u32>, first: Option<S>, last: Option<S>) -> Handled {
        Handled {
            year: 2027,
            proposer: Some(unit * 100),
            lead_unit: Some(unit),
            class: (!class.is_empty()).then(|| class.to_owned()),
            due_at: at(15),
            first_reply_at: reply.and_then(at),
            first_rating: first,
            last_rating: last,
        }
    }

    #[test]
    fn on_time_classes_and_both_satisfactions() {
        let items = [
            item(1, "A", Some(10), Some(S::Satisfied), Some(S::Satisfied)),
            item(1, "B", Some(20), Some(S::Unsatisfied), Some(S::Basic)),
            item(2, "C", Some(15), Some(S::Unsatisfied), Some(S::Unsatisfied)),
            item(2, "", None, None, None),
        ];
        let f = figures(&items);
        assert_eq!((f.items, f.replied, f.on_time, f.rated), (4, 3, 2, 3));
        assert_eq!(f.on_time_rate(), Some(66.7), "the due day itself is on time");
        assert_eq!(f.first_satisfaction(), Some(33.3));
        assert_eq!(f.satisfaction(), Some(66.7), "re-handling raised it");
        assert_eq!(f.classes.get("B"), Some(&1));
        assert_eq!(f.classes.values().sum::<u32>(), 3);
        let units = by_unit(&items);
        assert_eq!(units[&1].satisfied, 2);
        assert_eq!(units[&2].replied, 1);
        assert_eq!(units[&2].satisfaction(), Some(0.0));
        assert_eq!(by_deputy(&items)[&200].items, 2);
        assert_eq!(per_deputy_year(&items).get(&(100, 2027)), Some(&2));
        assert_eq!(figures(&[]).on_time_rate(), None);
    }
}
