//! Possible duplicates (疑似重复) flagged after intake: which earlier item a new one is flagged
//! against, where such an item may lie, and when the flag still counts. The similarity itself
//! is [`crate::opinion::similar`]'s; nothing here does I/O.

use crate::opinion::Stage;
use crate::{RegionCode, RegionLevel};

/// Where the item an item duplicates may lie: its township's subtree (an item above township level:
/// its own region's). Whoever sees the item sees that township (or region), so a flag never points a
/// clerk at an item of another township.
pub fn search_region(item: &RegionCode) -> RegionCode {
    if item.level() >= RegionLevel::Township {
        RegionCode::parse(&item.as_str()[..RegionLevel::Township.digits()]).unwrap_or_else(|_| item.clone())
    } else {
        item.clone()
    }
}

/// The keywords stored beside an item (`opinion.terms`, [`crate::opinion::similar::search_terms`]).
pub fn stored_terms(terms: &str) -> Vec<String> {
    terms
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The earlier item `terms` most likely duplicates: the best score at or above
/// [`crate::opinion::similar::DEFAULT_THRESHOLD`], the earliest (smallest id) of equal scores — the first
/// report of a matter is the one the others are merged into. `candidates` are (id, stored terms).
pub fn best_match<'a>(
    terms: &[String],
    candidates: impl IntoIterator<Item = (i64, &'a str)>,
) -> Option<(i64, f32)> {
    let mut best: Option<(i64, f32)> = None;
    for (id, theirs) in candidates {
        let score = crate::opinion::similar::similarity(terms, &stored_terms(theirs));
        if score < crate::opinion::similar::DEFAULT_THRESHOLD {
            continue;
        }
        let better = match best {
            None => true,
            Some((bid, bs)) => score > bs || (score == bs && id < bid),
        };
        if better {
            best = Some((id, score));
        }
    }
    best
}

/// A flag counts while both the item and the one it resembles are open (neither merged, closed,
/// declined nor published); after that it is ignored.
pub fn flag_applies(item: Stage, target: Stage) -> bool {
    item.is_open() && target.is_open()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opinion::similar::search_terms;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn a_village_item_looks_in_its_township() {
        assert_eq!(search_region(&rc("632521100201")), rc("632521100"));
        assert_eq!(search_region(&rc("632521100")), rc("632521100"));
        assert_eq!(search_region(&rc("632521")), rc("632521"));
    }

    #[test]
    fn the_best_and_earliest_match_wins() {
        let lamp = search_terms("村口路灯坏了，晚上很黑");
        let mine = stored_terms(&search_terms("村口的路灯坏了好几天了，晚上出行不安全"));
        let road = search_terms("水泥路坑坑洼洼，下雨全是水");
        let got = best_match(
            &mine,
            [(7, road.as_str()), (5, lamp.as_str()), (3, lamp.as_str())],
        );
        assert_eq!(got.map(|g| g.0), Some(3), "equal scores: the earliest");
        assert!(
            best_match(&mine, [(7, road.as_str())]).is_none(),
            "another topic is no match"
        );
        assert!(best_match(&[], [(5, lamp.as_str())]).is_none());
    }

    #[test]
    fn a_flag_counts_while_both_are_open() {
        assert!(flag_applies(Stage::Submitted, Stage::Assigned));
        assert!(!flag_applies(Stage::Merged, Stage::Accepted));
        assert!(!flag_applies(Stage::Submitted, Stage::Closed));
    }
}
