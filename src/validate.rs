//! Checks of single values against the model's constraint traits (lengths, patterns), shared by
//! the session and the engine. Patterns are written as character-class checks: no regex engine.

use std::borrow::Cow;

use crate::error::{Constraint, Violation};

/// A model pattern: its text, and a check that implements it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pattern {
    pub(crate) text: &'static str,
    pub(crate) matches: fn(&str) -> bool,
}

/// A string shape of the model: its length bounds and pattern.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StringShape {
    pub(crate) min: usize,
    pub(crate) max: usize,
    pub(crate) pattern: Option<Pattern>,
    pub(crate) sensitive: bool,
}

impl StringShape {
    /// Whether the byte length of `value` alone proves both length bounds hold.
    pub(crate) fn length_holds(&self, value: &str) -> bool {
        self.min <= value.len().div_ceil(4) && value.len() <= self.max
    }

    /// Checks `value`, pushing one violation per failed constraint as the service reports them.
    pub(crate) fn check(
        &self,
        member: impl Into<Cow<'static, str>>,
        value: &str,
        violations: &mut Vec<Violation>,
    ) {
        // Lengths are counted in characters, as the service counts them. A character is 1 to 4
        // bytes, so the byte length alone usually decides both bounds and the count is skipped.
        let bytes = value.len();
        let fewest = bytes.div_ceil(4);
        let mut count = None;
        let mut chars = || *count.get_or_insert_with(|| value.chars().count());
        let too_short = bytes < self.min || (fewest < self.min && chars() < self.min);
        let too_long = fewest > self.max || (bytes > self.max && chars() > self.max);
        let mismatch = !too_short && self.pattern.is_some_and(|p| !(p.matches)(value));
        if !(too_short || too_long || mismatch) {
            return;
        }
        let member = member.into();
        let mut push = |constraint| {
            violations.push(if self.sensitive {
                Violation::sensitive(member.clone(), constraint)
            } else {
                Violation::new(member.clone(), value, constraint)
            })
        };
        if too_short {
            push(Constraint::MinLength(self.min as u64));
        }
        if too_long {
            push(Constraint::MaxLength(self.max as u64));
        }
        if let Some(pattern) = self.pattern.filter(|_| mismatch) {
            push(Constraint::Pattern(pattern.text));
        }
    }
}

/// `[a-zA-Z0-9-]+`
pub(crate) fn is_alnum_dash(s: &str) -> bool {
    !s.is_empty() && alnum_dash_prefix(s.as_bytes()) == s.len()
}

