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

/// A state file of the previous release (snapshot version 2, the core's committed fixture)
/// starts the server: it migrates to the current version, and what it held is served.
#[tokio::test]
async fn a_version_2_state_file_migrates_at_start() {
    let path = scratch("v2");
    std::fs::write(&path, include_str!("../../tests/fixtures/snapshot-v2.json")).unwrap();
    let mock = TestServer::start_with(ServerConfig {
        start_time: None,
        ..with_state_file(&path)
    })
    .await;
    let client = mock.client();
    let apps = client.list_applications().send().await.unwrap();
    let app = apps.items()[0].arn().to_owned();
    let tags = client
        .list_tags_for_resource()
        .resource_arn(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags.tags().and_then(|t| t.get("team")).map(String::as_str),
        Some("qa")
    );
    let sessions = client
        .list_stream_sessions_by_account()
        .send()
        .await
        .unwrap();
    assert_eq!(sessions.items().len(), 3);
    assert_eq!(
        sessions.items()[0].status(),
        Some(&StreamSessionStatus::Connected)
    );
    let urls = client.list_stream_urls().send().await.unwrap();
    assert!(urls.items().is_empty());
    mock.shutdown().await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        saved["version"],
        gameliftstreams_lifecycle::SNAPSHOT_VERSION,
        "saved again in the current version"
    );
}

/// The save (issue 13, item 4): a new, unpredictably named temporary file, created exclusively
/// with mode 0600, then renamed. A symlink planted at the old predictable name is not followed,
/// and temporary files a killed save left behind are removed at the next start.
#[tokio::test]
async fn the_state_file_is_written_safely() {
    use std::os::unix::fs::PermissionsExt;
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("state-file-safe-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let victim = dir.join("victim");
    std::fs::write(&victim, b"precious").unwrap();
    let planted = dir.join(format!("state.json.{}.tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &planted).unwrap();
    let orphan = dir.join(".state.json.AbC123.tmp");
    std::fs::write(&orphan, vec![b'x'; 4096]).unwrap();

    let mock = TestServer::start_with(with_state_file(&path)).await;
    assert!(
        !orphan.exists(),
        "a killed save's temporary file is removed at start"
    );
    let client = mock.client();
    app_and_group(&client).await;
    mock.shutdown().await;

    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"precious",
        "the planted link is not followed"
    );
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(
        mode, 0o600,
        "the state holds signal requests and responses in clear"
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["applications"].as_array().map(Vec::len), Some(1));
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") && n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "no temporary file is left: {left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_state_file_in_a_missing_directory_is_a_startup_error() {
    let path = scratch("missing").with_extension("d").join("state.json");
    let err = MockServer::start(with_state_file(&path))
        .await
        .err()
        .expect("a directory that cannot take the state file stops the start");
    assert!(matches!(err, StartError::StateFile { .. }), "{err:?}");
    assert!(err.to_string().contains("cannot take it"), "{err}");
}
