//! The run loop: one UDP socket, every peer, and the observations they make.
//!
//! Packets are routed to peers by ICE credentials (the STUN `USERNAME` names our ufrag), and
//! after that by the source address the checks came from. Each peer's own timers sit in one
//! heap. Whatever changes a peer's standing (up, gone, input) marks it for the next sync, which
//! takes the engine's lock once for every marked peer; a sweep every [`SWEEP`] also reads back
//! the sessions of every peer, to close those whose session has ended.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gameliftstreams_lifecycle::{Observation, SessionStatus};
use str0m::channel::ChannelId;
use str0m::ice::StunMessage;
use str0m::net::{Protocol, Receive};
use str0m::{Event, IceConnectionState, Input, Output, Rtc};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};

use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::{Counters, NewPeer, SessionKey, ToDriver};
use crate::state::MockState;

/// How often every peer's session is read back and silence is checked.
const SWEEP: Duration = Duration::from_millis(200);
/// Input messages closer together than this are one USER_INPUT: the idle timer counts in
/// seconds, and a mouse move must not take the engine's lock per message.
pub(crate) const INPUT_COALESCE: Duration = Duration::from_millis(100);
/// The data channel whose opening makes a client connected, and whose messages are input.
pub(crate) const INPUT_CHANNEL: &str = "inputChannel";
/// How long a closing peer may take to send its goodbyes (DTLS close_notify, SCTP shutdown).
const CLOSE_DRAIN: Duration = Duration::from_secs(2);
/// The largest datagram read.
const MAX_DATAGRAM: usize = 2048;

/// Where a peer stands, as the session sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Standing {
    /// ICE, DTLS or the input channel not there yet.
    Connecting,
    /// DTLS up and the input channel open.
    Up,
    /// Was up, or tried to be, and is gone: closed, silent or failed.
    Gone,
    /// Being closed by us; removed once drained.
    Closing(Instant),
}

struct Peer {
    session: SessionKey,
    connection: u32,
    ufrag: String,
    rtc: Rtc,
    /// When the peer next wants `Input::Timeout`.
    wake: Instant,
    /// The last packet from the client.
    last_heard: Instant,
    created: Instant,
    dtls: bool,
    input_channel: Option<ChannelId>,
    standing: Standing,
    /// The driver told the engine CLIENT_CONNECTED for this peer (or found it CONNECTED).
    connected: bool,
    /// Input arrived that the engine has not been told of.
    input_pending: bool,
    last_input_applied: Option<Instant>,
    /// Addresses routed to this peer.
    remotes: Vec<SocketAddr>,
}

/// The driver's state; [`run`](Driver::run) is its loop.
pub(crate) struct Driver {
    local: SocketAddr,
    disconnect_after: Duration,
    state: MockState,
    counters: Arc<Counters>,
    peers: HashMap<u64, Peer>,
    next_id: u64,
    by_ufrag: HashMap<String, u64>,
    by_addr: HashMap<SocketAddr, u64>,
    by_session: HashMap<SessionKey, u64>,
    wakes: BinaryHeap<Reverse<(Instant, u64)>>,
    /// Peers whose standing changed since the last sync.
    marked: Vec<u64>,
    outbox: Vec<(SocketAddr, Vec<u8>)>,
}

impl Driver {
    pub(crate) fn new(
        local: SocketAddr,
        disconnect_after: Duration,
        state: MockState,
        counters: Arc<Counters>,
    ) -> Self {
        Self {
            local,
            disconnect_after,
            state,
            counters,
            peers: HashMap::new(),
            next_id: 0,
            by_ufrag: HashMap::new(),
            by_addr: HashMap::new(),
            by_session: HashMap::new(),
            wakes: BinaryHeap::new(),
            marked: Vec::new(),
            outbox: Vec::new(),
        }
    }

