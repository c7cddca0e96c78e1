//! The stream session: a sans-IO state machine driven by inputs and by time, both given by the
//! caller. It never reads a clock and does no I/O.

use std::collections::VecDeque;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use smallvec::SmallVec;

use crate::config::{ConnectionTimeout, SessionConfig, SessionLength, SessionLengthOrigin};
use crate::error::{Constraint, SessionError, ValidationError, Violation};
use crate::status::{SessionStatus, StatusReason};
use crate::time::{Timestamp, micros_of};
use crate::transition::{Effect, Input, Outcome, Quick, ReasonRule, Timer, lookup, quick};
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
        #[serde(with = "crate::time::rfc3339")]
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
        Self(crate::fnv::fnv1a(signal_request.as_bytes()))
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

/// The status together with the data valid only in it, as a session serializes: each status
/// holds the deadline of its own timer, and the ending statuses their reason.
#[derive(Clone, Debug, PartialEq, Eq)]
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

/// A timestamp that may be unset, in one `i64` (`i64::MIN`, below [`Timestamp::MIN`], is
/// unset): half the size of an `Option<Timestamp>`, which matters a million sessions over.
#[derive(Clone, Copy, PartialEq, Eq)]
struct MaybeAt(i64);

impl MaybeAt {
    const NONE: MaybeAt = MaybeAt(i64::MIN);

    fn new(at: Option<Timestamp>) -> Self {
        at.map_or(Self::NONE, |t| MaybeAt(t.as_micros()))
    }

    #[inline]
    fn get(self) -> Option<Timestamp> {
        (self.0 != i64::MIN).then(|| Timestamp::from_micros(self.0))
    }

    #[inline]
    fn is_some(self) -> bool {
        self.0 != i64::MIN
    }
}

/// A `LocationName` (1–20 characters of `[a-zA-Z0-9-]`) held inline, without an allocation.
#[derive(Clone, Copy, PartialEq, Eq)]
struct InlineLocation {
    /// 0 until the session is placed.
    len: u8,
    bytes: [u8; 20],
}

impl InlineLocation {
    const NONE: InlineLocation = InlineLocation {
        len: 0,
        bytes: [0; 20],
    };

    /// `name`, which [`LOCATION_NAME`] has accepted (so it fits and is ASCII).
    fn new(name: &str) -> Self {
        let mut bytes = [0; 20];
        let len = name.len().min(20);
        bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
        InlineLocation {
            len: len as u8,
            bytes,
        }
    }

    fn get(&self) -> Option<&str> {
        if self.len == 0 {
            return None;
        }
        // Built only from validated ASCII names.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).ok()
    }
}

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
/// Time is the caller's: every `now` is an argument, a `DateTime<Utc>` or a [`Timestamp`]
/// (time is kept to the microsecond). A `now` earlier than one already seen is taken as the
/// latest one seen (time never runs backwards). Before an input is applied, every timer due at
/// or before `now` fires, in deadline order, ties broken by [`Timer`] order.
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
///
/// The layout is compact (a few machine words per timestamp and duration, the location
/// inline, offers as 64-bit digests), since an engine holds a million of these; it serializes
/// in a readable form with RFC 3339 timestamps.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    status: SessionStatus,
    /// Set in `TERMINATING`, `TERMINATED` and `ERROR`.
    reason: Option<StatusReason>,
    session_length_origin: SessionLengthOrigin,
    location: InlineLocation,
    connection_timeout: ConnectionTimeout,
    session_length: SessionLength,
    /// The deadline of the status's own timer ([`Timestamp::MAX`] in `TERMINATED` and `ERROR`,
    /// which have none).
    deadline: Timestamp,
    /// The maximum session length's deadline while the application runs, else
    /// [`Timestamp::MAX`]. Kept rather than computed, so that "is anything due?" is two
    /// comparisons.
    max_deadline: Timestamp,
    created_at: Timestamp,
    last_updated_at: Timestamp,
    application_started_at: MaybeAt,
    streaming_started_at: MaybeAt,
    streaming_ended_at: MaybeAt,
    /// The latest `now` seen.
    now: Timestamp,
    /// The durations of the configuration, in microseconds.
    idle_timeout: i64,
    placement_timeout: i64,
    termination_delay: i64,
    /// The digest of the start's signal request.
    first_offer: OfferDigest,
    /// The digests of each reconnection's signal request, oldest first. Boxed (one word): most
    /// sessions never reconnect.
    #[allow(clippy::box_collection, reason = "one word in the session, not three")]
    later_offers: Option<Box<Vec<OfferDigest>>>,
    /// Pending events, oldest first. Boxed (one word) and only while some are pending: their
    /// owner drains them after every call, and an engine holds a million idle sessions.
    /// (Room for three inline: one call makes at most three changes, so one allocation.)
    events: Option<Box<SmallVec<[Event; 3]>>>,
}

