//! Instruction counts (gungraun, on callgrind): deterministic on a shared machine, so these are
//! the figures the performance budget is checked against. Run with
//! `cargo bench --bench instructions` (needs valgrind and `gungraun-runner` of the same version
//! as the `gungraun` dev-dependency).

use std::hint::black_box;

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{Engine, Input, Session, SessionConfig, SessionStatus, Timestamp};
use gungraun::{library_benchmark, library_benchmark_group, main};

mod common;
use common::*;

/// A session CONNECTED since t(2), events drained.
fn connected() -> Session {
    let mut s = Session::start(SessionConfig::default(), "v=0 offer", t(0)).unwrap();
    s.handle_input(
        t(1),
        Input::Placed {
            location: "us-west-2".into(),
        },
    )
    .unwrap();
    s.handle_input(t(2), Input::ClientConnected).unwrap();
    while s.poll_event().is_some() {}
    s
}

/// A session ACTIVE since t(1), events drained.
fn active() -> Session {
    let mut s = Session::start(SessionConfig::default(), "v=0 offer", t(0)).unwrap();
    s.handle_input(
        t(1),
        Input::Placed {
            location: "us-west-2".into(),
        },
    )
    .unwrap();
    while s.poll_event().is_some() {}
    s
}

#[library_benchmark]
#[bench::user_input_while_connected(SessionStatus::Connected)]
fn floor_bare_match(status: SessionStatus) -> SessionStatus {
    black_box(bare_match(black_box(status), black_box(4)))
}

/// The floor again, given the same `Input` value the session gets (an enum of 32 bytes, made
/// opaque by `black_box` just as in the session benchmarks), so that the harness's own cost of
/// handing over an `Input` is on both sides.
#[inline(never)]
fn bare_match_on_input(status: SessionStatus, input: Input) -> SessionStatus {
    use SessionStatus as S;
    match (status, input) {
        (S::Activating, Input::Placed { .. }) => S::Active,
        (S::Active, Input::ClientConnected) => S::Connected,
        (S::Connected, Input::ClientDisconnected) => S::PendingClientReconnection,
        (S::Connected, Input::UserInput) => S::Connected,
        (S::PendingClientReconnection | S::Active, Input::Reconnect { .. }) => S::Reconnecting,
        (S::Reconnecting, Input::ReconnectSucceeded) => S::Active,
        (s, _) => s,
    }
}

#[library_benchmark]
#[bench::user_input_while_connected(SessionStatus::Connected)]
fn floor_bare_match_on_input(status: SessionStatus) -> SessionStatus {
    black_box(bare_match_on_input(
        black_box(status),
        black_box(Input::UserInput),
    ))
}

/// A session and the `now` to give it, both made outside the measurement. Boxed, so that moving
/// the session in and out of the benchmark function (a 170-byte copy each way) is not measured.
type SessionCase<T> = (Box<Session>, T);

fn connected_at_timestamp() -> SessionCase<Timestamp> {
    (Box::new(connected()), Timestamp::from(t(10)))
}

fn connected_at_datetime() -> SessionCase<DateTime<Utc>> {
    (Box::new(connected()), t(10))
}

fn active_at_timestamp() -> SessionCase<Timestamp> {
    (Box::new(active()), Timestamp::from(t(10)))
}

// `UserInput` in `CONNECTED`: the commonest input, which restarts the idle timer.
#[library_benchmark]
#[bench::user_input_while_connected(setup = connected_at_timestamp, teardown = leave)]
fn session_handle_input_user_input((mut s, now): SessionCase<Timestamp>) -> Box<Session> {
    black_box(s.handle_input(black_box(now), black_box(Input::UserInput))).unwrap();
    s
}

// The same with `now` as a `DateTime<Utc>`: the conversion to a [`Timestamp`] included.
#[library_benchmark]
#[bench::user_input_while_connected(setup = connected_at_datetime, teardown = leave)]
fn session_handle_input_user_input_datetime(
    (mut s, now): SessionCase<DateTime<Utc>>,
) -> Box<Session> {
    black_box(s.handle_input(black_box(now), black_box(Input::UserInput))).unwrap();
    s
}

// A status change (`ACTIVE` → `CONNECTED`), which also queues an event.
#[library_benchmark]
#[bench::client_connected_while_active(setup = active_at_timestamp, teardown = leave)]
fn session_handle_input_client_connected((mut s, now): SessionCase<Timestamp>) -> Box<Session> {
    black_box(s.handle_input(black_box(now), black_box(Input::ClientConnected))).unwrap();
    s
}

// `handle_timeout` with nothing due.
#[library_benchmark]
#[bench::nothing_due(setup = connected_at_timestamp, teardown = leave)]
fn session_handle_timeout((mut s, now): SessionCase<Timestamp>) -> Box<Session> {
    s.handle_timeout(black_box(now));
    s
}

