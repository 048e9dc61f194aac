//! Property tests of the parsers that take what people type. Each property is something
//! the rest of Flows relies on: no input makes a parser panic, a refusal is one of the codes
//! clients know, what is accepted stays in its documented bounds, and what a parser gives
//! back parses again to itself. Case counts are kept small so the unit tests stay quick;
//! `PROPTEST_CASES=10000 cargo test --lib properties` runs them harder.

mod application;
mod branding;
mod email;
mod ids;
mod limits;
mod password;
mod token;
mod username;

use proptest::collection::vec;
use proptest::prelude::*;

/// Cases for one property unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Characters that have broken parsers before: NUL and other controls, line breaks, bidi and
/// zero-width characters, fullwidth and compatibility forms, combining marks, letters whose
/// case mapping changes their length, non-BMP code points, and the punctuation parsers split on.
const TRICKY: &[char] = &[
    '\0',
    '\t',
    '\n',
    '\r',
    '\u{7}',
    '\u{1B}',
    '\u{7F}',
    '\u{85}',
    '\u{A0}',
    '\u{AD}',
    ' ',
    '@',
    '.',
    '-',
    '_',
    '#',
    '/',
    ':',
    '[',
    ']',
    '%',
    '+',
    '=',
    '&',
    'a',
    'Z',
    'x',
    'n',
    '0',
    '9',
    'é',
    'É',
    'ß',
    'İ',
    'ſ',
    '\u{301}',
    '\u{212A}',
    '\u{FB00}',
    '\u{FF21}',
    '\u{FF20}',
    '\u{FF0E}',
    '\u{3002}',
    '\u{200B}',
    '\u{200D}',
    '\u{200E}',
    '\u{202E}',
    '\u{2066}',
    '\u{FEFF}',
    '\u{FDFA}',
    '\u{1F600}',
    '\u{10FFFF}',
];

/// Text as anyone may send it: any code points, mostly short, sometimes tricky ones only,
/// sometimes hundreds of kilobytes.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => vec(any::<char>(), 0..80).prop_map(String::from_iter),
        4 => vec(prop::sample::select(TRICKY), 0..60).prop_map(String::from_iter),
        1 => (vec(any::<char>(), 1..6), 5_000usize..200_000)
            .prop_map(|(unit, n)| unit.into_iter().cycle().take(n).collect()),
    ]
}

/// ASCII printable characters as their fullwidth forms (`A` → `Ａ`), which NFKC maps back.
fn fullwidth(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '!'..='~' => char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}
