//! Keywords and similarity for spotting duplicate opinions.
//!
//! Citizens write short opinions (「村口路灯坏了三天，晚上很黑」), and the same broken lamp is often
//! reported by several people in different words. [`keywords`] turns a text into a small set of
//! content words (jieba segmentation, minus punctuation, numbers, stop words and most single
//! characters); [`similarity`] compares two such sets; [`rank`] orders earlier opinions by how
//! likely they are to be about the same thing. Nothing here does I/O.
//!
//! The jieba dictionary is loaded once per process, on the first call: about 0.1 s and 33 MB of
//! memory in a release build (0.34 s in a debug build). After that a 100-character opinion takes
//! about 20 µs (125 µs in debug). Measured with the ignored test `similar_timing`.

use std::collections::HashSet;

mod keyword;

pub use keyword::{MAX_KEYWORDS, keywords, search_terms};

/// Score at or above which two opinions are offered as likely duplicates (see [`similarity`]).
///
/// On the sample opinions in the tests, pairs about different things score at most 1/3 and most
/// true pairs 1/2 or more (the two village-entrance lamp reports: exactly 1/2); 0.4 sits in that gap,
/// leaning to recall, since a person confirms every suggested duplicate.
pub const DEFAULT_THRESHOLD: f32 = 0.4;

/// How alike two keyword lists are, in `[0, 1]`: the overlap coefficient
/// `w(A ∩ B) / min(w(A), w(B))` of the two sets (a repeated keyword counts once), where a keyword
/// weighs 1 and a single character (灯, 水 ...) weighs ½.
///
/// Overlap rather than Jaccard because a duplicate is usually one short complaint against a longer
/// one that tells the same story and adds detail (「自来水停水三天了」 against 「自来水停水三天了，
/// 做饭洗澡都成问题」): the longer text's extra words should not count against the pair. On the
/// sample opinions in the tests, overlap keeps every pair about different things at or below 1/3
/// while most true pairs reach 1/2 or more; Jaccard squeezes both into 0.06–0.6 with no clean gap.
/// The half weight keeps a lone shared 水 from making 「没水了，停水两天」 a duplicate of
/// 「水泥路坑坑洼洼，下雨全是水」 (1/3 instead of 1/2).
///
/// Symmetric; 1 for two equal non-empty sets; 0 when either list is empty.
pub fn similarity(a: &[String], b: &[String]) -> f32 {
    let a: HashSet<&str> = a.iter().map(String::as_str).collect();
    let b: HashSet<&str> = b.iter().map(String::as_str).collect();
    let smaller = total_weight(a.iter()).min(total_weight(b.iter()));
    if smaller <= 0.0 {
        return 0.0;
    }
    (total_weight(a.intersection(&b)) / smaller).min(1.0)
}

/// Folded from +0.0 (an empty float `sum()` is -0.0). Halves and ones: every total is exact,
/// whatever the set's iteration order.
fn total_weight<'a>(words: impl Iterator<Item = &'a &'a str>) -> f32 {
    words.fold(0.0, |total, w| total + weight_of(w))
}

/// A keyword weighs 1, a single character ½ (see [`similarity`]).
fn weight_of(word: &str) -> f32 {
    if word.chars().nth(1).is_some() { 1.0 } else { 0.5 }
}

/// An earlier opinion that a new one may duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<Id> {
    pub id: Id,
    pub text: String,
}

/// The candidates that score at least `threshold` against `text`, best first, at most `limit`.
/// Equal scores keep the input order (callers pass the newest first, so the newest wins a tie).
/// Every candidate's text is segmented again (about 20 µs each in release), so narrow the
/// candidates first (same region, recent, [`search_terms`] prefilter).
pub fn rank<Id: Clone>(
    text: &str,
    candidates: &[Candidate<Id>],
    threshold: f32,
    limit: usize,
) -> Vec<(Id, f32)> {
    let query = keywords(text);
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(usize, f32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (i, similarity(&query, &keywords(&c.text))))
        .filter(|&(_, score)| score >= threshold)
        .collect();
    // stable: ties stay in input order
    scored.sort_by(|x, y| y.1.total_cmp(&x.1));
    scored
        .into_iter()
        .take(limit)
        .map(|(i, score)| (candidates[i].id.clone(), score))
        .collect()
}

#[cfg(test)]
mod tests;
