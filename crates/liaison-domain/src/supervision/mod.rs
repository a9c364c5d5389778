//! 督办单 rules that need no database: the issuing organ (签发机关) and number prefix a region sets
//! (`Organ::parse`, with the defaults when unset), the notice's number, and the date of its 落款 in
//! Chinese numerals (二〇二六年十二月七日).

use chrono::{Datelike, NaiveDate};

/// The longest issuing organ's name accepted.
pub const ORGAN_MAX: usize = 60;
/// The longest number prefix accepted.
pub const PREFIX_MAX: usize = 12;
/// The number prefix when a region has set none.
pub const DEFAULT_PREFIX: &str = "督";

const ORGAN_MESSAGE: &str = "请填写签发机关名称（不超过 60 字）";
const PREFIX_MESSAGE: &str = "编号前缀不超过 12 字，不能含数字、空格或〔〕%_ 等符号，例如“某人大督”";

/// A region's 督办单 issuing organ and number prefix, as typed and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organ {
    pub name: String,
    pub prefix: String,
}

impl Organ {
    /// Checks what was typed; every problem is (field, Chinese message), `organ` and `prefix`.
    pub fn parse(name: &str, prefix: &str) -> Result<Organ, Vec<(&'static str, &'static str)>> {
        let name = name.trim();
        let prefix = prefix.trim();
        let mut problems = Vec::new();
        if name.is_empty() || name.chars().count() > ORGAN_MAX || name.chars().any(char::is_control) {
            problems.push(("organ", ORGAN_MESSAGE));
        }
        let bad = |c: char| c.is_numeric() || c.is_whitespace() || c.is_control() || "〔〕[]%_\\".contains(c);
        if prefix.is_empty() || prefix.chars().count() > PREFIX_MAX || prefix.chars().any(bad) {
            problems.push(("prefix", PREFIX_MESSAGE));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Organ {
            name: name.to_owned(),
            prefix: prefix.to_owned(),
        })
    }

    /// What a region that has set nothing uses: its congress's standing committee and "督".
    pub fn default_for(region_name: &str) -> Organ {
        Organ {
            name: format!("{region_name}人大常委会"),
            prefix: DEFAULT_PREFIX.to_owned(),
        }
    }

    /// The start every number of `year` shares: 某人大督〔2026〕第.
    pub fn number_stem(&self, year: i32) -> String {
        format!("{}〔{year}〕第", self.prefix)
    }
}

/// The notice's number: 某人大督〔2026〕第0001号.
pub fn number(stem: &str, n: i64) -> String {
    format!("{stem}{n:04}号")
}

const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// 1–99 as written in a date: 七, 十, 十二, 二十, 三十一.
fn small(n: u32) -> String {
    let (tens, ones) = (n / 10, n % 10);
    let mut s = String::new();
    if tens > 1 {
        s.push(DIGITS[tens as usize % 10]);
    }
    if tens > 0 {
        s.push('十');
    }
    if ones > 0 || tens == 0 {
        s.push(DIGITS[ones as usize]);
    }
    s
}

/// A date as an official document's 落款 writes it: 二〇二六年十二月七日.
pub fn chinese_date(d: NaiveDate) -> String {
    let year: String = d
        .year()
        .to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |v| DIGITS[v as usize]))
        .collect();
    format!("{year}年{}月{}日", small(d.month()), small(d.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_are_written_in_chinese_numerals() {
        assert_eq!(chinese_date(day(2026, 12, 7)), "二〇二六年十二月七日");
        assert_eq!(chinese_date(day(2030, 1, 10)), "二〇三〇年一月十日");
        assert_eq!(chinese_date(day(2027, 10, 20)), "二〇二七年十月二十日");
        assert_eq!(chinese_date(day(2027, 11, 31 - 1)), "二〇二七年十一月三十日");
        assert_eq!(chinese_date(day(2027, 3, 31)), "二〇二七年三月三十一日");
        assert_eq!(chinese_date(day(2027, 5, 15)), "二〇二七年五月十五日");
    }

    #[test]
    fn the_organ_and_prefix_are_checked_field_by_field() {
        let ok = Organ::parse(" 某某县人大常委会代表工作委员会 ", "某人大督").unwrap();
        assert_eq!(ok.name, "某某县人大常委会代表工作委员会");
        assert_eq!(number(&ok.number_stem(2026), 1), "某人大督〔2026〕第0001号");
        assert_eq!(
            Organ::parse("", "督").unwrap_err(),
            vec![("organ", ORGAN_MESSAGE)]
        );
        assert_eq!(Organ::parse(&"会".repeat(61), "督").unwrap_err()[0].0, "organ");
        assert!(Organ::parse(&"会".repeat(60), "督").is_ok());
        for bad in [
            "督2",
            "督２",
            "某 督",
            "督%",
            "督_",
            "〔督",
            "",
            "一二三四五六七八九十十一十二十三",
        ] {
            assert_eq!(
                Organ::parse("某县人大", bad).unwrap_err(),
                vec![("prefix", PREFIX_MESSAGE)],
                "{bad}"
            );
        }
        assert!(Organ::parse("某县人大", "某某县人大常委会督办").is_ok());
        let d = Organ::default_for("共和县");
        assert_eq!((d.name.as_str(), d.prefix.as_str()), ("共和县人大常委会", "督"));
    }
}
