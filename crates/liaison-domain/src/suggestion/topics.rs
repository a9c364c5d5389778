//! 议题分析: the concerns most raised in a year, from deputies' suggestions and citizens' opinions
//! together, so the standing committee sees what to pick as supervision projects. Each item brings
//! its keywords (`opinion::similar::keywords`, the same pieces that spot duplicate opinions) and its
//! category; a keyword raised by many items, and by both deputies and citizens, ranks first.

use std::collections::{BTreeMap, HashMap};

/// Words every suggestion's title carries (「关于……的建议」) or that name no concern: not topics.
const BOILERPLATE: &[&str] = &[
    "关于",
    "建议",
    "议案",
    "意见",
    "问题",
    "加快",
    "加强",
    "进一步",
    "完善",
    "推进",
    "做好",
];

/// Where an item comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    Opinion,
    Suggestion,
}

/// One item as the analysis reads it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub source: Source,
    pub category: &'a str,
    pub keywords: &'a [String],
}

/// One keyword with how many items of each source raised it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub keyword: String,
    pub opinions: u32,
    pub suggestions: u32,
}

impl Topic {
    pub fn total(&self) -> u32 {
        self.opinions + self.suggestions
    }
}

/// Counts per category: (opinions, suggestions).
pub type ByCategory = BTreeMap<String, (u32, u32)>;

/// The `limit` keywords raised by the most items (each item counts once per keyword), ties broken by
/// raised from both sources, then by suggestions, then by the keyword; keywords raised by one item
/// only are left out. Also the counts per category.
pub fn topics<'a>(items: impl IntoIterator<Item = Item<'a>>, limit: usize) -> (Vec<Topic>, ByCategory) {
    let mut by_word: HashMap<&'a str, (u32, u32)> = HashMap::new();
    let mut by_category = ByCategory::new();
    for it in items {
        let slot = by_category.entry(it.category.to_owned()).or_default();
        let mut seen: Vec<&str> = Vec::new();
        match it.source {
            Source::Opinion => slot.0 += 1,
            Source::Suggestion => slot.1 += 1,
        }
        for k in it.keywords {
            if seen.contains(&k.as_str()) || BOILERPLATE.contains(&k.as_str()) {
                continue;
            }
            seen.push(k.as_str());
            let e = by_word.entry(k.as_str()).or_default();
            match it.source {
                Source::Opinion => e.0 += 1,
                Source::Suggestion => e.1 += 1,
            }
        }
    }
    let mut out: Vec<Topic> = by_word
        .into_iter()
        .filter(|(_, (o, s))| o + s > 1)
        .map(|(k, (opinions, suggestions))| Topic {
            keyword: k.to_owned(),
            opinions,
            suggestions,
        })
        .collect();
    out.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then_with(|| (b.opinions > 0 && b.suggestions > 0).cmp(&(a.opinions > 0 && a.suggestions > 0)))
            .then_with(|| b.suggestions.cmp(&a.suggestions))
            .then_with(|| a.keyword.cmp(&b.keyword))
    });
    out.truncate(limit);
    (out, by_category)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opinion::similar::keywords;

    #[test]
    fn the_concerns_raised_most_by_deputies_and_citizens_rank_first() {
        let texts = [
            (Source::Opinion, "utilities", "小区雨污管网堵塞，污水倒灌"),
            (Source::Opinion, "utilities", "雨季污水倒灌进楼道"),
            (Source::Opinion, "roads", "村口道路坑洼不平"),
            (Source::Suggestion, "utilities", "关于改造老旧小区雨污管网的建议"),
            (Source::Suggestion, "roads", "关于加快农村道路养护的建议"),
            (Source::Opinion, "welfare", "高龄补贴迟迟未发"),
        ];
        let kw: Vec<(Source, &str, Vec<String>)> =
            texts.iter().map(|(s, c, t)| (*s, *c, keywords(t))).collect();
        let (top, cats) = topics(
            kw.iter().map(|(s, c, k)| Item {
                source: *s,
                category: c,
                keywords: k,
            }),
            10,
        );
        let first = &top[0];
        assert!(first.total() >= 2, "{top:?}");
        assert!(
            top.iter().any(|t| t.keyword == "污水" && t.opinions == 2),
            "{top:?}"
        );
        let pipes = top.iter().find(|t| t.keyword == "管网").expect("管网");
        assert_eq!((pipes.opinions, pipes.suggestions), (1, 1));
        assert!(top.iter().all(|t| t.total() > 1), "one-off words are left out");
        assert!(!top.iter().any(|t| t.keyword == "补贴"));
        assert_eq!(cats["utilities"], (2, 1));
        assert_eq!(cats["welfare"], (1, 0));
        // at equal totals, what both deputies and citizens raised ranks first
        let both = top.iter().position(|t| t.keyword == "管网").unwrap();
        let one = top.iter().position(|t| t.keyword == "污水").unwrap();
        assert!(both < one, "{top:?}");
        assert!(
            !top.iter().any(|t| t.keyword == "关于"),
            "a title's boilerplate is no topic: {top:?}"
        );
        let (limited, _) = topics(
            kw.iter().map(|(s, c, k)| Item {
                source: *s,
                category: c,
                keywords: k,
            }),
            1,
        );
        assert_eq!(limited.len(), 1);
    }
}