    pub(crate) async fn run(
        mut self,
        socket: UdpSocket,
        mut new_peers: mpsc::UnboundedReceiver<ToDriver>,
        mut stop: oneshot::Receiver<()>,
    ) {
        let mut buf = vec![0u8; MAX_DATAGRAM];
        let mut next_sweep = Instant::now() + SWEEP;
        loop {
            let wake = self.next_wake().map_or(next_sweep, |w| w.min(next_sweep));
            tokio::select! {
                biased;
                _ = &mut stop => break,
                command = new_peers.recv() => match command {
                    Some(ToDriver::Peer(peer)) => self.add(*peer),
                    Some(ToDriver::CloseAll) => self.close_all(Instant::now()),
                    None => break,
                },
                received = socket.recv_from(&mut buf) => match received {
                    Ok((n, from)) => self.receive(Instant::now(), from, &buf[..n]),
                    // ICMP errors for earlier sends surface here on some systems: not ours to
                    // act on, since silence is what counts.
                    Err(e) => tracing::trace!("UDP receive: {e}"),
                },
                _ = tokio::time::sleep_until(wake.into()) => {}
            }
            let now = Instant::now();
            self.fire(now);
            if now >= next_sweep {
                self.sweep(now);
                next_sweep = now + SWEEP;
            }
            if !self.marked.is_empty() {
                self.sync(now, false);
            }
            self.flush(&socket);
        }
        // Say goodbye to every client, as far as one send goes.
        self.close_all(Instant::now());
        self.flush(&socket);
    }

    fn close_all(&mut self, now: Instant) {
        let ids: Vec<u64> = self.peers.keys().copied().collect();
        for id in ids {
            self.close(id, now);
        }
    }

    fn next_wake(&self) -> Option<Instant> {
        self.wakes.peek().map(|Reverse((at, _))| *at)
    }

    fn add(&mut self, new: NewPeer) {
        let now = Instant::now();
        // A new connection replaces the session's peer: the old one goes without a word to
        // the engine (the session has moved on to the new offer).
        if let Some(old) = self.by_session.get(&new.session).copied() {
            self.close(old, now);
        }
        let id = self.next_id;
        self.next_id += 1;
        tracing::debug!(session = %new.session, connection = new.connection, "WebRTC peer added");
        self.by_ufrag.insert(new.ufrag.clone(), id);
        self.by_session.insert(new.session.clone(), id);
        self.counters.peers.fetch_add(1, Ordering::Relaxed);
        self.peers.insert(
            id,
            Peer {
                session: new.session,
                connection: new.connection,
                ufrag: new.ufrag,
                rtc: new.rtc,
                wake: now,
                last_heard: now,
                created: now,
                dtls: false,
                input_channel: None,
                standing: Standing::Connecting,
                connected: false,
                input_pending: false,
                last_input_applied: None,
                remotes: Vec::new(),
            },
        );
        self.drive(id, now, None);
    }

    /// Routes a datagram to its peer; datagrams of no peer are dropped.
    fn receive(&mut self, now: Instant, from: SocketAddr, datagram: &[u8]) {
        let id = match self.by_addr.get(&from) {
            Some(id) => *id,
            None => {
                // Only a STUN request naming one of our ufrags opens a route.
                let Some(id) = StunMessage::parse(datagram)
                    .ok()
                    .and_then(|m| m.split_username().map(|(ours, _)| ours.to_owned()))
                    .and_then(|ours| self.by_ufrag.get(&ours).copied())
                else {
                    tracing::trace!(%from, len = datagram.len(), "datagram of no peer dropped");
                    self.counters
                        .datagrams_dropped
                        .fetch_add(1, Ordering::Relaxed);
                    return;
                };
                if let Some(peer) = self.peers.get_mut(&id) {
                    peer.remotes.push(from);
                }
                self.by_addr.insert(from, id);
                id
            }
        };
        let Ok(receive) = Receive::new(Protocol::Udp, from, self.local, datagram) else {
            tracing::trace!(%from, "unparseable datagram dropped");
            self.counters
                .datagrams_dropped
                .fetch_add(1, Ordering::Relaxed);
            return;
        };
        if let Some(peer) = self.peers.get_mut(&id) {
            peer.last_heard = now;
        }
        self.drive(id, now, Some(Input::Receive(now, receive)));
    }

    /// Gives every peer whose timer is due its timeout.
    fn fire(&mut self, now: Instant) {
        while let Some(Reverse((at, id))) = self.wakes.peek().copied() {
            if at > now {
                break;
            }
            self.wakes.pop();
            // A stale entry: the peer is gone or wants another time.
            if self.peers.get(&id).is_some_and(|p| p.wake == at) {
                self.drive(id, now, None);
            }
        }
    }

