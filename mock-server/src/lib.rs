//! A mock Amazon GameLift Streams server: the service's REST API, bound exactly as the AWS API
//! model binds it, over the pure [`gameliftstreams_lifecycle::Engine`].
//!
//! Point `aws-sdk-gameliftstreams`, boto3 or the AWS CLI at it with nothing but an endpoint URL
//! (`http://127.0.0.1:4580`). Requests need a SigV4 `Authorization` header, whose access key ID
//! picks the account (and, with [`ServerConfig::accounts`] holding credentials, must be a valid
//! signature); a control API under `/_mock/` moves the
//! clock, feeds client events to sessions, changes the engine's configuration and saves or
//! restores its state. The README describes both APIs and the command line.
//!
//! # Embedding
//!
//! [`MockServer::start`] binds a listener (port 0 picks a free one) and serves in the
//! background of the current tokio runtime; [`MockServer::shutdown`] stops it and saves the
//! state file, if any. With a state file, every change is also journaled and synced before it
//! is answered ([`ServerConfig::journal`]), so that a crash loses nothing acknowledged. [`MockState::router`] gives the bare [`axum::Router`] for an HTTP stack
//! of your own.
//!
//! ```no_run
//! use gameliftstreams_mock::{ClockMode, MockServer, ServerConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start(ServerConfig {
//!     listen: "127.0.0.1:0".into(),
//!     clock: ClockMode::Manual,
//!     ..ServerConfig::default()
//! })
//! .await?;
//! println!("endpoint: {}", server.url());
//! // … point an SDK client at server.url() …
//! server.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Time
//!
//! The engine never reads a clock; the server owns one ([`ClockMode`]): the wall clock plus an
//! offset that the control API can push forward, or a manual clock that moves only when told.
//! Every request, API or control, first advances the engine to the clock, so timers that are
//! due fire before the request is answered.

//!
//! # WebRTC
//!
//! With the `webrtc` feature and [`ServerConfig::webrtc`] (`--webrtc`), every stream session
//! gets a real str0m peer on one shared UDP socket: the `SignalResponse` is a real answer, and
//! the client's connection feeds the engine CLIENT_CONNECTED, CLIENT_DISCONNECTED and USER_INPUT
//! itself. `GET /_mock/play` serves a test player for Chromium; `ClientPeer` is a client for
//! Rust tests. The WebRTC layer runs on the monotonic clock and applies what it observes at the
//! mock's clock, as a control-API event posted at that moment would be.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod auth;
mod clock;
mod control;
mod error;
mod http;
mod journal;
mod logging;
mod rest;
mod server;
mod state;
mod ui;
#[cfg(feature = "webrtc")]
mod webrtc;

pub use auth::{AccountMap, AccountMapping, Credentials};
pub use clock::{ClockMode, UnknownClockMode};
pub use error::AwsError;
pub use http::{DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_MAX_CONNECTIONS, HttpLimits};
pub use journal::DEFAULT_JOURNAL_COMPACT_EVERY;
pub use server::{
    DEFAULT_LISTEN, DEFAULT_REGION, DEFAULT_WEBRTC_DISCONNECT_AFTER, DEFAULT_WEBRTC_LISTEN,
    MockServer, ServerConfig, ShutdownError, StartError, WebRtcConfig,
};
pub use state::{
    CONTROL_TOKEN_HEADER, CONTROL_TOKEN_PARAMETER, DEFAULT_EVENT_LOG_LIMIT, MockState,
};
#[cfg(feature = "webrtc")]
pub use webrtc::{ClientError, ClientPeer, ClientState, LATENCY_SAMPLES, WebRtcStats};
