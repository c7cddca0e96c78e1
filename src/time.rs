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