    /// Feeds `input` (or a timeout) to peer `id` and handles all it outputs.
    fn drive(&mut self, id: u64, now: Instant, input: Option<Input<'_>>) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        let input = input.unwrap_or(Input::Timeout(now));
        let mut marked = false;
        if let Err(e) = peer.rtc.handle_input(input) {
            marked |= peer.fail(&e);
        }
        loop {
            if !peer.rtc.is_alive() {
                break;
            }
            let output = match peer.rtc.poll_output() {
                Ok(output) => output,
                Err(e) => {
                    marked |= peer.fail(&e);
                    break;
                }
            };
            match output {
                Output::Timeout(at) => {
                    let at = at.max(now);
                    peer.wake = at;
                    self.wakes.push(Reverse((at, id)));
                    break;
                }
                Output::Transmit(t) => self.outbox.push((t.destination, t.contents.into())),
                Output::Event(event) => marked |= peer.handle(event),
            }
        }
        if marked {
            self.marked.push(id);
        }
        if !peer.rtc.is_alive() {
            match peer.standing {
                Standing::Closing(_) => self.remove(id),
                _ => {
                    peer.standing = Standing::Gone;
                    self.marked.push(id);
                }
            }
        }
    }

    /// Checks silence, drops closing peers that took too long, and marks every peer for a
    /// sync that reads its session back.
    fn sweep(&mut self, now: Instant) {
        let mut expired = Vec::new();
        for (id, peer) in &mut self.peers {
            match peer.standing {
                Standing::Up if now.duration_since(peer.last_heard) > self.disconnect_after => {
                    tracing::debug!(session = %peer.session, "WebRTC client silent: gone");
                    peer.standing = Standing::Gone;
                }
                Standing::Closing(since) if now.duration_since(since) > CLOSE_DRAIN => {
                    expired.push(*id);
                }
                _ => {}
            }
        }
        for id in expired {
            self.remove(id);
        }
        self.sync(now, true);
    }

