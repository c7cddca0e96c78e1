//! A state file written by the previous release (snapshot version 2, before stream URLs, file
//! exports and shader caches) loads into this one: it migrates, it is not refused. The fixture
//! `tests/fixtures/snapshot-v2.json` was written by version 2's `Engine::snapshot` (at commit
//! 89c8f07): one application tagged `team=qa`, one group, a CONNECTED, a TERMINATED and an
//! ACTIVATING session (placement takes 2 s), and one remembered client token.

use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    AccountId, Engine, OLDEST_SNAPSHOT_VERSION, SNAPSHOT_VERSION, SessionStatus, Snapshot,
};

const V2: &str = include_str!("fixtures/snapshot-v2.json");
const ME: AccountId = AccountId::DEFAULT;

fn restored() -> Engine {
    let snapshot: Snapshot = serde_json::from_str(V2).expect("a version 2 snapshot deserializes");
    Engine::restore(snapshot).expect("a version 2 snapshot restores")
}

#[test]
fn the_fixture_is_a_version_2_snapshot() {
    let json: serde_json::Value = serde_json::from_str(V2).unwrap();
    assert_eq!(json["version"], 2);
    assert_eq!(OLDEST_SNAPSHOT_VERSION, 2);
    const { assert!(SNAPSHOT_VERSION > 2) };
    // Nothing of version 3 is in it: the migration is what fills it in.
    assert!(json.get("stream_urls").is_none());
    assert!(json["config"]["Delays"].get("ExportUpload").is_none());
}

#[test]
fn a_version_2_snapshot_migrates_with_everything_it_had() {
    let mut engine = restored();
    engine.check_invariants().unwrap();
    let now = engine.now();
    let apps = engine
        .list_applications(ME, now, &Default::default())
        .unwrap()
        .items
        .unwrap();
    assert_eq!(apps.len(), 1);
    let app = apps[0].arn.clone().unwrap();
    let tags = engine
        .list_tags_for_resource(
            ME,
            now,
            &ListTagsForResourceInput {
                resource_arn: app.clone(),
            },
        )
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(tags.get("team").map(String::as_str), Some("qa"));
    let caches = engine
        .list_application_shader_caches(
            ME,
            now,
            &ListApplicationShaderCachesInput {
                identifier: app.clone(),
            },
        )
        .unwrap();
    assert_eq!(caches.items, Some(vec![]));
    let sessions = engine
        .list_stream_sessions_by_account(ME, now, &Default::default())
        .unwrap()
        .items
        .unwrap();
    let statuses: Vec<_> = sessions.iter().map(|s| s.status.unwrap()).collect();
    assert_eq!(
        statuses,
        [
            SessionStatus::Connected,
            SessionStatus::Terminated,
            SessionStatus::Activating
        ]
    );
    assert!(sessions.iter().all(|s| s.export_files_metadata.is_none()));
    let urls = engine
        .list_stream_urls(ME, now, &Default::default())
        .unwrap();
    assert_eq!(urls.items, Some(vec![]));
    // Its timers still run: the ACTIVATING session is placed 2 s after it asked.
    let later = now + chrono::TimeDelta::seconds(2);
    let group = sessions[2].arn.clone().unwrap();
    let group_id = group.split('/').nth(1).unwrap().to_owned();
    let got = engine
        .get_stream_session(
            ME,
            later,
            &GetStreamSessionInput {
                identifier: group_id,
                stream_session_identifier: group,
            },
        )
        .unwrap();
    assert_eq!(got.status, Some(SessionStatus::Active));
    engine.check_invariants().unwrap();
}

#[test]
fn a_migrated_engine_writes_the_current_version_and_reads_it_back() {
    let engine = restored();
    let json = serde_json::to_value(engine.snapshot()).unwrap();
    assert_eq!(json["version"], SNAPSHOT_VERSION);
    let again: Snapshot = serde_json::from_value(json).unwrap();
    assert_eq!(again, engine.snapshot());
    Engine::restore(again).unwrap();
}

#[test]
fn versions_outside_the_range_are_refused_by_number() {
    for version in [1, SNAPSHOT_VERSION + 1] {
        let mut json: serde_json::Value = serde_json::from_str(V2).unwrap();
        json["version"] = version.into();
        let err = serde_json::from_value::<Snapshot>(json).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains(&format!("snapshot version {version} is not supported")),
            "{message}"
        );
    }
}
