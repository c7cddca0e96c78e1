//! The model's enums used by the stream session, stream group and application operations, with
//! their exact wire strings, in the model's order.

use crate::wire_enum::wire_enum;

/// The model's `StreamSessionStatus`: the crate's [`SessionStatus`](crate::SessionStatus).
pub type StreamSessionStatus = crate::SessionStatus;

/// The model's `StreamSessionStatusReason`: the crate's [`StatusReason`](crate::StatusReason).
pub type StreamSessionStatusReason = crate::StatusReason;

wire_enum! {
    /// The target stream quality of a stream group: the type of computing resources used to
    /// host its stream sessions (model `StreamClass`).
    pub enum StreamClass ("StreamClass") {
        /// NVIDIA T4, high: up to 2 concurrent stream sessions.
        Gen4nHigh = "gen4n_high",
        /// NVIDIA T4, ultra: 1 concurrent stream session.
        Gen4nUltra = "gen4n_ultra",
        /// NVIDIA T4, ultra, Windows Server 2022: 1 concurrent stream session.
        Gen4nWin2022 = "gen4n_win2022",
        /// NVIDIA A10G, high: up to 2 concurrent stream sessions.
        Gen5nHigh = "gen5n_high",
        /// NVIDIA A10G, ultra: 1 concurrent stream session.
        Gen5nUltra = "gen5n_ultra",
        /// NVIDIA A10G, ultra, Windows Server 2022: 1 concurrent stream session.
        Gen5nWin2022 = "gen5n_win2022",
        /// NVIDIA L4, small: up to 12 concurrent stream sessions.
        Gen6nSmall = "gen6n_small",
        /// NVIDIA L4, medium: up to 4 concurrent stream sessions.
        Gen6nMedium = "gen6n_medium",
        /// NVIDIA L4, high: up to 2 concurrent stream sessions.
        Gen6nHigh = "gen6n_high",
        /// NVIDIA L4, ultra: 1 concurrent stream session.
        Gen6nUltra = "gen6n_ultra",
        /// NVIDIA L4, ultra, Windows Server 2022: 1 concurrent stream session.
        Gen6nUltraWin2022 = "gen6n_ultra_win2022",
        /// NVIDIA L4, pro: 1 concurrent stream session.
        Gen6nPro = "gen6n_pro",
        /// NVIDIA L4, pro, Windows Server 2022: 1 concurrent stream session.
        Gen6nProWin2022 = "gen6n_pro_win2022",
        /// NVIDIA L4, small, Windows Server 2022: 1 concurrent stream session.
        Gen6nSmallWin2022 = "gen6n_small_win2022",
        /// NVIDIA L4, medium, Windows Server 2022: 1 concurrent stream session.
        Gen6nMediumWin2022 = "gen6n_medium_win2022",
        /// NVIDIA L40S, pro: 1 concurrent stream session.
        Gen6ePro = "gen6e_pro",
        /// NVIDIA L40S, pro, Windows Server 2022: 1 concurrent stream session.
        Gen6eProWin2022 = "gen6e_pro_win2022",
    }
}

wire_enum! {
    /// The data transport protocol of a stream session (model `Protocol`).
    pub enum Protocol ("Protocol") {
        /// WebRTC, the only protocol.
        WebRtc = "WebRTC",
    }
}

wire_enum! {
    /// The status of a stream group (model `StreamGroupStatus`).
    pub enum StreamGroupStatus ("StreamGroupStatus") {
        /// The stream group is deploying and isn't ready to host streams.
        Activating = "ACTIVATING",
        /// One or more locations are in the process of updating (activating or deleting).
        UpdatingLocations = "UPDATING_LOCATIONS",
        /// The stream group is ready to host streams.
        Active = "ACTIVE",
        /// One or more locations of the stream group are in an error state.
        ActiveWithErrors = "ACTIVE_WITH_ERRORS",
        /// An error occurred when the stream group deployed; see `StatusReason`.
        Error = "ERROR",
        /// The stream group is being deleted.
        Deleting = "DELETING",
        /// The stream group is expired and can no longer host streams.
        Expired = "EXPIRED",
    }
}

wire_enum! {
    /// Why a stream group is in `ERROR` (model `StreamGroupStatusReason`).
    pub enum StreamGroupStatusReason ("StreamGroupStatusReason") {
        /// The request can't process right now because of an issue with the server.
        InternalError = "internalError",
        /// Not enough capacity is currently available to fulfill the request.
        NoAvailableInstances = "noAvailableInstances",
    }
}

wire_enum! {
    /// The status of one location of a stream group (model `StreamGroupLocationStatus`).
    pub enum StreamGroupLocationStatus ("StreamGroupLocationStatus") {
        /// The location is being prepared: no streaming, scaling or removal yet.
        Activating = "ACTIVATING",
        /// The location is provisioned with initial capacity.
        Active = "ACTIVE",
        /// The location failed to set up.
        Error = "ERROR",
        /// The location is being removed and its capacity released.
        Removing = "REMOVING",
    }
}

wire_enum! {
    /// The status of an application (model `ApplicationStatus`).
    pub enum ApplicationStatus ("ApplicationStatus") {
        /// The request was received; the create workflow is starting.
        Initialized = "INITIALIZED",
        /// The create workflow is copying and caching the content.
        Processing = "PROCESSING",
        /// The application is ready to deploy in a stream group.
        Ready = "READY",
        /// The application is being deleted.
        Deleting = "DELETING",
        /// An error occurred when setting up the application; see `StatusReason`.
        Error = "ERROR",
    }
}