    /// Tells the engine what the marked peers (or, on a sweep, all peers) observed, under one
    /// lock, and closes the peers whose sessions have ended.
    fn sync(&mut self, now: Instant, all: bool) {
        let ids: Vec<u64> = if all {
            self.marked.clear();
            self.peers.keys().copied().collect()
        } else {
            let mut ids = std::mem::take(&mut self.marked);
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        if ids.is_empty() {
            return;
        }
        let mut to_close = Vec::new();
        {
            let mut core = self.state.lock();
            core.tick();
            let counters = &self.counters;
            for id in ids {
                let Some(peer) = self.peers.get_mut(&id) else {
                    continue;
                };
                if matches!(peer.standing, Standing::Closing(_)) {
                    continue;
                }
                let key = &peer.session;
                let status = core
                    .engine
                    .stream_session_status(key.account, &key.group, &key.session)
                    .map(|(status, _)| status);
                let Ok(status) = status else {
                    // The session is gone from the engine (reset, restored, forgotten).
                    to_close.push(id);
                    continue;
                };
                if status.is_ending() {
                    to_close.push(id);
                    continue;
                }
                // Which observation a status takes is the engine's to say (its transition
                // table): a refused one changes nothing, and the driver acts on the answer.
                let mut observe = |observation: Observation| {
                    let applied = core.perform(crate::journal::Action::Observe {
                        account: key.account,
                        group: key.group.clone(),
                        session: key.session.clone(),
                        observation,
                    });
                    match applied {
                        Ok(_) => {
                            let counter = match observation {
                                Observation::ClientConnected => &counters.clients_connected,
                                Observation::ClientDisconnected => &counters.clients_disconnected,
                                _ => &counters.user_inputs,
                            };
                            counter.fetch_add(1, Ordering::Relaxed);
                            if observation != Observation::UserInput {
                                tracing::info!(session = %key, ?observation, "WebRTC client observed");
                            }
                            true
                        }
                        Err(e) => {
                            tracing::debug!(session = %key, ?observation, "refused: {}", e.message());
                            false
                        }
                    }
                };
                match peer.standing {
                    Standing::Up if !peer.connected => {
                        // Refused while the session is not ACTIVE yet (RECONNECTING): tried
                        // again at the next sync.
                        if observe(Observation::ClientConnected) {
                            peer.connected = true;
                            let micros = now.duration_since(peer.created).as_micros();
                            counters.record_connect(u64::try_from(micros).unwrap_or(u64::MAX));
                        } else if status == SessionStatus::Connected {
                            // Connected already (by the control API): this peer's going will
                            // disconnect it.
                            peer.connected = true;
                        }
                    }
                    Standing::Gone => {
                        if peer.connected {
                            observe(Observation::ClientDisconnected);
                        }
                        to_close.push(id);
                        continue;
                    }
                    _ => {}
                }
                if peer.input_pending
                    && peer
                        .last_input_applied
                        .is_none_or(|at| now.duration_since(at) >= INPUT_COALESCE)
                {
                    // Input the engine refuses (outside CONNECTED) restarts nothing.
                    peer.input_pending = false;
                    if observe(Observation::UserInput) {
                        peer.last_input_applied = Some(now);
                    }
                }
            }
        }
        for id in to_close {
            self.close(id, now);
        }
    }

    /// Starts closing peer `id`: its goodbyes go out, then it is removed.
    fn close(&mut self, id: u64, now: Instant) {
        let Some(peer) = self.peers.get_mut(&id) else {
            return;
        };
        if matches!(peer.standing, Standing::Closing(_)) {
            return;
        }
        tracing::debug!(session = %peer.session, connection = peer.connection, "WebRTC peer closed");
        peer.standing = Standing::Closing(now);
        // The session no longer routes to it, so a new peer can take its place.
        if self.by_session.get(&peer.session) == Some(&id) {
            self.by_session.remove(&peer.session);
        }
        if peer.rtc.close().is_err() {
            peer.rtc.disconnect();
        }
        self.drive(id, now, None);
    }

    fn remove(&mut self, id: u64) {
        let Some(peer) = self.peers.remove(&id) else {
            return;
        };
        self.counters.peers.fetch_sub(1, Ordering::Relaxed);
        if self.by_ufrag.get(&peer.ufrag) == Some(&id) {
            self.by_ufrag.remove(&peer.ufrag);
        }
        for remote in &peer.remotes {
            if self.by_addr.get(remote) == Some(&id) {
                self.by_addr.remove(remote);
            }
        }
        if self.by_session.get(&peer.session) == Some(&id) {
            self.by_session.remove(&peer.session);
        }
    }

    /// Sends what the peers produced. UDP is lossy anyway: a send that would block is dropped,
    /// so that the loop never waits on the socket.
    fn flush(&mut self, socket: &UdpSocket) {
        for (to, datagram) in self.outbox.drain(..) {
            if let Err(e) = socket.try_send_to(&datagram, to) {
                tracing::trace!(%to, "UDP send: {e}");
            }
        }
    }
}

impl Peer {
    /// A malformed packet or a failed handshake: the client is not coming through. `true` when
    /// that changes the peer's standing.
    fn fail(&mut self, error: &str0m::RtcError) -> bool {
        tracing::debug!(session = %self.session, "WebRTC peer error: {error}");
        if matches!(self.standing, Standing::Closing(_)) {
            return false;
        }
        self.standing = Standing::Gone;
        true
    }

    /// Takes in one event; `true` when the peer's standing changed or input arrived.
    fn handle(&mut self, event: Event) -> bool {
        match event {
            Event::Connected => {
                self.dtls = true;
                self.update()
            }
            Event::ChannelOpen(id, label) => {
                if label == INPUT_CHANNEL {
                    self.input_channel = Some(id);
                }
                self.update()
            }
            Event::ChannelClose(id) => {
                if self.input_channel == Some(id) {
                    self.input_channel = None;
                    if self.standing != Standing::Connecting || self.dtls {
                        self.standing = Standing::Gone;
                        return true;
                    }
                }
                false
            }
            Event::ChannelData(data) => {
                if Some(data.id) == self.input_channel {
                    self.input_pending = true;
                    return true;
                }
                false
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => {
                if self.standing == Standing::Up || self.dtls {
                    self.standing = Standing::Gone;
                    return true;
                }
                false
            }
            _ => false,
        }
    }

    /// Connecting → Up once DTLS is up and the input channel open.
    fn update(&mut self) -> bool {
        if self.standing == Standing::Connecting && self.dtls && self.input_channel.is_some() {
            self.standing = Standing::Up;
            return true;
        }
        false
    }
}