library_benchmark_group!(
    name = session;
    benchmarks = floor_bare_match, floor_bare_match_on_input, session_handle_input_user_input, session_handle_input_user_input_datetime, session_handle_input_client_connected, session_handle_timeout
);

/// An engine with a READY application, an ACTIVE group and `n` ACTIVE sessions; returns it with
/// the group's ARN, the application's ARN and the sessions' ARNs.
fn engine_with(n: usize) -> (Engine, String, String, Vec<String>) {
    let mut e = Engine::new(roomy_config(2_000_000, 10_000_000));
    let (app, group) = app_and_group(&mut e);
    let input = start_input(&group, &app);
    let sessions = (0..n)
        .map(|_| {
            e.start_stream_session(ME, t(0), &input)
                .unwrap()
                .arn
                .unwrap()
        })
        .collect();
    e.advance(t(0));
    e.drain_events().for_each(drop);
    (e, group, app, sessions)
}

/// The engine and the request: everything the measured call needs, nothing to drop inside it.
type Case<I> = (Engine, I);

fn start_case() -> Case<StartStreamSessionInput> {
    let (e, group, app, _) = engine_with(1000);
    (e, start_input(&group, &app))
}

/// An engine with 1,000 sessions, its group's ARN and the ARN of the session in the middle.
fn middle_session() -> (Engine, String, String) {
    let (e, group, _, mut sessions) = engine_with(1000);
    (e, group, sessions.swap_remove(500))
}

fn get_case() -> Case<GetStreamSessionInput> {
    let (e, identifier, stream_session_identifier) = middle_session();
    (
        e,
        GetStreamSessionInput {
            identifier,
            stream_session_identifier,
        },
    )
}

fn terminate_case() -> Case<TerminateStreamSessionInput> {
    let (e, identifier, stream_session_identifier) = middle_session();
    (
        e,
        TerminateStreamSessionInput {
            identifier,
            stream_session_identifier,
        },
    )
}

fn advance_case(n: usize) -> Case<()> {
    (engine_with(n).0, ())
}

#[library_benchmark]
#[bench::with_1000_sessions(setup = start_case, teardown = leave)]
fn engine_start_stream_session(
    (mut e, input): Case<StartStreamSessionInput>,
) -> (Engine, StartStreamSessionInput, StartStreamSessionOutput) {
    let out = e.start_stream_session(ME, t(1), black_box(&input)).unwrap();
    (e, input, out)
}

#[library_benchmark]
#[bench::with_1000_sessions(setup = get_case, teardown = leave)]
fn engine_get_stream_session(
    (mut e, input): Case<GetStreamSessionInput>,
) -> (Engine, GetStreamSessionInput, GetStreamSessionOutput) {
    let out = e.get_stream_session(ME, t(1), black_box(&input)).unwrap();
    (e, input, out)
}

#[library_benchmark]
#[bench::with_1000_sessions(setup = terminate_case, teardown = leave)]
fn engine_terminate_stream_session(
    (mut e, input): Case<TerminateStreamSessionInput>,
) -> (Engine, TerminateStreamSessionInput) {
    e.terminate_stream_session(ME, t(1), black_box(&input))
        .unwrap();
    (e, input)
}

/// An engine with 1,000 sessions and no retention, after ten lives of [`life`]: steady state.
fn cycle_case() -> Case<(String, StartStreamSessionInput)> {
    let (mut e, group, app, _) = engine_with(1000);
    without_retention(&mut e);
    let input = start_input(&group, &app);
    for _ in 0..10 {
        life(&mut e, &group, &input);
    }
    (e, (group, input))
}

/// [`session_life`] at t(1): the get finds the session ACTIVE.
fn life(e: &mut Engine, group: &str, start: &StartStreamSessionInput) {
    let status = session_life(e, t(1), group, start).unwrap();
    assert_eq!(status, Some(SessionStatus::Active));
}

#[library_benchmark]
#[bench::with_1000_sessions(setup = cycle_case, teardown = leave)]
fn engine_start_get_terminate(
    (mut e, (group, input)): Case<(String, StartStreamSessionInput)>,
) -> (Engine, StartStreamSessionInput) {
    life(&mut e, black_box(&group), black_box(&input));
    (e, input)
}

#[library_benchmark]
#[bench::nothing_due_of_10(setup = advance_case, args = (10), teardown = leave)]
#[bench::nothing_due_of_1000(setup = advance_case, args = (1000), teardown = leave)]
fn engine_advance((mut e, ()): Case<()>) -> Engine {
    // The connection windows (120 s) of the sessions end at t(120); at t(60) nothing is due.
    e.advance(black_box(t(60)));
    e
}

library_benchmark_group!(
    name = engine;
    benchmarks = engine_start_stream_session, engine_get_stream_session, engine_terminate_stream_session, engine_start_get_terminate, engine_advance
);

main!(library_benchmark_groups = session, engine);

/// Drops the benchmark's result outside the measurement.
fn leave<T>(value: T) {
    drop(black_box(value));
}
