//! Serde: wire names of statuses and reasons, and the whole session round-tripping mid-life and
//! then behaving identically; corrupt or inconsistent sessions are refused.

mod common;

use common::*;
use gameliftstreams_lifecycle::{
    Input, InputKind, Session, SessionConfig, SessionStatus, StatusReason, UnknownValue,
};

#[test]
fn statuses_use_the_model_wire_names_everywhere() {
    let names = [
        "ACTIVATING",
        "ACTIVE",
        "CONNECTED",
        "PENDING_CLIENT_RECONNECTION",
        "RECONNECTING",
        "TERMINATING",
        "TERMINATED",
        "ERROR",
    ];
    assert_eq!(SessionStatus::ALL.len(), names.len());
    for (status, name) in SessionStatus::ALL.iter().zip(names) {
        assert_eq!(status.as_str(), name);
        assert_eq!(status.to_string(), name);
        assert_eq!(name.parse::<SessionStatus>(), Ok(*status));
        assert_eq!(
            serde_json::to_string(status).unwrap(),
            format!("\"{name}\"")
        );
        assert_eq!(
            serde_json::from_str::<SessionStatus>(&format!("\"{name}\"")).unwrap(),
            *status
        );
    }
    let terminal: Vec<_> = SessionStatus::ALL
        .iter()
        .filter(|s| s.is_terminal())
        .collect();
    assert_eq!(
        terminal,
        [&SessionStatus::Terminated, &SessionStatus::Error]
    );
}

#[test]
fn reasons_use_the_model_wire_names_everywhere() {
    let names = [
        ("internalError", true),
        ("invalidSignalRequest", true),
        ("placementTimeout", true),
        ("applicationLogS3DestinationError", true),
        ("assumeRoleFailed", true),
        ("applicationExit", false),
        ("connectionTimeout", false),
        ("reconnectionTimeout", false),
        ("maxSessionLengthTimeout", false),
        ("idleTimeout", false),
        ("apiTerminated", false),
    ];
    assert_eq!(StatusReason::ALL.len(), names.len());
    for (reason, (name, is_error)) in StatusReason::ALL.iter().zip(names) {
        assert_eq!(reason.as_str(), name);
        assert_eq!(reason.to_string(), name);
        assert_eq!(name.parse::<StatusReason>(), Ok(*reason));
        assert_eq!(serde_json::to_value(reason).unwrap(), name);
        assert_eq!(reason.is_error_reason(), is_error, "{name}");
        assert_eq!(reason.is_termination_reason(), !is_error, "{name}");
    }
}

#[test]
fn unknown_wire_strings_are_typed_errors() {
    let err = "active".parse::<SessionStatus>().unwrap_err();
    assert_eq!(
        err,
        UnknownValue {
            shape: "StreamSessionStatus",
            value: "active".into(),
            expected: SessionStatus::WIRE_NAMES,
        }
    );
    assert!(err.to_string().contains("ACTIVE, CONNECTED"), "{err}");
    assert!(serde_json::from_str::<StatusReason>("\"timeout\"").is_err());
    assert!(serde_json::from_str::<StatusReason>("3").is_err());
}

/// Every input kind, in an order that moves a session through most of its life.
fn script() -> Vec<(i64, Input)> {
    vec![
        (20, Input::UserInput),
        (30, Input::ClientDisconnected),
        (
            40,
            Input::Reconnect {
                signal_request: "v=0 later".into(),
            },
        ),
        (41, Input::ReconnectSucceeded),
        (42, Input::ClientConnected),
        (
            43,
            Input::Reconnect {
                signal_request: OFFER.into(),
            },
        ), // refused: old offer
        (50, Input::Terminate),
        (55, Input::Terminate),
    ]
}

#[test]
fn a_session_mid_life_round_trips_exactly_and_behaves_identically() {
    for status in SessionStatus::ALL {
        let mut original = session_in(*status);
        // Leave an event pending so that the queue round-trips too.
        let _ = original.handle_input(t(10), valid_input(InputKind::ClientConnected));
        let json = serde_json::to_string_pretty(&original).unwrap();
        let mut restored: Session = serde_json::from_str(&json).unwrap();
        assert_eq!(restored, original, "{status}: {json}");
        assert_eq!(serde_json::to_string_pretty(&restored).unwrap(), json);

        for (at, input) in script() {
            let a = original.handle_input(t(at), input.clone());
            let b = restored.handle_input(t(at), input);
            assert_eq!(a, b, "{status}");
            assert_eq!(original.poll_timeout(), restored.poll_timeout());
        }
        original.handle_timeout(t(100_000));
        restored.handle_timeout(t(100_000));
        assert_eq!(drain(&mut original), drain(&mut restored), "{status}");
        assert_eq!(original, restored, "{status}");
    }
}

#[test]
fn the_snapshot_reads_like_the_api() {
    let s = session_in(SessionStatus::PendingClientReconnection);
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["status"], "PENDING_CLIENT_RECONNECTION");
    assert_eq!(v["reconnection"], "2023-11-14T22:15:23Z");
    assert_eq!(v["config"]["connection_timeout"], 120);
    assert_eq!(v["config"]["idle_timeout"], serde_json::json!(3600));
}

fn tampered(status: SessionStatus, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut v = serde_json::to_value(session_in(status)).unwrap();
    edit(&mut v);
    let result = serde_json::from_value::<Session>(v);
    result
        .expect_err("a corrupt session must be refused")
        .to_string()
}

