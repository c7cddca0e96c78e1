//! Wall-clock benchmarks (divan) of the [`Engine`]: every public operation on an engine holding
//! 1,000 live stream sessions, snapshot and restore, `advance` at 10,000 to 1,000,000 live
//! sessions with few or many deadlines due, and placement from a waiting queue.
//!
//! # How the cases are set up
//!
//! Every engine is built once, outside the measurement, and kept in a `static` ([`OnceLock`]).
//! The measured call then runs either
//! - again and again on one private copy ([`repeat`]), for calls that leave the engine as they
//!   found it or change nothing the next call depends on (gets, lists, updates, snapshot), or
//! - on a fresh copy of the engine every time ([`fresh`]: `with_inputs` makes the copy outside
//!   the timed part, `bench_local_refs` hands it to the call and drops it after the sample), for
//!   calls that consume state (creates, deletes, start, terminate, reconnect, advance with
//!   deadlines due). A fresh copy is cold: the copy evicted the caches, and the previous copy
//!   was just freed in bulk, which leaves glibc's allocator with work for its next requests.
//!   Measured as is, the first call on a copy costs several µs more (about 35 µs more at
//!   100,000 sessions) than the same call in a running engine. So each copy first gets a
//!   *warm-up call*, outside the timed part: the same operation on another target (another
//!   session, application, group or location), and the engine advanced to the same instant.
//!   The timed call is the second of its kind on that copy, as in a running service.
//!
//! Every case is run once before it is measured and checked to do what its name says (the call
//! succeeds, the expected number of sessions end, the next waiting session is placed).
//!
//! - **Operations** (`applications`, `stream_groups`, `stream_sessions`, `state`): an engine with
//!   five READY applications (the group's default, two more associated with the group, two
//!   spare), an ACTIVE stream group (primary location us-west-2 with room for 2,000,000
//!   sessions, plus us-east-1 and us-east-2), two empty ACTIVE groups, and 1,000 sessions
//!   started at t(0): all ACTIVE but two CONNECTED. Calls are made at t(110), before the
//!   connection windows end at t(120).
//! - **`advance`** at n = 10,000, 100,000 and 1,000,000 live sessions, started at staggered times
//!   spread evenly over 100 s (session i at t(0) + i·100 s/n, placed at once), so that their
//!   120 s connection windows end evenly over t(120)..t(220). Advancing from the end of window 0
//!   to the end of window k makes exactly k sessions due; each goes ACTIVE → TERMINATING →
//!   TERMINATED and frees its slot. Cases: nothing due (advance to t(110)); exactly 1 due; 1 %
//!   due (k = n/100); 10 % due (k = n/10). The warm-up is the `advance` that ends session 0.
//! - **`placement_queue`**: a group with a maximum capacity of 10 (the engine's default), its
//!   10 slots held by ACTIVE sessions, and q = 10, 1,000 or 100,000 sessions waiting in its
//!   queue. (The engine queues a session when no slot is free, in arrival order, until its
//!   placement timeout: 90 s for on-demand Linux capacity; it refuses none.) Measured: freeing
//!   a slot (`TerminateStreamSession` of an ACTIVE session, then `advance`, which ends it and
//!   places the first waiting session, ACTIVE at once with the default 0 s placement delay);
//!   and `StartStreamSession` joining the full queue.
//!
//! # Running
//!
//! `cargo bench --bench engine` runs everything (a few minutes: the 1,000,000-session engine
//! takes seconds to build and about a second to copy, so its cases take one iteration a sample
//! and stop after `max_time`). Filter with a name, e.g. `cargo bench --bench engine -- advance`
//! or `-- stream_sessions`. A quick run: `cargo bench --bench engine -- --sample-count 10`.
//! Do not pass `--sample-size`: it overrides the one-iteration samples of the big cases, and
//! divan prepares a sample's inputs (engine copies) all at once.

use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, Utc};
use divan::{Bencher, black_box};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    ApiError, Change, Engine, EngineConfig, InfrastructureFault, Observation, SessionStatus,
};

mod common;
use common::*;

fn main() {
    divan::main();
}

/// When the operations are called: after every session was started (t(0)..t(100)), before
/// the first connection window ends (t(120)).
fn now() -> DateTime<Utc> {
    t(110)
}

/// The connection window of a session (the default `ConnectionTimeoutSeconds`).
const CONNECTION_WINDOW: TimeDelta = TimeDelta::seconds(120);

/// Over how long the sessions of the `advance` engines are started.
const SPREAD: TimeDelta = TimeDelta::seconds(100);

