//! The stream session: a sans-IO state machine driven by inputs and by time, both given by the
//! caller. It never reads a clock and does no I/O.

use std::collections::VecDeque;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use crate::config::{SessionConfig, SessionLengthOrigin};
use crate::error::{Constraint, SessionError, ValidationError, Violation};
use crate::status::{SessionStatus, StatusReason};
use crate::time::{deadline_after, is_due};
use crate::transition::{Effect, Input, Outcome, ReasonRule, Timer, transition};
use crate::validate::{LOCATION_NAME, SIGNAL_REQUEST};

/// Something the embedder should know about, pulled with [`Session::poll_event`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    /// The status changed. Emitted exactly once per change, never for a no-op.
    StatusChanged {
        /// The status left.
        from: SessionStatus,
        /// The status entered.
        to: SessionStatus,
        /// The session's reason after the change (set in `TERMINATING`, `TERMINATED`, `ERROR`).
        reason: Option<StatusReason>,
        /// When the change happened: the input's `now`, or the deadline of the timer that fired.
        at: DateTime<Utc>,
    },
}

/// A digest of a signal request (WebRTC offer), kept instead of the offer itself to enforce
/// "the offer must be newly generated" without holding sensitive strings. 64-bit FNV-1a:
/// stable across platforms and releases, so snapshots restore.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct OfferDigest(u64);

impl OfferDigest {
    fn of(signal_request: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in signal_request.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        Self(h)
    }
}

impl fmt::Debug for OfferDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl Serialize for OfferDigest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{:016x}", self.0))
    }
}

impl<'de> Deserialize<'de> for OfferDigest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s.len() != 16 {
            return Err(serde::de::Error::custom("an offer digest is 16 hex digits"));
        }
        u64::from_str_radix(&s, 16)
            .map(Self)
            .map_err(serde::de::Error::custom)
    }
}

/// The status together with the data valid only in it: each status holds the deadline of its
/// own timer, and the ending statuses their reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "SCREAMING_SNAKE_CASE")]
enum Phase {
    Activating {
        placement: DateTime<Utc>,
    },
    Active {
        connection: DateTime<Utc>,
    },
    Connected {
        idle: DateTime<Utc>,
    },
    PendingClientReconnection {
        reconnection: DateTime<Utc>,
    },
    Reconnecting {
        reconnection: DateTime<Utc>,
    },
    Terminating {
        reason: StatusReason,
        termination: DateTime<Utc>,
    },
    Terminated {
        reason: StatusReason,
    },
    Error {
        reason: StatusReason,
    },
}

/// What [`Session::plan`] found an input would do.
enum Accepted {
    Enter(SessionStatus, ReasonRule),
    Stay(Effect),
}

/// The `OneOf` list for reasons an input must carry.
const ERROR_REASONS: &[&str] = &[
    "internalError",
    "invalidSignalRequest",
    "placementTimeout",
    "applicationLogS3DestinationError",
    "assumeRoleFailed",
];

/// One stream session's lifecycle: statuses, timers, timestamps and the reconnection offers.
///
/// The methods fall into four kinds, as in other sans-IO libraries:
/// - getters (`&self`): [`status`](Self::status), [`reason`](Self::reason),
///   [`deadline`](Self::deadline), the timestamps;
/// - input: [`handle_input`](Self::handle_input) (with its dry run
///   [`check_input`](Self::check_input)) and [`handle_timeout`](Self::handle_timeout);
/// - output: [`poll_event`](Self::poll_event) and [`poll_timeout`](Self::poll_timeout).
///
/// After every call that takes `now`, drain [`poll_event`](Self::poll_event) and then ask
/// [`poll_timeout`](Self::poll_timeout) when to call [`handle_timeout`](Self::handle_timeout).
///
/// Time is the caller's: every `now` is an argument. A `now` earlier than one already seen is
/// taken as the latest one seen (time never runs backwards). Before an input is applied, every
/// timer due at or before `now` fires, in deadline order, ties broken by [`Timer`] order.
///
/// ```
/// use chrono::{DateTime, TimeDelta};
/// use gameliftstreams_lifecycle::{Input, Session, SessionConfig, SessionStatus, StatusReason};
///
/// let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
/// let mut s = Session::start(SessionConfig::default(), "offer-1", t0)?;
/// s.handle_input(t0, Input::Placed { location: "us-east-1".into() })?;
/// assert_eq!(s.status(), SessionStatus::Active);
///
/// // No client connects: the connection window (120 s by default) ends the session.
/// let deadline = s.poll_timeout().unwrap();
/// assert_eq!(deadline, t0 + TimeDelta::seconds(120));
/// s.handle_timeout(deadline);
/// assert_eq!(s.status(), SessionStatus::Terminated);
/// assert_eq!(s.reason(), Some(StatusReason::ConnectionTimeout));
/// # Ok::<(), gameliftstreams_lifecycle::SessionError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct Session {
    config: SessionConfig,
    #[serde(flatten)]
    phase: Phase,
    created_at: DateTime<Utc>,
    last_updated_at: DateTime<Utc>,
    application_started_at: Option<DateTime<Utc>>,
    streaming_started_at: Option<DateTime<Utc>>,
    streaming_ended_at: Option<DateTime<Utc>>,
    location: Option<String>,
    /// The latest `now` seen.
    now: DateTime<Utc>,
    /// Digests of every signal request seen: the start's first, then each reconnection's.
    offers: SmallVec<[OfferDigest; 2]>,
    events: VecDeque<Event>,
}

