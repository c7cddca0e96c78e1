//! Errors, shaped like the service's: every error maps onto one of the eight AWS error kinds
//! through one exhaustive `match`, so a new variant has to choose its kind.

use std::borrow::Cow;
use std::fmt;

use crate::status::{SessionStatus, StatusSet};
use crate::transition::InputKind;

/// The eight error kinds (exceptions) of the GameLift Streams API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ErrorKind {
    /// `AccessDeniedException`, HTTP 403.
    AccessDenied,
    /// `ConflictException`, HTTP 409.
    Conflict,
    /// `InternalServerException`, HTTP 500.
    InternalServer,
    /// `ResourceNotFoundException`, HTTP 404.
    ResourceNotFound,
    /// `ServiceQuotaExceededException`, HTTP 402 (sic: the model says 402).
    ServiceQuotaExceeded,
    /// `StreamSessionAccessNotReadyException`, HTTP 409: the stream session is not in a status
    /// that allows administrative access (only `CreateStreamSessionAdminShell` answers it).
    StreamSessionAccessNotReady,
    /// `ThrottlingException`, HTTP 429.
    Throttling,
    /// `ValidationException`, HTTP 400.
    Validation,
}

impl ErrorKind {
    /// Every kind, in alphabetical order of its code.
    pub const ALL: [ErrorKind; 8] = [
        Self::AccessDenied,
        Self::Conflict,
        Self::InternalServer,
        Self::ResourceNotFound,
        Self::ServiceQuotaExceeded,
        Self::StreamSessionAccessNotReady,
        Self::Throttling,
        Self::Validation,
    ];

    /// The exception name, as sent in `x-amzn-ErrorType` (`"ValidationException"`, …).
    pub const fn code(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDeniedException",
            Self::Conflict => "ConflictException",
            Self::InternalServer => "InternalServerException",
            Self::ResourceNotFound => "ResourceNotFoundException",
            Self::ServiceQuotaExceeded => "ServiceQuotaExceededException",
            Self::StreamSessionAccessNotReady => "StreamSessionAccessNotReadyException",
            Self::Throttling => "ThrottlingException",
            Self::Validation => "ValidationException",
        }
    }

    /// The HTTP status code the model gives this exception.
    pub const fn http_status(self) -> u16 {
        match self {
            Self::AccessDenied => 403,
            Self::Conflict => 409,
            Self::InternalServer => 500,
            Self::ResourceNotFound => 404,
            Self::ServiceQuotaExceeded => 402,
            Self::StreamSessionAccessNotReady => 409,
            Self::Throttling => 429,
            Self::Validation => 400,
        }
    }

    /// The kind whose [`code`](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Serialized as the exception name (`"ThrottlingException"`).
impl serde::Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        ErrorKind::from_code(&s).ok_or_else(|| {
            let names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
            serde::de::Error::custom(format!("'{s}' is not one of: {}", names.join(", ")))
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A string that is not one of the values of a model enum.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {shape}; expected one of: {}", expected.join(", "))]
pub struct UnknownValue {
    /// The model shape (`"StreamSessionStatus"`, …).
    pub shape: &'static str,
    /// What was given.
    pub value: String,
    /// The allowed values.
    pub expected: &'static [&'static str],
}

/// The constraint an input member failed, worded as the service words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constraint {
    /// The member is required.
    Required,
    /// A string shorter than its minimum length.
    MinLength(u64),
    /// A string longer than its maximum length.
    MaxLength(u64),
    /// A string that does not match the model's pattern.
    Pattern(&'static str),
    /// A number below its minimum.
    Min(i64),
    /// A number above its maximum.
    Max(i64),
    /// A list with fewer items than its minimum.
    MinItems(u64),
    /// A list with more items than its maximum.
    MaxItems(u64),
    /// A value that is not one of an enum's values.
    OneOf(&'static [&'static str]),
    /// A rule stated in the documentation rather than the model's constraint traits.
    Rule(Cow<'static, str>),
}

impl fmt::Display for Constraint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("Member must not be null"),
            Self::MinLength(n) => write!(f, "Member must have length greater than or equal to {n}"),
            Self::MaxLength(n) => write!(f, "Member must have length less than or equal to {n}"),
            Self::Pattern(p) => write!(f, "Member must satisfy regular expression pattern: {p}"),
            Self::Min(n) => write!(f, "Member must have value greater than or equal to {n}"),
            Self::Max(n) => write!(f, "Member must have value less than or equal to {n}"),
            Self::MinItems(n) => write!(f, "Member must have length greater than or equal to {n}"),
            Self::MaxItems(n) => write!(f, "Member must have length less than or equal to {n}"),
            Self::OneOf(values) => write!(
                f,
                "Member must satisfy enum value set: [{}]",
                values.join(", ")
            ),
            Self::Rule(text) => f.write_str(text),
        }
    }
}

