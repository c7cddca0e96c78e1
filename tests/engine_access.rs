//! CreateStreamSessionAdminShell, ExportStreamSessionFiles and the export status, and
//! ListApplicationShaderCaches with its seeding, in the engine.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    EngineConfig, ErrorKind, MAX_SHADER_CACHES, Observation, SessionStatus, ShaderCacheSeed,
    StatusReason,
};

fn shell(
    f: &mut Fixture,
    session: &str,
) -> Result<CreateStreamSessionAdminShellOutput, gameliftstreams_lifecycle::ApiError> {
    let input = CreateStreamSessionAdminShellInput {
        identifier: f.group.clone(),
        stream_session_identifier: session.into(),
    };
    let out = f
        .engine
        .create_stream_session_admin_shell(ME, f.now, &input);
    f.check();
    out
}

fn export(
    f: &mut Fixture,
    session: &str,
    uri: &str,
) -> Result<(), gameliftstreams_lifecycle::ApiError> {
    let input = ExportStreamSessionFilesInput {
        identifier: f.group.clone(),
        stream_session_identifier: session.into(),
        output_uri: Some(uri.into()),
    };
    let out = f.engine.export_stream_session_files(ME, f.now, &input);
    f.check();
    out
}

fn export_status(f: &mut Fixture, session: &str) -> Option<ExportFilesMetadata> {
    f.get(session).export_files_metadata
}

#[test]
fn an_admin_shell_opens_only_on_a_running_session() {
    let mut config = EngineConfig::default();
    config.delays.placement = TimeDelta::seconds(5);
    config.delays.reconnection = TimeDelta::seconds(5);
    config.termination_delay = TimeDelta::seconds(5);
    let mut f = Fixture::with(config, None);
    let session = f.start();
    assert_error(
        shell(&mut f, &session),
        ErrorKind::StreamSessionAccessNotReady,
        "ACTIVATING",
    );
    let err = shell(&mut f, &session).unwrap_err();
    assert_eq!(
        (err.code(), err.http_status()),
        ("StreamSessionAccessNotReadyException", 409)
    );
    f.at(5);
    let first = shell(&mut f, &session).unwrap();
    let id = first.session_id.clone().unwrap();
    let session_id = session.rsplit('/').next().unwrap();
    assert!(
        id.starts_with(&format!("gameliftstreams-{session_id}-")),
        "{id}"
    );
    assert!((1..=256).contains(&id.len()));
    let url = first.stream_url.clone().unwrap();
    assert!(
        url.starts_with("wss://ssmmessages.us-west-2.amazonaws.com/v1/data-channel/"),
        "{url}"
    );
    assert!(url.contains(&id));
    let token = first.token_value.clone().unwrap();
    assert!(!token.as_str().is_empty() && token.as_str().len() <= 1024);
    assert!(
        !format!("{first:?}").contains(token.as_str()),
        "the token is sensitive"
    );
    // Every call gives new credentials, in all four running statuses.
    f.observe(&session, Observation::ClientConnected).unwrap();
    let second = shell(&mut f, &session).unwrap();
    assert_ne!(second, first);
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();
    shell(&mut f, &session).unwrap();
    f.reconnect(&session, "v=0 again").unwrap();
    assert_eq!(f.get(&session).status, Some(SessionStatus::Reconnecting));
    shell(&mut f, &session).unwrap();
    f.at(11);
    f.terminate(&session).unwrap();
    assert_error(
        shell(&mut f, &session),
        ErrorKind::StreamSessionAccessNotReady,
        "TERMINATING",
    );
    f.at(20);
    assert_error(
        shell(&mut f, &session),
        ErrorKind::StreamSessionAccessNotReady,
        "TERMINATED",
    );
    assert_error(
        shell(&mut f, "S0000000000000"),
        ErrorKind::ResourceNotFound,
        "S0000000000000",
    );
}

