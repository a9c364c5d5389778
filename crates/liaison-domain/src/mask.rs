//! Masking personal information for anything the public (or a role without the need) can see.
//!
//! Free text is masked on its *normalised digit sequence*: every character a reader takes for a digit
//! counts as one (ASCII and full-width digits, circled and other Unicode digits, Chinese numerals
//! 〇零一…九 and 幺, the capitals 壹贰叁…), and anything that is neither a letter nor a digit (spaces of
//! any width, dashes of every width, dots, underscores, slashes, brackets, zero-width characters, …)
//! is skipped between digits, remembering where each digit stood. A run of seven or more digits that
//! is not one of the deployment's [`PublicPhones`] keeps its first three and last two digits and
//! loses the rest to `*`, in the original characters. A mobile number split by a letter or two
//! (`138a1234b5678`) is found as well. Masking replaces characters one for one, so it never moves
//! text around and masking twice changes nothing.

use std::collections::HashSet;
use std::sync::Arc;

/// How many digits a masked run keeps at its start and at its end.
const KEEP_HEAD: usize = 3;
const KEEP_TAIL: usize = 2;
/// A run of this many digits (or more) is masked: phones (7–8 digit local numbers, 11-digit mobiles,
/// 10–12 digit landlines with their area code), ID-card, bank-card and account numbers.
const MASK_FROM: usize = 7;
/// The longest public number (a landline with its area code; a country code is dropped).
const PUBLIC_MAX: usize = 12;
/// A mobile number is also found across this many characters of anything but a line break.
const LOOSE_GAP: usize = 3;

/// The value of a character a reader takes for a digit, whatever script or width it is written in.
pub fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii() {
        return c.is_ascii_digit().then(|| c as u8 - b'0');
    }
    let n = c as u32;
    if n < 0x0660 {
        return match c {
            '¹' => Some(1),
            '²' => Some(2),
            '³' => Some(3),
            _ => None,
        };
    }
    // most of a text: the ideographs, of which only the numerals are digits
    if (0x4E00..=0x9FFF).contains(&n) {
        return chinese_numeral(c);
    }
    let from = |zero: u32| Some((n - zero) as u8);
    match c {
        '0'..='9' => from('0' as u32),
        '０'..='９' => from('０' as u32),
        // Arabic-Indic, extended Arabic-Indic, Devanagari
        '\u{0660}'..='\u{0669}' => from(0x0660),
        '\u{06F0}'..='\u{06F9}' => from(0x06F0),
        '\u{0966}'..='\u{096F}' => from(0x0966),
        // mathematical bold, double-struck, sans-serif, sans-serif bold, monospace digits
        '\u{1D7CE}'..='\u{1D7FF}' => Some(((n - 0x1D7CE) % 10) as u8),
        '⁰' => Some(0),
        '⁴'..='⁹' => Some((n - 0x2070) as u8),
        '₀'..='₉' => from(0x2080),
        '⓪' | '⓿' | '🄀' => Some(0),
        '①'..='⑨' => Some((n - 0x2460 + 1) as u8),
        '⑴'..='⑼' => Some((n - 0x2474 + 1) as u8),
        '⒈'..='⒐' => Some((n - 0x2488 + 1) as u8),
        '⓵'..='⓽' => Some((n - 0x24F5 + 1) as u8),
        '❶'..='❾' => Some((n - 0x2776 + 1) as u8),
        '➀'..='➈' => Some((n - 0x2780 + 1) as u8),
        '➊'..='➒' => Some((n - 0x278A + 1) as u8),
        '🄁'..='🄊' => Some((n - 0x1F101) as u8),
        '〇' => Some(0),
        _ => None,
    }
}

