//! Wall-clock benchmarks (divan) of the core [`Session`] state machine, beside a bare `match` on
//! [`SessionStatus`] as the floor: the least any state machine can do for an input.
//!
//! What is measured:
//! - `floor_bare_match`: the `match` of `benches/common` (shared with `instructions.rs`), fed
//!   the same way as the session (its arguments built outside the timed part, passed by value);
//! - `handle_input`: every input kind accepted from a typical status (`Placed` from ACTIVATING,
//!   `ClientConnected` from ACTIVE, `UserInput` in CONNECTED, …), the no-op `Terminate` of an
//!   ended session, and refused inputs (a Conflict, a Validation error);
//! - `handle_timeout`: with nothing due, and with the connection timer firing (ACTIVE →
//!   TERMINATING → TERMINATED in one call);
//! - `check_input` (the dry run), with nothing due and with a timer due (it then works on a
//!   copy of the session);
//! - `poll_timeout`, `poll_event` and `Session::start`;
//! - a session's JSON, written (`to_json`) and read back with its checks (`from_json`).
//!
//! Every session is built outside the timed part (`Bencher::with_inputs`) and lent to the timed
//! closure (`bench_local_refs`), so that neither its construction, nor its drop, nor moving it
//! (a `Session` is a few hundred bytes) is measured; inputs that own a `String` (`Placed`,
//! `Reconnect`) are built outside too, and results are dropped after the sample. Before measuring, each case is run once
//! and checked to do what its name says (accepted, refused, timer fired, …).
//!
//! Run: `cargo bench --bench session` (all, a few seconds), or filter, e.g.
//! `cargo bench --bench session -- handle_input`. Every sample is 1,000 iterations (set in
//! `main`; `--sample-size` overrides it); a quicker run: `-- --sample-count 20`.

use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use divan::{Bencher, black_box};
use gameliftstreams_lifecycle::{
    Input, Session, SessionConfig, SessionError, SessionStatus, StatusReason,
};

mod common;
use common::{bare_match, t};

fn main() {
    // 1,000 iterations a sample, unless `--sample-size` says otherwise: every case here takes
    // nanoseconds, and divan's own tuning of the sample size stops at the first slow sample,
    // which a busy machine gives it often (a sample of one iteration is mostly timer overhead).
    divan::Divan::default()
        .sample_size(1000)
        .config_with_args()
        .main();
}

/// The instant at which the inputs are applied: after every status set-up below (t(0)–t(4)),
/// before every deadline (the earliest, the connection window opened at t(1), ends at t(121)).
fn now() -> DateTime<Utc> {
    t(10)
}

/// The floor, measured like `handle_input`: arguments built outside the timed part and lent
/// to the timed closure (here `UserInput` while CONNECTED, the same cell as
/// `handle_input/UserInput_in_CONNECTED`).
#[divan::bench]
fn floor_bare_match(bencher: Bencher) {
    bencher
        .with_inputs(|| (SessionStatus::Connected, 4u8))
        .bench_local_refs(|(status, input)| bare_match(black_box(*status), black_box(*input)));
}

/// A session in `status`, every event drained. The path to it: created at t(0), placed at
/// t(1) (ACTIVE), connected at t(2) (CONNECTED), disconnected at t(3)
/// (PENDING_CLIENT_RECONNECTION), reconnecting at t(4) (RECONNECTING); TERMINATING and
/// TERMINATED are reached from CONNECTED by `Terminate` at t(3), with a termination delay of
/// 60 s for TERMINATING (so that it lasts) and the default 0 s for TERMINATED.
fn session_in(status: SessionStatus) -> Session {
    use SessionStatus as S;
    let config = SessionConfig {
        termination_delay: if status == S::Terminating {
            TimeDelta::seconds(60)
        } else {
            TimeDelta::zero()
        },
        ..SessionConfig::default()
    };
    let mut s = Session::start(config, "v=0 offer", t(0)).unwrap();
    let mut step = |at: i64, input: Input| s.handle_input(t(at), input).unwrap();
    if status != S::Activating {
        step(
            1,
            Input::Placed {
                location: "us-west-2".into(),
            },
        );
    }
    if matches!(
        status,
        S::Connected | S::PendingClientReconnection | S::Reconnecting
    ) || status.is_ending()
    {
        step(2, Input::ClientConnected);
    }
    match status {
        S::PendingClientReconnection => step(3, Input::ClientDisconnected),
        S::Reconnecting => {
            step(3, Input::ClientDisconnected);
            step(
                4,
                Input::Reconnect {
                    signal_request: "v=0 offer 2".into(),
                },
            );
        }
        S::Terminating | S::Terminated => step(3, Input::Terminate),
        _ => {}
    }
    // TERMINATING → TERMINATED is the termination timer's, due at once with the 0 s delay.
    s.handle_timeout(t(3));
    while s.poll_event().is_some() {}
    assert_eq!(s.status(), status, "the set-up reaches the status it names");
    s
}

