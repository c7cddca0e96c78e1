//! The stream URL operations: `CreateStreamUrl`, `GetStreamUrl`, `ListStreamUrls` and
//! `RevokeStreamUrl`. A stream URL lets someone without an AWS identity start stream sessions
//! with settings frozen at its creation, up to `UsageLimit` times, until `ExpiresAt`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{
    CLIENT_TOKEN, DESCRIPTION, IDENTIFIER, IntShape, LOCATION_LIST, MAX_RESULTS,
    SESSION_LENGTH_SECONDS, Violations,
};
use super::enums::{Protocol, RevocationMode, StreamUrlStatus, StreamUrlStatusReason};
use super::epoch;
use super::sensitive::SensitiveString;
use super::shapes::{DisplayConfiguration, StreamSessionSummary};
use crate::ValidationError;
use crate::validate::LOCATION_NAME;

/// `UrlExpiresAfterMinutes` and `UsageLimit`: at least 1 (the maxima are quotas: see
/// [`Quotas`](crate::Quotas)).
const AT_LEAST_ONE: IntShape = IntShape {
    min: Some(1),
    max: None,
};

/// The input (request) of `CreateStreamUrl` (`POST /streamgroups/{Identifier}/streamurls`): see
/// [`Operation::CreateStreamUrl`](crate::api::Operation::CreateStreamUrl).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamUrlInput {
    /// `Identifier` (required, path label `Identifier`): The stream group the URL starts
    /// sessions in (ID or ARN).
    #[serde(skip)]
    pub identifier: String,
    /// `ApplicationIdentifier` (required): The application the sessions stream (ID or ARN); it
    /// must be associated with the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_identifier: Option<String>,
    /// `Protocol` (required): The streaming protocol (`WebRTC`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protocol: Option<Protocol>,
    /// `UrlExpiresAfterMinutes` (required, at least 1): How long the URL can start sessions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url_expires_after_minutes: Option<i32>,
    /// `UsageLimit` (at least 1, default 1): How many sessions the URL can start.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub usage_limit: Option<i32>,
    /// `Description`: A description of the URL.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `Locations` (required, at least one): Where the sessions run, by priority.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub locations: Option<Vec<String>>,
    /// `SessionLengthSeconds` (1–86400, default 43200): The most a session started with the URL
    /// runs.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub session_length_seconds: Option<i32>,
    /// `AdditionalLaunchArgs`: Launch arguments of the sessions' application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_launch_args: Option<Vec<String>>,
    /// `AdditionalEnvironmentVariables`: Environment variables of the sessions' application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub additional_environment_variables: Option<BTreeMap<String, String>>,
    /// `RoleArn` (sensitive): The IAM role the sessions assume.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<SensitiveString>,
    /// `DisplayConfiguration`: The sessions' display resolution.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub display_configuration: Option<DisplayConfiguration>,
    /// `ClientToken` (idempotency token): A unique string, so that a retried request creates
    /// one URL.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
}