/// One engine and the names of what it holds. The pairs are one resource for the warm-up call
/// (`[0]`) and one for the measured call (`[1]`).
struct World {
    engine: Engine,
    /// READY; the group's default application; every session runs it.
    app: String,
    /// READY; associated with the group besides `app` (for `DisassociateApplications`).
    extra_apps: [String; 2],
    /// READY; associated with nothing (for `DeleteApplication` and `AssociateApplications`).
    spare_apps: [String; 2],
    /// ACTIVE: us-west-2 (primary, 2,000,000 slots), us-east-1 and us-east-2 (10 slots each);
    /// every session runs in us-west-2.
    group: String,
    /// ACTIVE, no sessions.
    empty_groups: [String; 2],
    /// In start order; session i started at `started_at(n, i)`.
    sessions: Vec<String>,
}

fn location(name: &str, maximum: i32) -> LocationConfiguration {
    LocationConfiguration {
        location_name: Some(name.into()),
        maximum_capacity: Some(maximum),
        ..Default::default()
    }
}

/// When session `i` of `n` is started: evenly over `spread` from t(0).
fn started_at(n: usize, i: usize, spread: TimeDelta) -> DateTime<Utc> {
    let step = spread.num_nanoseconds().unwrap() / n as i64;
    t(0) + TimeDelta::nanoseconds(step * i as i64)
}

/// An engine with the applications and groups of [`World`] and `n` sessions started evenly
/// over `spread`, every one placed (ACTIVE) as soon as it is started; events drained.
fn world(n: usize, spread: TimeDelta) -> World {
    let mut e = Engine::new(roomy_config(2_000_000, 10_000_000));
    let create_app = |e: &mut Engine, name: &str| {
        e.create_application(ME, t(0), &application_input(name))
            .unwrap()
            .arn
            .unwrap()
    };
    let app = create_app(&mut e, "game");
    let extra_apps = ["extra-0", "extra-1"].map(|name| create_app(&mut e, name));
    let spare_apps = ["spare-0", "spare-1"].map(|name| create_app(&mut e, name));
    // The applications are READY at the next call (0 s delays), before the groups are created.
    let group = e
        .create_stream_group(ME, t(0), &group_input(Some(&app)))
        .unwrap()
        .arn
        .unwrap();
    let empty_groups = [(); 2].map(|()| {
        e.create_stream_group(ME, t(0), &group_input(None))
            .unwrap()
            .arn
            .unwrap()
    });
    e.advance(t(0));
    e.associate_applications(
        ME,
        t(0),
        &AssociateApplicationsInput {
            identifier: group.clone(),
            application_identifiers: Some(extra_apps.to_vec()),
        },
    )
    .unwrap();
    e.add_stream_group_locations(
        ME,
        t(0),
        &AddStreamGroupLocationsInput {
            identifier: group.clone(),
            location_configurations: Some(vec![
                location("us-east-1", 10),
                location("us-east-2", 10),
            ]),
        },
    )
    .unwrap();
    e.advance(t(0));
    let input = start_input(&group, &app);
    let mut sessions = Vec::with_capacity(n);
    for i in 0..n {
        // Each call first advances to its `now`, which places the session started before it
        // (its placement step is due at its own start time).
        let out = e
            .start_stream_session(ME, started_at(n, i, spread), &input)
            .unwrap();
        sessions.push(out.arn.unwrap());
        if i % 10_000 == 0 {
            e.drain_events().for_each(drop);
        }
    }
    e.advance(started_at(n, n.saturating_sub(1), spread));
    e.drain_events().for_each(drop);
    World {
        engine: e,
        app,
        extra_apps,
        spare_apps,
        group,
        empty_groups,
        sessions,
    }
}

/// The engine of the operation benchmarks: 1,000 sessions started at t(0), all ACTIVE but the
/// two [`CONNECTED`] ones; the engine's clock at [`now`].
fn ops_world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut w = world(1000, TimeDelta::zero());
        for i in CONNECTED {
            w.engine
                .apply(
                    ME,
                    now(),
                    &w.group,
                    &w.sessions[i],
                    Observation::ClientConnected,
                )
                .unwrap();
        }
        w.engine.advance(now());
        w.engine.drain_events().for_each(drop);
        w
    })
}

/// The CONNECTED sessions of [`ops_world`] (warm-up, measured).
const CONNECTED: [usize; 2] = [499, 500];
/// ACTIVE sessions of [`ops_world`] for the calls that change one (warm-up, measured).
const ACTIVE: [usize; 2] = [249, 250];

