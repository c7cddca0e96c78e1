//! The transition table: what every input does in every status, and what every timer does when
//! it fires. [`Session`](crate::Session) runs exactly these functions; the documentation, the
//! Mermaid diagram and the tests read the same ones.

use std::fmt;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::status::{SessionStatus, StatusReason, StatusSet};

/// Something that happens to a stream session: an API call or an infrastructure observation.
///
/// Time passing is not an input: it is [`Session::handle_timeout`](crate::Session::handle_timeout).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Input {
    /// Infrastructure: capacity was found in `location` and the application launched.
    Placed {
        /// The location the session was placed in (`LocationName`, e.g. `us-east-1`).
        location: String,
    },
    /// Infrastructure: the session could not be activated; `reason` must be an `ERROR` reason.
    ActivationFailed(StatusReason),
    /// Infrastructure: a client connected.
    ClientConnected,
    /// Infrastructure: the client disconnected or lost its connection.
    ClientDisconnected,
    /// Infrastructure: the connected user sent input (restarts the idle timer).
    UserInput,
    /// API `CreateStreamSessionConnection`: the client asks to reconnect with a new offer.
    Reconnect {
        /// The WebRTC offer (sensitive: never shown by `Debug`).
        signal_request: String,
    },
    /// Infrastructure: the new connection information for a reconnection is ready.
    ReconnectSucceeded,
    /// Infrastructure: the reconnection failed; `reason` must be an `ERROR` reason.
    ReconnectFailed(StatusReason),
    /// Infrastructure: the application exited or crashed.
    ApplicationExited,
    /// API `TerminateStreamSession`.
    Terminate,
    /// Infrastructure: an internal error, or a failure at the end such as the log upload;
    /// `reason` must be an `ERROR` reason.
    Failed(StatusReason),
    /// Infrastructure: the session's resources have been released.
    TerminationCompleted,
}

impl Input {
    /// The fieldless kind of this input, the key of the transition table.
    pub fn kind(&self) -> InputKind {
        match self {
            Self::Placed { .. } => InputKind::Placed,
            Self::ActivationFailed(_) => InputKind::ActivationFailed,
            Self::ClientConnected => InputKind::ClientConnected,
            Self::ClientDisconnected => InputKind::ClientDisconnected,
            Self::UserInput => InputKind::UserInput,
            Self::Reconnect { .. } => InputKind::Reconnect,
            Self::ReconnectSucceeded => InputKind::ReconnectSucceeded,
            Self::ReconnectFailed(_) => InputKind::ReconnectFailed,
            Self::ApplicationExited => InputKind::ApplicationExited,
            Self::Terminate => InputKind::Terminate,
            Self::Failed(_) => InputKind::Failed,
            Self::TerminationCompleted => InputKind::TerminationCompleted,
        }
    }

    /// The reason carried by `ActivationFailed`, `ReconnectFailed` and `Failed`.
    pub fn carried_reason(&self) -> Option<StatusReason> {
        match self {
            Self::ActivationFailed(r) | Self::ReconnectFailed(r) | Self::Failed(r) => Some(*r),
            _ => None,
        }
    }
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Placed { location } => f
                .debug_struct("Placed")
                .field("location", location)
                .finish(),
            Self::Reconnect { signal_request } => f
                .debug_struct("Reconnect")
                .field(
                    "signal_request",
                    &format_args!("<{} bytes, sensitive>", signal_request.len()),
                )
                .finish(),
            other => match other.carried_reason() {
                Some(r) => f.debug_tuple(other.kind().name()).field(&r).finish(),
                None => f.write_str(other.kind().name()),
            },
        }
    }
}

/// The kind of an [`Input`], without its data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum InputKind {
    /// [`Input::Placed`].
    Placed,
    /// [`Input::ActivationFailed`].
    ActivationFailed,
    /// [`Input::ClientConnected`].
    ClientConnected,
    /// [`Input::ClientDisconnected`].
    ClientDisconnected,
    /// [`Input::UserInput`].
    UserInput,
    /// [`Input::Reconnect`].
    Reconnect,
    /// [`Input::ReconnectSucceeded`].
    ReconnectSucceeded,
    /// [`Input::ReconnectFailed`].
    ReconnectFailed,
    /// [`Input::ApplicationExited`].
    ApplicationExited,
    /// [`Input::Terminate`].
    Terminate,
    /// [`Input::Failed`].
    Failed,
    /// [`Input::TerminationCompleted`].
    TerminationCompleted,
}

