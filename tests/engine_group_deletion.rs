//! Deleting a stream group: DELETING then gone, its running sessions ended with apiTerminated,
//! waiting ones ERROR(internalError), associations removed, idempotent.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    Engine, EngineConfig, ErrorKind, Observation, SessionStatus as S, StatusReason as R,
};

fn delete(f: &mut Fixture) -> Result<(), gameliftstreams_lifecycle::ApiError> {
    f.engine.delete_stream_group(
        ME,
        f.now,
        &DeleteStreamGroupInput {
            identifier: f.group.clone(),
        },
    )
}

#[test]
fn deleting_a_group_ends_its_sessions() {
    let mut config = EngineConfig::default();
    config.delays.stream_group_deletion = TimeDelta::seconds(30);
    let mut f = Fixture::with(config, Some(vec![location("us-west-2", 2, 2)]));
    let connected = f.start();
    let active = f.start();
    let waiting = f.start();
    f.at(1);
    f.observe(&connected, Observation::ClientConnected).unwrap();
    delete(&mut f).unwrap();
    assert_eq!(f.group_status(), StreamGroupStatus::Deleting);
    for s in [&connected, &active] {
        let out = f.get(s);
        assert_eq!(
            (out.status, out.status_reason),
            (Some(S::Terminated), Some(R::ApiTerminated)),
            "{s}"
        );
    }
    let out = f.get(&waiting);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Error), Some(R::InternalError))
    );
    // Deleting again is a no-op; starting a session is refused.
    delete(&mut f).unwrap();
    let input = f.start_input();
    assert_error(f.start_with(input), ErrorKind::Conflict, "DELETING");
    f.at(31);
    let r = f.engine.get_stream_group(
        ME,
        f.now,
        &GetStreamGroupInput {
            identifier: f.group.clone(),
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "Stream group");
    // The ended sessions stay visible for their retention time, by the group's ID or ARN,
    // with the group's ID in their ARN and output, across a snapshot too.
    assert_eq!(f.status(&connected), S::Terminated);
    let before = f.get(&connected);
    assert_eq!(before.arn.as_deref(), Some(connected.as_str()));
    let group_id = f.group.rsplit('/').next().unwrap().to_owned();
    assert_eq!(before.stream_group_id.as_deref(), Some(group_id.as_str()));
    assert!(connected.contains(&format!("/{group_id}/")));
    f.engine = Engine::restore(f.engine.snapshot()).unwrap();
    assert_eq!(f.get(&connected), before);
    // After the retention time they go, and the group's ID with them.
    f.at(31 + 24 * 3600);
    assert_error(
        f.try_get(&connected),
        ErrorKind::ResourceNotFound,
        "Stream session",
    );
    assert_eq!(
        f.engine.snapshot(),
        Engine::restore(f.engine.snapshot()).unwrap().snapshot()
    );
    // The application is free again.
    let app = f
        .engine
        .get_application(
            ME,
            f.now,
            &GetApplicationInput {
                identifier: f.app.clone(),
            },
        )
        .unwrap();
    assert_eq!(app.associated_stream_groups.unwrap(), Vec::<String>::new());
    f.engine
        .delete_application(
            ME,
            f.now,
            &DeleteApplicationInput {
                identifier: f.app.clone(),
            },
        )
        .unwrap();
}

#[test]
fn the_event_log_shows_the_group_going() {
    let mut f = Fixture::new();
    let s = f.start();
    f.at(1);
    f.engine.drain_events().for_each(drop);
    delete(&mut f).unwrap();
    f.at(2);
    let events: Vec<_> = f.engine.drain_events().collect();
    use gameliftstreams_lifecycle::Change;
    let summary: Vec<String> = events
        .iter()
        .map(|e| match &e.change {
            Change::StreamSession { to, .. } => format!("session {to}"),
            Change::StreamGroup { to, .. } => {
                format!("group {}", to.map_or("gone", |s| s.as_str()))
            }
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "session TERMINATING",
            "group DELETING",
            "session TERMINATED",
            "group gone"
        ]
    );
    assert_eq!(events[0].arn, s);
}

#[test]
fn deleting_a_group_of_another_account_is_refused() {
    let mut f = Fixture::new();
    let r = f.engine.delete_stream_group(
        other_account(),
        f.now,
        &DeleteStreamGroupInput {
            identifier: f.group.clone(),
        },
    );
    assert_error(r, ErrorKind::AccessDenied, "is not authorized");
    assert_eq!(f.group_status(), StreamGroupStatus::Active);
}