#[test]
fn admin_shell_credentials_are_deterministic_from_the_seed() {
    let credentials = |seed| {
        let mut f = Fixture::with(
            EngineConfig {
                seed,
                ..EngineConfig::default()
            },
            None,
        );
        let session = f.start();
        f.at(1);
        shell(&mut f, &session).unwrap()
    };
    assert_eq!(credentials(3), credentials(3));
    assert_ne!(credentials(3), credentials(4));
}

#[test]
fn an_export_is_pending_while_the_session_runs_then_succeeds_after_the_upload() {
    let mut config = EngineConfig::default();
    config.delays.export_upload = TimeDelta::seconds(30);
    config.delays.placement = TimeDelta::seconds(5);
    let mut f = Fixture::with(config, None);
    let session = f.start();
    let before = f.engine.snapshot();
    assert_error(
        export(&mut f, &session, "s3://bucket/out/"),
        ErrorKind::Validation,
        "ACTIVATING",
    );
    assert_eq!(
        f.engine.snapshot(),
        before,
        "a refused export changes nothing"
    );
    f.at(5);
    assert_eq!(export_status(&mut f, &session), None);
    export(&mut f, &session, "s3://bucket/first.zip").unwrap();
    // A second request while it runs replaces the OutputUri.
    export(&mut f, &session, "s3://bucket/out/").unwrap();
    let pending = export_status(&mut f, &session).unwrap();
    assert_eq!(pending.status, Some(ExportFilesStatus::Pending));
    assert_eq!(pending.output_uri.as_deref(), Some("s3://bucket/out/"));
    assert_eq!(pending.status_reason, None);
    f.at(10);
    f.terminate(&session).unwrap();
    assert_eq!(f.status(&session), SessionStatus::Terminated);
    assert_error(
        export(&mut f, &session, "s3://bucket/late/"),
        ErrorKind::Validation,
        "TERMINATED",
    );
    f.at(39);
    assert_eq!(
        export_status(&mut f, &session).unwrap().status,
        Some(ExportFilesStatus::Pending),
        "the upload takes 30 s after the end"
    );
    f.at(40);
    let done = export_status(&mut f, &session).unwrap();
    assert_eq!(done.status, Some(ExportFilesStatus::Succeeded));
    let (group, id) = {
        let mut parts = session.rsplit('/');
        let id = parts.next().unwrap().to_owned();
        (parts.next().unwrap().to_owned(), id)
    };
    let app = f.app.rsplit('/').next().unwrap();
    // The service names the zip under a prefix: YYYYMMDD-HHMMSS-appId-sgId-sessionId.zip.
    assert_eq!(
        done.output_uri.as_deref(),
        Some(&*format!(
            "s3://bucket/out/20231114-221330-{app}-{group}-{id}.zip"
        ))
    );
}

#[test]
fn failed_exports_say_why() {
    let mut f = Fixture::new();
    // A session that ends in ERROR has nothing to collect.
    let crashed = f.start();
    f.at(1);
    export(&mut f, &crashed, "s3://bucket/a.zip").unwrap();
    f.observe(&crashed, Observation::Failed(StatusReason::InternalError))
        .unwrap();
    let m = export_status(&mut f, &crashed).unwrap();
    assert_eq!(m.status, Some(ExportFilesStatus::Failed));
    assert!(m.status_reason.unwrap().contains("internalError"));
    // A failure injected into one session's upload.
    let failing = f.start();
    f.at(2);
    export(&mut f, &failing, "s3://bucket/b.ZIP").unwrap();
    let group = f.group.clone();
    f.engine
        .fail_export(ME, f.now, &group, &failing, "AccessDenied on the bucket")
        .unwrap();
    f.terminate(&failing).unwrap();
    let m = export_status(&mut f, &failing).unwrap();
    assert_eq!(m.status, Some(ExportFilesStatus::Failed));
    assert_eq!(
        m.status_reason.as_deref(),
        Some("AccessDenied on the bucket")
    );
    assert_eq!(m.output_uri.as_deref(), Some("s3://bucket/b.ZIP"));
    // Once finished, the outcome cannot be changed.
    assert_error(
        f.engine.fail_export(ME, f.now, &group, &failing, "again"),
        ErrorKind::Conflict,
        "FAILED",
    );
    // A configured failure applies to exports requested from then on, frozen with them.
    let mut config = f.engine.config().clone();
    config.export_failure = Some("bucket is gone".into());
    f.engine.set_config(config.clone()).unwrap();
    let configured = f.start();
    f.at(3);
    export(&mut f, &configured, "s3://bucket/c.zip").unwrap();
    config.export_failure = None;
    f.engine.set_config(config).unwrap();
    f.terminate(&configured).unwrap();
    let m = export_status(&mut f, &configured).unwrap();
    assert_eq!(m.status, Some(ExportFilesStatus::Failed));
    assert_eq!(m.status_reason.as_deref(), Some("bucket is gone"));
}