/// A copy of `e` for one measurement, made outside the timed part.
///
/// Just before, divan has dropped the previous copy: glibc's allocator then holds many freed
/// small chunks, which its first large request (a B-tree node of session records is a few KiB)
/// sorts out. One large allocation here does that outside the measurement.
fn copy(e: &Engine) -> Engine {
    let copy = e.clone();
    drop(black_box(Vec::<u8>::with_capacity(64 * 1024)));
    copy
}

/// Measures `op` again and again on one copy of the [`ops_world`] engine. For calls that leave
/// the engine as they found it, or change nothing the next call depends on.
fn repeat<T>(bencher: Bencher, mut op: impl FnMut(&mut Engine) -> Result<T, ApiError>) {
    let mut e = ops_world().engine.clone();
    op(&mut e).expect("the call succeeds");
    bencher.bench_local(|| op(black_box(&mut e)));
}

/// Measures `op` on a fresh copy of the [`ops_world`] engine each time (copied before the
/// sample, dropped after it), after the warm-up call `warm` on that copy and an `advance` to
/// [`now`] (which settles what the warm-up started), events drained. For calls that consume
/// state. The benchmarks using it take one iteration a sample (`sample_size = 1`): divan
/// prepares all the inputs of a sample before timing them, so with more, all copies but the
/// last would be cold again.
fn fresh<T, W>(
    bencher: Bencher,
    mut warm: impl FnMut(&mut Engine) -> Result<W, ApiError>,
    mut op: impl FnMut(&mut Engine) -> Result<T, ApiError>,
) {
    let base = &ops_world().engine;
    let mut prepare = || {
        let mut e = copy(base);
        warm(&mut e).expect("the warm-up call succeeds");
        e.advance(now());
        e.drain_events().for_each(drop);
        e
    };
    op(&mut prepare()).expect("the call succeeds");
    bencher
        .with_inputs(prepare)
        .bench_local_refs(|e| op(black_box(e)));
}

/// `CreateApplication`, `GetApplication`, `ListApplications`, `UpdateApplication`,
/// `DeleteApplication` on the engine with 1,000 sessions.
mod applications {
    use super::*;

    /// Warm-up: another `CreateApplication` of the same input.
    #[divan::bench(sample_size = 1)]
    fn create_application(bencher: Bencher) {
        let input = application_input("new");
        let op = |e: &mut Engine| e.create_application(ME, now(), &input);
        fresh(bencher, op, op);
    }

    #[divan::bench]
    fn get_application(bencher: Bencher) {
        let input = GetApplicationInput {
            identifier: ops_world().app.clone(),
        };
        repeat(bencher, |e| e.get_application(ME, now(), &input));
    }

    /// The first page (default `MaxResults`, 25): all five applications.
    #[divan::bench]
    fn list_applications(bencher: Bencher) {
        let input = ListApplicationsInput::default();
        repeat(bencher, |e| e.list_applications(ME, now(), &input));
    }

    /// A new description (the same one every time).
    #[divan::bench]
    fn update_application(bencher: Bencher) {
        let input = UpdateApplicationInput {
            identifier: ops_world().app.clone(),
            description: Some("updated".into()),
            ..Default::default()
        };
        repeat(bencher, |e| e.update_application(ME, now(), &input));
    }

    /// A spare application (associated with no group): the engine checks that none of the
    /// account's 1,000 sessions runs it. Warm-up: the other spare one.
    #[divan::bench(sample_size = 1)]
    fn delete_application(bencher: Bencher) {
        let [warm, measured] = ops_world()
            .spare_apps
            .clone()
            .map(|identifier| DeleteApplicationInput { identifier });
        fresh(
            bencher,
            |e| e.delete_application(ME, now(), &warm),
            |e| e.delete_application(ME, now(), &measured),
        );
    }
}

/// The stream group operations on the engine with 1,000 sessions.
mod stream_groups {
    use super::*;

    /// With a default application (replicated to the new group's location). Warm-up: another
    /// `CreateStreamGroup` of the same input.
    #[divan::bench(sample_size = 1)]
    fn create_stream_group(bencher: Bencher) {
        let input = group_input(Some(&ops_world().app));
        let op = |e: &mut Engine| e.create_stream_group(ME, now(), &input);
        fresh(bencher, op, op);
    }

    /// The group of the 1,000 sessions (three locations, three associated applications).
    #[divan::bench]
    fn get_stream_group(bencher: Bencher) {
        let input = GetStreamGroupInput {
            identifier: ops_world().group.clone(),
        };
        repeat(bencher, |e| e.get_stream_group(ME, now(), &input));
    }

