//! Time as the core keeps it: [`Timestamp`], an instant to the microsecond in one `i64`, and
//! the deadline arithmetic shared by the session, the engine and the reference model, so that
//! they can never disagree about time.
//!
//! **(decision)** Instants and durations are kept to the microsecond: the API's own timestamps
//! travel as JSON numbers of epoch seconds (an `f64`, about 0.2 µs apart today), so nothing finer
//! can reach a client. A `DateTime<Utc>` given to the core is truncated to its microsecond; the
//! whole range of `chrono` (years −262143 to 262142) still fits, so nothing is clamped.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};

/// An instant in UTC to the microsecond: microseconds since the Unix epoch, over the whole
/// range of `DateTime<Utc>`. Ordering and arithmetic are plain integer operations, which keeps
/// the session's inputs within a few instructions of a bare `match`.
///
/// Every method that takes `now` accepts a `DateTime<Utc>` as well (truncated to the
/// microsecond): a caller with many calls to make converts once and passes `Timestamp`s.
///
/// ```
/// use chrono::DateTime;
/// use gameliftstreams_lifecycle::Timestamp;
///
/// let t = DateTime::from_timestamp(1_767_225_600, 123_456_789).unwrap();
/// let ts = Timestamp::from(t);
/// assert_eq!(ts.as_micros(), 1_767_225_600_123_456);
/// assert_eq!(ts.to_datetime(), DateTime::from_timestamp(1_767_225_600, 123_456_000).unwrap());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The earliest instant: `DateTime::<Utc>::MIN_UTC`.
    pub const MIN: Timestamp = Timestamp(-8_334_601_228_800_000_000);
    /// The latest instant: `DateTime::<Utc>::MAX_UTC` truncated to its microsecond. A deadline
    /// that saturates here is in effect "never".
    pub const MAX: Timestamp = Timestamp(8_210_266_876_799_999_999);

    /// The instant `micros` microseconds after the Unix epoch, clamped to `MIN..=MAX`.
    pub const fn from_micros(micros: i64) -> Timestamp {
        if micros < Self::MIN.0 {
            Self::MIN
        } else if micros > Self::MAX.0 {
            Self::MAX
        } else {
            Timestamp(micros)
        }
    }

    /// Microseconds since the Unix epoch.
    pub const fn as_micros(self) -> i64 {
        self.0
    }

    /// The same instant as a `DateTime<Utc>`.
    pub fn to_datetime(self) -> DateTime<Utc> {
        // Every value in MIN..=MAX is a valid DateTime; the fallback is unreachable.
        DateTime::from_timestamp_micros(self.0).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// `self + micros`, saturating at [`MIN`](Self::MIN) and [`MAX`](Self::MAX).
    #[inline]
    pub const fn saturating_add_micros(self, micros: i64) -> Timestamp {
        Self::from_micros(self.0.saturating_add(micros))
    }

    /// `self + micros` for a configured duration (`0..=MAX_DURATION_MICROS`, which the
    /// configuration's validation guarantees), capped at [`MAX`](Self::MAX): one addition,
    /// which cannot overflow since `MAX + MAX_DURATION_MICROS < i64::MAX`.
    #[inline]
    pub(crate) const fn after_configured(self, micros: i64) -> Timestamp {
        debug_assert!(micros >= 0 && micros <= crate::config::MAX_DURATION_MICROS);
        let sum = self.0 + micros;
        Timestamp(if sum > Self::MAX.0 { Self::MAX.0 } else { sum })
    }

    /// `self + duration`, saturating at [`MIN`](Self::MIN) and [`MAX`](Self::MAX).
    pub fn saturating_add(self, duration: TimeDelta) -> Timestamp {
        self.saturating_add_micros(micros_of(duration))
    }
}

// The bound that makes `after_configured` a single addition.
const _: () = assert!(
    Timestamp::MAX
        .0
        .checked_add(crate::config::MAX_DURATION_MICROS)
        .is_some()
);

impl From<DateTime<Utc>> for Timestamp {
    #[inline]
    fn from(at: DateTime<Utc>) -> Timestamp {
        // In range for every DateTime, so no clamping happens here.
        Timestamp(at.timestamp_micros())
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(at: Timestamp) -> DateTime<Utc> {
        at.to_datetime()
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_datetime(), f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_datetime(), f)
    }
}

/// A duration in whole microseconds (truncated toward zero), saturating at the `i64` range.
pub fn micros_of(duration: TimeDelta) -> i64 {
    duration
        .num_microseconds()
        .unwrap_or(if duration < TimeDelta::zero() {
            i64::MIN
        } else {
            i64::MAX
        })
}