impl Session {
    /// Creates a session in `ACTIVATING` (API `StartStreamSession`), with its placement timer
    /// armed. Fails with a Validation error if the configuration or the signal request is
    /// invalid (an empty signal request, a negative duration).
    pub fn start(
        config: SessionConfig,
        signal_request: &str,
        now: DateTime<Utc>,
    ) -> Result<Session, SessionError> {
        let mut violations = Vec::new();
        if let Err(e) = config.validate() {
            violations.extend(e.violations().iter().cloned());
        }
        SIGNAL_REQUEST.check("signalRequest", signal_request, &mut violations);
        ValidationError::check(violations)?;
        let placement = deadline_after(now, config.placement_timeout);
        Ok(Session {
            config,
            phase: Phase::Activating { placement },
            created_at: now,
            last_updated_at: now,
            application_started_at: None,
            streaming_started_at: None,
            streaming_ended_at: None,
            location: None,
            now,
            offers: SmallVec::from_buf_and_len([OfferDigest::of(signal_request); 2], 1),
            events: VecDeque::new(),
        })
    }

    /// The current status.
    pub fn status(&self) -> SessionStatus {
        match self.phase {
            Phase::Activating { .. } => SessionStatus::Activating,
            Phase::Active { .. } => SessionStatus::Active,
            Phase::Connected { .. } => SessionStatus::Connected,
            Phase::PendingClientReconnection { .. } => SessionStatus::PendingClientReconnection,
            Phase::Reconnecting { .. } => SessionStatus::Reconnecting,
            Phase::Terminating { .. } => SessionStatus::Terminating,
            Phase::Terminated { .. } => SessionStatus::Terminated,
            Phase::Error { .. } => SessionStatus::Error,
        }
    }

    /// The status reason: set in `TERMINATING`, `TERMINATED` and `ERROR`, `None` before.
    pub fn reason(&self) -> Option<StatusReason> {
        match self.phase {
            Phase::Terminating { reason, .. }
            | Phase::Terminated { reason }
            | Phase::Error { reason } => Some(reason),
            _ => None,
        }
    }

