//! The wire shapes of `api`: every input body and every output deserializes from JSON written
//! with the model's exact member names and serializes back to the same JSON; path and query
//! members never travel in the body; timestamps are epoch seconds; sensitive members never show
//! in `Debug`; every enum value has its exact wire string.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{SessionStatus, StatusReason};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Parses `text` into `T`, checks that `T` serializes back to exactly the same JSON, and
/// returns it.
fn round_trip<T: DeserializeOwned + Serialize>(text: &str) -> T {
    let expected: Value = serde_json::from_str(text).expect("test JSON is valid");
    let parsed: T = serde_json::from_str(text).expect("deserializes");
    assert_eq!(serde_json::to_value(&parsed).expect("serializes"), expected);
    parsed
}

/// Parses `text` into `T` and checks that it serializes to `expected`.
fn parses_to<T: DeserializeOwned + Serialize>(text: &str, expected: Value) -> T {
    let parsed: T = serde_json::from_str(text).expect("deserializes");
    assert_eq!(serde_json::to_value(&parsed).expect("serializes"), expected);
    parsed
}

fn ts(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, nanos).expect("in range")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn map(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
    entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const GROUP_ARN: &str = "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4";
const APP_ARN: &str = "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6";
const SESSION_ARN: &str =
    "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567";

// ---------------------------------------------------------------------------------------------
// Stream session inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn start_stream_session_input_body() {
    let input: StartStreamSessionInput = round_trip(
        r#"{
            "ClientToken": "0123456789abcdef0123456789abcdef",
            "Description": "Session for player 42",
            "Protocol": "WebRTC",
            "SignalRequest": "v=0 offer-from-the-web-sdk",
            "ApplicationIdentifier": "a-9ZY8X7Wv6",
            "UserId": "player-42",
            "Locations": ["us-east-1", "us-west-2"],
            "ConnectionTimeoutSeconds": 120,
            "SessionLengthSeconds": 43200,
            "AdditionalLaunchArgs": ["-windowed", "-log"],
            "AdditionalEnvironmentVariables": {"GAME_MODE": "ranked", "LOG_LEVEL": "debug"},
            "PerformanceStatsConfiguration": {"SharedWithClient": true},
            "RoleArn": "arn:aws:iam::111122223333:role/GameLiftStreams-Role",
            "DisplayConfiguration": {"Resolution": {"Width": 1280, "Height": 720}}
        }"#,
    );
    assert_eq!(
        input,
        StartStreamSessionInput {
            client_token: Some("0123456789abcdef0123456789abcdef".into()),
            description: Some("Session for player 42".into()),
            identifier: String::new(),
            protocol: Some(Protocol::WebRtc),
            signal_request: Some("v=0 offer-from-the-web-sdk".into()),
            application_identifier: Some("a-9ZY8X7Wv6".into()),
            user_id: Some("player-42".into()),
            locations: Some(strings(&["us-east-1", "us-west-2"])),
            connection_timeout_seconds: Some(120),
            session_length_seconds: Some(43200),
            additional_launch_args: Some(strings(&["-windowed", "-log"])),
            additional_environment_variables: Some(map(&[
                ("GAME_MODE", "ranked"),
                ("LOG_LEVEL", "debug")
            ])),
            performance_stats_configuration: Some(PerformanceStatsConfiguration {
                shared_with_client: Some(true),
            }),
            role_arn: Some("arn:aws:iam::111122223333:role/GameLiftStreams-Role".into()),
            display_configuration: Some(DisplayConfiguration {
                resolution: Some(Resolution {
                    width: Some(1280),
                    height: Some(720),
                }),
            }),
        }
    );
    assert_eq!(
        input.signal_request.as_deref(),
        Some("v=0 offer-from-the-web-sdk")
    );
}

#[test]
fn start_stream_session_input_minimal_body_omits_absent_members() {
    let input: StartStreamSessionInput = round_trip(
        r#"{"Protocol": "WebRTC", "SignalRequest": "offer", "ApplicationIdentifier": "a-1"}"#,
    );
    assert_eq!(input.connection_timeout_seconds, None);
    assert_eq!(input.display_configuration, None);
    let empty: StartStreamSessionInput = round_trip("{}");
    assert_eq!(empty, StartStreamSessionInput::default());
}

#[test]
fn path_label_in_the_body_is_ignored_and_never_serialized() {
    let input: StartStreamSessionInput = parses_to(
        r#"{"Identifier": "sg-1AB2C3De4", "Protocol": "WebRTC"}"#,
        json!({"Protocol": "WebRTC"}),
    );
    assert_eq!(input.identifier, "");
    // Set by the HTTP layer, still not in the body.
    let input = StartStreamSessionInput {
        identifier: "sg-1AB2C3De4".into(),
        ..input
    };
    assert_eq!(
        serde_json::to_value(&input).unwrap(),
        json!({"Protocol": "WebRTC"})
    );
}

#[test]
fn create_stream_session_connection_input_body() {
    let input: CreateStreamSessionConnectionInput = round_trip(
        r#"{
            "ClientToken": "0123456789abcdef0123456789abcdef",
            "SignalRequest": "v=0 a-new-offer"
        }"#,
    );
    assert_eq!(
        input,
        CreateStreamSessionConnectionInput {
            client_token: Some("0123456789abcdef0123456789abcdef".into()),
            identifier: String::new(),
            stream_session_identifier: String::new(),
            signal_request: Some("v=0 a-new-offer".into()),
        }
    );
    let input: CreateStreamSessionConnectionInput = parses_to(
        r#"{"Identifier": "sg-1", "StreamSessionIdentifier": "ABC123def4567", "SignalRequest": "o"}"#,
        json!({"SignalRequest": "o"}),
    );
    assert_eq!(input.identifier, "");
    assert_eq!(input.stream_session_identifier, "");
}

#[test]
fn session_inputs_without_body_members() {
    let get: GetStreamSessionInput = parses_to(
        r#"{"Identifier": "sg-1AB2C3De4", "StreamSessionIdentifier": "ABC123def4567"}"#,
        json!({}),
    );
    assert_eq!(get, GetStreamSessionInput::default());
    let terminate: TerminateStreamSessionInput = parses_to(
        r#"{"Identifier": "sg-1AB2C3De4", "StreamSessionIdentifier": "ABC123def4567"}"#,
        json!({}),
    );
    assert_eq!(terminate, TerminateStreamSessionInput::default());
    let terminate = TerminateStreamSessionInput {
        identifier: "sg-1AB2C3De4".into(),
        stream_session_identifier: "ABC123def4567".into(),
    };
    assert_eq!(serde_json::to_value(&terminate).unwrap(), json!({}));
}

