//! The application operations: `CreateApplication`, `GetApplication`, `ListApplications`,
//! `UpdateApplication` and `DeleteApplication`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{
    APPLICATION_LOG_OUTPUT_URI, APPLICATION_SOURCE_URI, CLIENT_TOKEN, DESCRIPTION, EXECUTABLE_PATH,
    FILE_PATH, FILE_PATHS, IDENTIFIER, MAX_RESULTS, TAG_KEY, TAG_VALUE, TAGS, Violations,
};
use super::enums::{ApplicationStatus, ApplicationStatusReason, RuntimeEnvironmentType};
use super::epoch;
use super::shapes::{ApplicationSummary, ReplicationStatus, RuntimeEnvironment};
use crate::ValidationError;

/// The input (request) of `CreateApplication` (`POST /applications`): see
/// [`Operation::CreateApplication`](crate::api::Operation::CreateApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateApplicationInput {
    /// `Description` (required): A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `RuntimeEnvironment` (required): Configuration settings that identify the operating system
    /// for an application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub runtime_environment: Option<RuntimeEnvironment>,
    /// `ExecutablePath` (required): The relative path and file name of the executable file that
    /// Amazon GameLift Streams will stream.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub executable_path: Option<String>,
    /// `ApplicationSourceUri` (required): The location of the content that you want to stream.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_source_uri: Option<String>,
    /// `ApplicationLogPaths`: Locations of log files that your content generates during a stream
    /// session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_paths: Option<Vec<String>>,
    /// `ApplicationLogOutputUri`: An Amazon S3 URI to a bucket where you would like Amazon GameLift
    /// Streams to save application logs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_output_uri: Option<String>,
    /// `Tags`: A list of labels to assign to the new application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<BTreeMap<String, String>>,
    /// `ClientToken`: A unique identifier that represents a client request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
}

/// The output (response) of `CreateApplication` (`POST /applications`): see
/// [`Operation::CreateApplication`](crate::api::Operation::CreateApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateApplicationOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that's assigned to an application resource
    /// and uniquely identifies it across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `RuntimeEnvironment`: Configuration settings that identify the operating system for an
    /// application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub runtime_environment: Option<RuntimeEnvironment>,
    /// `ExecutablePath`: The relative path and file name of the executable file that launches the
    /// content for streaming.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub executable_path: Option<String>,
    /// `ApplicationLogPaths`: Locations of log files that your content generates during a stream
    /// session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_paths: Option<Vec<String>>,
    /// `ApplicationLogOutputUri`: An Amazon S3 URI to a bucket where you would like Amazon GameLift
    /// Streams to save application logs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_output_uri: Option<String>,
    /// `ApplicationSourceUri`: The original Amazon S3 location of uploaded stream content for the
    /// application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_source_uri: Option<String>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ApplicationStatus>,
    /// `StatusReason`: A short description of the status reason when the application is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<ApplicationStatusReason>,
    /// `ReplicationStatuses`: A set of replication statuses for each location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replication_statuses: Option<Vec<ReplicationStatus>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `AssociatedStreamGroups`: A newly created application is not associated to any stream
    /// groups.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_stream_groups: Option<Vec<String>>,
}

/// The input (request) of `GetApplication` (`GET /applications/{Identifier}`): see
/// [`Operation::GetApplication`](crate::api::Operation::GetApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetApplicationInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the application resource.
    #[serde(skip)]
    pub identifier: String,
}