/// `at + duration`, saturating at the first and last instants instead of overflowing, to the
/// microsecond (see [`Timestamp`]).
///
/// A deadline that saturates is in effect "never"; it still serializes and restores exactly.
pub fn deadline_after(at: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
    Timestamp::from(at).saturating_add(duration).to_datetime()
}

/// `at` as the core keeps it: truncated to the microsecond.
pub fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    Timestamp::from(at).to_datetime()
}

/// Whether a deadline has passed at `now`: a deadline fires when `now >= deadline`.
pub fn is_due(deadline: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= deadline
}

/// Serde for [`TimeDelta`] as a number of seconds: an integer when whole, else a decimal
/// fraction with nanosecond precision (`90`, `1.5`, `-0.25`). Readable in configuration files;
/// exact for every whole number of seconds.
pub mod serde_time_delta {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes `d` as seconds.
    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        if d.subsec_nanos() == 0 {
            s.serialize_i64(d.num_seconds())
        } else {
            s.serialize_f64(d.num_seconds() as f64 + f64::from(d.subsec_nanos()) / 1e9)
        }
    }

    /// Reads a number of seconds; a non-finite or out-of-range number is an error, not a panic.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        use serde::de::Error;
        let secs = f64::deserialize(d)?;
        // About ±292 years: the range of whole nanoseconds in an i64.
        if !secs.is_finite() || secs.abs() >= 9.2e9 {
            return Err(D::Error::custom(format!(
                "{secs} is not a duration in seconds"
            )));
        }
        let whole = secs.trunc();
        let nanos = ((secs - whole) * 1e9).round() as i64;
        Ok(TimeDelta::seconds(whole as i64) + TimeDelta::nanoseconds(nanos))
    }
}

/// Serde for `DateTime<Utc>` exactly as chrono's own (RFC 3339, `Z`, no fraction or 3, 6 or 9
/// digits of it), with a fast path for the form it writes: a snapshot holds several instants
/// per resource, and chrono's general formatter and parser cost more than the rest of the
/// record. Anything outside the fast path (leap seconds, offsets, a space or a lowercase `t`,
/// a fraction of more than 9 digits, an invalid date) goes to chrono, so the text written and
/// the values and errors read are chrono's.
pub(crate) mod rfc3339 {
    use std::fmt;

    use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
    use serde::{Deserializer, Serialize, Serializer, de};

    /// The longest text of the fast path: `±YYYYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`.
    const MAX_LEN: usize = 33;

