//! An opinion's keywords: jieba segmentation and the word lists that decide which of its words
//! say what the opinion is about.

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// At most this many keywords are kept per text (the first ones, in order of appearance).
pub const MAX_KEYWORDS: usize = 32;

/// Only the first this many characters of a text are segmented. Opinions are short; this only
/// bounds the cost of a pathological input.
const MAX_INPUT_CHARS: usize = 2000;

/// Words that carry no topic: function words, pronouns, politeness and the vocabulary every
/// opinion shares (问题, 反映, 希望, 解决 ...). Single characters are listed where they are the
/// usual spelling, although most single characters are dropped anyway (see [`SINGLE_CHAR_KEEP`]).
#[rustfmt::skip]
pub(super) const STOP_WORDS: &[&str] = &[
    // particles, pronouns, conjunctions, prepositions
    "的", "了", "是", "在", "我", "我们", "你", "你们", "您", "他", "他们", "她", "它", "有", "和", "与", "及", "或",
    "就", "也", "都", "很", "还", "这", "那", "着", "过", "被", "把", "给", "让", "对", "从", "到", "向", "跟",
    "而", "但", "但是", "因为", "所以", "如果", "还是", "或者", "而且", "并且", "然后", "以及", "自己", "大家", "有人",
    "别人", "人家", "咱们", "这个", "那个", "这些", "那些", "这里", "那里", "这边", "那边", "这样", "那样", "这么", "那么",
    "这种", "那种", "这座", "那座", "这条", "那条", "这家", "那家", "哪里", "一个", "一些", "一下", "一直", "一样", "一般",
    // negation, degree, time and modal words
    "没有", "没", "不", "不是", "什么", "怎么", "怎么办", "为什么", "多少", "非常", "特别", "比较", "有点", "有些", "真的",
    "实在", "十分", "太", "总是", "经常", "老是", "常常", "每次", "每天", "现在", "已经", "还有", "时候", "之前", "以后",
    "最近", "目前", "马上", "能", "能够", "要", "会", "可以", "应该", "需要", "必须", "可能", "是否", "全是", "就是", "都是",
    "只是",
    // the language of every opinion
    "希望", "请", "请问", "麻烦", "谢谢", "感谢", "您好", "你好", "问题", "反映", "情况", "建议", "尽快", "及时", "解决",
    "处理", "帮忙", "帮助", "相关", "部门", "领导", "代表", "同志", "政府", "一下子", "有关", "同时", "其他", "其它", "严重", "影响", "存在", "导致", "造成",
    "出现", "发现", "进行", "关注", "重视",
    // times, places and people every opinion has (the opinion's own region says where)
    "今天", "昨天", "前天", "今年", "去年", "上周", "早上", "晚上", "白天", "上午", "中午", "下午", "夜里", "半夜", "天天", "平时", "家里", "我家", "村里", "小区", "小区里",
    "社区", "村民", "居民", "群众", "百姓", "老百姓", "小孩", "孩子", "小朋友", "老人", "大人", "人员",
    // vague judgements
    "很大", "很多", "太多", "不行", "不好", "没人", "没人管", "厉害", "成问题", "日起", "号起",
    // interjections and sentence-final particles
    "啊", "吧", "呢", "吗", "呀", "哦", "嗯", "哈", "啦", "嘛",
];

/// Single characters kept as keywords: nouns that name the thing an opinion is about and are
/// often written alone (「家里没水了」, 「桥上栏杆断了」, 「灯一闪一闪」). Every other single
/// character is dropped: alone, 坏, 大, 上, 村 match far too many unrelated opinions.
pub(super) const SINGLE_CHAR_KEEP: &[char] = &[
    '灯', '路', '水', '电', '桥', '河', '井', '树', '墙', '气', '网', '车', '狗', '坟', '沟', '渠',
];

/// Characters that spell a number: digits (ASCII after normalisation), Chinese numerals, and the
/// vague counts 几 and 半.
const NUMERAL_CHARS: &str = "0123456789〇零一二两三四五六七八九十百千万亿几半";

