//! The manual clock: nothing happens until the test moves it, and moving it drives the
//! engine's timers and delays.

use crate::common::*;
use aws_sdk_gameliftstreams::types::{
    Protocol, StreamGroupStatus, StreamSessionStatus, StreamSessionStatusReason,
};
use serde_json::json;

#[tokio::test]
async fn advancing_the_clock_drives_the_connection_timeout() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = client
        .start_stream_session()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(Protocol::Webrtc)
        .signal_request(offer(1))
        .connection_timeout_seconds(30)
        .send()
        .await
        .unwrap()
        .arn()
        .unwrap()
        .to_owned();
    let status = || async {
        let s = client
            .get_stream_session()
            .identifier(&group)
            .stream_session_identifier(&session)
            .send()
            .await
            .unwrap();
        (s.status().cloned(), s.status_reason().cloned())
    };
    assert_eq!(status().await, (Some(StreamSessionStatus::Active), None));
    mock.advance(29).await;
    assert_eq!(status().await, (Some(StreamSessionStatus::Active), None));
    mock.advance(1).await;
    assert_eq!(
        status().await,
        (
            Some(StreamSessionStatus::Terminated),
            Some(StreamSessionStatusReason::ConnectionTimeout)
        )
    );
}

#[tokio::test]
async fn configured_delays_show_every_intermediate_status() {
    let mock = TestServer::start().await;
    let set = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "Delays": { "StreamGroupActivation": 60 } })),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    // The other delays keep their values: the patch is merged.
    assert_eq!(set.json()["Delays"]["Placement"], 0);
    assert_eq!(set.json()["Delays"]["StreamGroupActivation"], 60);
    let client = mock.client();
    let (_app, group) = app_and_group(&client).await;
    let status = || async {
        client
            .get_stream_group()
            .identifier(&group)
            .send()
            .await
            .unwrap()
            .status()
            .cloned()
    };
    assert_eq!(status().await, Some(StreamGroupStatus::Activating));
    mock.advance(59).await;
    assert_eq!(status().await, Some(StreamGroupStatus::Activating));
    mock.advance(1).await;
    assert_eq!(status().await, Some(StreamGroupStatus::Active));
}

#[tokio::test]
async fn the_clock_reads_and_moves() {
    let mock = TestServer::start().await;
    let clock = mock.control("GET", "/_mock/clock", None).await;
    assert_eq!(clock.status, 200);
    assert_eq!(clock.json(), json!({ "Now": T0, "Mode": "manual" }));
    let moved = mock
        .control(
            "POST",
            "/_mock/clock",
            Some(json!({ "AdvanceSeconds": 1.5 })),
        )
        .await;
    assert_eq!(moved.json()["Now"], json!(T0 as f64 + 1.5));
    let set = mock
        .control("POST", "/_mock/clock", Some(json!({ "Now": T0 + 3600 })))
        .await;
    assert_eq!(set.json(), json!({ "Now": T0 + 3600, "Mode": "manual" }));
    // Resources are stamped with the clock's time.
    let client = mock.client();
    let app = client
        .get_application()
        .identifier(ready_application(&client).await)
        .send()
        .await
        .unwrap();
    assert_eq!(app.created_at().map(|t| t.secs()), Some(T0 + 3600));
}

#[tokio::test]
async fn a_real_clock_can_be_pushed_forward() {
    let mock = TestServer::start_with(gameliftstreams_mock::ServerConfig {
        clock: gameliftstreams_mock::ClockMode::Real,
        start_time: None,
        ..test_config()
    })
    .await;
    let before = mock.control("GET", "/_mock/clock", None).await.json();
    assert_eq!(before["Mode"], "real");
    let before = before["Now"].as_f64().unwrap();
    let after = mock
        .control(
            "POST",
            "/_mock/clock",
            Some(json!({ "AdvanceSeconds": 86400 })),
        )
        .await
        .json()["Now"]
        .as_f64()
        .unwrap();
    assert!(
        after - before >= 86400.0 && after - before < 86410.0,
        "{before} → {after}"
    );
}
