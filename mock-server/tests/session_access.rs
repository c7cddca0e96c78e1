//! CreateStreamSessionAdminShell, ExportStreamSessionFiles (and the ExportFilesMetadata it
//! starts, on the manual clock) and ListApplicationShaderCaches (with the caches seeded through
//! `PUT`/`DELETE /_mock/applications/{ApplicationId}/shadercaches/{CacheId}`) through the real
//! SDK.

use crate::common::*;
use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::error::ProvideErrorMetadata;
use aws_sdk_gameliftstreams::operation::create_stream_session_admin_shell::CreateStreamSessionAdminShellError;
use aws_sdk_gameliftstreams::operation::export_stream_session_files::ExportStreamSessionFilesError;
use aws_sdk_gameliftstreams::operation::get_stream_session::GetStreamSessionOutput;
use aws_sdk_gameliftstreams::operation::list_application_shader_caches::ListApplicationShaderCachesError;
use aws_sdk_gameliftstreams::types::{ExportFilesStatus, ShaderCacheStatus, StreamSessionStatus};
use serde_json::{Value, json};

/// Two shader cache identifiers, the first sorting after the second.
const CACHE_A: &str = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const CACHE_B: &str = "1271e693c50b940e228582f1ccdd4e27";

async fn get_session(client: &Client, group: &str, session: &str) -> GetStreamSessionOutput {
    client
        .get_stream_session()
        .identifier(group)
        .stream_session_identifier(session)
        .send()
        .await
        .expect("GetStreamSession")
}

async fn set_config(mock: &TestServer, patch: Value) {
    let r = mock.control("PUT", "/_mock/config", Some(patch)).await;
    assert_eq!(r.status, 200, "{}", r.text());
}

async fn terminate(client: &Client, group: &str, session: &str) {
    client
        .terminate_stream_session()
        .identifier(group)
        .stream_session_identifier(session)
        .send()
        .await
        .expect("TerminateStreamSession");
}

async fn export(client: &Client, group: &str, session: &str, uri: &str) {
    client
        .export_stream_session_files()
        .identifier(group)
        .stream_session_identifier(session)
        .output_uri(uri)
        .send()
        .await
        .expect("ExportStreamSessionFiles");
}