    /// Serializes `at` as chrono does.
    pub(crate) fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0; MAX_LEN];
        match write(at, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => at.serialize(s),
        }
    }

    /// Reads an instant as chrono does.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        d.deserialize_str(Visitor)
    }

    /// `at` as chrono writes it (`SecondsFormat::AutoSi`, `Z`), unless it is a leap second.
    pub(crate) fn write<'a>(at: &DateTime<Utc>, buf: &'a mut [u8; MAX_LEN]) -> Option<&'a str> {
        // Read from the UTC fields: each of `DateTime`'s own getters converts to local time.
        let naive = at.naive_utc();
        let (date, time) = (naive.date(), naive.time());
        let (year, nano) = (date.year(), time.nanosecond());
        if nano >= 1_000_000_000 {
            return None;
        }
        // The shortest of 0, 3, 6 or 9 digits that is exact.
        let (digits, fraction) = match nano {
            0 => (0, 0),
            _ if nano % 1_000_000 == 0 => (3, nano / 1_000_000),
            _ if nano % 1_000 == 0 => (6, nano / 1_000),
            _ => (9, nano),
        };
        let abs = year.unsigned_abs();
        // Outside 0–9999, `{year:+05}`: a sign and at least four digits (at most six here).
        let mut n = 0;
        if !(0..=9999).contains(&year) {
            buf[0] = if year < 0 { b'-' } else { b'+' };
            n = 1;
        }
        let year_width = if abs >= 100_000 {
            6
        } else if abs >= 10_000 {
            5
        } else {
            4
        };
        let mut put = |width: usize, mut value: u32, after: u8| {
            for i in (0..width).rev() {
                buf[n + i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
            buf[n + width] = after;
            n += width + 1;
        };
        put(year_width, abs, b'-');
        put(2, date.month(), b'-');
        put(2, date.day(), b'T');
        put(2, time.hour(), b':');
        put(2, time.minute(), b':');
        if digits == 0 {
            put(2, time.second(), b'Z');
        } else {
            put(2, time.second(), b'.');
            put(digits, fraction, b'Z');
        }
        // Only ASCII digits and separators were written.
        std::str::from_utf8(&buf[..n]).ok()
    }

    /// `text` read as chrono reads it, if it is of the fast path: a year of four digits (or a
    /// sign and four to six), `-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits and
    /// `Z`, naming a valid date and a time without a leap second. `None` is no verdict: ask
    /// chrono.
    pub(crate) fn read(text: &str) -> Option<DateTime<Utc>> {
        let b = text.as_bytes();
        let number = |digits: &[u8]| -> Option<u32> {
            digits.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        // The year, and where the rest starts.
        let (year, rest) = match b.first()? {
            sign @ (b'+' | b'-') => {
                let end = b.iter().skip(1).position(|&c| c == b'-')? + 1;
                if !(5..=7).contains(&end) {
                    return None;
                }
                let value = i32::try_from(number(&b[1..end])?).ok()?;
                (if *sign == b'-' { -value } else { value }, &b[end..])
            }
            _ => (i32::try_from(number(b.get(..4)?)?).ok()?, &b[4..]),
        };
        // `-MM-DDTHH:MM:SS`, then the fraction, then `Z`.
        if rest.len() < 16 || rest.len() > 26 || rest[rest.len() - 1] != b'Z' {
            return None;
        }
        let separators = [(0, b'-'), (3, b'-'), (6, b'T'), (9, b':'), (12, b':')];
        if separators.iter().any(|&(i, c)| rest[i] != c) {
            return None;
        }
        let field = |at: usize| number(&rest[at..at + 2]);
        let (month, day, hour) = (field(1)?, field(4)?, field(7)?);
        let (minute, second) = (field(10)?, field(13)?);
        let nano = match rest.len() {
            16 => 0,
            // `.` and 1 to 9 digits, scaled to nanoseconds.
            len if len >= 18 && rest[15] == b'.' => {
                let digits = len - 17;
                number(&rest[16..len - 1])? * 10u32.pow((9 - digits) as u32)
            }
            _ => return None,
        };
        if second > 59 {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(year, month, day)?;
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
        Some(date.and_time(time).and_utc())
    }

    struct Visitor;

    impl de::Visitor<'_> for Visitor {
        type Value = DateTime<Utc>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            // chrono's words, so that errors read the same.
            formatter.write_str("an RFC 3339 formatted date and time string")
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<DateTime<Utc>, E> {
            match read(value) {
                Some(at) => Ok(at),
                None => value
                    .parse::<DateTime<FixedOffset>>()
                    .map(|at| at.with_timezone(&Utc))
                    .map_err(E::custom),
            }
        }
    }

    /// [`rfc3339`](super) for an `Option<DateTime<Utc>>` (`null` for `None`). A member with it
    /// needs `#[serde(default)]` to stay optional, as a plain `Option` is.
    pub(crate) mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Serializes `at` as chrono does.
        pub(crate) fn serialize<S: Serializer>(
            at: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match at {
                Some(at) => s.serialize_some(&super::Wrapper(*at)),
                None => s.serialize_none(),
            }
        }

        /// Reads an optional instant as chrono does.
        pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<super::Wrapper>::deserialize(d)?.map(|w| w.0))
        }
    }

    /// A `DateTime<Utc>` that serializes through [`rfc3339`](self).
    pub(crate) struct Wrapper(pub(crate) DateTime<Utc>);

    impl Serialize for Wrapper {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize(&self.0, s)
        }
    }

    impl<'de> serde::Deserialize<'de> for Wrapper {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d).map(Wrapper)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
    use proptest::prelude::*;

    use super::rfc3339;

    /// What chrono's own serde writes for `at`, and reads from `json`.
    fn chrono_json(at: &DateTime<Utc>) -> String {
        serde_json::to_string(at).unwrap()
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Fast(#[serde(with = "rfc3339")] DateTime<Utc>);

    fn chrono_read(text: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<DateTime<Utc>>(serde_json::Value::String(text.into()))
            .map_err(|e| e.to_string())
    }

    fn fast_read(text: &str) -> Result<DateTime<Utc>, String> {
        serde_json::from_value::<Fast>(serde_json::Value::String(text.into()))
            .map(|f| f.0)
            .map_err(|e| e.to_string())
    }

    /// Any instant chrono can hold, leap seconds included.
    fn instant() -> BoxedStrategy<DateTime<Utc>> {
        let min = DateTime::<Utc>::MIN_UTC.timestamp();
        let max = DateTime::<Utc>::MAX_UTC.timestamp();
        // Each length of fraction.
        let nanos = prop_oneof![
            Just(0u32),
            (0u32..1000).prop_map(|m| m * 1_000_000),
            (0u32..1_000_000).prop_map(|u| u * 1000),
            0u32..1_000_000_000,
        ];
        let plain = prop_oneof![
            (min..=max, 0u32..1_000_000_000),
            (1_700_000_000i64..1_800_000_000, nanos),
            // Years 0 and 9999, and either side of them.
            (-62_167_219_300i64..-62_167_219_100, 0u32..1_000_000_000),
            (253_402_300_700i64..253_402_300_900, 0u32..1_000_000_000),
        ]
        .prop_filter_map("in range", |(secs, nanos)| {
            DateTime::from_timestamp(secs, nanos)
        });
        // A leap second: 23:59:60.
        let leap = (0i32..=9999, 1u32..=365, 0u32..1_000_000_000).prop_filter_map(
            "a date",
            |(year, day, nanos)| {
                let date = NaiveDate::from_yo_opt(year, day)?;
                let time = NaiveTime::from_hms_nano_opt(23, 59, 59, 1_000_000_000 + nanos)?;
                Some(date.and_time(time).and_utc())
            },
        );
        prop_oneof![4 => plain, 1 => leap].boxed()
    }

    /// A regex's strings mostly, now and then one of `bad`.
    fn part(good: &'static str, bad: &'static [&'static str]) -> BoxedStrategy<String> {
        prop_oneof![
            8 => proptest::string::string_regex(good).unwrap(),
            1 => proptest::sample::select(bad).prop_map(String::from),
        ]
        .boxed()
    }

    /// Text near the form chrono writes, with each part now and then wrong.
    fn near_rfc3339() -> impl Strategy<Value = String> {
        let date = (
            part(
                "([0-9]{4}|[+-][0-9]{1,7})",
                &["", "20260", "+2026", "-0001", "2o26", "+-2026", "--0001"],
            ),
            part("-", &["", "/", " "]),
            part("(0[0-9]|1[0-3])", &["1", "00", "99"]),
            part("-", &["", "--"]),
            part("([0-2][0-9]|3[0-2])", &["0", "7"]),
            part("T", &["t", " ", "", "TT"]),
        );
        let time = (
            part("([01][0-9]|2[0-4])", &["9", "25"]),
            part(":", &["", " :"]),
            part("[0-6][0-9]", &["6", "60"]),
            part(":", &["", ";"]),
            part("([0-5][0-9]|60|61)", &["5", "99"]),
            part("(\\.[0-9]{0,12})?", &[".", ",5", ".5 "]),
            part("Z", &["z", "+00:00", "-01:30", " UTC", "", "ZZ", "Z "]),
        );
        (date, time).prop_map(|((a, b, c, d, e, f), (g, h, i, j, k, l, m))| {
            [a, b, c, d, e, f, g, h, i, j, k, l, m].concat()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        #[test]
        fn instants_are_written_as_chrono_writes_them(at in instant()) {
            let fast = serde_json::to_string(&Fast(at)).unwrap();
            prop_assert_eq!(&fast, &chrono_json(&at));
            prop_assert_eq!(fast_read(&fast[1..fast.len() - 1]), Ok(at));
        }

        #[test]
        fn text_is_read_as_chrono_reads_it(text in near_rfc3339()) {
            prop_assert_eq!(fast_read(&text), chrono_read(&text), "{:?}", text);
            if let Some(at) = rfc3339::read(&text) {
                let chrono = text.parse::<DateTime<FixedOffset>>().map(|t| t.with_timezone(&Utc));
                prop_assert_eq!(Ok(at), chrono, "{:?}", text);
            }
        }

        #[test]
        fn any_text_is_read_as_chrono_reads_it(text in "\\PC{0,32}") {
            prop_assert_eq!(fast_read(&text), chrono_read(&text));
        }
    }

    #[test]
    fn the_fast_path_takes_what_the_engine_writes() {
        for text in [
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00.5Z",
            "2026-01-01T00:00:00.123456Z",
            "0000-01-01T00:00:00.000000001Z",
            "9999-12-31T23:59:59.999999999Z",
            "+10000-01-01T00:00:00Z",
            "+262142-12-31T23:59:59.999999Z",
            "-0001-12-31T23:59:59Z",
            "-262143-01-01T00:00:00Z",
        ] {
            assert!(rfc3339::read(text).is_some(), "{text}");
            assert_eq!(fast_read(text), chrono_read(text));
        }
        // Not its business: chrono's.
        for text in [
            "2026-01-01T23:59:60Z",
            "2026-02-30T00:00:00Z",
            "2026-01-01t00:00:00Z",
        ] {
            assert_eq!(rfc3339::read(text), None, "{text}");
        }
        let errors = [fast_read(""), fast_read("2026-13-01T00:00:00Z")];
        assert!(errors.iter().all(Result::is_err));
        assert_eq!(
            serde_json::from_str::<Fast>("12").unwrap_err().to_string(),
            serde_json::from_str::<DateTime<Utc>>("12")
                .unwrap_err()
                .to_string()
        );
    }
}
