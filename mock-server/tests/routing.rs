//! The HTTP binding: every operation is routed as the model binds it, with the model's
//! success status, and labels arrive percent-decoded.

use crate::common::*;
use gameliftstreams_lifecycle::api::Operation;
use serde_json::json;

/// The operation's URI with its labels filled in.
fn path_of(op: Operation) -> String {
    op.uri()
        .replace("{Identifier}", "sg-000000000")
        .replace("{StreamSessionIdentifier}", "ABCDEFGHIJKLM")
}

#[tokio::test]
async fn every_operation_is_routed_and_nothing_else() {
    let mock = TestServer::start().await;
    for &op in Operation::ALL {
        let r = mock.api(op.method(), &path_of(op), b"{}").await;
        assert_ne!(
            r.header("x-amzn-ErrorType"),
            Some("UnknownOperationException"),
            "{} {} is not routed",
            op.method(),
            path_of(op)
        );
        assert!(r.status < 500, "{}: {}", op.name(), r.text());
        // Every other method on the same path is not an operation.
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let bound = Operation::ALL
                .iter()
                .any(|o| o.method() == method && o.uri() == op.uri());
            if !bound {
                let r = mock.api(method, &path_of(op), b"").await;
                r.assert_error(404, "UnknownOperationException");
            }
        }
    }
}

#[tokio::test]
async fn success_statuses_are_the_models() {
    let mock = TestServer::start().await;
    let create_app = mock
        .api(
            "POST",
            "/applications",
            json!({
                "Description": "game",
                "RuntimeEnvironment": { "Type": "PROTON", "Version": "20241007" },
                "ExecutablePath": "bin/game.exe",
                "ApplicationSourceUri": "s3://bucket/game"
            })
            .to_string()
            .as_bytes(),
        )
        .await;
    assert_eq!(
        create_app.status,
        Operation::CreateApplication.success_status()
    );
    assert_eq!(create_app.status, 201);
    assert_eq!(create_app.header("content-type"), Some("application/json"));
    assert!(create_app.header("x-amzn-RequestId").is_some());
    let app = create_app.json()["Arn"].as_str().unwrap().to_owned();

    let create_group = mock
        .api(
            "POST",
            "/streamgroups",
            json!({
                "Description": "group",
                "StreamClass": "gen5n_high",
                "DefaultApplicationIdentifier": app,
                "LocationConfigurations": [
                    { "LocationName": "us-west-2", "MaximumCapacity": 2 },
                    { "LocationName": "us-east-1", "MaximumCapacity": 2 }
                ]
            })
            .to_string()
            .as_bytes(),
        )
        .await;
    assert_eq!(create_group.status, 201, "{}", create_group.text());
    let group_id = create_group.json()["Id"].as_str().unwrap().to_owned();

    // Labels are percent-decoded: an ARN with its ':' and '/' escaped names the group.
    let group_arn = create_group.json()["Arn"].as_str().unwrap().to_owned();
    let escaped = group_arn.replace(':', "%3A").replace('/', "%2F");
    let got = mock
        .api("GET", &format!("/streamgroups/{escaped}"), b"")
        .await;
    assert_eq!(got.status, 200, "{}", got.text());
    assert_eq!(got.json()["Arn"], group_arn.as_str());

    let start = mock
        .api(
            "POST",
            &format!("/streamgroups/{group_id}/streamsessions"),
            json!({
                "Protocol": "WebRTC",
                "SignalRequest": offer(1),
                "ApplicationIdentifier": app
            })
            .to_string()
            .as_bytes(),
        )
        .await;
    assert_eq!(start.status, 201, "{}", start.text());
    let session_id = start.json()["Arn"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();

    for (method, path, status) in [
        (
            "GET",
            format!("/streamgroups/{group_id}/streamsessions/{session_id}"),
            200,
        ),
        (
            "GET",
            format!("/streamgroups/{group_id}/streamsessions?MaxResults=1"),
            200,
        ),
        (
            "DELETE",
            format!("/streamgroups/{group_id}/streamsessions/{session_id}"),
            204,
        ),
        (
            "DELETE",
            format!("/streamgroups/{group_id}/locations?locations=us-east-1"),
            204,
        ),
        ("DELETE", format!("/streamgroups/{group_id}"), 204),
        ("DELETE", format!("/applications/{}", id_of(&app)), 204),
    ] {
        let r = mock.api(method, &path, b"").await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text());
        if status == 204 {
            assert!(r.body.is_empty(), "{method} {path} has a body");
        }
    }
}
