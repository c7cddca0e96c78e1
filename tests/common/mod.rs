//! Shared helpers for the core's integration tests: a virtual clock and sessions driven into
//! each status through the public API only.
#![allow(dead_code)]

pub mod engine;
pub mod history;

use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_lifecycle::{
    Event, Input, Session, SessionConfig, SessionStatus, StatusReason,
};

/// The virtual clock: `t(n)` is `n` seconds after a fixed origin.
pub fn t(secs: i64) -> DateTime<Utc> {
    // 2023-11-14T22:13:20Z is representable, so this cannot fail.
    DateTime::from_timestamp(1_700_000_000, 0).unwrap() + TimeDelta::seconds(secs)
}

pub const OFFER: &str = "v=0 offer-at-start";

/// The configuration the status-building helpers use: a 30 s termination delay so that
/// TERMINATING can be observed, the other values the defaults.
pub fn config() -> SessionConfig {
    SessionConfig {
        termination_delay: TimeDelta::seconds(30),
        ..SessionConfig::default()
    }
}

/// A valid instance of every input kind.
pub fn valid_input(kind: gameliftstreams_lifecycle::InputKind) -> Input {
    use gameliftstreams_lifecycle::InputKind as K;
    match kind {
        K::Placed => Input::Placed {
            location: "us-east-1".into(),
        },
        K::ActivationFailed => Input::ActivationFailed(StatusReason::InternalError),
        K::ClientConnected => Input::ClientConnected,
        K::ClientDisconnected => Input::ClientDisconnected,
        K::UserInput => Input::UserInput,
        K::Reconnect => Input::Reconnect {
            signal_request: "v=0 a-fresh-offer".into(),
        },
        K::ReconnectSucceeded => Input::ReconnectSucceeded,
        K::ReconnectFailed => Input::ReconnectFailed(StatusReason::InvalidSignalRequest),
        K::ApplicationExited => Input::ApplicationExited,
        K::Terminate => Input::Terminate,
        K::Failed => Input::Failed(StatusReason::InternalError),
        K::TerminationCompleted => Input::TerminationCompleted,
    }
}

/// A session brought into `status` at `t(0)`…`t(4)` through the public API, events drained.
pub fn session_in(status: SessionStatus) -> Session {
    session_in_with(config(), status)
}

pub fn session_in_with(config: SessionConfig, status: SessionStatus) -> Session {
    use SessionStatus as S;
    let mut s = Session::start(config, OFFER, t(0)).expect("valid start");
    let steps: &[Input] = match status {
        S::Activating => &[],
        S::Active => &[placed()],
        S::Connected => &[placed(), Input::ClientConnected],
        S::PendingClientReconnection => {
            &[placed(), Input::ClientConnected, Input::ClientDisconnected]
        }
        S::Reconnecting => &[
            placed(),
            Input::ClientConnected,
            Input::ClientDisconnected,
            Input::Reconnect {
                signal_request: "v=0 offer-for-reconnection".into(),
            },
        ],
        S::Terminating => &[placed(), Input::Terminate],
        S::Terminated => &[placed(), Input::Terminate, Input::TerminationCompleted],
        S::Error => &[Input::Failed(StatusReason::InternalError)],
    };
    for (i, input) in steps.iter().enumerate() {
        s.handle_input(t(i as i64 + 1), input.clone())
            .unwrap_or_else(|e| panic!("building {status}: {input:?}: {e}"));
    }
    assert_eq!(s.status(), status);
    drain(&mut s);
    s
}

fn placed() -> Input {
    Input::Placed {
        location: "us-east-1".into(),
    }
}

/// Every pending event.
pub fn drain(s: &mut Session) -> Vec<Event> {
    std::iter::from_fn(|| s.poll_event()).collect()
}

/// The statuses entered, from the pending events.
pub fn drain_statuses(s: &mut Session) -> Vec<SessionStatus> {
    drain(s)
        .into_iter()
        .map(|Event::StatusChanged { to, .. }| to)
        .collect()
}

/// `s` after checking its invariants.
pub fn checked(s: &Session) -> &Session {
    if let Err(e) = s.check_invariants() {
        panic!("invariant broken: {e}");
    }
    s
}
