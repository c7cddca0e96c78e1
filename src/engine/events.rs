//! The engine's event log: every status change of every resource, drained by the embedder.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{
    ApplicationStatus, ApplicationStatusReason, StreamGroupLocationStatus, StreamGroupStatus,
    StreamGroupStatusReason,
};
use crate::arn::AccountId;
use crate::{SessionStatus, StatusReason};

/// One status change of one resource. `from: None` is a creation, `to: None` a removal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct EngineEvent {
    /// The owning account.
    pub account: AccountId,
    /// The resource's ARN.
    pub arn: String,
    /// When the change happened (a step's or timer's due time, or the request's `now`); epoch
    /// seconds in JSON, like the API's timestamps.
    #[serde(with = "crate::api::epoch")]
    pub at: DateTime<Utc>,
    /// What changed.
    pub change: Change,
}

/// A status change, by resource type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Resource", rename_all = "PascalCase")]
pub enum Change {
    /// A stream session.
    #[serde(rename_all = "PascalCase")]
    StreamSession {
        /// The status left (`None`: created).
        from: Option<SessionStatus>,
        /// The status entered.
        to: SessionStatus,
        /// The session's reason after the change.
        reason: Option<StatusReason>,
    },
    /// A stream group.
    #[serde(rename_all = "PascalCase")]
    StreamGroup {
        /// The status left (`None`: created).
        from: Option<StreamGroupStatus>,
        /// The status entered (`None`: deleted).
        to: Option<StreamGroupStatus>,
        /// The group's reason after the change.
        reason: Option<StreamGroupStatusReason>,
    },
    /// One location of a stream group.
    #[serde(rename_all = "PascalCase")]
    StreamGroupLocation {
        /// The location.
        location: String,
        /// The status left (`None`: added).
        from: Option<StreamGroupLocationStatus>,
        /// The status entered (`None`: removed).
        to: Option<StreamGroupLocationStatus>,
    },
    /// A stream URL's status or reason changed (`from` is `None` at creation).
    #[serde(rename_all = "PascalCase")]
    StreamUrl {
        /// The status before.
        from: Option<crate::api::StreamUrlStatus>,
        /// The status after.
        to: crate::api::StreamUrlStatus,
        /// The reason after (for `REVOKED`).
        reason: Option<crate::api::StreamUrlStatusReason>,
    },
    /// An application.
    #[serde(rename_all = "PascalCase")]
    Application {
        /// The status left (`None`: created).
        from: Option<ApplicationStatus>,
        /// The status entered (`None`: deleted).
        to: Option<ApplicationStatus>,
        /// The application's reason after the change.
        reason: Option<ApplicationStatusReason>,
    },
}
