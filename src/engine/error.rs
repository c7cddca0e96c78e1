//! The engine's errors: everything an API operation can answer, each mapped onto one of the
//! eight AWS error kinds by one exhaustive `match`.

use crate::arn::ResourceType;
use crate::error::{ErrorKind, SessionError, ValidationError};

/// An API operation's error, as the service would answer it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// Input that fails the model's constraints (`ValidationException`).
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A request that is well-formed but not valid for the resources it names
    /// (`ValidationException`): an application not associated with the group, a location not
    /// in it, a status precondition of an operation that has no Conflict error.
    #[error("{message}")]
    InvalidRequest {
        /// What is wrong, for the caller.
        message: String,
    },
    /// The session's state machine refused the input (Conflict or Validation).
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The resource does not exist, or not for this caller (`ResourceNotFoundException`).
    #[error("{} {id} was not found", capitalize(resource.display_name()))]
    ResourceNotFound {
        /// The kind of resource.
        resource: ResourceType,
        /// The identifier as given.
        id: String,
    },
    /// The caller may not touch this resource (`AccessDeniedException`).
    #[error("{message}")]
    AccessDenied {
        /// Why.
        message: String,
    },
    /// The resource is not in a status that allows the operation, or a client token was reused
    /// with a different request (`ConflictException`).
    #[error("{message}")]
    Conflict {
        /// What conflicts.
        message: String,
    },
    /// A quota would be exceeded (`ServiceQuotaExceededException`).
    #[error("{message}")]
    ServiceQuotaExceeded {
        /// Which quota.
        message: String,
    },
    /// The stream session is not in a status that allows administrative access
    /// (`StreamSessionAccessNotReadyException`).
    #[error("{message}")]
    AccessNotReady {
        /// Why.
        message: String,
    },
    /// The caller's request rate is over the operation's limit (`ThrottlingException`).
    #[error("Rate exceeded for {operation}: retry after a short wait")]
    Throttling {
        /// The operation throttled.
        operation: String,
    },
    /// An error a fault rule injected, of the kind the rule chose.
    #[error("{message}")]
    Injected {
        /// The kind the rule chose.
        kind: ErrorKind,
        /// The rule's message.
        message: String,
    },
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl ApiError {
    /// The AWS error kind.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Validation(_) | Self::InvalidRequest { .. } => ErrorKind::Validation,
            Self::Session(e) => e.kind(),
            Self::ResourceNotFound { .. } => ErrorKind::ResourceNotFound,
            Self::AccessDenied { .. } => ErrorKind::AccessDenied,
            Self::Conflict { .. } => ErrorKind::Conflict,
            Self::ServiceQuotaExceeded { .. } => ErrorKind::ServiceQuotaExceeded,
            Self::AccessNotReady { .. } => ErrorKind::StreamSessionAccessNotReady,
            Self::Throttling { .. } => ErrorKind::Throttling,
            Self::Injected { kind, .. } => *kind,
        }
    }

    /// The exception name (`"ValidationException"`, …).
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The HTTP status the service answers with.
    pub fn http_status(&self) -> u16 {
        self.kind().http_status()
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidRequest {
            message: message.into(),
        }
    }

    pub(crate) fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict {
            message: message.into(),
        }
    }

    /// `caller` naming `value`, an ARN of `owner`'s: AccessDenied, as the service answers.
    pub(crate) fn not_owner(
        caller: crate::arn::AccountId,
        value: &str,
        owner: crate::arn::AccountId,
    ) -> Self {
        Self::AccessDenied {
            message: format!(
                "Account {caller} is not authorized to access {value}, which belongs to account {owner}"
            ),
        }
    }

    pub(crate) fn not_found(resource: ResourceType, id: impl Into<String>) -> Self {
        Self::ResourceNotFound {
            resource,
            id: id.into(),
        }
    }
}