    /// The first page: all three groups.
    #[divan::bench]
    fn list_stream_groups(bencher: Bencher) {
        let input = ListStreamGroupsInput::default();
        repeat(bencher, |e| e.list_stream_groups(ME, now(), &input));
    }

    /// A new description and the capacity of us-east-1 (the same values every time).
    #[divan::bench]
    fn update_stream_group(bencher: Bencher) {
        let input = UpdateStreamGroupInput {
            identifier: ops_world().group.clone(),
            description: Some("updated".into()),
            location_configurations: Some(vec![location("us-east-1", 10)]),
            ..Default::default()
        };
        repeat(bencher, |e| e.update_stream_group(ME, now(), &input));
    }

    /// The group with the 1,000 sessions: each one is ended (`TERMINATING(apiTerminated)`).
    /// Warm-up: deleting an empty group.
    #[divan::bench(sample_size = 1)]
    fn delete_stream_group_with_1000_sessions(bencher: Bencher) {
        let warm = DeleteStreamGroupInput {
            identifier: ops_world().empty_groups[0].clone(),
        };
        let input = DeleteStreamGroupInput {
            identifier: ops_world().group.clone(),
        };
        fresh(
            bencher,
            |e| e.delete_stream_group(ME, now(), &warm),
            |e| e.delete_stream_group(ME, now(), &input),
        );
    }

    /// A group without sessions. Warm-up: the other one.
    #[divan::bench(sample_size = 1)]
    fn delete_stream_group_empty(bencher: Bencher) {
        let [warm, measured] = ops_world()
            .empty_groups
            .clone()
            .map(|identifier| DeleteStreamGroupInput { identifier });
        fresh(
            bencher,
            |e| e.delete_stream_group(ME, now(), &warm),
            |e| e.delete_stream_group(ME, now(), &measured),
        );
    }

    /// A fourth location, eu-west-1 (the group's three applications start replicating to it).
    /// Warm-up: adding eu-central-1 (ACTIVE after the warm-up's `advance`).
    #[divan::bench(sample_size = 1)]
    fn add_stream_group_locations(bencher: Bencher) {
        let [warm, measured] =
            ["eu-central-1", "eu-west-1"].map(|name| AddStreamGroupLocationsInput {
                identifier: ops_world().group.clone(),
                location_configurations: Some(vec![location(name, 10)]),
            });
        fresh(
            bencher,
            |e| e.add_stream_group_locations(ME, now(), &warm),
            |e| e.add_stream_group_locations(ME, now(), &measured),
        );
    }

    /// us-east-1 (no session runs there; the engine looks through the group's 1,000).
    /// Warm-up: removing us-east-2 (gone after the warm-up's `advance`).
    #[divan::bench(sample_size = 1)]
    fn remove_stream_group_locations(bencher: Bencher) {
        let [warm, measured] =
            ["us-east-2", "us-east-1"].map(|name| RemoveStreamGroupLocationsInput {
                identifier: ops_world().group.clone(),
                locations: Some(vec![name.into()]),
            });
        fresh(
            bencher,
            |e| e.remove_stream_group_locations(ME, now(), &warm),
            |e| e.remove_stream_group_locations(ME, now(), &measured),
        );
    }

    /// A spare application, replicated to the group's three locations. Warm-up: the other one.
    #[divan::bench(sample_size = 1)]
    fn associate_applications(bencher: Bencher) {
        let [warm, measured] =
            ops_world()
                .spare_apps
                .clone()
                .map(|app| AssociateApplicationsInput {
                    identifier: ops_world().group.clone(),
                    application_identifiers: Some(vec![app]),
                });
        fresh(
            bencher,
            |e| e.associate_applications(ME, now(), &warm),
            |e| e.associate_applications(ME, now(), &measured),
        );
    }

    /// An associated application that is not the default. Warm-up: the other one.
    #[divan::bench(sample_size = 1)]
    fn disassociate_applications(bencher: Bencher) {
        let [warm, measured] =
            ops_world()
                .extra_apps
                .clone()
                .map(|app| DisassociateApplicationsInput {
                    identifier: ops_world().group.clone(),
                    application_identifiers: Some(vec![app]),
                });
        fresh(
            bencher,
            |e| e.disassociate_applications(ME, now(), &warm),
            |e| e.disassociate_applications(ME, now(), &measured),
        );
    }
}