/// Declares an output structure with the members every stream URL output shares, then its
/// own.
macro_rules! stream_url_output {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* pub $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "PascalCase")]
        pub struct $name {
            /// `Arn` (required): The URL's ARN
            /// (`arn:aws:gameliftstreams:REGION:ACCOUNT:streamurl/GROUP_ID/URL_ID`).
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub arn: Option<String>,
            /// `StreamUrlId`: The URL's ID (`su-` and 9 alphanumerics).
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub stream_url_id: Option<String>,
            /// `StreamUrl` (sensitive): The URL to give end users; it carries the URL's token.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub stream_url: Option<SensitiveString>,
            /// `Status`: The URL's status.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub status: Option<StreamUrlStatus>,
            /// `StatusReason`: Why the URL is `REVOKED` (absent otherwise).
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub status_reason: Option<StreamUrlStatusReason>,
            /// `ExpiresAt`: When the URL expires.
            #[serde(with = "epoch::option", skip_serializing_if = "Option::is_none", default)]
            pub expires_at: Option<DateTime<Utc>>,
            /// `CreatedAt`: When the URL was created.
            #[serde(with = "epoch::option", skip_serializing_if = "Option::is_none", default)]
            pub created_at: Option<DateTime<Utc>>,
            /// `UsageLimit`: How many sessions the URL can start in all.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub usage_limit: Option<i32>,
            /// `RemainingUses`: How many more sessions it can start.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub remaining_uses: Option<i32>,
            /// `StreamGroupArn`: The stream group the sessions start in.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub stream_group_arn: Option<String>,
            /// `ApplicationArn`: The application the sessions stream.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub application_arn: Option<String>,
            /// `SessionLengthSeconds`: The most a session started with the URL runs.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub session_length_seconds: Option<i32>,
            /// `Description`: The URL's description.
            #[serde(skip_serializing_if = "Option::is_none", default)]
            pub description: Option<String>,
            $( $(#[$fmeta])* #[serde(skip_serializing_if = "Option::is_none", default)] pub $field: $ty, )*
        }
    };
}

stream_url_output! {
    /// The output (response) of `CreateStreamUrl`.
    CreateStreamUrlOutput {
        /// `Protocol`: The streaming protocol.
        pub protocol: Option<Protocol>,
        /// `Locations`: Where the sessions run, by priority.
        pub locations: Option<Vec<String>>,
        /// `AdditionalLaunchArgs`: Launch arguments of the sessions' application.
        pub additional_launch_args: Option<Vec<String>>,
        /// `AdditionalEnvironmentVariables`: Environment variables of the sessions' application.
        pub additional_environment_variables: Option<BTreeMap<String, String>>,
        /// `RoleArn` (sensitive): The IAM role the sessions assume.
        pub role_arn: Option<SensitiveString>,
        /// `DisplayConfiguration`: The sessions' display resolution.
        pub display_configuration: Option<DisplayConfiguration>,
    }
}

stream_url_output! {
    /// The output (response) of `GetStreamUrl`.
    GetStreamUrlOutput {
        /// `Protocol`: The streaming protocol.
        pub protocol: Option<Protocol>,
        /// `Locations`: Where the sessions run, by priority.
        pub locations: Option<Vec<String>>,
        /// `AdditionalLaunchArgs`: Launch arguments of the sessions' application.
        pub additional_launch_args: Option<Vec<String>>,
        /// `AdditionalEnvironmentVariables`: Environment variables of the sessions' application.
        pub additional_environment_variables: Option<BTreeMap<String, String>>,
        /// `RoleArn` (sensitive): The IAM role the sessions assume.
        pub role_arn: Option<SensitiveString>,
        /// `DisplayConfiguration`: The sessions' display resolution.
        pub display_configuration: Option<DisplayConfiguration>,
        /// `StreamSessions`: The sessions the URL started that the service still keeps, in the
        /// order they started.
        pub stream_sessions: Option<Vec<StreamSessionSummary>>,
    }
}

stream_url_output! {
    /// One item of `ListStreamUrls` (model `StreamUrlSummary`): no launch arguments, environment
    /// variables, role or display.
    StreamUrlSummary {}
}

/// The input (request) of `GetStreamUrl`
/// (`GET /streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}`): see
/// [`Operation::GetStreamUrl`](crate::api::Operation::GetStreamUrl).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetStreamUrlInput {
    /// `Identifier` (required, path label `Identifier`): The URL's stream group (ID or ARN).
    #[serde(skip)]
    pub identifier: String,
    /// `StreamUrlIdentifier` (required, path label `StreamUrlIdentifier`): The URL (ID or ARN).
    #[serde(skip)]
    pub stream_url_identifier: String,
}

