//! The operations on a running session's environment, and an application's shader caches:
//! `CreateStreamSessionAdminShell`, `ExportStreamSessionFiles` and
//! `ListApplicationShaderCaches`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{IDENTIFIER, Violations};
use super::enums::ShaderCacheStatus;
use super::epoch;
use super::patterns::{OUTPUT_URI_PATTERN, is_output_uri};
use super::sensitive::SensitiveString;
use crate::ValidationError;
use crate::validate::{Pattern, StringShape};

/// `OutputUri`: 0–1024, `s3://…` ending in `/`, `.zip` or `.ZIP`.
pub(crate) const OUTPUT_URI: StringShape = StringShape {
    min: 0,
    max: 1024,
    pattern: Some(Pattern {
        text: OUTPUT_URI_PATTERN,
        matches: is_output_uri,
    }),
    sensitive: false,
};

/// The input (request) of `CreateStreamSessionAdminShell`
/// (`POST /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/access`): see
/// [`Operation::CreateStreamSessionAdminShell`](crate::api::Operation::CreateStreamSessionAdminShell).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamSessionAdminShellInput {
    /// `Identifier` (required, path label `Identifier`): The session's stream group.
    #[serde(skip)]
    pub identifier: String,
    /// `StreamSessionIdentifier` (required, path label `StreamSessionIdentifier`): The session.
    #[serde(skip)]
    pub stream_session_identifier: String,
}

/// The output (response) of `CreateStreamSessionAdminShell`: what the AWS Systems Manager
/// Session Manager plugin needs to open the shell.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamSessionAdminShellOutput {
    /// `SessionId`: The Session Manager session's ID.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_id: Option<String>,
    /// `StreamUrl`: The WebSocket endpoint of the shell, valid for 60 seconds.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_url: Option<String>,
    /// `TokenValue` (sensitive): The token that opens the connection, valid for 60 seconds.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub token_value: Option<SensitiveString>,
}

/// The input (request) of `ExportStreamSessionFiles`
/// (`PUT /streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/exportfiles`): see
/// [`Operation::ExportStreamSessionFiles`](crate::api::Operation::ExportStreamSessionFiles).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportStreamSessionFilesInput {
    /// `Identifier` (required, path label `Identifier`): The session's stream group.
    #[serde(skip)]
    pub identifier: String,
    /// `StreamSessionIdentifier` (required, path label `StreamSessionIdentifier`): The session.
    #[serde(skip)]
    pub stream_session_identifier: String,
    /// `OutputUri` (required): Where the zip goes: `s3://bucket/prefix/` (the service names the
    /// file) or `s3://bucket/key.zip`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output_uri: Option<String>,
}

/// The input (request) of `ListApplicationShaderCaches`
/// (`GET /applications/{Identifier}/shadercaches`): see
/// [`Operation::ListApplicationShaderCaches`](crate::api::Operation::ListApplicationShaderCaches).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListApplicationShaderCachesInput {
    /// `Identifier` (required, path label `Identifier`): The application (ID or ARN).
    #[serde(skip)]
    pub identifier: String,
}

/// The output (response) of `ListApplicationShaderCaches`: every cache, in all statuses (the
/// operation has no pagination).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListApplicationShaderCachesOutput {
    /// `Items`: The caches (0–1000), by identifier.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<ShaderCacheSummary>>,
}

/// One shader cache of an application (model `ShaderCacheSummary`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShaderCacheSummary {
    /// `Identifier` (required): The cache's ID, 32 hexadecimal digits.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub identifier: Option<String>,
    /// `ApplicationArn` (required): Its application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arn: Option<String>,
    /// `Status`: The cache's status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ShaderCacheStatus>,
    /// `LastUpdatedAt`: When it last changed.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `StorageBytes`: Its size.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub storage_bytes: Option<i64>,
    /// `AssociatedStreamGroups`: The stream groups it applies to (their ARNs).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_stream_groups: Option<Vec<String>>,
}

impl CreateStreamSessionAdminShellInput {
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

impl ExportStreamSessionFilesInput {
    /// Checks both path labels and the (required) `OutputUri`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check(
            "streamSessionIdentifier",
            &self.stream_session_identifier,
            &mut v.0,
        );
        v.required_string("outputUri".into(), self.output_uri.as_deref(), &OUTPUT_URI);
        v.finish()
    }
}

impl ListApplicationShaderCachesInput {
    /// Checks the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}
