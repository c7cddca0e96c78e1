//! A WebRTC client peer, for Rust tests and load runs against a `--webrtc` mock: what the Web SDK
//! does in a browser (an offer with `inputChannel` and `clientMessageChannel`, receive-only audio
//! and video, no ICE candidates), done by str0m on a UDP socket of its own.

use std::net::SocketAddr;
use std::time::Instant;

use str0m::change::{SdpAnswer, SdpPendingOffer};
use str0m::channel::{ChannelConfig, ChannelId, Reliability};
use str0m::media::{Direction, MediaKind};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

/// What a [`ClientPeer`] has seen so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientState {
    /// ICE and DTLS are up.
    pub connected: bool,
    /// Data channels opened, all told.
    pub channels_opened: usize,
    /// Data channels closed, all told (by either side).
    pub channels_closed: usize,
    /// ICE reported the server gone, or the peer ended.
    pub disconnected: bool,
    /// Why the peer failed, if it did.
    pub error: Option<String>,
}

impl ClientState {
    /// Connected, with both of the Web SDK's channels open.
    pub fn streaming(&self) -> bool {
        self.connected && self.channels_opened >= 2 && self.channels_closed == 0
    }
}

/// Why a [`ClientPeer`] could not start or take an answer.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The UDP socket.
    #[error("client socket: {0}")]
    Io(#[from] std::io::Error),
    /// The signal response is not the Web SDK's JSON with an SDP answer.
    #[error("not a signal response with an SDP answer: {0}")]
    Answer(String),
    /// str0m refused something.
    #[error("WebRTC: {0}")]
    Rtc(String),
    /// The peer's task has ended.
    #[error("the client peer has stopped")]
    Stopped,
}

enum Command {
    Answer(SdpAnswer),
    Input(Vec<u8>),
    Close,
}

/// A client peer running on the current tokio runtime. Dropping it stops it without a
/// goodbye, like a browser tab that is killed.
pub struct ClientPeer {
    signal_request: String,
    commands: mpsc::UnboundedSender<Command>,
    state: watch::Receiver<ClientState>,
    task: JoinHandle<()>,
}

impl ClientPeer {
    /// A peer with a fresh offer, on a UDP socket bound to `bind` (e.g. `127.0.0.1:0`).
    pub async fn new(bind: SocketAddr) -> Result<ClientPeer, ClientError> {
        let socket = UdpSocket::bind(bind).await?;
        let local = socket.local_addr()?;
        let mut rtc = Rtc::builder().build(Instant::now());
        let mut change = rtc.sdp_api();
        let input = change.add_channel_with_config(ChannelConfig {
            label: "inputChannel".into(),
            ordered: false,
            reliability: Reliability::MaxRetransmits { retransmits: 0 },
            ..Default::default()
        });
        change.add_channel("clientMessageChannel".into());
        change.add_media(MediaKind::Audio, Direction::RecvOnly, None, None, None);
        change.add_media(MediaKind::Video, Direction::RecvOnly, None, None, None);
        let (offer, pending) = change
            .apply()
            .ok_or_else(|| ClientError::Rtc("no offer was made".into()))?;
        // Added after the offer, so that the offer carries no candidate (as the Web SDK's
        // does not): the server learns the address from the checks.
        let candidate =
            Candidate::host(local, "udp").map_err(|e| ClientError::Rtc(e.to_string()))?;
        rtc.add_local_candidate(candidate);
        let signal_request = serde_json::json!({
            "type": "offer",
            "sdp": offer.to_sdp_string(),
            "webSdkVersion": "gameliftstreams-mock-client",
            "extras": {},
        })
        .to_string();
        let (commands, receiver) = mpsc::unbounded_channel();
        let (publish, state) = watch::channel(ClientState::default());
        let task = tokio::spawn(run(rtc, socket, local, pending, input, receiver, publish));
        Ok(ClientPeer {
            signal_request,
            commands,
            state,
            task,
        })
    }

    /// The offer, as the Web SDK's JSON signal request.
    pub fn signal_request(&self) -> &str {
        &self.signal_request
    }

