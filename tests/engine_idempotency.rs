//! ClientToken idempotency: a replay returns the original resource and changes nothing; the
//! same token with another request is a Conflict; tokens expire.

mod common;

use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{EngineConfig, ErrorKind, Observation, SessionStatus as S};

const TOKEN: &str = "0123456789abcdef0123456789abcdef-replay";

fn count_sessions(f: &mut Fixture) -> usize {
    f.engine
        .list_stream_sessions_by_account(ME, f.now, &ListStreamSessionsByAccountInput::default())
        .unwrap()
        .items
        .unwrap()
        .len()
}

#[test]
fn a_replayed_start_returns_the_same_session_in_its_current_state() {
    let mut f = Fixture::new();
    let mut input = f.start_input();
    input.client_token = Some(TOKEN.into());
    let first = f.start_with(input.clone()).unwrap();
    assert_eq!(first.status, Some(S::Activating));
    f.engine.drain_events().for_each(drop);
    f.at(5);
    let replay = f.start_with(input.clone()).unwrap();
    assert_eq!(replay.arn, first.arn, "the same resource");
    assert_eq!(replay.status, Some(S::Active), "its current state");
    assert_eq!(count_sessions(&mut f), 1, "no second session");
    let events: Vec<_> = f.engine.drain_events().collect();
    assert!(
        events.iter().all(|e| e.arn == replay.arn.clone().unwrap()),
        "{events:?}"
    );
    assert!(!events.iter().any(|e| matches!(
        e.change,
        gameliftstreams_lifecycle::Change::StreamSession { from: None, .. }
    )));
}

#[test]
fn the_same_token_with_another_request_is_a_conflict() {
    let mut f = Fixture::new();
    let mut input = f.start_input();
    input.client_token = Some(TOKEN.into());
    f.start_with(input.clone()).unwrap();
    // Let the placement settle first: a refused call still lets time pass.
    f.engine.advance(f.now);
    let before = f.engine.snapshot();
    let mut other = input.clone();
    other.description = Some("different".into());
    assert_error(
        f.start_with(other),
        ErrorKind::Conflict,
        "was already used with a different StartStreamSession request",
    );
    assert_eq!(f.engine.snapshot(), before);
    // The token is per operation and per account.
    let app = f
        .engine
        .create_application(
            ME,
            f.now,
            &CreateApplicationInput {
                client_token: Some(TOKEN.into()),
                ..app_input()
            },
        )
        .unwrap();
    assert!(app.arn.is_some());
    let theirs = f
        .engine
        .create_application(
            other_account(),
            f.now,
            &CreateApplicationInput {
                client_token: Some(TOKEN.into()),
                ..app_input()
            },
        )
        .unwrap();
    assert_ne!(theirs.arn, app.arn);
}

#[test]
fn a_replayed_connection_returns_the_same_answer_and_transitions_once() {
    let mut f = Fixture::new();
    let session = f.start();
    f.at(1);
    f.observe(&session, Observation::ClientConnected).unwrap();
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();
    let input = CreateStreamSessionConnectionInput {
        identifier: f.group.clone(),
        stream_session_identifier: session.clone(),
        signal_request: Some("v=0 second offer".into()),
        client_token: Some(TOKEN.into()),
    };
    let first = f
        .engine
        .create_stream_session_connection(ME, f.now, &input)
        .unwrap();
    f.at(2);
    assert_eq!(f.status(&session), S::Active);
    f.engine.drain_events().for_each(drop);
    // Without the ledger this would be refused: the offer is no longer new, and a session in
    // ACTIVE would go back to RECONNECTING.
    let replay = f
        .engine
        .create_stream_session_connection(ME, f.now, &input)
        .unwrap();
    assert_eq!(replay.signal_response, first.signal_response);
    assert_eq!(f.status(&session), S::Active);
    assert_eq!(f.engine.drain_events().count(), 0, "no second transition");
}

#[test]
fn replayed_creations_of_groups_and_applications() {
    let mut f = Fixture::new();
    let input = CreateStreamGroupInput {
        client_token: Some(TOKEN.into()),
        ..group_input(Some(&f.app))
    };
    let first = f.engine.create_stream_group(ME, f.now, &input).unwrap();
    assert_eq!(first.status, Some(StreamGroupStatus::Activating));
    f.at(1);
    let replay = f.engine.create_stream_group(ME, f.now, &input).unwrap();
    assert_eq!(
        (replay.arn, replay.status),
        (first.arn, Some(StreamGroupStatus::Active))
    );
    let groups = f
        .engine
        .list_stream_groups(ME, f.now, &ListStreamGroupsInput::default())
        .unwrap();
    assert_eq!(
        groups.items.unwrap().len(),
        2,
        "the fixture's group and this one"
    );
}

#[test]
fn tokens_expire_after_their_lifetime() {
    let config = EngineConfig {
        client_token_lifetime: chrono::TimeDelta::minutes(10),
        ..EngineConfig::default()
    };
    let mut f = Fixture::with(config, None);
    let input = CreateApplicationInput {
        client_token: Some(TOKEN.into()),
        ..app_input()
    };
    let first = f.engine.create_application(ME, f.now, &input).unwrap();
    f.at(599);
    assert_eq!(
        f.engine.create_application(ME, f.now, &input).unwrap().arn,
        first.arn
    );
    f.at(600);
    let later = f.engine.create_application(ME, f.now, &input).unwrap();
    assert_ne!(later.arn, first.arn, "an expired token starts over");
    f.check();
}

#[test]
fn replays_keep_the_error_precedence() {
    let mut f = Fixture::new();
    let mut input = f.start_input();
    input.client_token = Some(TOKEN.into());
    let first = f.start_with(input.clone()).unwrap();
    // Validation comes first: a token of the wrong length.
    let mut bad = input.clone();
    bad.client_token = Some("short".into());
    assert_error(f.start_with(bad), ErrorKind::Validation, "clientToken");
    // AccessDenied comes before the replay.
    let r = f
        .engine
        .start_stream_session(other_account(), f.now, &input);
    assert_error(r, ErrorKind::AccessDenied, "is not authorized");
    // The replay comes before ResourceNotFound and Conflict: after the group is deleted, the
    // replay still answers the session.
    f.at(1);
    f.engine
        .delete_stream_group(
            ME,
            f.now,
            &DeleteStreamGroupInput {
                identifier: f.group.clone(),
            },
        )
        .unwrap();
    f.at(2);
    let replay = f.start_with(input).unwrap();
    assert_eq!(replay.arn, first.arn);
    assert_eq!(replay.status, Some(S::Terminated));
}

#[test]
fn the_ledger_survives_a_snapshot() {
    let mut f = Fixture::new();
    let mut input = f.start_input();
    input.client_token = Some(TOKEN.into());
    let first = f.start_with(input.clone()).unwrap();
    let json = serde_json::to_string(&f.engine.snapshot()).unwrap();
    f.engine =
        gameliftstreams_lifecycle::Engine::restore(serde_json::from_str(&json).unwrap()).unwrap();
    assert_eq!(f.start_with(input.clone()).unwrap().arn, first.arn);
    let mut other = input;
    other.user_id = Some("someone-else".into());
    assert_error(f.start_with(other), ErrorKind::Conflict, "ClientToken");
}
