//! The masking of free text: digits found (look-alikes counted, separators skipped, each digit's
//! place remembered), runs formed, public numbers set aside, the rest of a long run masked in the
//! original characters, and mobiles split by a letter or two found across the gap.

use super::digits::weak_digit_value;
use super::{
    KEEP_HEAD, KEEP_TAIL, LOOSE_GAP, MASK_FROM, PUBLIC_MAX, PublicPhones, digit_value, is_separator,
};

/// One digit of a run: where it stands, its value (`X` for an ID card's check digit), and whether a
/// separator stands right before it inside the run (a group starts there).
#[derive(Debug, Clone, Copy)]
struct Digit {
    at: usize,
    value: char,
    group_start: bool,
    group_end: bool,
}

pub(super) fn mask_numbers(s: &str, public: &PublicPhones) -> String {
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
