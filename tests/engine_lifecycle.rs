//! The whole life of a stream session through the engine, as a backend sees it: create an
//! application and a group, start a session, poll it to ACTIVE, simulate the client,
//! disconnect, reconnect, time out, terminate, list — on a virtual clock.

mod common;

use common::engine::*;
use common::t;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    Change, EngineConfig, ErrorKind, Observation, SessionStatus as S, StatusReason as R,
};

#[test]
fn a_backend_session_from_start_to_end() {
    let mut f = Fixture::new();
    let session = f.start();
    // StartStreamSession answered while ACTIVATING; the next request sees ACTIVE.
    let out = f.get(&session);
    assert_eq!(out.status, Some(S::Active));
    let answer = out
        .signal_response
        .expect("the answer is there once ACTIVE");
    assert!(answer.as_str().starts_with(r#"{"type":"answer""#));
    assert_eq!(out.location.as_deref(), Some("us-west-2"));
    assert_eq!(out.connection_timeout_seconds, Some(120));
    assert_eq!(out.session_length_seconds, Some(43200));
    assert_eq!(out.application_arn.as_deref(), Some(f.app.as_str()));

    f.at(10);
    let out = f.observe(&session, Observation::ClientConnected).unwrap();
    assert_eq!(out.status, Some(S::Connected));
    assert_eq!(out.streaming_started_at, Some(t(10)));

    f.at(100);
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();
    assert_eq!(f.status(&session), S::PendingClientReconnection);

    f.at(130);
    let reconnected = f.reconnect(&session, "v=0 a new offer").unwrap();
    assert!(reconnected.signal_response.is_some());
    // The call leaves it RECONNECTING; the next request sees ACTIVE.
    assert_eq!(f.status(&session), S::Active);
    f.at(131);
    f.observe(&session, Observation::ClientConnected).unwrap();
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();

    // Nobody comes back within ConnectionTimeoutSeconds (120 s).
    f.at(250);
    assert_eq!(f.status(&session), S::PendingClientReconnection);
    f.at(251);
    let out = f.get(&session);
    assert_eq!(out.status, Some(S::Terminated));
    assert_eq!(out.status_reason, Some(R::ReconnectionTimeout));
    assert_eq!(out.streaming_ended_at, Some(t(251)));

    // Terminating an ended session is a no-op.
    f.terminate(&session).unwrap();
    assert_eq!(f.status(&session), S::Terminated);
}

#[test]
fn terminate_and_list() {
    let mut f = Fixture::new();
    let a = f.start();
    let b = f.start();
    f.at(5);
    f.terminate(&a).unwrap();
    let out = f.get(&a);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Terminated), Some(R::ApiTerminated))
    );
    let listed = f
        .engine
        .list_stream_sessions(
            ME,
            f.now,
            &ListStreamSessionsInput {
                identifier: f.group.clone(),
                ..Default::default()
            },
        )
        .unwrap();
    let arns: Vec<_> = listed
        .items
        .unwrap()
        .into_iter()
        .map(|s| s.arn.unwrap())
        .collect();
    assert_eq!(arns, [a.clone(), b.clone()], "creation order");
    let active = f
        .engine
        .list_stream_sessions_by_account(
            ME,
            f.now,
            &ListStreamSessionsByAccountInput {
                status: Some(S::Active),
                ..Default::default()
            },
        )
        .unwrap();
    let arns: Vec<_> = active
        .items
        .unwrap()
        .into_iter()
        .map(|s| s.arn.unwrap())
        .collect();
    assert_eq!(arns, [b]);
}