#[test]
fn corrupt_or_inconsistent_sessions_are_refused() {
    // An unknown status.
    let e = tampered(SessionStatus::Active, |v| v["status"] = "SLEEPING".into());
    assert!(e.contains("SLEEPING") || e.contains("variant"), "{e}");
    // CONNECTED without StreamingStartedAt.
    let e = tampered(SessionStatus::Connected, |v| {
        v["streaming_started_at"] = serde_json::Value::Null
    });
    assert!(e.contains("CONNECTED without StreamingStartedAt"), "{e}");
    // An ERROR with a termination reason.
    let e = tampered(SessionStatus::Error, |v| {
        v["reason"] = "apiTerminated".into()
    });
    assert!(e.contains("ERROR with a termination reason"), "{e}");
    // A connection timeout out of bounds.
    let e = tampered(SessionStatus::Active, |v| {
        v["config"]["connection_timeout"] = 0.into()
    });
    assert!(e.contains("connectionTimeoutSeconds"), "{e}");
    // A truncated document.
    let json = serde_json::to_string(&session_in(SessionStatus::Active)).unwrap();
    assert!(serde_json::from_str::<Session>(&json[..json.len() / 2]).is_err());
    // Time running backwards inside the document.
    let e = tampered(SessionStatus::Active, |v| {
        v["now"] = "2000-01-01T00:00:00Z".into()
    });
    assert!(e.contains("timestamps out of order"), "{e}");
    // A bad digest.
    let e = tampered(SessionStatus::Active, |v| {
        v["offers"] = serde_json::json!(["xyz"])
    });
    assert!(e.contains("16 hex digits"), "{e}");
}

#[test]
fn config_round_trips() {
    let config = SessionConfig {
        idle_timeout: chrono::TimeDelta::milliseconds(-1500).abs(),
        ..SessionConfig::default()
    };
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(
        serde_json::from_str::<SessionConfig>(&json).unwrap(),
        config
    );
    let negative = chrono::TimeDelta::milliseconds(-1500);
    let config = SessionConfig {
        termination_delay: negative,
        ..SessionConfig::default()
    };
    let json = serde_json::to_string(&config).unwrap();
    assert_eq!(
        serde_json::from_str::<SessionConfig>(&json).unwrap(),
        config
    );
}

/// The sessions of [`text_is_the_derived_one`], in the order they are written there.
fn golden_sessions() -> Vec<Session> {
    let mut sessions: Vec<Session> = SessionStatus::ALL
        .iter()
        .map(|status| {
            let mut s = session_in(*status);
            let _ = s.handle_input(t(10), valid_input(InputKind::ClientConnected));
            s
        })
        .collect();
    // Pending events, a reason beside a deadline.
    let mut s = session_in(SessionStatus::Connected);
    let _ = s.handle_input(t(11), valid_input(InputKind::ClientDisconnected));
    let _ = s.handle_input(t(12), valid_input(InputKind::Terminate));
    sessions.push(s);
    sessions
}

/// A session's text is the one the derived serde wrote (`#[serde(flatten)]` over an internally
/// tagged phase) before the hand-written one replaced it: `tests/fixtures/sessions-v3.jsonl`
/// was written by that derive, for a session in every status and one with pending events, and
/// every line is read back as the session it was written from.
#[test]
fn text_is_the_derived_one() {
    let golden = include_str!("fixtures/sessions-v3.jsonl");
    let sessions = golden_sessions();
    assert_eq!(golden.lines().count(), sessions.len());
    for (line, session) in golden.lines().zip(&sessions) {
        assert_eq!(serde_json::to_string(session).unwrap(), line);
        assert_eq!(&serde_json::from_str::<Session>(line).unwrap(), session);
        // Through a `serde_json::Value` too, as a snapshot reads it.
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(&serde_json::from_value::<Session>(value).unwrap(), session);
    }
}

/// The members of a session may come in any order and unknown ones are ignored, as with a
/// derived `Deserialize`; a member given twice, or one its status needs missing, is an error
/// naming it.
#[test]
fn members_in_any_order_unknown_ignored_duplicates_and_missing_refused() {
    let golden = include_str!("fixtures/sessions-v3.jsonl");
    let sessions = golden_sessions();
    for (line, session) in golden.lines().zip(&sessions) {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
        // Reversed, with an unknown member.
        let mut reversed: Vec<(String, serde_json::Value)> = map.clone().into_iter().collect();
        reversed.reverse();
        let mut text = String::from("{\"future_member\":[1,{\"a\":null}]");
        for (k, v) in &reversed {
            text.push_str(&format!(",{}:{}", serde_json::json!(k), v));
        }
        text.push('}');
        assert_eq!(&serde_json::from_str::<Session>(&text).unwrap(), session);
        // Every required member missing in turn.
        for key in map.keys() {
            let optional = [
                "application_started_at",
                "streaming_started_at",
                "streaming_ended_at",
                "location",
            ];
            if optional.contains(&key.as_str()) {
                continue;
            }
            let mut without = map.clone();
            without.remove(key);
            let e = serde_json::from_value::<Session>(serde_json::Value::Object(without))
                .expect_err("a required member is missing")
                .to_string();
            assert!(e.contains(&format!("missing field `{key}`")), "{key}: {e}");
        }
        // A member twice.
        let twice = format!("{{\"now\":\"2023-11-14T22:13:30Z\",{}", &line[1..]);
        let e = serde_json::from_str::<Session>(&twice)
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate field `now`"), "{e}");
    }
    // Not a map.
    assert!(serde_json::from_str::<Session>("[1, 2]").is_err());
}
