//! The whole lifecycle through the real SDK, the reconnection flow included: application →
//! stream group → session → client connects, disconnects → CreateStreamSessionConnection →
//! connects again → terminate.

use crate::common::*;
use aws_sdk_gameliftstreams::types::{
    ApplicationStatus, Protocol, StreamGroupStatus, StreamSessionStatus, StreamSessionStatusReason,
};

#[tokio::test]
async fn full_lifecycle_with_reconnection() {
    let mock = TestServer::start().await;
    let client = mock.client();

    // CreateApplication answers INITIALIZED; the next GetApplication sees READY.
    let app = client
        .create_application()
        .description("My game")
        .runtime_environment(
            aws_sdk_gameliftstreams::types::RuntimeEnvironment::builder()
                .r#type(aws_sdk_gameliftstreams::types::RuntimeEnvironmentType::Proton)
                .version("20241007")
                .build()
                .unwrap(),
        )
        .executable_path("bin/game.exe")
        .application_source_uri("s3://my-bucket/game")
        .send()
        .await
        .expect("CreateApplication");
    assert_eq!(app.status(), Some(&ApplicationStatus::Initialized));
    assert!(
        app.arn()
            .starts_with("arn:aws:gameliftstreams:us-west-2:123456789012:application/a-"),
        "{}",
        app.arn()
    );
    let app_arn = app.arn().to_owned();
    let got = client
        .get_application()
        .identifier(&app_arn)
        .send()
        .await
        .expect("GetApplication");
    assert_eq!(got.status(), Some(&ApplicationStatus::Ready));

    // CreateStreamGroup with the application as default: ACTIVATING, then ACTIVE.
    let group = client
        .create_stream_group()
        .description("My group")
        .stream_class(aws_sdk_gameliftstreams::types::StreamClass::Gen5nHigh)
        .default_application_identifier(&app_arn)
        .send()
        .await
        .expect("CreateStreamGroup");
    assert_eq!(group.status(), Some(&StreamGroupStatus::Activating));
    let group_arn = group.arn().to_owned();
    let group_id = group.id().expect("an ID").to_owned();
    let got = client
        .get_stream_group()
        .identifier(&group_id)
        .send()
        .await
        .expect("GetStreamGroup");
    assert_eq!(got.status(), Some(&StreamGroupStatus::Active));
    assert_eq!(
        got.default_application().and_then(|a| a.arn()),
        Some(app_arn.as_str())
    );

    // StartStreamSession (201): ACTIVATING; then ACTIVE with a SignalResponse.
    let started = client
        .start_stream_session()
        .identifier(&group_arn)
        .application_identifier(&app_arn)
        .protocol(Protocol::Webrtc)
        .signal_request(offer(1))
        .connection_timeout_seconds(60)
        .send()
        .await
        .expect("StartStreamSession");
    assert_eq!(started.status(), Some(&StreamSessionStatus::Activating));
    let session_arn = started.arn().expect("an ARN").to_owned();
    assert!(
        session_arn.starts_with(&format!(
            "arn:aws:gameliftstreams:us-west-2:123456789012:streamsession/{group_id}/"
        )),
        "{session_arn}"
    );
    let session_id = id_of(&session_arn).to_owned();
    let get = || {
        client
            .get_stream_session()
            .identifier(&group_arn)
            .stream_session_identifier(&session_arn)
    };
    let active = get().send().await.expect("GetStreamSession");
    assert_eq!(active.status(), Some(&StreamSessionStatus::Active));
    assert!(
        active.signal_response().is_some_and(|s| !s.is_empty()),
        "an ACTIVE session has a SignalResponse"
    );
    assert_eq!(active.signal_request(), Some(offer(1).as_str()));
    assert_eq!(active.connection_timeout_seconds(), Some(60));
    assert!(active.location().is_some());

    // The client connects, then drops.
    let connected = mock.event(&group_id, &session_id, "CLIENT_CONNECTED").await;
    assert_eq!(connected["Status"], "CONNECTED");
    let got = get().send().await.unwrap();
    assert_eq!(got.status(), Some(&StreamSessionStatus::Connected));
    let pending = mock
        .event(&group_id, &session_id, "CLIENT_DISCONNECTED")
        .await;
    assert_eq!(pending["Status"], "PENDING_CLIENT_RECONNECTION");

    // The backend reconnects it with a new offer: RECONNECTING, then ACTIVE.
    let reconnection = client
        .create_stream_session_connection()
        .identifier(&group_id)
        .stream_session_identifier(&session_id)
        .signal_request(offer(2))
        .send()
        .await
        .expect("CreateStreamSessionConnection");
    assert!(
        reconnection
            .signal_response()
            .is_some_and(|s| !s.is_empty())
    );
    let got = get().send().await.unwrap();
    assert_eq!(got.status(), Some(&StreamSessionStatus::Active));
    let connected = mock.event(&group_id, &session_id, "CLIENT_CONNECTED").await;
    assert_eq!(connected["Status"], "CONNECTED");
    assert_eq!(
        get().send().await.unwrap().status(),
        Some(&StreamSessionStatus::Connected)
    );

    // TerminateStreamSession (204): TERMINATED with apiTerminated.
    client
        .terminate_stream_session()
        .identifier(&group_arn)
        .stream_session_identifier(&session_arn)
        .send()
        .await
        .expect("TerminateStreamSession");
    let ended = get().send().await.unwrap();
    assert_eq!(ended.status(), Some(&StreamSessionStatus::Terminated));
    assert_eq!(
        ended.status_reason(),
        Some(&StreamSessionStatusReason::ApiTerminated)
    );

    // The event log saw every step of the session, in order.
    let events = mock.control("GET", "/_mock/events", None).await.json();
    let session_steps: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["Arn"] == session_arn.as_str())
        .filter_map(|e| e["Change"]["To"].as_str())
        .collect();
    assert_eq!(
        session_steps,
        [
            "ACTIVATING",
            "ACTIVE",
            "CONNECTED",
            "PENDING_CLIENT_RECONNECTION",
            "RECONNECTING",
            "ACTIVE",
            "CONNECTED",
            "TERMINATING",
            "TERMINATED"
        ]
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn updates_lists_and_deletes_through_every_other_operation() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;

    let updated = client
        .update_application()
        .identifier(&app)
        .description("Renamed")
        .send()
        .await
        .expect("UpdateApplication");
    assert_eq!(updated.description(), Some("Renamed"));
    let updated = client
        .update_stream_group()
        .identifier(&group)
        .description("Renamed group")
        .send()
        .await
        .expect("UpdateStreamGroup");
    assert_eq!(updated.description(), Some("Renamed group"));

    // A second application, associated and disassociated.
    let other = ready_application(&client).await;
    let associated = client
        .associate_applications()
        .identifier(&group)
        .application_identifiers(&other)
        .send()
        .await
        .expect("AssociateApplications");
    assert_eq!(associated.application_arns(), std::slice::from_ref(&other));
    let disassociated = client
        .disassociate_applications()
        .identifier(&group)
        .application_identifiers(&other)
        .send()
        .await
        .expect("DisassociateApplications");
    assert_eq!(
        disassociated.application_arns(),
        std::slice::from_ref(&other)
    );

    // Locations: added, then removed through the repeated `locations` query parameter.
    let added = client
        .add_stream_group_locations()
        .identifier(&group)
        .location_configurations(
            aws_sdk_gameliftstreams::types::LocationConfiguration::builder()
                .location_name("us-east-1")
                .maximum_capacity(2)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect("AddStreamGroupLocations");
    assert!(
        added
            .locations()
            .iter()
            .any(|l| l.location_name() == Some("us-east-1"))
    );
    client
        .remove_stream_group_locations()
        .identifier(&group)
        .locations("us-east-1")
        .send()
        .await
        .expect("RemoveStreamGroupLocations");

    let apps = client.list_applications().send().await.unwrap();
    assert_eq!(apps.items().len(), 2);
    let groups = client.list_stream_groups().send().await.unwrap();
    assert_eq!(groups.items().len(), 1);

    let session = start_session(&client, &group, &app, 1).await;
    let by_group = client
        .list_stream_sessions()
        .identifier(&group)
        .status(StreamSessionStatus::Active)
        .send()
        .await
        .unwrap();
    assert_eq!(by_group.items().len(), 1);
    assert_eq!(by_group.items()[0].arn(), Some(session.as_str()));
    let by_account = client
        .list_stream_sessions_by_account()
        .status(StreamSessionStatus::Terminated)
        .send()
        .await
        .unwrap();
    assert!(by_account.items().is_empty());

    // Deleting the group ends its session; the waiters' ResourceNotFound comes after.
    client
        .delete_stream_group()
        .identifier(&group)
        .send()
        .await
        .expect("DeleteStreamGroup");
    client
        .delete_application()
        .identifier(&other)
        .send()
        .await
        .expect("DeleteApplication");
    let gone = client.get_application().identifier(&other).send().await;
    assert!(
        gone.unwrap_err()
            .into_service_error()
            .is_resource_not_found_exception()
    );
    mock.shutdown().await;
}
