//! Errors as the service sends them: the model's HTTP status, the exception name in
//! `x-amzn-ErrorType`, and a JSON body with the message.

use std::fmt;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gameliftstreams_lifecycle::{ApiError, ErrorKind};

/// The header that names the exception; SDKs read the error code from it first.
pub(crate) const ERROR_TYPE_HEADER: &str = "x-amzn-ErrorType";

/// An error response: status, exception name and message.
///
/// The body carries the message twice, as `message` and as `Message`: SDKs read the error's
/// generic message from either, but the Rust SDK fills its typed errors' `message()` only from
/// `Message`, the member's name in the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl AwsError {
    /// An error of one of the service's eight kinds.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self {
            // The eight statuses are constants between 400 and 599.
            status: StatusCode::from_u16(kind.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            code: kind.code(),
            message: message.into(),
        }
    }

    /// A `ValidationException` with another HTTP status than 400 (414, 431: a request the
    /// HTTP layer refuses before any operation sees it).
    pub fn with_status(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            code: ErrorKind::Validation.code(),
            message: message.into(),
        }
    }

    /// An error of a code outside the model's eight kinds (`InvalidSignatureException`, …).
    pub fn with_code(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// A `ServiceUnavailableException` (503): the server is stopping and takes no more writes.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "ServiceUnavailableException",
            message: message.into(),
        }
    }

    /// A `ValidationException` (400).
    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Validation, message)
    }

    /// An `AccessDeniedException` (403).
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::AccessDenied, message)
    }

    /// An `InternalServerException` (500).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::InternalServer, message)
    }

    /// What API Gateway answers for a method and path no operation is bound to: 404
    /// `UnknownOperationException`.
    pub fn unknown_operation(method: &str, path: &str) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "UnknownOperationException",
            message: format!("No operation is bound to {method} {path}"),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The exception name (`"ValidationException"`, …).
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for AwsError {}

impl From<ApiError> for AwsError {
    fn from(e: ApiError) -> Self {
        Self::new(e.kind(), e.to_string())
    }
}

impl IntoResponse for AwsError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "message": self.message, "Message": self.message });
        let mut response = (self.status, json_body(&body)).into_response();
        let headers = response.headers_mut();
        headers.insert(ERROR_TYPE_HEADER, HeaderValue::from_static(self.code));
        response
    }
}

/// A JSON body with its content type.
pub(crate) fn json_body(value: &impl serde::Serialize) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => {
            let mut response = Response::new(Body::from(bytes));
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            response
        }
        // Only maps with non-string keys fail to serialize; no output type has one.
        Err(e) => AwsError::internal(format!("cannot serialize the response: {e}")).into_response(),
    }
}
