//! Callers: the access key ID picks the account, and accounts never see each other's
//! resources.

use crate::common::*;
use aws_sdk_gameliftstreams::error::ProvideErrorMetadata;
use gameliftstreams_lifecycle::AccountId;
use gameliftstreams_mock::AccountMap;
use serde_json::json;

#[tokio::test]
async fn two_accounts_are_isolated() {
    let mock = TestServer::start().await;
    let alice = mock.client_for("111111111111");
    let bob = mock.client_for("222222222222");
    let (alice_app, alice_group) = app_and_group(&alice).await;
    let (bob_app, _bob_group) = app_and_group(&bob).await;
    assert!(
        alice_app.contains(":111111111111:application/"),
        "{alice_app}"
    );
    assert!(bob_app.contains(":222222222222:application/"), "{bob_app}");
    let alice_session = start_session(&alice, &alice_group, &alice_app, 1).await;

    // Each lists only its own.
    let listed = bob.list_applications().send().await.unwrap();
    assert_eq!(listed.items().len(), 1);
    assert_eq!(listed.items()[0].arn(), bob_app);
    let sessions = bob.list_stream_sessions_by_account().send().await.unwrap();
    assert!(sessions.items().is_empty());

    // Alice's resources by ID are not found for Bob; by ARN they are not his to see.
    let err = bob
        .get_application()
        .identifier(id_of(&alice_app))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    let err = bob
        .get_application()
        .identifier(&alice_app)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    let err = bob
        .terminate_stream_session()
        .identifier(&alice_group)
        .stream_session_identifier(&alice_session)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_access_denied_exception(), "{err:?}");
    assert!(err.message().is_some_and(|m| m.contains("222222222222")));

    // Control events act for the account they name (the default one otherwise).
    let path = format!(
        "/_mock/streamgroups/{}/streamsessions/{}/events",
        id_of(&alice_group),
        id_of(&alice_session)
    );
    let as_default = mock
        .control("POST", &path, Some(json!({ "Type": "CLIENT_CONNECTED" })))
        .await;
    as_default.assert_error(404, "ResourceNotFoundException");
    let as_alice = mock
        .control(
            "POST",
            &path,
            Some(json!({ "Type": "CLIENT_CONNECTED", "AccountId": "111111111111" })),
        )
        .await;
    assert_eq!(as_alice.status, 200, "{}", as_alice.text());
    assert_eq!(as_alice.json()["Status"], "CONNECTED");
    let bad_account = mock
        .control(
            "POST",
            &path,
            Some(json!({ "Type": "USER_INPUT", "AccountId": "12" })),
        )
        .await;
    bad_account.assert_error(400, "ValidationException");
}

#[tokio::test]
async fn mapped_and_unmapped_access_keys() {
    let mut accounts = AccountMap::new();
    accounts.insert("AKIDALICE", "111111111111".parse::<AccountId>().unwrap());
    let mock = TestServer::start_with(gameliftstreams_mock::ServerConfig {
        accounts,
        ..test_config()
    })
    .await;
    let mapped = mock.client_for("AKIDALICE");
    let app = ready_application(&mapped).await;
    assert!(app.contains(":111111111111:"), "{app}");
    // The same account under its own 12-digit key sees it.
    let direct = mock.client_for("111111111111");
    assert_eq!(
        direct
            .list_applications()
            .send()
            .await
            .unwrap()
            .items()
            .len(),
        1
    );
    // Any other key acts for 123456789012.
    let other = mock.client_for("AKIDSOMEONE");
    let app = ready_application(&other).await;
    assert!(app.contains(":123456789012:"), "{app}");
}
