//! The WebRTC layer (`--webrtc`): a real str0m peer behind every stream session, all of them on
//! one UDP socket.
//!
//! Data flows one way. The [`WebRtcResponder`] answers offers for the engine (it is the engine's
//! [`SignalResponder`]) and hands each new peer to the [`driver`], which owns the socket and the
//! peers. What a peer sees (DTLS up and `inputChannel` open, the client gone, input messages)
//! the driver feeds to the engine as the same observations the control API posts; what the
//! engine decides (a session ended, a peer replaced) the driver reads back and acts on.
//!
//! # Two clocks
//!
//! WebRTC runs on the monotonic clock (`Instant`): retransmissions, the silence that counts as
//! a disconnect. The engine runs on the mock's clock, which may be manual. An observation is
//! applied at whatever the mock's clock reads when the driver takes the lock, exactly like a
//! control-API event posted at that moment; on a manual clock, a client that connects and
//! disconnects between two clock moves does both at the same engine time.

mod client;
mod driver;
mod offer;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use gameliftstreams_lifecycle::{AccountId, DefaultResponder, SignalContext, SignalResponder};
use str0m::{Candidate, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::server::{StartError, WebRtcConfig};
use crate::state::MockState;

pub use client::{ClientError, ClientPeer, ClientState};
pub(crate) use offer::parse as parse_offer;

/// What the WebRTC layer has done since the server started ([`MockServer::webrtc_stats`]).
///
/// [`MockServer::webrtc_stats`]: crate::MockServer::webrtc_stats
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebRtcStats {
    /// Peers alive now (connecting, connected or closing).
    pub peers: u64,
    /// CLIENT_CONNECTED observations the engine took.
    pub clients_connected: u64,
    /// CLIENT_DISCONNECTED observations the engine took.
    pub clients_disconnected: u64,
    /// USER_INPUT observations the engine took (bursts of messages are one).
    pub user_inputs: u64,
    /// Datagrams that belonged to no peer, or did not parse.
    pub datagrams_dropped: u64,
    /// From the answer to CLIENT_CONNECTED, over the latest connections (at most
    /// [`LATENCY_SAMPLES`]): the median, in microseconds (0 before any).
    pub answer_to_connected_p50_micros: u64,
    /// The same, 99th percentile.
    pub answer_to_connected_p99_micros: u64,
    /// How many connections those percentiles are of.
    pub answer_to_connected_samples: u64,
}

/// How many answer-to-CONNECTED times [`WebRtcStats`] keeps.
pub const LATENCY_SAMPLES: usize = 10_000;

/// The counters behind [`WebRtcStats`], shared by the driver and the server.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) peers: AtomicU64,
    pub(crate) clients_connected: AtomicU64,
    pub(crate) clients_disconnected: AtomicU64,
    pub(crate) user_inputs: AtomicU64,
    pub(crate) datagrams_dropped: AtomicU64,
    /// Answer-to-CONNECTED times in microseconds, the latest [`LATENCY_SAMPLES`].
    pub(crate) connect_micros: Mutex<std::collections::VecDeque<u64>>,
}

impl Counters {
    pub(crate) fn record_connect(&self, micros: u64) {
        let mut samples = self
            .connect_micros
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if samples.len() == LATENCY_SAMPLES {
            samples.pop_front();
        }
        samples.push_back(micros);
    }

    pub(crate) fn stats(&self) -> WebRtcStats {
        let read = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut samples: Vec<u64> = self
            .connect_micros
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .copied()
            .collect();
        samples.sort_unstable();
        let percentile = |p: usize| {
            samples
                .len()
                .checked_sub(1)
                .map_or(0, |last| samples[last * p / 100])
        };
        WebRtcStats {
            answer_to_connected_p50_micros: percentile(50),
            answer_to_connected_p99_micros: percentile(99),
            answer_to_connected_samples: samples.len() as u64,
            peers: read(&self.peers),
            clients_connected: read(&self.clients_connected),
            clients_disconnected: read(&self.clients_disconnected),
            user_inputs: read(&self.user_inputs),
            datagrams_dropped: read(&self.datagrams_dropped),
        }
    }
}

use crate::control::INPUT_MODULE_PATH;

