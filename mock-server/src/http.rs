//! The HTTP/1.1 front: the accept loop, with a connection limit and logged accept errors, and
//! hyper with a header-read timeout, a deadline for each request body, and a head limit that
//! keeps a connection's buffer small while the requests past the mock's own URI and header
//! limits still reach it and get an answer in the API's shape (and what hyper refuses itself,
//! a head over the limit or a malformed one, is answered in that shape too).

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::Request;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::error::AwsError;

/// The HTTP limits of [`ServerConfig::http`](crate::ServerConfig::http).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpLimits {
    /// How long a client has to send a request's head, and how long a kept-alive connection
    /// may sit idle before its next request (hyper's header-read timeout covers both).
    pub header_timeout: Duration,
    /// How long a client has to send a request's whole body, counted from the moment the
    /// server first reads it (a `PUT /_mock/snapshot` waiting for its turn is not counted);
    /// past it, the answer is a `ValidationException` and the connection closes.
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
pub(crate) const MAX_URI_BYTES: usize = 32 * 1024;
/// The most header lines a request may have: more is a 431 in the API's shape.
pub(crate) const MAX_HEADERS: usize = 200;
/// The largest request head (request line and headers) hyper reads, and so the most a
/// connection buffers while its head arrives: 64 KiB. It leaves room for 32 KiB of headers
/// beside the longest URI answered (a SigV4-signed request's headers take 1–2 KiB), and keeps
/// a connection that sends a huge head and stalls to about 64–128 KiB of buffer (hyper's read
/// buffer grows to this limit), 0.25–0.5 GiB at 4,096 connections rather than the 8 GiB a
/// 2 MiB limit allowed. A longer head is refused by hyper before any server code runs; its
/// answer is put in the API's shape by [`ShapedErrors`].
pub(crate) const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The header lines hyper parses before refusing the head: well beyond [`MAX_HEADERS`], so
/// that a request over it reaches [`check_head`] and its precise answer. (hyper lays out an
/// array of this many entries for every parse of a head.)
const HYPER_MAX_HEADERS: usize = 1024;
/// The largest body a request may have (axum's default body limit, which every route but
/// `PUT /_mock/snapshot` keeps): a `Content-Length` over it is refused at once.
const MAX_BODY_BYTES: u64 = 2 << 20;

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
        .max_buf_size(MAX_HEAD_BYTES)
        .max_header_size(MAX_HEAD_BYTES)
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
            let request = request.map(|body| DeadlineBody::new(body, body_timeout));
            let mut app = app.clone();
            async move {
                let response = tower_service::Service::call(&mut app, request).await;
                Ok::<_, Infallible>(response.unwrap_or_else(|e| match e {}))
            }
        });
        let io = TokioIo::new(ShapedErrors::new(stream));
        let connection = graceful.watch(http.serve_connection(io, service));
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
    if let Some(length) = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
    {
        let limit = body_limit(request.method(), request.uri().path());
        if length > limit {
            // Refused before a byte of it is read, rather than once the body timeout ends; the
            // connection closes, rather than wait for a body nobody reads.
            let mut response = AwsError::with_status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is {length} bytes long, more than the {limit} allowed"),
            )
            .into_response();
            response.headers_mut().insert(
                header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            return response;
        }
    }
    next.run(request).await
}

/// The largest body the route of `method` `path` reads.
fn body_limit(method: &Method, path: &str) -> u64 {
    if method == Method::PUT && path == "/_mock/snapshot" {
        crate::control::SNAPSHOT_BODY_LIMIT as u64
    } else {
        MAX_BODY_BYTES
    }
}

/// A request body with a deadline for the whole of it, armed the first time it is read: a
/// client that trickles a byte now and then cannot hold a connection (or the one-at-a-time
/// snapshot upload) longer than the body timeout, and a request that waits for its turn before
/// it reads its body is not cut off while it waits.
pub(crate) struct DeadlineBody<B> {
    body: B,
    timeout: Duration,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<B> DeadlineBody<B> {
    pub(crate) fn new(body: B, timeout: Duration) -> Self {
        Self {
            body,
            timeout,
            deadline: None,
        }
    }
}

/// The error of a body not received within the body timeout.
#[derive(Debug)]
struct BodyTimeout(Duration);

impl std::fmt::Display for BodyTimeout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the body did not arrive within the body timeout of {} s",
            self.0.as_secs_f64()
        )
    }
}

impl std::error::Error for BodyTimeout {}

