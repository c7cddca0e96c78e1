//! A snapshot's counters are checked on restore, and every counter a request adds to is checked
//! arithmetic: a snapshot cannot make the engine allocate without bound, wrap a counter over
//! another resource, or panic; a counter at its end refuses the request and changes nothing.

mod common;

use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{Engine, ErrorKind, InfrastructureFault, Snapshot};
use serde_json::Value;

const MAX_SEQ: u64 = 1 << 60;

/// The fixture's engine with one CONNECTED session, as JSON to tamper with.
fn snapshot_json() -> (Fixture, String, Value) {
    let mut f = Fixture::new();
    let session = f.start();
    f.at(1);
    f.observe(
        &session,
        gameliftstreams_lifecycle::Observation::ClientConnected,
    )
    .unwrap();
    let json = serde_json::to_value(f.engine.snapshot()).unwrap();
    (f, session, json)
}

/// The fixture's engine without a session.
fn sessionless_json() -> (Fixture, Value) {
    let f = Fixture::new();
    let json = serde_json::to_value(f.engine.snapshot()).unwrap();
    (f, json)
}

fn restore(json: Value) -> Result<Engine, String> {
    let snapshot: Snapshot = serde_json::from_value(json).map_err(|e| e.to_string())?;
    Engine::restore(snapshot).map_err(|e| e.to_string())
}

#[test]
fn counters_beyond_what_an_engine_numbers_are_refused() {
    let (_, _, json) = snapshot_json();
    for (member, value) in [
        ("next_seq", u64::MAX),
        ("next_seq", MAX_SEQ + 1),
        ("next_fault", u64::MAX),
    ] {
        let mut tampered = json.clone();
        tampered[member] = value.into();
        let err = restore(tampered).expect_err(member);
        assert!(err.contains(member), "{member} = {value}: {err}");
    }
}

#[test]
fn a_next_number_far_beyond_the_oldest_session_is_refused_not_allocated() {
    let (_, _, json) = snapshot_json();
    for value in [1u64 << 36, 1 << 40] {
        let mut tampered = json.clone();
        tampered["next_seq"] = value.into();
        let err = restore(tampered).expect_err("a span no engine could make");
        assert!(err.contains("would span"), "{err}");
    }
    // Without sessions, the same number is fine: nothing spans it.
    let (_, mut empty) = sessionless_json();
    empty["next_seq"] = (1u64 << 40).into();
    restore(empty).expect("no session spans the number");
}

#[test]
fn the_last_number_is_used_then_creation_is_refused_and_changes_nothing() {
    let (f, mut json) = sessionless_json();
    json["next_seq"] = (MAX_SEQ - 1).into();
    let mut engine = restore(json).unwrap();
    let now = f.now;
    engine
        .create_application(ME, now, &app_input())
        .expect("the last number");
    // Time passes first in every call (the new application settles): let it, then compare.
    engine.advance(now);
    let before = engine.snapshot();
    for result in [
        engine.create_application(ME, now, &app_input()).map(drop),
        engine
            .create_stream_group(ME, now, &group_input(Some(&f.app)))
            .map(drop),
        engine
            .start_stream_session(
                ME,
                now,
                &StartStreamSessionInput {
                    identifier: f.group.clone(),
                    protocol: Some(Protocol::WebRtc),
                    signal_request: Some("v=0 one more".into()),
                    application_identifier: Some(f.app.clone()),
                    ..Default::default()
                },
            )
            .map(drop),
        engine
            .create_stream_url(
                ME,
                now,
                &CreateStreamUrlInput {
                    identifier: f.group.clone(),
                    application_identifier: Some(f.app.clone()),
                    protocol: Some(Protocol::WebRtc),
                    url_expires_after_minutes: Some(5),
                    locations: Some(vec!["us-west-2".into()]),
                    ..Default::default()
                },
            )
            .map(drop),
    ] {
        let err = result.expect_err("no number left");
        assert_eq!(err.kind(), ErrorKind::ServiceQuotaExceeded, "{err}");
        assert_eq!(
            engine.snapshot(),
            before,
            "a refused creation changes nothing"
        );
    }
    engine.check_invariants().unwrap();
}

#[test]
fn the_last_fault_number_is_used_then_scheduling_is_refused() {
    let (f, session, mut json) = snapshot_json();
    json["next_fault"] = (MAX_SEQ - 1).into();
    let mut engine = restore(json).unwrap();
    let fault = InfrastructureFault::ApplicationCrash {
        stream_group: f.group.clone(),
        stream_session: session,
    };
    let at = f.now + chrono::TimeDelta::seconds(10);
    engine
        .schedule_fault(ME, at, &fault)
        .expect("the last number");
    let before = engine.snapshot();
    let err = engine.schedule_fault(ME, at, &fault).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServiceQuotaExceeded, "{err}");
    assert_eq!(engine.snapshot(), before);
}

#[test]
fn a_connection_count_at_its_end_refuses_the_reconnection_and_changes_nothing() {
    let (f, session, mut json) = snapshot_json();
    json["sessions"][0][1]["connections"] = u32::MAX.into();
    let mut engine = restore(json).unwrap();
    let group = f.group.clone();
    engine
        .apply(
            ME,
            f.now,
            &group,
            &session,
            gameliftstreams_lifecycle::Observation::ClientDisconnected,
        )
        .unwrap();
    let before = engine.snapshot();
    let err = engine
        .create_stream_session_connection(
            ME,
            f.now,
            &CreateStreamSessionConnectionInput {
                identifier: group,
                stream_session_identifier: session,
                signal_request: Some("v=0 again".into()),
                client_token: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServiceQuotaExceeded, "{err}");
    assert_eq!(engine.snapshot(), before);
}
