//! The stream session operations: `StartStreamSession`, `GetStreamSession`,
//! `ListStreamSessions`, `ListStreamSessionsByAccount`, `TerminateStreamSession` and
//! `CreateStreamSessionConnection`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{
    CLIENT_TOKEN, CONNECTION_TIMEOUT_SECONDS, DESCRIPTION, ENVIRONMENT_VARIABLE_KEY,
    ENVIRONMENT_VARIABLE_VALUE, ENVIRONMENT_VARIABLES, GAME_LAUNCH_ARG_LIST, IAM_ROLE_ARN,
    IDENTIFIER, LOCATION_LIST, MAX_RESULTS, SESSION_LENGTH_SECONDS, USER_ID, Violations,
};
use super::enums::{ExportFilesStatus, Protocol, StreamSessionStatus, StreamSessionStatusReason};
use super::epoch;
use super::patterns::is_iam_role_arn;
use super::sensitive::SensitiveString;
use super::shapes::{
    DisplayConfiguration, ExportFilesMetadata, PerformanceStatsConfiguration, StreamSessionSummary,
};
use crate::ValidationError;
use crate::validate::{LOCATION_NAME, SIGNAL_REQUEST};

/// The input (request) of `StartStreamSession` (`POST /streamgroups/{Identifier}/streamsessions`):
/// see [`Operation::StartStreamSession`](crate::api::Operation::StartStreamSession).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartStreamSessionInput {
    /// `ClientToken`: A unique identifier that represents a client request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
    /// `Description`: A human-readable label for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `Identifier` (required, path label `Identifier`): The stream group to run this stream
    /// session with.
    #[serde(skip)]
    pub identifier: String,
    /// `Protocol` (required): The data transport protocol to use for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protocol: Option<Protocol>,
    /// `SignalRequest` (required): A WebRTC ICE offer string to use when initializing a WebRTC
    /// connection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_request: Option<SensitiveString>,
    /// `ApplicationIdentifier` (required): An Amazon Resource Name (ARN) or ID that uniquely
    /// identifies the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_identifier: Option<String>,
    /// `UserId`: An opaque, unique identifier for an end-user, defined by the developer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_id: Option<String>,
    /// `Locations`: A list of locations, in order of priority, where you want Amazon GameLift
    /// Streams to start a stream from.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub locations: Option<Vec<String>>,
    /// `ConnectionTimeoutSeconds`: Length of time (in seconds) that Amazon GameLift Streams should
    /// wait for a client to connect or reconnect to the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub connection_timeout_seconds: Option<i32>,
    /// `SessionLengthSeconds`: The maximum duration of a session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_length_seconds: Option<i32>,
    /// `AdditionalLaunchArgs`: A list of CLI arguments that are sent to the streaming server when a
    /// stream session launches.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_launch_args: Option<Vec<String>>,
    /// `AdditionalEnvironmentVariables`: A set of options that you can use to control the stream
    /// session runtime environment, expressed as a set of key-value pairs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_environment_variables: Option<BTreeMap<String, String>>,
    /// `PerformanceStatsConfiguration`: Configuration settings for sharing the stream session's
    /// performance stats with the client.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub performance_stats_configuration: Option<PerformanceStatsConfiguration>,
    /// `RoleArn`: The ARN of an AWS Identity and Access Management (IAM) role that Amazon GameLift
    /// Streams assumes on your behalf during the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<SensitiveString>,
    /// `DisplayConfiguration`: The configuration for the stream session's virtual monitor,
    /// including the resolution settings.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_configuration: Option<DisplayConfiguration>,
}