/// The ARNs of the sessions of `group` whose export is `status`.
async fn with_export(client: &Client, group: &str, status: ExportFilesStatus) -> Vec<String> {
    client
        .list_stream_sessions()
        .identifier(group)
        .export_files_status(status)
        .send()
        .await
        .expect("ListStreamSessions")
        .items()
        .iter()
        .map(|s| s.arn().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn admin_shell_on_a_running_session() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let session_id = id_of(&session).to_owned();
    assert_eq!(
        get_session(&client, &group, &session).await.status(),
        Some(&StreamSessionStatus::Active)
    );

    let shell = client
        .create_stream_session_admin_shell()
        .identifier(&group)
        .stream_session_identifier(&session)
        .send()
        .await
        .expect("CreateStreamSessionAdminShell");
    let id = shell.session_id().expect("a SessionId");
    let prefix = format!("gameliftstreams-{session_id}-");
    let suffix = id.strip_prefix(&prefix).unwrap_or_else(|| panic!("{id}"));
    assert!(
        suffix.len() == 17
            && suffix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
        "{id}"
    );
    assert_eq!(
        shell.stream_url(),
        Some(
            format!(
                "wss://ssmmessages.us-west-2.amazonaws.com/v1/data-channel/{id}?role=publish_subscribe"
            )
            .as_str()
        )
    );
    let token = shell.token_value().expect("a TokenValue");
    assert!(
        token.len() == 96 && token.bytes().all(|b| b.is_ascii_alphanumeric()),
        "{token}"
    );

    // CONNECTED too, by IDs; each shell is a new one.
    mock.event(id_of(&group), &session_id, "CLIENT_CONNECTED")
        .await;
    let again = client
        .create_stream_session_admin_shell()
        .identifier(id_of(&group))
        .stream_session_identifier(&session_id)
        .send()
        .await
        .expect("a CONNECTED session has a shell");
    assert_ne!(again.session_id(), shell.session_id());
    assert_ne!(again.token_value(), shell.token_value());
}

#[tokio::test]
async fn admin_shell_errors() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let shell = |session: &str| {
        client
            .create_stream_session_admin_shell()
            .identifier(&group)
            .stream_session_identifier(session)
            .send()
    };

    // ACTIVATING: placement takes 30 s.
    set_config(&mock, json!({ "Delays": { "Placement": 30 } })).await;
    let activating = start_session(&client, &group, &app, 1).await;
    assert_eq!(
        get_session(&client, &group, &activating).await.status(),
        Some(&StreamSessionStatus::Activating)
    );
    let err = shell(&activating).await.unwrap_err();
    assert_eq!(status(&err), 409);
    match err.into_service_error() {
        CreateStreamSessionAdminShellError::StreamSessionAccessNotReadyException(e) => {
            assert!(e.message().contains("ACTIVATING"), "{}", e.message());
            assert_eq!(
                e.meta().code(),
                Some("StreamSessionAccessNotReadyException")
            );
        }
        other => panic!("expected StreamSessionAccessNotReadyException, got {other:?}"),
    }
    mock.advance(30).await;
    shell(&activating).await.expect("ACTIVE now");

    // TERMINATED.
    terminate(&client, &group, &activating).await;
    assert_eq!(
        get_session(&client, &group, &activating).await.status(),
        Some(&StreamSessionStatus::Terminated)
    );
    let err = shell(&activating).await.unwrap_err();
    assert_eq!(status(&err), 409);
    match err.into_service_error() {
        CreateStreamSessionAdminShellError::StreamSessionAccessNotReadyException(e) => {
            assert!(e.message().contains("TERMINATED"), "{}", e.message())
        }
        other => panic!("expected StreamSessionAccessNotReadyException, got {other:?}"),
    }

    // Unknown session; another account; not a session's identifier.
    let err = shell("ABCDEFGHI").await.unwrap_err();
    assert_eq!(status(&err), 404);
    assert!(matches!(
        err.into_service_error(),
        CreateStreamSessionAdminShellError::ResourceNotFoundException(_)
    ));
    let err = mock
        .client_for(OTHER)
        .create_stream_session_admin_shell()
        .identifier(&group)
        .stream_session_identifier(&activating)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(matches!(
        err.into_service_error(),
        CreateStreamSessionAdminShellError::AccessDeniedException(_)
    ));
    let err = shell(&app).await.unwrap_err();
    assert_eq!(status(&err), 400);
    assert!(matches!(
        err.into_service_error(),
        CreateStreamSessionAdminShellError::ValidationException(_)
    ));
}

