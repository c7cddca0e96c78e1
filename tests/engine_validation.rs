//! Every operation validates its input before anything else, and a refused call of any kind
//! changes nothing: the engine's snapshot is the same before and after.

mod common;

use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{ErrorKind, Request};

/// One invalid request per operation, with the member its message must name.
fn invalid_requests(f: &Fixture) -> Vec<(Request, &'static str)> {
    let group = f.group.clone();
    vec![
        (
            Request::AddStreamGroupLocations(AddStreamGroupLocationsInput {
                identifier: group.clone(),
                location_configurations: Some(vec![]),
            }),
            "locationConfigurations",
        ),
        (
            Request::AssociateApplications(AssociateApplicationsInput {
                identifier: group.clone(),
                application_identifiers: None,
            }),
            "applicationIdentifiers",
        ),
        (
            Request::CreateApplication(CreateApplicationInput {
                executable_path: None,
                ..app_input()
            }),
            "executablePath",
        ),
        (
            Request::CreateStreamGroup(CreateStreamGroupInput {
                description: Some(" leading space".into()),
                ..group_input(None)
            }),
            "description",
        ),
        (
            Request::CreateStreamSessionAdminShell(CreateStreamSessionAdminShellInput {
                identifier: group.clone(),
                stream_session_identifier: String::new(),
            }),
            "streamSessionIdentifier",
        ),
        (
            Request::CreateStreamSessionConnection(CreateStreamSessionConnectionInput {
                identifier: group.clone(),
                stream_session_identifier: "S".into(),
                signal_request: Some("".into()),
                client_token: None,
            }),
            "signalRequest",
        ),
        (
            Request::CreateStreamUrl(CreateStreamUrlInput {
                identifier: group.clone(),
                application_identifier: Some(f.app.clone()),
                protocol: Some(Protocol::WebRtc),
                url_expires_after_minutes: Some(0),
                locations: Some(vec!["us-west-2".into()]),
                ..Default::default()
            }),
            "urlExpiresAfterMinutes",
        ),
        (
            Request::DeleteApplication(DeleteApplicationInput {
                identifier: String::new(),
            }),
            "identifier",
        ),
        (
            Request::DeleteStreamGroup(DeleteStreamGroupInput {
                identifier: "sg 1".into(),
            }),
            "identifier",
        ),
        (
            Request::DisassociateApplications(DisassociateApplicationsInput {
                identifier: group.clone(),
                application_identifiers: Some(vec![]),
            }),
            "applicationIdentifiers",
        ),
        (
            Request::ExportStreamSessionFiles(ExportStreamSessionFilesInput {
                identifier: group.clone(),
                stream_session_identifier: "S".into(),
                output_uri: Some("s3://bucket/files.tar".into()),
            }),
            "outputUri",
        ),
        (
            Request::GetApplication(GetApplicationInput {
                identifier: "x".repeat(129),
            }),
            "identifier",
        ),
        (
            Request::GetStreamGroup(GetStreamGroupInput {
                identifier: String::new(),
            }),
            "identifier",
        ),
        (
            Request::GetStreamSession(GetStreamSessionInput {
                identifier: group.clone(),
                stream_session_identifier: String::new(),
            }),
            "streamSessionIdentifier",
        ),
        (
            Request::GetStreamUrl(GetStreamUrlInput {
                identifier: group.clone(),
                stream_url_identifier: "su 1".into(),
            }),
            "streamUrlIdentifier",
        ),
        (
            Request::ListApplicationShaderCaches(ListApplicationShaderCachesInput {
                identifier: "a".repeat(129),
            }),
            "identifier",
        ),
        (
            Request::ListApplications(ListApplicationsInput {
                max_results: Some(0),
                next_token: None,
            }),
            "maxResults",
        ),
        (
            Request::ListStreamGroups(ListStreamGroupsInput {
                max_results: Some(101),
                next_token: None,
            }),
            "maxResults",
        ),
        (
            Request::ListStreamSessions(ListStreamSessionsInput {
                identifier: group.clone(),
                max_results: Some(-1),
                ..Default::default()
            }),
            "maxResults",
        ),
        (
            Request::ListStreamSessionsByAccount(ListStreamSessionsByAccountInput {
                max_results: Some(1000),
                ..Default::default()
            }),
            "maxResults",
        ),
        (
            Request::ListStreamUrls(ListStreamUrlsInput {
                max_results: Some(101),
                ..Default::default()
            }),
            "maxResults",
        ),
        (
            Request::ListTagsForResource(ListTagsForResourceInput {
                resource_arn: group.clone().replace("arn:", "nra:"),
            }),
            "resourceArn",
        ),
        (
            Request::RemoveStreamGroupLocations(RemoveStreamGroupLocationsInput {
                identifier: group.clone(),
                locations: None,
            }),
            "locations",
        ),
        (
            Request::RevokeStreamUrl(RevokeStreamUrlInput {
                identifier: String::new(),
                stream_url_identifier: "su-000000000".into(),
                revocation_mode: None,
            }),
            "identifier",
        ),
        (
            Request::StartStreamSession(StartStreamSessionInput {
                identifier: group.clone(),
                protocol: None,
                ..Default::default()
            }),
            "protocol",
        ),
        (
            Request::TagResource(TagResourceInput {
                resource_arn:
                    "arn:aws:gameliftstreams:us-west-2:123456789012:streamgroup/sg-000000000".into(),
                tags: None,
            }),
            "tags",
        ),
        (
            Request::TerminateStreamSession(TerminateStreamSessionInput {
                identifier: group.clone(),
                stream_session_identifier: "a:b".into(),
            }),
            "streamSessionIdentifier",
        ),
        (
            Request::UntagResource(UntagResourceInput {
                resource_arn:
                    "arn:aws:gameliftstreams:us-west-2:123456789012:streamgroup/sg-000000000".into(),
                tag_keys: Some(vec![String::new()]),
            }),
            "tagKeys.1.member",
        ),
        (
            Request::UpdateApplication(UpdateApplicationInput {
                identifier: f.app.clone(),
                description: Some(String::new()),
                ..Default::default()
            }),
            "description",
        ),
        (
            Request::UpdateStreamGroup(UpdateStreamGroupInput {
                identifier: group,
                location_configurations: Some(vec![location("us-west-2", -1, 1)]),
                ..Default::default()
            }),
            "alwaysOnCapacity",
        ),
    ]
}

