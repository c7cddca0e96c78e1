//! The state file: saved at shutdown, loaded at start, nothing lost in between; a corrupt one
//! stops the start with a clear error.

use std::path::{Path, PathBuf};

use crate::common::*;
use aws_sdk_gameliftstreams::types::{ApplicationStatus, StreamGroupStatus, StreamSessionStatus};
use gameliftstreams_mock::{MockServer, ServerConfig, StartError};

/// A fresh path in cargo's scratch directory for integration tests.
fn scratch(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("state-file-{name}-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn with_state_file(path: &Path) -> ServerConfig {
    ServerConfig {
        state_file: Some(path.to_owned()),
        ..test_config()
    }
}

#[tokio::test]
async fn a_restart_loses_nothing() {
    let path = scratch("restart");
    let mock = TestServer::start_with(with_state_file(&path)).await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let connected = start_session(&client, &group, &app, 1).await;
    let active = start_session(&client, &group, &app, 2).await;
    mock.event(id_of(&group), id_of(&connected), "CLIENT_CONNECTED")
        .await;
    mock.advance(10).await;
    mock.shutdown().await;
    assert!(path.exists(), "the state is saved at shutdown");

    // A manual clock without --start-time resumes at the saved time.
    let mock = TestServer::start_with(ServerConfig {
        start_time: None,
        ..with_state_file(&path)
    })
    .await;
    let clock = mock.control("GET", "/_mock/clock", None).await.json();
    assert_eq!(clock["Now"], T0 + 10);
    let client = mock.client();
    let got = client
        .get_application()
        .identifier(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(got.arn(), app);
    assert_eq!(got.status(), Some(&ApplicationStatus::Ready));
    let got = client
        .get_stream_group()
        .identifier(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(got.arn(), group);
    assert_eq!(got.status(), Some(&StreamGroupStatus::Active));
    for (session, status) in [
        (&connected, StreamSessionStatus::Connected),
        (&active, StreamSessionStatus::Active),
    ] {
        let got = client
            .get_stream_session()
            .identifier(&group)
            .stream_session_identifier(session)
            .send()
            .await
            .unwrap();
        assert_eq!(got.arn(), Some(session.as_str()));
        assert_eq!(got.status(), Some(&status));
    }
    // The ID generator continues where it stopped: a new session gets a new ID.
    let third = start_session(&client, &group, &app, 3).await;
    assert!(third != connected && third != active);
    mock.shutdown().await;
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_corrupt_state_file_is_a_startup_error() {
    let path = scratch("corrupt");
    std::fs::write(&path, b"{ this is not a snapshot").unwrap();
    let err = MockServer::start(with_state_file(&path))
        .await
        .err()
        .expect("a corrupt state file stops the start");
    assert!(matches!(err, StartError::StateFile { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("not an engine snapshot"), "{message}");
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn a_state_file_of_another_region_is_refused() {
    let path = scratch("region");
    let mock = TestServer::start_with(with_state_file(&path)).await;
    mock.shutdown().await;
    let err = MockServer::start(ServerConfig {
        region: Some("eu-west-1".into()),
        ..with_state_file(&path)
    })
    .await
    .err()
    .expect("the regions disagree");
    assert!(err.to_string().contains("eu-west-1"), "{err}");
    let _ = std::fs::remove_file(&path);
}