#[test]
fn listings_filter_by_export_status() {
    let mut f = Fixture::new();
    let [a, b, c] = [f.start(), f.start(), f.start()];
    f.at(1);
    export(&mut f, &a, "s3://bucket/a.zip").unwrap();
    export(&mut f, &b, "s3://bucket/b.zip").unwrap();
    f.terminate(&b).unwrap();
    let list = |f: &mut Fixture, status| {
        let input = ListStreamSessionsInput {
            identifier: f.group.clone(),
            export_files_status: Some(status),
            ..Default::default()
        };
        let items = f
            .engine
            .list_stream_sessions(ME, f.now, &input)
            .unwrap()
            .items
            .unwrap();
        let by_account = f
            .engine
            .list_stream_sessions_by_account(
                ME,
                f.now,
                &ListStreamSessionsByAccountInput {
                    export_files_status: Some(status),
                    ..Default::default()
                },
            )
            .unwrap()
            .items
            .unwrap();
        assert_eq!(items, by_account);
        items
            .into_iter()
            .map(|s| {
                assert_eq!(
                    s.export_files_metadata.and_then(|m| m.status),
                    Some(status),
                    "summaries carry the status"
                );
                s.arn.unwrap()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(list(&mut f, ExportFilesStatus::Pending), [a]);
    assert_eq!(list(&mut f, ExportFilesStatus::Succeeded), [b]);
    assert_eq!(
        list(&mut f, ExportFilesStatus::Failed),
        Vec::<String>::new()
    );
    let _ = c;
}

#[test]
fn shader_caches_are_seeded_and_listed() {
    let mut f = Fixture::new();
    let app = f.app.clone();
    let group = f.group.clone();
    let list = |f: &mut Fixture| {
        f.engine
            .list_application_shader_caches(
                ME,
                f.now,
                &ListApplicationShaderCachesInput {
                    identifier: f.app.clone(),
                },
            )
            .unwrap()
            .items
            .unwrap()
    };
    assert_eq!(list(&mut f), vec![]);
    let seed = |id: &str, status| ShaderCacheSeed {
        identifier: id.into(),
        status,
        storage_bytes: Some(1 << 20),
        associated_stream_groups: vec![group.rsplit('/').next().unwrap().into()],
    };
    let b = "b271e693c50b940e228582f1ccdd4e27";
    let a = "1271e693c50b940e228582f1ccdd4e27";
    f.engine
        .put_shader_cache(ME, f.now, &app, &seed(b, ShaderCacheStatus::Processing))
        .unwrap();
    f.at(5);
    let summary = f
        .engine
        .put_shader_cache(ME, f.now, &app, &seed(a, ShaderCacheStatus::Ready))
        .unwrap();
    assert_eq!(summary.application_arn.as_deref(), Some(app.as_str()));
    let items = list(&mut f);
    let ids: Vec<_> = items
        .iter()
        .map(|c| c.identifier.clone().unwrap())
        .collect();
    assert_eq!(ids, [a, b], "by identifier");
    assert_eq!(items[0].status, Some(ShaderCacheStatus::Ready));
    assert_eq!(items[0].storage_bytes, Some(1 << 20));
    assert_eq!(
        items[0].associated_stream_groups,
        Some(vec![group.clone()]),
        "as ARNs"
    );
    assert_eq!(items[1].last_updated_at, Some(common::t(0)));
    // Changing one keeps the others.
    f.engine
        .put_shader_cache(ME, f.now, &app, &seed(b, ShaderCacheStatus::Error))
        .unwrap();
    assert_eq!(list(&mut f)[1].status, Some(ShaderCacheStatus::Error));
    // Refusals change nothing.
    let before = f.engine.snapshot();
    for (bad, kind) in [
        (
            seed("1271E693", ShaderCacheStatus::Ready),
            ErrorKind::Validation,
        ),
        (
            seed(&"g".repeat(32), ShaderCacheStatus::Ready),
            ErrorKind::Validation,
        ),
        (
            ShaderCacheSeed {
                storage_bytes: Some(-1),
                ..seed(a, ShaderCacheStatus::Ready)
            },
            ErrorKind::Validation,
        ),
        (
            ShaderCacheSeed {
                associated_stream_groups: vec!["sg-000000000".into()],
                ..seed(a, ShaderCacheStatus::Ready)
            },
            ErrorKind::ResourceNotFound,
        ),
    ] {
        let err = f
            .engine
            .put_shader_cache(ME, f.now, &app, &bad)
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
    }
    assert_error(
        f.engine.put_shader_cache(
            other_account(),
            f.now,
            &app,
            &seed(a, ShaderCacheStatus::Ready),
        ),
        ErrorKind::AccessDenied,
        "not authorized",
    );
    assert_eq!(f.engine.snapshot(), before);
    f.engine.remove_shader_cache(ME, f.now, &app, b).unwrap();
    assert_eq!(list(&mut f).len(), 1);
    assert_error(
        f.engine.remove_shader_cache(ME, f.now, &app, b),
        ErrorKind::Validation,
        "no shader cache",
    );
    // The listing's own errors.
    assert_error(
        f.engine.list_application_shader_caches(
            ME,
            f.now,
            &ListApplicationShaderCachesInput {
                identifier: "a-000000000".into(),
            },
        ),
        ErrorKind::ResourceNotFound,
        "a-000000000",
    );
    assert_error(
        f.engine.list_application_shader_caches(
            other_account(),
            f.now,
            &ListApplicationShaderCachesInput { identifier: app },
        ),
        ErrorKind::AccessDenied,
        "not authorized",
    );
    // They are state: a snapshot keeps them.
    let restored = gameliftstreams_lifecycle::Engine::restore(
        serde_json::from_str(&serde_json::to_string(&f.engine.snapshot()).unwrap()).unwrap(),
    )
    .unwrap();
    f.engine = restored;
    assert_eq!(list(&mut f).len(), 1);
}

#[test]
fn an_application_has_at_most_a_thousand_shader_caches() {
    let mut f = Fixture::new();
    let app = f.app.clone();
    for i in 0..MAX_SHADER_CACHES {
        let seed = ShaderCacheSeed {
            identifier: format!("{i:032x}"),
            status: ShaderCacheStatus::Ready,
            storage_bytes: None,
            associated_stream_groups: vec![],
        };
        f.engine.put_shader_cache(ME, f.now, &app, &seed).unwrap();
    }
    let one_more = ShaderCacheSeed {
        identifier: format!("{:032x}", MAX_SHADER_CACHES),
        status: ShaderCacheStatus::Ready,
        storage_bytes: None,
        associated_stream_groups: vec![],
    };
    assert_error(
        f.engine.put_shader_cache(ME, f.now, &app, &one_more),
        ErrorKind::ServiceQuotaExceeded,
        "1000",
    );
    // Changing an existing one is still allowed.
    let existing = ShaderCacheSeed {
        identifier: format!("{:032x}", 0),
        status: ShaderCacheStatus::Deleting,
        ..one_more
    };
    f.engine
        .put_shader_cache(ME, f.now, &app, &existing)
        .unwrap();
}
