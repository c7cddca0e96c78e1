//! CreateStreamUrl, GetStreamUrl, ListStreamUrls and RevokeStreamUrl through the real SDK, and
//! the use of a URL through `POST /_mock/streamurls/{StreamUrlId}/stream?token=…` (what AWS's
//! hosted player does): its uses, its expiry on the manual clock, its revocation (with its
//! sessions, or with its stream group), and a token that never reaches the binary's log.

use std::fs::File;
use std::io::Read;
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::common::*;
use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::operation::create_stream_session_connection::CreateStreamSessionConnectionError;
use aws_sdk_gameliftstreams::operation::create_stream_url::CreateStreamUrlError;
use aws_sdk_gameliftstreams::operation::create_stream_url::builders::CreateStreamUrlFluentBuilder;
use aws_sdk_gameliftstreams::operation::get_stream_url::GetStreamUrlError;
use aws_sdk_gameliftstreams::operation::list_stream_urls::ListStreamUrlsError;
use aws_sdk_gameliftstreams::operation::revoke_stream_url::RevokeStreamUrlError;
use aws_sdk_gameliftstreams::types::{
    Protocol, RevocationMode, StreamSessionStatus, StreamUrlStatus, StreamUrlStatusReason,
};
use serde_json::json;

/// A CreateStreamUrl request with every required member: WebRTC, 60 minutes, `us-west-2`.
fn new_url(client: &Client, group: &str, app: &str) -> CreateStreamUrlFluentBuilder {
    client
        .create_stream_url()
        .identifier(group)
        .application_identifier(app)
        .protocol(Protocol::Webrtc)
        .url_expires_after_minutes(60)
        .locations("us-west-2")
}

/// The path and query of a stream URL of this server: what the player requests.
fn path_of(mock: &TestServer, url: &str) -> String {
    url.strip_prefix(&mock.url())
        .unwrap_or_else(|| panic!("{url} does not point at {}", mock.url()))
        .to_owned()
}

/// Opens a stream URL as the player does, with an offer.
async fn open(mock: &TestServer, url: &str, n: u32) -> RawResponse {
    mock.control(
        "POST",
        &path_of(mock, url),
        Some(json!({ "SignalRequest": offer(n) })),
    )
    .await
}

/// The token of a stream URL (its `token` query parameter).
fn token_of(url: &str) -> &str {
    url.split_once("?token=")
        .map(|(_, t)| t)
        .unwrap_or_else(|| panic!("{url} has no token"))
}

/// An ARN of the default account's with another account's number in it.
fn other_accounts(arn: &str) -> String {
    arn.replace("123456789012", OTHER)
}

#[tokio::test]
async fn create_and_get_stream_url_through_the_sdk() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let group_id = id_of(&group).to_owned();

    let created = new_url(&client, &group_id, id_of(&app))
        .url_expires_after_minutes(90)
        .usage_limit(3)
        .description("For the beta testers")
        .session_length_seconds(3600)
        .additional_launch_args("--beta")
        .additional_environment_variables("MODE", "beta")
        .send()
        .await
        .expect("CreateStreamUrl");
    let id = created.stream_url_id().expect("a StreamUrlId").to_owned();
    assert!(
        id.len() == 12 && id.starts_with("su-"),
        "an su- ID of 9 characters: {id}"
    );
    assert_eq!(
        created.arn(),
        format!("arn:aws:gameliftstreams:us-west-2:123456789012:streamurl/{group_id}/{id}")
    );
    let url = created.stream_url().expect("a StreamUrl").to_owned();
    let prefix = format!("{}/_mock/streamurls/{id}/stream?token=", mock.url());
    assert!(url.starts_with(&prefix), "{url} starts with {prefix}");
    let token = token_of(&url);
    assert!(
        token.len() == 32 && token.bytes().all(|b| b.is_ascii_alphanumeric()),
        "a 32-character token: {token}"
    );
    assert_eq!(created.status(), Some(&StreamUrlStatus::Active));
    assert_eq!(created.status_reason(), None);
    assert_eq!(created.created_at().map(|t| t.secs()), Some(T0));
    assert_eq!(created.expires_at().map(|t| t.secs()), Some(T0 + 90 * 60));
    assert_eq!(created.usage_limit(), Some(3));
    assert_eq!(created.remaining_uses(), Some(3));
    assert_eq!(created.stream_group_arn(), Some(group.as_str()));
    assert_eq!(created.application_arn(), Some(app.as_str()));
    assert_eq!(created.protocol(), Some(&Protocol::Webrtc));
    assert_eq!(created.locations(), ["us-west-2"]);
    assert_eq!(created.session_length_seconds(), Some(3600));
    assert_eq!(created.description(), Some("For the beta testers"));
    assert_eq!(created.additional_launch_args(), ["--beta"]);

    // GetStreamUrl, by IDs and by ARNs, answers the same, and the (no) sessions it started.
    mock.advance(10).await;
    for (g, u) in [(group_id.as_str(), id.as_str()), (&group, created.arn())] {
        let got = client
            .get_stream_url()
            .identifier(g)
            .stream_url_identifier(u)
            .send()
            .await
            .expect("GetStreamUrl");
        assert_eq!(got.arn(), created.arn());
        assert_eq!(got.stream_url_id(), Some(id.as_str()));
        assert_eq!(got.stream_url(), Some(url.as_str()));
        assert_eq!(got.status(), Some(&StreamUrlStatus::Active));
        assert_eq!(got.status_reason(), None);
        assert_eq!(got.created_at().map(|t| t.secs()), Some(T0));
        assert_eq!(got.expires_at().map(|t| t.secs()), Some(T0 + 90 * 60));
        assert_eq!(got.usage_limit(), Some(3));
        assert_eq!(got.remaining_uses(), Some(3));
        assert_eq!(got.stream_group_arn(), Some(group.as_str()));
        assert_eq!(got.application_arn(), Some(app.as_str()));
        assert_eq!(got.protocol(), Some(&Protocol::Webrtc));
        assert_eq!(got.locations(), ["us-west-2"]);
        assert_eq!(got.session_length_seconds(), Some(3600));
        assert_eq!(got.description(), Some("For the beta testers"));
        assert_eq!(got.additional_launch_args(), ["--beta"]);
        assert_eq!(
            got.additional_environment_variables()
                .and_then(|v| v.get("MODE"))
                .map(String::as_str),
            Some("beta")
        );
        assert!(
            got.stream_sessions().is_empty(),
            "{:?}",
            got.stream_sessions()
        );
    }

    // The defaults: one use, sessions of 12 hours.
    let plain = new_url(&client, &group, &app).send().await.unwrap();
    assert_eq!(plain.usage_limit(), Some(1));
    assert_eq!(plain.remaining_uses(), Some(1));
    assert_eq!(plain.session_length_seconds(), Some(43_200));
    assert_eq!(plain.created_at().map(|t| t.secs()), Some(T0 + 10));
    assert_ne!(plain.stream_url_id(), Some(id.as_str()));
    assert_ne!(token_of(plain.stream_url().unwrap()), token);

    // A ClientToken replays the first answer: the same URL, not a second one.
    let client_token = "00000000-0000-4000-8000-00000000beef";
    let first = new_url(&client, &group, &app)
        .client_token(client_token)
        .send()
        .await
        .unwrap();
    let again = new_url(&client, &group, &app)
        .client_token(client_token)
        .send()
        .await
        .unwrap();
    assert_eq!(again.arn(), first.arn());
    assert_eq!(again.stream_url(), first.stream_url());
    let all = client.list_stream_urls().send().await.unwrap();
    assert_eq!(all.items().len(), 3, "{:?}", all.items());
}