/// The stream session operations and infrastructure observations on the engine with 1,000
/// sessions.
mod stream_sessions {
    use super::*;

    /// The group's and the session's identifiers of `sessions[i]`.
    fn session(i: usize) -> (String, String) {
        let w = ops_world();
        (w.group.clone(), w.sessions[i].clone())
    }

    /// A new session, ACTIVATING, its placement step scheduled (a free slot is found at once).
    /// Warm-up: another `StartStreamSession`.
    #[divan::bench(sample_size = 1)]
    fn start_stream_session(bencher: Bencher) {
        let input = start_input(&ops_world().group, &ops_world().app);
        let op = |e: &mut Engine| e.start_stream_session(ME, now(), &input);
        fresh(bencher, op, op);
    }

    #[divan::bench]
    fn get_stream_session(bencher: Bencher) {
        let (identifier, stream_session_identifier) = session(750);
        let input = GetStreamSessionInput {
            identifier,
            stream_session_identifier,
        };
        repeat(bencher, |e| e.get_stream_session(ME, now(), &input));
    }

    /// The first page (default `MaxResults`, 25) of the group's 1,000 sessions.
    #[divan::bench]
    fn list_stream_sessions(bencher: Bencher) {
        let input = ListStreamSessionsInput {
            identifier: ops_world().group.clone(),
            ..Default::default()
        };
        repeat(bencher, |e| e.list_stream_sessions(ME, now(), &input));
    }

    /// Filtered by status CONNECTED: two matches, found by looking through all 1,000.
    #[divan::bench]
    fn list_stream_sessions_filtered_2_of_1000(bencher: Bencher) {
        let input = ListStreamSessionsInput {
            identifier: ops_world().group.clone(),
            status: Some(SessionStatus::Connected),
            ..Default::default()
        };
        let mut e = ops_world().engine.clone();
        let found = e.list_stream_sessions(ME, now(), &input).unwrap();
        assert_eq!(found.items.unwrap().len(), 2);
        repeat(bencher, |e| e.list_stream_sessions(ME, now(), &input));
    }

    /// The first page (25) of the account's 1,000 sessions.
    #[divan::bench]
    fn list_stream_sessions_by_account(bencher: Bencher) {
        let input = ListStreamSessionsByAccountInput::default();
        repeat(bencher, |e| {
            e.list_stream_sessions_by_account(ME, now(), &input)
        });
    }

    /// An ACTIVE session: TERMINATING(apiTerminated) (TERMINATED, and its slot freed, at the
    /// next call's `advance`, not measured here). Warm-up: another ACTIVE session.
    #[divan::bench(sample_size = 1)]
    fn terminate_stream_session(bencher: Bencher) {
        let [warm, measured] = ACTIVE.map(|i| {
            let (identifier, stream_session_identifier) = session(i);
            TerminateStreamSessionInput {
                identifier,
                stream_session_identifier,
            }
        });
        fresh(
            bencher,
            |e| e.terminate_stream_session(ME, now(), &warm),
            |e| e.terminate_stream_session(ME, now(), &measured),
        );
    }

    /// An ACTIVE session with a new offer: RECONNECTING, its reconnection step scheduled.
    /// Warm-up: another ACTIVE session.
    #[divan::bench(sample_size = 1)]
    fn create_stream_session_connection(bencher: Bencher) {
        let [warm, measured] = ACTIVE.map(|i| {
            let (identifier, stream_session_identifier) = session(i);
            CreateStreamSessionConnectionInput {
                identifier,
                stream_session_identifier,
                signal_request: Some("v=0 offer 2".into()),
                ..Default::default()
            }
        });
        fresh(
            bencher,
            |e| e.create_stream_session_connection(ME, now(), &warm),
            |e| e.create_stream_session_connection(ME, now(), &measured),
        );
    }

    /// `apply(UserInput)` to a CONNECTED session: its idle timer restarts. Repeated on one
    /// engine, each call 1 ns after the one before, so that the deadline really moves (the
    /// clock moves well under a second over the whole run).
    #[divan::bench]
    fn apply_user_input(bencher: Bencher) {
        let (group, session) = session(CONNECTED[1]);
        let mut e = ops_world().engine.clone();
        e.apply(ME, now(), &group, &session, Observation::UserInput)
            .unwrap();
        let mut at = now();
        bencher
            .with_inputs(|| {
                at += TimeDelta::nanoseconds(1);
                at
            })
            .bench_local_values(|at| {
                e.apply(ME, black_box(at), &group, &session, Observation::UserInput)
            });
        assert!(e.now() < now() + TimeDelta::seconds(5));
    }

