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

    let names: Vec<String> = (0..10_000).map(|i| format!("x-padding-{i}")).collect();
    let mut headers: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    headers.push(("Authorization", AUTHORIZATION));
    let r = mock.raw("GET", "/applications", &headers, b"").await;
    let message = r.assert_error(431, "ValidationException");
    assert!(message.contains("headers"), "{message}");

    // Within the limits, the same requests are served.
    let r = mock
        .raw("GET", "/applications", &headers[9_900..], b"")
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
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