#[tokio::test]
async fn create_stream_url_errors() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;

    // Unknown group or application.
    let err = new_url(&client, "sg-000000000", &app)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 404);
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::ResourceNotFoundException(_)
        ),
        "an unknown group"
    );
    let err = new_url(&client, &group, "a-000000000")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::ResourceNotFoundException(_)
        ),
        "an unknown application"
    );

    // Another account's ARNs: theirs, not the caller's.
    let other = mock.client_for(OTHER);
    let err = new_url(&other, &group, &app).send().await.unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::AccessDeniedException(_)
        ),
        "another account's group"
    );
    let err = new_url(&client, &group, &other_accounts(&app))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::AccessDeniedException(_)
        ),
        "another account's application"
    );

    // Bad input.
    let invalid: Vec<(&str, CreateStreamUrlFluentBuilder)> = vec![
        (
            "0 minutes",
            new_url(&client, &group, &app).url_expires_after_minutes(0),
        ),
        (
            "UsageLimit 0",
            new_url(&client, &group, &app).usage_limit(0),
        ),
        (
            "no Locations",
            client
                .create_stream_url()
                .identifier(&group)
                .application_identifier(&app)
                .protocol(Protocol::Webrtc)
                .url_expires_after_minutes(60),
        ),
        (
            "no UrlExpiresAfterMinutes",
            client
                .create_stream_url()
                .identifier(&group)
                .application_identifier(&app)
                .protocol(Protocol::Webrtc)
                .locations("us-west-2"),
        ),
        (
            "a location the group does not have",
            new_url(&client, &group, &app).locations("eu-central-1"),
        ),
        (
            "an application ARN for the group",
            new_url(&client, &app, &app),
        ),
        (
            "SessionLengthSeconds 0",
            new_url(&client, &group, &app).session_length_seconds(0),
        ),
    ];
    for (what, request) in invalid {
        let err = request.send().await.expect_err(what);
        assert_eq!(status(&err), 400, "{what}");
        match err.into_service_error() {
            CreateStreamUrlError::ValidationException(e) => {
                assert!(!e.message().is_empty(), "{what}")
            }
            other => panic!("{what}: expected ValidationException, got {other:?}"),
        }
    }
    // An application the group does not stream.
    let lone = ready_application(&client).await;
    let err = new_url(&client, &group, &lone).send().await.unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::ValidationException(_)
        ),
        "an application that is not associated"
    );

    // The quotas: 10080 minutes, 1000 uses.
    let err = new_url(&client, &group, &app)
        .url_expires_after_minutes(10_081)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 402);
    match err.into_service_error() {
        CreateStreamUrlError::ServiceQuotaExceededException(e) => {
            assert!(e.message().contains("10081"), "{}", e.message())
        }
        other => panic!("expected ServiceQuotaExceededException, got {other:?}"),
    }
    let err = new_url(&client, &group, &app)
        .usage_limit(1001)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            CreateStreamUrlError::ServiceQuotaExceededException(_)
        ),
        "UsageLimit 1001"
    );
    let at_the_quotas = new_url(&client, &group, &app)
        .url_expires_after_minutes(10_080)
        .usage_limit(1000)
        .send()
        .await
        .expect("the quotas themselves are allowed");
    assert_eq!(
        at_the_quotas.expires_at().map(|t| t.secs()),
        Some(T0 + 10_080 * 60)
    );
    // Nothing refused was created.
    let all = client.list_stream_urls().send().await.unwrap();
    assert_eq!(all.items().len(), 1, "{:?}", all.items());
}