#[test]
fn query_members_in_the_body_are_ignored_and_never_serialized() {
    let list: ListStreamSessionsInput = parses_to(
        r#"{"Status": "ACTIVE", "ExportFilesStatus": "PENDING", "NextToken": "t",
            "MaxResults": 10, "Identifier": "sg-1AB2C3De4"}"#,
        json!({}),
    );
    assert_eq!(list, ListStreamSessionsInput::default());
    let list = ListStreamSessionsInput {
        status: Some(SessionStatus::Active),
        export_files_status: Some(ExportFilesStatus::Pending),
        next_token: Some("t".into()),
        max_results: Some(10),
        identifier: "sg-1AB2C3De4".into(),
    };
    assert_eq!(serde_json::to_value(&list).unwrap(), json!({}));

    let by_account: ListStreamSessionsByAccountInput = parses_to(
        r#"{"Status": "ERROR", "ExportFilesStatus": "FAILED", "NextToken": "t", "MaxResults": 5}"#,
        json!({}),
    );
    assert_eq!(by_account, ListStreamSessionsByAccountInput::default());
    let groups: ListStreamGroupsInput =
        parses_to(r#"{"NextToken": "t", "MaxResults": 5}"#, json!({}));
    assert_eq!(groups, ListStreamGroupsInput::default());
    let apps: ListApplicationsInput =
        parses_to(r#"{"NextToken": "t", "MaxResults": 5}"#, json!({}));
    assert_eq!(apps, ListApplicationsInput::default());
    let remove: RemoveStreamGroupLocationsInput = parses_to(
        r#"{"Identifier": "sg-1", "Locations": ["us-east-1"], "locations": ["us-east-1"]}"#,
        json!({}),
    );
    assert_eq!(remove, RemoveStreamGroupLocationsInput::default());
    let remove = RemoveStreamGroupLocationsInput {
        identifier: "sg-1".into(),
        locations: Some(strings(&["us-east-1"])),
    };
    assert_eq!(serde_json::to_value(&remove).unwrap(), json!({}));
}

// ---------------------------------------------------------------------------------------------
// Stream session outputs
// ---------------------------------------------------------------------------------------------

/// A stream session as `GetStreamSession` / `StartStreamSession` return it.
const SESSION_JSON: &str = r#"{
    "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
    "Description": "Session for player 42",
    "StreamGroupId": "sg-1AB2C3De4",
    "UserId": "player-42",
    "Status": "TERMINATED",
    "StatusReason": "apiTerminated",
    "Protocol": "WebRTC",
    "Location": "us-west-2",
    "SignalRequest": "v=0 offer-secret",
    "SignalResponse": "v=0 answer-secret",
    "ConnectionTimeoutSeconds": 120,
    "SessionLengthSeconds": 43200,
    "AdditionalLaunchArgs": ["-windowed"],
    "AdditionalEnvironmentVariables": {"GAME_MODE": "ranked"},
    "PerformanceStatsConfiguration": {"SharedWithClient": false},
    "LogFileLocationUri": "s3://amzn-s3-demo-bucket/logs/ABC123def4567/",
    "WebSdkProtocolUrl": "https://example.com/gameliftstreams-websdk/",
    "LastUpdatedAt": 1700000100.5,
    "CreatedAt": 1700000000,
    "ApplicationArn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
    "ExportFilesMetadata": {
        "Status": "SUCCEEDED",
        "StatusReason": "",
        "OutputUri": "s3://amzn-s3-demo-destination-bucket/MyGame_Session1.zip"
    },
    "RoleArn": "arn:aws:iam::111122223333:role/GameLiftStreams-Role",
    "DisplayConfiguration": {"Resolution": {"Width": 1920, "Height": 1080}},
    "ApplicationStartedAt": 1700000005,
    "StreamingStartedAt": 1700000010.25,
    "StreamingEndedAt": 1700000090
}"#;

macro_rules! check_session_fields {
    ($s:expr) => {{
        let s = $s;
        assert_eq!(s.arn.as_deref(), Some(SESSION_ARN));
        assert_eq!(s.description.as_deref(), Some("Session for player 42"));
        assert_eq!(s.stream_group_id.as_deref(), Some("sg-1AB2C3De4"));
        assert_eq!(s.user_id.as_deref(), Some("player-42"));
        assert_eq!(s.status, Some(SessionStatus::Terminated));
        assert_eq!(s.status_reason, Some(StatusReason::ApiTerminated));
        assert_eq!(s.protocol, Some(Protocol::WebRtc));
        assert_eq!(s.location.as_deref(), Some("us-west-2"));
        assert_eq!(s.signal_request.as_deref(), Some("v=0 offer-secret"));
        assert_eq!(
            s.signal_response.as_ref().map(|r| r.as_str()),
            Some("v=0 answer-secret")
        );
        assert_eq!(s.connection_timeout_seconds, Some(120));
        assert_eq!(s.session_length_seconds, Some(43200));
        assert_eq!(s.additional_launch_args, Some(strings(&["-windowed"])));
        assert_eq!(
            s.additional_environment_variables,
            Some(map(&[("GAME_MODE", "ranked")]))
        );
        assert_eq!(
            s.performance_stats_configuration,
            Some(PerformanceStatsConfiguration {
                shared_with_client: Some(false)
            })
        );
        assert_eq!(
            s.log_file_location_uri.as_deref(),
            Some("s3://amzn-s3-demo-bucket/logs/ABC123def4567/")
        );
        assert_eq!(
            s.web_sdk_protocol_url.as_deref(),
            Some("https://example.com/gameliftstreams-websdk/")
        );
        assert_eq!(s.last_updated_at, Some(ts(1_700_000_100, 500_000_000)));
        assert_eq!(s.created_at, Some(ts(1_700_000_000, 0)));
        assert_eq!(s.application_arn.as_deref(), Some(APP_ARN));
        assert_eq!(
            s.export_files_metadata,
            Some(ExportFilesMetadata {
                status: Some(ExportFilesStatus::Succeeded),
                status_reason: Some(String::new()),
                output_uri: Some("s3://amzn-s3-demo-destination-bucket/MyGame_Session1.zip".into()),
            })
        );
        assert_eq!(
            s.role_arn.clone().map(SensitiveString::into_inner),
            Some("arn:aws:iam::111122223333:role/GameLiftStreams-Role".to_owned())
        );
        assert_eq!(
            s.display_configuration,
            Some(DisplayConfiguration {
                resolution: Some(Resolution {
                    width: Some(1920),
                    height: Some(1080)
                })
            })
        );
        assert_eq!(s.application_started_at, Some(ts(1_700_000_005, 0)));
        assert_eq!(s.streaming_started_at, Some(ts(1_700_000_010, 250_000_000)));
        assert_eq!(s.streaming_ended_at, Some(ts(1_700_000_090, 0)));
    }};
}

#[test]
fn get_stream_session_output() {
    let output: GetStreamSessionOutput = round_trip(SESSION_JSON);
    check_session_fields!(&output);
}

#[test]
fn start_stream_session_output() {
    let output: StartStreamSessionOutput = round_trip(SESSION_JSON);
    check_session_fields!(&output);
    let activating: StartStreamSessionOutput = round_trip(
        r#"{"Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
            "Status": "ACTIVATING", "CreatedAt": 1700000000, "LastUpdatedAt": 1700000000}"#,
    );
    assert_eq!(activating.status, Some(SessionStatus::Activating));
    assert_eq!(activating.signal_response, None);
}

