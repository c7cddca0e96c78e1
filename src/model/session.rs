//! The reference model of one stream session (SPEC §3–§4), written from the specification as a
//! plain `match`, without the transition table.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::config::{SessionConfig, SessionLengthOrigin};
use crate::error::ErrorKind;
use crate::status::{SessionStatus, StatusReason};
use crate::time::{deadline_after, is_due};
use crate::transition::{Input, Timer};

/// One step of a session's life, as property tests and fuzzers generate it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Step {
    /// An input at the current time.
    Input(Input),
    /// Time passes, then `handle_timeout` at the new time.
    Advance {
        /// How much, in milliseconds.
        millis: u32,
    },
    /// `handle_timeout` at the current time (a spurious wake-up if nothing is due).
    Timeout,
    /// An input that arrives with a `now` earlier than the latest seen.
    Late {
        /// How much earlier, in milliseconds.
        millis: u32,
        /// The input.
        input: Input,
    },
}

/// A timer that fired, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fired {
    /// The timer.
    pub timer: Timer,
    /// Its deadline.
    pub at: DateTime<Utc>,
}

/// The reference model of a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionModel {
    /// The configuration.
    pub config: SessionConfig,
    /// The status.
    pub status: SessionStatus,
    /// The reason (set once ending).
    pub reason: Option<StatusReason>,
    /// The latest time seen.
    pub now: DateTime<Utc>,
    /// Armed timers and their deadlines.
    pub timers: BTreeMap<Timer, DateTime<Utc>>,
    /// Every signal request seen.
    pub offers: Vec<String>,
    /// `CreatedAt`.
    pub created_at: DateTime<Utc>,
    /// `LastUpdatedAt`.
    pub last_updated_at: DateTime<Utc>,
    /// `ApplicationStartedAt`.
    pub application_started_at: Option<DateTime<Utc>>,
    /// `StreamingStartedAt`.
    pub streaming_started_at: Option<DateTime<Utc>>,
    /// `StreamingEndedAt`.
    pub streaming_ended_at: Option<DateTime<Utc>>,
    /// The location once placed.
    pub location: Option<String>,
    /// The status changes so far: (from, to, reason, at).
    pub changes: Vec<(
        SessionStatus,
        SessionStatus,
        Option<StatusReason>,
        DateTime<Utc>,
    )>,
}