#[tokio::test]
async fn create_stream_url_conflicts_with_a_group_not_active_or_an_application_not_ready() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;

    // A stream group that is still ACTIVATING.
    let r = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "Delays": { "StreamGroupActivation": 60 } })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let activating = stream_group(&client, &app).await;
    let err = new_url(&client, &activating, &app)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 409);
    match err.into_service_error() {
        CreateStreamUrlError::ConflictException(e) => {
            assert!(e.message().contains("ACTIVATING"), "{}", e.message())
        }
        other => panic!("expected ConflictException, got {other:?}"),
    }
    mock.advance(60).await;
    new_url(&client, &activating, &app)
        .send()
        .await
        .expect("the group is ACTIVE now");

    // An application in ERROR (only an infrastructure fault gets it there: the snapshot
    // stands in for one).
    let mut snapshot = mock.control("GET", "/_mock/snapshot", None).await.json();
    let apps = snapshot["applications"]
        .as_array_mut()
        .expect("applications");
    let record = apps
        .iter_mut()
        .find(|a| a["id"] == id_of(&app))
        .expect("the application's record");
    record["status"] = json!("ERROR");
    record["status_reason"] = json!("internalError");
    let put = mock.control("PUT", "/_mock/snapshot", Some(snapshot)).await;
    assert!(put.status < 300, "{} {}", put.status, put.text());
    let err = new_url(&client, &group, &app).send().await.unwrap_err();
    assert_eq!(status(&err), 409);
    match err.into_service_error() {
        CreateStreamUrlError::ConflictException(e) => {
            assert!(e.message().contains("ERROR"), "{}", e.message())
        }
        other => panic!("expected ConflictException, got {other:?}"),
    }
}

#[tokio::test]
async fn get_and_revoke_stream_url_errors() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let other_group = stream_group(&client, &app).await;
    let url = new_url(&client, &group, &app).send().await.unwrap();
    let arn = url.arn().to_owned();

    // Unknown, or not of the named group.
    for (g, u) in [
        (group.as_str(), "su-000000000"),
        (other_group.as_str(), url.stream_url_id().unwrap()),
        (other_group.as_str(), arn.as_str()),
    ] {
        let err = client
            .get_stream_url()
            .identifier(g)
            .stream_url_identifier(u)
            .send()
            .await
            .expect_err(u);
        assert_eq!(status(&err), 404, "{g} {u}");
        assert!(
            matches!(
                err.into_service_error(),
                GetStreamUrlError::ResourceNotFoundException(_)
            ),
            "{g} {u}"
        );
        let err = client
            .revoke_stream_url()
            .identifier(g)
            .stream_url_identifier(u)
            .send()
            .await
            .expect_err(u);
        assert!(
            matches!(
                err.into_service_error(),
                RevokeStreamUrlError::ResourceNotFoundException(_)
            ),
            "{g} {u}"
        );
    }

    // Another account.
    let other = mock.client_for(OTHER);
    let err = other
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(&arn)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(matches!(
        err.into_service_error(),
        GetStreamUrlError::AccessDeniedException(_)
    ));
    let err = other
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(&arn)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        err.into_service_error(),
        RevokeStreamUrlError::AccessDeniedException(_)
    ));

    // Not a stream URL's identifier.
    for bad in [group.as_str(), "not an id!"] {
        let err = client
            .get_stream_url()
            .identifier(&group)
            .stream_url_identifier(bad)
            .send()
            .await
            .expect_err(bad);
        assert_eq!(status(&err), 400, "{bad}");
        assert!(
            matches!(
                err.into_service_error(),
                GetStreamUrlError::ValidationException(_)
            ),
            "{bad}"
        );
        let err = client
            .revoke_stream_url()
            .identifier(&group)
            .stream_url_identifier(bad)
            .send()
            .await
            .expect_err(bad);
        assert!(
            matches!(
                err.into_service_error(),
                RevokeStreamUrlError::ValidationException(_)
            ),
            "{bad}"
        );
    }

    // None of it revoked the URL.
    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(&arn)
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Active));
}

