//! The control API under `/_mock/`: what it accepts, what it refuses, and that a refusal
//! changes nothing.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn health_and_reset() {
    let mock = TestServer::start().await;
    let health = mock.control("GET", "/_mock/health", None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json(), json!({ "Status": "ok" }));

    let client = mock.client();
    let first = ready_application(&client).await;
    let reset = mock.control("POST", "/_mock/reset", None).await;
    assert_eq!(reset.status, 204);
    assert!(reset.body.is_empty());
    assert!(
        client
            .list_applications()
            .send()
            .await
            .unwrap()
            .items()
            .is_empty()
    );
    // A fresh engine with the same seed: the same IDs again.
    assert_eq!(ready_application(&client).await, first);
}

#[tokio::test]
async fn the_clock_never_moves_back() {
    let mock = TestServer::start().await;
    for body in [
        json!({ "Now": T0 - 1 }),
        json!({ "AdvanceSeconds": -5 }),
        json!({ "AdvanceSeconds": 5, "Now": T0 + 10 }),
        json!({}),
    ] {
        let r = mock
            .control("POST", "/_mock/clock", Some(body.clone()))
            .await;
        let message = r.assert_error(400, "ValidationException");
        assert!(!message.is_empty(), "{body}");
    }
    let r = mock
        .control("POST", "/_mock/clock", Some(json!({ "Now": T0 - 1 })))
        .await;
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("cannot move back")
    );
    assert_eq!(
        mock.control("GET", "/_mock/clock", None).await.json()["Now"],
        T0
    );
    // Setting the time it already reads is fine.
    let same = mock
        .control("POST", "/_mock/clock", Some(json!({ "Now": T0 })))
        .await;
    assert_eq!(same.status, 200);
}

#[tokio::test]
async fn session_events_are_checked() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let path = format!(
        "/_mock/streamgroups/{}/streamsessions/{}/events",
        id_of(&group),
        id_of(&session)
    );
    let post = |body: serde_json::Value| mock.control("POST", &path, Some(body));

    let r = post(json!({ "Type": "CLIENT_TELEPORTED" })).await;
    let message = r.assert_error(400, "ValidationException");
    assert!(message.contains("CLIENT_CONNECTED"), "{message}");
    post(json!({ "Type": "FAILED" }))
        .await
        .assert_error(400, "ValidationException");
    post(json!({ "Type": "FAILED", "Reason": "sunspots" }))
        .await
        .assert_error(400, "ValidationException");
    post(json!({ "Type": "USER_INPUT", "Reason": "internalError" }))
        .await
        .assert_error(400, "ValidationException");
    post(json!({ "Kind": "USER_INPUT" }))
        .await
        .assert_error(400, "ValidationException");
    // Not allowed now: an ACTIVE session has no client to disconnect.
    let r = post(json!({ "Type": "CLIENT_DISCONNECTED" })).await;
    let message = r.assert_error(409, "ConflictException");
    assert!(message.contains("ACTIVE"), "{message}");
    // Unknown session.
    mock.control(
        "POST",
        &format!(
            "/_mock/streamgroups/{}/streamsessions/ABCDEFGHIJKLM/events",
            id_of(&group)
        ),
        Some(json!({ "Type": "CLIENT_CONNECTED" })),
    )
    .await
    .assert_error(404, "ResourceNotFoundException");

    // The accepted ones answer the session as GetStreamSession does.
    let r = post(json!({ "Type": "CLIENT_CONNECTED" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["Status"], "CONNECTED");
    assert_eq!(body["Arn"], session.as_str());
    assert_eq!(post(json!({ "Type": "USER_INPUT" })).await.status, 200);
    let r = post(json!({ "Type": "FAILED", "Reason": "internalError" })).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["Status"], "ERROR");
    assert_eq!(r.json()["StatusReason"], "internalError");
}

#[tokio::test]
async fn config_is_merged_and_checked() {
    let mock = TestServer::start().await;
    let before = mock.control("GET", "/_mock/config", None).await.json();
    assert_eq!(before["Region"], "us-west-2");
    assert_eq!(before["Seed"], 0);

    let set = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "IdleTimeout": 60, "Delays": { "Placement": 5 } })),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let after = set.json();
    assert_eq!(after["IdleTimeout"], 60);
    assert_eq!(after["Delays"]["Placement"], 5);
    assert_eq!(
        after["Delays"]["Reconnection"],
        before["Delays"]["Reconnection"]
    );
    assert_eq!(
        mock.control("GET", "/_mock/config", None).await.json(),
        after
    );

    // A null member goes back to its default.
    let reset = mock
        .control("PUT", "/_mock/config", Some(json!({ "IdleTimeout": null })))
        .await;
    assert_eq!(reset.json()["IdleTimeout"], before["IdleTimeout"]);

    for (patch, hint) in [
        (json!({ "IdleTimeout": -1 }), "IdleTimeout"),
        (json!({ "IdleTimeout": "soon" }), "Invalid configuration"),
        (json!({ "Region": "eu-west-1" }), "Region"),
        (json!({ "Seed": 7 }), "Seed"),
        (
            json!({ "Delays": { "Placment": 5 } }),
            "unknown field `Placment`",
        ),
        (json!([1, 2]), "JSON object"),
    ] {
        let r = mock
            .control("PUT", "/_mock/config", Some(patch.clone()))
            .await;
        let message = r.assert_error(400, "ValidationException");
        assert!(message.contains(hint), "{patch}: {message}");
    }
    let unchanged = mock.control("GET", "/_mock/config", None).await.json();
    assert_eq!(unchanged["Delays"]["Placement"], 5);
}