fn valid_location(s: &str) -> bool {
    (1..=20).contains(&s.chars().count())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl SessionModel {
    /// `StartStreamSession`. `None` where the real one answers a Validation error.
    pub fn start(config: SessionConfig, signal_request: &str, now: DateTime<Utc>) -> Option<Self> {
        let negative = [
            config.idle_timeout,
            config.placement_timeout,
            config.termination_delay,
        ]
        .iter()
        .any(|d| *d < TimeDelta::zero());
        if negative || signal_request.is_empty() {
            return None;
        }
        let mut timers = BTreeMap::new();
        timers.insert(
            Timer::Placement,
            deadline_after(now, config.placement_timeout),
        );
        Some(Self {
            config,
            status: SessionStatus::Activating,
            reason: None,
            now,
            timers,
            offers: vec![signal_request.to_owned()],
            created_at: now,
            last_updated_at: now,
            application_started_at: None,
            streaming_started_at: None,
            streaming_ended_at: None,
            location: None,
            changes: Vec::new(),
        })
    }

    /// The earliest armed deadline.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        self.timers.values().min().copied()
    }

    /// Fires every timer due at `now`, earliest first (ties in `Timer` order), and returns them.
    pub fn tick(&mut self, now: DateTime<Utc>) -> Vec<Fired> {
        self.now = self.now.max(now);
        let mut fired = Vec::new();
        loop {
            let due = self
                .timers
                .iter()
                .filter(|(_, d)| is_due(**d, self.now))
                .min_by_key(|(t, d)| (**d, **t))
                .map(|(t, d)| (*t, *d));
            let Some((timer, deadline)) = due else {
                return fired;
            };
            fired.push(Fired {
                timer,
                at: deadline,
            });
            let at = deadline.max(self.last_updated_at);
            match timer {
                Timer::Placement => {
                    self.end(SessionStatus::Error, StatusReason::PlacementTimeout, at)
                }
                Timer::Connection => {
                    let reason = if self.streaming_started_at.is_some() {
                        StatusReason::ReconnectionTimeout
                    } else {
                        StatusReason::ConnectionTimeout
                    };
                    self.end(SessionStatus::Terminating, reason, at);
                }
                Timer::Reconnection => self.end(
                    SessionStatus::Terminating,
                    StatusReason::ReconnectionTimeout,
                    at,
                ),
                Timer::Idle => self.end(SessionStatus::Terminating, StatusReason::IdleTimeout, at),
                Timer::MaxSessionLength => self.end(
                    SessionStatus::Terminating,
                    StatusReason::MaxSessionLengthTimeout,
                    at,
                ),
                Timer::Termination => {
                    let reason = self.reason.unwrap_or(StatusReason::InternalError);
                    self.go(SessionStatus::Terminated, Some(reason), at);
                }
            }
        }
    }

    /// Applies `input` at `now` after the due timers, returning the error kind if refused.
    pub fn input(&mut self, now: DateTime<Utc>, input: &Input) -> Result<(), ErrorKind> {
        use SessionStatus as S;
        self.tick(now);
        let now = self.now;
        // Payload checks first.
        match input {
            Input::Placed { location } if !valid_location(location) => {
                return Err(ErrorKind::Validation);
            }
            Input::Reconnect { signal_request }
                if signal_request.is_empty() || self.offers.contains(signal_request) =>
            {
                return Err(ErrorKind::Validation);
            }
            Input::ActivationFailed(r) | Input::ReconnectFailed(r) | Input::Failed(r)
                if !is_error_reason(*r) =>
            {
                return Err(ErrorKind::Validation);
            }
            _ => {}
        }
        let running = matches!(
            self.status,
            S::Active | S::Connected | S::PendingClientReconnection | S::Reconnecting
        );
        match (input, self.status) {
            (Input::Placed { location }, S::Activating) => {
                self.location = Some(location.clone());
                self.go(S::Active, None, now);
            }
            (Input::ActivationFailed(r), S::Activating) => self.end(S::Error, *r, now),
            (Input::ClientConnected, S::Active) => self.go(S::Connected, None, now),
            (Input::ClientDisconnected, S::Connected) => {
                self.go(S::PendingClientReconnection, None, now)
            }
            (Input::UserInput, S::Connected) => {
                self.timers
                    .insert(Timer::Idle, deadline_after(now, self.config.idle_timeout));
            }
            (Input::Reconnect { signal_request }, S::Active | S::PendingClientReconnection) => {
                self.offers.push(signal_request.clone());
                self.go(S::Reconnecting, None, now);
            }
            (Input::ReconnectSucceeded, S::Reconnecting) => self.go(S::Active, None, now),
            (Input::ReconnectFailed(r), S::Reconnecting) => self.end(S::Error, *r, now),
            (Input::ApplicationExited, _) if running => {
                self.end(S::Terminating, StatusReason::ApplicationExit, now)
            }
            (Input::Terminate, _) if running => {
                self.end(S::Terminating, StatusReason::ApiTerminated, now)
            }
            (Input::Terminate, S::Terminating | S::Terminated | S::Error) => {}
            (Input::Terminate, S::Activating) => return Err(ErrorKind::Validation),
            (Input::Failed(r), s) if !matches!(s, S::Terminated | S::Error) => {
                self.end(S::Error, *r, now)
            }
            (Input::TerminationCompleted, S::Terminating) => {
                let reason = self.reason;
                self.go(S::Terminated, reason, now);
            }
            _ => return Err(ErrorKind::Conflict),
        }
        Ok(())
    }

    fn end(&mut self, to: SessionStatus, reason: StatusReason, at: DateTime<Utc>) {
        self.go(to, Some(reason), at);
    }

    /// Enters `to` at `at`: arms and disarms timers, keeps the timestamps, records the change.
    fn go(&mut self, to: SessionStatus, reason: Option<StatusReason>, at: DateTime<Utc>) {
        use SessionStatus as S;
        let from = self.status;
        let inherited = self
            .timers
            .get(&Timer::Reconnection)
            .or(self.timers.get(&Timer::Connection))
            .copied();
        let ct = self.config.connection_timeout.as_time_delta();
        self.timers.retain(|t, _| *t == Timer::MaxSessionLength);
        match to {
            S::Activating => {}
            S::Active => {
                self.timers
                    .insert(Timer::Connection, deadline_after(at, ct));
            }
            S::Connected => {
                self.timers
                    .insert(Timer::Idle, deadline_after(at, self.config.idle_timeout));
            }
            S::PendingClientReconnection => {
                self.timers
                    .insert(Timer::Reconnection, deadline_after(at, ct));
            }
            S::Reconnecting => {
                self.timers.insert(
                    Timer::Reconnection,
                    inherited.unwrap_or_else(|| deadline_after(at, ct)),
                );
            }
            S::Terminating => {
                self.timers.insert(
                    Timer::Termination,
                    deadline_after(at, self.config.termination_delay),
                );
            }
            S::Terminated | S::Error => {}
        }
        if !matches!(
            to,
            S::Active | S::Connected | S::PendingClientReconnection | S::Reconnecting
        ) {
            self.timers.remove(&Timer::MaxSessionLength);
        }
        if to == S::Active && self.application_started_at.is_none() {
            self.application_started_at = Some(at);
            let origin = match self.config.session_length_origin {
                SessionLengthOrigin::ApplicationStart => at,
                SessionLengthOrigin::Creation => self.created_at,
            };
            self.timers.insert(
                Timer::MaxSessionLength,
                deadline_after(origin, self.config.session_length.as_time_delta()),
            );
        }
        if to == S::Connected && self.streaming_started_at.is_none() {
            self.streaming_started_at = Some(at);
        }
        if matches!(to, S::Terminating | S::Terminated | S::Error)
            && self.streaming_started_at.is_some()
            && self.streaming_ended_at.is_none()
        {
            self.streaming_ended_at = Some(at);
        }
        self.status = to;
        self.reason = reason;
        self.last_updated_at = at;
        self.changes.push((from, to, reason, at));
    }
}

fn is_error_reason(r: StatusReason) -> bool {
    use StatusReason as R;
    matches!(
        r,
        R::InternalError
            | R::InvalidSignalRequest
            | R::PlacementTimeout
            | R::ApplicationLogS3DestinationError
            | R::AssumeRoleFailed
    )
}