#[tokio::test]
async fn list_stream_urls_paginates_and_filters() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let second = stream_group(&client, &app).await;
    let mut created = Vec::new();
    for g in [&group, &second, &group, &second, &group] {
        let url = new_url(&client, g, &app).send().await.unwrap();
        created.push(url.arn().to_owned());
        mock.advance(1).await;
    }
    // The third one (in `group`) is revoked.
    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(&created[2])
        .send()
        .await
        .expect("RevokeStreamUrl");

    let pages = client
        .list_stream_urls()
        .max_results(2)
        .into_paginator()
        .send()
        .collect::<Result<Vec<_>, _>>()
        .await
        .expect("every page");
    assert_eq!(
        pages.iter().map(|p| p.items().len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[0].next_token().is_some());
    assert!(pages.last().unwrap().next_token().is_none());
    let items: Vec<_> = pages.iter().flat_map(|p| p.items()).collect();
    assert_eq!(
        items.iter().map(|s| s.arn()).collect::<Vec<_>>(),
        created,
        "creation order"
    );
    // The summaries.
    let first = items[0];
    assert_eq!(first.status(), Some(&StreamUrlStatus::Active));
    assert_eq!(first.status_reason(), None);
    assert_eq!(first.created_at().map(|t| t.secs()), Some(T0));
    assert_eq!(first.expires_at().map(|t| t.secs()), Some(T0 + 3600));
    assert_eq!(first.stream_group_arn(), Some(group.as_str()));
    assert_eq!(first.application_arn(), Some(app.as_str()));
    assert_eq!(first.usage_limit(), Some(1));
    assert_eq!(first.remaining_uses(), Some(1));
    assert_eq!(first.session_length_seconds(), Some(43_200));
    assert!(first.stream_url().is_some_and(|u| u.contains("?token=")));
    assert_eq!(items[2].status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        items[2].status_reason(),
        Some(&StreamUrlStatusReason::UserRevoked)
    );

    let listed = |status: Option<StreamUrlStatus>, g: Option<&str>| {
        client
            .list_stream_urls()
            .set_status(status)
            .set_stream_group_identifier(g.map(str::to_owned))
            .max_results(1)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
    };
    let arns = |items: Vec<aws_sdk_gameliftstreams::types::StreamUrlSummary>| {
        items
            .into_iter()
            .map(|s| s.arn().to_owned())
            .collect::<Vec<_>>()
    };
    let revoked = listed(Some(StreamUrlStatus::Revoked), None).await.unwrap();
    assert_eq!(arns(revoked), [created[2].clone()]);
    let active_in_group = listed(Some(StreamUrlStatus::Active), Some(id_of(&group)))
        .await
        .unwrap();
    assert_eq!(
        arns(active_in_group),
        [created[0].clone(), created[4].clone()]
    );
    let in_second = listed(None, Some(&second)).await.unwrap();
    assert_eq!(arns(in_second), [created[1].clone(), created[3].clone()]);
    let expired = listed(Some(StreamUrlStatus::Expired), None).await.unwrap();
    assert!(expired.is_empty(), "{expired:?}");
    // A group that does not exist lists nothing (the operation has no ResourceNotFound).
    let none = listed(None, Some("sg-000000000")).await.unwrap();
    assert!(none.is_empty(), "{none:?}");

    // Another account lists its own (none); another account's group ARN is AccessDenied.
    let other = mock.client_for(OTHER);
    let theirs = other.list_stream_urls().send().await.unwrap();
    assert!(theirs.items().is_empty(), "{:?}", theirs.items());
    let err = other
        .list_stream_urls()
        .stream_group_identifier(&group)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 403);
    assert!(matches!(
        err.into_service_error(),
        ListStreamUrlsError::AccessDeniedException(_)
    ));

    // A NextToken belongs to its listing: not to another filter, nor to another operation.
    let page = client
        .list_stream_urls()
        .status(StreamUrlStatus::Active)
        .max_results(1)
        .send()
        .await
        .unwrap();
    let token = page.next_token().expect("more pages").to_owned();
    let err = client
        .list_stream_urls()
        .status(StreamUrlStatus::Revoked)
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400);
    assert!(matches!(
        err.into_service_error(),
        ListStreamUrlsError::ValidationException(_)
    ));
    let err = client
        .list_stream_sessions_by_account()
        .next_token(&token)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400, "{err:?}");
    let next = client
        .list_stream_urls()
        .status(StreamUrlStatus::Active)
        .max_results(1)
        .next_token(&token)
        .send()
        .await
        .expect("the same listing goes on");
    assert_eq!(
        next.items().iter().map(|s| s.arn()).collect::<Vec<_>>(),
        [created[1].as_str()]
    );

    // Bad input.
    let err = client
        .list_stream_urls()
        .max_results(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400);
    assert!(matches!(
        err.into_service_error(),
        ListStreamUrlsError::ValidationException(_)
    ));
    let err = client
        .list_stream_urls()
        .stream_group_identifier(&app)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            ListStreamUrlsError::ValidationException(_)
        ),
        "an application ARN is not a group's"
    );
}