impl InputKind {
    /// Whether inputs of this kind carry data that is validated before the table is read (a
    /// location, a signal request, a reason).
    pub const fn has_payload(self) -> bool {
        matches!(
            self,
            Self::Placed
                | Self::ActivationFailed
                | Self::Reconnect
                | Self::ReconnectFailed
                | Self::Failed
        )
    }

    /// Every input kind, in declaration order.
    pub const ALL: [InputKind; 12] = [
        Self::Placed,
        Self::ActivationFailed,
        Self::ClientConnected,
        Self::ClientDisconnected,
        Self::UserInput,
        Self::Reconnect,
        Self::ReconnectSucceeded,
        Self::ReconnectFailed,
        Self::ApplicationExited,
        Self::Terminate,
        Self::Failed,
        Self::TerminationCompleted,
    ];

    /// The variant name (`"Reconnect"`, …).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Placed => "Placed",
            Self::ActivationFailed => "ActivationFailed",
            Self::ClientConnected => "ClientConnected",
            Self::ClientDisconnected => "ClientDisconnected",
            Self::UserInput => "UserInput",
            Self::Reconnect => "Reconnect",
            Self::ReconnectSucceeded => "ReconnectSucceeded",
            Self::ReconnectFailed => "ReconnectFailed",
            Self::ApplicationExited => "ApplicationExited",
            Self::Terminate => "Terminate",
            Self::Failed => "Failed",
            Self::TerminationCompleted => "TerminationCompleted",
        }
    }

    /// The API operation behind this input, for inputs that come from the API.
    pub const fn operation(self) -> Option<&'static str> {
        match self {
            Self::Reconnect => Some("CreateStreamSessionConnection"),
            Self::Terminate => Some("TerminateStreamSession"),
            _ => None,
        }
    }

    /// The statuses in which this input is accepted (moves the session or is a no-op).
    pub fn allowed_in(self) -> StatusSet {
        SessionStatus::ALL
            .iter()
            .copied()
            .filter(|s| transition(*s, self).is_accepted())
            .collect()
    }
}

impl fmt::Display for InputKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.operation() {
            Some(op) => write!(f, "{} ({op})", self.name()),
            None => f.write_str(self.name()),
        }
    }
}

/// Where the reason of the status entered comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReasonRule {
    /// The status entered has no reason.
    None,
    /// A fixed reason.
    Fixed(StatusReason),
    /// The reason the input carries (`ActivationFailed`, `ReconnectFailed`, `Failed`).
    Carried,
    /// The reason the session already has (`TERMINATING` → `TERMINATED`).
    Kept,
    /// `connectionTimeout` if no client has ever connected, else `reconnectionTimeout`.
    /// **(decision)** for a connection window opened by a reconnection.
    ConnectionWindow,
}

/// What an accepted input does without changing the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// Nothing (an idempotent repeat such as `Terminate` while already ending).
    Nothing,
    /// Restart the idle timer (`UserInput` while `CONNECTED`).
    RestartIdleTimer,
}

/// One cell of the transition table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Accepted: the session enters this status, with a reason chosen by the rule.
    Enter(SessionStatus, ReasonRule),
    /// Accepted: the status stays as it is.
    Stay(Effect),
    /// Refused with a Conflict error.
    Conflict,
    /// Refused with a Validation error (`Terminate` while `ACTIVATING`).
    Invalid,
}

impl Outcome {
    /// Whether the input is accepted.
    pub const fn is_accepted(self) -> bool {
        matches!(self, Self::Enter(..) | Self::Stay(_))
    }
}

/// [`transition`] evaluated for every pair at compile time, indexed by input kind then status:
/// the session looks its inputs up here, one load instead of a chain of comparisons.
const TABLE: [[Outcome; SessionStatus::ALL.len()]; InputKind::ALL.len()] = {
    let mut table = [[Outcome::Conflict; SessionStatus::ALL.len()]; InputKind::ALL.len()];
    let mut i = 0;
    while i < InputKind::ALL.len() {
        let mut s = 0;
        while s < SessionStatus::ALL.len() {
            let (input, status) = (InputKind::ALL[i], SessionStatus::ALL[s]);
            table[input as usize][status as usize] = transition(status, input);
            s += 1;
        }
        i += 1;
    }
    table
};