/// The running WebRTC layer.
pub(crate) struct WebRtc {
    local: SocketAddr,
    responder: Arc<WebRtcResponder>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl WebRtc {
    /// Binds the UDP socket and starts the driver. `http` is the mock's HTTP address, which the
    /// answers name as the input module's origin.
    pub(crate) async fn start(
        config: &WebRtcConfig,
        http: SocketAddr,
        state: MockState,
    ) -> Result<WebRtc, StartError> {
        let bad = |reason: String| StartError::Config(format!("--webrtc-listen: {reason}"));
        let wanted: SocketAddr = config.listen.parse().map_err(|e| {
            bad(format!(
                "'{}' is not an IP address and port ({e})",
                config.listen
            ))
        })?;
        if wanted.ip().is_unspecified() {
            return Err(bad(format!(
                "'{}' is not an address a client can reach: it is every peer's host \
                 candidate, so name one interface (127.0.0.1:0 by default)",
                config.listen
            )));
        }
        if config.disconnect_after.is_zero() {
            return Err(StartError::Config(
                "--webrtc-disconnect-after must be more than 0 s".into(),
            ));
        }
        let socket = UdpSocket::bind(wanted)
            .await
            .map_err(|source| StartError::Bind {
                address: config.listen.clone(),
                source,
            })?;
        let local = socket.local_addr().map_err(|source| StartError::Bind {
            address: config.listen.clone(),
            source,
        })?;
        let (peers, new_peers) = mpsc::unbounded_channel();
        let counters = Arc::new(Counters::default());
        let responder = Arc::new(WebRtcResponder {
            host: local,
            protocol_url: format!("http://{http}{INPUT_MODULE_PATH}"),
            answers: Mutex::new(HashMap::new()),
            peers,
            counters: counters.clone(),
        });
        let (stop, stopped) = oneshot::channel();
        let driver = driver::Driver::new(local, config.disconnect_after, state, counters);
        let task = tokio::spawn(driver.run(socket, new_peers, stopped));
        tracing::info!(udp = %local, "WebRTC peers listening");
        Ok(WebRtc {
            local,
            responder,
            stop,
            task,
        })
    }

    /// The UDP address every peer shares.
    pub(crate) fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// What the layer has done so far.
    pub(crate) fn stats(&self) -> WebRtcStats {
        self.responder.stats()
    }

    /// The responder, to install in the engine and to tell of engines replaced.
    pub(crate) fn responder(&self) -> Arc<WebRtcResponder> {
        self.responder.clone()
    }

    /// Closes every peer and stops the driver.
    pub(crate) async fn shutdown(self) {
        let _ = self.stop.send(());
        if tokio::time::timeout(std::time::Duration::from_secs(2), self.task)
            .await
            .is_err()
        {
            tracing::warn!("the WebRTC driver did not stop within 2 s");
        }
    }
}

/// A session a peer belongs to, as the engine's observations name it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SessionKey {
    pub(crate) account: AccountId,
    pub(crate) group: String,
    pub(crate) session: String,
}

impl SessionKey {
    /// The key of `arn:aws:gameliftstreams:REGION:ACCOUNT:streamsession/GROUP/SESSION`.
    fn from_arn(arn: &str) -> Option<SessionKey> {
        let mut parts = arn.splitn(6, ':');
        let account = parts.nth(4)?.parse().ok()?;
        let resource = parts.next()?;
        let mut path = resource.split('/');
        if path.next()? != "streamsession" {
            return None;
        }
        let (group, session) = (path.next()?, path.next()?);
        path.next().is_none().then(|| SessionKey {
            account,
            group: group.to_owned(),
            session: session.to_owned(),
        })
    }
}

impl fmt::Display for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.group, self.session)
    }
}

/// Per session ARN: the latest connection answered, and its signal response.
type Answers = HashMap<Box<str>, (u32, String)>;

/// What the responder tells the driver.
pub(crate) enum ToDriver {
    /// A peer for a new connection (boxed: a str0m `Rtc` is about 10 kB).
    Peer(Box<NewPeer>),
    /// The engine was replaced (reset, snapshot restored): every peer's session is gone, even
    /// where the new engine has a session of the same ID.
    CloseAll,
}

/// A peer made by the responder, on its way to the driver.
pub(crate) struct NewPeer {
    pub(crate) session: SessionKey,
    pub(crate) connection: u32,
    pub(crate) ufrag: String,
    pub(crate) rtc: Rtc,
}