/// The Chinese numerals, everyday and capital (大写), and 幺 for one.
fn chinese_numeral(c: char) -> Option<u8> {
    match c {
        '零' => Some(0),
        '一' | '壹' | '幺' => Some(1),
        '二' | '贰' | '貳' => Some(2),
        '三' | '叁' | '參' | '叄' => Some(3),
        '四' | '肆' => Some(4),
        '五' | '伍' => Some(5),
        '六' | '陆' | '陸' => Some(6),
        '七' | '柒' => Some(7),
        '八' | '捌' => Some(8),
        '九' | '玖' => Some(9),
        _ => None,
    }
}

/// Letters and words read as a digit inside a number (`138O1234567`, 洞幺拐 as said over the radio):
/// counted only between two digits, so ordinary words are left alone.
fn weak_digit_value(c: char) -> Option<u8> {
    match c {
        'O' | 'o' | 'Ｏ' | 'ｏ' | '洞' => Some(0),
        'l' | 'I' | 'ｌ' | 'Ｉ' => Some(1),
        '两' => Some(2),
        '拐' => Some(7),
        '勾' => Some(9),
        _ => None,
    }
}

/// Whether a character may stand between the digits of one number: anything that is neither a
/// letter (of any script) nor a digit — spaces, dashes, dots, slashes, brackets, zero-width marks.
pub fn is_separator(c: char) -> bool {
    if c.is_ascii() {
        return !c.is_ascii_alphanumeric();
    }
    if digit_value(c).is_some() {
        return false;
    }
    // without a table lookup: the common ideographs are letters; CJK punctuation (but 々 〆 〻) and
    // the full-width signs are not
    match c {
        '\u{4E00}'..='\u{9FFF}' | '々' | '〆' | '〻' => return false,
        '\u{3000}'..='\u{303F}' => return true,
        '\u{FF01}'..='\u{FF5E}' => return !c.is_alphanumeric(),
        _ => {}
    }
    // the long-vowel marks and the macron are letters to Unicode, dashes to someone typing a number
    !c.is_alphanumeric() || matches!(c, 'ー' | 'ｰ' | 'ˉ' | 'ˍ' | '〜')
}

/// The digits of a typed number, as ASCII, whatever they were written in.
pub fn digits(s: &str) -> String {
    s.chars()
        .filter_map(digit_value)
        .map(|d| char::from(b'0' + d))
        .collect()
}

/// A mainland mobile number: 11 digits, `1[3-9]…`.
pub fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && b.iter().all(u8::is_ascii_digit)
}

/// `13812345678` -> `138****5678`; landlines keep the area code and the last two digits.
pub fn phone(p: &str) -> String {
    let digits: Vec<char> = digits(p).chars().collect();
    let n = digits.len();
    if n == 0 {
        return String::new();
    }
    if n == 11 && digits[0] == '1' {
        let head: String = digits[..3].iter().collect();
        let tail: String = digits[7..].iter().collect();
        return format!("{head}****{tail}");
    }
    if n <= 4 {
        return "*".repeat(n);
    }
    // a landline keeps its area code (010 and 02x are three digits, others four)
    let keep_head = match (digits[0], digits[1]) {
        ('0', '1' | '2') => 3,
        ('0', _) => 4,
        _ => (n / 3).min(4),
    };
    let head: String = digits[..keep_head].iter().collect();
    let tail: String = digits[n - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(n - keep_head - 2))
}

/// `张三` -> `张*`, `欧阳修文` -> `欧***`: keeps the first character only.
pub fn name(n: &str) -> String {
    let mut chars = n.trim().chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
        None => String::new(),
    }
}

/// The phone numbers a deployment publishes itself (公开电话): handling units' and stations' office
/// numbers from the registry and the numbers staff add to the list. Masking leaves them intact, in
/// any writing (`0974-8512345`, `(0974)8512345`, `8512345` without the area code).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicPhones {
    digits: HashSet<String>,
}