#[tokio::test]
async fn a_stream_url_starts_sessions_until_its_usage_limit() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let group_id = id_of(&group).to_owned();
    let created = new_url(&client, &group, &app)
        .usage_limit(2)
        .session_length_seconds(1800)
        .additional_launch_args("--from-url")
        .send()
        .await
        .unwrap();
    let url = created.stream_url().unwrap().to_owned();
    let get = || {
        client
            .get_stream_url()
            .identifier(&group)
            .stream_url_identifier(created.arn())
            .send()
    };

    // The test player's page is served at the URL itself.
    let page = mock.control("GET", &path_of(&mock, &url), None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("Content-Type")
            .is_some_and(|c| c.starts_with("text/html")),
        "{:?}",
        page.headers
    );

    // A wrong or missing token is AccessDenied, an unknown URL not found; none spends a use.
    let wrong = format!(
        "{}?token={}",
        url.split('?').next().unwrap(),
        "x".repeat(32)
    );
    open(&mock, &wrong, 1)
        .await
        .assert_error(403, "AccessDeniedException");
    let bare = url.split('?').next().unwrap().to_owned();
    open(&mock, &bare, 1)
        .await
        .assert_error(403, "AccessDeniedException");
    let unknown = url.replace(created.stream_url_id().unwrap(), "su-000000000");
    open(&mock, &unknown, 1)
        .await
        .assert_error(404, "ResourceNotFoundException");
    // A start that fails (an empty offer) spends no use either; nor does a malformed body.
    mock.control(
        "POST",
        &path_of(&mock, &url),
        Some(json!({ "SignalRequest": "" })),
    )
    .await
    .assert_error(400, "ValidationException");
    mock.control(
        "POST",
        &path_of(&mock, &url),
        Some(json!({ "SignalRequest": offer(1), "Protocol": "WebRTC" })),
    )
    .await
    .assert_error(400, "ValidationException");
    assert_eq!(get().await.unwrap().remaining_uses(), Some(2));
    assert!(
        client
            .list_stream_sessions()
            .identifier(&group)
            .send()
            .await
            .unwrap()
            .items()
            .is_empty(),
        "no session was started"
    );

    // The first use: 201 with the session, as StartStreamSession answers it.
    let r = open(&mock, &url, 1).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let first = r.json();
    assert_eq!(first["Status"], "ACTIVATING", "{first}");
    let first_arn = first["Arn"].as_str().expect("an Arn").to_owned();
    assert!(
        first_arn.starts_with(&format!(
            "arn:aws:gameliftstreams:us-west-2:123456789012:streamsession/{group_id}/"
        )),
        "{first_arn}"
    );
    let got = get().await.unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Active));
    assert_eq!(got.remaining_uses(), Some(1));

    // The session has the URL's frozen settings and the player's offer.
    let session = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&first_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), Some(&StreamSessionStatus::Active));
    assert_eq!(session.application_arn(), Some(app.as_str()));
    assert_eq!(session.session_length_seconds(), Some(1800));
    assert_eq!(session.additional_launch_args(), ["--from-url"]);
    assert_eq!(session.signal_request(), Some(offer(1).as_str()));
    assert_eq!(session.protocol(), Some(&Protocol::Webrtc));

    // The second, last use.
    let r = open(&mock, &url, 2).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let second_arn = r.json()["Arn"].as_str().unwrap().to_owned();
    let got = get().await.unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::LimitReached));
    assert_eq!(got.status_reason(), None);
    assert_eq!(got.remaining_uses(), Some(0));
    assert_eq!(got.usage_limit(), Some(2));
    let sessions: Vec<_> = got
        .stream_sessions()
        .iter()
        .map(|s| s.arn().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(sessions, [first_arn.clone(), second_arn]);
    assert!(
        got.stream_sessions()
            .iter()
            .all(|s| s.status() == Some(&StreamSessionStatus::Active)),
        "{:?}",
        got.stream_sessions()
    );
    let listed = client
        .list_stream_urls()
        .status(StreamUrlStatus::LimitReached)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.items().len(), 1);

    // A third use is a Conflict, and starts nothing.
    let msg = open(&mock, &url, 3)
        .await
        .assert_error(409, "ConflictException");
    assert!(msg.contains("LIMIT_REACHED"), "{msg}");
    let all = client
        .list_stream_sessions()
        .identifier(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(all.items().len(), 2);

    // A session a URL started cannot be reconnected, even when a started one could be.
    let session_id = id_of(&first_arn).to_owned();
    mock.event(&group_id, &session_id, "CLIENT_CONNECTED").await;
    let pending = mock
        .event(&group_id, &session_id, "CLIENT_DISCONNECTED")
        .await;
    assert_eq!(pending["Status"], "PENDING_CLIENT_RECONNECTION");
    let err = client
        .create_stream_session_connection()
        .identifier(&group)
        .stream_session_identifier(&first_arn)
        .signal_request(offer(4))
        .send()
        .await
        .unwrap_err();
    assert_eq!(status(&err), 400);
    match err.into_service_error() {
        CreateStreamSessionConnectionError::ValidationException(e) => {
            assert!(e.message().contains("stream URL"), "{}", e.message())
        }
        other => panic!("expected ValidationException, got {other:?}"),
    }
}

