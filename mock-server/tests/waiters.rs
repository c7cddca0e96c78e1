//! The SDK's waiters finish against the mock: at once with the default 0 s delays, and after
//! polling through the intermediate statuses when the engine is configured with delays and
//! the clock is real.

use std::time::{Duration, Instant};

use crate::common::*;
use aws_sdk_gameliftstreams::client::Waiters;
use aws_sdk_gameliftstreams::types::{ApplicationStatus, StreamGroupStatus, StreamSessionStatus};
use gameliftstreams_mock::{ClockMode, ServerConfig};
use serde_json::json;

const MAX_WAIT: Duration = Duration::from_secs(30);

#[tokio::test]
async fn waiters_finish_at_once_with_the_default_delays() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let started = Instant::now();
    let app = ready_application(&client).await;
    let ready = client
        .wait_until_application_ready()
        .identifier(&app)
        .wait(MAX_WAIT)
        .await
        .expect("ApplicationReady");
    assert_eq!(
        ready.as_result().unwrap().status(),
        Some(&ApplicationStatus::Ready)
    );
    let group = stream_group(&client, &app).await;
    let active = client
        .wait_until_stream_group_active()
        .identifier(&group)
        .wait(MAX_WAIT)
        .await
        .expect("StreamGroupActive");
    assert_eq!(
        active.as_result().unwrap().status(),
        Some(&StreamGroupStatus::Active)
    );
    let session = start_session(&client, &group, &app, 1).await;
    let active = client
        .wait_until_stream_session_active()
        .identifier(&group)
        .stream_session_identifier(&session)
        .wait(MAX_WAIT)
        .await
        .expect("StreamSessionActive");
    assert_eq!(
        active.as_result().unwrap().status(),
        Some(&StreamSessionStatus::Active)
    );

    client
        .delete_stream_group()
        .identifier(&group)
        .send()
        .await
        .unwrap();
    client
        .wait_until_stream_group_deleted()
        .identifier(&group)
        .wait(MAX_WAIT)
        .await
        .expect("StreamGroupDeleted");
    client
        .delete_application()
        .identifier(&app)
        .send()
        .await
        .unwrap();
    client
        .wait_until_application_deleted()
        .identifier(&app)
        .wait(MAX_WAIT)
        .await
        .expect("ApplicationDeleted");
    // The first poll of each waiter succeeded: none slept its minimum delay of 2 s.
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_session_waiter_polls_through_activating_on_a_real_clock() {
    let mock = TestServer::start_with(ServerConfig {
        clock: ClockMode::Real,
        start_time: None,
        ..test_config()
    })
    .await;
    let set = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "Delays": { "Placement": 1 } })),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let first = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), Some(&StreamSessionStatus::Activating));
    let active = client
        .wait_until_stream_session_active()
        .identifier(&group)
        .stream_session_identifier(&session)
        .wait(MAX_WAIT)
        .await
        .expect("StreamSessionActive");
    assert_eq!(
        active.as_result().unwrap().status(),
        Some(&StreamSessionStatus::Active)
    );
}