/// The output (response) of `StartStreamSession` (`POST
/// /streamgroups/{Identifier}/streamsessions`): see
/// [`Operation::StartStreamSession`](crate::api::Operation::StartStreamSession).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StartStreamSessionOutput {
    /// `Arn`: The Amazon Resource Name (ARN) that's assigned to a stream session resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A human-readable label for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `StreamGroupId`: The unique identifier for the Amazon GameLift Streams stream group that is
    /// hosting the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_group_id: Option<String>,
    /// `UserId`: An opaque, unique identifier for an end-user, defined by the developer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_id: Option<String>,
    /// `Status`: The current status of the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamSessionStatus>,
    /// `StatusReason`: A short description of the reason the stream session is in `ERROR` status or
    /// `TERMINATED` status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamSessionStatusReason>,
    /// `Protocol`: The data transfer protocol in use with the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protocol: Option<Protocol>,
    /// `Location`: The location where Amazon GameLift Streams hosts and streams your application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    /// `SignalRequest`: The WebRTC ICE offer string that a client generates to initiate a
    /// connection to the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_request: Option<SensitiveString>,
    /// `SignalResponse`: The WebRTC answer string that the stream server generates in response to
    /// the `SignalRequest`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_response: Option<SensitiveString>,
    /// `ConnectionTimeoutSeconds`: The length of time that Amazon GameLift Streams should wait for
    /// a client to connect or reconnect to the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub connection_timeout_seconds: Option<i32>,
    /// `SessionLengthSeconds`: The maximum duration of a session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_length_seconds: Option<i32>,
    /// `AdditionalLaunchArgs`: A list of CLI arguments that are sent to the streaming server when a
    /// stream session launches.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_launch_args: Option<Vec<String>>,
    /// `AdditionalEnvironmentVariables`: A set of options that you can use to control the stream
    /// session runtime environment, expressed as a set of key-value pairs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_environment_variables: Option<BTreeMap<String, String>>,
    /// `PerformanceStatsConfiguration`: The performance stats configuration for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub performance_stats_configuration: Option<PerformanceStatsConfiguration>,
    /// `LogFileLocationUri`: Access location for log files that your content generates during a
    /// stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub log_file_location_uri: Option<String>,
    /// `WebSdkProtocolUrl`: The URL of an S3 bucket that stores Amazon GameLift Streams WebSDK
    /// files.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub web_sdk_protocol_url: Option<String>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `ApplicationArn`: The application streaming in this session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arn: Option<String>,
    /// `ExportFilesMetadata`: Provides details about the stream session's exported files.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_files_metadata: Option<ExportFilesMetadata>,
    /// `RoleArn`: The ARN of the AWS Identity and Access Management (IAM) role that Amazon GameLift
    /// Streams assumes on behalf of your application during the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<SensitiveString>,
    /// `DisplayConfiguration`: The configuration for the stream session's virtual monitor.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_configuration: Option<DisplayConfiguration>,
    /// `ApplicationStartedAt`: A timestamp that indicates when the application launched for this
    /// stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub application_started_at: Option<DateTime<Utc>>,
    /// `StreamingStartedAt`: A timestamp that indicates when streaming started for this stream
    /// session, which is when a client connected to the stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub streaming_started_at: Option<DateTime<Utc>>,
    /// `StreamingEndedAt`: A timestamp that indicates when streaming ended for this stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub streaming_ended_at: Option<DateTime<Utc>>,
}

/// The input (request) of `GetStreamSession` (`GET
/// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}`): see
/// [`Operation::GetStreamSession`](crate::api::Operation::GetStreamSession).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetStreamSessionInput {
    /// `Identifier` (required, path label `Identifier`): The stream group that runs this stream
    /// session.
    #[serde(skip)]
    pub identifier: String,
    /// `StreamSessionIdentifier` (required, path label `StreamSessionIdentifier`): An Amazon
    /// Resource Name (ARN) or ID that uniquely identifies the stream session resource.
    #[serde(skip)]
    pub stream_session_identifier: String,
}