#[tokio::test]
async fn a_stream_url_expires_on_the_clock_then_is_forgotten() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let created = new_url(&client, &group, &app)
        .url_expires_after_minutes(5)
        .usage_limit(5)
        .send()
        .await
        .unwrap();
    let url = created.stream_url().unwrap().to_owned();
    assert_eq!(created.expires_at().map(|t| t.secs()), Some(T0 + 300));
    let get = || {
        client
            .get_stream_url()
            .identifier(&group)
            .stream_url_identifier(created.arn())
            .send()
    };

    mock.advance(299).await;
    assert_eq!(
        get().await.unwrap().status(),
        Some(&StreamUrlStatus::Active)
    );
    let r = open(&mock, &url, 1).await;
    assert_eq!(r.status, 201, "a second before ExpiresAt: {}", r.text());

    mock.advance(1).await;
    let got = get().await.unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Expired));
    assert_eq!(got.status_reason(), None);
    assert_eq!(got.remaining_uses(), Some(4));
    assert_eq!(got.stream_sessions().len(), 1);
    let msg = open(&mock, &url, 2)
        .await
        .assert_error(409, "ConflictException");
    assert!(msg.contains("EXPIRED"), "{msg}");
    let expired = client
        .list_stream_urls()
        .status(StreamUrlStatus::Expired)
        .send()
        .await
        .unwrap();
    assert_eq!(
        expired.items().iter().map(|s| s.arn()).collect::<Vec<_>>(),
        [created.arn()]
    );
    // Expiry does not end the sessions it started.
    let session = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(got.stream_sessions()[0].arn().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(session.status(), Some(&StreamSessionStatus::Active));

    // Kept for the retention (24 h), then forgotten.
    mock.advance(86_399).await;
    assert_eq!(
        get().await.unwrap().status(),
        Some(&StreamUrlStatus::Expired)
    );
    mock.advance(1).await;
    let err = get().await.unwrap_err();
    assert!(
        matches!(
            err.into_service_error(),
            GetStreamUrlError::ResourceNotFoundException(_)
        ),
        "forgotten after the retention"
    );
    open(&mock, &url, 3)
        .await
        .assert_error(404, "ResourceNotFoundException");
}

#[tokio::test]
async fn revoke_and_terminate_sessions_ends_what_the_url_started() {
    let mock = TestServer::start().await;
    let client = mock.client();
    // Termination takes 10 s, to see the URL wait for its sessions.
    let r = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "TerminationDelay": 10 })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let (app, group) = app_and_group(&client).await;
    let created = new_url(&client, &group, &app)
        .usage_limit(3)
        .send()
        .await
        .unwrap();
    let url = created.stream_url().unwrap().to_owned();
    let mut sessions = Vec::new();
    for n in 1..=2 {
        let r = open(&mock, &url, n).await;
        assert_eq!(r.status, 201, "{}", r.text());
        sessions.push(r.json()["Arn"].as_str().unwrap().to_owned());
    }
    // A session of the group that no URL started.
    let own = start_session(&client, &group, &app, 9).await;
    let session_status = |arn: String| {
        let client = client.clone();
        let group = group.clone();
        async move {
            client
                .get_stream_session()
                .identifier(group)
                .stream_session_identifier(arn)
                .send()
                .await
                .unwrap()
                .status()
                .cloned()
        }
    };
    for s in &sessions {
        assert_eq!(
            session_status(s.clone()).await,
            Some(StreamSessionStatus::Active)
        );
    }
    let get = || {
        client
            .get_stream_url()
            .identifier(&group)
            .stream_url_identifier(created.arn())
            .send()
    };

    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .revocation_mode(RevocationMode::RevokeAndTerminateSessions)
        .send()
        .await
        .expect("RevokeStreamUrl");
    let got = get().await.unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::RevokedAndTerminatingSessions)
    );
    for s in &sessions {
        assert_eq!(
            session_status(s.clone()).await,
            Some(StreamSessionStatus::Terminating)
        );
    }
    assert_eq!(
        session_status(own.clone()).await,
        Some(StreamSessionStatus::Active),
        "not the URL's"
    );
    open(&mock, &url, 3)
        .await
        .assert_error(409, "ConflictException");

    mock.advance(10).await;
    let got = get().await.unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::RevokedAndSessionsTerminated)
    );
    assert!(
        got.stream_sessions()
            .iter()
            .all(|s| s.status() == Some(&StreamSessionStatus::Terminated)),
        "{:?}",
        got.stream_sessions()
    );
    for s in &sessions {
        assert_eq!(
            session_status(s.clone()).await,
            Some(StreamSessionStatus::Terminated)
        );
    }
    assert_eq!(session_status(own).await, Some(StreamSessionStatus::Active));
    // The event log has the URL's every change.
    let events = mock.control("GET", "/_mock/events", None).await.json();
    let changes: Vec<_> = events
        .as_array()
        .expect("an array")
        .iter()
        .filter(|e| e["Arn"] == created.arn())
        .map(|e| {
            (
                e["Change"]["From"].clone(),
                e["Change"]["To"].clone(),
                e["Change"]["Reason"].clone(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (json!(null), json!("ACTIVE"), json!(null)),
            (
                json!("ACTIVE"),
                json!("REVOKED"),
                json!("revokedAndTerminatingSessions")
            ),
            (
                json!("REVOKED"),
                json!("REVOKED"),
                json!("revokedAndSessionsTerminated")
            ),
        ],
        "{events}"
    );

    // The reason stays when it is revoked again.
    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .revocation_mode(RevocationMode::RevokeUrl)
        .send()
        .await
        .expect("revoked again");
    assert_eq!(
        get().await.unwrap().status_reason(),
        Some(&StreamUrlStatusReason::RevokedAndSessionsTerminated)
    );
}

#[tokio::test]
async fn revoke_url_keeps_the_sessions_running() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let created = new_url(&client, &group, &app).send().await.unwrap();
    let r = open(&mock, created.stream_url().unwrap(), 1).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let session = r.json()["Arn"].as_str().unwrap().to_owned();

    // No mode: REVOKE_URL.
    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.stream_url_id().unwrap())
        .send()
        .await
        .expect("RevokeStreamUrl");
    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::UserRevoked)
    );
    let s = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(s.status(), Some(&StreamSessionStatus::Active));
}