/// One `handle_input` case: an input applied to a session in a status, and whether it is
/// accepted.
#[derive(Clone, Copy)]
struct InputCase {
    name: &'static str,
    from: SessionStatus,
    input: fn() -> Input,
    accepted: bool,
}

impl fmt::Display for InputCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// Every input kind from a status that accepts it, then the refusals.
const INPUT_CASES: &[InputCase] = {
    use SessionStatus as S;
    const fn accept(name: &'static str, from: SessionStatus, input: fn() -> Input) -> InputCase {
        InputCase {
            name,
            from,
            input,
            accepted: true,
        }
    }
    const fn refuse(name: &'static str, from: SessionStatus, input: fn() -> Input) -> InputCase {
        InputCase {
            name,
            from,
            input,
            accepted: false,
        }
    }
    &[
        accept("Placed_from_ACTIVATING", S::Activating, || Input::Placed {
            location: "us-west-2".into(),
        }),
        accept("ActivationFailed_from_ACTIVATING", S::Activating, || {
            Input::ActivationFailed(StatusReason::InternalError)
        }),
        accept("ClientConnected_from_ACTIVE", S::Active, || {
            Input::ClientConnected
        }),
        accept("UserInput_in_CONNECTED", S::Connected, || Input::UserInput),
        accept("ClientDisconnected_from_CONNECTED", S::Connected, || {
            Input::ClientDisconnected
        }),
        accept(
            "Reconnect_from_PENDING_CLIENT_RECONNECTION",
            S::PendingClientReconnection,
            || Input::Reconnect {
                signal_request: "v=0 offer 3".into(),
            },
        ),
        accept("Reconnect_from_ACTIVE", S::Active, || Input::Reconnect {
            signal_request: "v=0 offer 3".into(),
        }),
        accept(
            "ReconnectSucceeded_from_RECONNECTING",
            S::Reconnecting,
            || Input::ReconnectSucceeded,
        ),
        accept("ReconnectFailed_from_RECONNECTING", S::Reconnecting, || {
            Input::ReconnectFailed(StatusReason::InternalError)
        }),
        accept("ApplicationExited_from_CONNECTED", S::Connected, || {
            Input::ApplicationExited
        }),
        accept("Terminate_from_CONNECTED", S::Connected, || {
            Input::Terminate
        }),
        accept("Failed_from_ACTIVE", S::Active, || {
            Input::Failed(StatusReason::InternalError)
        }),
        accept(
            "TerminationCompleted_from_TERMINATING",
            S::Terminating,
            || Input::TerminationCompleted,
        ),
        accept("Terminate_in_TERMINATED_noop", S::Terminated, || {
            Input::Terminate
        }),
        // Refused: the table says Conflict (ClientConnected is only for ACTIVE)…
        refuse(
            "rejected_Conflict_ClientConnected_in_CONNECTED",
            S::Connected,
            || Input::ClientConnected,
        ),
        // …a Validation error from the table (Terminate while ACTIVATING)…
        refuse(
            "rejected_Invalid_Terminate_in_ACTIVATING",
            S::Activating,
            || Input::Terminate,
        ),
        // …and a Validation error of the payload (the offer given to the start, reused).
        refuse(
            "rejected_Validation_reused_offer",
            S::PendingClientReconnection,
            || Input::Reconnect {
                signal_request: "v=0 offer".into(),
            },
        ),
    ]
};

/// `Session::handle_input` at t(10): one row per input kind and status (see [`INPUT_CASES`]).
#[divan::bench(args = INPUT_CASES)]
fn handle_input(bencher: Bencher, case: &InputCase) {
    let base = session_in(case.from);
    // Check once, outside the measurement, that the case does what its name says.
    let result = base.clone().handle_input(now(), (case.input)());
    assert_eq!(result.is_ok(), case.accepted, "{case}: {result:?}");
    if let Err(e) = &result {
        let conflict = matches!(e, SessionError::Conflict { .. });
        assert_eq!(conflict, case.name.contains("Conflict"), "{case}: {e:?}");
    }
    bencher
        .with_inputs(|| (base.clone(), Some((case.input)())))
        .bench_local_refs(|(s, input)| {
            let input = input.take().expect("one input per session");
            // Returned, so that an error is dropped after the sample, with the session.
            s.handle_input(black_box(now()), black_box(input))
        });
}