impl<B> Body for DeadlineBody<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<axum::BoxError>,
{
    type Data = Bytes;
    type Error = axum::BoxError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        let timeout = this.timeout;
        let deadline = this
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        if deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(Err(Box::new(BodyTimeout(timeout)))));
        }
        Pin::new(&mut this.body)
            .poll_frame(cx)
            .map(|frame| frame.map(|f| f.map_err(Into::into)))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.body.size_hint()
    }
}

/// A connection's stream, where the answers hyper makes itself to a request it refuses before
/// any server code runs (a head over [`MAX_HEAD_BYTES`] or [`HYPER_MAX_HEADERS`], a malformed
/// request line, header or `Content-Length`: a bare status with an empty body, after which the
/// connection closes) are replaced by the same status in the API's error shape.
struct ShapedErrors<S> {
    inner: S,
    /// A replacement being written, and how much of it is.
    pending: Option<(Vec<u8>, usize)>,
}

impl<S> ShapedErrors<S> {
    fn new(inner: S) -> Self {
        Self {
            inner,
            pending: None,
        }
    }
}

impl<S: AsyncWrite + Unpin> ShapedErrors<S> {
    /// Writes what is left of a replacement.
    fn drive(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some((bytes, done)) = &mut self.pending {
            if *done == bytes.len() {
                self.pending = None;
                break;
            }
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &bytes[*done..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            *done += n;
        }
        Poll::Ready(Ok(()))
    }

    /// Takes `head` over when it is one of hyper's bare answers: answers whether it did.
    fn replace(&mut self, head: &[u8]) -> bool {
        match shaped(head) {
            Some(replacement) => {
                self.pending = Some((replacement, 0));
                true
            }
            None => false,
        }
    }
}

/// What hyper writes as its own answer: `HTTP/1.1 4xx …`, then only `content-length: 0`, `date`
/// and perhaps `connection` (the mock's own responses always have a content type and an
/// `x-amzn-ErrorType`); answers the same status in the API's shape.
fn shaped(head: &[u8]) -> Option<Vec<u8>> {
    // Every other write is let through after this look at its first bytes: hyper's own answer
    // is a head of about 100 bytes.
    if head.len() > 256 || !head.starts_with(b"HTTP/1.1 4") {
        return None;
    }
    let text = std::str::from_utf8(head).ok()?;
    let rest = text.strip_prefix("HTTP/1.1 ")?;
    let rest = rest.strip_suffix("\r\n\r\n")?;
    let mut lines = rest.split("\r\n");
    let status_line = lines.next()?;
    let status = StatusCode::from_u16(status_line.get(..3)?.parse().ok()?).ok()?;
    let message = match status {
        StatusCode::BAD_REQUEST => {
            "The request is not valid HTTP/1.1: its request line, a header or its \
             Content-Length cannot be parsed"
                .to_owned()
        }
        StatusCode::URI_TOO_LONG => {
            format!("The request URI is longer than the {MAX_URI_BYTES} bytes allowed")
        }
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => format!(
            "The request head is refused: it is over {MAX_HEAD_BYTES} bytes, has more than \
             {HYPER_MAX_HEADERS} headers, or a Content-Length too large to be taken"
        ),
        _ => return None,
    };
    let mut date = None;
    for line in lines {
        let (name, value) = line.split_once(':')?;
        match name.to_ascii_lowercase().as_str() {
            "content-length" if value.trim() == "0" => {}
            "connection" => {}
            "date" => date = Some(value.trim()),
            _ => return None,
        }
    }
    tracing::info!(
        status = status.as_u16(),
        code = "ValidationException",
        "request refused by the HTTP layer"
    );
    let body = serde_json::json!({ "message": message, "Message": message }).to_string();
    let mut out = format!(
        "HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\n\
         x-amzn-errortype: ValidationException\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if let Some(date) = date {
        out.push_str(&format!("date: {date}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&body);
    Some(out.into_bytes())
}

impl<S: AsyncRead + Unpin> AsyncRead for ShapedErrors<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ShapedErrors<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drive(cx))?;
        if self.replace(buf) {
            // Taken whole; what is not written yet goes out on the next write, flush or
            // shutdown.
            if let Poll::Ready(Err(e)) = self.drive(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        ready!(self.drive(cx))?;
        // hyper's own answer is a head alone, in one buffer.
        let mut nonempty = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(head), None) = (nonempty.next(), nonempty.next()) {
            if self.replace(head) {
                if let Poll::Ready(Err(e)) = self.drive(cx) {
                    return Poll::Ready(Err(e));
                }
                return Poll::Ready(Ok(head.len()));
            }
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drive(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.drive(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