impl PublicPhones {
    /// From numbers as typed; a field may hold several (`0974-8512345/8512346`). Anything shorter
    /// than seven digits is not a phone number and is ignored.
    pub fn new<S: AsRef<str>>(numbers: impl IntoIterator<Item = S>) -> PublicPhones {
        let mut digits = HashSet::new();
        for field in numbers {
            for part in field
                .as_ref()
                .split(['/', '／', '、', ',', '，', ';', '；', '|', '\n'])
            {
                // two numbers side by side with only a space between are two numbers
                let d = self::digits(part);
                let pieces: Vec<String> = if d.len() > PUBLIC_MAX + 4 {
                    part.split_whitespace().map(self::digits).collect()
                } else {
                    vec![d]
                };
                for form in pieces.iter().flat_map(|d| Self::forms(d)) {
                    if (MASK_FROM..=PUBLIC_MAX).contains(&form.len()) {
                        digits.insert(form);
                    }
                }
            }
        }
        PublicPhones { digits }
    }

    /// One number as it may be written: whole, without the country code, without the area code.
    fn forms(d: &str) -> Vec<String> {
        let d = d
            .strip_prefix("0086")
            .or_else(|| d.strip_prefix("86").filter(|rest| is_mobile(rest)))
            .unwrap_or(d);
        let mut v = vec![d.to_owned()];
        if d.starts_with('0') && (10..=12).contains(&d.len()) {
            let area = if matches!(d.as_bytes()[1], b'1' | b'2') {
                3
            } else {
                4
            };
            v.push(d[area..].to_owned());
        }
        v
    }

    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    pub fn len(&self) -> usize {
        self.digits.len()
    }

    /// Whether these digits (ASCII) are a public number.
    pub fn contains(&self, digits: &str) -> bool {
        self.digits.contains(digits)
    }
}

/// What a text is cleaned of before a reader without the need to know sees it: every number that is
/// not public, and the names given (the citizen's own, say).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    public: Arc<PublicPhones>,
    names: Vec<String>,
}

impl Redactor {
    pub fn new(public: Arc<PublicPhones>) -> Redactor {
        Redactor {
            public,
            names: Vec::new(),
        }
    }

    /// Also masks every occurrence of this name (`王秀英` -> `王**`); a name of one character is
    /// left alone (it would mask every word with that character).
    pub fn with_name(mut self, name: &str) -> Redactor {
        let n = name.trim();
        if n.chars().count() >= 2 && !self.names.iter().any(|x| x == n) {
            self.names.push(n.to_owned());
        }
        self
    }

    /// The text as that reader sees it.
    pub fn text(&self, s: &str) -> String {
        // numbers first: a masked name's `*` next to digits would read as masked digits
        let mut s = mask_numbers(s, &self.public);
        for n in &self.names {
            if s.contains(n.as_str()) {
                s = s.replace(n.as_str(), &self::name(n));
            }
        }
        s
    }
}

/// Free text made safe to publish, with nothing kept public: see the module's rule.
pub fn free_text(s: &str) -> String {
    mask_numbers(s, &PublicPhones::default())
}

/// Free text made safe to publish, keeping the deployment's public numbers.
pub fn free_text_keeping(s: &str, public: &PublicPhones) -> String {
    mask_numbers(s, public)
}

/// One digit of a run: where it stands, its value (`X` for an ID card's check digit), and whether a
/// separator stands right before it inside the run (a group starts there).
#[derive(Debug, Clone, Copy)]
struct Digit {
    at: usize,
    value: char,
    group_start: bool,
    group_end: bool,
}