#[tokio::test]
async fn export_is_pending_while_the_session_runs_then_succeeds() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let bystander = start_session(&client, &group, &app, 2).await;
    assert!(
        get_session(&client, &group, &session)
            .await
            .export_files_metadata()
            .is_none(),
        "no export before one is asked for"
    );

    export(&client, &group, &session, "s3://b/p/").await;
    let got = get_session(&client, &group, &session).await;
    let metadata = got.export_files_metadata().expect("ExportFilesMetadata");
    assert_eq!(metadata.status(), Some(&ExportFilesStatus::Pending));
    assert_eq!(metadata.status_reason(), None);
    assert_eq!(metadata.output_uri(), Some("s3://b/p/"));
    assert_eq!(
        with_export(&client, &group, ExportFilesStatus::Pending).await,
        [session.as_str()]
    );
    assert!(
        with_export(&client, &group, ExportFilesStatus::Succeeded)
            .await
            .is_empty()
    );
    let by_account = client
        .list_stream_sessions_by_account()
        .export_files_status(ExportFilesStatus::Pending)
        .send()
        .await
        .unwrap();
    assert_eq!(
        by_account
            .items()
            .iter()
            .map(|s| s.arn().unwrap_or_default())
            .collect::<Vec<_>>(),
        [session.as_str()]
    );
    let summary = &client
        .list_stream_sessions()
        .identifier(&group)
        .send()
        .await
        .unwrap()
        .items()[0]
        .clone();
    assert_eq!(summary.arn(), Some(session.as_str()));
    assert_eq!(
        summary
            .export_files_metadata()
            .and_then(|m| m.status().cloned()),
        Some(ExportFilesStatus::Pending)
    );

    // The session ends at T0 + 100 s: the prefix gets the service's file name.
    mock.advance(100).await;
    terminate(&client, &group, &session).await;
    let got = get_session(&client, &group, &session).await;
    assert_eq!(got.status(), Some(&StreamSessionStatus::Terminated));
    let metadata = got.export_files_metadata().expect("ExportFilesMetadata");
    assert_eq!(metadata.status(), Some(&ExportFilesStatus::Succeeded));
    assert_eq!(metadata.status_reason(), None);
    let expected = format!(
        "s3://b/p/20260101-000140-{}-{}-{}.zip",
        id_of(&app),
        id_of(&group),
        id_of(&session)
    );
    assert_eq!(metadata.output_uri(), Some(expected.as_str()));
    assert_eq!(
        with_export(&client, &group, ExportFilesStatus::Succeeded).await,
        [session.as_str()]
    );
    assert!(
        with_export(&client, &group, ExportFilesStatus::Pending)
            .await
            .is_empty()
    );
    assert!(
        get_session(&client, &group, &bystander)
            .await
            .export_files_metadata()
            .is_none()
    );

    // An ended session's files cannot be asked for any more.
    let err = client
        .export_stream_session_files()
        .identifier(&group)
        .stream_session_identifier(&session)
        .output_uri("s3://b/other/")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400);
    match err.into_service_error() {
        ExportStreamSessionFilesError::ValidationException(e) => {
            assert!(e.message().contains("TERMINATED"), "{}", e.message())
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
    let metadata = get_session(&client, &group, &session).await;
    assert_eq!(
        metadata
            .export_files_metadata()
            .and_then(|m| m.output_uri()),
        Some(expected.as_str()),
        "the refused request changed nothing"
    );
}

#[tokio::test]
async fn export_upload_delay_keeps_it_pending_after_the_end() {
    let mock = TestServer::start().await;
    let client = mock.client();
    set_config(&mock, json!({ "Delays": { "ExportUpload": 30 } })).await;
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    get_session(&client, &group, &session).await;
    export(&client, &group, &session, "s3://b/exports/game.zip").await;
    // The delay is frozen with the request.
    set_config(&mock, json!({ "Delays": { "ExportUpload": 0 } })).await;
    terminate(&client, &group, &session).await;

    let got = get_session(&client, &group, &session).await;
    assert_eq!(got.status(), Some(&StreamSessionStatus::Terminated));
    let status_of = |got: &GetStreamSessionOutput| {
        got.export_files_metadata()
            .and_then(|m| m.status().cloned())
    };
    assert_eq!(status_of(&got), Some(ExportFilesStatus::Pending));
    assert_eq!(
        with_export(&client, &group, ExportFilesStatus::Pending).await,
        [session.as_str()]
    );
    mock.advance(29).await;
    let got = get_session(&client, &group, &session).await;
    assert_eq!(status_of(&got), Some(ExportFilesStatus::Pending));
    mock.advance(1).await;
    let got = get_session(&client, &group, &session).await;
    assert_eq!(status_of(&got), Some(ExportFilesStatus::Succeeded));
    assert_eq!(
        got.export_files_metadata().and_then(|m| m.output_uri()),
        Some("s3://b/exports/game.zip"),
        "a .zip key is kept as it is"
    );

    // An upload under way after the end can still fail.
    set_config(&mock, json!({ "Delays": { "ExportUpload": 30 } })).await;
    let late = start_session(&client, &group, &app, 2).await;
    get_session(&client, &group, &late).await;
    export(&client, &group, &late, "s3://b/late/").await;
    terminate(&client, &group, &late).await;
    assert_eq!(
        status_of(&get_session(&client, &group, &late).await),
        Some(ExportFilesStatus::Pending)
    );
    let r = mock
        .control(
            "POST",
            &format!(
                "/_mock/streamgroups/{}/streamsessions/{}/events",
                id_of(&group),
                id_of(&late)
            ),
            Some(json!({ "Type": "EXPORT_FAILED", "Reason": "Access denied to s3://b" })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    mock.advance(30).await;
    let got = get_session(&client, &group, &late).await;
    assert_eq!(status_of(&got), Some(ExportFilesStatus::Failed));
    assert_eq!(
        got.export_files_metadata().and_then(|m| m.status_reason()),
        Some("Access denied to s3://b")
    );
}

#[tokio::test]
async fn export_failed_event_makes_the_export_fail() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let group_id = id_of(&group).to_owned();
    let session = start_session(&client, &group, &app, 1).await;
    let session_id = id_of(&session).to_owned();
    let events = format!("/_mock/streamgroups/{group_id}/streamsessions/{session_id}/events");
    get_session(&client, &group, &session).await;

    // No export under way: a Conflict.
    mock.control(
        "POST",
        &events,
        Some(json!({ "Type": "EXPORT_FAILED", "Reason": "The bucket is gone" })),
    )
    .await
    .assert_error(409, "ConflictException");

    export(&client, &group, &session, "s3://b/p/").await;
    // A reason is required.
    mock.control("POST", &events, Some(json!({ "Type": "EXPORT_FAILED" })))
        .await
        .assert_error(400, "ValidationException");
    let r = mock
        .control(
            "POST",
            &events,
            Some(json!({ "Type": "EXPORT_FAILED", "Reason": "The bucket is gone" })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let answered = r.json();
    assert_eq!(answered["Status"], "ACTIVE", "{answered}");
    assert_eq!(
        answered["ExportFilesMetadata"]["Status"], "PENDING",
        "it fails when the upload would finish: {answered}"
    );

    terminate(&client, &group, &session).await;
    let got = get_session(&client, &group, &session).await;
    let metadata = got.export_files_metadata().expect("ExportFilesMetadata");
    assert_eq!(metadata.status(), Some(&ExportFilesStatus::Failed));
    assert_eq!(metadata.status_reason(), Some("The bucket is gone"));
    assert_eq!(metadata.output_uri(), Some("s3://b/p/"));
    assert_eq!(
        with_export(&client, &group, ExportFilesStatus::Failed).await,
        [session.as_str()]
    );

    // A session that ends in ERROR has nothing to upload.
    let failing = start_session(&client, &group, &app, 2).await;
    get_session(&client, &group, &failing).await;
    export(&client, &group, &failing, "s3://b/p/").await;
    let r = mock
        .control(
            "POST",
            &format!(
                "/_mock/streamgroups/{group_id}/streamsessions/{}/events",
                id_of(&failing)
            ),
            Some(json!({ "Type": "FAILED", "Reason": "internalError" })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let got = get_session(&client, &group, &failing).await;
    assert_eq!(got.status(), Some(&StreamSessionStatus::Error));
    let metadata = got.export_files_metadata().expect("ExportFilesMetadata");
    assert_eq!(metadata.status(), Some(&ExportFilesStatus::Failed));
    assert!(
        metadata
            .status_reason()
            .is_some_and(|r| r.contains("ERROR")),
        "{metadata:?}"
    );
}

#[tokio::test]
async fn export_errors() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    get_session(&client, &group, &session).await;
    let request = |session: &str, uri: Option<&str>| {
        client
            .export_stream_session_files()
            .identifier(&group)
            .stream_session_identifier(session)
            .set_output_uri(uri.map(str::to_owned))
            .send()
    };

    let err = request("ABCDEFGHI", Some("s3://b/p/")).await.unwrap_err();
    assert_eq!(status(&err), 404);
    assert!(matches!(
        err.into_service_error(),
        ExportStreamSessionFilesError::ResourceNotFoundException(_)
    ));
    let err = mock
        .client_for(OTHER)
        .export_stream_session_files()
        .identifier(&group)
        .stream_session_identifier(&session)
        .output_uri("s3://b/p/")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(matches!(
        err.into_service_error(),
        ExportStreamSessionFilesError::AccessDeniedException(_)
    ));
    for uri in [
        None,
        Some("https://b/p/"),
        Some("s3://b/p/file.tar"),
        Some("s3://b/p"),
    ] {
        let err = request(&session, uri).await.expect_err(&format!("{uri:?}"));
        assert_eq!(status(&err), 400, "{uri:?}");
        assert!(
            matches!(
                err.into_service_error(),
                ExportStreamSessionFilesError::ValidationException(_)
            ),
            "{uri:?}"
        );
    }
    assert!(
        get_session(&client, &group, &session)
            .await
            .export_files_metadata()
            .is_none(),
        "nothing refused started an export"
    );
    // An upper-case .ZIP is a key too.
    request(&session, Some("s3://b/p/FILES.ZIP"))
        .await
        .expect("a .ZIP key");
}

/// Seeds a shader cache of `app` through the control API; answers the cache.
async fn put_cache(mock: &TestServer, app: &str, cache: &str, body: Value) -> RawResponse {
    mock.control(
        "PUT",
        &format!("/_mock/applications/{app}/shadercaches/{cache}"),
        Some(body),
    )
    .await
}

#[tokio::test]
async fn shader_caches_are_seeded_listed_and_removed() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let second = stream_group(&client, &app).await;
    let app_id = id_of(&app).to_owned();

    let empty = client
        .list_application_shader_caches()
        .identifier(&app)
        .send()
        .await
        .expect("ListApplicationShaderCaches");
    assert!(empty.items().is_empty(), "{:?}", empty.items());

    // A first cache at T0, for both groups (by ID and by ARN); a second at T0 + 5.
    let r = put_cache(
        &mock,
        &app_id,
        CACHE_A,
        json!({
            "Status": "READY",
            "StorageBytes": 1_048_576,
            "AssociatedStreamGroups": [id_of(&group), second],
        }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let answered = r.json();
    assert_eq!(answered["Identifier"], CACHE_A);
    assert_eq!(answered["ApplicationArn"], app.as_str());
    assert_eq!(answered["Status"], "READY");
    assert_eq!(answered["AssociatedStreamGroups"], json!([group, second]));
    mock.advance(5).await;
    // By its ARN, percent-encoded as a path segment.
    let r = put_cache(
        &mock,
        &app.replace('/', "%2F"),
        CACHE_B,
        json!({ "Status": "PROCESSING", "AccountId": "123456789012" }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());

    let listed = client
        .list_application_shader_caches()
        .identifier(&app_id)
        .send()
        .await
        .expect("ListApplicationShaderCaches");
    let items = listed.items();
    assert_eq!(
        items.iter().map(|c| c.identifier()).collect::<Vec<_>>(),
        [CACHE_B, CACHE_A],
        "by identifier"
    );
    let (b, a) = (&items[0], &items[1]);
    assert_eq!(a.application_arn(), app);
    assert_eq!(a.status(), Some(&ShaderCacheStatus::Ready));
    assert_eq!(a.storage_bytes(), Some(1_048_576));
    assert_eq!(
        a.associated_stream_groups(),
        [group.clone(), second.clone()]
    );
    assert_eq!(a.last_updated_at().map(|t| t.secs()), Some(T0));
    assert_eq!(b.application_arn(), app);
    assert_eq!(b.status(), Some(&ShaderCacheStatus::Processing));
    assert_eq!(b.storage_bytes(), None);
    assert!(b.associated_stream_groups().is_empty());
    assert_eq!(b.last_updated_at().map(|t| t.secs()), Some(T0 + 5));

    // A PUT of the same identifier changes it.
    mock.advance(5).await;
    let r = put_cache(
        &mock,
        &app_id,
        CACHE_B,
        json!({ "Status": "READY", "StorageBytes": 42 }),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let listed = client
        .list_application_shader_caches()
        .identifier(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.items().len(), 2);
    let b = &listed.items()[0];
    assert_eq!(b.status(), Some(&ShaderCacheStatus::Ready));
    assert_eq!(b.storage_bytes(), Some(42));
    assert_eq!(b.last_updated_at().map(|t| t.secs()), Some(T0 + 10));

    // Bad seeds change nothing.
    for (cache, body) in [
        (
            "1271e693c50b940e228582f1ccdd4e2",
            json!({ "Status": "READY" }),
        ),
        (
            "1271e693c50b940e228582f1ccdd4e2g",
            json!({ "Status": "READY" }),
        ),
        (CACHE_A, json!({ "Status": "READY", "StorageBytes": -1 })),
        (CACHE_A, json!({ "Status": "BAKING" })),
    ] {
        put_cache(&mock, &app_id, cache, body.clone())
            .await
            .assert_error(400, "ValidationException");
    }
    put_cache(
        &mock,
        &app_id,
        CACHE_A,
        json!({ "Status": "READY", "AssociatedStreamGroups": ["sg-000000000"] }),
    )
    .await
    .assert_error(404, "ResourceNotFoundException");
    put_cache(&mock, "a-000000000", CACHE_A, json!({ "Status": "READY" }))
        .await
        .assert_error(404, "ResourceNotFoundException");
    // The application is not another account's.
    put_cache(
        &mock,
        &app_id,
        CACHE_A,
        json!({ "Status": "READY", "AccountId": OTHER }),
    )
    .await
    .assert_error(404, "ResourceNotFoundException");
    let listed = client
        .list_application_shader_caches()
        .identifier(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.items()[1].storage_bytes(), Some(1_048_576));

    // DELETE removes one; a second DELETE has nothing to remove.
    let path = format!("/_mock/applications/{app_id}/shadercaches/{CACHE_A}");
    let r = mock.control("DELETE", &path, None).await;
    assert_eq!(r.status, 204, "{}", r.text());
    mock.control("DELETE", &path, None)
        .await
        .assert_error(400, "ValidationException");
    mock.control("DELETE", &format!("{path}?AccountId={OTHER}"), None)
        .await
        .assert_error(404, "ResourceNotFoundException");
    let listed = client
        .list_application_shader_caches()
        .identifier(&app)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed
            .items()
            .iter()
            .map(|c| c.identifier())
            .collect::<Vec<_>>(),
        [CACHE_B]
    );
}

#[tokio::test]
async fn list_shader_caches_errors() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;

    let err = client
        .list_application_shader_caches()
        .identifier("a-000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 404);
    assert!(matches!(
        err.into_service_error(),
        ListApplicationShaderCachesError::ResourceNotFoundException(_)
    ));
    let err = mock
        .client_for(OTHER)
        .list_application_shader_caches()
        .identifier(&app)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(matches!(
        err.into_service_error(),
        ListApplicationShaderCachesError::AccessDeniedException(_)
    ));
    for bad in [group.as_str(), "not an id!"] {
        let err = client
            .list_application_shader_caches()
            .identifier(bad)
            .send()
            .await
            .expect_err(bad);
        assert_eq!(status(&err), 400, "{bad}");
        assert!(
            matches!(
                err.into_service_error(),
                ListApplicationShaderCachesError::ValidationException(_)
            ),
            "{bad}"
        );
    }
}
