//! Every error kind as the real SDK parses it: the typed variant, the HTTP status, and the
//! message both in the typed error and in the error metadata. (Throttling and internal errors,
//! which need the engine's fault configuration, are in `faults.rs`.)

use crate::common::*;
use aws_sdk_gameliftstreams::error::ProvideErrorMetadata;
use aws_sdk_gameliftstreams::operation::create_stream_group::CreateStreamGroupError;
use aws_sdk_gameliftstreams::operation::create_stream_session_connection::CreateStreamSessionConnectionError;
use aws_sdk_gameliftstreams::operation::get_stream_group::GetStreamGroupError;
use aws_sdk_gameliftstreams::operation::start_stream_session::StartStreamSessionError;
use aws_sdk_gameliftstreams::types::Protocol;
use serde_json::json;

#[tokio::test]
async fn validation_exception() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let err = client
        .start_stream_session()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(Protocol::Webrtc)
        .signal_request(offer(1))
        .connection_timeout_seconds(3601)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400);
    let expected = "1 validation error detected: Value '3601' at 'connectionTimeoutSeconds' \
                    failed to satisfy constraint: Member must have value less than or equal to 3600";
    match err.into_service_error() {
        StartStreamSessionError::ValidationException(e) => {
            assert_eq!(e.message(), expected);
            assert_eq!(e.meta().message(), Some(expected));
            assert_eq!(e.meta().code(), Some("ValidationException"));
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn resource_not_found_exception() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let err = client
        .get_stream_group()
        .identifier("sg-000000000")
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 404);
    match err.into_service_error() {
        GetStreamGroupError::ResourceNotFoundException(e) => {
            assert!(e.message().contains("sg-000000000"), "{}", e.message());
            assert_eq!(e.meta().message(), Some(e.message()));
        }
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}

#[tokio::test]
async fn conflict_exception() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let session = start_session(&client, &group, &app, 1).await;
    let group_id = id_of(&group).to_owned();
    mock.event(&group_id, id_of(&session), "CLIENT_CONNECTED")
        .await;
    // A CONNECTED session cannot be reconnected.
    let err = client
        .create_stream_session_connection()
        .identifier(&group)
        .stream_session_identifier(&session)
        .signal_request(offer(2))
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 409);
    match err.into_service_error() {
        CreateStreamSessionConnectionError::ConflictException(e) => {
            assert!(e.message().contains("CONNECTED"), "{}", e.message());
            assert_eq!(e.meta().message(), Some(e.message()));
        }
        other => panic!("expected ConflictException, got {other:?}"),
    }
}

#[tokio::test]
async fn access_denied_exception_for_another_accounts_arn() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let foreign = "arn:aws:gameliftstreams:us-west-2:111111111111:streamgroup/sg-000000000";
    let err = client
        .get_stream_group()
        .identifier(foreign)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    match err.into_service_error() {
        GetStreamGroupError::AccessDeniedException(e) => {
            assert!(e.message().contains("111111111111"), "{}", e.message());
            assert_eq!(e.meta().message(), Some(e.message()));
        }
        other => panic!("expected AccessDeniedException, got {other:?}"),
    }
}

#[tokio::test]
async fn access_denied_exception_without_a_sigv4_authorization_header() {
    let mock = TestServer::start().await;
    let unsigned = mock.raw("GET", "/streamgroups", &[], b"").await;
    let message = unsigned.assert_error(403, "AccessDeniedException");
    assert!(message.contains("Authorization"), "{message}");
    for bad in [
        "Bearer abc",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/gameliftstreams, SignedHeaders=host, Signature=0",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=0",
    ] {
        let r = mock
            .raw("GET", "/streamgroups", &[("Authorization", bad)], b"")
            .await;
        r.assert_error(403, "AccessDeniedException");
    }
    // The control API needs no signature.
    assert_eq!(mock.raw("GET", "/_mock/health", &[], b"").await.status, 200);
}

#[tokio::test]
async fn service_quota_exceeded_exception() {
    let mock = TestServer::start().await;
    let set = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "Quotas": { "StreamGroupsPerAccount": 1 } })),
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.text());
    assert_eq!(set.json()["Quotas"]["StreamGroupsPerAccount"], 1);
    let client = mock.client();
    let (app, _group) = app_and_group(&client).await;
    let err = client
        .create_stream_group()
        .description("One too many")
        .stream_class(aws_sdk_gameliftstreams::types::StreamClass::Gen5nHigh)
        .default_application_identifier(&app)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 402);
    match err.into_service_error() {
        CreateStreamGroupError::ServiceQuotaExceededException(e) => {
            assert!(!e.message().is_empty());
            assert_eq!(e.meta().message(), Some(e.message()));
        }
        other => panic!("expected ServiceQuotaExceededException, got {other:?}"),
    }
}

#[tokio::test]
async fn malformed_json_is_a_validation_exception() {
    let mock = TestServer::start().await;
    for body in [
        &b"{\"Description\": "[..],
        b"not json",
        b"[]",
        b"{\"Description\": 5}",
    ] {
        let r = mock.api("POST", "/applications", body).await;
        let message = r.assert_error(400, "ValidationException");
        assert!(message.starts_with("Malformed request body"), "{message}");
    }
    // Unknown members are ignored: this fails on the missing members, not on `Unknown`.
    let r = mock
        .api("POST", "/applications", br#"{"Unknown": {"x": 1}}"#)
        .await;
    let message = r.assert_error(400, "ValidationException");
    assert!(message.contains("validation error"), "{message}");
    assert!(!message.contains("Unknown"), "{message}");
}

#[tokio::test]
async fn an_unknown_route_is_an_unknown_operation() {
    let mock = TestServer::start().await;
    for (method, path) in [
        ("GET", "/nothing-here"),
        ("PUT", "/applications"),
        (
            "POST",
            "/streamgroups/sg-000000000/streamsessions/ABC/nothing",
        ),
        ("GET", "/_mock/nothing"),
        ("DELETE", "/_mock/clock"),
    ] {
        let r = mock.api(method, path, b"").await;
        let message = r.assert_error(404, "UnknownOperationException");
        assert!(message.contains(path), "{message}");
    }
}

#[tokio::test]
async fn bad_query_members_are_validation_exceptions() {
    let mock = TestServer::start().await;
    let r = mock
        .api("GET", "/streamsessions?MaxResults=many", b"")
        .await;
    let message = r.assert_error(400, "ValidationException");
    assert!(message.contains("'maxResults'"), "{message}");
    let r = mock
        .api("GET", "/streamsessions?Status=SLEEPING", b"")
        .await;
    let message = r.assert_error(400, "ValidationException");
    assert!(message.contains("'status'"), "{message}");
    let r = mock.api("GET", "/applications?MaxResults=0", b"").await;
    r.assert_error(400, "ValidationException");
}