impl Session {
    /// Creates a session in `ACTIVATING` (API `StartStreamSession`), with its placement timer
    /// armed. Fails with a Validation error if the configuration or the signal request is
    /// invalid (an empty signal request, a negative duration).
    pub fn start(
        config: SessionConfig,
        signal_request: &str,
        now: impl Into<Timestamp>,
    ) -> Result<Session, SessionError> {
        let now = now.into();
        let mut violations = Vec::new();
        if let Err(e) = config.validate() {
            violations.extend(e.violations().iter().cloned());
        }
        SIGNAL_REQUEST.check("signalRequest", signal_request, &mut violations);
        ValidationError::check(violations)?;
        let placement_timeout = micros_of(config.placement_timeout);
        Ok(Session {
            status: SessionStatus::Activating,
            reason: None,
            session_length_origin: config.session_length_origin,
            location: InlineLocation::NONE,
            connection_timeout: config.connection_timeout,
            session_length: config.session_length,
            deadline: now.after_configured(placement_timeout),
            max_deadline: Timestamp::MAX,
            created_at: now,
            last_updated_at: now,
            application_started_at: MaybeAt::NONE,
            streaming_started_at: MaybeAt::NONE,
            streaming_ended_at: MaybeAt::NONE,
            now,
            idle_timeout: micros_of(config.idle_timeout),
            placement_timeout,
            termination_delay: micros_of(config.termination_delay),
            first_offer: OfferDigest::of(signal_request),
            later_offers: None,
            events: None,
        })
    }

    /// The current status.
    #[inline]
    pub fn status(&self) -> SessionStatus {
        self.status
    }

    /// The status reason: set in `TERMINATING`, `TERMINATED` and `ERROR`, `None` before.
    #[inline]
    pub fn reason(&self) -> Option<StatusReason> {
        self.reason
    }

    /// The 64-bit FNV-1a digest of the latest signal request (the start's, or the latest
    /// reconnection's): what the session keeps of its offers.
    pub fn latest_offer_digest(&self) -> u64 {
        self.later_offers
            .as_deref()
            .and_then(|later| later.last())
            .unwrap_or(&self.first_offer)
            .0
    }

    /// The configuration the session was started with.
    pub fn config(&self) -> SessionConfig {
        SessionConfig {
            connection_timeout: self.connection_timeout,
            session_length: self.session_length,
            idle_timeout: chrono::TimeDelta::microseconds(self.idle_timeout),
            placement_timeout: chrono::TimeDelta::microseconds(self.placement_timeout),
            termination_delay: chrono::TimeDelta::microseconds(self.termination_delay),
            session_length_origin: self.session_length_origin,
        }
    }

    /// `ConnectionTimeoutSeconds`, as started with.
    pub fn connection_timeout(&self) -> ConnectionTimeout {
        self.connection_timeout
    }

    /// `SessionLengthSeconds`, as started with.
    pub fn session_length(&self) -> SessionLength {
        self.session_length
    }

    /// The location the session was placed in, once placed.
    pub fn location(&self) -> Option<&str> {
        self.location.get()
    }

    /// `CreatedAt`: when the session was started.
    pub fn created_at(&self) -> DateTime<Utc> {
        self.created_at.to_datetime()
    }

    /// `LastUpdatedAt`: the time of the latest status change (creation, before any).
    pub fn last_updated_at(&self) -> DateTime<Utc> {
        self.last_updated_at.to_datetime()
    }

    /// `ApplicationStartedAt`: the first entry into `ACTIVE`.
    pub fn application_started_at(&self) -> Option<DateTime<Utc>> {
        self.application_started_at
            .get()
            .map(Timestamp::to_datetime)
    }

    /// `StreamingStartedAt`: the first time a client connected.
    pub fn streaming_started_at(&self) -> Option<DateTime<Utc>> {
        self.streaming_started_at.get().map(Timestamp::to_datetime)
    }

    /// `StreamingEndedAt`: the entry into `TERMINATING`, `TERMINATED` or `ERROR` after
    /// streaming started (unset if no client ever connected).
    pub fn streaming_ended_at(&self) -> Option<DateTime<Utc>> {
        self.streaming_ended_at.get().map(Timestamp::to_datetime)
    }

    /// The latest `now` the session has seen.
    pub fn now(&self) -> DateTime<Utc> {
        self.now.to_datetime()
    }

