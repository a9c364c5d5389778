//! Masking, by example and by property: the probe's bypasses, public numbers, names.

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
        '－', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '(', ')', '（', '）', '【', '】',
        '\u{3000}', '·', '。', '+', '*', 'ー', '\u{00A0}', '、', '，', '~', '\u{0336}',
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