/// A stream session summary as the List operations return it.
const SUMMARY_JSON: &str = r#"{
    "Items": [
        {
            "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
            "UserId": "player-42",
            "Status": "CONNECTED",
            "Protocol": "WebRTC",
            "LastUpdatedAt": 1700000010.5,
            "CreatedAt": 1700000000,
            "ApplicationArn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
            "ExportFilesMetadata": {"Status": "PENDING"},
            "Location": "us-west-2",
            "RoleArn": "arn:aws:iam::111122223333:role/GameLiftStreams-Role"
        },
        {
            "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/XYZ987abc6543",
            "Status": "ERROR",
            "StatusReason": "placementTimeout"
        }
    ],
    "NextToken": "eyJwYWdlIjoyfQ=="
}"#;

macro_rules! check_summary_fields {
    ($o:expr) => {{
        let o = $o;
        let items = o.items.as_ref().expect("items");
        assert_eq!(items.len(), 2);
        assert_eq!(
            items[0],
            StreamSessionSummary {
                arn: Some(SESSION_ARN.into()),
                user_id: Some("player-42".into()),
                status: Some(SessionStatus::Connected),
                status_reason: None,
                protocol: Some(Protocol::WebRtc),
                last_updated_at: Some(ts(1_700_000_010, 500_000_000)),
                created_at: Some(ts(1_700_000_000, 0)),
                application_arn: Some(APP_ARN.into()),
                export_files_metadata: Some(ExportFilesMetadata {
                    status: Some(ExportFilesStatus::Pending),
                    ..Default::default()
                }),
                location: Some("us-west-2".into()),
                role_arn: Some("arn:aws:iam::111122223333:role/GameLiftStreams-Role".into()),
            }
        );
        assert_eq!(items[1].status, Some(SessionStatus::Error));
        assert_eq!(items[1].status_reason, Some(StatusReason::PlacementTimeout));
        assert_eq!(o.next_token.as_deref(), Some("eyJwYWdlIjoyfQ=="));
    }};
}

#[test]
fn list_stream_sessions_output() {
    let output: ListStreamSessionsOutput = round_trip(SUMMARY_JSON);
    check_summary_fields!(&output);
    let empty: ListStreamSessionsOutput = round_trip(r#"{"Items": []}"#);
    assert_eq!(empty.items, Some(vec![]));
}

#[test]
fn list_stream_sessions_by_account_output() {
    let output: ListStreamSessionsByAccountOutput = round_trip(SUMMARY_JSON);
    check_summary_fields!(&output);
}

#[test]
fn create_stream_session_connection_output() {
    let output: CreateStreamSessionConnectionOutput =
        round_trip(r#"{"SignalResponse": "v=0 answer"}"#);
    assert_eq!(output.signal_response.as_deref(), Some("v=0 answer"));
    let empty: CreateStreamSessionConnectionOutput = round_trip("{}");
    assert_eq!(empty.signal_response, None);
}

// ---------------------------------------------------------------------------------------------
// Stream group inputs
// ---------------------------------------------------------------------------------------------

#[test]
fn create_stream_group_input_body() {
    let input: CreateStreamGroupInput = round_trip(
        r#"{
            "Description": "Production group",
            "StreamClass": "gen5n_high",
            "DefaultApplicationIdentifier": "a-9ZY8X7Wv6",
            "LocationConfigurations": [
                {"LocationName": "us-east-1", "AlwaysOnCapacity": 2, "TargetIdleCapacity": 1,
                 "MaximumCapacity": 10,
                 "VpcTransitConfiguration": {"VpcId": "vpc-0abc1234",
                                             "Ipv4CidrBlocks": ["10.0.0.0/16", "192.168.1.0/24"]}},
                {"LocationName": "us-west-2", "OnDemandCapacity": 4}
            ],
            "Tags": {"team": "streaming", "env": "prod"},
            "ClientToken": "0123456789abcdef0123456789abcdef"
        }"#,
    );
    assert_eq!(
        input,
        CreateStreamGroupInput {
            description: Some("Production group".into()),
            stream_class: Some(StreamClass::Gen5nHigh),
            default_application_identifier: Some("a-9ZY8X7Wv6".into()),
            location_configurations: Some(vec![
                LocationConfiguration {
                    location_name: Some("us-east-1".into()),
                    always_on_capacity: Some(2),
                    on_demand_capacity: None,
                    target_idle_capacity: Some(1),
                    maximum_capacity: Some(10),
                    vpc_transit_configuration: Some(VpcTransitConfiguration {
                        vpc_id: Some("vpc-0abc1234".into()),
                        ipv4_cidr_blocks: Some(strings(&["10.0.0.0/16", "192.168.1.0/24"])),
                    }),
                },
                LocationConfiguration {
                    location_name: Some("us-west-2".into()),
                    on_demand_capacity: Some(4),
                    ..Default::default()
                },
            ]),
            tags: Some(map(&[("env", "prod"), ("team", "streaming")])),
            client_token: Some("0123456789abcdef0123456789abcdef".into()),
        }
    );
}

#[test]
fn update_stream_group_input_body() {
    let input: UpdateStreamGroupInput = round_trip(
        r#"{
            "LocationConfigurations": [
                {"LocationName": "us-east-1", "AlwaysOnCapacity": 0, "TargetIdleCapacity": 0,
                 "MaximumCapacity": 4}
            ],
            "Description": "Renamed group",
            "DefaultApplicationIdentifier": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6"
        }"#,
    );
    assert_eq!(
        input,
        UpdateStreamGroupInput {
            identifier: String::new(),
            location_configurations: Some(vec![LocationConfiguration {
                location_name: Some("us-east-1".into()),
                always_on_capacity: Some(0),
                target_idle_capacity: Some(0),
                maximum_capacity: Some(4),
                ..Default::default()
            }]),
            description: Some("Renamed group".into()),
            default_application_identifier: Some(APP_ARN.into()),
        }
    );
}

#[test]
fn add_stream_group_locations_input_body() {
    let input: AddStreamGroupLocationsInput = round_trip(
        r#"{"LocationConfigurations": [{"LocationName": "eu-central-1", "AlwaysOnCapacity": 1}]}"#,
    );
    assert_eq!(
        input.location_configurations,
        Some(vec![LocationConfiguration {
            location_name: Some("eu-central-1".into()),
            always_on_capacity: Some(1),
            ..Default::default()
        }])
    );
    assert_eq!(input.identifier, "");
}

#[test]
fn associate_and_disassociate_applications_input_bodies() {
    let text = r#"{"ApplicationIdentifiers": ["a-9ZY8X7Wv6",
        "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-1AB2C3De4"]}"#;
    let expected = strings(&[
        "a-9ZY8X7Wv6",
        "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-1AB2C3De4",
    ]);
    let associate: AssociateApplicationsInput = round_trip(text);
    assert_eq!(associate.application_identifiers, Some(expected.clone()));
    let disassociate: DisassociateApplicationsInput = round_trip(text);
    assert_eq!(disassociate.application_identifiers, Some(expected));
    let ignored: AssociateApplicationsInput = parses_to(
        r#"{"Identifier": "sg-1", "ApplicationIdentifiers": ["a-1"]}"#,
        json!({"ApplicationIdentifiers": ["a-1"]}),
    );
    assert_eq!(ignored.identifier, "");
}