    /// `apply(ClientConnected)` to an ACTIVE session: CONNECTED. Warm-up: another ACTIVE
    /// session.
    #[divan::bench(sample_size = 1)]
    fn apply_client_connected(bencher: Bencher) {
        let [(g0, s0), (g1, s1)] = ACTIVE.map(session);
        fresh(
            bencher,
            |e| e.apply(ME, now(), &g0, &s0, Observation::ClientConnected),
            |e| e.apply(ME, now(), &g1, &s1, Observation::ClientConnected),
        );
    }

    /// `apply(ClientDisconnected)` to a CONNECTED session: PENDING_CLIENT_RECONNECTION.
    /// Warm-up: the other CONNECTED session.
    #[divan::bench(sample_size = 1)]
    fn apply_client_disconnected(bencher: Bencher) {
        let [(g0, s0), (g1, s1)] = CONNECTED.map(session);
        fresh(
            bencher,
            |e| e.apply(ME, now(), &g0, &s0, Observation::ClientDisconnected),
            |e| e.apply(ME, now(), &g1, &s1, Observation::ClientDisconnected),
        );
    }

    /// `schedule_fault`: an application crash under an ACTIVE session, 5 s later. Warm-up:
    /// the same under another ACTIVE session.
    #[divan::bench(sample_size = 1)]
    fn schedule_fault(bencher: Bencher) {
        let [warm, measured] = ACTIVE.map(|i| {
            let (stream_group, stream_session) = session(i);
            InfrastructureFault::ApplicationCrash {
                stream_group,
                stream_session,
            }
        });
        let at = now() + TimeDelta::seconds(5);
        fresh(
            bencher,
            |e| e.schedule_fault(ME, at, &warm),
            |e| e.schedule_fault(ME, at, &measured),
        );
    }
}

/// The whole engine with 1,000 sessions: snapshot, restore, and (for scale, since the other
/// cases copy it outside the measurement) a plain `Clone`.
mod state {
    use super::*;

    #[divan::bench]
    fn snapshot(bencher: Bencher) {
        let e = &ops_world().engine;
        bencher.bench_local(|| black_box(e).snapshot());
    }

    /// `Engine::restore` of the snapshot (copied outside the measurement): rebuilds the
    /// indexes and the agenda and checks every invariant.
    #[divan::bench]
    fn restore(bencher: Bencher) {
        let snapshot = ops_world().engine.snapshot();
        Engine::restore(snapshot.clone()).unwrap();
        bencher
            .with_inputs(|| snapshot.clone())
            .bench_local_values(|s| Engine::restore(black_box(s)));
    }

    #[divan::bench]
    fn clone(bencher: Bencher) {
        let e = &ops_world().engine;
        bencher.bench_local(|| black_box(e).clone());
    }
}

/// `Engine::advance(now)` at 10,000, 100,000 and 1,000,000 live sessions.
///
/// The sessions are started evenly over [`SPREAD`] (100 s): their connection windows end at
/// `deadline(n, i)`, evenly over t(120)..t(220). Advancing to `deadline(n, k)` makes exactly
/// the sessions 0 to k due; each goes ACTIVE → TERMINATING → TERMINATED (two events) and frees
/// its slot, and stays (TERMINATED) for the 24 h retention. The cases with deadlines due work
/// on a fresh copy each time, one iteration a sample, warmed up by `advance(deadline(n, 0))`,
/// which ends session 0, so that the measured call ends sessions 1 to k: exactly k. They stop
/// after `max_time` (copying the 1,000,000-session engine takes about a second).
mod advance {
    use super::*;

    const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

    /// The `advance` engine with `n` sessions (built at the first use, kept for the run).
    fn engine(n: usize) -> &'static Engine {
        static ENGINES: [OnceLock<World>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = SIZES.iter().position(|&s| s == n).expect("a known size");
        &ENGINES[slot].get_or_init(|| world(n, SPREAD)).engine
    }

    /// When the connection window of session `i` of `n` ends.
    fn deadline(n: usize, i: usize) -> DateTime<Utc> {
        started_at(n, i, SPREAD) + CONNECTION_WINDOW
    }