/// `Session::handle_timeout` on a CONNECTED session at t(10): nothing is due (the idle timer
/// ends at t(3602)).
#[divan::bench]
fn handle_timeout_nothing_due(bencher: Bencher) {
    let base = session_in(SessionStatus::Connected);
    bencher
        .with_inputs(|| base.clone())
        .bench_local_refs(|s| s.handle_timeout(black_box(now())));
}

/// `Session::handle_timeout` on an ACTIVE session at its connection deadline (t(121)): the
/// connection timer fires, ACTIVE → TERMINATING(connectionTimeout) → TERMINATED (the default
/// termination delay is 0 s): two status changes, two events queued.
#[divan::bench]
fn handle_timeout_timer_fires(bencher: Bencher) {
    let base = session_in(SessionStatus::Active);
    let deadline = base.poll_timeout().unwrap();
    let mut check = base.clone();
    check.handle_timeout(deadline);
    assert_eq!(check.status(), SessionStatus::Terminated);
    bencher
        .with_inputs(|| base.clone())
        .bench_local_refs(|s| s.handle_timeout(black_box(deadline)));
}

/// `Session::check_input` (the dry run) of `UserInput` on a CONNECTED session at t(10),
/// nothing due: it only reads the session, so one session serves every iteration.
#[divan::bench]
fn check_input_nothing_due(bencher: Bencher) {
    let s = session_in(SessionStatus::Connected);
    let input = Input::UserInput;
    assert!(s.check_input(now(), &input).is_ok());
    bencher.bench_local(|| black_box(&s).check_input(black_box(now()), black_box(&input)));
}

/// `Session::check_input` of `ClientConnected` on an ACTIVE session after its connection
/// deadline: a timer is due, so the dry run fires it on a copy of the session first (and
/// answers Conflict: the session would be TERMINATED).
#[divan::bench]
fn check_input_timer_due(bencher: Bencher) {
    let s = session_in(SessionStatus::Active);
    let late = s.poll_timeout().unwrap() + TimeDelta::seconds(1);
    let input = Input::ClientConnected;
    assert!(s.check_input(late, &input).is_err());
    bencher.bench_local(|| black_box(&s).check_input(black_box(late), black_box(&input)));
}

/// `Session::poll_timeout` of a CONNECTED session (two armed timers: idle and maximum length).
#[divan::bench]
fn poll_timeout(bencher: Bencher) {
    let s = session_in(SessionStatus::Connected);
    bencher.bench_local(|| black_box(&s).poll_timeout());
}

/// `Session::poll_event` with one event pending (the ACTIVE → CONNECTED change).
#[divan::bench]
fn poll_event(bencher: Bencher) {
    let mut base = session_in(SessionStatus::Active);
    base.handle_input(now(), Input::ClientConnected).unwrap();
    bencher
        .with_inputs(|| base.clone())
        .bench_local_refs(|s| s.poll_event());
}

/// `Session::start`: a new session in ACTIVATING (validation of the configuration and the
/// offer, the placement timer armed). The configuration is built outside the timed part.
#[divan::bench]
fn start(bencher: Bencher) {
    bencher
        .with_inputs(SessionConfig::default)
        .bench_local_values(|config| {
            Session::start(black_box(config), black_box("v=0 offer"), black_box(t(0)))
        });
}

/// The statuses a session's JSON is measured in: RECONNECTING (a deadline, two offers, every
/// instant but `StreamingEndedAt`) and TERMINATING (a reason beside its deadline).
const SERDE_STATUSES: [SessionStatus; 2] =
    [SessionStatus::Reconnecting, SessionStatus::Terminating];

/// `serde_json::to_string` of a session, as a snapshot writes each of its sessions.
#[divan::bench(args = SERDE_STATUSES)]
fn to_json(bencher: Bencher, status: SessionStatus) {
    let s = session_in(status);
    bencher.bench_local(|| serde_json::to_string(black_box(&s)).unwrap());
}

/// `serde_json::from_str` of a session's JSON, which checks every invariant, as a restore
/// reads each session.
#[divan::bench(args = SERDE_STATUSES)]
fn from_json(bencher: Bencher, status: SessionStatus) {
    let json = serde_json::to_string(&session_in(status)).unwrap();
    bencher.bench_local(|| serde_json::from_str::<Session>(black_box(&json)).unwrap());
}
