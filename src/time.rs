//! Deadline arithmetic shared by the session, the engine and the reference model, so that they
//! can never disagree about time.

use chrono::{DateTime, TimeDelta, Utc};

/// `at + duration`, saturating at the largest representable instant instead of overflowing.
///
/// A deadline that saturates is in effect "never"; it still serializes and restores exactly.
pub fn deadline_after(at: DateTime<Utc>, duration: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(duration)
        .unwrap_or(if duration < TimeDelta::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
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