    /// The configuration the session was started with.
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }

    /// The location the session was placed in, once placed.
    pub fn location(&self) -> Option<&str> {
        self.location.as_deref()
    }

    /// `CreatedAt`: when the session was started.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at
    }

    /// `LastUpdatedAt`: the time of the latest status change (creation, before any).
    pub fn last_updated_at(&self) -> DateTime<Utc> {
        self.last_updated_at
    }

    /// `ApplicationStartedAt`: the first entry into `ACTIVE`.
    pub fn application_started_at(&self) -> Option<DateTime<Utc>> {
        self.application_started_at
    }

    /// `StreamingStartedAt`: the first time a client connected.
    pub fn streaming_started_at(&self) -> Option<DateTime<Utc>> {
        self.streaming_started_at
    }

    /// `StreamingEndedAt`: the entry into `TERMINATING`, `TERMINATED` or `ERROR` after
    /// streaming started (unset if no client ever connected).
    pub fn streaming_ended_at(&self) -> Option<DateTime<Utc>> {
        self.streaming_ended_at
    }

    /// The latest `now` the session has seen.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// The deadline of `timer`, if it is armed.
    pub fn deadline(&self, timer: Timer) -> Option<DateTime<Utc>> {
        if timer == Timer::MaxSessionLength {
            self.max_session_length_deadline()
        } else if Timer::of_status(self.status()) == Some(timer) {
            self.status_deadline()
        } else {
            None
        }
    }

    /// The earliest armed deadline: call [`handle_timeout`](Self::handle_timeout) then. `None`
    /// once the session is `TERMINATED` or `ERROR`.
    pub fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        self.armed().map(|(_, d)| d).min()
    }

    /// The next pending event, oldest first. Drain after every call that takes `now`.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Fires every timer due at `now` (deadline `<= now`), in deadline order. Calling it early,
    /// or more than once, is harmless: with nothing due it changes nothing but the latest `now`.
    ///
    /// A change caused by a timer is dated at the timer's deadline, not at `now`.
    pub fn handle_timeout(&mut self, now: DateTime<Utc>) {
        let now = self.observe(now);
        // Each firing enters a status whose own timers come later in the lifecycle, and the
        // terminal statuses arm none, so this loop runs at most twice.
        while let Some((timer, deadline)) = self.next_due(now) {
            let (to, rule) = timer.outcome();
            let reason = self.resolve(rule, None);
            self.enter(to, reason, deadline.max(self.last_updated_at));
        }
    }

    /// Applies `input` at `now`, after firing the timers due at `now`.
    ///
    /// On error the input had no effect: the session is exactly as
    /// [`handle_timeout(now)`](Self::handle_timeout) alone would have left it. Errors:
    /// - Validation: a payload that fails its constraints (an empty or reused signal request, a
    ///   location that is not a `LocationName`, a non-`ERROR` reason), or `Terminate` while
    ///   `ACTIVATING`;
    /// - Conflict: the input is not allowed in the current status (the error names the status
    ///   and the statuses that would have allowed it).
    pub fn handle_input(&mut self, now: DateTime<Utc>, input: Input) -> Result<(), SessionError> {
        self.handle_timeout(now);
        let now = self.now;
        match self.plan(&input)? {
            Accepted::Enter(to, rule) => {
                let reason = self.resolve(rule, input.carried_reason());
                match input {
                    Input::Placed { location } => self.location = Some(location),
                    Input::Reconnect { signal_request } => {
                        self.offers.push(OfferDigest::of(&signal_request))
                    }
                    _ => {}
                }
                self.enter(to, reason, now);
            }
            Accepted::Stay(Effect::RestartIdleTimer) => {
                if let Phase::Connected { idle } = &mut self.phase {
                    *idle = deadline_after(now, self.config.idle_timeout);
                }
            }
            Accepted::Stay(Effect::Nothing) => {}
        }
        Ok(())
    }

    /// What [`handle_input`](Self::handle_input) would answer for `input` at `now`, without
    /// changing anything.
    pub fn check_input(&self, now: DateTime<Utc>, input: &Input) -> Result<(), SessionError> {
        let now = now.max(self.now);
        if self.next_due(now).is_some() {
            let mut later = self.clone();
            later.handle_timeout(now);
            later.plan(input).map(drop)
        } else {
            self.plan(input).map(drop)
        }
    }

    /// Checks every internal invariant, for tests and fuzzers. Never fails on a session built
    /// through the public API; also run on deserialization.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        let status = self.status();
        let fail = |what: &str| Err(format!("{what} (status {status}): {self:?}"));
        if self.config.validate().is_err() {
            return fail("invalid configuration");
        }
        if self.last_updated_at < self.created_at || self.now < self.last_updated_at {
            return fail("timestamps out of order: created_at <= last_updated_at <= now");
        }
        if self.offers.is_empty() {
            return fail("the start's signal request digest is missing");
        }
        let started = self.application_started_at;
        if started.is_some() != self.location.is_some() {
            return fail("a session has a location exactly when its application started");
        }
        if status == SessionStatus::Activating && started.is_some() {
            return fail("ACTIVATING after the application started");
        }
        if status.is_running() && started.is_none() {
            return fail("running without ApplicationStartedAt");
        }
        if status == SessionStatus::Connected && self.streaming_started_at.is_none() {
            return fail("CONNECTED without StreamingStartedAt");
        }
        if let Some(streaming) = self.streaming_started_at {
            if started.is_none_or(|s| s > streaming) {
                return fail("streaming started before the application");
            }
        }
        if self.streaming_ended_at.is_some()
            != (status.is_ending() && self.streaming_started_at.is_some())
        {
            return fail("StreamingEndedAt is set exactly when an ended session had streamed");
        }
        for at in [started, self.streaming_started_at, self.streaming_ended_at]
            .into_iter()
            .flatten()
        {
            if at < self.created_at || at > self.last_updated_at {
                return fail("a timestamp outside created_at..=last_updated_at");
            }
        }
        match self.phase {
            Phase::Error { reason } if !reason.is_error_reason() => {
                return fail("ERROR with a termination reason");
            }
            Phase::Terminating { reason, .. } | Phase::Terminated { reason }
                if !reason.is_termination_reason() =>
            {
                return fail("TERMINATING/TERMINATED with an ERROR reason");
            }
            _ => {}
        }
        if let Some(d) = self.status_deadline() {
            if d < self.last_updated_at {
                return fail("the status timer is due before the status was entered");
            }
        }
        if status.is_running() != self.max_session_length_deadline().is_some() {
            return fail("MaxSessionLength is armed exactly while the application runs");
        }
        for timer in Timer::ALL {
            if self.deadline(timer).is_some() != timer.armed_in().contains(status) {
                return fail("the armed timers do not match the status");
            }
        }
        for event in &self.events {
            let Event::StatusChanged { from, to, at, .. } = event;
            if from == to || *at > self.now {
                return fail("an event that is not a change, or from the future");
            }
        }
        Ok(())
    }

    /// Takes `now` as the latest time seen, unless time ran backwards.
    fn observe(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.now = self.now.max(now);
        self.now
    }

    fn status_deadline(&self) -> Option<DateTime<Utc>> {
        match self.phase {
            Phase::Activating { placement: d }
            | Phase::Active { connection: d }
            | Phase::Connected { idle: d }
            | Phase::PendingClientReconnection { reconnection: d }
            | Phase::Reconnecting { reconnection: d }
            | Phase::Terminating { termination: d, .. } => Some(d),
            Phase::Terminated { .. } | Phase::Error { .. } => None,
        }
    }

    fn max_session_length_deadline(&self) -> Option<DateTime<Utc>> {
        if !self.status().is_running() {
            return None;
        }
        let origin = match self.config.session_length_origin {
            SessionLengthOrigin::ApplicationStart => self.application_started_at?,
            SessionLengthOrigin::Creation => self.created_at,
        };
        Some(deadline_after(
            origin,
            self.config.session_length.as_time_delta(),
        ))
    }

    /// The armed timers (at most two: the status's own and the maximum session length).
    fn armed(&self) -> impl Iterator<Item = (Timer, DateTime<Utc>)> {
        let own = Timer::of_status(self.status()).zip(self.status_deadline());
        let max = self
            .max_session_length_deadline()
            .map(|d| (Timer::MaxSessionLength, d));
        own.into_iter().chain(max)
    }

    /// The timer to fire first at `now`: the earliest due deadline, ties in [`Timer`] order.
    fn next_due(&self, now: DateTime<Utc>) -> Option<(Timer, DateTime<Utc>)> {
        self.armed()
            .filter(|(_, d)| is_due(*d, now))
            .min_by_key(|(t, d)| (*d, *t))
    }

    /// Decides what `input` does, reading only: payload validation first, then the table.
    fn plan(&self, input: &Input) -> Result<Accepted, SessionError> {
        let mut violations = Vec::new();
        match input {
            Input::Placed { location } => {
                LOCATION_NAME.check("location", location, &mut violations)
            }
            Input::Reconnect { signal_request } => {
                SIGNAL_REQUEST.check("signalRequest", signal_request, &mut violations);
                if violations.is_empty() && self.offers.contains(&OfferDigest::of(signal_request)) {
                    violations.push(Violation::sensitive(
                        "signalRequest",
                        Constraint::Rule(
                            "The offer must be newly generated, not the same offer provided to \
                             StartStreamSession or to an earlier CreateStreamSessionConnection"
                                .into(),
                        ),
                    ));
                }
            }
            _ => {
                if let Some(reason) = input.carried_reason() {
                    if !reason.is_error_reason() {
                        violations.push(Violation::new(
                            "statusReason",
                            reason,
                            Constraint::OneOf(ERROR_REASONS),
                        ));
                    }
                }
            }
        }
        ValidationError::check(violations)?;
        let status = self.status();
        let kind = input.kind();
        match transition(status, kind) {
            Outcome::Enter(to, rule) => Ok(Accepted::Enter(to, rule)),
            Outcome::Stay(effect) => Ok(Accepted::Stay(effect)),
            Outcome::Conflict => Err(SessionError::Conflict {
                input: kind,
                status,
                allowed: kind.allowed_in(),
            }),
            Outcome::Invalid => Err(SessionError::InvalidStatus {
                input: kind,
                status,
                allowed: kind.allowed_in(),
            }),
        }
    }

    fn resolve(&self, rule: ReasonRule, carried: Option<StatusReason>) -> Option<StatusReason> {
        match rule {
            ReasonRule::None => None,
            ReasonRule::Fixed(reason) => Some(reason),
            ReasonRule::Carried => carried,
            ReasonRule::Kept => self.reason(),
            ReasonRule::ConnectionWindow => Some(if self.streaming_started_at.is_some() {
                StatusReason::ReconnectionTimeout
            } else {
                StatusReason::ConnectionTimeout
            }),
        }
    }

    /// The one place the status changes: arms the new status's timer, keeps the timestamps and
    /// emits the event.
    fn enter(&mut self, to: SessionStatus, reason: Option<StatusReason>, at: DateTime<Utc>) {
        let from = self.status();
        let cfg = &self.config;
        let ct = cfg.connection_timeout.as_time_delta();
        // The table gives every ending status a reason (tested over every cell), so this
        // cannot fail.
        let ending = || reason.expect("the transition table gives every ending status a reason");
        self.phase = match to {
            SessionStatus::Activating => Phase::Activating {
                placement: deadline_after(at, cfg.placement_timeout),
            },
            SessionStatus::Active => Phase::Active {
                connection: deadline_after(at, ct),
            },
            SessionStatus::Connected => Phase::Connected {
                idle: deadline_after(at, cfg.idle_timeout),
            },
            SessionStatus::PendingClientReconnection => Phase::PendingClientReconnection {
                reconnection: deadline_after(at, ct),
            },
            // RECONNECTING keeps the window it came from: PENDING_CLIENT_RECONNECTION's
            // reconnection deadline, or ACTIVE's connection deadline. (decision)
            SessionStatus::Reconnecting => Phase::Reconnecting {
                reconnection: self
                    .status_deadline()
                    .unwrap_or_else(|| deadline_after(at, ct)),
            },
            SessionStatus::Terminating => Phase::Terminating {
                reason: ending(),
                termination: deadline_after(at, cfg.termination_delay),
            },
            SessionStatus::Terminated => Phase::Terminated { reason: ending() },
            SessionStatus::Error => Phase::Error { reason: ending() },
        };
        self.last_updated_at = at;
        match to {
            SessionStatus::Active if self.application_started_at.is_none() => {
                self.application_started_at = Some(at);
            }
            SessionStatus::Connected if self.streaming_started_at.is_none() => {
                self.streaming_started_at = Some(at);
            }
            s if s.is_ending()
                && self.streaming_started_at.is_some()
                && self.streaming_ended_at.is_none() =>
            {
                self.streaming_ended_at = Some(at);
            }
            _ => {}
        }
        self.events.push_back(Event::StatusChanged {
            from,
            to,
            reason: self.reason(),
            at,
        });
    }
}

impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Session::serialize(self, serializer)
    }
}

/// Deserializing checks every invariant: a corrupt or inconsistent session is an error, never
/// a session that misbehaves later.
impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let session = Session::deserialize(deserializer)?;
        session
            .check_invariants()
            .map_err(serde::de::Error::custom)?;
        Ok(session)
    }
}