/// What a session may do for an input without looking at its data: [`Quick::Full`] unless
/// the input carries no payload and its cell keeps the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Quick {
    /// Validate the payload, then apply the cell.
    Full,
    /// Accepted; nothing changes.
    Nothing,
    /// Accepted; the idle timer restarts.
    RestartIdleTimer,
}

/// [`Quick`] for every pair, from [`TABLE`] and [`InputKind::has_payload`].
const QUICK: [[Quick; SessionStatus::ALL.len()]; InputKind::ALL.len()] = {
    let mut quick = [[Quick::Full; SessionStatus::ALL.len()]; InputKind::ALL.len()];
    let mut i = 0;
    while i < InputKind::ALL.len() {
        let mut s = 0;
        while s < SessionStatus::ALL.len() {
            if !InputKind::ALL[i].has_payload() {
                quick[i][s] = match TABLE[i][s] {
                    Outcome::Stay(Effect::Nothing) => Quick::Nothing,
                    Outcome::Stay(Effect::RestartIdleTimer) => Quick::RestartIdleTimer,
                    _ => Quick::Full,
                };
            }
            s += 1;
        }
        i += 1;
    }
    quick
};

/// [`Quick`] by table lookup.
#[inline]
pub(crate) fn quick(status: SessionStatus, input: InputKind) -> Quick {
    QUICK[input as usize][status as usize]
}

/// [`transition`] by table lookup (the same function, evaluated ahead of time).
#[inline]
pub(crate) fn lookup(status: SessionStatus, input: InputKind) -> Outcome {
    TABLE[input as usize][status as usize]
}

/// The transition table: what `input` does to a session in `status`. Total over all pairs.
pub const fn transition(status: SessionStatus, input: InputKind) -> Outcome {
    use InputKind as I;
    use SessionStatus as S;
    match (input, status) {
        (I::Placed, S::Activating) => Outcome::Enter(S::Active, ReasonRule::None),
        (I::ActivationFailed, S::Activating) => Outcome::Enter(S::Error, ReasonRule::Carried),
        (I::ClientConnected, S::Active) => Outcome::Enter(S::Connected, ReasonRule::None),
        (I::ClientDisconnected, S::Connected) => {
            Outcome::Enter(S::PendingClientReconnection, ReasonRule::None)
        }
        (I::UserInput, S::Connected) => Outcome::Stay(Effect::RestartIdleTimer),
        (I::Reconnect, S::Active | S::PendingClientReconnection) => {
            Outcome::Enter(S::Reconnecting, ReasonRule::None)
        }
        (I::ReconnectSucceeded, S::Reconnecting) => Outcome::Enter(S::Active, ReasonRule::None),
        (I::ReconnectFailed, S::Reconnecting) => Outcome::Enter(S::Error, ReasonRule::Carried),
        (
            I::ApplicationExited,
            S::Active | S::Connected | S::PendingClientReconnection | S::Reconnecting,
        ) => Outcome::Enter(
            S::Terminating,
            ReasonRule::Fixed(StatusReason::ApplicationExit),
        ),
        (
            I::Terminate,
            S::Active | S::Connected | S::PendingClientReconnection | S::Reconnecting,
        ) => Outcome::Enter(
            S::Terminating,
            ReasonRule::Fixed(StatusReason::ApiTerminated),
        ),
        (I::Terminate, S::Terminating | S::Terminated | S::Error) => Outcome::Stay(Effect::Nothing),
        (I::Terminate, S::Activating) => Outcome::Invalid,
        (
            I::Failed,
            S::Activating
            | S::Active
            | S::Connected
            | S::PendingClientReconnection
            | S::Reconnecting
            | S::Terminating,
        ) => Outcome::Enter(S::Error, ReasonRule::Carried),
        (I::TerminationCompleted, S::Terminating) => {
            Outcome::Enter(S::Terminated, ReasonRule::Kept)
        }
        _ => Outcome::Conflict,
    }
}

/// The timers of a session, in their fixed tie-break order: when two fire at the same instant,
/// the one declared first fires first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Timer {
    /// Armed in `ACTIVATING` from creation: capacity must be found in time.
    Placement,
    /// Armed in `ACTIVE` from every entry: a client must connect in time.
    Connection,
    /// Armed in `PENDING_CLIENT_RECONNECTION` from entry, and in `RECONNECTING` with the
    /// deadline inherited from the status it came from.
    Reconnection,
    /// Armed in `CONNECTED` from entry and from every `UserInput`.
    Idle,
    /// Armed while the application runs, from the application start (or creation).
    MaxSessionLength,
    /// Armed in `TERMINATING` from entry: the resources are released in time.
    Termination,
}

