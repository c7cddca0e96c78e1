//! Shared helpers: a server started in-process on a free loopback port, real SDK clients
//! pointed at it, a minimal raw HTTP client for what an SDK will not send, and fixtures.

#![allow(dead_code)] // Each test file uses its own subset.

pub mod chromium;

use std::time::Duration;

use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::config::retry::RetryConfig;
use aws_sdk_gameliftstreams::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_gameliftstreams::types::{
    Protocol, RuntimeEnvironment, RuntimeEnvironmentType, StreamClass,
};
use chrono::DateTime;
use gameliftstreams_mock::{ClockMode, MockServer, ServerConfig};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Another account (a 12-digit access key ID acts for that account).
pub const OTHER: &str = "210987654321";

/// The HTTP status of an SDK error's response.
pub fn status<E>(
    e: &aws_sdk_gameliftstreams::error::SdkError<
        E,
        aws_sdk_gameliftstreams::config::http::HttpResponse,
    >,
) -> u16 {
    e.raw_response().expect("a response").status().as_u16()
}

/// 2026-01-01T00:00:00Z: where the manual clock of every test server starts.
pub const T0: i64 = 1_767_225_600;

/// An access key ID that is not 12 digits: it acts for the default account.
pub const ACCESS_KEY: &str = "AKIDEXAMPLE";

/// A SigV4 `Authorization` header for raw requests (the mock does not check signatures).
pub const AUTHORIZATION: &str = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/gameliftstreams/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";

/// A server config for tests: a free loopback port and a manual clock at [`T0`].
pub fn test_config() -> ServerConfig {
    ServerConfig {
        listen: "127.0.0.1:0".into(),
        clock: ClockMode::Manual,
        start_time: DateTime::from_timestamp(T0, 0),
        ..ServerConfig::default()
    }
}

/// A mock server running in this test's runtime.
pub struct TestServer {
    pub server: MockServer,
}

impl TestServer {
    /// A server with [`test_config`].
    pub async fn start() -> TestServer {
        Self::start_with(test_config()).await
    }

    pub async fn start_with(config: ServerConfig) -> TestServer {
        let server = MockServer::start(config)
            .await
            .expect("the mock server starts");
        TestServer { server }
    }

    pub fn url(&self) -> String {
        self.server.url()
    }

    /// An SDK client for the default account.
    pub fn client(&self) -> Client {
        self.client_for(ACCESS_KEY)
    }

    /// An SDK client whose requests carry `access_key_id`.
    pub fn client_for(&self, access_key_id: &str) -> Client {
        sdk_client(&self.url(), access_key_id)
    }

    /// A raw request with the given headers.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> RawResponse {
        raw_request(
            &self.server.local_addr().to_string(),
            method,
            path,
            headers,
            body,
        )
        .await
    }

    /// A raw API request, signed (in form) as the default account.
    pub async fn api(&self, method: &str, path: &str, body: &[u8]) -> RawResponse {
        self.raw(method, path, &[("Authorization", AUTHORIZATION)], body)
            .await
    }

    /// A control API request with a JSON body (or none).
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> RawResponse {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        self.raw(
            method,
            path,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await
    }

    /// Moves the manual clock forward.
    pub async fn advance(&self, seconds: u64) {
        let r = self
            .control(
                "POST",
                "/_mock/clock",
                Some(serde_json::json!({ "AdvanceSeconds": seconds })),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// Feeds a client event to a session through the control API, expecting success.
    pub async fn event(&self, group_id: &str, session_id: &str, kind: &str) -> Value {
        let r = self
            .control(
                "POST",
                &format!("/_mock/streamgroups/{group_id}/streamsessions/{session_id}/events"),
                Some(serde_json::json!({ "Type": kind })),
            )
            .await;
        assert_eq!(r.status, 200, "{kind}: {}", r.text());
        r.json()
    }

    pub async fn shutdown(self) {
        self.server.shutdown().await.expect("clean shutdown");
    }
}

/// An SDK client for the mock at `url`: static credentials, plain HTTP, no retries (so that
/// every error the server sends is the error the test sees).
pub fn sdk_client(url: &str, access_key_id: &str) -> Client {
    let config = aws_sdk_gameliftstreams::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new(
            access_key_id,
            "secret-access-key",
            None,
            None,
            "tests",
        ))
        .endpoint_url(url)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .retry_config(RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// A response read off the wire.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// Asserts an AWS-style error: status, `x-amzn-ErrorType` and a message in the body.
    pub fn assert_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("x-amzn-ErrorType"), Some(code), "{self:?}");
        let message = self.json()["message"]
            .as_str()
            .expect("a message")
            .to_owned();
        assert!(!message.is_empty());
        message
    }
}

/// One HTTP/1.1 request on a fresh connection (`Connection: close`), read to the end.
pub async fn raw_request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> RawResponse {
    let mut stream = TcpStream::connect(address).await.expect("connect");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.expect("write");
    stream.write_all(body).await.expect("write");
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes))
        .await
        .expect("the server answers within 10 s")
        .expect("read");
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    RawResponse {
        status,
        headers,
        body: bytes[split + 4..].to_vec(),
    }
}

/// A WebRTC offer as the Web SDK would send it (any non-empty string does by default).
pub fn offer(n: u32) -> String {
    format!(r#"{{"type":"offer","sdp":"v=0 offer {n}"}}"#)
}

/// Creates an application and waits until it is READY; returns its ARN.
pub async fn ready_application(client: &Client) -> String {
    let app = client
        .create_application()
        .description("My game")
        .runtime_environment(
            RuntimeEnvironment::builder()
                .r#type(RuntimeEnvironmentType::Proton)
                .version("20241007")
                .build()
                .expect("a runtime environment"),
        )
        .executable_path("bin/game.exe")
        .application_source_uri("s3://my-bucket/game")
        .send()
        .await
        .expect("CreateApplication");
    app.arn().to_owned()
}

/// Creates a stream group with `app` as its default application; returns its ARN.
pub async fn stream_group(client: &Client, app: &str) -> String {
    let group = client
        .create_stream_group()
        .description("My group")
        .stream_class(StreamClass::Gen5nHigh)
        .default_application_identifier(app)
        .send()
        .await
        .expect("CreateStreamGroup");
    group.arn().to_owned()
}

/// An application and a stream group that are ready for sessions (delays are 0 s by default,
/// so both settle at the next request).
pub async fn app_and_group(client: &Client) -> (String, String) {
    let app = ready_application(client).await;
    let group = stream_group(client, &app).await;
    (app, group)
}

/// Starts a session; returns its ARN.
pub async fn start_session(client: &Client, group: &str, app: &str, n: u32) -> String {
    client
        .start_stream_session()
        .identifier(group)
        .application_identifier(app)
        .protocol(Protocol::Webrtc)
        .signal_request(offer(n))
        .send()
        .await
        .expect("StartStreamSession")
        .arn()
        .expect("a session ARN")
        .to_owned()
}

/// The last segment of an ARN (the resource ID).
pub fn id_of(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}