/// The output (response) of `GetApplication` (`GET /applications/{Identifier}`): see
/// [`Operation::GetApplication`](crate::api::Operation::GetApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetApplicationOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that's assigned to an application resource
    /// and uniquely identifies it across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `RuntimeEnvironment`: Configuration settings that identify the operating system for an
    /// application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub runtime_environment: Option<RuntimeEnvironment>,
    /// `ExecutablePath`: The relative path and file name of the executable file that launches the
    /// content for streaming.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub executable_path: Option<String>,
    /// `ApplicationLogPaths`: Locations of log files that your content generates during a stream
    /// session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_paths: Option<Vec<String>>,
    /// `ApplicationLogOutputUri`: An Amazon S3 URI to a bucket where you would like Amazon GameLift
    /// Streams to save application logs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_output_uri: Option<String>,
    /// `ApplicationSourceUri`: The original Amazon S3 location of uploaded stream content for the
    /// application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_source_uri: Option<String>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ApplicationStatus>,
    /// `StatusReason`: A short description of the status reason when the application is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<ApplicationStatusReason>,
    /// `ReplicationStatuses`: A set of replication statuses for each location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replication_statuses: Option<Vec<ReplicationStatus>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `AssociatedStreamGroups`: A set of stream groups that this application is associated with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_stream_groups: Option<Vec<String>>,
}

/// The input (request) of `ListApplications` (`GET /applications`): see
/// [`Operation::ListApplications`](crate::api::Operation::ListApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListApplicationsInput {
    /// `NextToken` (query string `NextToken`): The token that marks the start of the next set of
    /// results.
    #[serde(skip)]
    pub next_token: Option<String>,
    /// `MaxResults` (query string `MaxResults`): The number of results to return.
    #[serde(skip)]
    pub max_results: Option<i32>,
}

/// The output (response) of `ListApplications` (`GET /applications`): see
/// [`Operation::ListApplications`](crate::api::Operation::ListApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListApplicationsOutput {
    /// `Items`: A collection of Amazon GameLift Streams applications that are associated with the
    /// Amazon Web Services account in use.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<ApplicationSummary>>,
    /// `NextToken`: A token that marks the start of the next sequential page of results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_token: Option<String>,
}

/// The input (request) of `UpdateApplication` (`PATCH /applications/{Identifier}`): see
/// [`Operation::UpdateApplication`](crate::api::Operation::UpdateApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateApplicationInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the application resource.
    #[serde(skip)]
    pub identifier: String,
    /// `Description`: A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `ApplicationLogPaths`: Locations of log files that your content generates during a stream
    /// session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_paths: Option<Vec<String>>,
    /// `ApplicationLogOutputUri`: An Amazon S3 URI to a bucket where you would like Amazon GameLift
    /// Streams to save application logs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_output_uri: Option<String>,
}

/// The output (response) of `UpdateApplication` (`PATCH /applications/{Identifier}`): see
/// [`Operation::UpdateApplication`](crate::api::Operation::UpdateApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateApplicationOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that's assigned to an application resource
    /// and uniquely identifies it across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `RuntimeEnvironment`: Configuration settings that identify the operating system for an
    /// application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub runtime_environment: Option<RuntimeEnvironment>,
    /// `ExecutablePath`: The relative path and file name of the executable file that launches the
    /// content for streaming.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub executable_path: Option<String>,
    /// `ApplicationLogPaths`: Locations of log files that your content generates during a stream
    /// session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_paths: Option<Vec<String>>,
    /// `ApplicationLogOutputUri`: An Amazon S3 URI to a bucket where you would like Amazon GameLift
    /// Streams to save application logs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_log_output_uri: Option<String>,
    /// `ApplicationSourceUri`: The original Amazon S3 location of uploaded stream content for the
    /// application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_source_uri: Option<String>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ApplicationStatus>,
    /// `StatusReason`: A short description of the status reason when the application is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<ApplicationStatusReason>,
    /// `ReplicationStatuses`: A set of replication statuses for each location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub replication_statuses: Option<Vec<ReplicationStatus>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `AssociatedStreamGroups`: A set of stream groups that this application is associated with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_stream_groups: Option<Vec<String>>,
}

/// The input (request) of `DeleteApplication` (`DELETE /applications/{Identifier}`): see
/// [`Operation::DeleteApplication`](crate::api::Operation::DeleteApplication).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteApplicationInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the application resource.
    #[serde(skip)]
    pub identifier: String,
}

/// The documented rule of `CreateApplicationInput.ApplicationLogOutputUri`.
const LOG_OUTPUT_URI_RULE: &str =
    "Member is required if you specify one or more ApplicationLogPaths";

