//! Serde helpers for the model's `Timestamp` shape as rest-json sends it in bodies: epoch
//! seconds, a JSON number.
//!
//! A whole second serializes as an integer-valued number (`1700000000`); anything else as a
//! float with the sub-second part (`1700000000.5`). Deserializing accepts any JSON integer or
//! float, and refuses NaN, infinities and values outside [`DateTime<Utc>`]'s range with an
//! error (never a panic). A float is read to the shortest of milliseconds, microseconds or
//! nanoseconds that reproduces it exactly, so `1700000000.123` reads as 123 ms, not as the
//! nearest binary fraction.
//!
//! Use [`epoch`](self) itself for `DateTime<Utc>` and [`option`] for `Option<DateTime<Utc>>`:
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use gameliftstreams_lifecycle::api::epoch;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Times {
//!     #[serde(with = "epoch")]
//!     at: DateTime<Utc>,
//!     #[serde(with = "epoch::option", default, skip_serializing_if = "Option::is_none")]
//!     maybe: Option<DateTime<Utc>>,
//! }
//! let at = DateTime::from_timestamp(1_700_000_000, 500_000_000).unwrap();
//! assert_eq!(epoch::to_seconds(at), 1_700_000_000.5);
//! ```

use core::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserializer, Serializer, de};

const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// `at` as epoch seconds (exact for whole seconds; sub-second parts as close as `f64` allows).
pub fn to_seconds(at: DateTime<Utc>) -> f64 {
    at.timestamp() as f64 + f64::from(at.timestamp_subsec_nanos()) / f64::from(NANOS_PER_SECOND)
}

/// The instant `secs` epoch seconds, or `None` for NaN, an infinity or a value outside
/// [`DateTime<Utc>`]'s range.
pub fn from_seconds(secs: f64) -> Option<DateTime<Utc>> {
    if !secs.is_finite() {
        return None;
    }
    let whole = secs.floor();
    // chrono's range is about ±8.2e12 s; anything beyond ±1e15 is out of range anyway, and the
    // check keeps the cast below exact.
    if whole.abs() > 1e15 {
        return None;
    }
    let frac = secs - whole;
    let mut whole = whole as i64;
    let mut nanos = None;
    // The shortest decimal fraction (ms, µs) that maps back onto the same f64, else ns.
    for (scale, unit) in [(1e3, 1_000_000u32), (1e6, 1_000)] {
        let n = (frac * scale).round();
        if whole as f64 + n / scale == secs {
            nanos = Some(n as u32 * unit);
            break;
        }
    }
    let mut nanos = nanos.unwrap_or_else(|| (frac * 1e9).round() as u32);
    if nanos >= NANOS_PER_SECOND {
        whole += 1;
        nanos -= NANOS_PER_SECOND;
    }
    DateTime::from_timestamp(whole, nanos)
}

/// Serializes `at` as epoch seconds.
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    if at.timestamp_subsec_nanos() == 0 {
        serializer.serialize_i64(at.timestamp())
    } else {
        serializer.serialize_f64(to_seconds(*at))
    }
}

/// Deserializes epoch seconds (any JSON integer or float).
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_any(EpochVisitor)
}

struct EpochVisitor;

impl de::Visitor<'_> for EpochVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp in epoch seconds (a JSON number)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        DateTime::from_timestamp(v, 0)
            .ok_or_else(|| E::custom(format_args!("timestamp {v} is out of range")))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .ok()
            .and_then(|v| DateTime::from_timestamp(v, 0))
            .ok_or_else(|| E::custom(format_args!("timestamp {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        from_seconds(v).ok_or_else(|| E::custom(format_args!("timestamp {v} is out of range")))
    }
}

/// The same encoding for `Option<DateTime<Utc>>`: `None` serializes as `null` (pair it with
/// `skip_serializing_if = "Option::is_none"`), and `null` deserializes as `None`.
pub mod option {
    use core::fmt;

    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer, de};

    /// Serializes `Some(at)` as epoch seconds and `None` as `null`.
    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::serialize(at, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes epoch seconds, or `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    struct OptionVisitor;

    impl<'de> de::Visitor<'de> for OptionVisitor {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a timestamp in epoch seconds (a JSON number) or null")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            super::deserialize(deserializer).map(Some)
        }
    }
}
