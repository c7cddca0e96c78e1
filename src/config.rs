//! Session configuration: the two values the API bounds (`ConnectionTimeoutSeconds`,
//! `SessionLengthSeconds`) as validated newtypes, and the durations AWS fixes or leaves unsaid.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::error::{Constraint, ValidationError, Violation};

macro_rules! bounded_seconds {
    (
        $(#[$meta:meta])*
        $name:ident, member = $member:literal, min = $min:literal, max = $max:literal, default = $default:literal
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "u32")]
        pub struct $name(u32);

        impl $name {
            /// The smallest value the API accepts, in seconds.
            pub const MIN_SECONDS: u32 = $min;
            /// The largest value the API accepts, in seconds.
            pub const MAX_SECONDS: u32 = $max;
            /// The value used when the request omits the member, in seconds.
            pub const DEFAULT_SECONDS: u32 = $default;
            /// The API member this value comes from.
            pub const MEMBER: &'static str = $member;

            #[doc = concat!("A value of `secs` seconds; outside ", $min, "–", $max,
                " it is a Validation error naming `", $member, "` and the bound it breaks.")]
            pub fn new(secs: i64) -> Result<Self, ValidationError> {
                let constraint = if secs < i64::from($min) {
                    Constraint::Min($min)
                } else if secs > i64::from($max) {
                    Constraint::Max($max)
                } else {
                    // In range, so it fits in u32.
                    return Ok(Self(secs as u32));
                };
                Err(ValidationError::single(Violation::new($member, secs, constraint)))
            }

            /// The value in whole seconds.
            pub const fn seconds(self) -> u32 {
                self.0
            }

            /// The value as a duration.
            pub fn as_time_delta(self) -> TimeDelta {
                TimeDelta::seconds(i64::from(self.0))
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self($default)
            }
        }

        impl TryFrom<i64> for $name {
            type Error = ValidationError;
            fn try_from(secs: i64) -> Result<Self, Self::Error> {
                Self::new(secs)
            }
        }

        impl From<$name> for u32 {
            fn from(v: $name) -> u32 {
                v.0
            }
        }
    };
}

bounded_seconds! {
    /// `ConnectionTimeoutSeconds`: how long a client has to connect once the session is
    /// `ACTIVE`, or to reconnect once it is `PENDING_CLIENT_RECONNECTION` (1–3600, default 120).
    ConnectionTimeout, member = "connectionTimeoutSeconds", min = 1, max = 3600, default = 120
}

bounded_seconds! {
    /// `SessionLengthSeconds`: the maximum length of a session (1–86400, default 43200 = 12 h).
    SessionLength, member = "sessionLengthSeconds", min = 1, max = 86400, default = 43200
}

/// Where the maximum session length is counted from. **(decision)** AWS says only "since it
/// started"; the default counts from the application start (the first entry into `ACTIVE`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SessionLengthOrigin {
    /// From `ApplicationStartedAt`, the first entry into `ACTIVE` (the default).
    #[default]
    ApplicationStart,
    /// From `CreatedAt`, the `StartStreamSession` call. The timer is still armed only while the
    /// application runs (`ACTIVE`, `CONNECTED`, `PENDING_CLIENT_RECONNECTION`, `RECONNECTING`).
    Creation,
}

/// The timing of one stream session.
///
/// `Default` gives the service's documented values: connection timeout 120 s, session length
/// 43200 s, idle timeout 3600 s, placement timeout 75 s (always-on capacity), termination delay
/// 0 s, session length counted from the application start.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionConfig {
    /// `ConnectionTimeoutSeconds`: the connection and reconnection windows.
    pub connection_timeout: ConnectionTimeout,
    /// `SessionLengthSeconds`: the maximum session length.
    pub session_length: SessionLength,
    /// How long `CONNECTED` may go without user input (the service's 60 minutes).
    #[serde(with = "crate::time::serde_time_delta")]
    pub idle_timeout: TimeDelta,
    /// How long `ACTIVATING` may wait for capacity: 75 s for always-on capacity; the service
    /// uses 90 s (Linux/Proton) or 600 s (Windows) for on-demand capacity.
    #[serde(with = "crate::time::serde_time_delta")]
    pub placement_timeout: TimeDelta,
    /// How long `TERMINATING` lasts before `TERMINATED`. **(decision)** 0 s: the step settles at
    /// the same instant.
    #[serde(with = "crate::time::serde_time_delta")]
    pub termination_delay: TimeDelta,
    /// Where the maximum session length is counted from.
    pub session_length_origin: SessionLengthOrigin,
}

impl SessionConfig {
    /// The service's idle timeout: 60 minutes without user input.
    pub const DEFAULT_IDLE_TIMEOUT: TimeDelta = TimeDelta::seconds(3600);
    /// The placement timeout of always-on capacity.
    pub const PLACEMENT_TIMEOUT_ALWAYS_ON: TimeDelta = TimeDelta::seconds(75);
    /// The placement timeout of on-demand capacity with a Linux or Proton runtime.
    pub const PLACEMENT_TIMEOUT_ON_DEMAND_LINUX: TimeDelta = TimeDelta::seconds(90);
    /// The placement timeout of on-demand capacity with a Windows runtime.
    pub const PLACEMENT_TIMEOUT_ON_DEMAND_WINDOWS: TimeDelta = TimeDelta::seconds(600);

    /// Checks the durations that have no API bounds: each must be non-negative, at most
    /// [`MAX_DURATION_SECONDS`] and a whole number of microseconds (the precision the core keeps
    /// time to; see [`crate::Timestamp`]).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut violations = Vec::new();
        for (member, d) in [
            ("idleTimeout", self.idle_timeout),
            ("placementTimeout", self.placement_timeout),
            ("terminationDelay", self.termination_delay),
        ] {
            check_duration(member, d, &mut violations);
        }
        ValidationError::check(violations)
    }
}

/// The longest configurable duration: 10^12 s (about 31,700 years). Bounded so that a deadline
/// is one addition that cannot overflow, whatever the instant it counts from.
pub const MAX_DURATION_SECONDS: i64 = 1_000_000_000_000;

/// [`MAX_DURATION_SECONDS`] in microseconds.
pub(crate) const MAX_DURATION_MICROS: i64 = MAX_DURATION_SECONDS * 1_000_000;

/// Checks a configured duration: non-negative, at most [`MAX_DURATION_SECONDS`], whole
/// microseconds.
pub(crate) fn check_duration(member: &'static str, d: TimeDelta, violations: &mut Vec<Violation>) {
    let shown = || match d.num_nanoseconds() {
        Some(nanos) => format!("{}s", nanos as f64 / 1e9),
        None => format!("{}s", d.num_seconds()),
    };
    let rule = if d < TimeDelta::zero() {
        "Member must not be negative"
    } else if d > TimeDelta::seconds(MAX_DURATION_SECONDS) {
        "Member must be at most 1000000000000 seconds"
    } else if d.subsec_nanos() % 1000 != 0 {
        "Member must be a whole number of microseconds"
    } else {
        return;
    };
    violations.push(Violation::new(
        member,
        shown(),
        Constraint::Rule(rule.into()),
    ));
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            connection_timeout: ConnectionTimeout::default(),
            session_length: SessionLength::default(),
            idle_timeout: Self::DEFAULT_IDLE_TIMEOUT,
            placement_timeout: Self::PLACEMENT_TIMEOUT_ALWAYS_ON,
            termination_delay: TimeDelta::zero(),
            session_length_origin: SessionLengthOrigin::ApplicationStart,
        }
    }
}