#[test]
fn group_inputs_without_body_members() {
    let get: GetStreamGroupInput = parses_to(r#"{"Identifier": "sg-1AB2C3De4"}"#, json!({}));
    assert_eq!(get, GetStreamGroupInput::default());
    let delete: DeleteStreamGroupInput = parses_to(r#"{"Identifier": "sg-1AB2C3De4"}"#, json!({}));
    assert_eq!(delete, DeleteStreamGroupInput::default());
    let delete = DeleteStreamGroupInput {
        identifier: "sg-1AB2C3De4".into(),
    };
    assert_eq!(serde_json::to_value(&delete).unwrap(), json!({}));
}

// ---------------------------------------------------------------------------------------------
// Stream group outputs
// ---------------------------------------------------------------------------------------------

const GROUP_JSON: &str = r#"{
    "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
    "Description": "Production group",
    "DefaultApplication": {
        "Id": "a-9ZY8X7Wv6",
        "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6"
    },
    "LocationStates": [
        {
            "LocationName": "us-west-2",
            "Status": "ACTIVE",
            "AlwaysOnCapacity": 2,
            "OnDemandCapacity": 0,
            "TargetIdleCapacity": 1,
            "MaximumCapacity": 10,
            "RequestedCapacity": 2,
            "AllocatedCapacity": 2,
            "IdleCapacity": 1,
            "InternalVpcIpv4CidrBlock": "172.16.0.0/16",
            "VpcTransitConfiguration": {
                "VpcId": "vpc-0abc1234",
                "Ipv4CidrBlocks": ["10.0.0.0/16"],
                "TransitGatewayId": "tgw-0123456789abcdef0",
                "TransitGatewayResourceShareArn": "arn:aws:ram:us-west-2:111122223333:resource-share/7ab63972-b505-7e2a-420d-6f5d3EXAMPLE"
            }
        },
        {"LocationName": "eu-central-1", "Status": "ACTIVATING"}
    ],
    "StreamClass": "gen6n_ultra_win2022",
    "Id": "sg-1AB2C3De4",
    "Status": "ACTIVE_WITH_ERRORS",
    "StatusReason": "noAvailableInstances",
    "LastUpdatedAt": 1700000500.75,
    "CreatedAt": 1700000000,
    "ExpiresAt": 1731536000,
    "AssociatedApplications": [
        "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6"
    ]
}"#;

macro_rules! check_group_fields {
    ($g:expr) => {{
        let g = $g;
        assert_eq!(g.arn.as_deref(), Some(GROUP_ARN));
        assert_eq!(g.description.as_deref(), Some("Production group"));
        assert_eq!(
            g.default_application,
            Some(DefaultApplication {
                id: Some("a-9ZY8X7Wv6".into()),
                arn: Some(APP_ARN.into()),
            })
        );
        let states = g.location_states.as_ref().expect("location states");
        assert_eq!(
            states[0],
            LocationState {
                location_name: Some("us-west-2".into()),
                status: Some(StreamGroupLocationStatus::Active),
                always_on_capacity: Some(2),
                on_demand_capacity: Some(0),
                target_idle_capacity: Some(1),
                maximum_capacity: Some(10),
                requested_capacity: Some(2),
                allocated_capacity: Some(2),
                idle_capacity: Some(1),
                internal_vpc_ipv4_cidr_block: Some("172.16.0.0/16".into()),
                vpc_transit_configuration: Some(VpcTransitConfigurationResponse {
                    vpc_id: Some("vpc-0abc1234".into()),
                    ipv4_cidr_blocks: Some(strings(&["10.0.0.0/16"])),
                    transit_gateway_id: Some("tgw-0123456789abcdef0".into()),
                    transit_gateway_resource_share_arn: Some(
                        "arn:aws:ram:us-west-2:111122223333:resource-share/7ab63972-b505-7e2a-420d-6f5d3EXAMPLE"
                            .into()
                    ),
                }),
            }
        );
        assert_eq!(
            states[1],
            LocationState {
                location_name: Some("eu-central-1".into()),
                status: Some(StreamGroupLocationStatus::Activating),
                ..Default::default()
            }
        );
        assert_eq!(g.stream_class, Some(StreamClass::Gen6nUltraWin2022));
        assert_eq!(g.id.as_deref(), Some("sg-1AB2C3De4"));
        assert_eq!(g.status, Some(StreamGroupStatus::ActiveWithErrors));
        assert_eq!(
            g.status_reason,
            Some(StreamGroupStatusReason::NoAvailableInstances)
        );
        assert_eq!(g.last_updated_at, Some(ts(1_700_000_500, 750_000_000)));
        assert_eq!(g.created_at, Some(ts(1_700_000_000, 0)));
        assert_eq!(g.expires_at, Some(ts(1_731_536_000, 0)));
        assert_eq!(g.associated_applications, Some(strings(&[APP_ARN])));
    }};
}

#[test]
fn create_stream_group_output() {
    let output: CreateStreamGroupOutput = round_trip(GROUP_JSON);
    check_group_fields!(&output);
}

#[test]
fn get_stream_group_output() {
    let output: GetStreamGroupOutput = round_trip(GROUP_JSON);
    check_group_fields!(&output);
}

#[test]
fn update_stream_group_output() {
    let output: UpdateStreamGroupOutput = round_trip(GROUP_JSON);
    check_group_fields!(&output);
}

#[test]
fn list_stream_groups_output() {
    let output: ListStreamGroupsOutput = round_trip(
        r#"{
            "Items": [{
                "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
                "Id": "sg-1AB2C3De4",
                "Description": "Production group",
                "DefaultApplication": {"Id": "a-9ZY8X7Wv6"},
                "StreamClass": "gen4n_high",
                "Status": "ACTIVATING",
                "CreatedAt": 1700000000,
                "LastUpdatedAt": 1700000000.001,
                "ExpiresAt": 1731536000
            }],
            "NextToken": "next"
        }"#,
    );
    assert_eq!(
        output.items,
        Some(vec![StreamGroupSummary {
            arn: Some(GROUP_ARN.into()),
            id: Some("sg-1AB2C3De4".into()),
            description: Some("Production group".into()),
            default_application: Some(DefaultApplication {
                id: Some("a-9ZY8X7Wv6".into()),
                arn: None,
            }),
            stream_class: Some(StreamClass::Gen4nHigh),
            status: Some(StreamGroupStatus::Activating),
            created_at: Some(ts(1_700_000_000, 0)),
            last_updated_at: Some(ts(1_700_000_000, 1_000_000)),
            expires_at: Some(ts(1_731_536_000, 0)),
        }])
    );
    assert_eq!(output.next_token.as_deref(), Some("next"));
}

#[test]
fn add_stream_group_locations_output() {
    let output: AddStreamGroupLocationsOutput = round_trip(
        r#"{
            "Identifier": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
            "Locations": [{"LocationName": "eu-central-1", "Status": "ACTIVATING",
                           "AlwaysOnCapacity": 1, "RequestedCapacity": 1,
                           "AllocatedCapacity": 0, "IdleCapacity": 0}]
        }"#,
    );
    // In an output, Identifier is a body member.
    assert_eq!(output.identifier.as_deref(), Some(GROUP_ARN));
    assert_eq!(
        output.locations,
        Some(vec![LocationState {
            location_name: Some("eu-central-1".into()),
            status: Some(StreamGroupLocationStatus::Activating),
            always_on_capacity: Some(1),
            requested_capacity: Some(1),
            allocated_capacity: Some(0),
            idle_capacity: Some(0),
            ..Default::default()
        }])
    );
}