/// Units and measure words that may follow a number in a number-like token (三天, 十点, 2024年,
/// 几根, 3组). A token made of a number and these alone says when or how many, never what.
const UNIT_CHARS: &str =
    "年月日号天周点时分秒个次回遍岁组栋幢楼层户人根座条辆家块元角米里斤亩项件处只名位期批片多余盏";

/// Frequencies that fix jieba's default dictionary on phrases common in opinions: without them
/// 「路灯不亮」 is cut 路|灯不亮, 「路面积水」 路|面积|水 and 「占道经营」 占|道|经营.
const DICT_FIXES: &[(&str, usize)] = &[("不亮", 1000), ("积水", 1000), ("占道", 500)];

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for &(word, freq) in DICT_FIXES {
        jieba.add_word(word, Some(freq), None);
    }
    jieba
});

/// The content words of `text`, deduplicated, in order of first appearance, at most
/// [`MAX_KEYWORDS`].
///
/// Full-width ASCII is folded to half-width and letters are lower-cased; jieba cuts the text in
/// search mode (a long word also yields the dictionary words inside it, so 「垃圾桶」 gives 垃圾 and
/// 垃圾桶, 「交通拥堵」 gives 交通, 拥堵 and 交通拥堵). Every non-alphanumeric character is removed
/// from a token, so a keyword holds only letters, digits and ideographs (no space, `%` or `_`).
/// Dropped: empty tokens (punctuation, whitespace, emoji), number-like tokens (`2024`, `138…`, 三天,
/// 十点, 好几根), stop words, and single characters other than a few nouns (灯 路 水 电 桥 …).
pub fn keywords(text: &str) -> Vec<String> {
    let normalized: String = text.chars().take(MAX_INPUT_CHARS).map(fold_width).collect();
    let mut out: Vec<String> = Vec::new();
    for token in JIEBA.cut_for_search(&normalized, true) {
        let word: String = token
            .word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // A word jieba's HMM made up (not in the dictionary) is often a noun glued to what
        // happened to it (桥断, 没水, 灯一闪): the allow-listed nouns in it stand for it.
        let nouns: Vec<String> = if word.chars().nth(1).is_some() && !JIEBA.has_word(token.word) {
            word.chars()
                .filter(|c| SINGLE_CHAR_KEEP.contains(c))
                .map(String::from)
                .collect()
        } else {
            Vec::new()
        };
        let words = if nouns.is_empty() { vec![word] } else { nouns };
        for w in words {
            if is_keyword(&w) && !out.contains(&w) {
                out.push(w);
                if out.len() == MAX_KEYWORDS {
                    return out;
                }
            }
        }
    }
    out
}

/// [`keywords`] joined by single spaces, for a `search_terms` text column kept beside each
/// opinion.
///
/// It lets the store prefilter candidates before calling [`rank`](super::rank): for a few keywords `k` of the
/// new opinion, `search_terms LIKE '%' || $k || '%'` (OR-ed). Keywords contain only letters, digits
/// and ideographs, so they never need LIKE escaping and never contain the separator. The filter is
/// a substring match, so 垃圾 also finds 垃圾桶: it may let through too much, never too little of
/// what [`rank`](super::rank) would score above zero for that keyword. An empty string means no keywords.
/// Stored terms go stale when this module's word lists change: recompute them then.
pub fn search_terms(text: &str) -> String {
    keywords(text).join(" ")
}

/// Full-width ASCII (Ａ-Ｚ, ０-９, ！ ...) to half-width, the ideographic space to a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_keyword(word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if chars.next().is_none() && !SINGLE_CHAR_KEEP.contains(&first) {
        return false;
    }
    !is_number_like(word) && !STOP_WORDS.contains(&word)
}

/// Digits or Chinese numerals, optionally after 好 or 第, optionally followed by units only:
/// `2024`, `13812345678`, 三天, 十点, 2024年, 好几根, 第三. Not 5g, 一闪 or 百姓.
pub(super) fn is_number_like(word: &str) -> bool {
    let rest = word
        .strip_prefix('好')
        .or_else(|| word.strip_prefix('第'))
        .unwrap_or(word);
    let units = rest.trim_start_matches(|c| NUMERAL_CHARS.contains(c));
    units.len() < rest.len() && units.chars().all(|c| UNIT_CHARS.contains(c))
}