/// The output (response) of `GetStreamSession` (`GET
/// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}`): see
/// [`Operation::GetStreamSession`](crate::api::Operation::GetStreamSession).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetStreamSessionOutput {
    /// `Arn`: The Amazon Resource Name (ARN) that's assigned to a stream session resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A human-readable label for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `StreamGroupId`: The unique identifier for the Amazon GameLift Streams stream group that is
    /// hosting the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_group_id: Option<String>,
    /// `UserId`: An opaque, unique identifier for an end-user, defined by the developer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_id: Option<String>,
    /// `Status`: The current status of the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamSessionStatus>,
    /// `StatusReason`: A short description of the reason the stream session is in `ERROR` status or
    /// `TERMINATED` status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamSessionStatusReason>,
    /// `Protocol`: The data transfer protocol in use with the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protocol: Option<Protocol>,
    /// `Location`: The location where Amazon GameLift Streams hosts and streams your application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    /// `SignalRequest`: The WebRTC ICE offer string that a client generates to initiate a
    /// connection to the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_request: Option<SensitiveString>,
    /// `SignalResponse`: The WebRTC answer string that the stream server generates in response to
    /// the `SignalRequest`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_response: Option<SensitiveString>,
    /// `ConnectionTimeoutSeconds`: The length of time that Amazon GameLift Streams should wait for
    /// a client to connect or reconnect to the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub connection_timeout_seconds: Option<i32>,
    /// `SessionLengthSeconds`: The maximum duration of a session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_length_seconds: Option<i32>,
    /// `AdditionalLaunchArgs`: A list of CLI arguments that are sent to the streaming server when a
    /// stream session launches.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_launch_args: Option<Vec<String>>,
    /// `AdditionalEnvironmentVariables`: A set of options that you can use to control the stream
    /// session runtime environment, expressed as a set of key-value pairs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_environment_variables: Option<BTreeMap<String, String>>,
    /// `PerformanceStatsConfiguration`: The performance stats configuration for the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub performance_stats_configuration: Option<PerformanceStatsConfiguration>,
    /// `LogFileLocationUri`: Access location for log files that your content generates during a
    /// stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub log_file_location_uri: Option<String>,
    /// `WebSdkProtocolUrl`: The URL of an S3 bucket that stores Amazon GameLift Streams WebSDK
    /// files.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub web_sdk_protocol_url: Option<String>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `ApplicationArn`: The application streaming in this session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arn: Option<String>,
    /// `ExportFilesMetadata`: Provides details about the stream session's exported files.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_files_metadata: Option<ExportFilesMetadata>,
    /// `RoleArn`: The ARN of the AWS Identity and Access Management (IAM) role that Amazon GameLift
    /// Streams assumes on behalf of your application during the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<SensitiveString>,
    /// `DisplayConfiguration`: The configuration for the stream session's virtual monitor.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_configuration: Option<DisplayConfiguration>,
    /// `ApplicationStartedAt`: A timestamp that indicates when the application launched for this
    /// stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub application_started_at: Option<DateTime<Utc>>,
    /// `StreamingStartedAt`: A timestamp that indicates when streaming started for this stream
    /// session, which is when a client connected to the stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub streaming_started_at: Option<DateTime<Utc>>,
    /// `StreamingEndedAt`: A timestamp that indicates when streaming ended for this stream session.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub streaming_ended_at: Option<DateTime<Utc>>,
}

/// The input (request) of `ListStreamSessions` (`GET /streamgroups/{Identifier}/streamsessions`):
/// see [`Operation::ListStreamSessions`](crate::api::Operation::ListStreamSessions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamSessionsInput {
    /// `Status` (query string `Status`): Filter by the stream session status.
    #[serde(skip)]
    pub status: Option<StreamSessionStatus>,
    /// `ExportFilesStatus` (query string `ExportFilesStatus`): Filter by the exported files status.
    #[serde(skip)]
    pub export_files_status: Option<ExportFilesStatus>,
    /// `NextToken` (query string `NextToken`): The token that marks the start of the next set of
    /// results.
    #[serde(skip)]
    pub next_token: Option<String>,
    /// `MaxResults` (query string `MaxResults`): The number of results to return.
    #[serde(skip)]
    pub max_results: Option<i32>,
    /// `Identifier` (required, path label `Identifier`): The unique identifier of a Amazon GameLift
    /// Streams stream group to retrieve the stream session for.
    #[serde(skip)]
    pub identifier: String,
}

/// The output (response) of `ListStreamSessions` (`GET /streamgroups/{Identifier}/streamsessions`):
/// see [`Operation::ListStreamSessions`](crate::api::Operation::ListStreamSessions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamSessionsOutput {
    /// `Items`: A collection of Amazon GameLift Streams stream sessions that are associated with a
    /// stream group and returned in response to a list request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<StreamSessionSummary>>,
    /// `NextToken`: A token that marks the start of the next sequential page of results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_token: Option<String>,
}