#[test]
fn associate_and_disassociate_applications_outputs() {
    let text = r#"{
        "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
        "ApplicationArns": ["arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6"]
    }"#;
    let associate: AssociateApplicationsOutput = round_trip(text);
    assert_eq!(associate.arn.as_deref(), Some(GROUP_ARN));
    assert_eq!(associate.application_arns, Some(strings(&[APP_ARN])));
    let disassociate: DisassociateApplicationsOutput = round_trip(text);
    assert_eq!(disassociate.arn.as_deref(), Some(GROUP_ARN));
    assert_eq!(disassociate.application_arns, Some(strings(&[APP_ARN])));
}

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

#[test]
fn create_application_input_body() {
    let input: CreateApplicationInput = round_trip(
        r#"{
            "Description": "My game",
            "RuntimeEnvironment": {"Type": "PROTON", "Version": "20241007"},
            "ExecutablePath": "bin/Game.exe",
            "ApplicationSourceUri": "s3://amzn-s3-demo-bucket/my-game/",
            "ApplicationLogPaths": ["logs/", "%USERPROFILE%/game.log"],
            "ApplicationLogOutputUri": "s3://amzn-s3-demo-log-bucket/game-logs/",
            "Tags": {"team": "games"},
            "ClientToken": "0123456789abcdef0123456789abcdef"
        }"#,
    );
    assert_eq!(
        input,
        CreateApplicationInput {
            description: Some("My game".into()),
            runtime_environment: Some(RuntimeEnvironment {
                r#type: Some(RuntimeEnvironmentType::Proton),
                version: Some("20241007".into()),
            }),
            executable_path: Some("bin/Game.exe".into()),
            application_source_uri: Some("s3://amzn-s3-demo-bucket/my-game/".into()),
            application_log_paths: Some(strings(&["logs/", "%USERPROFILE%/game.log"])),
            application_log_output_uri: Some("s3://amzn-s3-demo-log-bucket/game-logs/".into()),
            tags: Some(map(&[("team", "games")])),
            client_token: Some("0123456789abcdef0123456789abcdef".into()),
        }
    );
}

#[test]
fn update_application_input_body() {
    let input: UpdateApplicationInput = round_trip(
        r#"{"Description": "My game v2", "ApplicationLogPaths": [],
            "ApplicationLogOutputUri": ""}"#,
    );
    assert_eq!(
        input,
        UpdateApplicationInput {
            identifier: String::new(),
            description: Some("My game v2".into()),
            application_log_paths: Some(vec![]),
            application_log_output_uri: Some(String::new()),
        }
    );
}

#[test]
fn application_inputs_without_body_members() {
    let get: GetApplicationInput = parses_to(r#"{"Identifier": "a-9ZY8X7Wv6"}"#, json!({}));
    assert_eq!(get, GetApplicationInput::default());
    let delete: DeleteApplicationInput = parses_to(r#"{"Identifier": "a-9ZY8X7Wv6"}"#, json!({}));
    assert_eq!(delete, DeleteApplicationInput::default());
}

const APPLICATION_JSON: &str = r#"{
    "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
    "Description": "My game",
    "RuntimeEnvironment": {"Type": "WINDOWS", "Version": "2022"},
    "ExecutablePath": "Game.exe",
    "ApplicationLogPaths": ["logs/"],
    "ApplicationLogOutputUri": "s3://amzn-s3-demo-log-bucket",
    "ApplicationSourceUri": "s3://amzn-s3-demo-bucket/my-game",
    "Id": "a-9ZY8X7Wv6",
    "Status": "ERROR",
    "StatusReason": "accessDenied",
    "ReplicationStatuses": [
        {"Location": "us-west-2", "Status": "COMPLETED"},
        {"Location": "us-east-1", "Status": "REPLICATING"}
    ],
    "CreatedAt": 1700000000,
    "LastUpdatedAt": 1700000300.5,
    "AssociatedStreamGroups": [
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4"
    ]
}"#;

macro_rules! check_application_fields {
    ($a:expr) => {{
        let a = $a;
        assert_eq!(a.arn.as_deref(), Some(APP_ARN));
        assert_eq!(a.description.as_deref(), Some("My game"));
        assert_eq!(
            a.runtime_environment,
            Some(RuntimeEnvironment {
                r#type: Some(RuntimeEnvironmentType::Windows),
                version: Some("2022".into()),
            })
        );
        assert_eq!(a.executable_path.as_deref(), Some("Game.exe"));
        assert_eq!(a.application_log_paths, Some(strings(&["logs/"])));
        assert_eq!(
            a.application_log_output_uri.as_deref(),
            Some("s3://amzn-s3-demo-log-bucket")
        );
        assert_eq!(
            a.application_source_uri.as_deref(),
            Some("s3://amzn-s3-demo-bucket/my-game")
        );
        assert_eq!(a.id.as_deref(), Some("a-9ZY8X7Wv6"));
        assert_eq!(a.status, Some(ApplicationStatus::Error));
        assert_eq!(a.status_reason, Some(ApplicationStatusReason::AccessDenied));
        assert_eq!(
            a.replication_statuses,
            Some(vec![
                ReplicationStatus {
                    location: Some("us-west-2".into()),
                    status: Some(ReplicationStatusType::Completed),
                },
                ReplicationStatus {
                    location: Some("us-east-1".into()),
                    status: Some(ReplicationStatusType::Replicating),
                },
            ])
        );
        assert_eq!(a.created_at, Some(ts(1_700_000_000, 0)));
        assert_eq!(a.last_updated_at, Some(ts(1_700_000_300, 500_000_000)));
        assert_eq!(a.associated_stream_groups, Some(strings(&[GROUP_ARN])));
    }};
}

#[test]
fn create_application_output() {
    let output: CreateApplicationOutput = round_trip(APPLICATION_JSON);
    check_application_fields!(&output);
}

#[test]
fn get_application_output() {
    let output: GetApplicationOutput = round_trip(APPLICATION_JSON);
    check_application_fields!(&output);
}

#[test]
fn update_application_output() {
    let output: UpdateApplicationOutput = round_trip(APPLICATION_JSON);
    check_application_fields!(&output);
}

#[test]
fn list_applications_output() {
    let output: ListApplicationsOutput = round_trip(
        r#"{
            "Items": [{
                "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
                "Id": "a-9ZY8X7Wv6",
                "Description": "My game",
                "Status": "READY",
                "CreatedAt": 1700000000,
                "LastUpdatedAt": 1700000060,
                "RuntimeEnvironment": {"Type": "UBUNTU", "Version": "22_04_LTS"}
            }],
            "NextToken": "page-2"
        }"#,
    );
    assert_eq!(
        output.items,
        Some(vec![ApplicationSummary {
            arn: Some(APP_ARN.into()),
            id: Some("a-9ZY8X7Wv6".into()),
            description: Some("My game".into()),
            status: Some(ApplicationStatus::Ready),
            created_at: Some(ts(1_700_000_000, 0)),
            last_updated_at: Some(ts(1_700_000_060, 0)),
            runtime_environment: Some(RuntimeEnvironment {
                r#type: Some(RuntimeEnvironmentType::Ubuntu),
                version: Some("22_04_LTS".into()),
            }),
        }])
    );
    assert_eq!(output.next_token.as_deref(), Some("page-2"));
}