#[tokio::test]
async fn deleting_the_stream_group_revokes_its_urls() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let kept = stream_group(&client, &app).await;
    let created = new_url(&client, &group, &app)
        .usage_limit(2)
        .send()
        .await
        .unwrap();
    let elsewhere = new_url(&client, &kept, &app).send().await.unwrap();
    let r = open(&mock, created.stream_url().unwrap(), 1).await;
    assert_eq!(r.status, 201, "{}", r.text());

    client
        .delete_stream_group()
        .identifier(&group)
        .send()
        .await
        .expect("DeleteStreamGroup");
    mock.advance(1).await;
    let gone = client
        .get_stream_group()
        .identifier(&group)
        .send()
        .await
        .unwrap_err();
    assert!(
        gone.as_service_error()
            .is_some_and(|e| e.is_resource_not_found_exception())
    );

    // The URL outlives its group, REVOKED.
    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .expect("the URL outlives its group");
    assert_eq!(got.status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::StreamGroupDeleted)
    );
    assert_eq!(got.remaining_uses(), Some(1));
    open(&mock, created.stream_url().unwrap(), 2)
        .await
        .assert_error(409, "ConflictException");
    let listed = client
        .list_stream_urls()
        .status(StreamUrlStatus::Revoked)
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.items().iter().map(|s| s.arn()).collect::<Vec<_>>(),
        [created.arn()]
    );
    let of_deleted = client
        .list_stream_urls()
        .stream_group_identifier(&group)
        .send()
        .await
        .unwrap();
    assert_eq!(
        of_deleted
            .items()
            .iter()
            .map(|s| s.arn())
            .collect::<Vec<_>>(),
        [created.arn()],
        "the deleted group's URLs are still listed by its ARN"
    );
    // Another group's URL is untouched.
    let other = client
        .get_stream_url()
        .identifier(&kept)
        .stream_url_identifier(elsewhere.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), Some(&StreamUrlStatus::Active));
}

#[tokio::test]
async fn deleting_the_application_revokes_its_urls() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let second = ready_application(&client).await;
    client
        .associate_applications()
        .identifier(&group)
        .application_identifiers(&second)
        .send()
        .await
        .expect("AssociateApplications");
    let created = new_url(&client, &group, &second).send().await.unwrap();
    let of_first = new_url(&client, &group, &app).send().await.unwrap();
    client
        .disassociate_applications()
        .identifier(&group)
        .application_identifiers(&second)
        .send()
        .await
        .expect("DisassociateApplications");
    client
        .delete_application()
        .identifier(&second)
        .send()
        .await
        .expect("DeleteApplication");

    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), Some(&StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::ApplicationDeleted)
    );
    let untouched = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(of_first.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(untouched.status(), Some(&StreamUrlStatus::Active));
}

#[tokio::test]
async fn revoke_and_terminate_sessions_fails_an_activating_session_and_needs_none() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    // A URL that started nothing: its sessions are all terminated at once.
    let unused = new_url(&client, &group, &app).send().await.unwrap();
    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(unused.arn())
        .revocation_mode(RevocationMode::RevokeAndTerminateSessions)
        .send()
        .await
        .unwrap();
    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(unused.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::RevokedAndSessionsTerminated)
    );

    // An ACTIVATING session (placement takes 30 s) cannot be terminated: it ends in ERROR.
    let r = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({ "Delays": { "Placement": 30 } })),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let created = new_url(&client, &group, &app).send().await.unwrap();
    let r = open(&mock, created.stream_url().unwrap(), 1).await;
    assert_eq!(r.status, 201, "{}", r.text());
    let session = r.json()["Arn"].as_str().unwrap().to_owned();
    client
        .revoke_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .revocation_mode(RevocationMode::RevokeAndTerminateSessions)
        .send()
        .await
        .unwrap();
    let s = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(s.status(), Some(&StreamSessionStatus::Error));
    assert_eq!(
        s.status_reason(),
        Some(&aws_sdk_gameliftstreams::types::StreamSessionStatusReason::InternalError)
    );
    let got = client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.status_reason(),
        Some(&StreamUrlStatusReason::RevokedAndSessionsTerminated)
    );
}

