//! The server's clock: the engine never reads one, so the server decides what `now` is.

use std::fmt;
use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeDelta, Utc};

/// How the server's clock runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ClockMode {
    /// The wall clock plus an offset, which `POST /_mock/clock` can push forward.
    #[default]
    Real,
    /// Frozen at the start time until `POST /_mock/clock` moves it: every timeout happens
    /// exactly when a test says so.
    Manual,
}

impl ClockMode {
    /// `"real"` or `"manual"`, as the command line and the control API spell it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Real => "real",
            Self::Manual => "manual",
        }
    }
}

impl serde::Serialize for ClockMode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for ClockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A clock mode that is neither `real` nor `manual`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownClockMode(pub String);

impl fmt::Display for UnknownClockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "'{}' is not a clock mode; expected 'real' or 'manual'",
            self.0
        )
    }
}

impl std::error::Error for UnknownClockMode {}

impl FromStr for ClockMode {
    type Err = UnknownClockMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "real" => Ok(Self::Real),
            "manual" => Ok(Self::Manual),
            _ => Err(UnknownClockMode(s.to_owned())),
        }
    }
}

/// The wall clock, to the millisecond (the precision the service's timestamps have).
pub(crate) fn wall_clock() -> DateTime<Utc> {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let millis = i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX);
    DateTime::from_timestamp_millis(millis).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// A moving or frozen clock that never runs backwards.
#[derive(Clone, Debug)]
pub(crate) struct Clock {
    mode: ClockMode,
    /// Real: added to the wall clock.
    offset: TimeDelta,
    /// Manual: the time.
    frozen: DateTime<Utc>,
}

impl Clock {
    /// A clock in `mode` that reads `start` now. A real clock then runs with the wall clock.
    pub(crate) fn new(mode: ClockMode, start: DateTime<Utc>) -> Self {
        Self {
            mode,
            offset: start - wall_clock(),
            frozen: start,
        }
    }

    pub(crate) fn mode(&self) -> ClockMode {
        self.mode
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        match self.mode {
            ClockMode::Real => wall_clock()
                .checked_add_signed(self.offset)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            ClockMode::Manual => self.frozen,
        }
    }

    /// Moves the clock to `to`. Refused when `to` is earlier than now.
    pub(crate) fn set(&mut self, to: DateTime<Utc>) -> Result<(), String> {
        let now = self.now();
        if to < now {
            return Err(format!(
                "the clock cannot move back: it reads {}, {} is earlier",
                now.to_rfc3339(),
                to.to_rfc3339()
            ));
        }
        self.offset += to - now;
        self.frozen = to;
        Ok(())
    }

    /// Moves the clock forward by `by` (not negative).
    pub(crate) fn advance(&mut self, by: TimeDelta) -> Result<(), String> {
        if by < TimeDelta::zero() {
            return Err("the clock cannot move back".into());
        }
        let to = self
            .now()
            .checked_add_signed(by)
            .ok_or_else(|| format!("the clock cannot move {by} past the end of time"))?;
        self.offset += by;
        self.frozen = to;
        Ok(())
    }

    /// Moves the clock forward to `at` if it is earlier (after restoring an engine that has
    /// seen a later time than the clock reads).
    pub(crate) fn catch_up(&mut self, at: DateTime<Utc>) {
        if at > self.now() {
            // `at` is later than now, so setting it cannot fail.
            let _ = self.set(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn a_manual_clock_moves_only_forward_when_told() {
        let mut clock = Clock::new(ClockMode::Manual, t(1_000));
        assert_eq!(clock.now(), t(1_000));
        clock.set(t(1_030)).unwrap();
        assert_eq!(clock.now(), t(1_030));
        clock.advance(TimeDelta::milliseconds(1_500)).unwrap();
        assert_eq!(clock.now(), t(1_031) + TimeDelta::milliseconds(500));
        assert!(clock.advance(TimeDelta::seconds(-1)).is_err());
        clock.set(t(1_040)).unwrap();
        assert!(clock.set(t(1_039)).is_err());
        clock.catch_up(t(1_000));
        assert_eq!(clock.now(), t(1_040));
        clock.catch_up(t(2_000));
        assert_eq!(clock.now(), t(2_000));
    }

    #[test]
    fn a_real_clock_runs_from_its_start() {
        let start = t(4_000_000_000);
        let mut clock = Clock::new(ClockMode::Real, start);
        let now = clock.now();
        assert!(now >= start && now - start < TimeDelta::seconds(5));
        clock.set(now + TimeDelta::hours(1)).unwrap();
        assert!(clock.now() >= now + TimeDelta::hours(1));
        clock.advance(TimeDelta::zero()).unwrap();
        assert!(clock.set(now).is_err());
    }

    #[test]
    fn modes_parse() {
        assert_eq!("real".parse(), Ok(ClockMode::Real));
        assert_eq!("manual".parse(), Ok(ClockMode::Manual));
        assert!("fake".parse::<ClockMode>().is_err());
    }
}
