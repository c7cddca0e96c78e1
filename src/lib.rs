//! A pure, I/O-free model of the Amazon GameLift Streams stream session lifecycle.
//!
//! This crate is the core of `gameliftstreams-lifecycle`: the statuses, reasons, transitions and
//! timers of a stream session exactly as the GameLift Streams API reports them, as a sans-IO
//! state machine. It is deterministic: **it never reads the clock** (chrono's `clock` feature is
//! off) and does no I/O. All time is an input: every call that can change state takes `now`, a
//! `DateTime<Utc>` or a [`Timestamp`] (time is kept to the microsecond).
//!
//! # The run loop
//!
//! 1. Create a [`Session`] with [`Session::start`] (what `StartStreamSession` does). It begins in
//!    `ACTIVATING` with its placement timer armed.
//! 2. Feed it what happens, as [`Input`]s, with [`Session::handle_input`]: infrastructure
//!    observations (`Placed`, `ClientConnected`, `ClientDisconnected`, `UserInput`,
//!    `ReconnectSucceeded`, `ApplicationExited`, …) and API calls (`Reconnect` for
//!    `CreateStreamSessionConnection`, `Terminate` for `TerminateStreamSession`). An input that
//!    is not allowed returns a [`SessionError`] and changes nothing.
//! 3. Drain [`Session::poll_event`] after every call: one [`Event::StatusChanged`] per change.
//! 4. Ask [`Session::poll_timeout`] for the next deadline, and call
//!    [`Session::handle_timeout`] when your clock reaches it (calling it early is harmless).
//! 5. Repeat until [`SessionStatus::is_terminal`]: then `poll_timeout` returns `None`.
//!
//! # The reconnection flow, step by step
//!
//! This follows the AWS documentation of `CreateStreamSessionConnection`: CONNECTED →
//! the client disconnects → PENDING_CLIENT_RECONNECTION → `CreateStreamSessionConnection` →
//! RECONNECTING → ACTIVE → the client connects again → CONNECTED.
//!
//! ```
//! use chrono::{DateTime, TimeDelta};
//! use gameliftstreams_lifecycle::{
//!     ConnectionTimeout, Event, Input, Session, SessionConfig, SessionStatus, StatusReason, Timer,
//! };
//!
//! let t0 = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
//! let secs = |n| t0 + TimeDelta::seconds(n);
//! let config = SessionConfig {
//!     connection_timeout: ConnectionTimeout::new(60)?,
//!     ..SessionConfig::default()
//! };
//!
//! // StartStreamSession: ACTIVATING, waiting for capacity.
//! let mut session = Session::start(config, "offer-from-the-web-sdk", t0)?;
//! assert_eq!(session.status(), SessionStatus::Activating);
//!
//! // Capacity found, application launched: ACTIVE. The client has 60 s to connect.
//! session.handle_input(secs(5), Input::Placed { location: "us-east-1".into() })?;
//! assert_eq!(session.deadline(Timer::Connection), Some(secs(65)));
//!
//! // The client connects, then loses its connection.
//! session.handle_input(secs(10), Input::ClientConnected)?;
//! session.handle_input(secs(100), Input::ClientDisconnected)?;
//! assert_eq!(session.status(), SessionStatus::PendingClientReconnection);
//! // It has ConnectionTimeoutSeconds to come back.
//! assert_eq!(session.deadline(Timer::Reconnection), Some(secs(160)));
//!
//! // The backend calls CreateStreamSessionConnection with a *new* offer.
//! let reused = session.handle_input(
//!     secs(120),
//!     Input::Reconnect { signal_request: "offer-from-the-web-sdk".into() },
//! );
//! assert!(reused.is_err(), "the offer must be newly generated");
//! session.handle_input(secs(120), Input::Reconnect { signal_request: "offer-2".into() })?;
//! assert_eq!(session.status(), SessionStatus::Reconnecting);
//!
//! // The new connection information is ready: ACTIVE again, with a fresh connection window…
//! session.handle_input(secs(121), Input::ReconnectSucceeded)?;
//! assert_eq!(session.deadline(Timer::Connection), Some(secs(181)));
//! // …and the client connects: CONNECTED.
//! session.handle_input(secs(130), Input::ClientConnected)?;
//! assert_eq!(session.status(), SessionStatus::Connected);
//!
//! // Every change was reported once, in order.
//! let mut seen = Vec::new();
//! while let Some(Event::StatusChanged { to, .. }) = session.poll_event() {
//!     seen.push(to);
//! }
//! use SessionStatus::*;
//! assert_eq!(seen, [Active, Connected, PendingClientReconnection, Reconnecting, Active, Connected]);
//!
//! // Left alone, the idle timer (60 minutes without user input) ends the session; the
//! // TERMINATING → TERMINATED step settles at the same instant by default.
//! let deadline = session.poll_timeout().unwrap();
//! session.handle_timeout(deadline);
//! assert_eq!(session.status(), SessionStatus::Terminated);
//! assert_eq!(session.reason(), Some(StatusReason::IdleTimeout));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The transition table
//!
//! [`transition`] is the whole table over (status, input kind), and [`Timer::outcome`] says what
//! each timer does; [`Session`] runs exactly these functions, and
//! [`mermaid_state_diagram`] draws them (the README's copy), as [`svg_state_diagram`] does for
//! dashboards (`docs/state-diagram.svg`). Timers (see [`Timer`]):
//!
//! | timer | armed while | starts | fires → |
//! |---|---|---|---|
//! | `Placement` | ACTIVATING | at creation, for `placement_timeout` (75 s) | ERROR(placementTimeout) |
//! | `Connection` | ACTIVE | on every entry, for `ConnectionTimeoutSeconds` | TERMINATING(connectionTimeout), or (reconnectionTimeout) if a client had connected before |
//! | `Reconnection` | PENDING_CLIENT_RECONNECTION, RECONNECTING | on entry into PENDING_CLIENT_RECONNECTION, for `ConnectionTimeoutSeconds`; RECONNECTING keeps the deadline it came with | TERMINATING(reconnectionTimeout) |
//! | `Idle` | CONNECTED | on entry and on every `UserInput`, for `idle_timeout` (3600 s) | TERMINATING(idleTimeout) |
//! | `MaxSessionLength` | ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION, RECONNECTING | at the application start, for `SessionLengthSeconds` | TERMINATING(maxSessionLengthTimeout) |
//! | `Termination` | TERMINATING | on entry, for `termination_delay` (0 s) | TERMINATED (reason kept) |
//!
//! A deadline fires when `now >= deadline`, and every timer due at `now` fires before an input
//! at `now` is applied: a client that connects exactly at its deadline is too late.
//!
//! # Errors
//!
//! [`SessionError::kind`] maps every error onto one of the eight AWS [`ErrorKind`]s, with its
//! exception name ([`ErrorKind::code`]) and HTTP status ([`ErrorKind::http_status`]).
//!
//! # Serde
//!
//! Every type serializes, the [`Session`] included: a session mid-life serializes and restores
//! exactly (deadlines are absolute times), and deserializing checks its invariants.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod api;
mod arn;
mod config;
mod diagram;
mod engine;
mod error;
mod fnv;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
pub mod model;
pub mod script;
mod session;
mod status;
mod time;
mod transition;
mod validate;
mod wire_enum;