/// The input (request) of `RevokeStreamUrl`
/// (`POST /streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}/revoke`): see
/// [`Operation::RevokeStreamUrl`](crate::api::Operation::RevokeStreamUrl).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RevokeStreamUrlInput {
    /// `Identifier` (required, path label `Identifier`): The URL's stream group (ID or ARN).
    #[serde(skip)]
    pub identifier: String,
    /// `StreamUrlIdentifier` (required, path label `StreamUrlIdentifier`): The URL (ID or ARN).
    #[serde(skip)]
    pub stream_url_identifier: String,
    /// `RevocationMode` (default `REVOKE_URL`): Whether the URL's sessions are terminated too.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub revocation_mode: Option<RevocationMode>,
}

/// The input (request) of `ListStreamUrls` (`GET /streamurls`): see
/// [`Operation::ListStreamUrls`](crate::api::Operation::ListStreamUrls).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamUrlsInput {
    /// `Status` (query string `Status`): Only URLs in this status.
    #[serde(skip)]
    pub status: Option<StreamUrlStatus>,
    /// `StreamGroupIdentifier` (query string `StreamGroupIdentifier`): Only URLs of this stream
    /// group (ID or ARN).
    #[serde(skip)]
    pub stream_group_identifier: Option<String>,
    /// `NextToken` (query string `NextToken`): The token of the next page.
    #[serde(skip)]
    pub next_token: Option<String>,
    /// `MaxResults` (query string `MaxResults`, 1–100, default 25): The page size.
    #[serde(skip)]
    pub max_results: Option<i32>,
}

/// The output (response) of `ListStreamUrls`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamUrlsOutput {
    /// `Items`: The URLs, in creation order.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<StreamUrlSummary>>,
    /// `NextToken`: The token of the next page, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_token: Option<String>,
}

impl CreateStreamUrlInput {
    /// Checks every member against the model's constraints, and the documented rules of
    /// `RoleArn` and `DisplayConfiguration` (as for `StartStreamSession`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.required_string(
            "applicationIdentifier".into(),
            self.application_identifier.as_deref(),
            &IDENTIFIER,
        );
        v.required("protocol".into(), self.protocol.as_ref());
        v.required(
            "urlExpiresAfterMinutes".into(),
            self.url_expires_after_minutes.as_ref(),
        );
        v.int(
            "urlExpiresAfterMinutes".into(),
            self.url_expires_after_minutes,
            AT_LEAST_ONE,
        );
        v.int("usageLimit".into(), self.usage_limit, AT_LEAST_ONE);
        v.string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        let locations = v.required("locations".into(), self.locations.as_ref());
        v.string_list(
            "locations".into(),
            locations,
            LOCATION_LIST,
            Some(&LOCATION_NAME),
        );
        v.int(
            "sessionLengthSeconds".into(),
            self.session_length_seconds,
            SESSION_LENGTH_SECONDS,
        );
        super::session_ops::check_launch_settings(
            &mut v,
            self.additional_launch_args.as_ref(),
            self.additional_environment_variables.as_ref(),
            self.role_arn.as_deref(),
            self.display_configuration.as_ref(),
        );
        v.string(
            "clientToken".into(),
            self.client_token.as_deref(),
            &CLIENT_TOKEN,
        );
        v.finish()
    }
}

impl GetStreamUrlInput {
    /// Checks both path labels against the model's `Identifier` shape.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check("streamUrlIdentifier", &self.stream_url_identifier, &mut v.0);
        v.finish()
    }
}

impl RevokeStreamUrlInput {
    /// Checks both path labels against the model's `Identifier` shape.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        IDENTIFIER.check("streamUrlIdentifier", &self.stream_url_identifier, &mut v.0);
        v.finish()
    }
}

impl ListStreamUrlsInput {
    /// Checks `MaxResults` (1–100) and `StreamGroupIdentifier`.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.string(
            "streamGroupIdentifier".into(),
            self.stream_group_identifier.as_deref(),
            &IDENTIFIER,
        );
        v.int("maxResults".into(), self.max_results, MAX_RESULTS);
        v.finish()
    }
}
