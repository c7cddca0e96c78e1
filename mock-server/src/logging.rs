//! One log line per request: method, path, status, elapsed time and the error code, if any.
//! Bodies are never logged, so sensitive members (`SignalRequest`, `SignalResponse`,
//! `RoleArn`) cannot leak into the log.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ERROR_TYPE_HEADER;

/// The header SDKs read the request ID from.
const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";

/// Logs the request and gives the response a request ID, as the service does.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let mut response = next.run(request).await;
    let elapsed = started.elapsed();
    // A UUID-shaped ID that is unique within this process.
    let request_id = format!("00000000-0000-4000-8000-{id:012x}");
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    let error = response
        .headers()
        .get(ERROR_TYPE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let status = response.status().as_u16();
    // Formatted only if a subscriber records the line.
    let elapsed_ms = Millis(elapsed);
    if path.starts_with("/_mock/ui") {
        // The dashboard polls: its reads would drown the log lines of the backend under test.
        tracing::debug!(%method, path, status, %elapsed_ms, error, request_id, "request");
    } else {
        tracing::info!(%method, path, status, %elapsed_ms, error, request_id, "request");
    }
    response
}

/// A duration written in milliseconds with three decimals, when (and only if) it is written.
struct Millis(std::time::Duration);

impl std::fmt::Display for Millis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.3}", self.0.as_secs_f64() * 1000.0)
    }
}
