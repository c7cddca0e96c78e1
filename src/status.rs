//! Stream session statuses and status reasons, with the model's exact wire names
//! (`StreamSessionStatus`, `StreamSessionStatusReason`).

use core::fmt;

use crate::wire_enum::wire_enum;

wire_enum! {
    /// The status of a stream session, as `GetStreamSession` reports it.
    ///
    /// `TERMINATED` and `ERROR` are terminal and absorbing: no input or timer leaves them.
    pub enum SessionStatus ("StreamSessionStatus") {
        /// Starting: waiting for placement on capacity and the application launch.
        Activating = "ACTIVATING",
        /// Ready and waiting for a client to connect within `ConnectionTimeoutSeconds`.
        Active = "ACTIVE",
        /// A client is connected and streaming.
        Connected = "CONNECTED",
        /// The client disconnected; waiting for `CreateStreamSessionConnection`.
        PendingClientReconnection = "PENDING_CLIENT_RECONNECTION",
        /// A reconnection was requested; waiting for the new connection information.
        Reconnecting = "RECONNECTING",
        /// Ending; becomes `TERMINATED` once the infrastructure has released the session.
        Terminating = "TERMINATING",
        /// Ended (terminal).
        Terminated = "TERMINATED",
        /// Failed (terminal).
        Error = "ERROR",
    }
}

impl SessionStatus {
    /// `TERMINATED` or `ERROR`: nothing leaves these statuses.
    pub const fn is_terminal(self) -> bool {
        matches!(self, Self::Terminated | Self::Error)
    }

    /// `ACTIVE`, `CONNECTED`, `PENDING_CLIENT_RECONNECTION` or `RECONNECTING`: the application is
    /// running, and the maximum session length is counting.
    pub const fn is_running(self) -> bool {
        matches!(
            self,
            Self::Active | Self::Connected | Self::PendingClientReconnection | Self::Reconnecting
        )
    }

    /// `TERMINATING`, `TERMINATED` or `ERROR`: the session is over or ending, and carries a
    /// [`StatusReason`].
    pub const fn is_ending(self) -> bool {
        matches!(self, Self::Terminating | Self::Terminated | Self::Error)
    }

    /// The position of this status in [`SessionStatus::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

wire_enum! {
    /// Why a stream session is in `ERROR`, `TERMINATING` or `TERMINATED`.
    pub enum StatusReason ("StreamSessionStatusReason") {
        /// `ERROR`: an internal service error occurred.
        InternalError = "internalError",
        /// `ERROR`: the WebRTC signal request was not valid.
        InvalidSignalRequest = "invalidSignalRequest",
        /// `ERROR`: no capacity was found within the placement timeout.
        PlacementTimeout = "placementTimeout",
        /// `ERROR`: the application log could not be written to its S3 bucket.
        ApplicationLogS3DestinationError = "applicationLogS3DestinationError",
        /// `ERROR`: the session's IAM role could not be assumed.
        AssumeRoleFailed = "assumeRoleFailed",
        /// Termination: the application exited or crashed.
        ApplicationExit = "applicationExit",
        /// Termination: no client connected within `ConnectionTimeoutSeconds`.
        ConnectionTimeout = "connectionTimeout",
        /// Termination: the client did not reconnect within `ConnectionTimeoutSeconds`.
        ReconnectionTimeout = "reconnectionTimeout",
        /// Termination: the session exceeded `SessionLengthSeconds`.
        MaxSessionLengthTimeout = "maxSessionLengthTimeout",
        /// Termination: no user input for the idle timeout (60 minutes by default).
        IdleTimeout = "idleTimeout",
        /// Termination: `TerminateStreamSession` was called.
        ApiTerminated = "apiTerminated",
    }
}

impl StatusReason {
    /// One of the five reasons the model lists for `ERROR`.
    pub const fn is_error_reason(self) -> bool {
        matches!(
            self,
            Self::InternalError
                | Self::InvalidSignalRequest
                | Self::PlacementTimeout
                | Self::ApplicationLogS3DestinationError
                | Self::AssumeRoleFailed
        )
    }

    /// One of the six reasons a session is `TERMINATING`/`TERMINATED` with.
    pub const fn is_termination_reason(self) -> bool {
        !self.is_error_reason()
    }
}

/// A set of [`SessionStatus`] values, as used in Conflict errors ("allowed in …").
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StatusSet(u8);

impl StatusSet {
    /// The empty set.
    pub const EMPTY: Self = Self(0);

    /// `self` with `status` added.
    pub const fn with(self, status: SessionStatus) -> Self {
        Self(self.0 | 1 << status.index())
    }

    /// Whether `status` is in the set.
    pub const fn contains(self, status: SessionStatus) -> bool {
        self.0 & (1 << status.index()) != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The statuses in the set, in [`SessionStatus::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = SessionStatus> {
        SessionStatus::ALL
            .iter()
            .copied()
            .filter(move |s| self.contains(*s))
    }
}

impl FromIterator<SessionStatus> for StatusSet {
    fn from_iter<I: IntoIterator<Item = SessionStatus>>(iter: I) -> Self {
        iter.into_iter().fold(Self::EMPTY, Self::with)
    }
}

impl fmt::Display for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no status");
        }
        for (i, status) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(status.as_str())?;
        }
        Ok(())
    }
}

impl fmt::Debug for StatusSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}
