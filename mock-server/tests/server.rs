//! The mock server's tests: one concern per file, driven through the real
//! `aws-sdk-gameliftstreams` client against a server started in-process on a free port (and, in
//! `cli`, the binary itself). They are modules of one test binary rather than one binary each:
//! every test binary links the SDK again, and one builds in a fraction of the time.

mod common;

mod accounts;
#[cfg(feature = "webrtc")]
mod browser;
mod cli;
mod clock;
mod control_api;
mod crash;
mod dashboard;
mod errors;
mod faults;
mod http_front;
mod lifecycle;
mod pagination;
mod routing;
mod session_access;
mod signatures;
mod state_file;
mod stream_urls;
mod tags;
mod waiters;
#[cfg(feature = "webrtc")]
mod webrtc;