#[test]
fn every_operation_validates_its_input_and_changes_nothing_when_it_refuses() {
    let mut f = Fixture::new();
    f.start();
    let requests = invalid_requests(&f);
    let ops: Vec<Operation> = requests.iter().map(|(r, _)| r.operation()).collect();
    assert_eq!(
        ops,
        Operation::ALL,
        "one invalid request per operation, in model order"
    );
    f.at(1);
    let before = f.engine.snapshot();
    for (request, member) in requests {
        let err = f.engine.call(ME, f.now, &request).expect_err(member);
        assert_eq!(
            err.kind(),
            ErrorKind::Validation,
            "{:?}: {err}",
            request.operation()
        );
        assert_eq!(err.http_status(), 400);
        assert!(
            err.to_string().contains(&format!("{member}' failed")),
            "{:?}: {err}",
            request.operation()
        );
        assert_eq!(
            f.engine.snapshot(),
            before,
            "{:?} changed the engine",
            request.operation()
        );
    }
}

#[test]
fn refused_calls_of_every_kind_change_nothing() {
    let mut f = Fixture::new();
    let session = f.start();
    f.at(1);
    f.observe(
        &session,
        gameliftstreams_lifecycle::Observation::ClientConnected,
    )
    .unwrap();
    let before = f.engine.snapshot();
    let refused: Vec<(Request, ErrorKind, gameliftstreams_lifecycle::AccountId)> = vec![
        // Not found.
        (
            Request::GetStreamGroup(GetStreamGroupInput {
                identifier: "sg-000000000".into(),
            }),
            ErrorKind::ResourceNotFound,
            ME,
        ),
        // Another account's ARN.
        (
            Request::DeleteStreamGroup(DeleteStreamGroupInput {
                identifier: f.group.clone(),
            }),
            ErrorKind::AccessDenied,
            other_account(),
        ),
        // The session is CONNECTED: no reconnection.
        (
            Request::CreateStreamSessionConnection(CreateStreamSessionConnectionInput {
                identifier: f.group.clone(),
                stream_session_identifier: session.clone(),
                signal_request: Some("v=0 new".into()),
                client_token: None,
            }),
            ErrorKind::Conflict,
            ME,
        ),
        // The application is associated.
        (
            Request::DeleteApplication(DeleteApplicationInput {
                identifier: f.app.clone(),
            }),
            ErrorKind::Validation,
            ME,
        ),
    ];
    for (request, kind, caller) in refused {
        let err = f.engine.call(caller, f.now, &request).unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        assert_eq!(
            f.engine.snapshot(),
            before,
            "{:?} changed the engine",
            request.operation()
        );
    }
}