// Byte classes eight bytes at a time (SWAR): a `u64` holds eight bytes, the first in the lowest
// byte, and a class mask has 0x80 in each byte of the class. Every step keeps each byte below
// 0x100, so no carry crosses from one byte into the next and the masks are exact.

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` from `at` (which must be below `b.len()`), the first in the lowest
/// byte; past the end of `b`, zero bytes (which no class below contains but `0x00` itself).
#[inline]
pub(crate) fn word_at(b: &[u8], at: usize) -> u64 {
    if let Some(w) = b.get(at..at + 8) {
        u64::from_le_bytes(w.try_into().unwrap_or_default())
    } else if let Some(last) = b.last_chunk::<8>() {
        // The last eight bytes, shifted down so that byte `at` is the lowest: one load, no loop.
        u64::from_le_bytes(*last) >> (8 * (at + 8 - b.len()))
    } else {
        b[at..]
            .iter()
            .rev()
            .fold(0, |w, &x| (w << 8) | u64::from(x))
    }
}

/// 0x80 in each byte of `w` equal to `b`.
#[inline]
pub(crate) fn bytes_equal(w: u64, b: u8) -> u64 {
    let x = w ^ (ONES * u64::from(b));
    // Bit 7 of `(x & 0x7f) + 0x7f` is set unless the low seven bits are zero.
    !(((x & !HIGH) + !HIGH) | x | !HIGH)
}

/// Whether `w` has a byte equal to `b`: the classic has-zero-byte test, cheaper than
/// [`bytes_equal`]. Exact as a yes or no (a borrow only starts at a zero byte), though its mask
/// could also mark bytes after a match.
#[inline]
pub(crate) fn has_byte(w: u64, b: u8) -> bool {
    let x = w ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGH != 0
}

/// Whether `w` has a byte equal to `a` or to `b`: [`has_byte`] for both, tested once.
#[inline]
pub(crate) fn has_either(w: u64, a: u8, b: u8) -> bool {
    let (x, y) = (w ^ (ONES * u64::from(a)), w ^ (ONES * u64::from(b)));
    ((x.wrapping_sub(ONES) & !x) | (y.wrapping_sub(ONES) & !y)) & HIGH != 0
}

/// 0x80 in each byte of `w` in `lo..=hi`, for ASCII bounds; `low7` is `w & !HIGH` (or any
/// transform of it that keeps every byte below 0x80), `ascii` is `!w & HIGH`.
#[inline]
fn bytes_in(low7: u64, ascii: u64, lo: u8, hi: u8) -> u64 {
    let at_least_lo = low7 + ONES * u64::from(0x80 - lo);
    let above_hi = low7 + ONES * u64::from(0x7f - hi);
    at_least_lo & !above_hi & ascii
}

/// 0x80 in each byte of `w` that is an ASCII digit.
#[inline]
pub(crate) fn digit_bytes(w: u64) -> u64 {
    bytes_in(w & !HIGH, !w & HIGH, b'0', b'9')
}

/// 0x80 in each byte of `w` in `[a-zA-Z0-9-]`.
#[inline]
fn alnum_dash_bytes(w: u64) -> u64 {
    let (low7, ascii) = (w & !HIGH, !w & HIGH);
    // Setting bit 5 maps `A-Z` onto `a-z` and nothing else onto `a-z`.
    bytes_in(low7, ascii, b'0', b'9')
        | bytes_in(low7 | (ONES * 0x20), ascii, b'a', b'z')
        | bytes_equal(w, b'-')
}

/// How many bytes `b` starts with that `class` (a class mask of a word) contains. Zero bytes
/// must not be in the class: they pad the last word.
#[inline]
fn class_prefix(b: &[u8], class: impl Fn(u64) -> u64) -> usize {
    let words = b.chunks_exact(8);
    let tail = b.len() - words.remainder().len();
    for (i, word) in words.enumerate() {
        let outside = !class(u64::from_le_bytes(word.try_into().unwrap_or_default())) & HIGH;
        if outside != 0 {
            return 8 * i + (outside.trailing_zeros() / 8) as usize;
        }
    }
    if tail == b.len() {
        return b.len();
    }
    // The padding is outside the class, so this is at most `b.len()`.
    let outside = !class(word_at(b, tail)) & HIGH;
    tail + (outside.trailing_zeros() / 8) as usize
}

/// How many bytes of `[a-zA-Z0-9-]` `b` starts with.
pub(crate) fn alnum_dash_prefix(b: &[u8]) -> usize {
    class_prefix(b, alnum_dash_bytes)
}

/// How many ASCII digits `b` starts with.
pub(crate) fn digit_prefix(b: &[u8]) -> usize {
    class_prefix(b, digit_bytes)
}

/// `LocationName`: 1–20 characters of `[a-zA-Z0-9-]+` (e.g. `us-east-1`).
pub(crate) const LOCATION_NAME: StringShape = StringShape {
    min: 1,
    max: 20,
    pattern: Some(Pattern {
        text: "[a-zA-Z0-9-]+",
        matches: is_alnum_dash,
    }),
    sensitive: false,
};

/// `SignalRequest`: at least one character; sensitive.
pub(crate) const SIGNAL_REQUEST: StringShape = StringShape {
    min: 1,
    max: usize::MAX,
    pattern: None,
    sensitive: true,
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The check as first written: count the characters, then compare.
    fn reference_check(shape: &StringShape, member: &str, value: &str) -> Vec<Violation> {
        let mut out = Vec::new();
        let len = value.chars().count();
        let mut push = |c| {
            out.push(if shape.sensitive {
                Violation::sensitive(member.to_string(), c)
            } else {
                Violation::new(member.to_string(), value, c)
            })
        };
        if len < shape.min {
            push(Constraint::MinLength(shape.min as u64));
        }
        if len > shape.max {
            push(Constraint::MaxLength(shape.max as u64));
        }
        if let Some(p) = shape.pattern {
            if len >= shape.min && !(p.matches)(value) {
                push(Constraint::Pattern(p.text));
            }
        }
        out
    }

    fn shape(min: usize, max: usize, pattern: bool, sensitive: bool) -> StringShape {
        StringShape {
            min,
            max,
            pattern: pattern.then_some(Pattern {
                text: "[a-zA-Z0-9-]+",
                matches: is_alnum_dash,
            }),
            sensitive,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn check_reports_as_the_reference(
            value in prop_oneof!["[a-zA-Z0-9 -]{0,12}", "[aé€😀-]{0,12}", any::<String>()],
            min in 0usize..14,
            extra in prop_oneof![0usize..14, Just(usize::MAX - 14)],
            pattern: bool,
            sensitive: bool,
        ) {
            let shape = shape(min, min + extra, pattern, sensitive);
            let mut got = vec![];
            shape.check("member", &value, &mut got);
            prop_assert_eq!(got, reference_check(&shape, "member", &value));
        }

        #[test]
        fn prefixes_match_the_bytes(s in prop_oneof!["[a-zA-Z0-9 -]{0,20}", "[0-9]{0,20}[^0-9]?[0-9]{0,4}", any::<String>()]) {
            let b = s.as_bytes();
            let alnum = b.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
            let digits = b.iter().take_while(|b| b.is_ascii_digit()).count();
            prop_assert_eq!(alnum_dash_prefix(b), alnum);
            prop_assert_eq!(digit_prefix(b), digits);
            prop_assert_eq!(is_alnum_dash(&s), !s.is_empty() && alnum == b.len());
        }
    }

    #[test]
    fn class_masks_are_exact_for_every_pair_of_neighbours() {
        // Exact masks need every byte judged alone: no carry or borrow from a neighbour.
        let class = |b: u8| {
            (
                if b == b':' { 0x80 } else { 0 },
                if b.is_ascii_digit() { 0x80 } else { 0 },
                if b.is_ascii_alphanumeric() || b == b'-' {
                    0x80
                } else {
                    0
                },
            )
        };
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for bytes in [[a, b, a, b, a, b, a, b], [b, a, b, a, b, a, b, a]] {
                    let w = u64::from_le_bytes(bytes);
                    let (colon, digit, alnum) = (
                        bytes_equal(w, b':').to_le_bytes(),
                        digit_bytes(w).to_le_bytes(),
                        alnum_dash_bytes(w).to_le_bytes(),
                    );
                    for i in 0..8 {
                        assert_eq!((colon[i], digit[i], alnum[i]), class(bytes[i]), "{bytes:?}");
                    }
                    assert_eq!(has_byte(w, b':'), bytes.contains(&b':'), "{bytes:?}");
                    assert!(has_byte(w, a) && has_byte(w, b));
                    assert_eq!(
                        has_either(w, b':', b' '),
                        bytes.contains(&b':') || bytes.contains(&b' ')
                    );
                }
            }
        }
    }

    #[test]
    fn words_pad_with_zeros() {
        let b: Vec<u8> = (1..=20).collect();
        for len in 0..=20 {
            for at in 0..len {
                let mut expected = [0u8; 8];
                let end = len.min(at + 8);
                expected[..end - at].copy_from_slice(&b[at..end]);
                assert_eq!(word_at(&b[..len], at), u64::from_le_bytes(expected));
            }
        }
    }
}