// ---------------------------------------------------------------------------------------------
// Unknown members, nulls, timestamps, sensitive values
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_members_are_ignored_at_every_level() {
    let output: GetStreamGroupOutput = parses_to(
        r#"{
            "Arn": "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
            "SomeFutureMember": {"nested": [1, 2, 3]},
            "arn": "lower-case is another member",
            "DefaultApplication": {"Id": "a-1", "Extra": true},
            "LocationStates": [{"LocationName": "us-west-2", "NewCapacityKind": 7}]
        }"#,
        json!({
            "Arn": GROUP_ARN,
            "DefaultApplication": {"Id": "a-1"},
            "LocationStates": [{"LocationName": "us-west-2"}]
        }),
    );
    assert_eq!(output.arn.as_deref(), Some(GROUP_ARN));
    let input: CreateApplicationInput = parses_to(
        r#"{"Description": "d", "RuntimeEnvironment": {"Type": "UBUNTU", "Version": "22_04_LTS",
            "Arch": "x86_64"}, "Unknown": null}"#,
        json!({"Description": "d", "RuntimeEnvironment": {"Type": "UBUNTU", "Version": "22_04_LTS"}}),
    );
    assert_eq!(input.description.as_deref(), Some("d"));
}

#[test]
fn null_members_read_as_absent() {
    let output: GetStreamSessionOutput = parses_to(
        r#"{"Arn": null, "CreatedAt": null, "Status": null, "ExportFilesMetadata": null}"#,
        json!({}),
    );
    assert_eq!(output, GetStreamSessionOutput::default());
}