fn mask_numbers(s: &str, public: &PublicPhones) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    // text without a digit (most notes) comes back as it is
    if !chars.iter().any(|c| digit_value(*c).is_some()) {
        return s.to_owned();
    }
    let seps: Vec<bool> = chars.iter().map(|c| is_separator(*c)).collect();
    let values = counted_digits(&chars, &seps);
    let runs = runs(&chars, &seps, &values);
    let mut hide = vec![false; chars.len()];
    let mut kept = vec![false; chars.len()];
    for run in &runs {
        let public_at = public_spans(run, public);
        for (d, p) in run.iter().zip(&public_at) {
            kept[d.at] = *p;
        }
        let private: Vec<usize> = run
            .iter()
            .zip(&public_at)
            .filter(|(_, p)| !**p)
            .map(|(d, _)| d.at)
            .collect();
        if private.len() >= MASK_FROM {
            for at in &private[KEEP_HEAD..private.len() - KEEP_TAIL] {
                hide[*at] = true;
            }
        }
    }
    // a mobile split by a letter or two: look again across short gaps between runs
    let mut i = 0;
    while i < runs.len() {
        let mut j = i;
        while j + 1 < runs.len() && loose_gap(&chars, &runs[j], &runs[j + 1]) {
            j += 1;
        }
        if j > i {
            // public numbers are left out: their digits are no part of anyone's mobile
            let joined: Vec<Digit> = runs[i..=j]
                .iter()
                .flatten()
                .filter(|d| !kept[d.at])
                .copied()
                .collect();
            for w in joined.windows(11) {
                let mobile = w[0].value == '1'
                    && ('3'..='9').contains(&w[1].value)
                    && w.iter().all(|d| d.value.is_ascii_digit());
                if mobile {
                    for d in &w[KEEP_HEAD..11 - KEEP_TAIL] {
                        hide[d.at] = true;
                    }
                }
            }
        }
        i = j + 1;
    }
    for (c, h) in chars.iter_mut().zip(&hide) {
        if *h {
            *c = '*';
        }
    }
    chars.into_iter().collect()
}

/// What a `*` counts as inside a run: a digit masked already, so masking again changes nothing.
const MASKED: u8 = 10;

/// The digit each character counts as: a digit in any writing; a look-alike letter only between two
/// digits (separators skipped); `*`, a digit masked already.
fn counted_digits(chars: &[char], seps: &[bool]) -> Vec<Option<u8>> {
    let mut values: Vec<Option<u8>> = chars
        .iter()
        .map(|c| match c {
            '*' | '＊' => Some(MASKED),
            c => digit_value(*c),
        })
        .collect();
    let mut prev_digit = false;
    for i in 0..chars.len() {
        if values[i].is_some() {
            prev_digit = true;
            continue;
        }
        if seps[i] {
            continue;
        }
        if let Some(v) = weak_digit_value(chars[i]) {
            let next = (i + 1..chars.len()).find(|j| !seps[*j]).map(|j| chars[j]);
            let next_digit = next.is_some_and(|c| digit_value(c).is_some() || weak_digit_value(c).is_some());
            if prev_digit && next_digit {
                values[i] = Some(v);
                continue;
            }
        }
        prev_digit = false;
    }
    values
}

/// Runs of digits with nothing but separators between them; an ID card's check digit `X` ends a run
/// of 17 digits.
fn runs(chars: &[char], seps: &[bool], values: &[Option<u8>]) -> Vec<Vec<Digit>> {
    let mut runs: Vec<Vec<Digit>> = Vec::new();
    let mut current: Vec<Digit> = Vec::new();
    let mut gap = false;
    for (i, c) in chars.iter().enumerate() {
        let value = match values[i] {
            Some(MASKED) => Some('*'),
            Some(v) => Some(char::from(b'0' + v)),
            None if matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ') && current.len() == 17 => Some('X'),
            None => None,
        };
        match value {
            Some(value) => {
                if let Some(last) = current.last_mut() {
                    last.group_end |= gap;
                }
                current.push(Digit {
                    at: i,
                    value,
                    group_start: current.is_empty() || gap,
                    group_end: false,
                });
                gap = false;
                if value == 'X' {
                    finish(&mut runs, &mut current);
                }
            }
            None if seps[i] && !current.is_empty() => gap = true,
            None => {
                finish(&mut runs, &mut current);
                gap = false;
            }
        }
    }
    finish(&mut runs, &mut current);
    runs
}