/// What a [`Violation`] shows of the offending value.
#[derive(Clone, PartialEq, Eq)]
pub enum ShownValue {
    /// The member was absent (`Value null at …`).
    Null,
    /// The member is sensitive (`SignalRequest`, …): its value is never shown.
    Sensitive,
    /// The value, as text.
    Text(String),
}

impl fmt::Debug for ShownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("Null"),
            Self::Sensitive => f.write_str("Sensitive"),
            Self::Text(t) => f.debug_tuple("Text").field(t).finish(),
        }
    }
}

/// The most of an offending value a [`Violation`] shows; a longer value is cut at a character
/// boundary and ends with `…(N bytes)`.
pub const MAX_SHOWN_BYTES: usize = 8192;

fn shown(mut text: String) -> String {
    if text.len() <= MAX_SHOWN_BYTES {
        return text;
    }
    let len = text.len();
    let mut cut = MAX_SHOWN_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    text.push_str(&format!("…({len} bytes)"));
    text
}

/// One input member that failed one constraint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// The member's path, in the service's lowerCamelCase (`"connectionTimeoutSeconds"`,
    /// `"locations.1.member"`).
    pub member: Cow<'static, str>,
    /// The offending value as the message shows it.
    pub value: ShownValue,
    /// The constraint it failed.
    pub constraint: Constraint,
}

impl Violation {
    /// A violation showing `value` as text: at most [`MAX_SHOWN_BYTES`] of it, so that a huge
    /// member is not echoed back whole.
    pub fn new(
        member: impl Into<Cow<'static, str>>,
        value: impl fmt::Display,
        constraint: Constraint,
    ) -> Self {
        Self {
            member: member.into(),
            value: ShownValue::Text(shown(value.to_string())),
            constraint,
        }
    }

    /// A violation of a sensitive member, whose value must not be shown.
    pub fn sensitive(member: impl Into<Cow<'static, str>>, constraint: Constraint) -> Self {
        Self {
            member: member.into(),
            value: ShownValue::Sensitive,
            constraint,
        }
    }

    /// A missing required member.
    pub fn required(member: impl Into<Cow<'static, str>>) -> Self {
        Self {
            member: member.into(),
            value: ShownValue::Null,
            constraint: Constraint::Required,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            ShownValue::Null => f.write_str("Value null")?,
            ShownValue::Sensitive => f.write_str("Value (sensitive)")?,
            ShownValue::Text(t) => write!(f, "Value '{t}'")?,
        }
        write!(
            f,
            " at '{}' failed to satisfy constraint: {}",
            self.member, self.constraint
        )
    }
}

/// Input that fails the model's constraints: one or more [`Violation`]s, reported together as
/// the service reports them ("2 validation errors detected: …; …").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// An error with one violation.
    pub fn single(violation: Violation) -> Self {
        Self {
            violations: vec![violation],
        }
    }

    /// An error from the violations collected, or `Ok` when there are none.
    pub fn check(violations: Vec<Violation>) -> Result<(), Self> {
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Self { violations })
        }
    }

    /// The violations, in the order the members were checked (never empty).
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.violations.len();
        write!(
            f,
            "{n} validation error{} detected: ",
            if n == 1 { "" } else { "s" }
        )?;
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Why a [`Session`](crate::Session) refused an input or could not be created.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The input is not allowed in the session's current status.
    #[error(
        "{input} is not allowed while the stream session is {status}; it is allowed only in: {allowed}"
    )]
    Conflict {
        /// The input that was refused.
        input: InputKind,
        /// The status the session was in.
        status: SessionStatus,
        /// The statuses that would have accepted it.
        allowed: StatusSet,
    },
    /// The input is refused in this status with a Validation error rather than a Conflict:
    /// `Terminate` while `ACTIVATING` (the API's TerminateStreamSession has no Conflict error).
    #[error(
        "{input} is not allowed while the stream session is {status}; it is allowed only in: {allowed}"
    )]
    InvalidStatus {
        /// The input that was refused.
        input: InputKind,
        /// The status the session was in.
        status: SessionStatus,
        /// The statuses that would have accepted it.
        allowed: StatusSet,
    },
    /// A member of the input or configuration fails its constraints.
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl SessionError {
    /// The AWS error kind this error is reported as.
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::Conflict { .. } => ErrorKind::Conflict,
            Self::InvalidStatus { .. } | Self::Validation(_) => ErrorKind::Validation,
        }
    }
}