#[test]
fn member_names_are_exact() {
    // A member with the wrong case is an unknown member, not the real one.
    let input: StartStreamSessionInput =
        serde_json::from_str(r#"{"connectionTimeoutSeconds": 60, "signalRequest": "x"}"#).unwrap();
    assert_eq!(input, StartStreamSessionInput::default());
    // Names that PascalCase conversion must reproduce exactly.
    let state = LocationState {
        internal_vpc_ipv4_cidr_block: Some("172.16.0.0/16".into()),
        vpc_transit_configuration: Some(VpcTransitConfigurationResponse {
            ipv4_cidr_blocks: Some(vec![]),
            transit_gateway_resource_share_arn: Some("arn".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&state).unwrap(),
        json!({"InternalVpcIpv4CidrBlock": "172.16.0.0/16",
               "VpcTransitConfiguration": {"Ipv4CidrBlocks": [],
                                           "TransitGatewayResourceShareArn": "arn"}})
    );
    let env = RuntimeEnvironment {
        r#type: Some(RuntimeEnvironmentType::Windows),
        version: Some("2022".into()),
    };
    assert_eq!(
        serde_json::to_value(&env).unwrap(),
        json!({"Type": "WINDOWS", "Version": "2022"})
    );
    let output = StartStreamSessionOutput {
        web_sdk_protocol_url: Some("u".into()),
        log_file_location_uri: Some("l".into()),
        stream_group_id: Some("sg-1".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&output).unwrap(),
        json!({"WebSdkProtocolUrl": "u", "LogFileLocationUri": "l", "StreamGroupId": "sg-1"})
    );
}

#[test]
fn timestamps_are_epoch_seconds_with_fractions_round_tripping() {
    for (text, secs, nanos) in [
        ("1700000000", 1_700_000_000, 0),
        ("1700000000.5", 1_700_000_000, 500_000_000),
        ("1700000000.25", 1_700_000_000, 250_000_000),
        ("1700000000.123", 1_700_000_000, 123_000_000),
        ("1700000000.001", 1_700_000_000, 1_000_000),
        ("0", 0, 0),
        ("0.5", 0, 500_000_000),
        ("-1.5", -2, 500_000_000),
        ("1.000001", 1, 1_000),
    ] {
        let json = format!(r#"{{"CreatedAt": {text}}}"#);
        let summary: ApplicationSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(summary.created_at, Some(ts(secs, nanos)), "{text}");
        let back = serde_json::to_string(&summary).unwrap();
        assert_eq!(back, json.replace(' ', ""), "{text}");
    }
    // A float with no fraction is a whole second, written back as an integer.
    let summary: ApplicationSummary =
        serde_json::from_str(r#"{"CreatedAt": 1700000000.0}"#).unwrap();
    assert_eq!(summary.created_at, Some(ts(1_700_000_000, 0)));
    assert_eq!(
        serde_json::to_string(&summary).unwrap(),
        r#"{"CreatedAt":1700000000}"#
    );
    // Whole seconds serialize as an integer-valued number, others as a float.
    let whole = serde_json::to_value(ApplicationSummary {
        created_at: Some(ts(1_700_000_000, 0)),
        ..Default::default()
    })
    .unwrap();
    assert!(whole["CreatedAt"].is_u64());
    let fractional = serde_json::to_value(ApplicationSummary {
        created_at: Some(ts(1_700_000_000, 500_000_000)),
        ..Default::default()
    })
    .unwrap();
    assert!(fractional["CreatedAt"].is_f64());
    assert_eq!(fractional["CreatedAt"].as_f64(), Some(1_700_000_000.5));
}

#[test]
fn invalid_timestamps_are_errors_not_panics() {
    for text in [
        "1e20",
        "-1e20",
        "1e300",
        "9223372036854775807",
        "-9223372036854775808",
        "18446744073709551615",
        "\"1700000000\"",
        "\"2023-11-14T22:13:20Z\"",
        "true",
        "[]",
        "{}",
    ] {
        let json = format!(r#"{{"CreatedAt": {text}}}"#);
        let result = serde_json::from_str::<ApplicationSummary>(&json);
        assert!(result.is_err(), "{text} should be refused");
    }
    assert_eq!(epoch::from_seconds(f64::NAN), None);
    assert_eq!(epoch::from_seconds(f64::INFINITY), None);
    assert_eq!(epoch::from_seconds(f64::NEG_INFINITY), None);
    assert_eq!(epoch::from_seconds(1e15), None);
    assert_eq!(
        epoch::from_seconds(1_700_000_000.5),
        Some(ts(1_700_000_000, 500_000_000))
    );
    assert_eq!(
        epoch::to_seconds(ts(1_700_000_000, 250_000_000)),
        1_700_000_000.25
    );
}

#[test]
fn epoch_helpers_work_on_plain_fields() {
    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct Times {
        #[serde(with = "epoch")]
        at: DateTime<Utc>,
        #[serde(
            with = "epoch::option",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        maybe: Option<DateTime<Utc>>,
    }
    let times: Times = serde_json::from_str(r#"{"at": 1700000000.5}"#).unwrap();
    assert_eq!(
        times,
        Times {
            at: ts(1_700_000_000, 500_000_000),
            maybe: None
        }
    );
    assert_eq!(
        serde_json::to_value(&times).unwrap(),
        json!({"at": 1_700_000_000.5})
    );
    let times: Times = serde_json::from_str(r#"{"at": 1, "maybe": 2}"#).unwrap();
    assert_eq!(times.maybe, Some(ts(2, 0)));
    assert!(serde_json::from_str::<Times>(r#"{"at": null}"#).is_err());
}

#[test]
fn sensitive_values_never_show_in_debug() {
    let output: GetStreamSessionOutput = serde_json::from_str(SESSION_JSON).unwrap();
    let debug = format!("{output:?}");
    assert!(!debug.contains("offer-secret"), "{debug}");
    assert!(!debug.contains("answer-secret"), "{debug}");
    assert!(!debug.contains("GameLiftStreams-Role"), "{debug}");
    assert_eq!(debug.matches("*** Sensitive Data Redacted ***").count(), 3);
    // Non-sensitive members are still shown.
    assert!(debug.contains("player-42"));

    let input = StartStreamSessionInput {
        signal_request: Some("my-private-offer".into()),
        role_arn: Some("arn:aws:iam::111122223333:role/GameLiftStreams-Secret".into()),
        ..Default::default()
    };
    let debug = format!("{input:?} {input:#?}");
    assert!(!debug.contains("my-private-offer"));
    assert!(!debug.contains("GameLiftStreams-Secret"));
    let connection = CreateStreamSessionConnectionInput {
        signal_request: Some("another-offer".into()),
        ..Default::default()
    };
    assert!(!format!("{connection:?}").contains("another-offer"));
    let answer = CreateStreamSessionConnectionOutput {
        signal_response: Some("the-answer".into()),
    };
    assert!(!format!("{answer:?}").contains("the-answer"));
    let summary = StreamSessionSummary {
        role_arn: Some("arn:aws:iam::111122223333:role/GameLiftStreams-X".into()),
        ..Default::default()
    };
    assert!(!format!("{summary:?}").contains("GameLiftStreams-X"));
}

#[test]
fn sensitive_string_api() {
    let s = SensitiveString::from("secret");
    assert_eq!(s.as_str(), "secret");
    assert_eq!(&*s, "secret");
    assert_eq!(s.len(), 6, "Deref to str");
    assert_eq!(format!("{s:?}"), "\"*** Sensitive Data Redacted ***\"");
    assert_eq!(s.clone().into_inner(), "secret");
    assert_eq!(SensitiveString::from(String::from("secret")), s);
    assert_eq!(SensitiveString::default().as_str(), "");
    // Serde is transparent: the plain string on the wire.
    assert_eq!(serde_json::to_value(&s).unwrap(), json!("secret"));
    assert_eq!(
        serde_json::from_value::<SensitiveString>(json!("x")).unwrap(),
        SensitiveString::from("x")
    );
    let mut set = std::collections::HashSet::new();
    set.insert(s.clone());
    assert!(set.contains(&s));
}

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

/// Checks that `E::ALL` is exactly `wire`, in order, and that every value round-trips.
fn check_enum<E>(all: &[E], wire: &[&str], as_str: fn(E) -> &'static str)
where
    E: Copy
        + PartialEq
        + std::fmt::Debug
        + std::fmt::Display
        + std::str::FromStr
        + Serialize
        + DeserializeOwned,
    <E as std::str::FromStr>::Err: std::fmt::Debug,
{
    assert_eq!(all.len(), wire.len());
    for (value, name) in all.iter().zip(wire) {
        assert_eq!(as_str(*value), *name);
        assert_eq!(value.to_string(), *name);
        assert_eq!(name.parse::<E>().unwrap(), *value);
        assert_eq!(serde_json::to_value(value).unwrap(), json!(name));
        assert_eq!(serde_json::from_value::<E>(json!(name)).unwrap(), *value);
    }
    assert!(serde_json::from_value::<E>(json!("NOT_A_VALUE")).is_err());
    assert!("".parse::<E>().is_err());
}

#[test]
fn every_enum_value_has_its_exact_wire_string() {
    check_enum(
        StreamClass::ALL,
        &[
            "gen4n_high",
            "gen4n_ultra",
            "gen4n_win2022",
            "gen5n_high",
            "gen5n_ultra",
            "gen5n_win2022",
            "gen6n_small",
            "gen6n_medium",
            "gen6n_high",
            "gen6n_ultra",
            "gen6n_ultra_win2022",
            "gen6n_pro",
            "gen6n_pro_win2022",
            "gen6n_small_win2022",
            "gen6n_medium_win2022",
            "gen6e_pro",
            "gen6e_pro_win2022",
        ],
        StreamClass::as_str,
    );
    check_enum(Protocol::ALL, &["WebRTC"], Protocol::as_str);
    check_enum(
        StreamGroupStatus::ALL,
        &[
            "ACTIVATING",
            "UPDATING_LOCATIONS",
            "ACTIVE",
            "ACTIVE_WITH_ERRORS",
            "ERROR",
            "DELETING",
            "EXPIRED",
        ],
        StreamGroupStatus::as_str,
    );
    check_enum(
        StreamGroupStatusReason::ALL,
        &["internalError", "noAvailableInstances"],
        StreamGroupStatusReason::as_str,
    );
    check_enum(
        StreamGroupLocationStatus::ALL,
        &["ACTIVATING", "ACTIVE", "ERROR", "REMOVING"],
        StreamGroupLocationStatus::as_str,
    );
    check_enum(
        ApplicationStatus::ALL,
        &["INITIALIZED", "PROCESSING", "READY", "DELETING", "ERROR"],
        ApplicationStatus::as_str,
    );
    check_enum(
        ApplicationStatusReason::ALL,
        &["internalError", "accessDenied", "sourceModified"],
        ApplicationStatusReason::as_str,
    );
    check_enum(
        RuntimeEnvironmentType::ALL,
        &["PROTON", "WINDOWS", "UBUNTU"],
        RuntimeEnvironmentType::as_str,
    );
    check_enum(
        ReplicationStatusType::ALL,
        &["REPLICATING", "COMPLETED"],
        ReplicationStatusType::as_str,
    );
    check_enum(
        ExportFilesStatus::ALL,
        &["SUCCEEDED", "FAILED", "PENDING"],
        ExportFilesStatus::as_str,
    );
    check_enum(
        StreamSessionStatus::ALL,
        &[
            "ACTIVATING",
            "ACTIVE",
            "CONNECTED",
            "PENDING_CLIENT_RECONNECTION",
            "RECONNECTING",
            "TERMINATING",
            "TERMINATED",
            "ERROR",
        ],
        StreamSessionStatus::as_str,
    );
    check_enum(
        StreamSessionStatusReason::ALL,
        &[
            "internalError",
            "invalidSignalRequest",
            "placementTimeout",
            "applicationLogS3DestinationError",
            "assumeRoleFailed",
            "applicationExit",
            "connectionTimeout",
            "reconnectionTimeout",
            "maxSessionLengthTimeout",
            "idleTimeout",
            "apiTerminated",
        ],
        StreamSessionStatusReason::as_str,
    );
}

#[test]
fn enum_model_shapes() {
    assert_eq!(StreamClass::MODEL_SHAPE, "StreamClass");
    assert_eq!(Protocol::MODEL_SHAPE, "Protocol");
    assert_eq!(StreamGroupStatus::MODEL_SHAPE, "StreamGroupStatus");
    assert_eq!(
        StreamGroupStatusReason::MODEL_SHAPE,
        "StreamGroupStatusReason"
    );
    assert_eq!(
        StreamGroupLocationStatus::MODEL_SHAPE,
        "StreamGroupLocationStatus"
    );
    assert_eq!(ApplicationStatus::MODEL_SHAPE, "ApplicationStatus");
    assert_eq!(
        ApplicationStatusReason::MODEL_SHAPE,
        "ApplicationStatusReason"
    );
    assert_eq!(
        RuntimeEnvironmentType::MODEL_SHAPE,
        "RuntimeEnvironmentType"
    );
    assert_eq!(ReplicationStatusType::MODEL_SHAPE, "ReplicationStatusType");
    assert_eq!(ExportFilesStatus::MODEL_SHAPE, "ExportFilesStatus");
    assert_eq!(StreamSessionStatus::MODEL_SHAPE, "StreamSessionStatus");
    assert_eq!(
        StreamSessionStatusReason::MODEL_SHAPE,
        "StreamSessionStatusReason"
    );
    assert_eq!(Operation::MODEL_SHAPE, "Operation");
    let err = "webrtc".parse::<Protocol>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "'webrtc' is not a valid Protocol; expected one of: WebRTC"
    );
}

#[test]
fn an_unknown_enum_value_in_a_body_is_an_error() {
    assert!(serde_json::from_str::<StartStreamSessionInput>(r#"{"Protocol": "webrtc"}"#).is_err());
    assert!(
        serde_json::from_str::<GetStreamGroupOutput>(r#"{"StreamClass": "gen7_mega"}"#).is_err()
    );
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

#[test]
fn operations_have_the_model_bindings() {
    // name, method, uri, success status, ClientToken, idempotent, rate limit (req/s; None: the
    // rate page lists none)
    type Row = (
        &'static str,
        &'static str,
        &'static str,
        u16,
        bool,
        bool,
        Option<u32>,
    );
    let table: [Row; 30] = [
        (
            "AddStreamGroupLocations",
            "POST",
            "/streamgroups/{Identifier}/locations",
            200,
            false,
            false,
            Some(5),
        ),
        (
            "AssociateApplications",
            "POST",
            "/streamgroups/{Identifier}/associations",
            200,
            false,
            true,
            Some(5),
        ),
        (
            "CreateApplication",
            "POST",
            "/applications",
            201,
            true,
            false,
            Some(5),
        ),
        (
            "CreateStreamGroup",
            "POST",
            "/streamgroups",
            201,
            true,
            true,
            Some(1),
        ),
        (
            "CreateStreamSessionAdminShell",
            "POST",
            "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/access",
            200,
            false,
            false,
            None,
        ),
        (
            "CreateStreamSessionConnection",
            "POST",
            "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/connections",
            200,
            true,
            false,
            Some(20),
        ),
        (
            "CreateStreamUrl",
            "POST",
            "/streamgroups/{Identifier}/streamurls",
            201,
            true,
            true,
            None,
        ),
        (
            "DeleteApplication",
            "DELETE",
            "/applications/{Identifier}",
            204,
            false,
            true,
            Some(5),
        ),
        (
            "DeleteStreamGroup",
            "DELETE",
            "/streamgroups/{Identifier}",
            204,
            false,
            true,
            Some(5),
        ),
        (
            "DisassociateApplications",
            "POST",
            "/streamgroups/{Identifier}/disassociations",
            200,
            false,
            true,
            Some(5),
        ),
        (
            "ExportStreamSessionFiles",
            "PUT",
            "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/exportfiles",
            200,
            false,
            true,
            Some(20),
        ),
        (
            "GetApplication",
            "GET",
            "/applications/{Identifier}",
            200,
            false,
            false,
            Some(10),
        ),
        (
            "GetStreamGroup",
            "GET",
            "/streamgroups/{Identifier}",
            200,
            false,
            false,
            Some(10),
        ),
        (
            "GetStreamSession",
            "GET",
            "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}",
            200,
            false,
            false,
            Some(20),
        ),
        (
            "GetStreamUrl",
            "GET",
            "/streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}",
            200,
            false,
            false,
            None,
        ),
        (
            "ListApplicationShaderCaches",
            "GET",
            "/applications/{Identifier}/shadercaches",
            200,
            false,
            false,
            None,
        ),
        (
            "ListApplications",
            "GET",
            "/applications",
            200,
            false,
            false,
            Some(10),
        ),
        (
            "ListStreamGroups",
            "GET",
            "/streamgroups",
            200,
            false,
            false,
            Some(10),
        ),
        (
            "ListStreamSessions",
            "GET",
            "/streamgroups/{Identifier}/streamsessions",
            200,
            false,
            false,
            Some(20),
        ),
        (
            "ListStreamSessionsByAccount",
            "GET",
            "/streamsessions",
            200,
            false,
            false,
            Some(20),
        ),
        (
            "ListStreamUrls",
            "GET",
            "/streamurls",
            200,
            false,
            false,
            None,
        ),
        (
            "ListTagsForResource",
            "GET",
            "/tags/{ResourceArn}",
            200,
            false,
            false,
            Some(10),
        ),
        (
            "RemoveStreamGroupLocations",
            "DELETE",
            "/streamgroups/{Identifier}/locations",
            204,
            false,
            true,
            Some(5),
        ),
        (
            "RevokeStreamUrl",
            "POST",
            "/streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}/revoke",
            204,
            false,
            true,
            None,
        ),
        (
            "StartStreamSession",
            "POST",
            "/streamgroups/{Identifier}/streamsessions",
            201,
            true,
            false,
            Some(20),
        ),
        (
            "TagResource",
            "POST",
            "/tags/{ResourceArn}",
            200,
            false,
            true,
            Some(10),
        ),
        (
            "TerminateStreamSession",
            "DELETE",
            "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}",
            204,
            false,
            true,
            Some(20),
        ),
        (
            "UntagResource",
            "DELETE",
            "/tags/{ResourceArn}",
            200,
            false,
            true,
            Some(10),
        ),
        (
            "UpdateApplication",
            "PATCH",
            "/applications/{Identifier}",
            200,
            false,
            false,
            Some(5),
        ),
        (
            "UpdateStreamGroup",
            "PATCH",
            "/streamgroups/{Identifier}",
            200,
            false,
            false,
            Some(5),
        ),
    ];
    assert_eq!(Operation::ALL.len(), table.len());
    for (op, (name, method, uri, status, token, idempotent, rate)) in
        Operation::ALL.iter().zip(table)
    {
        assert_eq!(op.name(), name);
        assert_eq!(op.to_string(), name);
        assert_eq!(name.parse::<Operation>().unwrap(), *op);
        assert_eq!(serde_json::to_value(op).unwrap(), json!(name));
        assert_eq!(
            serde_json::from_value::<Operation>(json!(name)).unwrap(),
            *op
        );
        assert_eq!(op.method(), method, "{name}");
        assert_eq!(op.uri(), uri, "{name}");
        assert_eq!(op.success_status(), status, "{name}");
        assert_eq!(op.has_client_token(), token, "{name}");
        assert_eq!(op.is_idempotent(), idempotent, "{name}");
        assert_eq!(op.rate_limit_per_second(), rate, "{name}");
    }
    assert_eq!(Operation::StartStreamSession.name(), "StartStreamSession");
    assert!("ExportStreamSessionFile".parse::<Operation>().is_err());
}