fn finish(runs: &mut Vec<Vec<Digit>>, current: &mut Vec<Digit>) {
    if let Some(last) = current.last_mut() {
        last.group_end = true;
        runs.push(std::mem::take(current));
    }
}

/// Which digits of a run belong to a public number written whole (starting and ending where a group
/// of digits does, so a public number is not found inside a longer one); longest first.
fn public_spans(run: &[Digit], public: &PublicPhones) -> Vec<bool> {
    let mut kept = vec![false; run.len()];
    if public.is_empty() {
        return kept;
    }
    let mut s = 0;
    while s < run.len() {
        let found = if run[s].group_start {
            let last = (s + PUBLIC_MAX).min(run.len()) - 1;
            (s + MASK_FROM - 1..=last).rev().find(|&e| {
                run[e].group_end && public.contains(&run[s..=e].iter().map(|d| d.value).collect::<String>())
            })
        } else {
            None
        };
        match found {
            Some(e) => {
                kept[s..=e].iter_mut().for_each(|k| *k = true);
                s = e + 1;
            }
            None => s += 1,
        }
    }
    kept
}

/// Whether two runs are close enough to be one mobile number split by a letter or two.
fn loose_gap(chars: &[char], a: &[Digit], b: &[Digit]) -> bool {
    match (a.last(), b.first()) {
        (Some(x), Some(y)) => y.at - x.at - 1 <= LOOSE_GAP && !chars[x.at + 1..y.at].contains(&'\n'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reader takes for a digit (the test's own list, independent of the masker's).
    const LOOKS_LIKE_A_DIGIT: &str =
        "0123456789０１２３４５６７８９〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖①②③④⑤⑥⑦⑧⑨";

    #[test]
    fn numbers_in_free_text() {
        assert_eq!(
            free_text("路灯坏了，电话13812345678联系"),
            "路灯坏了，电话138******78联系"
        );
        assert_eq!(free_text("身份证63252119800101123X"), "身份证632*************3X");
        assert_eq!(free_text("号码 138 1234 5678 找我"), "号码 138 **** **78 找我");
        assert_eq!(free_text("座机0974-8512345"), "座机097*-*****45");
        assert_eq!(free_text("１３８１２３４５６７８"), "１３８******７８");
        // short numbers stay: house numbers, dates, counts
        assert_eq!(
            free_text("幸福路12号3单元，2026年5月坏了3盏"),
            "幸福路12号3单元，2026年5月坏了3盏"
        );
    }

    proptest! {
        #[test]
        fn no_long_digit_run_survives(s in "[0-9a-z 路-]{0,40}") {
            let out = free_text(&s);
            // digits still visible in one run joined by single separators: never 7 or more
            let cs: Vec<char> = out.chars().collect();
            let mut run = 0;
            for (i, c) in cs.iter().enumerate() {
                let joins = matches!(c, ' ' | '-')
                    && i > 0
                    && (cs[i - 1].is_ascii_digit() || cs[i - 1] == '*')
                    && cs.get(i + 1).is_some_and(|n| n.is_ascii_digit() || *n == '*');
                run = match c {
                    '0'..='9' => run + 1,
                    _ if joins => run,
                    _ => 0,
                };
                prop_assert!(run <= 6, "{} -> {}", s, out);
            }
            prop_assert_eq!(out.chars().count(), s.chars().count());
        }
    }

    /// The probe's bypasses: separators of every kind, look-alike digits, brackets, Chinese numerals.
    #[test]
    fn a_mobile_is_masked_whatever_separates_or_spells_its_digits() {
        for written in [
            "138.1234.5678",
            "138  1234  5678",
            "138\u{2010}1234\u{2011}5678",
            "138\u{2012}1234\u{2013}5678",
            "138\u{2014}1234\u{2015}5678",
            "138－1234－5678",
            "138_1234_5678",
            "138/1234/5678",
            "138\u{200B}1234\u{200C}5678",
            "138\u{200D}1234\u{2060}56\u{FEFF}78",
            "１３８１２３４５６７８",
            "(138)1234-5678",
            "（138）1234 5678",
            "【138】12345678",
            "一三八一二三四五六七八",
            "幺三八幺二三四五六七八",
            "壹叁捌壹贰叁肆伍陆柒捌",
            "１3八-1二3④5六7８",
            "+86 138 1234 5678",
            "0086-13812345678",
            "１３８ー１２３４ー５６７８",
            "138\u{00A0}1234\u{3000}5678",
            "1\u{0336}3\u{0336}8\u{FE0F}1234 5678",
        ] {
            let out = free_text(&format!("有事打{written}找我"));
            let visible = out.chars().filter(|c| LOOKS_LIKE_A_DIGIT.contains(*c)).count();
            assert!(visible <= 5, "{written} -> {out}");
        }
    }

    #[test]
    fn a_mobile_split_by_a_letter_or_two_is_still_found() {
        assert_eq!(free_text("138a1234b5678"), "138a****b**78");
        assert_eq!(free_text("电话138转1234转5678"), "电话138转****转**78");
        assert_eq!(free_text("138abc1234xyz5678"), "138abc****xyz**78");
        // but dates and house numbers written with words between stay
        let s = "2026年5月12日前修复，幸福路12号3单元";
        assert_eq!(free_text(s), s);
    }

    #[test]
    fn look_alike_letters_count_only_inside_a_number() {
        assert_eq!(free_text("138O1234567"), "138******67");
        let s = "Hello, look at lot 13 of block 7";
        assert_eq!(free_text(s), s);
    }

    #[test]
    fn public_numbers_stay_in_any_writing() {
        let public = PublicPhones::new(["0974-8512345", "0974-8512346/ 13800001111", "12345"]);
        assert_eq!(public.len(), 5, "whole, local part; a mobile; too short ignored");
        let two = PublicPhones::new(["0974-8512345 0974-8512346"]);
        assert!(
            two.contains("09748512345") && two.contains("8512346"),
            "two numbers in one field"
        );
        for s in [
            "请拨打0974-8512345咨询",
            "请拨打（0974）8512345咨询",
            "请拨打0974 851 2345咨询",
            "请拨打8512345咨询",
            "请拨打０９７４－８５１２３４５咨询",
            "请拨打+86 138 0000 1111咨询",
        ] {
            assert_eq!(free_text_keeping(s, &public), s, "{s}");
        }
        // a private number next to a public one is masked, the public one stays
        assert_eq!(
            free_text_keeping("0974-8512345/13912345678", &public),
            "0974-8512345/139******78"
        );
        assert_eq!(
            free_text_keeping("监督电话（0974）851 2345，或13912345678", &public),
            "监督电话（0974）851 2345，或139******78",
            "a public number's digits are no part of a mobile next to it"
        );
        // a public number is not found inside a longer one
        assert_eq!(
            free_text_keeping("632521098512345123", &public),
            "632*************23"
        );
        // the probe's case: the office number stays, a mobile in Chinese numerals goes
        assert_eq!(
            free_text_keeping("咨询0974-8512345，或打一三八一二三四五六七八", &public),
            "咨询0974-8512345，或打一三八******七八"
        );
    }

    #[test]
    fn a_redactor_masks_the_citizens_name_as_well() {
        let r = Redactor::new(Arc::new(PublicPhones::default()))
            .with_name("王秀英")
            .with_name("李");
        assert_eq!(
            r.text("已电话联系王秀英（13912345678），李主任跟进"),
            "已电话联系王**（139******78），李主任跟进"
        );
    }

    /// The ways a mobile digit may be written.
    fn spellings(d: u8) -> Vec<char> {
        let ascii = char::from(b'0' + d);
        let full = char::from_u32('０' as u32 + u32::from(d)).unwrap_or(ascii);
        let chinese = "〇一二三四五六七八九".chars().nth(d as usize).unwrap_or(ascii);
        let capital = "零壹贰叁肆伍陆柒捌玖".chars().nth(d as usize).unwrap_or(ascii);
        let other = match d {
            0 => '〇',
            1 => '幺',
            n => char::from_u32(0x2460 + u32::from(n) - 1).unwrap_or(ascii),
        };
        vec![ascii, full, chinese, capital, other]
    }

    fn separators() -> impl Strategy<Value = String> {
        let one = prop::sample::select(vec![
            ' ', '.', '-', '_', '/', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}',
            '－', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '(', ')', '（', '）', '【',
            '】', '\u{3000}', '·', '。', '+', '*', 'ー', '\u{00A0}', '、', '，', '~', '\u{0336}',
        ]);
        prop::collection::vec(one, 0..3).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        /// Any 11-digit mobile, each digit in any writing, any separators between the digits, in any
        /// words: at most three leading and two trailing digits of it survive.
        #[test]
        fn no_mobile_survives_any_writing(
            second in 3u8..=9,
            rest in prop::collection::vec(0u8..=9, 9),
            ways in prop::collection::vec(any::<prop::sample::Index>(), 11),
            seps in prop::collection::vec(separators(), 10),
            before in "[路灯坏了请电话找我 ]{0,6}",
            after in "[路灯坏了请电话找我 ]{0,6}",
        ) {
            let digits: Vec<u8> = [1, second].into_iter().chain(rest).collect();
            let mut text: Vec<char> = before.chars().collect();
            let mut at = Vec::new();
            for (i, d) in digits.iter().enumerate() {
                at.push(text.len());
                text.push(*ways[i].get(&spellings(*d)));
                if i < 10 {
                    text.extend(seps[i].chars());
                }
            }
            text.extend(after.chars());
            let s: String = text.iter().collect();
            let out: Vec<char> = free_text(&s).chars().collect();
            prop_assert_eq!(out.len(), text.len());
            let shown: Vec<usize> = (0..11).filter(|i| out[at[*i]] != '*').collect();
            prop_assert!(
                shown.iter().all(|i| *i < 3 || *i >= 9),
                "{} -> {}", s, out.iter().collect::<String>()
            );
        }

        /// Text without numbers comes out as it went in.
        #[test]
        fn text_without_numbers_is_unchanged(s in "[a-zA-Z路灯坏了请电话找我，。、：（）【】 _./\\-]{0,60}") {
            prop_assert_eq!(free_text(&s), s);
        }

        /// Masking twice changes nothing more.
        #[test]
        fn masking_is_idempotent(s in "[0-9一二三八 .\\-路a]{0,40}") {
            let once = free_text(&s);
            prop_assert_eq!(free_text(&once), once.clone());
        }
    }

    #[test]
    fn masks() {
        assert_eq!(phone("13812345678"), "138****5678");
        assert_eq!(phone("0974-8512345"), "0974*****45");
        assert_eq!(phone("010-12345678"), "010******78");
        assert_eq!(phone(""), "");
        assert_eq!(name("张三"), "张*");
        assert_eq!(name("欧阳修文"), "欧***");
        assert_eq!(name("李"), "李*");
    }

    proptest! {
        /// A masked mobile number never shows the middle four digits.
        #[test]
        fn mobile_middle_never_shown(mid in "[0-9]{4}", tail in "[0-9]{4}") {
            let p = format!("139{mid}{tail}");
            let m = phone(&p);
            prop_assert_eq!(m.len(), 11);
            prop_assert!(m.contains("****"));
            prop_assert!(!m[3..7].contains(|c: char| c.is_ascii_digit()));
        }
    }
}