    /// `now`, `LastUpdatedAt`, `ApplicationStartedAt`, `StreamingStartedAt` and
    /// `StreamingEndedAt` as kept, for checks that compare many of them per step.
    #[cfg(feature = "fuzzing")]
    pub(crate) fn instants(&self) -> [Option<Timestamp>; 5] {
        [
            Some(self.now),
            Some(self.last_updated_at),
            self.application_started_at.get(),
            self.streaming_started_at.get(),
            self.streaming_ended_at.get(),
        ]
    }

    /// The deadline of `timer`, if it is armed.
    pub fn deadline(&self, timer: Timer) -> Option<DateTime<Utc>> {
        self.deadline_at(timer).map(Timestamp::to_datetime)
    }

    /// [`deadline`](Self::deadline) as a [`Timestamp`].
    pub fn deadline_at(&self, timer: Timer) -> Option<Timestamp> {
        if timer == Timer::MaxSessionLength {
            self.max_session_length_deadline()
        } else if Timer::of_status(self.status) == Some(timer) {
            Some(self.deadline)
        } else {
            None
        }
    }

    /// The earliest armed deadline: call [`handle_timeout`](Self::handle_timeout) then. `None`
    /// once the session is `TERMINATED` or `ERROR`.
    pub fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        self.poll_timeout_at().map(Timestamp::to_datetime)
    }

    /// [`poll_timeout`](Self::poll_timeout) as a [`Timestamp`].
    #[inline]
    pub fn poll_timeout_at(&self) -> Option<Timestamp> {
        self.next_timer().map(|(_, at)| at)
    }

    /// The armed timer that fires first and its deadline ([`poll_timeout`](Self::poll_timeout)):
    /// the earliest, ties in [`Timer`] order. `None` once the session is `TERMINATED` or
    /// `ERROR`.
    pub fn first_timer(&self) -> Option<(Timer, DateTime<Utc>)> {
        self.next_timer()
            .map(|(timer, at)| (timer, at.to_datetime()))
    }

    /// The next pending event, oldest first. Drain after every call that takes `now`.
    pub fn poll_event(&mut self) -> Option<Event> {
        let events = self.events.as_mut()?;
        let event = (!events.is_empty()).then(|| events.remove(0));
        if events.is_empty() {
            // A drained queue gives its memory back: an engine holds many idle sessions.
            self.events = None;
        }
        event
    }

    /// Fires every timer due at `now` (deadline `<= now`), in deadline order. Calling it early,
    /// or more than once, is harmless: with nothing due it changes nothing but the latest `now`.
    ///
    /// A change caused by a timer is dated at the timer's deadline, not at `now`.
    #[inline]
    pub fn handle_timeout(&mut self, now: impl Into<Timestamp>) {
        let now = now.into();
        self.fire_due(now);
    }

    #[inline]
    fn fire_due(&mut self, now: Timestamp) -> Timestamp {
        if now > self.now {
            self.now = now;
        }
        let now = self.now;
        // The common case, nothing due: two comparisons (both are MAX when not armed).
        if self.deadline.min(self.max_deadline) <= now {
            self.fire_timers(now);
        }
        now
    }

    #[cold]
    #[inline(never)]
    fn fire_timers(&mut self, now: Timestamp) {
        // Each firing enters a status whose own timers come later in the lifecycle, and the
        // terminal statuses arm none, so this loop runs at most twice.
        while let Some((timer, deadline)) = self.next_timer() {
            if deadline > now {
                break;
            }
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
    #[inline]
    pub fn handle_input(
        &mut self,
        now: impl Into<Timestamp>,
        input: Input,
    ) -> Result<(), SessionError> {
        let now = now.into();
        self.apply(now, input)
    }

    #[inline]
    fn apply(&mut self, now: Timestamp, input: Input) -> Result<(), SessionError> {
        let now = self.fire_due(now);
        let kind = input.kind();
        // The fast path: an input with no payload to validate whose cell keeps the status.
        match quick(self.status, kind) {
            Quick::Nothing => Ok(()),
            Quick::RestartIdleTimer => {
                self.restart_idle_timer(now);
                Ok(())
            }
            Quick::Full => self.apply_slow(now, input),
        }
    }

    /// Only CONNECTED restarts its idle timer (the table says so), whose deadline is the
    /// status's own.
    #[inline]
    fn restart_idle_timer(&mut self, now: Timestamp) {
        self.deadline = now.after_configured(self.idle_timeout);
    }

    #[inline(never)]
    fn apply_slow(&mut self, now: Timestamp, input: Input) -> Result<(), SessionError> {
        match self.plan(&input)? {
            Accepted::Stay(Effect::RestartIdleTimer) => self.restart_idle_timer(now),
            Accepted::Stay(Effect::Nothing) => {}
            Accepted::Enter(to, rule) => {
                let reason = self.resolve(rule, input.carried_reason());
                match input {
                    Input::Placed { location } => self.location = InlineLocation::new(&location),
                    Input::Reconnect { signal_request } => {
                        let digest = OfferDigest::of(&signal_request);
                        self.later_offers.get_or_insert_default().push(digest);
                    }
                    _ => {}
                }
                self.enter(to, reason, now);
            }
        }
        Ok(())
    }

    /// What [`handle_input`](Self::handle_input) would answer for `input` at `now`, without
    /// changing anything.
    pub fn check_input(
        &self,
        now: impl Into<Timestamp>,
        input: &Input,
    ) -> Result<(), SessionError> {
        let now = now.into().max(self.now);
        if self.next_timer().is_some_and(|(_, d)| d <= now) {
            let mut later = self.clone();
            later.fire_due(now);
            later.plan(input).map(drop)
        } else {
            self.plan(input).map(drop)
        }
    }

    /// Checks every internal invariant, for tests and fuzzers. Never fails on a session built
    /// through the public API; also run on deserialization.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        let status = self.status;
        let fail = |what: &str| Err(format!("{what} (status {status}): {self:?}"));
        // What `SessionConfig::validate` checks, on the microseconds kept (whole by
        // construction), without building the configuration.
        let durations = [
            self.idle_timeout,
            self.placement_timeout,
            self.termination_delay,
        ];
        if !durations
            .iter()
            .all(|d| (0..=crate::config::MAX_DURATION_MICROS).contains(d))
        {
            return fail("invalid configuration");
        }
        if self.last_updated_at < self.created_at || self.now < self.last_updated_at {
            return fail("timestamps out of order: created_at <= last_updated_at <= now");
        }
        let started = self.application_started_at.get();
        if started.is_some() != self.location.get().is_some() {
            return fail("a session has a location exactly when its application started");
        }
        if status == SessionStatus::Activating && started.is_some() {
            return fail("ACTIVATING after the application started");
        }
        if status.is_running() && started.is_none() {
            return fail("running without ApplicationStartedAt");
        }
        let streaming = self.streaming_started_at.get();
        if status == SessionStatus::Connected && streaming.is_none() {
            return fail("CONNECTED without StreamingStartedAt");
        }
        if let Some(streaming) = streaming {
            if started.is_none_or(|s| s > streaming) {
                return fail("streaming started before the application");
            }
        }
        if self.streaming_ended_at.is_some() != (status.is_ending() && streaming.is_some()) {
            return fail("StreamingEndedAt is set exactly when an ended session had streamed");
        }
        for at in [started, streaming, self.streaming_ended_at.get()]
            .into_iter()
            .flatten()
        {
            if at < self.created_at || at > self.last_updated_at {
                return fail("a timestamp outside created_at..=last_updated_at");
            }
        }
        match (status, self.reason) {
            (SessionStatus::Error, Some(reason)) if !reason.is_error_reason() => {
                return fail("ERROR with a termination reason");
            }
            (SessionStatus::Terminating | SessionStatus::Terminated, Some(reason))
                if !reason.is_termination_reason() =>
            {
                return fail("TERMINATING/TERMINATED with an ERROR reason");
            }
            (s, reason) if s.is_ending() != reason.is_some() => {
                return fail("a reason is set exactly in the ending statuses");
            }
            _ => {}
        }
        if status.is_terminal() {
            if self.deadline != Timestamp::MAX {
                return fail("a terminal status keeps a deadline");
            }
        } else if self.deadline < self.last_updated_at {
            return fail("the status timer is due before the status was entered");
        }
        let expected_max = if status.is_running() {
            self.compute_max_deadline()
        } else {
            None
        };
        if expected_max.unwrap_or(Timestamp::MAX) != self.max_deadline {
            return fail("the kept MaxSessionLength deadline is not the computed one");
        }
        if status.is_running() && expected_max.is_none() {
            return fail("MaxSessionLength is armed exactly while the application runs");
        }
        for timer in Timer::ALL {
            if self.deadline_at(timer).is_some() != timer.armed_in().contains(status) {
                return fail("the armed timers do not match the status");
            }
        }
        if let Some(events) = &self.events {
            let now = self.now.to_datetime();
            for Event::StatusChanged { from, to, at, .. } in events.iter() {
                if from == to || *at > now {
                    return fail("an event that is not a change, or from the future");
                }
            }
        }
        Ok(())
    }

    fn max_session_length_deadline(&self) -> Option<Timestamp> {
        self.status.is_running().then_some(self.max_deadline)
    }

    /// The maximum session length's deadline, computed from its origin.
    fn compute_max_deadline(&self) -> Option<Timestamp> {
        let origin = match self.session_length_origin {
            SessionLengthOrigin::ApplicationStart => self.application_started_at.get()?,
            SessionLengthOrigin::Creation => self.created_at,
        };
        Some(origin.after_configured(i64::from(self.session_length.seconds()) * 1_000_000))
    }

    /// The armed timer to fire first: the earliest deadline, ties in [`Timer`] order.
    #[inline]
    fn next_timer(&self) -> Option<(Timer, Timestamp)> {
        // The terminal statuses arm nothing, and only the running ones arm the maximum length.
        let own = (Timer::of_status(self.status)?, self.deadline);
        Some(match self.max_session_length_deadline() {
            Some(max) if (max, Timer::MaxSessionLength) < (own.1, own.0) => {
                (Timer::MaxSessionLength, max)
            }
            _ => own,
        })
    }

    /// Decides what `input` does, reading only: payload validation first, then the table.
    fn plan(&self, input: &Input) -> Result<Accepted, SessionError> {
        match input {
            Input::Placed { location } => {
                let mut violations = Vec::new();
                LOCATION_NAME.check("location", location, &mut violations);
                ValidationError::check(violations)?;
            }
            Input::Reconnect { signal_request } => {
                let mut violations = Vec::new();
                SIGNAL_REQUEST.check("signalRequest", signal_request, &mut violations);
                let digest = OfferDigest::of(signal_request);
                if violations.is_empty()
                    && (self.first_offer == digest
                        || self
                            .later_offers
                            .as_deref()
                            .is_some_and(|l| l.contains(&digest)))
                {
                    violations.push(Violation::sensitive(
                        "signalRequest",
                        Constraint::Rule(
                            "The offer must be newly generated, not the same offer provided to \
                             StartStreamSession or to an earlier CreateStreamSessionConnection"
                                .into(),
                        ),
                    ));
                }
                ValidationError::check(violations)?;
            }
            _ => {
                if let Some(reason) = input.carried_reason() {
                    if !reason.is_error_reason() {
                        return Err(ValidationError::single(Violation::new(
                            "statusReason",
                            reason,
                            Constraint::OneOf(ERROR_REASONS),
                        ))
                        .into());
                    }
                }
            }
        }
        let status = self.status;
        let kind = input.kind();
        match lookup(status, kind) {
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
            ReasonRule::Kept => self.reason,
            ReasonRule::ConnectionWindow => Some(if self.streaming_started_at.is_some() {
                StatusReason::ReconnectionTimeout
            } else {
                StatusReason::ConnectionTimeout
            }),
        }
    }

    /// The one place the status changes: arms the new status's timer, keeps the timestamps and
    /// emits the event.
    fn enter(&mut self, to: SessionStatus, reason: Option<StatusReason>, at: Timestamp) {
        let from = self.status;
        let connection = i64::from(self.connection_timeout.seconds()) * 1_000_000;
        self.deadline = match to {
            SessionStatus::Activating => at.after_configured(self.placement_timeout),
            SessionStatus::Active | SessionStatus::PendingClientReconnection => {
                at.after_configured(connection)
            }
            SessionStatus::Connected => at.after_configured(self.idle_timeout),
            // RECONNECTING keeps the window it came from: PENDING_CLIENT_RECONNECTION's
            // reconnection deadline, or ACTIVE's connection deadline. (decision)
            SessionStatus::Reconnecting => self.deadline,
            SessionStatus::Terminating => at.after_configured(self.termination_delay),
            SessionStatus::Terminated | SessionStatus::Error => Timestamp::MAX,
        };
        if !to.is_running() {
            self.max_deadline = Timestamp::MAX;
        }
        self.status = to;
        // The table gives every ending status a reason and no other one (tested over every
        // cell); the running statuses clear it.
        self.reason = if to.is_ending() { reason } else { None };
        self.last_updated_at = at;
        let stamp = MaybeAt::new(Some(at));
        match to {
            SessionStatus::Active if !self.application_started_at.is_some() => {
                self.application_started_at = stamp;
            }
            _ => {}
        }
        if to.is_running() && !from.is_running() {
            self.max_deadline = self.compute_max_deadline().unwrap_or(Timestamp::MAX);
        }
        match to {
            SessionStatus::Connected if !self.streaming_started_at.is_some() => {
                self.streaming_started_at = stamp;
            }
            s if s.is_ending()
                && self.streaming_started_at.is_some()
                && !self.streaming_ended_at.is_some() =>
            {
                self.streaming_ended_at = stamp;
            }
            _ => {}
        }
        self.events
            .get_or_insert_default()
            .push(Event::StatusChanged {
                from,
                to,
                reason: self.reason,
                at: at.to_datetime(),
            });
    }

    /// The serialized form.
    fn to_repr(&self) -> SessionRepr {
        let deadline = self.deadline.to_datetime();
        let reason = self.reason.unwrap_or(StatusReason::InternalError);
        let phase = match self.status {
            SessionStatus::Activating => Phase::Activating {
                placement: deadline,
            },
            SessionStatus::Active => Phase::Active {
                connection: deadline,
            },
            SessionStatus::Connected => Phase::Connected { idle: deadline },
            SessionStatus::PendingClientReconnection => Phase::PendingClientReconnection {
                reconnection: deadline,
            },
            SessionStatus::Reconnecting => Phase::Reconnecting {
                reconnection: deadline,
            },
            SessionStatus::Terminating => Phase::Terminating {
                reason,
                termination: deadline,
            },
            SessionStatus::Terminated => Phase::Terminated { reason },
            SessionStatus::Error => Phase::Error { reason },
        };
        let mut offers = SmallVec::new();
        offers.push(self.first_offer);
        offers.extend(self.later_offers.iter().flat_map(|l| l.iter().copied()));
        SessionRepr {
            config: self.config(),
            phase,
            created_at: self.created_at.to_datetime(),
            last_updated_at: self.last_updated_at.to_datetime(),
            application_started_at: self.application_started_at(),
            streaming_started_at: self.streaming_started_at(),
            streaming_ended_at: self.streaming_ended_at(),
            location: self.location().map(str::to_owned),
            now: self.now.to_datetime(),
            offers,
            events: self.events.iter().flat_map(|e| e.iter().cloned()).collect(),
        }
    }

    /// From the serialized form; the caller checks the invariants.
    fn from_repr(repr: SessionRepr) -> Result<Session, String> {
        let (status, reason, deadline) = match repr.phase {
            Phase::Activating { placement: d } => (SessionStatus::Activating, None, Some(d)),
            Phase::Active { connection: d } => (SessionStatus::Active, None, Some(d)),
            Phase::Connected { idle: d } => (SessionStatus::Connected, None, Some(d)),
            Phase::PendingClientReconnection { reconnection: d } => {
                (SessionStatus::PendingClientReconnection, None, Some(d))
            }
            Phase::Reconnecting { reconnection: d } => (SessionStatus::Reconnecting, None, Some(d)),
            Phase::Terminating {
                reason,
                termination: d,
            } => (SessionStatus::Terminating, Some(reason), Some(d)),
            Phase::Terminated { reason } => (SessionStatus::Terminated, Some(reason), None),
            Phase::Error { reason } => (SessionStatus::Error, Some(reason), None),
        };
        let location = match &repr.location {
            None => InlineLocation::NONE,
            Some(name) => {
                let mut violations = Vec::new();
                LOCATION_NAME.check("location", name, &mut violations);
                if !violations.is_empty() {
                    return Err(format!("location {name:?} is not a LocationName"));
                }
                InlineLocation::new(name)
            }
        };
        let mut offers = repr.offers.into_iter();
        let first_offer = offers
            .next()
            .ok_or("the start's signal request digest is missing")?;
        let at = |t: DateTime<Utc>| Timestamp::from(t);
        let config = &repr.config;
        let mut session = Session {
            status,
            reason,
            session_length_origin: config.session_length_origin,
            location,
            connection_timeout: config.connection_timeout,
            session_length: config.session_length,
            deadline: deadline.map_or(Timestamp::MAX, at),
            max_deadline: Timestamp::MAX,
            created_at: at(repr.created_at),
            last_updated_at: at(repr.last_updated_at),
            application_started_at: MaybeAt::new(repr.application_started_at.map(at)),
            streaming_started_at: MaybeAt::new(repr.streaming_started_at.map(at)),
            streaming_ended_at: MaybeAt::new(repr.streaming_ended_at.map(at)),
            now: at(repr.now),
            idle_timeout: micros_of(config.idle_timeout),
            placement_timeout: micros_of(config.placement_timeout),
            termination_delay: micros_of(config.termination_delay),
            first_offer,
            later_offers: {
                let later: Vec<OfferDigest> = offers.collect();
                (!later.is_empty()).then(|| Box::new(later))
            },
            events: (!repr.events.is_empty()).then(|| Box::new(repr.events.into_iter().collect())),
        };
        if status.is_running() {
            session.max_deadline = session.compute_max_deadline().unwrap_or(Timestamp::MAX);
        }
        Ok(session)
    }
}

