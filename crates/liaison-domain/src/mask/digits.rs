//! Which characters are digits (in any script or width, or as a Chinese numeral), which are letters
//! read as a digit inside a number, and which may stand between the digits of one number.

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
pub(super) fn weak_digit_value(c: char) -> Option<u8> {
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