/// The engine's signal responder under `--webrtc`: answers each offer with a real str0m peer.
///
/// An answer is made once per connection (the engine asks again on every `GetStreamSession`)
/// and kept, the latest connection's per session. An offer it cannot read (under a lenient
/// signal policy; the strict one `--webrtc` sets refuses them at placement) gets the default
/// answer-shaped string and no peer.
pub(crate) struct WebRtcResponder {
    host: SocketAddr,
    protocol_url: String,
    /// Per session ARN: the connection answered and its signal response.
    answers: Mutex<Answers>,
    peers: mpsc::UnboundedSender<ToDriver>,
    counters: Arc<Counters>,
}

impl fmt::Debug for WebRtcResponder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The answers are sensitive, as the signal responses are.
        f.debug_struct("WebRtcResponder")
            .field("host", &self.host)
            .field("protocol_url", &self.protocol_url)
            .finish_non_exhaustive()
    }
}

impl WebRtcResponder {
    /// Forgets every answer and closes every peer: the engine they belong to was replaced.
    pub(crate) fn forget_all(&self) {
        self.answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let _ = self.peers.send(ToDriver::CloseAll);
    }

    /// What the layer has done so far.
    pub(crate) fn stats(&self) -> WebRtcStats {
        self.counters.stats()
    }

    /// A new peer for `context`'s offer and its signal response, or why there is none.
    fn answer(&self, context: &SignalContext<'_>) -> Result<String, String> {
        let offer = parse_offer(context.signal_request).map_err(|e| e.to_string())?;
        let session = SessionKey::from_arn(context.session_arn)
            .ok_or_else(|| format!("'{}' is not a stream session ARN", context.session_arn))?;
        let mut rtc = Rtc::builder().build(Instant::now());
        let candidate = Candidate::host(self.host, "udp").map_err(|e| e.to_string())?;
        rtc.add_local_candidate(candidate);
        let answer = rtc
            .sdp_api()
            .accept_offer(offer)
            .map_err(|e| format!("str0m refused the offer: {e}"))?;
        let ufrag = rtc.direct_api().local_ice_credentials().ufrag;
        let response = offer::signal_response(&answer.to_sdp_string(), &self.protocol_url);
        // The driver is gone only once the server is stopping: the answer is still an answer.
        let _ = self.peers.send(ToDriver::Peer(Box::new(NewPeer {
            session,
            connection: context.connection,
            ufrag,
            rtc,
        })));
        Ok(response)
    }
}

impl SignalResponder for WebRtcResponder {
    fn respond(&self, context: &SignalContext<'_>) -> String {
        let mut answers = self.answers.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((connection, answer)) = answers.get(context.session_arn) {
            if *connection == context.connection {
                return answer.clone();
            }
        }
        match self.answer(context) {
            Ok(response) => {
                answers.insert(
                    context.session_arn.into(),
                    (context.connection, response.clone()),
                );
                response
            }
            Err(why) => {
                tracing::debug!(session = context.session_arn, %why, "no WebRTC peer");
                DefaultResponder.respond(context)
            }
        }
    }

    fn accepts(&self, signal_request: &str) -> bool {
        signal_request == gameliftstreams_lifecycle::NO_CLIENT_CONNECTION
            || parse_offer(signal_request).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_keys_come_from_session_arns_only() {
        let key = SessionKey::from_arn(
            "arn:aws:gameliftstreams:us-west-2:123456789012:streamsession/sg-1AB/ABC123",
        )
        .expect("a session ARN");
        assert_eq!(key.account.to_string(), "123456789012");
        assert_eq!(
            (key.group.as_str(), key.session.as_str()),
            ("sg-1AB", "ABC123")
        );
        for bad in [
            "arn:aws:gameliftstreams:us-west-2:123456789012:streamgroup/sg-1AB",
            "arn:aws:gameliftstreams:us-west-2:12345678901x:streamsession/sg-1AB/ABC",
            "arn:aws:gameliftstreams:us-west-2:123456789012:streamsession/sg-1AB/ABC/x",
            "ABC123",
        ] {
            assert_eq!(SessionKey::from_arn(bad), None, "{bad}");
        }
    }
}