/// How a [`Session`] serializes: readable, with RFC 3339 timestamps and the status's own data
/// (its deadline, its reason) inside the status, as one flat map:
/// `{"config":…,"status":"ACTIVE","connection":…,"created_at":…,…}`. Its serde is written out
/// ([`SessionRepr::serialize`], [`ReprVisitor`]) rather than derived with `#[serde(flatten)]`
/// over an internally tagged [`Phase`]: that derive buffers every member as serde's `Content`
/// and reads it twice, which cost more than the rest of a session's round trip.
#[derive(Debug)]
struct SessionRepr {
    config: SessionConfig,
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

/// The members of a serialized session, in the order they are written.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ReprField {
    Config,
    Status,
    Placement,
    Connection,
    Idle,
    Reconnection,
    Reason,
    Termination,
    CreatedAt,
    LastUpdatedAt,
    ApplicationStartedAt,
    StreamingStartedAt,
    StreamingEndedAt,
    Location,
    Now,
    Offers,
    Events,
    /// Unknown members are ignored, as a derived `Deserialize` ignores them.
    #[serde(other)]
    Other,
}

/// A deadline as a session writes it: the member's name and the instant.
type NamedDeadline<'a> = (&'static str, &'a DateTime<Utc>);

impl Phase {
    /// The status, the deadline's member and the reason, as written.
    fn parts(
        &self,
    ) -> (
        SessionStatus,
        Option<NamedDeadline<'_>>,
        Option<StatusReason>,
    ) {
        use SessionStatus as S;
        match self {
            Phase::Activating { placement } => {
                (S::Activating, Some(("placement", placement)), None)
            }
            Phase::Active { connection } => (S::Active, Some(("connection", connection)), None),
            Phase::Connected { idle } => (S::Connected, Some(("idle", idle)), None),
            Phase::PendingClientReconnection { reconnection } => (
                S::PendingClientReconnection,
                Some(("reconnection", reconnection)),
                None,
            ),
            Phase::Reconnecting { reconnection } => {
                (S::Reconnecting, Some(("reconnection", reconnection)), None)
            }
            Phase::Terminating {
                reason,
                termination,
            } => (
                S::Terminating,
                Some(("termination", termination)),
                Some(*reason),
            ),
            Phase::Terminated { reason } => (S::Terminated, None, Some(*reason)),
            Phase::Error { reason } => (S::Error, None, Some(*reason)),
        }
    }
}