/// The input (request) of `ListStreamSessionsByAccount` (`GET /streamsessions`): see
/// [`Operation::ListStreamSessionsByAccount`](crate::api::Operation::ListStreamSessionsByAccount).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamSessionsByAccountInput {
    /// `Status` (query string `Status`): Filter by the stream session status.
    #[serde(skip)]
    pub status: Option<StreamSessionStatus>,
    /// `ExportFilesStatus` (query string `ExportFilesStatus`): Filter by the exported files status.
    #[serde(skip)]
    pub export_files_status: Option<ExportFilesStatus>,
    /// `NextToken` (query string `NextToken`): The token that marks the start of the next set of
    /// results.
    #[serde(skip)]
    pub next_token: Option<String>,
    /// `MaxResults` (query string `MaxResults`): The number of results to return.
    #[serde(skip)]
    pub max_results: Option<i32>,
}

/// The output (response) of `ListStreamSessionsByAccount` (`GET /streamsessions`): see
/// [`Operation::ListStreamSessionsByAccount`](crate::api::Operation::ListStreamSessionsByAccount).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamSessionsByAccountOutput {
    /// `Items`: A collection of Amazon GameLift Streams stream sessions that are associated with a
    /// stream group and returned in response to a list request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<StreamSessionSummary>>,
    /// `NextToken`: A token that marks the start of the next sequential page of results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_token: Option<String>,
}

/// The input (request) of `TerminateStreamSession` (`DELETE
/// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}`): see
/// [`Operation::TerminateStreamSession`](crate::api::Operation::TerminateStreamSession).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TerminateStreamSessionInput {
    /// `Identifier` (required, path label `Identifier`): Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the stream group resource.
    #[serde(skip)]
    pub identifier: String,
    /// `StreamSessionIdentifier` (required, path label `StreamSessionIdentifier`): Amazon Resource
    /// Name (ARN) or ID that uniquely identifies the stream session resource.
    #[serde(skip)]
    pub stream_session_identifier: String,
}

/// The input (request) of `CreateStreamSessionConnection` (`POST
/// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/connections`): see [`Operati
/// on::CreateStreamSessionConnection`](crate::api::Operation::CreateStreamSessionConnection).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamSessionConnectionInput {
    /// `ClientToken`: A unique identifier that represents a client request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
    /// `Identifier` (required, path label `Identifier`): Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the stream group resource.
    #[serde(skip)]
    pub identifier: String,
    /// `StreamSessionIdentifier` (required, path label `StreamSessionIdentifier`): Amazon Resource
    /// Name (ARN) or ID that uniquely identifies the stream session resource.
    #[serde(skip)]
    pub stream_session_identifier: String,
    /// `SignalRequest` (required): A WebRTC ICE offer string to use when initializing a WebRTC
    /// connection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_request: Option<SensitiveString>,
}

/// The output (response) of `CreateStreamSessionConnection` (`POST
/// /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/connections`): see [`Operati
/// on::CreateStreamSessionConnection`](crate::api::Operation::CreateStreamSessionConnection).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamSessionConnectionOutput {
    /// `SignalResponse`: The WebRTC answer string that the stream server generates in response to
    /// the `SignalRequest`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal_response: Option<SensitiveString>,
}

/// The documented rule of `StartStreamSessionInput.RoleArn`.
const ROLE_NAME_RULE: &str = "The role name must start with GameLiftStreams-";

/// Whether the role named by a valid `IamRoleArn` has a name starting with `GameLiftStreams-`
/// (the name is the last `/`-separated part: a role ARN may carry a path).
fn role_name_ok(arn: &str) -> bool {
    arn.rsplit('/')
        .next()
        .is_some_and(|name| name.starts_with("GameLiftStreams-"))
}

/// The members a session's launch takes, shared by `StartStreamSession` and `CreateStreamUrl`
/// (which freezes them for the sessions it starts): `AdditionalLaunchArgs`,
/// `AdditionalEnvironmentVariables`, `RoleArn` (with its role-name rule) and
/// `DisplayConfiguration`, in that order.
pub(super) fn check_launch_settings(
    v: &mut Violations,
    launch_args: Option<&Vec<String>>,
    environment: Option<&BTreeMap<String, String>>,
    role_arn: Option<&str>,
    display: Option<&DisplayConfiguration>,
) {
    v.string_list(
        "additionalLaunchArgs".into(),
        launch_args,
        GAME_LAUNCH_ARG_LIST,
        None,
    );
    v.string_map(
        "additionalEnvironmentVariables".into(),
        environment,
        ENVIRONMENT_VARIABLES,
        &ENVIRONMENT_VARIABLE_KEY,
        &ENVIRONMENT_VARIABLE_VALUE,
    );
    if let Some(role_arn) = role_arn {
        IAM_ROLE_ARN.check("roleArn", role_arn, &mut v.0);
        check_role_name(role_arn, v);
    }
    if let Some(display) = display {
        display.check("displayConfiguration", v);
    }
}