pub use arn::{
    AccountId, ArnError, ArnResource, IdGenerator, Identifier, InvalidAccountId, ResourceArn,
    ResourceId, ResourceType, application_arn, stream_group_arn, stream_session_arn,
    stream_url_arn,
};
pub use config::{
    ConnectionTimeout, MAX_DURATION_SECONDS, SessionConfig, SessionLength, SessionLengthOrigin,
};
pub use diagram::svg_state_diagram;
pub use engine::{
    ApiError, Change, DefaultResponder, Delays, Engine, EngineConfig, EngineEvent, FaultRule,
    FaultTrigger, InfrastructureFault, MAX_SHADER_CACHES, MAX_TAGS_PER_RESOURCE,
    NO_CLIENT_CONNECTION, OLDEST_SNAPSHOT_VERSION, Observation, PlacementTimeouts, Quotas, Request,
    Response, RestoreError, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, STREAM_URL_SESSION_LENGTH_SECONDS,
    SessionView, ShaderCacheSeed, SignalContext, SignalPolicy, SignalResponder, Snapshot,
    StartPolicy, Throttling, is_json_offer,
};
pub use error::{
    Constraint, ErrorKind, MAX_SHOWN_BYTES, SessionError, ShownValue, UnknownValue,
    ValidationError, Violation,
};
pub use session::{Event, Session};
pub use status::{SessionStatus, StatusReason, StatusSet};
pub use time::{Timestamp, deadline_after, is_due, serde_time_delta, truncate};
pub use transition::{
    Effect, Input, InputKind, Outcome, ReasonRule, Timer, mermaid_state_diagram, transition,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