    /// Measures `advance(deadline(n, k))` on a fresh copy warmed up by `advance(deadline(n, 0))`
    /// (which ends session 0), after checking that the measured call ends exactly k sessions
    /// (1 to k).
    fn due(bencher: Bencher, n: usize, k: usize) {
        let base = engine(n);
        let to = deadline(n, k);
        let prepare = || {
            let mut e = copy(base);
            e.advance(deadline(n, 0));
            assert_eq!(ended(&mut e), 1, "the warm-up ends session 0");
            e
        };
        let mut check = prepare();
        check.advance(to);
        assert_eq!(
            ended(&mut check),
            k,
            "advancing to the deadline of session {k}"
        );
        drop(check);
        bencher
            .with_inputs(prepare)
            .bench_local_refs(|e| e.advance(black_box(to)));
    }

    /// How many sessions ended (TERMINATED) since the events were last drained; drains them.
    fn ended(e: &mut Engine) -> usize {
        e.drain_events()
            .filter(|ev| {
                matches!(
                    ev.change,
                    Change::StreamSession {
                        to: SessionStatus::Terminated,
                        ..
                    }
                )
            })
            .count()
    }

    /// Nothing due: advance to t(110), before the first window ends (t(120)). Repeated on one
    /// copy (after the first call, the clock no longer moves either).
    #[divan::bench(args = SIZES)]
    fn nothing_due(bencher: Bencher, n: usize) {
        let mut e = engine(n).clone();
        assert!(e.poll_timeout().unwrap() > t(110));
        // The first call moves the clock (from the last start, near t(100)); the measured ones
        // find everything as it is.
        e.advance(t(110));
        bencher.bench_local(|| black_box(&mut e).advance(black_box(t(110))));
    }

    /// Exactly one session due (the first one started).
    #[divan::bench(args = SIZES, sample_count = 100, sample_size = 1, max_time = 10)]
    fn one_due(bencher: Bencher, n: usize) {
        due(bencher, n, 1);
    }

    /// 1 % of the sessions due.
    #[divan::bench(args = SIZES, sample_count = 100, sample_size = 1, max_time = 10)]
    fn one_percent_due(bencher: Bencher, n: usize) {
        due(bencher, n, n / 100);
    }

    /// 10 % of the sessions due.
    #[divan::bench(args = SIZES, sample_count = 100, sample_size = 1, max_time = 10)]
    fn ten_percent_due(bencher: Bencher, n: usize) {
        due(bencher, n, n / 10);
    }
}

/// Placement from the waiting queue of a full group.
///
/// A group with the engine's default maximum capacity, 10 sessions (stream class gen5n_ultra,
/// one session a slot), on-demand: 10 sessions started at t(0) hold the 10 slots (ACTIVE);
/// q + 1 more started at t(1) wait in the group's queue (ACTIVATING; their placement timeout,
/// 90 s, ends at t(91)). The calls are made at t(2), warm-up included.
mod placement_queue {
    use super::*;

    const QUEUES: [usize; 3] = [10, 1000, 100_000];

    struct Queue {
        engine: Engine,
        group: String,
        app: String,
        /// The 10 sessions holding the slots.
        holders: Vec<String>,
        /// The waiting sessions, in arrival order.
        waiting: Vec<String>,
    }

    /// When the measured calls are made.
    fn at() -> DateTime<Utc> {
        t(2)
    }

    /// The status of `session` of `group`, as `GetStreamSession` answers at [`at`].
    fn status(e: &mut Engine, group: &str, session: &str) -> SessionStatus {
        let input = GetStreamSessionInput {
            identifier: group.into(),
            stream_session_identifier: session.into(),
        };
        e.get_stream_session(ME, at(), &input)
            .unwrap()
            .status
            .unwrap()
    }

    /// The full group with `waiting` sessions in its queue.
    fn build(waiting: usize) -> Queue {
        let mut e = Engine::new(EngineConfig::default());
        let (app, group) = app_and_group(&mut e);
        let input = start_input(&group, &app);
        let start =
            |e: &mut Engine, at| e.start_stream_session(ME, at, &input).unwrap().arn.unwrap();
        let holders: Vec<String> = (0..10).map(|_| start(&mut e, t(0))).collect();
        e.advance(t(0));
        let waiting: Vec<String> = (0..waiting).map(|_| start(&mut e, t(1))).collect();
        e.advance(at());
        e.drain_events().for_each(drop);
        assert_eq!(status(&mut e, &group, &holders[9]), SessionStatus::Active);
        assert_eq!(
            status(&mut e, &group, &waiting[0]),
            SessionStatus::Activating
        );
        Queue {
            engine: e,
            group,
            app,
            holders,
            waiting,
        }
    }

