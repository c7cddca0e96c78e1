//! Validation of every `api` input: valid inputs pass (boundary values included), and each
//! kind of constraint an input has fails with the service's exact message, every violation
//! reported together in member order. Every pattern function is checked on its own, too.

use std::collections::BTreeMap;

use gameliftstreams_lifecycle::ValidationError;
use gameliftstreams_lifecycle::api::*;

const IDENTIFIER: &str =
    "(^[a-zA-Z0-9-]+$)|(^arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)$)";
const GROUP_ARN: &str = "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4";
const APP_ARN: &str = "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6";
const SESSION_ARN: &str =
    "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567";
const TOKEN: &str = "0123456789abcdef0123456789abcdef";

/// The message of the error `result` must be.
#[track_caller]
fn err(result: Result<(), ValidationError>) -> String {
    result.expect_err("the input should be invalid").to_string()
}

/// A one-violation message.
fn one(violation: &str) -> String {
    format!("1 validation error detected: {violation}")
}

#[track_caller]
fn ok(result: Result<(), ValidationError>) {
    if let Err(e) = result {
        panic!("the input should be valid: {e}");
    }
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

// ---------------------------------------------------------------------------------------------
// StartStreamSession
// ---------------------------------------------------------------------------------------------

/// A StartStreamSession input with every member set to a valid value.
fn start() -> StartStreamSessionInput {
    StartStreamSessionInput {
        client_token: Some(TOKEN.into()),
        description: Some("Session for player 42".into()),
        identifier: "sg-1AB2C3De4".into(),
        protocol: Some(Protocol::WebRtc),
        signal_request: Some("v=0 offer".into()),
        application_identifier: Some("a-9ZY8X7Wv6".into()),
        user_id: Some("player-42/=+_".into()),
        locations: Some(strings(&["us-east-1", "us-west-2"])),
        connection_timeout_seconds: Some(120),
        session_length_seconds: Some(43200),
        additional_launch_args: Some(strings(&["-windowed", ""])),
        additional_environment_variables: Some(map(&[("GAME_MODE", "ranked"), ("_X1", "")])),
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
}

/// The required members only.
fn start_minimal() -> StartStreamSessionInput {
    StartStreamSessionInput {
        identifier: "sg-1AB2C3De4".into(),
        protocol: Some(Protocol::WebRtc),
        signal_request: Some("NO_CLIENT_CONNECTION".into()),
        application_identifier: Some(APP_ARN.into()),
        ..Default::default()
    }
}

#[test]
fn start_stream_session_valid_inputs_pass() {
    ok(start().validate());
    ok(start_minimal().validate());
    ok(StartStreamSessionInput {
        identifier: GROUP_ARN.into(),
        ..start()
    }
    .validate());
}

#[test]
fn start_stream_session_required_members() {
    assert_eq!(
        err(StartStreamSessionInput::default().validate()),
        "4 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value null at 'protocol' failed to satisfy constraint: Member must not be null; \
         Value null at 'signalRequest' failed to satisfy constraint: Member must not be null; \
         Value null at 'applicationIdentifier' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn start_stream_session_integer_ranges() {
    let with = |connection: i32, length: i32| StartStreamSessionInput {
        connection_timeout_seconds: Some(connection),
        session_length_seconds: Some(length),
        ..start_minimal()
    };
    assert_eq!(
        err(with(3601, 1).validate()),
        "1 validation error detected: Value '3601' at 'connectionTimeoutSeconds' failed to \
         satisfy constraint: Member must have value less than or equal to 3600"
    );
    assert_eq!(
        err(with(0, 1).validate()),
        one(
            "Value '0' at 'connectionTimeoutSeconds' failed to satisfy constraint: \
             Member must have value greater than or equal to 1"
        )
    );
    assert_eq!(
        err(with(1, 86401).validate()),
        one(
            "Value '86401' at 'sessionLengthSeconds' failed to satisfy constraint: \
             Member must have value less than or equal to 86400"
        )
    );
    assert_eq!(
        err(with(1, -5).validate()),
        one(
            "Value '-5' at 'sessionLengthSeconds' failed to satisfy constraint: \
             Member must have value greater than or equal to 1"
        )
    );
    // Boundaries pass.
    for (connection, length) in [(1, 1), (3600, 86400), (1, 86400), (3600, 1)] {
        ok(with(connection, length).validate());
    }
}

#[test]
fn start_stream_session_signal_request_is_sensitive() {
    let input = StartStreamSessionInput {
        signal_request: Some("".into()),
        ..start_minimal()
    };
    assert_eq!(
        err(input.validate()),
        one(
            "Value (sensitive) at 'signalRequest' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    ok(StartStreamSessionInput {
        signal_request: Some("x".into()),
        ..start_minimal()
    }
    .validate());
}

#[test]
fn start_stream_session_client_token() {
    let with = |token: &str| StartStreamSessionInput {
        client_token: Some(token.into()),
        ..start_minimal()
    };
    assert_eq!(
        err(with("short").validate()),
        one(
            "Value 'short' at 'clientToken' failed to satisfy constraint: \
             Member must have length greater than or equal to 32"
        )
    );
    let long = "x".repeat(129);
    assert_eq!(
        err(with(&long).validate()),
        one(&format!(
            "Value '{long}' at 'clientToken' failed to satisfy constraint: \
             Member must have length less than or equal to 128"
        ))
    );
    assert_eq!(
        err(with("0123456789abcdef 123456789abcdef").validate()),
        one(
            "Value '0123456789abcdef 123456789abcdef' at 'clientToken' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\x21-\\x7E]+"
        )
    );
    // Too long and not matching: both reported.
    let long_spaced = format!("{} ", "x".repeat(128));
    assert_eq!(
        err(with(&long_spaced).validate()),
        format!(
            "2 validation errors detected: \
             Value '{long_spaced}' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 128; \
             Value '{long_spaced}' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\x21-\\x7E]+"
        )
    );
    ok(with(&"!".repeat(32)).validate());
    ok(with(&"~".repeat(128)).validate());
}

#[test]
fn start_stream_session_description() {
    let with = |d: &str| StartStreamSessionInput {
        description: Some(d.into()),
        ..start_minimal()
    };
    assert_eq!(
        err(with("").validate()),
        one("Value '' at 'description' failed to satisfy constraint: \
             Member must have length greater than or equal to 1")
    );
    assert_eq!(
        err(with(" leading space").validate()),
        one(
            "Value ' leading space' at 'description' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*"
        )
    );
    let long = "d".repeat(81);
    assert_eq!(
        err(with(&long).validate()),
        one(&format!(
            "Value '{long}' at 'description' failed to satisfy constraint: \
             Member must have length less than or equal to 80"
        ))
    );
    ok(with(&"d".repeat(80)).validate());
    ok(with("a").validate());
    // Lengths count characters, not bytes: 80 × 'é' is 80 characters (failing only the
    // pattern), not 160.
    assert_eq!(
        err(with(&"é".repeat(80)).validate()),
        one(&format!(
            "Value '{}' at 'description' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*",
            "é".repeat(80)
        ))
    );
}

#[test]
fn start_stream_session_identifiers() {
    let input = StartStreamSessionInput {
        identifier: "sg 1".into(),
        application_identifier: Some(
            "arn:aws:gameliftstreams:us-west-2:11112222333:application/a-9ZY8X7Wv6".into(),
        ),
        ..start_minimal()
    };
    assert_eq!(
        err(input.validate()),
        format!(
            "2 validation errors detected: \
             Value 'sg 1' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}; \
             Value 'arn:aws:gameliftstreams:us-west-2:11112222333:application/a-9ZY8X7Wv6' at 'applicationIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}"
        )
    );
    let long = "a".repeat(129);
    let input = StartStreamSessionInput {
        identifier: long.clone(),
        ..start_minimal()
    };
    assert_eq!(
        err(input.validate()),
        one(&format!(
            "Value '{long}' at 'identifier' failed to satisfy constraint: \
             Member must have length less than or equal to 128"
        ))
    );
    ok(StartStreamSessionInput {
        identifier: "a".repeat(128),
        application_identifier: Some("a".into()),
        ..start_minimal()
    }
    .validate());
}

#[test]
fn start_stream_session_user_id() {
    let with = |u: &str| StartStreamSessionInput {
        user_id: Some(u.into()),
        ..start_minimal()
    };
    assert_eq!(
        err(with("bad user").validate()),
        one(
            "Value 'bad user' at 'userId' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: [-_a-zA-Z0-9/=+]*"
        )
    );
    let long = "u".repeat(1025);
    assert_eq!(
        err(with(&long).validate()),
        one(&format!(
            "Value '{long}' at 'userId' failed to satisfy constraint: \
             Member must have length less than or equal to 1024"
        ))
    );
    ok(with("").validate());
    ok(with(&"u".repeat(1024)).validate());
}

#[test]
fn start_stream_session_locations() {
    let with = |l: &[&str]| StartStreamSessionInput {
        locations: Some(strings(l)),
        ..start_minimal()
    };
    assert_eq!(
        err(with(&[]).validate()),
        one("Value '[]' at 'locations' failed to satisfy constraint: \
             Member must have length greater than or equal to 1")
    );
    assert_eq!(
        err(with(&["us-east-1", "us east 1", ""]).validate()),
        "2 validation errors detected: \
         Value 'us east 1' at 'locations.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-]+; \
         Value '' at 'locations.3.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
    let long = "l".repeat(21);
    assert_eq!(
        err(with(&[&long]).validate()),
        one(&format!(
            "Value '{long}' at 'locations.1.member' failed to satisfy constraint: \
             Member must have length less than or equal to 20"
        ))
    );
    ok(with(&["us-east-1"]).validate());
    ok(with(&[&"l".repeat(20)]).validate());
}

#[test]
fn start_stream_session_additional_launch_args() {
    let with = |n: usize| StartStreamSessionInput {
        additional_launch_args: Some(vec!["-a".to_string(); n]),
        ..start_minimal()
    };
    let shown = format!("[{}]", ["-a"; 101].join(", "));
    assert_eq!(
        err(with(101).validate()),
        one(&format!(
            "Value '{shown}' at 'additionalLaunchArgs' failed to satisfy constraint: \
             Member must have length less than or equal to 100"
        ))
    );
    ok(with(100).validate());
    ok(with(0).validate());
}

#[test]
fn start_stream_session_environment_variables() {
    let with = |m: BTreeMap<String, String>| StartStreamSessionInput {
        additional_environment_variables: Some(m),
        ..start_minimal()
    };
    assert_eq!(
        err(with(map(&[("1BAD", "x"), ("GOOD", "y")])).validate()),
        one(
            "Value '1BAD' at 'additionalEnvironmentVariables.1BAD.key' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [_a-zA-Z][_a-zA-Z0-9]*"
        )
    );
    assert_eq!(
        err(with(map(&[("", "x")])).validate()),
        one(
            "Value '' at 'additionalEnvironmentVariables..key' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    let long_key = "K".repeat(257);
    assert_eq!(
        err(with(map(&[(&long_key, "x")])).validate()),
        one(&format!(
            "Value '{long_key}' at 'additionalEnvironmentVariables.{long_key}.key' failed to \
             satisfy constraint: Member must have length less than or equal to 256"
        ))
    );
    let long_value = "v".repeat(4097);
    assert_eq!(
        err(with(map(&[("LOG", &long_value)])).validate()),
        one(&format!(
            "Value '{long_value}' at 'additionalEnvironmentVariables.LOG.value' failed to \
             satisfy constraint: Member must have length less than or equal to 4096"
        ))
    );
    let many: BTreeMap<String, String> =
        (0..51).map(|i| (format!("V{i:02}"), "1".into())).collect();
    let shown = format!(
        "{{{}}}",
        (0..51)
            .map(|i| format!("V{i:02}=1"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_eq!(
        err(with(many.clone()).validate()),
        one(&format!(
            "Value '{shown}' at 'additionalEnvironmentVariables' failed to satisfy \
             constraint: Member must have length less than or equal to 50"
        ))
    );
    let fifty: BTreeMap<String, String> = many.into_iter().take(50).collect();
    ok(with(fifty).validate());
    ok(with(BTreeMap::new()).validate());
    ok(with(map(&[(&"K".repeat(256), &"v".repeat(4096))])).validate());
}

#[test]
fn start_stream_session_role_arn() {
    let with = |r: &str| StartStreamSessionInput {
        role_arn: Some(r.into()),
        ..start_minimal()
    };
    assert_eq!(
        err(with("arn:aws:iam::111122223333:role/OtherRole").validate()),
        one(
            "Value (sensitive) at 'roleArn' failed to satisfy constraint: \
             The role name must start with GameLiftStreams-"
        )
    );
    assert_eq!(
        err(with("arn:aws:iam::11112222333:role/GameLiftStreams-Role").validate()),
        one(
            "Value (sensitive) at 'roleArn' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+"
        )
    );
    // 19 characters: too short (the pattern is not checked below the minimum length).
    assert_eq!(
        err(with("arn:aws:iam::123456").validate()),
        one(
            "Value (sensitive) at 'roleArn' failed to satisfy constraint: \
             Member must have length greater than or equal to 20"
        )
    );
    // 20 characters: long enough, but no valid role ARN is that short.
    assert_eq!(
        err(with("arn:aws:iam::1234567").validate()),
        one(
            "Value (sensitive) at 'roleArn' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: arn:aws[a-zA-Z-]*:iam::\\d{12}:role/.+"
        )
    );
    let long = format!(
        "arn:aws:iam::111122223333:role/GameLiftStreams-{}",
        "r".repeat(2002)
    );
    assert_eq!(long.chars().count(), 2049);
    assert_eq!(
        err(with(&long).validate()),
        one(
            "Value (sensitive) at 'roleArn' failed to satisfy constraint: \
             Member must have length less than or equal to 2048"
        )
    );
    ok(with("arn:aws:iam::111122223333:role/GameLiftStreams-Role").validate());
    ok(with("arn:aws:iam::111122223333:role/service-role/GameLiftStreams-Role").validate());
    ok(with("arn:aws-cn:iam::111122223333:role/GameLiftStreams-X").validate());
    let max = format!(
        "arn:aws:iam::111122223333:role/GameLiftStreams-{}",
        "r".repeat(2048 - 47)
    );
    assert_eq!(max.chars().count(), 2048);
    ok(with(&max).validate());
    // The value is never shown.
    let e = err(with("arn:aws:iam::111122223333:role/SecretName").validate());
    assert!(!e.contains("SecretName"));
}

#[test]
fn start_stream_session_display_configuration() {
    let with = |w: Option<i32>, h: Option<i32>| StartStreamSessionInput {
        display_configuration: Some(DisplayConfiguration {
            resolution: Some(Resolution {
                width: w,
                height: h,
            }),
        }),
        ..start_minimal()
    };
    assert_eq!(
        err(with(Some(318), Some(4098)).validate()),
        "2 validation errors detected: \
         Value '318' at 'displayConfiguration.resolution.width' failed to satisfy constraint: Member must have value greater than or equal to 320; \
         Value '4098' at 'displayConfiguration.resolution.height' failed to satisfy constraint: Member must have value less than or equal to 4096"
    );
    assert_eq!(
        err(with(None, Some(720)).validate()),
        one(
            "Value null at 'displayConfiguration.resolution.width' failed to satisfy \
             constraint: Member must not be null"
        )
    );
    assert_eq!(
        err(with(None, None).validate()),
        "2 validation errors detected: \
         Value null at 'displayConfiguration.resolution.width' failed to satisfy constraint: Member must not be null; \
         Value null at 'displayConfiguration.resolution.height' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        err(with(Some(1279), Some(720)).validate()),
        one(
            "Value '1279' at 'displayConfiguration.resolution.width' failed to satisfy \
             constraint: Member must be an even number"
        )
    );
    assert_eq!(
        err(with(Some(2560), Some(1440)).validate()),
        one(
            "Value 'Resolution(Width=2560, Height=1440)' at 'displayConfiguration.resolution' \
             failed to satisfy constraint: The total number of pixels (width × height) must not \
             exceed 2,073,600 (equivalent to 1920 × 1080)"
        )
    );
    assert_eq!(
        err(with(Some(4096), Some(508)).validate()),
        one(
            "Value 'Resolution(Width=4096, Height=508)' at 'displayConfiguration.resolution' \
             failed to satisfy constraint: The total number of pixels (width × height) must not \
             exceed 2,073,600 (equivalent to 1920 × 1080)"
        )
    );
    for (w, h) in [
        (320, 320),
        (1920, 1080),
        (1080, 1920),
        (4096, 506),
        (506, 4096),
    ] {
        ok(with(Some(w), Some(h)).validate());
    }
    ok(StartStreamSessionInput {
        display_configuration: Some(DisplayConfiguration::default()),
        ..start_minimal()
    }
    .validate());
}

#[test]
fn start_stream_session_reports_every_violation_in_member_order() {
    let input = StartStreamSessionInput {
        client_token: Some("short".into()),
        description: Some(" x".into()),
        identifier: "bad id".into(),
        protocol: Some(Protocol::WebRtc),
        signal_request: None,
        application_identifier: Some("a-1".into()),
        user_id: None,
        locations: Some(vec![]),
        connection_timeout_seconds: Some(0),
        session_length_seconds: Some(86401),
        additional_launch_args: None,
        additional_environment_variables: Some(map(&[("9", "x")])),
        performance_stats_configuration: None,
        role_arn: Some("arn:aws:iam::111122223333:role/Other".into()),
        display_configuration: Some(DisplayConfiguration {
            resolution: Some(Resolution {
                width: None,
                height: Some(721),
            }),
        }),
    };
    assert_eq!(
        err(input.validate()),
        format!(
            "11 validation errors detected: \
             Value 'short' at 'clientToken' failed to satisfy constraint: Member must have length greater than or equal to 32; \
             Value ' x' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*; \
             Value 'bad id' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}; \
             Value null at 'signalRequest' failed to satisfy constraint: Member must not be null; \
             Value '[]' at 'locations' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '0' at 'connectionTimeoutSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1; \
             Value '86401' at 'sessionLengthSeconds' failed to satisfy constraint: Member must have value less than or equal to 86400; \
             Value '9' at 'additionalEnvironmentVariables.9.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [_a-zA-Z][_a-zA-Z0-9]*; \
             Value (sensitive) at 'roleArn' failed to satisfy constraint: The role name must start with GameLiftStreams-; \
             Value null at 'displayConfiguration.resolution.width' failed to satisfy constraint: Member must not be null; \
             Value '721' at 'displayConfiguration.resolution.height' failed to satisfy constraint: Member must be an even number"
        )
    );
    // The violations are available one by one, too.
    let e = input.validate().unwrap_err();
    let members: Vec<&str> = e.violations().iter().map(|v| &*v.member).collect();
    assert_eq!(
        members,
        [
            "clientToken",
            "description",
            "identifier",
            "signalRequest",
            "locations",
            "connectionTimeoutSeconds",
            "sessionLengthSeconds",
            "additionalEnvironmentVariables.9.key",
            "roleArn",
            "displayConfiguration.resolution.width",
            "displayConfiguration.resolution.height",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The other stream session operations
// ---------------------------------------------------------------------------------------------

#[test]
fn get_and_terminate_stream_session_identifiers() {
    let cases: [(&str, &str); 3] = [
        ("sg-1AB2C3De4", "ABC123def4567"),
        (GROUP_ARN, SESSION_ARN),
        (&"a".repeat(128), "-"),
    ];
    for (group, session) in cases {
        ok(GetStreamSessionInput {
            identifier: group.into(),
            stream_session_identifier: session.into(),
        }
        .validate());
        ok(TerminateStreamSessionInput {
            identifier: group.into(),
            stream_session_identifier: session.into(),
        }
        .validate());
    }
    let expected = format!(
        "2 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value 'ABC123def4567 ' at 'streamSessionIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}"
    );
    let get = GetStreamSessionInput {
        identifier: String::new(),
        stream_session_identifier: "ABC123def4567 ".into(),
    };
    assert_eq!(err(get.validate()), expected);
    let terminate = TerminateStreamSessionInput {
        identifier: String::new(),
        stream_session_identifier: "ABC123def4567 ".into(),
    };
    assert_eq!(err(terminate.validate()), expected);
    let long = "a".repeat(129);
    assert_eq!(
        err(GetStreamSessionInput {
            identifier: "sg-1".into(),
            stream_session_identifier: long.clone(),
        }
        .validate()),
        one(&format!(
            "Value '{long}' at 'streamSessionIdentifier' failed to satisfy constraint: \
             Member must have length less than or equal to 128"
        ))
    );
    assert_eq!(
        err(TerminateStreamSessionInput::default().validate()),
        "2 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '' at 'streamSessionIdentifier' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn list_stream_sessions_max_results_and_identifier() {
    let with = |max: Option<i32>, id: &str| ListStreamSessionsInput {
        status: Some(StreamSessionStatus::Active),
        export_files_status: Some(ExportFilesStatus::Pending),
        next_token: Some("any token at all".into()),
        max_results: max,
        identifier: id.into(),
    };
    ok(with(None, "sg-1AB2C3De4").validate());
    ok(with(Some(1), GROUP_ARN).validate());
    ok(with(Some(100), "sg-1").validate());
    assert_eq!(
        err(with(Some(101), "sg-1").validate()),
        one("Value '101' at 'maxResults' failed to satisfy constraint: \
             Member must have value less than or equal to 100")
    );
    // Model order: MaxResults comes before Identifier.
    assert_eq!(
        err(with(Some(0), "sg:1").validate()),
        format!(
            "2 validation errors detected: \
             Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1; \
             Value 'sg:1' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}"
        )
    );
}

#[test]
fn list_operations_max_results() {
    ok(ListStreamSessionsByAccountInput::default().validate());
    ok(ListStreamGroupsInput::default().validate());
    ok(ListApplicationsInput::default().validate());
    for max in [1, 25, 100] {
        ok(ListStreamSessionsByAccountInput {
            max_results: Some(max),
            next_token: Some(String::new()),
            ..Default::default()
        }
        .validate());
        ok(ListStreamGroupsInput {
            max_results: Some(max),
            next_token: None,
        }
        .validate());
        ok(ListApplicationsInput {
            max_results: Some(max),
            next_token: None,
        }
        .validate());
    }
    let low = one("Value '0' at 'maxResults' failed to satisfy constraint: \
         Member must have value greater than or equal to 1");
    let high = one("Value '101' at 'maxResults' failed to satisfy constraint: \
         Member must have value less than or equal to 100");
    let by_account = |m| ListStreamSessionsByAccountInput {
        max_results: Some(m),
        ..Default::default()
    };
    let groups = |m| ListStreamGroupsInput {
        max_results: Some(m),
        next_token: None,
    };
    let apps = |m| ListApplicationsInput {
        max_results: Some(m),
        next_token: None,
    };
    assert_eq!(err(by_account(0).validate()), low);
    assert_eq!(err(by_account(101).validate()), high);
    assert_eq!(err(groups(0).validate()), low);
    assert_eq!(err(groups(101).validate()), high);
    assert_eq!(err(apps(0).validate()), low);
    assert_eq!(err(apps(101).validate()), high);
    assert_eq!(
        err(apps(i32::MIN).validate()),
        one(
            "Value '-2147483648' at 'maxResults' failed to satisfy constraint: \
             Member must have value greater than or equal to 1"
        )
    );
}

#[test]
fn create_stream_session_connection() {
    let valid = CreateStreamSessionConnectionInput {
        client_token: Some(TOKEN.into()),
        identifier: "sg-1AB2C3De4".into(),
        stream_session_identifier: SESSION_ARN.into(),
        signal_request: Some("v=0 new offer".into()),
    };
    ok(valid.validate());
    ok(CreateStreamSessionConnectionInput {
        client_token: None,
        ..valid.clone()
    }
    .validate());
    assert_eq!(
        err(CreateStreamSessionConnectionInput::default().validate()),
        "3 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '' at 'streamSessionIdentifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value null at 'signalRequest' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        err(CreateStreamSessionConnectionInput {
            client_token: Some("t".repeat(31)),
            signal_request: Some(String::new().into()),
            ..valid.clone()
        }
        .validate()),
        format!(
            "2 validation errors detected: \
             Value '{}' at 'clientToken' failed to satisfy constraint: Member must have length greater than or equal to 32; \
             Value (sensitive) at 'signalRequest' failed to satisfy constraint: Member must have length greater than or equal to 1",
            "t".repeat(31)
        )
    );
    assert_eq!(
        err(CreateStreamSessionConnectionInput {
            stream_session_identifier:
                "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession:sg-1/ABC".into(),
            ..valid
        }
        .validate()),
        one(&format!(
            "Value 'arn:aws:gameliftstreams:us-west-2:111122223333:streamsession:sg-1/ABC' at \
             'streamSessionIdentifier' failed to satisfy constraint: Member must satisfy regular \
             expression pattern: {IDENTIFIER}"
        ))
    );
}

// ---------------------------------------------------------------------------------------------
// Stream groups
// ---------------------------------------------------------------------------------------------

/// A valid location configuration (its capacity suits every stream class's tenancy).
fn location(name: &str) -> LocationConfiguration {
    LocationConfiguration {
        location_name: Some(name.into()),
        always_on_capacity: Some(12),
        ..Default::default()
    }
}

fn create_group() -> CreateStreamGroupInput {
    CreateStreamGroupInput {
        description: Some("Production group".into()),
        stream_class: Some(StreamClass::Gen6nHigh),
        default_application_identifier: Some("a-9ZY8X7Wv6".into()),
        location_configurations: Some(vec![
            LocationConfiguration {
                location_name: Some("us-east-1".into()),
                always_on_capacity: Some(0),
                on_demand_capacity: None,
                target_idle_capacity: Some(0),
                maximum_capacity: Some(10),
                vpc_transit_configuration: Some(VpcTransitConfiguration {
                    vpc_id: Some("vpc-0abc1234".into()),
                    ipv4_cidr_blocks: Some(strings(&["10.0.0.0/16"])),
                }),
            },
            LocationConfiguration {
                location_name: Some("us-west-2".into()),
                always_on_capacity: Some(2),
                on_demand_capacity: Some(4),
                ..Default::default()
            },
        ]),
        tags: Some(map(&[("team", "streaming"), ("empty", "")])),
        client_token: Some(TOKEN.into()),
    }
}

#[test]
fn create_stream_group_valid_inputs_pass() {
    ok(create_group().validate());
    ok(CreateStreamGroupInput {
        description: Some("g".into()),
        stream_class: Some(StreamClass::Gen4nHigh),
        ..Default::default()
    }
    .validate());
}

#[test]
fn create_stream_group_required_members() {
    assert_eq!(
        err(CreateStreamGroupInput::default().validate()),
        "2 validation errors detected: \
         Value null at 'description' failed to satisfy constraint: Member must not be null; \
         Value null at 'streamClass' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn create_stream_group_location_configuration_counts() {
    let with = |list: Vec<LocationConfiguration>| CreateStreamGroupInput {
        location_configurations: Some(list),
        ..create_group()
    };
    assert_eq!(
        err(with(vec![]).validate()),
        one(
            "Value '[]' at 'locationConfigurations' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    let shown = format!(
        "[{}]",
        ["LocationConfiguration(LocationName=us-east-1, AlwaysOnCapacity=12)"; 101].join(", ")
    );
    assert_eq!(
        err(with(vec![location("us-east-1"); 101]).validate()),
        one(&format!(
            "Value '{shown}' at 'locationConfigurations' failed to satisfy constraint: \
             Member must have length less than or equal to 100"
        ))
    );
    ok(with(vec![location("us-east-1"); 100]).validate());
    ok(with(vec![location("us-east-1")]).validate());
}

#[test]
fn location_configuration_nested_members() {
    let with = |list: Vec<LocationConfiguration>| CreateStreamGroupInput {
        location_configurations: Some(list),
        ..create_group()
    };
    let input = with(vec![
        location("us-east-1"),
        LocationConfiguration {
            location_name: None,
            always_on_capacity: Some(-1),
            on_demand_capacity: Some(-2),
            target_idle_capacity: Some(-3),
            maximum_capacity: Some(-4),
            vpc_transit_configuration: None,
        },
        LocationConfiguration {
            location_name: Some("us_west_2".into()),
            ..Default::default()
        },
    ]);
    assert_eq!(
        err(input.validate()),
        "7 validation errors detected: \
         Value null at 'locationConfigurations.2.member.locationName' failed to satisfy constraint: Member must not be null; \
         Value '-1' at 'locationConfigurations.2.member.alwaysOnCapacity' failed to satisfy constraint: Member must have value greater than or equal to 0; \
         Value '-2' at 'locationConfigurations.2.member.onDemandCapacity' failed to satisfy constraint: Member must have value greater than or equal to 0; \
         Value '-2' at 'locationConfigurations.2.member.onDemandCapacity' failed to satisfy constraint: Member cannot be used with MaximumCapacity or TargetIdleCapacity in the same location configuration; \
         Value '-3' at 'locationConfigurations.2.member.targetIdleCapacity' failed to satisfy constraint: Member must have value greater than or equal to 0; \
         Value '-4' at 'locationConfigurations.2.member.maximumCapacity' failed to satisfy constraint: Member must have value greater than or equal to 0; \
         Value 'us_west_2' at 'locationConfigurations.3.member.locationName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-]+"
    );
    // Zero capacities are the minimum and pass.
    ok(with(vec![LocationConfiguration {
        location_name: Some("us-east-1".into()),
        always_on_capacity: Some(0),
        target_idle_capacity: Some(0),
        maximum_capacity: Some(0),
        ..Default::default()
    }])
    .validate());
    ok(with(vec![LocationConfiguration {
        location_name: Some("l".repeat(20)),
        // No maximum: the largest i32 that is a multiple of gen6n_high's tenancy (2).
        always_on_capacity: Some(i32::MAX - 1),
        ..Default::default()
    }])
    .validate());
}

#[test]
fn on_demand_capacity_cannot_be_combined_with_maximum_or_target_idle() {
    let with = |on_demand, target_idle, maximum| LocationConfiguration {
        location_name: Some("us-east-1".into()),
        always_on_capacity: Some(1),
        on_demand_capacity: on_demand,
        target_idle_capacity: target_idle,
        maximum_capacity: maximum,
        vpc_transit_configuration: None,
    };
    let rule = |n: i32| {
        one(&format!(
            "Value '{n}' at 'onDemandCapacity' failed to satisfy constraint: Member cannot be \
             used with MaximumCapacity or TargetIdleCapacity in the same location configuration"
        ))
    };
    assert_eq!(err(with(Some(2), None, Some(4)).validate()), rule(2));
    assert_eq!(err(with(Some(3), Some(0), None).validate()), rule(3));
    assert_eq!(err(with(Some(0), Some(1), Some(4)).validate()), rule(0));
    ok(with(Some(2), None, None).validate());
    ok(with(None, Some(1), Some(4)).validate());
    // Through an input, with its full path.
    let input = AddStreamGroupLocationsInput {
        identifier: "sg-1".into(),
        location_configurations: Some(vec![location("us-east-1"), with(Some(5), None, Some(5))]),
    };
    assert_eq!(
        err(input.validate()),
        one(
            "Value '5' at 'locationConfigurations.2.member.onDemandCapacity' failed to satisfy \
             constraint: Member cannot be used with MaximumCapacity or TargetIdleCapacity in the \
             same location configuration"
        )
    );
}

#[test]
fn vpc_transit_configuration_nested_members() {
    let with = |vpc: VpcTransitConfiguration| UpdateStreamGroupInput {
        identifier: "sg-1AB2C3De4".into(),
        location_configurations: Some(vec![LocationConfiguration {
            vpc_transit_configuration: Some(vpc),
            ..location("us-east-1")
        }]),
        ..Default::default()
    };
    assert_eq!(
        err(with(VpcTransitConfiguration::default()).validate()),
        "2 validation errors detected: \
         Value null at 'locationConfigurations.1.member.vpcTransitConfiguration.vpcId' failed to satisfy constraint: Member must not be null; \
         Value null at 'locationConfigurations.1.member.vpcTransitConfiguration.ipv4CidrBlocks' failed to satisfy constraint: Member must not be null"
    );
    let vpc = |id: &str, blocks: &[&str]| VpcTransitConfiguration {
        vpc_id: Some(id.into()),
        ipv4_cidr_blocks: Some(strings(blocks)),
    };
    assert_eq!(
        err(with(vpc("", &["10.0.0.0/16", "10.0.0.256/16"])).validate()),
        "2 validation errors detected: \
         Value '' at 'locationConfigurations.1.member.vpcTransitConfiguration.vpcId' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '10.0.0.256/16' at 'locationConfigurations.1.member.vpcTransitConfiguration.ipv4CidrBlocks.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: (([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])/([0-9]|[1-2][0-9]|3[0-2])"
    );
    let long = "v".repeat(33);
    assert_eq!(
        err(with(vpc(&long, &["10.0.0.0/16"])).validate()),
        one(&format!(
            "Value '{long}' at 'locationConfigurations.1.member.vpcTransitConfiguration.vpcId' \
             failed to satisfy constraint: Member must have length less than or equal to 32"
        ))
    );
    assert_eq!(
        err(with(vpc("vpc-1", &[])).validate()),
        one(
            "Value '[]' at 'locationConfigurations.1.member.vpcTransitConfiguration.ipv4CidrBlocks' \
             failed to satisfy constraint: Member must have length greater than or equal to 1"
        )
    );
    let six = [
        "10.0.0.0/16",
        "10.1.0.0/16",
        "10.2.0.0/16",
        "10.3.0.0/16",
        "10.4.0.0/16",
        "10.5.0.0/16",
    ];
    assert_eq!(
        err(with(vpc("vpc-1", &six)).validate()),
        one(&format!(
            "Value '[{}]' at 'locationConfigurations.1.member.vpcTransitConfiguration.ipv4CidrBlocks' \
             failed to satisfy constraint: Member must have length less than or equal to 5",
            six.join(", ")
        ))
    );
    ok(with(vpc(&"v".repeat(32), &six[..5])).validate());
    ok(with(vpc("v", &["0.0.0.0/0"])).validate());
    // The nested structure validates on its own, with relative paths.
    assert_eq!(
        err(VpcTransitConfiguration::default().validate()),
        "2 validation errors detected: \
         Value null at 'vpcId' failed to satisfy constraint: Member must not be null; \
         Value null at 'ipv4CidrBlocks' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn create_stream_group_tags_and_other_members() {
    let with_tags = |tags: BTreeMap<String, String>| CreateStreamGroupInput {
        tags: Some(tags),
        ..create_group()
    };
    assert_eq!(
        err(with_tags(BTreeMap::new()).validate()),
        one("Value '{}' at 'tags' failed to satisfy constraint: \
             Member must have length greater than or equal to 1")
    );
    let long_value = "v".repeat(257);
    assert_eq!(
        err(with_tags(map(&[("", "x"), ("k", &long_value)])).validate()),
        format!(
            "2 validation errors detected: \
             Value '' at 'tags..key' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value '{long_value}' at 'tags.k.value' failed to satisfy constraint: Member must have length less than or equal to 256"
        )
    );
    let long_key = "k".repeat(129);
    assert_eq!(
        err(with_tags(map(&[(&long_key, "x")])).validate()),
        one(&format!(
            "Value '{long_key}' at 'tags.{long_key}.key' failed to satisfy constraint: \
             Member must have length less than or equal to 128"
        ))
    );
    let many: BTreeMap<String, String> = (0..51)
        .map(|i| (format!("t{i:02}"), String::new()))
        .collect();
    let shown = format!(
        "{{{}}}",
        (0..51)
            .map(|i| format!("t{i:02}="))
            .collect::<Vec<_>>()
            .join(", ")
    );
    assert_eq!(
        err(with_tags(many.clone()).validate()),
        one(&format!(
            "Value '{shown}' at 'tags' failed to satisfy constraint: \
             Member must have length less than or equal to 50"
        ))
    );
    ok(with_tags(many.into_iter().take(50).collect()).validate());
    ok(with_tags(map(&[(&"k".repeat(128), &"v".repeat(256))])).validate());

    let input = CreateStreamGroupInput {
        description: Some("bad\tdescription".into()),
        default_application_identifier: Some("a 1".into()),
        client_token: Some("x".repeat(129)),
        ..create_group()
    };
    assert_eq!(
        err(input.validate()),
        format!(
            "3 validation errors detected: \
             Value 'bad\tdescription' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*; \
             Value 'a 1' at 'defaultApplicationIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}; \
             Value '{}' at 'clientToken' failed to satisfy constraint: Member must have length less than or equal to 128",
            "x".repeat(129)
        )
    );
}

#[test]
fn update_stream_group() {
    ok(UpdateStreamGroupInput {
        identifier: GROUP_ARN.into(),
        ..Default::default()
    }
    .validate());
    ok(UpdateStreamGroupInput {
        identifier: "sg-1".into(),
        location_configurations: Some(vec![location("us-east-1")]),
        description: Some("New name".into()),
        default_application_identifier: Some(APP_ARN.into()),
    }
    .validate());
    let input = UpdateStreamGroupInput {
        identifier: String::new(),
        location_configurations: Some(vec![]),
        description: Some(String::new()),
        default_application_identifier: Some(String::new()),
    };
    assert_eq!(
        err(input.validate()),
        "4 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '[]' at 'locationConfigurations' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '' at 'description' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '' at 'defaultApplicationIdentifier' failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn get_and_delete_stream_group() {
    for id in ["sg-1AB2C3De4", GROUP_ARN] {
        ok(GetStreamGroupInput {
            identifier: id.into(),
        }
        .validate());
        ok(DeleteStreamGroupInput {
            identifier: id.into(),
        }
        .validate());
    }
    let empty = one("Value '' at 'identifier' failed to satisfy constraint: \
         Member must have length greater than or equal to 1");
    assert_eq!(err(GetStreamGroupInput::default().validate()), empty);
    assert_eq!(err(DeleteStreamGroupInput::default().validate()), empty);
    let bad = "arn:aws:gameliftstreams:us-west-2:1111222233334:streamgroup/sg-1";
    let expected = one(&format!(
        "Value '{bad}' at 'identifier' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: {IDENTIFIER}"
    ));
    assert_eq!(
        err(GetStreamGroupInput {
            identifier: bad.into()
        }
        .validate()),
        expected
    );
    assert_eq!(
        err(DeleteStreamGroupInput {
            identifier: bad.into()
        }
        .validate()),
        expected
    );
}

#[test]
fn add_stream_group_locations() {
    ok(AddStreamGroupLocationsInput {
        identifier: "sg-1".into(),
        location_configurations: Some(vec![location("eu-central-1")]),
    }
    .validate());
    assert_eq!(
        err(AddStreamGroupLocationsInput::default().validate()),
        "2 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value null at 'locationConfigurations' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        err(AddStreamGroupLocationsInput {
            identifier: "sg-1".into(),
            location_configurations: Some(vec![]),
        }
        .validate()),
        one(
            "Value '[]' at 'locationConfigurations' failed to satisfy constraint: \
             Member must have length greater than or equal to 1"
        )
    );
    assert_eq!(
        err(AddStreamGroupLocationsInput {
            identifier: "sg-1".into(),
            location_configurations: Some(vec![LocationConfiguration::default()]),
        }
        .validate()),
        one(
            "Value null at 'locationConfigurations.1.member.locationName' failed to satisfy \
             constraint: Member must not be null"
        )
    );
}

#[test]
fn remove_stream_group_locations() {
    let with = |locations: Option<Vec<String>>| RemoveStreamGroupLocationsInput {
        identifier: "sg-1AB2C3De4".into(),
        locations,
    };
    ok(with(Some(strings(&["us-east-1"]))).validate());
    // The items are plain strings: no constraint.
    ok(with(Some(strings(&["", "not a location!"]))).validate());
    ok(with(Some(vec!["x".to_string(); 100])).validate());
    assert_eq!(
        err(with(None).validate()),
        one("Value null at 'locations' failed to satisfy constraint: Member must not be null")
    );
    assert_eq!(
        err(with(Some(vec![])).validate()),
        one("Value '[]' at 'locations' failed to satisfy constraint: \
             Member must have length greater than or equal to 1")
    );
    assert_eq!(
        err(with(Some(vec!["x".to_string(); 101])).validate()),
        one(&format!(
            "Value '[{}]' at 'locations' failed to satisfy constraint: \
             Member must have length less than or equal to 100",
            ["x"; 101].join(", ")
        ))
    );
    assert_eq!(
        err(RemoveStreamGroupLocationsInput::default().validate()),
        "2 validation errors detected: \
         Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value null at 'locations' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn associate_and_disassociate_applications() {
    fn check(validate: impl Fn(&str, Option<Vec<String>>) -> Result<(), ValidationError>) {
        ok(validate("sg-1", Some(strings(&["a-9ZY8X7Wv6", APP_ARN]))));
        ok(validate(GROUP_ARN, Some(vec!["a-1".to_string(); 50])));
        assert_eq!(
            err(validate("", None)),
            "2 validation errors detected: \
             Value '' at 'identifier' failed to satisfy constraint: Member must have length greater than or equal to 1; \
             Value null at 'applicationIdentifiers' failed to satisfy constraint: Member must not be null"
        );
        assert_eq!(
            err(validate("sg-1", Some(vec![]))),
            one(
                "Value '[]' at 'applicationIdentifiers' failed to satisfy constraint: \
                 Member must have length greater than or equal to 1"
            )
        );
        assert_eq!(
            err(validate("sg-1", Some(vec!["a-1".to_string(); 51]))),
            one(&format!(
                "Value '[{}]' at 'applicationIdentifiers' failed to satisfy constraint: \
                 Member must have length less than or equal to 50",
                ["a-1"; 51].join(", ")
            ))
        );
        assert_eq!(
            err(validate("sg-1", Some(strings(&["a-1", "a 2", ""])))),
            format!(
                "2 validation errors detected: \
                 Value 'a 2' at 'applicationIdentifiers.2.member' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}; \
                 Value '' at 'applicationIdentifiers.3.member' failed to satisfy constraint: Member must have length greater than or equal to 1"
            )
        );
    }
    check(|id, apps| {
        AssociateApplicationsInput {
            identifier: id.into(),
            application_identifiers: apps,
        }
        .validate()
    });
    check(|id, apps| {
        DisassociateApplicationsInput {
            identifier: id.into(),
            application_identifiers: apps,
        }
        .validate()
    });
}

// ---------------------------------------------------------------------------------------------
// Applications
// ---------------------------------------------------------------------------------------------

fn create_app() -> CreateApplicationInput {
    CreateApplicationInput {
        description: Some("My game".into()),
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(RuntimeEnvironmentType::Proton),
            version: Some("20241007".into()),
        }),
        executable_path: Some("bin/Game.exe".into()),
        application_source_uri: Some("s3://amzn-s3-demo-bucket/my-game/".into()),
        application_log_paths: Some(strings(&["logs/", ""])),
        application_log_output_uri: Some("s3://amzn-s3-demo-log-bucket/logs/".into()),
        tags: Some(map(&[("team", "games")])),
        client_token: Some(TOKEN.into()),
    }
}

#[test]
fn create_application_valid_inputs_pass() {
    ok(create_app().validate());
    ok(CreateApplicationInput {
        application_log_paths: None,
        application_log_output_uri: None,
        tags: None,
        client_token: None,
        ..create_app()
    }
    .validate());
    // An empty log path list needs no output URI; an empty URI matches the pattern.
    ok(CreateApplicationInput {
        application_log_paths: Some(vec![]),
        application_log_output_uri: Some(String::new()),
        ..create_app()
    }
    .validate());
}

#[test]
fn create_application_required_members() {
    assert_eq!(
        err(CreateApplicationInput::default().validate()),
        "4 validation errors detected: \
         Value null at 'description' failed to satisfy constraint: Member must not be null; \
         Value null at 'runtimeEnvironment' failed to satisfy constraint: Member must not be null; \
         Value null at 'executablePath' failed to satisfy constraint: Member must not be null; \
         Value null at 'applicationSourceUri' failed to satisfy constraint: Member must not be null"
    );
    assert_eq!(
        err(CreateApplicationInput {
            runtime_environment: Some(RuntimeEnvironment::default()),
            ..create_app()
        }
        .validate()),
        "2 validation errors detected: \
         Value null at 'runtimeEnvironment.type' failed to satisfy constraint: Member must not be null; \
         Value null at 'runtimeEnvironment.version' failed to satisfy constraint: Member must not be null"
    );
    // The nested structure validates on its own, with relative paths.
    assert_eq!(
        err(RuntimeEnvironment::default().validate()),
        "2 validation errors detected: \
         Value null at 'type' failed to satisfy constraint: Member must not be null; \
         Value null at 'version' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn create_application_lengths() {
    let long_version = "9".repeat(257);
    let long_path = "p".repeat(1025);
    let input = CreateApplicationInput {
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(RuntimeEnvironmentType::Ubuntu),
            version: Some(long_version.clone()),
        }),
        executable_path: Some(long_path.clone()),
        application_source_uri: Some(String::new()),
        ..create_app()
    };
    assert_eq!(
        err(input.validate()),
        format!(
            "3 validation errors detected: \
             Value '{long_version}' at 'runtimeEnvironment.version' failed to satisfy constraint: Member must have length less than or equal to 256; \
             Value '{long_path}' at 'executablePath' failed to satisfy constraint: Member must have length less than or equal to 1024; \
             Value '' at 'applicationSourceUri' failed to satisfy constraint: Member must have length greater than or equal to 1"
        )
    );
    ok(CreateApplicationInput {
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(RuntimeEnvironmentType::Ubuntu),
            version: Some("9".repeat(256)),
        }),
        executable_path: Some("p".repeat(1024)),
        application_source_uri: Some("s".repeat(1024)),
        ..create_app()
    }
    .validate());
}

#[test]
fn windows_executables_end_in_exe_cmd_or_bat() {
    let with = |kind, path: &str| CreateApplicationInput {
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(kind),
            version: Some("2022".into()),
        }),
        executable_path: Some(path.into()),
        ..create_app()
    };
    let rule = |path: &str| {
        one(&format!(
            "Value '{path}' at 'executablePath' failed to satisfy constraint: For Windows \
             applications (runtime environment type WINDOWS or PROTON), the file must be a \
             Windows executable or batch file with a filename ending in .exe, .cmd, or .bat"
        ))
    };
    assert_eq!(
        err(with(RuntimeEnvironmentType::Windows, "game").validate()),
        rule("game")
    );
    assert_eq!(
        err(with(RuntimeEnvironmentType::Proton, "run.sh").validate()),
        rule("run.sh")
    );
    for path in ["Game.exe", "launch.BAT", "start.Cmd", "dir/x.exe"] {
        ok(with(RuntimeEnvironmentType::Windows, path).validate());
        ok(with(RuntimeEnvironmentType::Proton, path).validate());
    }
    ok(with(RuntimeEnvironmentType::Ubuntu, "bin/game").validate());
}

#[test]
fn application_log_paths_and_output_uri() {
    let with = |paths: Option<Vec<String>>, uri: Option<&str>| CreateApplicationInput {
        application_log_paths: paths,
        application_log_output_uri: uri.map(Into::into),
        ..create_app()
    };
    assert_eq!(
        err(with(Some(strings(&["logs/"])), None).validate()),
        one(
            "Value null at 'applicationLogOutputUri' failed to satisfy constraint: \
             Member is required if you specify one or more ApplicationLogPaths"
        )
    );
    assert_eq!(
        err(with(Some(strings(&["logs/"])), Some("")).validate()),
        one(
            "Value '' at 'applicationLogOutputUri' failed to satisfy constraint: \
             Member is required if you specify one or more ApplicationLogPaths"
        )
    );
    assert_eq!(
        err(with(None, Some("https://amzn-s3-demo-bucket/logs")).validate()),
        one(
            "Value 'https://amzn-s3-demo-bucket/logs' at 'applicationLogOutputUri' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             $|^s3://([a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9])(/[a-zA-Z0-9._-]+)*/?"
        )
    );
    let long_uri = format!("s3://bucket/{}", "l".repeat(1013));
    assert_eq!(long_uri.len(), 1025);
    assert_eq!(
        err(with(None, Some(&long_uri)).validate()),
        one(&format!(
            "Value '{long_uri}' at 'applicationLogOutputUri' failed to satisfy constraint: \
             Member must have length less than or equal to 1024"
        ))
    );
    ok(with(None, Some(&long_uri[..1024])).validate());
    let eleven = vec!["logs/".to_string(); 11];
    assert_eq!(
        err(with(Some(eleven), Some("s3://bucket")).validate()),
        one(&format!(
            "Value '[{}]' at 'applicationLogPaths' failed to satisfy constraint: \
             Member must have length less than or equal to 10",
            ["logs/"; 11].join(", ")
        ))
    );
    let long_path = "p".repeat(1025);
    assert_eq!(
        err(with(Some(vec![long_path.clone()]), Some("s3://bucket")).validate()),
        one(&format!(
            "Value '{long_path}' at 'applicationLogPaths.1.member' failed to satisfy constraint: \
             Member must have length less than or equal to 1024"
        ))
    );
    ok(with(Some(vec!["p".repeat(1024); 10]), Some("s3://bucket")).validate());
}

#[test]
fn create_application_tags_and_client_token() {
    let input = CreateApplicationInput {
        tags: Some(BTreeMap::new()),
        client_token: Some("0123456789abcdef0123456789abcdé".into()),
        ..create_app()
    };
    assert_eq!(
        err(input.validate()),
        "2 validation errors detected: \
         Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1; \
         Value '0123456789abcdef0123456789abcdé' at 'clientToken' failed to satisfy constraint: Member must have length greater than or equal to 32"
    );
    let input = CreateApplicationInput {
        client_token: Some("0123456789abcdef0123456789abcdeé".into()),
        ..create_app()
    };
    assert_eq!(
        err(input.validate()),
        one(
            "Value '0123456789abcdef0123456789abcdeé' at 'clientToken' failed to satisfy \
             constraint: Member must satisfy regular expression pattern: [\\x21-\\x7E]+"
        )
    );
}

#[test]
fn update_application() {
    ok(UpdateApplicationInput {
        identifier: "a-9ZY8X7Wv6".into(),
        ..Default::default()
    }
    .validate());
    // Log paths without a log output URI: the application may already have one, so this is
    // not an input check.
    ok(UpdateApplicationInput {
        identifier: APP_ARN.into(),
        description: Some("v2".into()),
        application_log_paths: Some(strings(&["logs/"])),
        application_log_output_uri: None,
    }
    .validate());
    let input = UpdateApplicationInput {
        identifier: "a_1".into(),
        description: Some("!".repeat(81)),
        application_log_paths: Some(vec![String::new(); 11]),
        application_log_output_uri: Some("s3://ab".into()),
    };
    assert_eq!(
        err(input.validate()),
        format!(
            "4 validation errors detected: \
             Value 'a_1' at 'identifier' failed to satisfy constraint: Member must satisfy regular expression pattern: {IDENTIFIER}; \
             Value '{}' at 'description' failed to satisfy constraint: Member must have length less than or equal to 80; \
             Value '[{}]' at 'applicationLogPaths' failed to satisfy constraint: Member must have length less than or equal to 10; \
             Value 's3://ab' at 'applicationLogOutputUri' failed to satisfy constraint: Member must satisfy regular expression pattern: $|^s3://([a-zA-Z0-9][a-zA-Z0-9._-]{{1,61}}[a-zA-Z0-9])(/[a-zA-Z0-9._-]+)*/?",
            "!".repeat(81),
            [""; 11].join(", ")
        )
    );
}

#[test]
fn get_and_delete_application() {
    for id in ["a-9ZY8X7Wv6", APP_ARN] {
        ok(GetApplicationInput {
            identifier: id.into(),
        }
        .validate());
        ok(DeleteApplicationInput {
            identifier: id.into(),
        }
        .validate());
    }
    let empty = one("Value '' at 'identifier' failed to satisfy constraint: \
         Member must have length greater than or equal to 1");
    assert_eq!(err(GetApplicationInput::default().validate()), empty);
    assert_eq!(err(DeleteApplicationInput::default().validate()), empty);
    let expected = one(&format!(
        "Value 'a-1 ' at 'identifier' failed to satisfy constraint: \
         Member must satisfy regular expression pattern: {IDENTIFIER}"
    ));
    assert_eq!(
        err(GetApplicationInput {
            identifier: "a-1 ".into()
        }
        .validate()),
        expected
    );
    assert_eq!(
        err(DeleteApplicationInput {
            identifier: "a-1 ".into()
        }
        .validate()),
        expected
    );
}

#[test]
fn nested_structures_validate_on_their_own() {
    ok(location("us-east-1").validate());
    assert_eq!(
        err(LocationConfiguration::default().validate()),
        one("Value null at 'locationName' failed to satisfy constraint: Member must not be null")
    );
    ok(DisplayConfiguration::default().validate());
    assert_eq!(
        err(Resolution {
            width: Some(321),
            height: Some(7000),
        }
        .validate()),
        "3 validation errors detected: \
         Value '321' at 'width' failed to satisfy constraint: Member must be an even number; \
         Value '7000' at 'height' failed to satisfy constraint: Member must have value less than or equal to 4096; \
         Value 'Resolution(Width=321, Height=7000)' at 'resolution' failed to satisfy constraint: The total number of pixels (width × height) must not exceed 2,073,600 (equivalent to 1920 × 1080)"
    );
    assert_eq!(Resolution::MAX_PIXELS, 2_073_600);
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

#[track_caller]
fn check_pattern(f: fn(&str) -> bool, matching: &[&str], not_matching: &[&str]) {
    for s in matching {
        assert!(f(s), "{s:?} should match");
    }
    for s in not_matching {
        assert!(!f(s), "{s:?} should not match");
    }
}

#[test]
fn pattern_texts_are_the_models() {
    assert_eq!(IDENTIFIER_PATTERN, IDENTIFIER);
    assert_eq!(
        ARN_PATTERN,
        "arn:aws:gameliftstreams:([^: ]*):([0-9]{12}):([^: ]*)"
    );
    assert_eq!(ID_PATTERN, "[a-zA-Z0-9-]+");
    assert_eq!(LOCATION_NAME_PATTERN, "[a-zA-Z0-9-]+");
    assert_eq!(
        DESCRIPTION_PATTERN,
        "[a-zA-Z0-9-_.!+@/][a-zA-Z0-9-_.!+@/ ]*"
    );
    assert_eq!(CLIENT_TOKEN_PATTERN, r"[\x21-\x7E]+");
    assert_eq!(USER_ID_PATTERN, "[-_a-zA-Z0-9/=+]*");
    assert_eq!(ENVIRONMENT_VARIABLE_KEY_PATTERN, "[_a-zA-Z][_a-zA-Z0-9]*");
    assert_eq!(
        IAM_ROLE_ARN_PATTERN,
        r"arn:aws[a-zA-Z-]*:iam::\d{12}:role/.+"
    );
    assert_eq!(
        APPLICATION_LOG_OUTPUT_URI_PATTERN,
        "$|^s3://([a-zA-Z0-9][a-zA-Z0-9._-]{1,61}[a-zA-Z0-9])(/[a-zA-Z0-9._-]+)*/?"
    );
    assert_eq!(
        IPV4_CIDR_BLOCK_PATTERN,
        r"(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])/([0-9]|[1-2][0-9]|3[0-2])"
    );
    assert_eq!(OUTPUT_URI_PATTERN, r"s3://.*(/|\.zip|\.ZIP)");
}

#[test]
fn identifier_pattern() {
    check_pattern(
        is_identifier,
        &[
            "sg-1AB2C3De4",
            "a-9ZY8X7Wv6",
            "ABC123def4567",
            "-",
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
            // The region and resource may be empty, and may hold anything but `:` and space.
            "arn:aws:gameliftstreams::111122223333:",
            "arn:aws:gameliftstreams:region/é:000000000000:x/y_z.é",
        ],
        &[
            "",
            " ",
            "sg_1AB2C3De4",
            "sg 1",
            " sg-1",
            "sg-1 ",
            "sg-1\n",
            "sg-1:",
            "é",
            // Account: exactly 12 ASCII digits.
            "arn:aws:gameliftstreams:us-west-2:11112222333:streamgroup/sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us-west-2:1111222233334:streamgroup/sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us-west-2:11112222333a:streamgroup/sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us-west-2:١١١١٢٢٢٢٣٣٣٣:streamgroup/sg-1",
            // No spaces or extra colons in the region or resource.
            "arn:aws:gameliftstreams:us west-2:111122223333:streamgroup/sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4 ",
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup:sg-1AB2C3De4",
            "arn:aws:gameliftstreams:us:west-2:111122223333:streamgroup/sg-1AB2C3De4",
            // Missing parts, other services and partitions, case.
            "arn:aws:gameliftstreams:us-west-2:111122223333",
            "arn:aws:gameliftstreams:111122223333:streamgroup/sg-1",
            "arn:aws:gamelift:us-west-2:111122223333:streamgroup/sg-1",
            "arn:aws-cn:gameliftstreams:cn-north-1:111122223333:streamgroup/sg-1",
            "ARN:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1",
            " arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1",
        ],
    );
    // Through validation, with the exact message.
    let bad = "arn:aws:gameliftstreams:us-west-2:11112222333:streamgroup/sg-1AB2C3De4";
    assert_eq!(
        err(GetStreamGroupInput {
            identifier: bad.into()
        }
        .validate()),
        one(&format!(
            "Value '{bad}' at 'identifier' failed to satisfy constraint: \
             Member must satisfy regular expression pattern: {IDENTIFIER}"
        ))
    );
    ok(GetStreamGroupInput {
        identifier: "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4"
            .into(),
    }
    .validate());
}

#[test]
fn arn_and_id_patterns() {
    check_pattern(
        is_arn,
        &[
            GROUP_ARN,
            APP_ARN,
            SESSION_ARN,
            "arn:aws:gameliftstreams::000000000000:",
        ],
        &[
            "sg-1AB2C3De4",
            "",
            "arn:aws:gameliftstreams:us-west-2:11112222333:streamgroup/sg-1",
            "arn:aws:gameliftstreams:us-west-2:111122223333:a:b",
            "arn:aws:gameliftstreams:us-west-2:111122223333:a b",
        ],
    );
    for f in [is_id, is_location_name] {
        check_pattern(
            f,
            &["us-east-1", "sg-1AB2C3De4", "0", "-"],
            &["", "us_east_1", "us east", "é", "a/b"],
        );
    }
}

#[test]
fn description_pattern() {
    check_pattern(
        is_description,
        &[
            "My game",
            "a",
            "-",
            "x-_.!+@/ y",
            "double  space",
            "trailing space ",
            "0.1.2",
        ],
        &[
            "",
            " leading",
            " ",
            "tab\there",
            "new\nline",
            "émoji",
            "semi;colon",
            "(parens)",
            "comma,",
        ],
    );
}

#[test]
fn client_token_pattern() {
    check_pattern(
        is_client_token,
        &["!", "~", "abc-123_XYZ", TOKEN, "{\"json\":[1]}"],
        &["", "a b", "é", "\u{7f}", "tab\t", "new\n"],
    );
}

#[test]
fn user_id_pattern() {
    check_pattern(
        is_user_id,
        &["", "player-42", "a_b/c=d+e", "0"],
        &["a b", "user@example.com", "é", "a.b", "a:b"],
    );
}

#[test]
fn environment_variable_key_pattern() {
    check_pattern(
        is_environment_variable_key,
        &["_", "A", "GAME_MODE_2", "_1", "lower_case"],
        &["", "1A", "A-B", "A B", "É", "A=B", "A."],
    );
}

#[test]
fn iam_role_arn_pattern() {
    check_pattern(
        is_iam_role_arn,
        &[
            "arn:aws:iam::111122223333:role/GameLiftStreams-Role",
            "arn:aws-cn:iam::111122223333:role/GameLiftStreams-Role",
            "arn:aws-us-gov:iam::111122223333:role/path/GameLiftStreams-Role",
            "arn:awsX:iam::111122223333:role/ é",
            "arn:aws:iam::000000000000:role/x",
        ],
        &[
            "",
            "arn:aws:iam::111122223333:role/",
            "arn:aws:iam::11112222333:role/x",
            "arn:aws:iam::1111222233334:role/x",
            "arn:aws:iam::11112222333a:role/x",
            "arn:aws1:iam::111122223333:role/x",
            "arn:aws:iam:us-east-1:111122223333:role/x",
            "arn:aws:iam::111122223333:user/x",
            "arn:aws:iam::111122223333:role/x\ny",
            "arn:aws:iam::111122223333:role/x\r",
            "arn:aws:iam::111122223333:role/x\u{2028}",
            "arn:aws:sts::111122223333:role/x",
            "xarn:aws:iam::111122223333:role/x",
            "arn:aws:iam::111122223333",
            "arn:aws",
        ],
    );
}

#[test]
fn application_log_output_uri_pattern() {
    let bucket63 = format!("s3://a{}a", "b".repeat(61));
    let bucket64 = format!("s3://a{}a", "b".repeat(62));
    check_pattern(
        is_application_log_output_uri,
        &[
            "",
            "s3://abc",
            "s3://amzn-s3-demo-bucket",
            "s3://bucket/",
            "s3://bucket/logs",
            "s3://bucket/logs/",
            "s3://bucket/a/b.c/d_e-f/",
            "s3://my.bucket-1",
            "s3://bu_cket",
            "s3://1-9",
            &bucket63,
        ],
        &[
            "s3://ab",
            "s3://",
            "s3:///",
            &bucket64,
            "s3://-bucket",
            "s3://bucket-",
            "s3://.bucket",
            "s3://bucket//",
            "s3://bucket/a//b",
            "s3://bucket/a b",
            "s3://bucket/é",
            "s3://buc ket",
            "S3://bucket",
            "https://bucket",
            "s3:/bucket",
            " ",
            "s3://bucket ",
            "s3://bucket/\n",
        ],
    );
}

#[test]
fn ipv4_cidr_block_pattern() {
    check_pattern(
        is_ipv4_cidr_block,
        &[
            "0.0.0.0/0",
            "10.0.0.0/16",
            "192.168.1.0/24",
            "255.255.255.255/32",
            "1.2.3.4/9",
            "100.64.0.0/10",
            "199.249.200.250/30",
        ],
        &[
            "",
            "10.0.0.0",
            "10.0.0/16",
            "10.0.0.0.0/16",
            "256.0.0.0/16",
            "10.0.0.300/16",
            "010.0.0.0/16",
            "10.00.0.0/16",
            "10.0.0.0/33",
            "10.0.0.0/01",
            "10.0.0.0/",
            "10.0.0.0/16/1",
            " 10.0.0.0/16",
            "10.0.0.0/16 ",
            "10.0.0.-1/16",
            "a.b.c.d/16",
            "10.0.0.0/+1",
            "10..0.0/16",
            "1000.0.0.0/16",
        ],
    );
}

#[test]
fn output_uri_pattern() {
    check_pattern(
        is_output_uri,
        &[
            "s3:///",
            "s3://bucket/",
            "s3://bucket/file.zip",
            "s3://bucket/FILE.ZIP",
            "s3://b/ x y.zip",
            "s3://.zip",
        ],
        &[
            "",
            "s3://",
            "s3://bucket",
            "s3://bucket/file.Zip",
            "S3://bucket/",
            "s3://bucket/\n/",
            "s3://bucket/file.zip\n",
            "https://bucket/",
        ],
    );
}

#[test]
fn capacities_are_multiples_of_the_stream_class_tenancy() {
    // The tenancy of every stream class, from the model's StreamClass documentation.
    let tenancies = [
        (StreamClass::Gen4nHigh, 2),
        (StreamClass::Gen4nUltra, 1),
        (StreamClass::Gen4nWin2022, 1),
        (StreamClass::Gen5nHigh, 2),
        (StreamClass::Gen5nUltra, 1),
        (StreamClass::Gen5nWin2022, 1),
        (StreamClass::Gen6nSmall, 12),
        (StreamClass::Gen6nMedium, 4),
        (StreamClass::Gen6nHigh, 2),
        (StreamClass::Gen6nUltra, 1),
        (StreamClass::Gen6nUltraWin2022, 1),
        (StreamClass::Gen6nPro, 1),
        (StreamClass::Gen6nProWin2022, 1),
        (StreamClass::Gen6nSmallWin2022, 1),
        (StreamClass::Gen6nMediumWin2022, 1),
        (StreamClass::Gen6ePro, 1),
        (StreamClass::Gen6eProWin2022, 1),
    ];
    assert_eq!(tenancies.len(), StreamClass::ALL.len());
    for (class, tenancy) in tenancies {
        assert_eq!(class.tenancy(), tenancy, "{class}");
    }

    let with = |class, configuration: LocationConfiguration| CreateStreamGroupInput {
        stream_class: Some(class),
        location_configurations: Some(vec![location("us-east-1"), configuration]),
        ..create_group()
    };
    let configuration = LocationConfiguration {
        location_name: Some("us-west-2".into()),
        always_on_capacity: Some(6),
        on_demand_capacity: None,
        target_idle_capacity: Some(0),
        maximum_capacity: Some(25),
        vpc_transit_configuration: None,
    };
    assert_eq!(
        err(with(StreamClass::Gen6nSmall, configuration.clone()).validate_for_tenancy()),
        "2 validation errors detected: \
         Value '6' at 'locationConfigurations.2.member.alwaysOnCapacity' failed to satisfy constraint: Member must be a whole number multiple of the tenancy (12) of stream class gen6n_small; \
         Value '25' at 'locationConfigurations.2.member.maximumCapacity' failed to satisfy constraint: Member must be a whole number multiple of the tenancy (12) of stream class gen6n_small"
    );
    assert_eq!(
        err(with(StreamClass::Gen5nHigh, configuration.clone()).validate_for_tenancy()),
        one(
            "Value '25' at 'locationConfigurations.2.member.maximumCapacity' failed to satisfy \
             constraint: Member must be a whole number multiple of the tenancy (2) of stream \
             class gen5n_high"
        )
    );
    // Tenancy 1 accepts any capacity; zero is a multiple of every tenancy.
    ok(with(StreamClass::Gen4nUltra, configuration.clone()).validate());
    ok(with(
        StreamClass::Gen6nMedium,
        LocationConfiguration {
            always_on_capacity: Some(0),
            maximum_capacity: Some(8),
            ..configuration.clone()
        },
    )
    .validate());
    let on_demand = LocationConfiguration {
        location_name: Some("us-west-2".into()),
        on_demand_capacity: Some(3),
        ..Default::default()
    };
    assert_eq!(
        err(with(StreamClass::Gen6nHigh, on_demand.clone()).validate_for_tenancy()),
        one(
            "Value '3' at 'locationConfigurations.2.member.onDemandCapacity' failed to satisfy \
             constraint: Member must be a whole number multiple of the tenancy (2) of stream \
             class gen6n_high"
        )
    );

    // Update and Add do not know the group's class: validate() skips the rule, validate_for()
    // applies it.
    let update = UpdateStreamGroupInput {
        identifier: "sg-1".into(),
        location_configurations: Some(vec![configuration.clone()]),
        ..Default::default()
    };
    ok(update.validate());
    assert_eq!(
        err(update.validate_for(StreamClass::Gen6nMedium)),
        "2 validation errors detected: \
         Value '6' at 'locationConfigurations.1.member.alwaysOnCapacity' failed to satisfy constraint: Member must be a whole number multiple of the tenancy (4) of stream class gen6n_medium; \
         Value '25' at 'locationConfigurations.1.member.maximumCapacity' failed to satisfy constraint: Member must be a whole number multiple of the tenancy (4) of stream class gen6n_medium"
    );
    ok(update.validate_for(StreamClass::Gen6nPro));
    let add = AddStreamGroupLocationsInput {
        identifier: "sg-1".into(),
        location_configurations: Some(vec![on_demand.clone()]),
    };
    ok(add.validate());
    assert_eq!(
        err(add.validate_for(StreamClass::Gen4nHigh)),
        one(
            "Value '3' at 'locationConfigurations.1.member.onDemandCapacity' failed to satisfy \
             constraint: Member must be a whole number multiple of the tenancy (2) of stream \
             class gen4n_high"
        )
    );
    ok(on_demand.validate());
    assert_eq!(
        err(on_demand.validate_for(StreamClass::Gen6nSmall)),
        one(
            "Value '3' at 'onDemandCapacity' failed to satisfy constraint: Member must be a \
             whole number multiple of the tenancy (12) of stream class gen6n_small"
        )
    );
}