#[test]
fn the_event_log_records_every_status_change() {
    let mut f = Fixture::new();
    let before: Vec<_> = f.engine.drain_events().collect();
    // Application INITIALIZED → PROCESSING → READY, group and its location ACTIVATING → ACTIVE.
    let kinds: Vec<String> = before
        .iter()
        .map(|e| match &e.change {
            Change::Application { to, .. } => format!("app {}", to.map_or("gone", |s| s.as_str())),
            Change::StreamGroup { to, .. } => {
                format!("group {}", to.map_or("gone", |s| s.as_str()))
            }
            Change::StreamGroupLocation { location, to, .. } => {
                format!("{location} {}", to.map_or("gone", |s| s.as_str()))
            }
            Change::StreamSession { to, .. } => format!("session {to}"),
            Change::StreamUrl { to, .. } => format!("stream URL {to}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "app INITIALIZED",
            "app PROCESSING",
            "app READY",
            "group ACTIVATING",
            "us-west-2 ACTIVATING",
            "us-west-2 ACTIVE",
            "group ACTIVE",
        ]
    );
    let session = f.start();
    f.at(1);
    f.terminate(&session).unwrap();
    // TERMINATING → TERMINATED (a 0 s termination delay) settles at the next advance.
    f.engine.advance(t(1));
    let events: Vec<_> = f.engine.drain_events().collect();
    let changes: Vec<_> = events
        .iter()
        .map(|e| match &e.change {
            Change::StreamSession { from, to, reason } => (*from, *to, *reason, e.at),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        changes,
        [
            (None, S::Activating, None, t(0)),
            (Some(S::Activating), S::Active, None, t(0)),
            (
                Some(S::Active),
                S::Terminating,
                Some(R::ApiTerminated),
                t(1)
            ),
            (
                Some(S::Terminating),
                S::Terminated,
                Some(R::ApiTerminated),
                t(1)
            ),
        ]
    );
    assert!(events.iter().all(|e| e.arn == session && e.account == ME));
}

#[test]
fn delays_make_every_intermediate_status_observable() {
    let mut config = EngineConfig::default();
    config.delays.application_processing = chrono::TimeDelta::seconds(10);
    config.delays.application_ready = chrono::TimeDelta::seconds(20);
    config.delays.stream_group_activation = chrono::TimeDelta::seconds(60);
    config.delays.placement = chrono::TimeDelta::seconds(5);
    config.delays.reconnection = chrono::TimeDelta::seconds(2);
    let mut engine = gameliftstreams_lifecycle::Engine::new(config);
    let app = engine.create_application(ME, t(0), &app_input()).unwrap();
    assert_eq!(app.status, Some(ApplicationStatus::Initialized));
    let get = |e: &mut gameliftstreams_lifecycle::Engine, at| {
        e.get_application(
            ME,
            t(at),
            &GetApplicationInput {
                identifier: app.arn.clone().unwrap(),
            },
        )
        .unwrap()
        .status
        .unwrap()
    };
    assert_eq!(get(&mut engine, 9), ApplicationStatus::Initialized);
    assert_eq!(get(&mut engine, 10), ApplicationStatus::Processing);
    assert_eq!(get(&mut engine, 29), ApplicationStatus::Processing);
    assert_eq!(get(&mut engine, 30), ApplicationStatus::Ready);
    let group = engine
        .create_stream_group(ME, t(30), &group_input(app.arn.as_deref()))
        .unwrap();
    let group_arn = group.arn.unwrap();
    let status = |e: &mut gameliftstreams_lifecycle::Engine, at| {
        e.get_stream_group(
            ME,
            t(at),
            &GetStreamGroupInput {
                identifier: group_arn.clone(),
            },
        )
        .unwrap()
        .status
        .unwrap()
    };
    assert_eq!(status(&mut engine, 89), StreamGroupStatus::Activating);
    assert_eq!(status(&mut engine, 90), StreamGroupStatus::Active);
    let session = engine
        .start_stream_session(
            ME,
            t(100),
            &StartStreamSessionInput {
                identifier: group_arn.clone(),
                protocol: Some(Protocol::WebRtc),
                signal_request: Some("offer".into()),
                application_identifier: app.arn.clone(),
                ..Default::default()
            },
        )
        .unwrap();
    let get_session = |e: &mut gameliftstreams_lifecycle::Engine, at| {
        e.get_stream_session(
            ME,
            t(at),
            &GetStreamSessionInput {
                identifier: group_arn.clone(),
                stream_session_identifier: session.arn.clone().unwrap(),
            },
        )
        .unwrap()
        .status
        .unwrap()
    };
    assert_eq!(get_session(&mut engine, 104), S::Activating);
    assert_eq!(get_session(&mut engine, 105), S::Active);
    engine
        .create_stream_session_connection(
            ME,
            t(110),
            &CreateStreamSessionConnectionInput {
                identifier: group_arn.clone(),
                stream_session_identifier: session.arn.clone().unwrap(),
                signal_request: Some("offer 2".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(get_session(&mut engine, 111), S::Reconnecting);
    assert_eq!(get_session(&mut engine, 112), S::Active);
    engine.check_invariants().unwrap();
}

#[test]
fn poll_timeout_and_advance_drive_time_without_requests() {
    let mut f = Fixture::new();
    let session = f.start();
    f.engine.advance(t(0));
    // The connection window is the next thing due.
    assert_eq!(f.engine.poll_timeout(), Some(t(120)));
    f.engine.advance(t(120));
    f.check();
    f.engine.drain_events().for_each(drop);
    assert_eq!(f.status(&session), S::Terminated);
    // Retention: visible for 24 h after it ended, then not found.
    assert_eq!(f.engine.poll_timeout(), Some(t(120 + 86_400)));
    f.at(120 + 86_399);
    assert!(f.try_get(&session).is_ok());
    f.at(120 + 86_400);
    assert_error(
        f.try_get(&session),
        ErrorKind::ResourceNotFound,
        "was not found",
    );
    assert_eq!(
        f.engine.poll_timeout(),
        Some(t(365 * 86_400)),
        "only the group's expiry is left"
    );
}

#[test]
fn observations_not_possible_now_are_conflicts_that_change_nothing() {
    let mut f = Fixture::new();
    let session = f.start();
    f.get(&session);
    assert_error(
        f.observe(&session, Observation::ClientDisconnected),
        ErrorKind::Conflict,
        "ACTIVE",
    );
    assert_error(
        f.observe(&session, Observation::Failed(R::IdleTimeout)),
        ErrorKind::Validation,
        "statusReason",
    );
    assert_eq!(f.status(&session), S::Active);
    f.observe(&session, Observation::ApplicationExited).unwrap();
    let out = f.get(&session);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Terminated), Some(R::ApplicationExit))
    );
}