    /// Takes the service's signal response (`{"type":"answer","sdp":…}`); the peer then connects.
    pub fn accept(&self, signal_response: &str) -> Result<(), ClientError> {
        let value: serde_json::Value = serde_json::from_str(signal_response)
            .map_err(|e| ClientError::Answer(e.to_string()))?;
        let sdp = value
            .get("sdp")
            .and_then(|s| s.as_str())
            .filter(|_| value.get("type").and_then(|t| t.as_str()) == Some("answer"))
            .ok_or_else(|| ClientError::Answer("no \"type\":\"answer\" with an \"sdp\"".into()))?;
        let answer =
            SdpAnswer::from_sdp_string(sdp).map_err(|e| ClientError::Answer(e.to_string()))?;
        self.commands
            .send(Command::Answer(answer))
            .map_err(|_| ClientError::Stopped)
    }

    /// Sends `message` on `inputChannel` (dropped unless it is open).
    pub fn send_input(&self, message: &[u8]) -> Result<(), ClientError> {
        self.commands
            .send(Command::Input(message.to_vec()))
            .map_err(|_| ClientError::Stopped)
    }

    /// Closes the connection as a browser's `RTCPeerConnection.close()` does: the channels close
    /// and DTLS says goodbye.
    pub fn close(&self) -> Result<(), ClientError> {
        self.commands
            .send(Command::Close)
            .map_err(|_| ClientError::Stopped)
    }

    /// What the peer has seen so far.
    pub fn state(&self) -> ClientState {
        self.state.borrow().clone()
    }

    /// Waits until `condition` holds of the peer's state, and answers that state; `None` when
    /// the peer stopped without it ever holding (its last state is still [`state`](Self::state)).
    pub async fn wait_for(
        &mut self,
        mut condition: impl FnMut(&ClientState) -> bool,
    ) -> Option<ClientState> {
        if let Ok(state) = self.state.wait_for(&mut condition).await {
            return Some(state.clone());
        }
        // The peer has stopped: its last state may be what was waited for.
        let last = self.state.borrow().clone();
        condition(&last).then_some(last)
    }
}

impl Drop for ClientPeer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn run(
    mut rtc: Rtc,
    socket: UdpSocket,
    local: SocketAddr,
    pending: SdpPendingOffer,
    input: ChannelId,
    mut commands: mpsc::UnboundedReceiver<Command>,
    publish: watch::Sender<ClientState>,
) {
    let mut pending = Some(pending);
    let mut buf = vec![0u8; 2048];
    let mut wake = Instant::now();
    let mut state = ClientState::default();
    loop {
        let now = Instant::now();
        // Everything the peer has to say, then the time it next wants.
        while rtc.is_alive() {
            match rtc.poll_output() {
                Ok(Output::Timeout(at)) => {
                    wake = at;
                    break;
                }
                Ok(Output::Transmit(t)) => {
                    let _ = socket.try_send_to(&t.contents, t.destination);
                }
                Ok(Output::Event(event)) => match event {
                    Event::Connected => state.connected = true,
                    Event::ChannelOpen(..) => state.channels_opened += 1,
                    Event::ChannelClose(_) => state.channels_closed += 1,
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                        state.disconnected = true
                    }
                    _ => {}
                },
                Err(e) => {
                    state.error = Some(e.to_string());
                    break;
                }
            }
        }
        if !rtc.is_alive() {
            state.disconnected = true;
        }
        publish.send_if_modified(|published| {
            let changed = *published != state;
            *published = state.clone();
            changed
        });
        if !rtc.is_alive() || state.error.is_some() {
            return;
        }
        let input_result = tokio::select! {
            command = commands.recv() => match command {
                Some(Command::Answer(answer)) => match pending.take() {
                    Some(pending) => rtc.sdp_api().accept_answer(pending, answer).map_err(|e| e.to_string()),
                    None => Err("an answer was already taken".into()),
                },
                Some(Command::Input(message)) => {
                    if let Some(mut channel) = rtc.channel(input) {
                        let _ = channel.write(true, &message);
                    }
                    Ok(())
                }
                Some(Command::Close) => rtc.close().map_err(|e| e.to_string()),
                None => return,
            },
            received = socket.recv_from(&mut buf) => match received {
                Ok((n, from)) => match Receive::new(Protocol::Udp, from, local, &buf[..n]) {
                    Ok(receive) => rtc.handle_input(Input::Receive(Instant::now(), receive)).map_err(|e| e.to_string()),
                    Err(_) => Ok(()),
                },
                Err(_) => Ok(()),
            },
            _ = tokio::time::sleep_until(wake.max(now).into()) => {
                rtc.handle_input(Input::Timeout(Instant::now())).map_err(|e| e.to_string())
            }
        };
        if let Err(e) = input_result {
            state.error = Some(e);
        }
    }
}
