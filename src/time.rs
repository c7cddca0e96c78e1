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

/// Serde for [`TimeDelta`] as `{"secs": i64, "nanos": i32}`: exact, and readable in a snapshot.
pub mod serde_time_delta {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct Repr {
        secs: i64,
        nanos: i32,
    }

    /// Serializes `d` as seconds and the sub-second nanoseconds (same sign as `secs`).
    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        Repr {
            secs: d.num_seconds(),
            nanos: d.subsec_nanos(),
        }
        .serialize(s)
    }

    /// Reads what [`serialize`] wrote; out-of-range values are an error, not a panic.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        use serde::de::Error;
        let Repr { secs, nanos } = Repr::deserialize(d)?;
        if nanos.unsigned_abs() >= 1_000_000_000 {
            return Err(D::Error::custom("nanos must be within ±999999999"));
        }
        TimeDelta::try_seconds(secs)
            .and_then(|s| s.checked_add(&TimeDelta::nanoseconds(i64::from(nanos))))
            .ok_or_else(|| D::Error::custom("duration out of range"))
    }
}