impl Serialize for SessionRepr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use crate::time::rfc3339::Wrapper;
        use serde::ser::SerializeMap;
        let (status, deadline, reason) = self.phase.parts();
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("config", &self.config)?;
        map.serialize_entry("status", status.as_str())?;
        // A terminating session writes its reason before its deadline.
        if let Some(reason) = reason {
            map.serialize_entry("reason", &reason)?;
        }
        if let Some((member, at)) = deadline {
            map.serialize_entry(member, &Wrapper(*at))?;
        }
        let wrap = |at: Option<DateTime<Utc>>| at.map(Wrapper);
        map.serialize_entry("created_at", &Wrapper(self.created_at))?;
        map.serialize_entry("last_updated_at", &Wrapper(self.last_updated_at))?;
        map.serialize_entry("application_started_at", &wrap(self.application_started_at))?;
        map.serialize_entry("streaming_started_at", &wrap(self.streaming_started_at))?;
        map.serialize_entry("streaming_ended_at", &wrap(self.streaming_ended_at))?;
        map.serialize_entry("location", &self.location)?;
        map.serialize_entry("now", &Wrapper(self.now))?;
        map.serialize_entry("offers", &self.offers)?;
        map.serialize_entry("events", &self.events)?;
        map.end()
    }
}

/// Reads a [`SessionRepr`] from its map in one pass. Every member is required but the three
/// optional instants and `location`; a member given twice is an error; the deadline and reason
/// members are read whatever the status, and those the status has no use for are ignored.
struct ReprVisitor;