/// The documented rule of a `RoleArn` that has the model's shape: the role's name starts with
/// `GameLiftStreams-`.
fn check_role_name(role_arn: &str, v: &mut Violations) {
    if is_iam_role_arn(role_arn) && !role_name_ok(role_arn) {
        v.rule_sensitive("roleArn".into(), ROLE_NAME_RULE);
    }
}

impl StartStreamSessionInput {
    /// Checks every member against the model's constraints, and the documented rules that the
    /// role name of `RoleArn` starts with `GameLiftStreams-` and that a `DisplayConfiguration`
    /// resolution has even dimensions of at most 1920 × 1080 pixels in total.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.validate_members(true)
    }

    /// [`validate`](Self::validate), leaving out the checks of `identifier` and
    /// `applicationIdentifier` unless `identifiers` (for a caller that has found both valid).
    pub(crate) fn validate_members(&self, identifiers: bool) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.string(
            "clientToken".into(),
            self.client_token.as_deref(),
            &CLIENT_TOKEN,
        );
        v.string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        if identifiers {
            IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        }
        v.required("protocol".into(), self.protocol.as_ref());
        v.required_string(
            "signalRequest".into(),
            self.signal_request.as_deref(),
            &SIGNAL_REQUEST,
        );
        if identifiers {
            v.required_string(
                "applicationIdentifier".into(),
                self.application_identifier.as_deref(),
                &IDENTIFIER,
            );
        }
        v.string("userId".into(), self.user_id.as_deref(), &USER_ID);
        v.string_list(
            "locations".into(),
            self.locations.as_ref(),
            LOCATION_LIST,
            Some(&LOCATION_NAME),
        );
        v.int(
            "connectionTimeoutSeconds".into(),
            self.connection_timeout_seconds,
            CONNECTION_TIMEOUT_SECONDS,
        );
        v.int(
            "sessionLengthSeconds".into(),
            self.session_length_seconds,
            SESSION_LENGTH_SECONDS,
        );
        // PerformanceStatsConfiguration has a single unconstrained boolean.
        check_launch_settings(
            &mut v,
            self.additional_launch_args.as_ref(),
            self.additional_environment_variables.as_ref(),
            self.role_arn.as_deref(),
            self.display_configuration.as_ref(),
        );
        v.finish()
    }
}

impl GetStreamSessionInput {
    /// Checks both path labels against the model's `Identifier` shape.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check(
            "streamSessionIdentifier",
            &self.stream_session_identifier,
            &mut v.0,
        );
        v.finish()
    }
}

impl ListStreamSessionsInput {
    /// Checks `MaxResults` (1–100) and the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        // Status and ExportFilesStatus are enums; NextToken is unconstrained.
        v.int("maxResults".into(), self.max_results, MAX_RESULTS);
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}

impl ListStreamSessionsByAccountInput {
    /// Checks `MaxResults` (1–100).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.int("maxResults".into(), self.max_results, MAX_RESULTS);
        v.finish()
    }
}

impl TerminateStreamSessionInput {
    /// Checks both path labels against the model's `Identifier` shape.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check(
            "streamSessionIdentifier",
            &self.stream_session_identifier,
            &mut v.0,
        );
        v.finish()
    }
}

impl CreateStreamSessionConnectionInput {
    /// Checks every member against the model's constraints. Whether the offer is newly
    /// generated depends on the session, so it is not checked here.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.string(
            "clientToken".into(),
            self.client_token.as_deref(),
            &CLIENT_TOKEN,
        );
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check(
            "streamSessionIdentifier",
            &self.stream_session_identifier,
            &mut v.0,
        );
        v.required_string(
            "signalRequest".into(),
            self.signal_request.as_deref(),
            &SIGNAL_REQUEST,
        );
        v.finish()
    }
}