    /// The group with q + 1 sessions waiting (the warm-up of `free_slot_places_next` places
    /// one), built at the first use and kept for the run.
    fn queue(q: usize) -> &'static Queue {
        static BUILT: [OnceLock<Queue>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = QUEUES.iter().position(|&s| s == q).expect("a known size");
        BUILT[slot].get_or_init(|| build(q + 1))
    }

    /// Frees one slot with q sessions waiting: `TerminateStreamSession` of a slot holder, then
    /// `advance` to the same instant, which ends it (TERMINATED, the 0 s termination delay) and
    /// places the first waiting session (ACTIVE, the 0 s placement delay). Fresh copy each
    /// time; warm-up: the same with another slot holder (which places the first of the q + 1).
    #[divan::bench(args = QUEUES, sample_count = 100, sample_size = 1, max_time = 10)]
    fn free_slot_places_next(bencher: Bencher, q: usize) {
        let w = queue(q);
        let [warm, measured] = [1, 0].map(|i| TerminateStreamSessionInput {
            identifier: w.group.clone(),
            stream_session_identifier: w.holders[i].clone(),
        });
        let free = |e: &mut Engine, input: &TerminateStreamSessionInput| {
            let result = e.terminate_stream_session(ME, at(), input);
            e.advance(at());
            result
        };
        let prepare = || {
            let mut e = copy(&w.engine);
            free(&mut e, &warm).unwrap();
            e.drain_events().for_each(drop);
            e
        };
        let mut check = prepare();
        free(&mut check, &measured).unwrap();
        let g = &w.group;
        assert_eq!(
            status(&mut check, g, &w.holders[0]),
            SessionStatus::Terminated
        );
        assert_eq!(status(&mut check, g, &w.waiting[0]), SessionStatus::Active);
        assert_eq!(status(&mut check, g, &w.waiting[1]), SessionStatus::Active);
        assert_eq!(
            status(&mut check, g, &w.waiting[2]),
            SessionStatus::Activating
        );
        drop(check);
        bencher
            .with_inputs(prepare)
            .bench_local_refs(|e| free(black_box(e), &measured));
    }

    /// `StartStreamSession` into the full group: the new session joins the end of the queue,
    /// behind q + 2 (the q + 1 built, and the warm-up's). Fresh copy each time; warm-up:
    /// another `StartStreamSession`.
    #[divan::bench(args = QUEUES, sample_count = 100, sample_size = 1, max_time = 10)]
    fn start_joins_queue(bencher: Bencher, q: usize) {
        let w = queue(q);
        let input = start_input(&w.group, &w.app);
        let prepare = || {
            let mut e = copy(&w.engine);
            e.start_stream_session(ME, at(), &input).unwrap();
            e.advance(at());
            e.drain_events().for_each(drop);
            e
        };
        let mut check = prepare();
        let arn = check
            .start_stream_session(ME, at(), &input)
            .unwrap()
            .arn
            .unwrap();
        assert_eq!(
            status(&mut check, &w.group, &arn),
            SessionStatus::Activating
        );
        drop(check);
        bencher
            .with_inputs(prepare)
            .bench_local_refs(|e| e.start_stream_session(ME, at(), black_box(&input)));
    }
}

/// Calls per second on one core: the budget's "start/get/terminate" case, as a running service
/// sees it.
///
/// One copy of the [`ops_world`] engine (1,000 live sessions), its retention set to 0 s so that
/// it stays that size; each iteration is one session's life in three calls at [`now`]:
/// `StartStreamSession` (ACTIVATING, a slot found at once), `GetStreamSession` (ACTIVE, with
/// its answer), `TerminateStreamSession` (TERMINATING; TERMINATED, its slot freed and the
/// session forgotten by the next iteration's `advance`). The ARN is moved and cloned into the
/// requests as a client would. divan reports the time per iteration and, as items/s, the calls
/// per second (three per iteration).
mod throughput {
    use super::*;

    #[divan::bench(counters = [divan::counter::ItemsCount::new(3usize)], sample_size = 100)]
    fn start_get_terminate(bencher: Bencher) {
        let w = ops_world();
        let mut e = copy(&w.engine);
        without_retention(&mut e);
        let start = start_input(&w.group, &w.app);
        let life = |e: &mut Engine| session_life(e, now(), &w.group, &start);
        // The session is placed by the get, and the engine does not grow.
        let live = count_sessions(&mut e, now());
        assert_eq!(life(&mut e).unwrap(), Some(SessionStatus::Active));
        for _ in 0..1000 {
            life(&mut e).unwrap();
        }
        assert_eq!(count_sessions(&mut e, now()), live);
        bencher.bench_local(|| life(black_box(&mut e)));
    }
}
