//! The HTTP front (issue 13, items 6 and 8): heads and bodies that take too long are cut off,
//! idle connections close, the connection limit holds, and requests over the URI and header
//! limits get answers in the API's shape instead of hyper's bare ones.

use std::time::{Duration, Instant};

use gameliftstreams_mock::{HttpLimits, ServerConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

fn limits(header: u64, body: u64, connections: usize) -> ServerConfig {
    ServerConfig {
        http: HttpLimits {
            header_timeout: Duration::from_secs(header),
            body_timeout: Duration::from_secs(body),
            max_connections: connections,
        },
        ..test_config()
    }
}

fn address(mock: &TestServer) -> String {
    mock.url().trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection or `limit` passes; answers what was read and
/// whether it closed.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, bool) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (bytes, true),
            Ok(Ok(n)) => bytes.extend_from_slice(&buf[..n]),
            Err(_) => return (bytes, false),
        }
    }
}

#[tokio::test]
async fn a_head_that_never_ends_is_cut_off() {
    let mock = TestServer::start_with(limits(1, 30, 64)).await;
    let mut slow = TcpStream::connect(address(&mock)).await.unwrap();
    slow.write_all(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let (_, closed) = read_until_closed(&mut slow, Duration::from_secs(10)).await;
    assert!(closed, "the connection is closed");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "closed after {took:?}, for a 1 s header timeout"
    );
    // The server still serves.
    let ok = mock.control("GET", "/_mock/health", None).await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn an_idle_kept_alive_connection_closes() {
    let mock = TestServer::start_with(limits(1, 30, 64)).await;
    let mut idle = TcpStream::connect(address(&mock)).await.unwrap();
    idle.write_all(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (bytes, closed) = read_until_closed(&mut idle, Duration::from_secs(10)).await;
    assert!(closed, "closed once idle for the header timeout");
    assert!(
        String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 200"),
        "the request was answered first"
    );
}

#[tokio::test]
async fn a_body_that_stalls_is_refused_in_the_api_shape() {
    let mock = TestServer::start_with(limits(30, 1, 64)).await;
    let mut stalled = TcpStream::connect(address(&mock)).await.unwrap();
    let head = format!(
        "POST /applications HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTHORIZATION}\r\n\
         Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"Descr"
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (bytes, _) = read_until_closed(&mut stalled, Duration::from_secs(10)).await;
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("ValidationException"), "{text}");
    assert!(text.contains("request body"), "{text}");
}

#[tokio::test]
async fn the_connection_limit_holds_and_frees() {
    let mock = TestServer::start_with(limits(30, 30, 2)).await;
    let addr = address(&mock);
    let mut first = TcpStream::connect(&addr).await.unwrap();
    let second = TcpStream::connect(&addr).await.unwrap();
    // Both are served (each holds a slot until it closes): the first answers a request.
    first
        .write_all(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = [0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(5), first.read(&mut buf))
        .await
        .expect("served")
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"));
    // A third waits: it connects (the backlog takes it) but is not answered.
    let mut third = TcpStream::connect(&addr).await.unwrap();
    third
        .write_all(b"GET /_mock/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let waited = tokio::time::timeout(Duration::from_millis(500), third.read(&mut buf)).await;
    assert!(waited.is_err(), "the third connection waits for a slot");
    // One closes: the third is served.
    drop(second);
    let n = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf))
        .await
        .expect("served once a slot is free")
        .unwrap();
    assert!(buf[..n].starts_with(b"HTTP/1.1 200"), "{:?}", &buf[..n]);
}

#[tokio::test]
async fn a_huge_uri_or_too_many_headers_get_an_api_shaped_answer() {
    let mock = TestServer::start().await;
    // (Beyond 65,534 bytes hyper answers its own bare 414 before any server code runs.)
    let long = format!("/applications/{}", "a".repeat(40 * 1024));
    let r = mock
        .raw("GET", &long, &[("Authorization", AUTHORIZATION)], b"")
        .await;
    let message = r.assert_error(414, "ValidationException");
    assert!(message.contains("URI"), "{message}");

    // 1,000 headers (18 KB): over the mock's 200, within the head limit.
    let names: Vec<String> = (0..1_000).map(|i| format!("x-padding-{i}")).collect();
    let mut headers: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    headers.push(("Authorization", AUTHORIZATION));
    let r = mock.raw("GET", "/applications", &headers, b"").await;
    let message = r.assert_error(431, "ValidationException");
    assert!(message.contains("headers, more than the 200"), "{message}");

    // Within the limits, the same requests are served.
    let r = mock.raw("GET", "/applications", &headers[900..], b"").await;
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Sends `bytes` on a fresh connection and reads until the server closes it (or 10 s pass).
async fn exchange(mock: &TestServer, bytes: &[u8]) -> (String, Duration) {
    let mut stream = TcpStream::connect(address(mock)).await.unwrap();
    let started = Instant::now();
    // The server may answer and close before it has read everything.
    let _ = stream.write_all(bytes).await;
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(10)).await;
    assert!(closed, "the connection is closed");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

/// A head over 64 KiB (one 1 MB header), more header lines than hyper parses, or a
/// `Content-Length` hyper cannot take is refused before any route runs, in the API's shape
/// rather than hyper's bare status, and the connection closes.
#[tokio::test]
async fn a_head_hyper_refuses_is_answered_in_the_api_shape() {
    let mock = TestServer::start().await;
    let big = format!(
        "GET /applications HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTHORIZATION}\r\n\
         x-big: {}\r\n\r\n",
        "b".repeat(1_000_000)
    );
    let many: String = (0..2_000).map(|i| format!("x-{i}: 1\r\n")).collect();
    let many = format!("GET /applications HTTP/1.1\r\nHost: x\r\n{many}\r\n");
    for (what, request, status) in [
        ("a 1 MB header", big.as_str(), "431"),
        ("2,000 headers", many.as_str(), "431"),
        (
            "a Content-Length of 2^64 - 1",
            "POST /applications HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\n\r\n",
            "431",
        ),
        (
            "a Content-Length of -1",
            "POST /applications HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
            "400",
        ),
    ] {
        let (text, took) = exchange(&mock, request.as_bytes()).await;
        assert!(
            text.starts_with(&format!("HTTP/1.1 {status} ")),
            "{what}: {text}"
        );
        let lower = text.to_ascii_lowercase();
        assert!(
            lower.contains("x-amzn-errortype: validationexception")
                && lower.contains("content-type: application/json"),
            "{what}: {text}"
        );
        let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
        let json: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
        assert_eq!(json["Message"], json["message"], "{what}: {body}");
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
    }
    // The server goes on serving.
    let ok = mock.control("GET", "/_mock/health", None).await;
    assert_eq!(ok.status, 200);
}

/// A body larger than the route takes is refused as soon as its `Content-Length` is seen,
/// without waiting for the body (or its timeout).
#[tokio::test]
async fn a_content_length_over_the_limit_is_refused_at_once() {
    let mock = TestServer::start_with(limits(30, 30, 64)).await;
    for (request, limit) in [
        (
            format!(
                "POST /applications HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTHORIZATION}\r\n\
                 Content-Length: 1000000000\r\n\r\n{{"
            ),
            "2097152",
        ),
        (
            "PUT /_mock/snapshot HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000000\r\n\r\n{"
                .to_owned(),
            "1073741824",
        ),
    ] {
        let (text, took) = exchange(&mock, request.as_bytes()).await;
        assert!(text.starts_with("HTTP/1.1 413 "), "{text}");
        assert!(text.contains("ValidationException"), "{text}");
        assert!(text.contains(limit), "{text}");
        assert!(took < Duration::from_secs(5), "{took:?}");
    }
    // Within the snapshot's limit, its Content-Length alone is no reason to refuse it.
    let (text, _) = exchange(
        &mock,
        b"PUT /_mock/snapshot HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
    )
    .await;
    assert!(text.starts_with("HTTP/1.1 400 "), "{text}");
    assert!(text.contains("Invalid snapshot"), "{text}");
}

/// Starts a request whose body is announced as 1,000,000,000 bytes and sends it a byte at a
/// time, every `every`, until the server closes the connection; answers what it answered and
/// when, after the head was sent.
fn trickle(
    address: String,
    head: String,
    every: Duration,
) -> tokio::task::JoinHandle<(String, Duration)> {
    tokio::spawn(async move {
        let mut stream = TcpStream::connect(&address).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let (mut reader, mut writer) = stream.into_split();
        let writing = tokio::spawn(async move {
            while writer.write_all(b" ").await.is_ok() {
                tokio::time::sleep(every).await;
            }
        });
        let mut answer = Vec::new();
        let _ =
            tokio::time::timeout(Duration::from_secs(30), reader.read_to_end(&mut answer)).await;
        let took = started.elapsed();
        writing.abort();
        (String::from_utf8_lossy(&answer).into_owned(), took)
    })
}

/// The body timeout is a deadline for the whole body: a client that trickles a byte every
/// 200 ms (each of which used to start the timeout again) is refused once it has passed.
#[tokio::test]
async fn a_trickled_body_is_refused_at_the_body_timeout() {
    let mock = TestServer::start_with(limits(30, 1, 64)).await;
    let head = format!(
        "POST /applications HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTHORIZATION}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
    );
    let (text, took) = trickle(address(&mock), head, Duration::from_millis(200))
        .await
        .unwrap();
    assert!(text.starts_with("HTTP/1.1 400"), "{text}");
    assert!(text.contains("ValidationException"), "{text}");
    assert!(text.contains("body timeout"), "{text}");
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "refused after {took:?}, for a 1 s body timeout"
    );
}

/// Two trickled `PUT /_mock/snapshot` hold the one-at-a-time upload for a body timeout each,
/// no longer; a real one queued behind them waits longer than the body timeout for its turn,
/// which is not counted against it, and succeeds.
#[tokio::test]
async fn a_snapshot_put_queued_behind_trickled_ones_succeeds() {
    let mock = TestServer::start_with(limits(30, 2, 64)).await;
    let snapshot = mock.control("GET", "/_mock/snapshot", None).await;
    assert_eq!(snapshot.status, 200);
    let head = "PUT /_mock/snapshot HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n";
    let started = Instant::now();
    let first = trickle(address(&mock), head.into(), Duration::from_millis(500));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = trickle(address(&mock), head.into(), Duration::from_millis(500));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let addr = address(&mock);
    let body = snapshot.body.clone();
    let real = tokio::spawn(async move {
        let r = raw_request(&addr, "PUT", "/_mock/snapshot", &[], &body).await;
        (r, Instant::now())
    });
    for trickled in [first, second] {
        let (text, took) = trickled.await.unwrap();
        assert!(text.starts_with("HTTP/1.1 400"), "{text}");
        assert!(text.contains("body timeout"), "{text}");
        assert!(took < Duration::from_secs(8), "{took:?}");
    }
    let (r, done) = real.await.unwrap();
    assert_eq!(r.status, 204, "{}", r.text());
    let waited = done - started;
    assert!(
        waited > Duration::from_secs(3),
        "the real upload waited for both trickled ones ({waited:?})"
    );
}

#[tokio::test]
async fn a_huge_member_is_not_echoed_whole() {
    let mock = TestServer::start().await;
    let huge = "x".repeat(1 << 20);
    let body = serde_json::json!({ "Description": huge }).to_string();
    let r = mock.api("POST", "/applications", body.as_bytes()).await;
    let message = r.assert_error(400, "ValidationException");
    assert!(message.contains("description"), "{message}");
    assert!(
        r.body.len() < 20_000,
        "an error body of {} bytes",
        r.body.len()
    );
    assert!(
        message.contains(&format!("({} bytes)", 1 << 20)),
        "{message}"
    );
}