impl Timer {
    /// Every timer, in tie-break order.
    pub const ALL: [Timer; 6] = [
        Self::Placement,
        Self::Connection,
        Self::Reconnection,
        Self::Idle,
        Self::MaxSessionLength,
        Self::Termination,
    ];

    /// The statuses in which this timer is armed.
    pub const fn armed_in(self) -> StatusSet {
        use SessionStatus as S;
        let set = StatusSet::EMPTY;
        match self {
            Self::Placement => set.with(S::Activating),
            Self::Connection => set.with(S::Active),
            Self::Reconnection => set.with(S::PendingClientReconnection).with(S::Reconnecting),
            Self::Idle => set.with(S::Connected),
            Self::MaxSessionLength => set
                .with(S::Active)
                .with(S::Connected)
                .with(S::PendingClientReconnection)
                .with(S::Reconnecting),
            Self::Termination => set.with(S::Terminating),
        }
    }

    /// What happens when this timer fires: the status entered and where its reason comes from.
    pub const fn outcome(self) -> (SessionStatus, ReasonRule) {
        use SessionStatus as S;
        match self {
            Self::Placement => (S::Error, ReasonRule::Fixed(StatusReason::PlacementTimeout)),
            Self::Connection => (S::Terminating, ReasonRule::ConnectionWindow),
            Self::Reconnection => (
                S::Terminating,
                ReasonRule::Fixed(StatusReason::ReconnectionTimeout),
            ),
            Self::Idle => (S::Terminating, ReasonRule::Fixed(StatusReason::IdleTimeout)),
            Self::MaxSessionLength => (
                S::Terminating,
                ReasonRule::Fixed(StatusReason::MaxSessionLengthTimeout),
            ),
            Self::Termination => (S::Terminated, ReasonRule::Kept),
        }
    }

    /// The timer that belongs to `status` itself (at most one per status); the other armed
    /// timer, [`Timer::MaxSessionLength`], spans the running statuses.
    pub const fn of_status(status: SessionStatus) -> Option<Timer> {
        use SessionStatus as S;
        match status {
            S::Activating => Some(Self::Placement),
            S::Active => Some(Self::Connection),
            S::Connected => Some(Self::Idle),
            S::PendingClientReconnection | S::Reconnecting => Some(Self::Reconnection),
            S::Terminating => Some(Self::Termination),
            S::Terminated | S::Error => None,
        }
    }
}

impl fmt::Display for Timer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// The state diagram of the stream session lifecycle in Mermaid syntax, generated from
/// [`transition`] and [`Timer::outcome`]. The README embeds this output.
///
/// Edges between the same two statuses share one label; timers are written `⏱ Timer`. No-op
/// inputs (`Terminate` while already ending) are left out.
pub fn mermaid_state_diagram() -> String {
    let mut edges: Vec<(SessionStatus, SessionStatus, Vec<String>)> = Vec::new();
    let mut add = |from: SessionStatus, to: SessionStatus, label: String| match edges
        .iter_mut()
        .find(|(f, t, _)| *f == from && *t == to)
    {
        Some((_, _, labels)) => labels.push(label),
        None => edges.push((from, to, vec![label])),
    };
    for &from in SessionStatus::ALL {
        for input in InputKind::ALL {
            match transition(from, input) {
                Outcome::Enter(to, _) => add(from, to, input.name().to_owned()),
                Outcome::Stay(Effect::RestartIdleTimer) => add(from, from, input.name().to_owned()),
                Outcome::Stay(Effect::Nothing) | Outcome::Conflict | Outcome::Invalid => {}
            }
        }
        for timer in Timer::ALL {
            if timer.armed_in().contains(from) {
                add(from, timer.outcome().0, format!("⏱ {timer}"));
            }
        }
    }
    let mut out = String::from("stateDiagram-v2\n");
    let _ = writeln!(out, "    [*] --> {}: start", SessionStatus::Activating);
    for (from, to, labels) in edges {
        let _ = writeln!(out, "    {from} --> {to}: {}", labels.join(", "));
    }
    for status in SessionStatus::ALL.iter().filter(|s| s.is_terminal()) {
        let _ = writeln!(out, "    {status} --> [*]");
    }
    out
}