/// The documented rule of `CreateApplicationInput.ExecutablePath` for Windows applications.
const WINDOWS_EXECUTABLE_RULE: &str = "For Windows applications (runtime environment type \
    WINDOWS or PROTON), the file must be a Windows executable or batch file with a filename \
    ending in .exe, .cmd, or .bat";

/// Whether `path` ends in `.exe`, `.cmd` or `.bat` (ASCII case-insensitive, as Windows file
/// names are).
fn is_windows_executable(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".exe", ".cmd", ".bat"]
        .iter()
        .any(|suffix| lower.ends_with(suffix))
}

impl CreateApplicationInput {
    /// Checks every member against the model's constraints, and the documented rules that
    /// `ApplicationLogOutputUri` is required when `ApplicationLogPaths` is not empty, and that
    /// the executable of a Windows application (`WINDOWS` or `PROTON` runtime) ends in `.exe`,
    /// `.cmd` or `.bat`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.required_string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        if let Some(runtime) = v.required(
            "runtimeEnvironment".into(),
            self.runtime_environment.as_ref(),
        ) {
            runtime.check("runtimeEnvironment", &mut v);
        }
        v.required_string(
            "executablePath".into(),
            self.executable_path.as_deref(),
            &EXECUTABLE_PATH,
        );
        let windows = self
            .runtime_environment
            .as_ref()
            .and_then(|r| r.r#type)
            .is_some_and(|t| {
                matches!(
                    t,
                    RuntimeEnvironmentType::Windows | RuntimeEnvironmentType::Proton
                )
            });
        if let Some(path) = self.executable_path.as_deref() {
            if windows && !path.is_empty() && !is_windows_executable(path) {
                v.rule("executablePath".into(), path, WINDOWS_EXECUTABLE_RULE);
            }
        }
        v.required_string(
            "applicationSourceUri".into(),
            self.application_source_uri.as_deref(),
            &APPLICATION_SOURCE_URI,
        );
        v.string_list(
            "applicationLogPaths".into(),
            self.application_log_paths.as_ref(),
            FILE_PATHS,
            Some(&FILE_PATH),
        );
        v.string(
            "applicationLogOutputUri".into(),
            self.application_log_output_uri.as_deref(),
            &APPLICATION_LOG_OUTPUT_URI,
        );
        let has_log_paths = self
            .application_log_paths
            .as_ref()
            .is_some_and(|paths| !paths.is_empty());
        if has_log_paths {
            match self.application_log_output_uri.as_deref() {
                None => v.rule_null("applicationLogOutputUri".into(), LOG_OUTPUT_URI_RULE),
                Some("") => v.rule("applicationLogOutputUri".into(), "", LOG_OUTPUT_URI_RULE),
                Some(_) => {}
            }
        }
        v.string_map(
            "tags".into(),
            self.tags.as_ref(),
            TAGS,
            &TAG_KEY,
            &TAG_VALUE,
        );
        v.string(
            "clientToken".into(),
            self.client_token.as_deref(),
            &CLIENT_TOKEN,
        );
        v.finish()
    }
}

impl GetApplicationInput {
    /// Checks the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}

impl ListApplicationsInput {
    /// Checks `MaxResults` (1–100); `NextToken` is unconstrained.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.int("maxResults".into(), self.max_results, MAX_RESULTS);
        v.finish()
    }
}

impl UpdateApplicationInput {
    /// Checks every member against the model's constraints. (Whether log paths come with a log
    /// output URI depends on the application's current settings, so it is not checked here.)
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        v.string_list(
            "applicationLogPaths".into(),
            self.application_log_paths.as_ref(),
            FILE_PATHS,
            Some(&FILE_PATH),
        );
        v.string(
            "applicationLogOutputUri".into(),
            self.application_log_output_uri.as_deref(),
            &APPLICATION_LOG_OUTPUT_URI,
        );
        v.finish()
    }
}

impl DeleteApplicationInput {
    /// Checks the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}