impl<'de> serde::de::Visitor<'de> for ReprVisitor {
    type Value = SessionRepr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a session")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<SessionRepr, A::Error> {
        use crate::time::rfc3339::Wrapper;
        use serde::de::Error;

        /// Stores the next value in `slot`, refusing a second one.
        fn put<'de, A: serde::de::MapAccess<'de>, T: Deserialize<'de>>(
            map: &mut A,
            slot: &mut Option<T>,
            name: &'static str,
        ) -> Result<(), A::Error> {
            if slot.is_some() {
                return Err(A::Error::duplicate_field(name));
            }
            *slot = Some(map.next_value()?);
            Ok(())
        }

        let mut config = None;
        // The status's own wire names, as the API writes them.
        let mut status: Option<SessionStatus> = None;
        let mut reason: Option<StatusReason> = None;
        // placement, connection, idle, reconnection, termination
        let mut deadlines: [Option<Wrapper>; 5] = [None, None, None, None, None];
        let mut created_at: Option<Wrapper> = None;
        let mut last_updated_at: Option<Wrapper> = None;
        let mut now: Option<Wrapper> = None;
        let mut optional: [Option<Option<Wrapper>>; 3] = [None, None, None];
        let mut location: Option<Option<String>> = None;
        let mut offers = None;
        let mut events = None;
        while let Some(field) = map.next_key::<ReprField>()? {
            match field {
                ReprField::Config => put(&mut map, &mut config, "config")?,
                ReprField::Status => put(&mut map, &mut status, "status")?,
                ReprField::Placement => put(&mut map, &mut deadlines[0], "placement")?,
                ReprField::Connection => put(&mut map, &mut deadlines[1], "connection")?,
                ReprField::Idle => put(&mut map, &mut deadlines[2], "idle")?,
                ReprField::Reconnection => put(&mut map, &mut deadlines[3], "reconnection")?,
                ReprField::Termination => put(&mut map, &mut deadlines[4], "termination")?,
                ReprField::Reason => put(&mut map, &mut reason, "reason")?,
                ReprField::CreatedAt => put(&mut map, &mut created_at, "created_at")?,
                ReprField::LastUpdatedAt => put(&mut map, &mut last_updated_at, "last_updated_at")?,
                ReprField::ApplicationStartedAt => {
                    put(&mut map, &mut optional[0], "application_started_at")?
                }
                ReprField::StreamingStartedAt => {
                    put(&mut map, &mut optional[1], "streaming_started_at")?
                }
                ReprField::StreamingEndedAt => {
                    put(&mut map, &mut optional[2], "streaming_ended_at")?
                }
                ReprField::Location => put(&mut map, &mut location, "location")?,
                ReprField::Now => put(&mut map, &mut now, "now")?,
                ReprField::Offers => put(&mut map, &mut offers, "offers")?,
                ReprField::Events => put(&mut map, &mut events, "events")?,
                ReprField::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let [placement, connection, idle, reconnection, termination] = deadlines;
        let need = |at: Option<Wrapper>, name| {
            at.map(|w| w.0).ok_or_else(|| A::Error::missing_field(name))
        };
        let reason_needed = || reason.ok_or_else(|| A::Error::missing_field("reason"));
        let phase = match status.ok_or_else(|| A::Error::missing_field("status"))? {
            SessionStatus::Activating => Phase::Activating {
                placement: need(placement, "placement")?,
            },
            SessionStatus::Active => Phase::Active {
                connection: need(connection, "connection")?,
            },
            SessionStatus::Connected => Phase::Connected {
                idle: need(idle, "idle")?,
            },
            SessionStatus::PendingClientReconnection => Phase::PendingClientReconnection {
                reconnection: need(reconnection, "reconnection")?,
            },
            SessionStatus::Reconnecting => Phase::Reconnecting {
                reconnection: need(reconnection, "reconnection")?,
            },
            SessionStatus::Terminating => Phase::Terminating {
                reason: reason_needed()?,
                termination: need(termination, "termination")?,
            },
            SessionStatus::Terminated => Phase::Terminated {
                reason: reason_needed()?,
            },
            SessionStatus::Error => Phase::Error {
                reason: reason_needed()?,
            },
        };
        let [
            application_started_at,
            streaming_started_at,
            streaming_ended_at,
        ] = optional.map(|at| at.flatten().map(|w| w.0));
        Ok(SessionRepr {
            config: config.ok_or_else(|| A::Error::missing_field("config"))?,
            phase,
            created_at: need(created_at, "created_at")?,
            last_updated_at: need(last_updated_at, "last_updated_at")?,
            application_started_at,
            streaming_started_at,
            streaming_ended_at,
            location: location.flatten(),
            now: need(now, "now")?,
            offers: offers.ok_or_else(|| A::Error::missing_field("offers"))?,
            events: events.ok_or_else(|| A::Error::missing_field("events"))?,
        })
    }
}

impl<'de> Deserialize<'de> for SessionRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ReprVisitor)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_repr(), f)
    }
}

impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_repr().serialize(serializer)
    }
}

/// Deserializing checks every invariant: a corrupt or inconsistent session is an error, never
/// a session that misbehaves later. Times are truncated to the microsecond.
impl<'de> Deserialize<'de> for Session {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = SessionRepr::deserialize(deserializer)?;
        let session = Session::from_repr(repr).map_err(serde::de::Error::custom)?;
        session
            .check_invariants()
            .map_err(serde::de::Error::custom)?;
        Ok(session)
    }
}