wire_enum! {
    /// Why an application is in `ERROR` (model `ApplicationStatusReason`).
    pub enum ApplicationStatusReason ("ApplicationStatusReason") {
        /// An internal service error occurred.
        InternalError = "internalError",
        /// Access denied (the model gives no further description).
        AccessDenied = "accessDenied",
        /// The source was modified (the model gives no further description).
        SourceModified = "sourceModified",
    }
}

wire_enum! {
    /// The operating system (and compatibility layer) of an application's runtime environment
    /// (model `RuntimeEnvironmentType`).
    pub enum RuntimeEnvironmentType ("RuntimeEnvironmentType") {
        /// Proton, a compatibility layer running Windows applications on Linux.
        Proton = "PROTON",
        /// Microsoft Windows Server.
        Windows = "WINDOWS",
        /// Ubuntu Linux.
        Ubuntu = "UBUNTU",
    }
}

wire_enum! {
    /// The status of an application's replication to a location (model `ReplicationStatusType`).
    pub enum ReplicationStatusType ("ReplicationStatusType") {
        /// The application is being replicated to the location.
        Replicating = "REPLICATING",
        /// The application is replicated; the location can stream it.
        Completed = "COMPLETED",
    }
}

wire_enum! {
    /// The status of a stream session's exported files (model `ExportFilesStatus`).
    pub enum ExportFilesStatus ("ExportFilesStatus") {
        /// The exported files are stored in the S3 bucket.
        Succeeded = "SUCCEEDED",
        /// The session ended but the files could not be collected and uploaded.
        Failed = "FAILED",
        /// The session is in progress, or the upload is in progress.
        Pending = "PENDING",
    }
}

impl StreamClass {
    /// The class's tenancy: how many stream sessions one compute resource hosts concurrently,
    /// as the model's `StreamClass` documentation states it ("Tenancy: Supports up to N
    /// concurrent stream sessions"). Capacity values must be whole multiples of it.
    pub const fn tenancy(self) -> u32 {
        match self {
            Self::Gen6nSmall => 12,
            Self::Gen6nMedium => 4,
            Self::Gen4nHigh | Self::Gen5nHigh | Self::Gen6nHigh => 2,
            Self::Gen4nUltra
            | Self::Gen4nWin2022
            | Self::Gen5nUltra
            | Self::Gen5nWin2022
            | Self::Gen6nUltra
            | Self::Gen6nUltraWin2022
            | Self::Gen6nPro
            | Self::Gen6nProWin2022
            | Self::Gen6nSmallWin2022
            | Self::Gen6nMediumWin2022
            | Self::Gen6ePro
            | Self::Gen6eProWin2022 => 1,
        }
    }
}

wire_enum! {
    /// The status of a stream URL (model `StreamUrlStatus`). `ACTIVE` is the only status a URL
    /// leaves; the other three are final.
    pub enum StreamUrlStatus ("StreamUrlStatus") {
        /// The URL can start stream sessions.
        Active = "ACTIVE",
        /// `ExpiresAt` has passed.
        Expired = "EXPIRED",
        /// The URL was revoked, or its stream group or application deleted (see its reason).
        Revoked = "REVOKED",
        /// Every use has been spent (`RemainingUses` is 0).
        LimitReached = "LIMIT_REACHED",
    }
}

wire_enum! {
    /// Why a stream URL is `REVOKED` (model `StreamUrlStatusReason`).
    pub enum StreamUrlStatusReason ("StreamUrlStatusReason") {
        /// `RevokeStreamUrl` with `REVOKE_URL`.
        UserRevoked = "userRevoked",
        /// `RevokeStreamUrl` with `REVOKE_AND_TERMINATE_SESSIONS`, while the URL's sessions end.
        RevokedAndTerminatingSessions = "revokedAndTerminatingSessions",
        /// `RevokeStreamUrl` with `REVOKE_AND_TERMINATE_SESSIONS`, once the sessions have ended.
        RevokedAndSessionsTerminated = "revokedAndSessionsTerminated",
        /// The URL's stream group was deleted.
        StreamGroupDeleted = "streamGroupDeleted",
        /// The URL's application was deleted.
        ApplicationDeleted = "applicationDeleted",
    }
}

wire_enum! {
    /// How `RevokeStreamUrl` treats the sessions the URL started (model `RevocationMode`).
    pub enum RevocationMode ("RevocationMode") {
        /// Revoke the URL; its sessions run on (the default).
        RevokeUrl = "REVOKE_URL",
        /// Revoke the URL and terminate every session it started.
        RevokeAndTerminateSessions = "REVOKE_AND_TERMINATE_SESSIONS",
    }
}

wire_enum! {
    /// The status of a shader cache (model `ShaderCacheStatus`).
    pub enum ShaderCacheStatus ("ShaderCacheStatus") {
        /// The request was received; the cache is being prepared.
        Initialized = "INITIALIZED",
        /// The cache is being replicated to its stream groups' locations.
        Processing = "PROCESSING",
        /// The cache is ready.
        Ready = "READY",
        /// The cache is being deleted.
        Deleting = "DELETING",
        /// The cache failed; create a new one.
        Error = "ERROR",
    }
}
