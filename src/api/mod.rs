//! The wire shapes of the GameLift Streams API: typed inputs and outputs named after the model's
//! shapes, serde-compatible with the REST JSON member for member, and their validation.
//!
//! # Conventions
//!
//! - Every structure is named exactly like its model shape (`StartStreamSessionInput`,
//!   `LocationConfiguration`, …), and every field is the snake_case of its member, serialized
//!   under the member's exact name (`ConnectionTimeoutSeconds`).
//! - Every member is an `Option`, absent members are omitted when serializing and default to
//!   `None` when deserializing, and unknown members are ignored. The exceptions are the members
//!   the HTTP binding carries outside the body: path labels (`Identifier`,
//!   `StreamSessionIdentifier`) are plain `String`s, and they and the query-string members
//!   (`Status`, `NextToken`, `MaxResults`, …) are `#[serde(skip)]`: they never appear in a JSON
//!   body, and the HTTP layer fills them.
//! - Timestamps are [`chrono::DateTime<Utc>`](chrono::DateTime) on the wire as epoch seconds
//!   (see [`epoch`]); members the model marks sensitive are [`SensitiveString`]s.
//! - Every `*Input` has `validate()`, which checks every member against the model's
//!   constraints (required, lengths, patterns, ranges, list and map sizes, nested structures)
//!   and the documented rules that need nothing but the input, and reports every violation
//!   together, in member order, as the service does:
//!
//! ```
//! use gameliftstreams_lifecycle::api::{Protocol, StartStreamSessionInput};
//!
//! let input = StartStreamSessionInput {
//!     identifier: "sg-1AB2C3De4".into(),
//!     protocol: Some(Protocol::WebRtc),
//!     signal_request: Some("v=0 offer".into()),
//!     application_identifier: Some("a-9ZY8X7Wv6".into()),
//!     connection_timeout_seconds: Some(3601),
//!     ..Default::default()
//! };
//! let err = input.validate().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "1 validation error detected: Value '3601' at 'connectionTimeoutSeconds' failed to \
//!      satisfy constraint: Member must have value less than or equal to 3600"
//! );
//! ```
//!
//! [`Operation`] lists the modelled operations with their HTTP bindings.

mod access_ops;
mod application_ops;
mod check;
pub(crate) use check::parsed_identifier_is_valid;
mod enums;
pub mod epoch;
mod group_ops;
mod operations;
pub mod patterns;
mod sensitive;
mod session_ops;
mod shapes;
mod stream_url_ops;
mod tag_ops;

pub use access_ops::{
    CreateStreamSessionAdminShellInput, CreateStreamSessionAdminShellOutput,
    ExportStreamSessionFilesInput, ListApplicationShaderCachesInput,
    ListApplicationShaderCachesOutput, ShaderCacheSummary,
};
pub use application_ops::{
    CreateApplicationInput, CreateApplicationOutput, DeleteApplicationInput, GetApplicationInput,
    GetApplicationOutput, ListApplicationsInput, ListApplicationsOutput, UpdateApplicationInput,
    UpdateApplicationOutput,
};
pub use enums::{
    ApplicationStatus, ApplicationStatusReason, ExportFilesStatus, Protocol, ReplicationStatusType,
    RevocationMode, RuntimeEnvironmentType, ShaderCacheStatus, StreamClass,
    StreamGroupLocationStatus, StreamGroupStatus, StreamGroupStatusReason, StreamSessionStatus,
    StreamSessionStatusReason, StreamUrlStatus, StreamUrlStatusReason,
};
pub use group_ops::{
    AddStreamGroupLocationsInput, AddStreamGroupLocationsOutput, AssociateApplicationsInput,
    AssociateApplicationsOutput, CreateStreamGroupInput, CreateStreamGroupOutput,
    DeleteStreamGroupInput, DisassociateApplicationsInput, DisassociateApplicationsOutput,
    GetStreamGroupInput, GetStreamGroupOutput, ListStreamGroupsInput, ListStreamGroupsOutput,
    RemoveStreamGroupLocationsInput, UpdateStreamGroupInput, UpdateStreamGroupOutput,
};
pub use operations::Operation;
pub use patterns::*;
pub use sensitive::SensitiveString;
pub use session_ops::{
    CreateStreamSessionConnectionInput, CreateStreamSessionConnectionOutput, GetStreamSessionInput,
    GetStreamSessionOutput, ListStreamSessionsByAccountInput, ListStreamSessionsByAccountOutput,
    ListStreamSessionsInput, ListStreamSessionsOutput, StartStreamSessionInput,
    StartStreamSessionOutput, TerminateStreamSessionInput,
};
pub use shapes::{
    ApplicationSummary, DefaultApplication, DisplayConfiguration, ExportFilesMetadata,
    LocationConfiguration, LocationState, PerformanceStatsConfiguration, ReplicationStatus,
    Resolution, RuntimeEnvironment, StreamGroupSummary, StreamSessionSummary,
    VpcTransitConfiguration, VpcTransitConfigurationResponse,
};
pub use stream_url_ops::{
    CreateStreamUrlInput, CreateStreamUrlOutput, GetStreamUrlInput, GetStreamUrlOutput,
    ListStreamUrlsInput, ListStreamUrlsOutput, RevokeStreamUrlInput, StreamUrlSummary,
};
pub use tag_ops::{
    ListTagsForResourceInput, ListTagsForResourceOutput, TagResourceInput, UntagResourceInput,
};