#[tokio::test]
async fn snapshots_restore_and_bad_ones_change_nothing() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, _group) = app_and_group(&client).await;
    let saved = mock.control("GET", "/_mock/snapshot", None).await;
    assert_eq!(saved.status, 200);
    let saved = saved.json();

    let later = ready_application(&client).await;
    let current = mock.control("GET", "/_mock/snapshot", None).await.json();
    for bad in [
        json!({ "format": "something else" }),
        json!({ "nonsense": true }),
        json!([]),
    ] {
        let r = mock.control("PUT", "/_mock/snapshot", Some(bad)).await;
        let message = r.assert_error(400, "ValidationException");
        assert!(message.contains("snapshot"), "{message}");
    }
    // A snapshot that parses but contradicts itself: the restore error comes through.
    let mut inconsistent = saved.clone();
    inconsistent["next_seq"] = json!(0);
    let r = mock
        .control("PUT", "/_mock/snapshot", Some(inconsistent))
        .await;
    let message = r.assert_error(400, "ValidationException");
    assert!(
        message.contains("inconsistent engine snapshot"),
        "{message}"
    );
    // Counters no engine reaches (issue 13: a next_seq of 2^40 once aborted the process at the
    // next StartStreamSession, and 2^64-1 wrapped onto another account's application).
    for next_seq in [u64::MAX, 1 << 61] {
        let mut tampered = saved.clone();
        tampered["next_seq"] = json!(next_seq);
        let r = mock.control("PUT", "/_mock/snapshot", Some(tampered)).await;
        let message = r.assert_error(400, "ValidationException");
        assert!(message.contains("next_seq"), "{message}");
    }
    assert_eq!(
        mock.control("GET", "/_mock/snapshot", None).await.json(),
        current,
        "a refused snapshot changes nothing"
    );

    // Snapshots may be larger than the 2 MiB other requests are limited to.
    let padded = format!("{saved}{}", " ".repeat(3 << 20));
    let restored = mock
        .raw("PUT", "/_mock/snapshot", &[], padded.as_bytes())
        .await;
    assert_eq!(restored.status, 204, "{}", restored.text());
    let apps: Vec<String> = client
        .list_applications()
        .send()
        .await
        .unwrap()
        .items()
        .iter()
        .map(|a| a.arn().to_owned())
        .collect();
    assert_eq!(apps, [app]);
    assert!(!apps.contains(&later));
}

#[tokio::test]
async fn the_event_log_drains() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let app = ready_application(&client).await;
    let events = mock.control("GET", "/_mock/events", None).await.json();
    let steps: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["Arn"] == app.as_str())
        .filter_map(|e| e["Change"]["To"].as_str())
        .collect();
    assert_eq!(steps, ["INITIALIZED", "PROCESSING", "READY"]);
    assert_eq!(
        mock.control("GET", "/_mock/events", None).await.json(),
        json!([])
    );
}

#[tokio::test]
async fn the_event_log_keeps_the_newest_events_up_to_its_limit() {
    let mock = TestServer::start_with(gameliftstreams_mock::ServerConfig {
        event_log_limit: 2,
        ..test_config()
    })
    .await;
    let client = mock.client();
    // The application's and the group's changes, then a session placed: more than two events,
    // none drained.
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let drained = mock.control("GET", "/_mock/events", None).await;
    let events = drained.json();
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    let dropped: u64 = drained
        .header("x-mock-events-dropped")
        .unwrap()
        .parse()
        .unwrap();
    assert!(dropped >= 3, "{dropped}");
    // The newest are kept: the last is the session's placement.
    let last = &events[1];
    assert_eq!(last["Arn"], session.as_str(), "{last}");
    assert_eq!(last["Change"]["To"], "ACTIVE", "{last}");
    let again = mock.control("GET", "/_mock/events", None).await;
    assert_eq!(again.header("x-mock-events-dropped"), Some("0"));
    assert_eq!(again.json(), json!([]));
}

/// Concurrent snapshot PUTs (now read one at a time, off the async workers) each restore whole
/// or change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_snapshot_puts_each_restore_whole_or_change_nothing() {
    let mock = TestServer::start().await;
    let client = mock.client();
    app_and_group(&client).await;
    let saved = mock.control("GET", "/_mock/snapshot", None).await.json();
    let mut broken = saved.clone();
    broken["next_seq"] = json!(0);
    let puts = (0..4).map(|i| {
        let body = if i % 2 == 0 {
            saved.clone()
        } else {
            broken.clone()
        };
        let mock = &mock;
        async move {
            mock.control("PUT", "/_mock/snapshot", Some(body))
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(puts).await;
    assert_eq!(statuses, [204, 400, 204, 400]);
    assert_eq!(
        mock.control("GET", "/_mock/snapshot", None).await.json()["applications"],
        saved["applications"]
    );
}
