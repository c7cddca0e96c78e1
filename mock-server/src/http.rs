//! The HTTP/1.1 front: the accept loop, with a connection limit and logged accept errors, and
//! hyper with a header-read timeout, a body timeout and head limits wide enough that the
//! requests past the mock's own limits reach it and get an answer in the API's shape.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower_http::timeout::TimeoutBody;

use crate::error::AwsError;

/// The HTTP limits of [`ServerConfig::http`](crate::ServerConfig::http).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// How long a client has to send a request's head, and how long a kept-alive connection
    /// may sit idle before its next request (hyper's header-read timeout covers both).
    pub header_timeout: Duration,
    /// How long a client has to send a request's body once its head arrived; past it, the
    /// answer is a `ValidationException` and the connection closes.
    pub body_timeout: Duration,
    /// The most connections served at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
}

/// The default of `--header-timeout`: 30 s.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of `--body-timeout`: 30 s.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of `--max-connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 4096;

impl Default for HttpLimits {
    fn default() -> Self {
        Self {
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// The longest request URI (path and query) answered: a longer one is a 414 in the API's shape.
/// An `UntagResource` of 50 keys of 128 characters, each percent-encoded, is about 20 KiB.
/// (hyper itself refuses a URI of 65,535 bytes or more with a bare 414, a limit it does not let
/// a server change; this limit is below it so that the mock's own answer is the one seen up to
/// there.)
pub(crate) const MAX_URI_BYTES: usize = 32 * 1024;
/// The most header lines a request may have: more is a 431 in the API's shape.
pub(crate) const MAX_HEADERS: usize = 200;
/// What hyper reads of a request's head before giving up with its own bare answer: far beyond
/// the two limits above, so that a request over them reaches [`check_head`].
const HYPER_MAX_HEAD: usize = 2 << 20;
/// The header lines hyper parses before giving up with its own bare 431.
const HYPER_MAX_HEADERS: usize = 16_384;

/// Serves `app` on `listener` until `stop` resolves, then lets the connections in flight finish
/// their current request (hyper's graceful shutdown), for at most `grace`.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: HttpLimits,
    stop: impl Future<Output = ()>,
    grace: Duration,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(HYPER_MAX_HEAD)
        .max_headers(HYPER_MAX_HEADERS);
    let body_timeout = limits.body_timeout;
    let mut full = false;
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            () = &mut stop => break,
            permit = permits.clone().acquire_owned() => permit,
        };
        // The semaphore is never closed.
        let Ok(permit) = permit else { break };
        if permits.available_permits() == 0 && !full {
            tracing::warn!(
                limit = limits.max_connections,
                "the connection limit is reached: new connections wait until one closes"
            );
        }
        full = permits.available_permits() == 0;
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors, most often: say so, and let some close.
                tracing::warn!(error = %e, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let request = request.map(|body| TimeoutBody::new(body_timeout, body));
            let mut app = app.clone();
            async move {
                let response = tower_service::Service::call(&mut app, request).await;
                Ok::<_, Infallible>(response.unwrap_or_else(|e| match e {}))
            }
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A client that goes away mid-request is its own business.
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!("requests still in flight after {grace:?}; stopping anyway");
        }
    }
}

/// Refuses, in the API's error shape, a request whose URI or header count is over the limits
/// (hyper would otherwise answer a bare 414 or 431 with an empty body, or none at all).
pub(crate) async fn check_head(request: Request, next: Next) -> Response {
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri > MAX_URI_BYTES {
        return AwsError::with_status(
            StatusCode::URI_TOO_LONG,
            format!("The request URI is {uri} bytes long, more than the {MAX_URI_BYTES} allowed"),
        )
        .into_response();
    }
    let headers = request.headers().len();
    if headers > MAX_HEADERS {
        return AwsError::with_status(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("The request has {headers} headers, more than the {MAX_HEADERS} allowed"),
        )
        .into_response();
    }
    next.run(request).await
}