#[tokio::test]
async fn stream_urls_point_at_the_server_that_serves_them() {
    let first = TestServer::start().await;
    let client = first.client();
    let (app, group) = app_and_group(&client).await;
    let created = new_url(&client, &group, &app)
        .usage_limit(3)
        .send()
        .await
        .unwrap();

    // Another server, given the first one's state, answers URLs of its own address.
    let second = TestServer::start().await;
    assert_ne!(first.url(), second.url());
    let snapshot = first.control("GET", "/_mock/snapshot", None).await.json();
    let put = second
        .control("PUT", "/_mock/snapshot", Some(snapshot))
        .await;
    assert!(put.status < 300, "{} {}", put.status, put.text());
    let got = second
        .client()
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .expect("the URL came with the snapshot");
    let moved = got.stream_url().unwrap().to_owned();
    assert!(
        moved.starts_with(&format!("{}/_mock/streamurls/", second.url())),
        "{moved}"
    );
    assert_eq!(token_of(&moved), token_of(created.stream_url().unwrap()));
    let r = open(&second, &moved, 1).await;
    assert_eq!(r.status, 201, "{}", r.text());

    // A reset keeps the address too.
    let r = second.control("POST", "/_mock/reset", None).await;
    assert_eq!(r.status, 204, "{}", r.text());
    let client = second.client();
    let (app, group) = app_and_group(&client).await;
    let fresh = new_url(&client, &group, &app).send().await.unwrap();
    assert!(
        fresh
            .stream_url()
            .unwrap()
            .starts_with(&format!("{}/_mock/streamurls/", second.url())),
        "{:?}",
        fresh.stream_url()
    );
    // So does a configuration change.
    let r = second
        .control("PUT", "/_mock/config", Some(json!({ "IdleTimeout": 60 })))
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let config = second.control("GET", "/_mock/config", None).await.json();
    assert_eq!(
        config["StreamUrlBase"],
        format!("{}/_mock/streamurls", second.url())
    );
}

/// The binary, killed if the test fails before it exits.
struct Binary(Child);

impl Drop for Binary {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("stream-urls-{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

fn read(path: &PathBuf) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(path) {
        let _ = f.read_to_string(&mut text);
    }
    text
}

#[tokio::test]
async fn the_stream_url_token_never_reaches_the_log() {
    let stdout = scratch("stdout.log");
    let stderr = scratch("stderr.log");
    let child = Command::new(env!("CARGO_BIN_EXE_gameliftstreams-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--clock",
            "manual",
            "--log-level",
            "trace",
        ])
        .stdout(File::create(&stdout).unwrap())
        .stderr(File::create(&stderr).unwrap())
        .spawn()
        .expect("the binary starts");
    let mut child = Binary(child);
    // Both streams go to files, so the first stdout line is read from its file.
    let started = Instant::now();
    let url = loop {
        let text = read(&stdout);
        if let Some(line) = text.lines().next().filter(|_| text.contains('\n')) {
            break line
                .strip_prefix("listening on ")
                .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
                .to_owned();
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no listening line within 15 s: {}",
            read(&stderr)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let address = url.strip_prefix("http://").unwrap().to_owned();

    let client = sdk_client(&url, ACCESS_KEY);
    let (app, group) = app_and_group(&client).await;
    let created = new_url(&client, &group, &app)
        .usage_limit(2)
        .send()
        .await
        .expect("CreateStreamUrl");
    let stream_url = created.stream_url().unwrap().to_owned();
    let token = token_of(&stream_url).to_owned();
    let path = stream_url.strip_prefix(&url).unwrap().to_owned();
    let body = json!({ "SignalRequest": offer(1) }).to_string();
    let json_header = [("Content-Type", "application/json")];
    let page = raw_request(&address, "GET", &path, &[], b"").await;
    assert_eq!(page.status, 200);
    let opened = raw_request(&address, "POST", &path, &json_header, body.as_bytes()).await;
    assert_eq!(opened.status, 201, "{}", opened.text());
    // A wrong token must not be logged either (it is as much a guess at the credential).
    let guess = format!(
        "{}{}",
        &token[..31],
        if token.ends_with('Z') { 'Y' } else { 'Z' }
    );
    let wrong = path.replace(&token, &guess);
    let denied = raw_request(&address, "POST", &wrong, &json_header, body.as_bytes()).await;
    assert_eq!(denied.status, 403, "{}", denied.text());
    client
        .get_stream_url()
        .identifier(&group)
        .stream_url_identifier(created.arn())
        .send()
        .await
        .expect("GetStreamUrl");
    client
        .list_stream_urls()
        .send()
        .await
        .expect("ListStreamUrls");

    let pid = child.0.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    while child.0.try_wait().unwrap().is_none() {
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not exit within 15 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let log = format!("{}\n{}", read(&stdout), read(&stderr));
    let id = created.stream_url_id().unwrap();
    assert!(
        log.contains(&format!("/_mock/streamurls/{id}/stream")),
        "the opening requests are logged:\n{log}"
    );
    assert!(log.contains("status=201"), "{log}");
    assert!(log.contains("AccessDeniedException"), "{log}");
    for secret in [token.as_str(), guess.as_str()] {
        assert!(
            !log.contains(secret),
            "the token {secret} leaked into the log:\n{log}"
        );
    }
    let _ = std::fs::remove_file(&stdout);
    let _ = std::fs::remove_file(&stderr);
}
