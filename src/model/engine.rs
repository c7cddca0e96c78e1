//! The reference model of the engine, for histories with ample capacity and every delay at its
//! default of 0 s but the export upload's ([`EXPORT_UPLOAD`]): resources by index, sessions as
//! [`SessionModel`]s, and "settles at the next request" as an explicit step before every call.
//!
//! Besides sessions it models stream URLs (status, reason, remaining uses, expiry, revocation
//! by `RevokeStreamUrl` and by the deletion of their group or application, the change of
//! reason once the sessions of a URL revoked with `REVOKE_AND_TERMINATE_SESSIONS` have ended,
//! retention), the sessions a URL starts, the admin shell's readiness, a session's file export
//! (its status, reason and `OutputUri`, [`ExportPhase`]) and seeded shader caches.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::SessionModel;
use crate::api::{ExportFilesStatus, ShaderCacheStatus, StreamUrlStatus, StreamUrlStatusReason};
use crate::config::{SessionConfig, SessionLength, SessionLengthOrigin};
use crate::error::ErrorKind;
use crate::script::{EXPORT_FAILURE, export_uri, shader_cache_id, url_minutes, url_uses};
use crate::status::{SessionStatus, StatusReason};
use crate::time::deadline_after;
use crate::transition::Input;

/// One call or event of an engine history, naming resources by their creation index.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum EngineStep {
    /// Time passes.
    Advance {
        /// Milliseconds.
        millis: u32,
    },
    /// `CreateApplication` as account `account` (0 or 1).
    CreateApplication {
        /// The account.
        account: u8,
    },
    /// `CreateStreamGroup` with application `app` as default, as its owner.
    CreateStreamGroup {
        /// The application (index).
        app: u8,
    },
    /// `DeleteStreamGroup`.
    DeleteStreamGroup {
        /// The group (index).
        group: u8,
    },
    /// `StartStreamSession` in `group` with `app`, as the group's owner.
    StartStreamSession {
        /// The group (index).
        group: u8,
        /// The application (index).
        app: u8,
        /// `ConnectionTimeoutSeconds`.
        connection_timeout: u16,
    },
    /// `GetStreamSession`.
    GetStreamSession {
        /// The session (index).
        session: u8,
    },
    /// `TerminateStreamSession`.
    TerminateStreamSession {
        /// The session (index).
        session: u8,
    },
    /// `CreateStreamSessionConnection` with a new offer, or the last one again.
    Reconnect {
        /// The session (index).
        session: u8,
        /// Reuse the last offer (refused).
        reuse: bool,
    },
    /// An infrastructure observation.
    Observe {
        /// The session (index).
        session: u8,
        /// The observation, as a core input kind: `ClientConnected`, `ClientDisconnected`,
        /// `UserInput`, `ApplicationExited` or `Failed(internalError)`.
        input: u8,
    },
    /// `TerminateStreamSession` by the other account.
    Trespass {
        /// The session (index).
        session: u8,
    },
    // The steps below came with the stream URL, admin shell, file export and shader cache
    // operations; they stay after the older ones (see `fuzz/README.md` on the corpus).
    /// `DeleteApplication`, as its owner.
    DeleteApplication {
        /// The application (index).
        app: u8,
    },
    /// `AssociateApplications` (or `DisassociateApplications`) of one application, as the
    /// group's owner.
    Associate {
        /// The group (index).
        group: u8,
        /// The application (index).
        app: u8,
        /// Disassociate instead.
        undo: bool,
    },
    /// `CreateStreamUrl` in the group's location, as the group's owner.
    CreateStreamUrl {
        /// The group (index).
        group: u8,
        /// The application (index).
        app: u8,
        /// `UrlExpiresAfterMinutes` ([`url_minutes`]).
        minutes: u8,
        /// `UsageLimit` ([`url_uses`]).
        uses: u8,
    },
    /// `GetStreamUrl`, as its owner.
    GetStreamUrl {
        /// The stream URL (index).
        url: u8,
    },
    /// `ListStreamUrls` of account `account % 2`, all pages.
    ListStreamUrls {
        /// The account.
        account: u8,
        /// Only this status (`% 4`).
        status: Option<u8>,
    },
    /// `RevokeStreamUrl`, as its owner.
    RevokeStreamUrl {
        /// The stream URL (index).
        url: u8,
        /// `REVOKE_AND_TERMINATE_SESSIONS` instead of `REVOKE_URL`.
        terminate: bool,
    },
    /// `Engine::open_stream_url` with a new offer.
    OpenStreamUrl {
        /// The stream URL (index).
        url: u8,
        /// Present a token that is not the URL's.
        bad_token: bool,
    },
    /// `CreateStreamSessionAdminShell`.
    AdminShell {
        /// The session (index).
        session: u8,
    },
    /// `ExportStreamSessionFiles` to [`export_uri`]`(prefix)`.
    ExportFiles {
        /// The session (index).
        session: u8,
        /// A prefix instead of a `.zip` key.
        prefix: bool,
    },
    /// `Engine::fail_export` with [`EXPORT_FAILURE`] (or an empty reason, refused).
    FailExport {
        /// The session (index).
        session: u8,
        /// An empty reason.
        empty_reason: bool,
    },
    /// `Engine::put_shader_cache`, as the application's owner.
    PutShaderCache {
        /// The application (index).
        app: u8,
        /// The cache ([`shader_cache_id`]).
        cache: u8,
        /// Its status (`% 5`).
        status: u8,
        /// A stream group it applies to (index).
        group: Option<u8>,
    },
    /// `Engine::remove_shader_cache`.
    RemoveShaderCache {
        /// The application (index).
        app: u8,
        /// The cache ([`shader_cache_id`]).
        cache: u8,
    },
    /// `ListApplicationShaderCaches`.
    ListShaderCaches {
        /// The application (index).
        app: u8,
    },
}

/// An application of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelApplication {
    /// Its account (0 or 1).
    pub account: u8,
    /// READY (it is `INITIALIZED` until the next request).
    pub ready: bool,
    /// `DELETING` (gone at the next request).
    pub deleting: bool,
    /// Deleted.
    pub gone: bool,
    /// Its shader caches, by identifier.
    pub caches: BTreeMap<String, ModelShaderCache>,
}

/// A seeded shader cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelShaderCache {
    /// Its status.
    pub status: ShaderCacheStatus,
    /// When it was last put.
    pub last_updated_at: DateTime<Utc>,
    /// Its size.
    pub storage_bytes: Option<i64>,
    /// The stream groups it applies to (indices).
    pub groups: Vec<usize>,
}

/// A stream group of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelGroup {
    /// Its account.
    pub account: u8,
    /// Its associated applications, in association order (its default first).
    pub apps: Vec<usize>,
    /// When it was created (associations are refused [`ASSOCIATION_CUTOFF`] later).
    pub created_at: DateTime<Utc>,
    /// ACTIVE (it is `ACTIVATING` until the next request).
    pub active: bool,
    /// `DELETING` since this time, gone at the next request.
    pub deleting: Option<DateTime<Utc>>,
    /// Deleted.
    pub gone: bool,
}

/// A stream session of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSession {
    /// Its account.
    pub account: u8,
    /// Its group (index).
    pub group: usize,
    /// Its lifecycle.
    pub model: SessionModel,
    /// An infrastructure step the engine will take at the next request: the input and its time.
    pub pending: Option<(DateTime<Utc>, Input)>,
    /// Status changes already compared (the model's `changes` before the last step).
    pub seen: usize,
    /// Its application (index).
    pub app: usize,
    /// The stream URL that started it (index).
    pub url: Option<usize>,
    /// Its file export, once requested.
    pub export: Option<ModelExport>,
}

/// A session's file export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelExport {
    /// The `OutputUri` asked for.
    pub uri: String,
    /// Why the upload fails, if it does (`Engine::fail_export`).
    pub failure: Option<String>,
}

/// Where a session's export stands: the two `PENDING`s apart, and the two causes of `FAILED`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportPhase {
    /// `PENDING` while the session has not ended.
    Running,
    /// `PENDING` for [`EXPORT_UPLOAD`] after the session was `TERMINATED`.
    Uploading,
    /// `SUCCEEDED`.
    Succeeded,
    /// `FAILED`: the session ended in `ERROR`.
    SessionFailed,
    /// `FAILED`: the upload failed.
    UploadFailed,
}

impl ExportPhase {
    /// The `ExportFilesMetadata.Status` of the phase.
    pub fn status(self) -> ExportFilesStatus {
        match self {
            Self::Running | Self::Uploading => ExportFilesStatus::Pending,
            Self::Succeeded => ExportFilesStatus::Succeeded,
            Self::SessionFailed | Self::UploadFailed => ExportFilesStatus::Failed,
        }
    }
}

/// Whether a stream URL may change from `before` (status and reason; `None`: not created yet)
/// to `to` with `reason` in one step: created `ACTIVE`; from `ACTIVE` to `EXPIRED` or
/// `LIMIT_REACHED`; from any of those three to `REVOKED` with a reason other than
/// `revokedAndSessionsTerminated`; within `REVOKED` from `userRevoked` to
/// `revokedAndTerminatingSessions` and from that to `revokedAndSessionsTerminated`.
pub fn url_change_allowed(
    before: Option<(StreamUrlStatus, Option<StreamUrlStatusReason>)>,
    to: StreamUrlStatus,
    reason: Option<StreamUrlStatusReason>,
) -> bool {
    use StreamUrlStatus as U;
    use StreamUrlStatusReason as R;
    match (before, to) {
        (None, U::Active) => reason.is_none(),
        (Some((U::Active, _)), U::Expired | U::LimitReached) => reason.is_none(),
        (Some((U::Active | U::Expired | U::LimitReached, _)), U::Revoked) => matches!(
            reason,
            Some(
                R::UserRevoked
                    | R::RevokedAndTerminatingSessions
                    | R::StreamGroupDeleted
                    | R::ApplicationDeleted
            )
        ),
        (Some((U::Revoked, previous)), U::Revoked) => matches!(
            (previous, reason),
            (Some(R::UserRevoked), Some(R::RevokedAndTerminatingSessions))
                | (
                    Some(R::RevokedAndTerminatingSessions),
                    Some(R::RevokedAndSessionsTerminated)
                )
        ),
        _ => false,
    }
}

/// One status (or reason) change of a stream URL: from (`None` at creation), to, the reason
/// after, and when.
pub type UrlChange = (
    Option<StreamUrlStatus>,
    StreamUrlStatus,
    Option<StreamUrlStatusReason>,
    DateTime<Utc>,
);

/// A stream URL of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelStreamUrl {
    /// Its account.
    pub account: u8,
    /// Its group (index).
    pub group: usize,
    /// Its application (index).
    pub app: usize,
    /// Its status.
    pub status: StreamUrlStatus,
    /// Its reason (`REVOKED` only).
    pub reason: Option<StreamUrlStatusReason>,
    /// `CreatedAt`.
    pub created_at: DateTime<Utc>,
    /// `ExpiresAt`.
    pub expires_at: DateTime<Utc>,
    /// `UsageLimit`.
    pub usage_limit: u32,
    /// `RemainingUses`.
    pub remaining: u32,
    /// When it left `ACTIVE` (it is forgotten [`RETENTION`] later).
    pub ended_at: Option<DateTime<Utc>>,
    /// When it was revoked with `REVOKE_AND_TERMINATE_SESSIONS`.
    pub terminating_at: Option<DateTime<Utc>>,
    /// The sessions it started (indices), in order.
    pub sessions: Vec<usize>,
    /// Every change, creation first.
    pub changes: Vec<UrlChange>,
}

impl ModelStreamUrl {
    /// When it is forgotten.
    pub fn forgotten_at(&self) -> Option<DateTime<Utc>> {
        self.ended_at.map(|at| deadline_after(at, RETENTION))
    }

    fn change(
        &mut self,
        to: StreamUrlStatus,
        reason: Option<StreamUrlStatusReason>,
        at: DateTime<Utc>,
    ) {
        self.changes.push((Some(self.status), to, reason, at));
        self.status = to;
        self.reason = reason;
        if to != StreamUrlStatus::Active && self.ended_at.is_none() {
            self.ended_at = Some(at);
        }
    }
}

/// The reference model of the engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineModel {
    /// The latest time.
    pub now: DateTime<Utc>,
    /// Applications, in creation order.
    pub apps: Vec<ModelApplication>,
    /// Stream groups, in creation order.
    pub groups: Vec<ModelGroup>,
    /// Stream sessions, in creation order.
    pub sessions: Vec<ModelSession>,
    /// Stream URLs, in creation order.
    pub urls: Vec<ModelStreamUrl>,
    /// How many offers were made (they are numbered).
    pub offers: u32,
    /// The answer to the last step.
    pub last: Result<(), ErrorKind>,
}

/// How long ended sessions and stream URLs stay visible (the engine's default).
pub const RETENTION: TimeDelta = TimeDelta::hours(24);

/// How long an export's upload takes after its session ends: the engine under comparison is
/// configured with it (`Delays::export_upload`), so that `PENDING` after the end is seen.
pub const EXPORT_UPLOAD: TimeDelta = TimeDelta::seconds(90);

/// How old a stream group may be and still take new associations (the engine's default).
pub const ASSOCIATION_CUTOFF: TimeDelta = TimeDelta::days(180);

/// The most `ACTIVE` stream URLs an account has, `UrlExpiresAfterMinutes` and `UsageLimit`
/// (the engine's default quotas).
pub const URL_QUOTAS: (usize, u32, u32) = (1000, 10_080, 1000);

/// The `SessionLengthSeconds` of a stream URL's sessions (the API's default).
pub const URL_SESSION_LENGTH: i64 = 43_200;

/// The observation `input % 5` of [`EngineStep::Observe`].
pub fn observation(input: u8) -> Input {
    match input % 5 {
        0 => Input::ClientConnected,
        1 => Input::ClientDisconnected,
        2 => Input::UserInput,
        3 => Input::ApplicationExited,
        _ => Input::Failed(StatusReason::InternalError),
    }
}

/// The offer numbered `n`.
pub fn offer(n: u32) -> String {
    format!("v=0 offer {n}")
}

impl EngineModel {
    /// An empty engine at `now`.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            now,
            apps: Vec::new(),
            groups: Vec::new(),
            sessions: Vec::new(),
            urls: Vec::new(),
            offers: 0,
            last: Ok(()),
        }
    }

    /// Whether a stream URL is still kept.
    pub fn url_visible(&self, u: &ModelStreamUrl) -> bool {
        u.forgotten_at().is_none_or(|at| at > self.now)
    }

    /// The export of session `s` at the model's time, if one was requested.
    pub fn export_phase(&self, s: &ModelSession) -> Option<ExportPhase> {
        let export = s.export.as_ref()?;
        let m = &s.model;
        Some(match m.status {
            SessionStatus::Error => ExportPhase::SessionFailed,
            SessionStatus::Terminated => {
                if self.now < deadline_after(m.last_updated_at, EXPORT_UPLOAD) {
                    ExportPhase::Uploading
                } else if export.failure.is_some() {
                    ExportPhase::UploadFailed
                } else {
                    ExportPhase::Succeeded
                }
            }
            _ => ExportPhase::Running,
        })
    }

    /// Whether a session is still visible.
    pub fn visible(&self, s: &ModelSession) -> bool {
        match s.model.changes.last() {
            Some((_, to, _, at)) if to.is_terminal() => *at + RETENTION > self.now,
            _ => true,
        }
    }

    /// Completes what the engine completes at the start of a request at `now`.
    pub fn settle(&mut self, now: DateTime<Utc>) {
        self.now = self.now.max(now);
        let now = self.now;
        for app in &mut self.apps {
            app.ready = true;
        }
        for group in &mut self.groups {
            group.active = true;
            if group.deleting.is_some_and(|d| d <= now) {
                group.gone = true;
            }
        }
        for app in &mut self.apps {
            if app.deleting {
                app.gone = true;
            }
        }
        for s in &mut self.sessions {
            if let Some((at, input)) = s.pending.take() {
                // A step the session can no longer take is dropped, as in the engine.
                let _ = s.model.input(at, &input);
            }
            s.model.tick(now);
        }
        for u in &mut self.urls {
            if u.status == StreamUrlStatus::Active && u.expires_at <= now {
                let at = u.expires_at;
                u.change(StreamUrlStatus::Expired, None, at);
            }
        }
        self.url_sessions_changed();
    }

    /// A URL revoked with `REVOKE_AND_TERMINATE_SESSIONS` whose sessions have all ended takes
    /// `revokedAndSessionsTerminated`, when the last one ended (or when it was revoked, if they
    /// had ended before), unless it was forgotten by then.
    fn url_sessions_changed(&mut self) {
        for u in &mut self.urls {
            if u.reason != Some(StreamUrlStatusReason::RevokedAndTerminatingSessions) {
                continue;
            }
            let mut at = u.terminating_at.unwrap_or(self.now);
            let mut all_ended = true;
            for &i in &u.sessions {
                let m = &self.sessions[i].model;
                if m.status.is_terminal() {
                    at = at.max(m.last_updated_at);
                } else {
                    all_ended = false;
                }
            }
            if all_ended && u.forgotten_at().is_none_or(|f| at <= f) {
                u.change(
                    StreamUrlStatus::Revoked,
                    Some(StreamUrlStatusReason::RevokedAndSessionsTerminated),
                    at,
                );
            }
        }
    }

    /// Revokes URL `u` with `reason` at the model's time, unless it is revoked already (but
    /// `REVOKE_AND_TERMINATE_SESSIONS` after `REVOKE_URL` takes its reason).
    fn revoke(&mut self, u: usize, reason: StreamUrlStatusReason) {
        let now = self.now;
        let url = &mut self.urls[u];
        let upgrade = url.reason == Some(StreamUrlStatusReason::UserRevoked)
            && reason == StreamUrlStatusReason::RevokedAndTerminatingSessions;
        if url.status == StreamUrlStatus::Revoked && !upgrade {
            return;
        }
        url.change(StreamUrlStatus::Revoked, Some(reason), now);
        if reason == StreamUrlStatusReason::RevokedAndTerminatingSessions {
            url.terminating_at = Some(now);
        }
    }

    /// Revokes the kept URLs `matches` picks (a deleted group's or application's).
    fn revoke_all(
        &mut self,
        reason: StreamUrlStatusReason,
        matches: impl Fn(&ModelStreamUrl) -> bool,
    ) {
        for u in 0..self.urls.len() {
            if self.url_visible(&self.urls[u]) && matches(&self.urls[u]) {
                self.revoke(u, reason);
            }
        }
    }

    /// Ends session `i` as a group's deletion or a URL's revocation does: an `ACTIVATING` one
    /// fails, a running one is terminated.
    fn end_session(&mut self, i: usize) {
        let now = self.now;
        let s = &mut self.sessions[i];
        let input = match s.model.status {
            SessionStatus::Activating => Input::ActivationFailed(StatusReason::InternalError),
            st if st.is_running() => Input::Terminate,
            _ => return,
        };
        let _ = s.model.input(now, &input);
    }

    /// Applies `step`, recording its answer in `last`.
    pub fn apply(&mut self, step: &EngineStep) {
        self.last = self.answer(step);
        self.url_sessions_changed();
    }

    fn answer(&mut self, step: &EngineStep) -> Result<(), ErrorKind> {
        let now = self.now;
        if let EngineStep::Advance { millis } = step {
            self.settle(now + TimeDelta::milliseconds(i64::from(*millis)));
            return Ok(());
        }
        self.settle(now);
        match step {
            EngineStep::Advance { .. } => Ok(()),
            EngineStep::CreateApplication { account } => {
                self.apps.push(ModelApplication {
                    account: account % 2,
                    ready: false,
                    deleting: false,
                    gone: false,
                    caches: BTreeMap::new(),
                });
                Ok(())
            }
            EngineStep::CreateStreamGroup { app } => {
                let app = usize::from(*app);
                if self.apps[app].gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                let account = self.apps[app].account;
                self.groups.push(ModelGroup {
                    account,
                    apps: vec![app],
                    created_at: now,
                    active: false,
                    deleting: None,
                    gone: false,
                });
                Ok(())
            }
            EngineStep::DeleteStreamGroup { group } => {
                let g = usize::from(*group);
                if self.groups[g].gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                if self.groups[g].deleting.is_none() {
                    self.groups[g].deleting = Some(now);
                    for i in 0..self.sessions.len() {
                        if self.sessions[i].group == g {
                            self.end_session(i);
                        }
                    }
                    // The sessions end first (a URL whose sessions were being terminated may
                    // be done), then the group's URLs are revoked.
                    self.url_sessions_changed();
                    self.revoke_all(StreamUrlStatusReason::StreamGroupDeleted, |u| u.group == g);
                }
                Ok(())
            }
            EngineStep::StartStreamSession {
                group,
                app,
                connection_timeout,
            } => {
                let (g, a) = (usize::from(*group), usize::from(*app));
                let group = &self.groups[g];
                // The application's ARN is read (and refused) before the group is looked up.
                if self.apps[a].account != group.account {
                    return Err(ErrorKind::AccessDenied);
                }
                self.startable(g, a)?;
                let config = SessionConfig {
                    // In 1..=3600 by construction.
                    connection_timeout: crate::ConnectionTimeout::new(
                        i64::from(connection_timeout % 3600) + 1,
                    )
                    .unwrap_or_default(),
                    session_length_origin: SessionLengthOrigin::ApplicationStart,
                    ..SessionConfig::default()
                };
                self.offers += 1;
                let model = SessionModel::start(config, &offer(self.offers), now)
                    .ok_or(ErrorKind::Validation)?;
                self.push_session(g, a, model, None);
                Ok(())
            }
            EngineStep::GetStreamSession { session } => {
                let s = &self.sessions[usize::from(*session)];
                if self.visible(s) {
                    Ok(())
                } else {
                    Err(ErrorKind::ResourceNotFound)
                }
            }
            EngineStep::TerminateStreamSession { session } => self
                .on_session(usize::from(*session), |s, now| {
                    s.model.input(now, &Input::Terminate)
                }),
            EngineStep::Reconnect { session, reuse } => {
                let i = usize::from(*session);
                if !self.visible(&self.sessions[i]) {
                    return Err(ErrorKind::ResourceNotFound);
                }
                let offer = if *reuse {
                    self.sessions[i]
                        .model
                        .offers
                        .last()
                        .cloned()
                        .unwrap_or_default()
                } else {
                    self.offers += 1;
                    offer(self.offers)
                };
                let input = Input::Reconnect {
                    signal_request: offer,
                };
                let s = &self.sessions[i];
                // A URL's session cannot reconnect; then the offer's validity, then the
                // group's status.
                if s.url.is_some() {
                    return Err(ErrorKind::Validation);
                }
                if let Err(ErrorKind::Validation) = s.model.clone().input(now, &input) {
                    return Err(ErrorKind::Validation);
                }
                let group = &self.groups[s.group];
                if !group.active || group.gone || group.deleting.is_some() {
                    return Err(ErrorKind::Conflict);
                }
                let s = &mut self.sessions[i];
                s.model.input(now, &input)?;
                s.pending = Some((now, Input::ReconnectSucceeded));
                Ok(())
            }
            EngineStep::Observe { session, input } => {
                let input = observation(*input);
                self.on_session(usize::from(*session), |s, now| s.model.input(now, &input))
            }
            EngineStep::Trespass { .. } => Err(ErrorKind::AccessDenied),
            EngineStep::DeleteApplication { app } => {
                let a = usize::from(*app);
                let app = &self.apps[a];
                if app.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                if app.deleting {
                    return Ok(());
                }
                if self.groups.iter().any(|g| !g.gone && g.apps.contains(&a)) {
                    return Err(ErrorKind::Validation);
                }
                let streaming = self.sessions.iter().any(|s| {
                    s.app == a && s.account == app.account && !s.model.status.is_terminal()
                });
                if streaming {
                    return Err(ErrorKind::Conflict);
                }
                self.apps[a].deleting = true;
                self.revoke_all(StreamUrlStatusReason::ApplicationDeleted, |u| u.app == a);
                Ok(())
            }
            EngineStep::Associate { group, app, undo } => {
                let (g, a) = (usize::from(*group), usize::from(*app));
                let group = &self.groups[g];
                if group.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                let app = &self.apps[a];
                if app.account != group.account {
                    return Err(ErrorKind::AccessDenied);
                }
                if app.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                if !*undo
                    && (!app.ready
                        || app.deleting
                        || now >= deadline_after(group.created_at, ASSOCIATION_CUTOFF))
                {
                    return Err(ErrorKind::Validation);
                }
                if !group.active || group.deleting.is_some() {
                    return Err(ErrorKind::Validation);
                }
                let apps = &mut self.groups[g].apps;
                if *undo {
                    apps.retain(|x| *x != a);
                } else if !apps.contains(&a) {
                    apps.push(a);
                }
                Ok(())
            }
            EngineStep::CreateStreamUrl {
                group,
                app,
                minutes,
                uses,
            } => {
                let (g, a) = (usize::from(*group), usize::from(*app));
                let group = &self.groups[g];
                let account = group.account;
                if self.apps[a].account != account {
                    return Err(ErrorKind::AccessDenied);
                }
                self.startable(g, a)?;
                let (minutes, uses) = (url_minutes(*minutes), url_uses(*uses));
                let (active_quota, minutes_quota, uses_quota) = URL_QUOTAS;
                let active = self
                    .urls
                    .iter()
                    .filter(|u| u.account == account && u.status == StreamUrlStatus::Active)
                    .count();
                if minutes > minutes_quota || uses > uses_quota || active >= active_quota {
                    return Err(ErrorKind::ServiceQuotaExceeded);
                }
                self.urls.push(ModelStreamUrl {
                    account,
                    group: g,
                    app: a,
                    status: StreamUrlStatus::Active,
                    reason: None,
                    created_at: now,
                    expires_at: deadline_after(now, TimeDelta::minutes(i64::from(minutes))),
                    usage_limit: uses,
                    remaining: uses,
                    ended_at: None,
                    terminating_at: None,
                    sessions: Vec::new(),
                    changes: vec![(None, StreamUrlStatus::Active, None, now)],
                });
                Ok(())
            }
            EngineStep::GetStreamUrl { url } => self.on_url(usize::from(*url)).map(drop),
            EngineStep::ListStreamUrls { .. } => Ok(()),
            EngineStep::RevokeStreamUrl { url, terminate } => {
                let u = self.on_url(usize::from(*url))?;
                if !*terminate {
                    self.revoke(u, StreamUrlStatusReason::UserRevoked);
                    return Ok(());
                }
                self.revoke(u, StreamUrlStatusReason::RevokedAndTerminatingSessions);
                for i in self.urls[u].sessions.clone() {
                    self.end_session(i);
                }
                Ok(())
            }
            EngineStep::OpenStreamUrl { url, bad_token } => {
                let u = self.on_url(usize::from(*url))?;
                if *bad_token {
                    return Err(ErrorKind::AccessDenied);
                }
                let url = &self.urls[u];
                if url.status != StreamUrlStatus::Active {
                    return Err(ErrorKind::Conflict);
                }
                let (g, a) = (url.group, url.app);
                self.startable(g, a)?;
                let config = SessionConfig {
                    session_length: SessionLength::new(URL_SESSION_LENGTH).unwrap_or_default(),
                    session_length_origin: SessionLengthOrigin::ApplicationStart,
                    ..SessionConfig::default()
                };
                self.offers += 1;
                let model = SessionModel::start(config, &offer(self.offers), now)
                    .ok_or(ErrorKind::Validation)?;
                let i = self.push_session(g, a, model, Some(u));
                let url = &mut self.urls[u];
                url.sessions.push(i);
                url.remaining -= 1;
                if url.remaining == 0 {
                    url.change(StreamUrlStatus::LimitReached, None, now);
                }
                Ok(())
            }
            EngineStep::AdminShell { session } => self.on_session(usize::from(*session), |s, _| {
                if s.model.status.is_running() {
                    Ok(())
                } else {
                    Err(ErrorKind::StreamSessionAccessNotReady)
                }
            }),
            EngineStep::ExportFiles { session, prefix } => {
                self.on_session(usize::from(*session), |s, _| {
                    if !s.model.status.is_running() {
                        return Err(ErrorKind::Validation);
                    }
                    s.export = Some(ModelExport {
                        uri: export_uri(*prefix).into(),
                        failure: None,
                    });
                    Ok(())
                })
            }
            EngineStep::FailExport {
                session,
                empty_reason,
            } => {
                let i = usize::from(*session);
                if !self.visible(&self.sessions[i]) {
                    return Err(ErrorKind::ResourceNotFound);
                }
                let pending = self
                    .export_phase(&self.sessions[i])
                    .is_some_and(|p| p.status() == ExportFilesStatus::Pending);
                if !pending {
                    return Err(ErrorKind::Conflict);
                }
                if *empty_reason {
                    return Err(ErrorKind::Validation);
                }
                if let Some(export) = &mut self.sessions[i].export {
                    export.failure = Some(EXPORT_FAILURE.into());
                }
                Ok(())
            }
            EngineStep::PutShaderCache {
                app,
                cache,
                status,
                group,
            } => {
                let a = usize::from(*app);
                let app = &self.apps[a];
                if app.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                let id = shader_cache_id(*cache);
                if *cache == u8::MAX {
                    return Err(ErrorKind::Validation);
                }
                let mut groups = Vec::new();
                if let Some(g) = group.map(usize::from) {
                    if self.groups[g].account != app.account {
                        return Err(ErrorKind::AccessDenied);
                    }
                    if self.groups[g].gone {
                        return Err(ErrorKind::ResourceNotFound);
                    }
                    groups.push(g);
                }
                let record = ModelShaderCache {
                    status: crate::script::shader_cache_status(*status),
                    last_updated_at: now,
                    storage_bytes: crate::script::shader_cache_bytes(*cache),
                    groups,
                };
                self.apps[a].caches.insert(id, record);
                Ok(())
            }
            EngineStep::RemoveShaderCache { app, cache } => {
                let app = &mut self.apps[usize::from(*app)];
                if app.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                match app.caches.remove(&shader_cache_id(*cache)) {
                    Some(_) => Ok(()),
                    None => Err(ErrorKind::Validation),
                }
            }
            EngineStep::ListShaderCaches { app } => {
                if self.apps[usize::from(*app)].gone {
                    Err(ErrorKind::ResourceNotFound)
                } else {
                    Ok(())
                }
            }
        }
    }

    /// What a start (of a session, or a URL) in group `g` with application `a` needs, after
    /// the identifiers are read: both exist, they are associated, the group is not deleting.
    fn startable(&self, g: usize, a: usize) -> Result<(), ErrorKind> {
        let group = &self.groups[g];
        if group.gone || self.apps[a].gone {
            return Err(ErrorKind::ResourceNotFound);
        }
        if !group.apps.contains(&a) {
            return Err(ErrorKind::Validation);
        }
        if group.deleting.is_some() || !group.active || !self.apps[a].ready {
            return Err(ErrorKind::Conflict);
        }
        Ok(())
    }

    /// Adds a session just started (placed at the next request) and answers its index.
    fn push_session(
        &mut self,
        g: usize,
        a: usize,
        model: SessionModel,
        url: Option<usize>,
    ) -> usize {
        let now = self.now;
        self.sessions.push(ModelSession {
            account: self.groups[g].account,
            group: g,
            model,
            pending: Some((
                now,
                Input::Placed {
                    location: "us-west-2".into(),
                },
            )),
            seen: 0,
            app: a,
            url,
            export: None,
        });
        self.sessions.len() - 1
    }

    /// URL `u`, if it is still kept.
    fn on_url(&self, u: usize) -> Result<usize, ErrorKind> {
        if self.url_visible(&self.urls[u]) {
            Ok(u)
        } else {
            Err(ErrorKind::ResourceNotFound)
        }
    }

    fn on_session(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut ModelSession, DateTime<Utc>) -> Result<(), ErrorKind>,
    ) -> Result<(), ErrorKind> {
        if !self.visible(&self.sessions[i]) {
            return Err(ErrorKind::ResourceNotFound);
        }
        let now = self.now;
        f(&mut self.sessions[i], now)
    }

    /// Whether `step` only names resources that exist (the precondition that keeps shrinking
    /// honest: removing a creation removes the steps that used it).
    pub fn names_existing(&self, step: &EngineStep) -> bool {
        let (apps, groups, sessions) = (self.apps.len(), self.groups.len(), self.sessions.len());
        match step {
            EngineStep::Advance { .. } | EngineStep::CreateApplication { .. } => true,
            EngineStep::CreateStreamGroup { app } => usize::from(*app) < apps,
            EngineStep::DeleteStreamGroup { group } => usize::from(*group) < groups,
            EngineStep::StartStreamSession { group, app, .. } => {
                usize::from(*group) < groups && usize::from(*app) < apps
            }
            EngineStep::GetStreamSession { session }
            | EngineStep::TerminateStreamSession { session }
            | EngineStep::Reconnect { session, .. }
            | EngineStep::Observe { session, .. }
            | EngineStep::Trespass { session }
            | EngineStep::AdminShell { session }
            | EngineStep::ExportFiles { session, .. }
            | EngineStep::FailExport { session, .. } => usize::from(*session) < sessions,
            EngineStep::ListStreamUrls { .. } => true,
            EngineStep::DeleteApplication { app }
            | EngineStep::RemoveShaderCache { app, .. }
            | EngineStep::ListShaderCaches { app } => usize::from(*app) < apps,
            EngineStep::Associate { group, app, .. }
            | EngineStep::CreateStreamUrl { group, app, .. } => {
                usize::from(*group) < groups && usize::from(*app) < apps
            }
            EngineStep::PutShaderCache { app, group, .. } => {
                usize::from(*app) < apps && group.is_none_or(|g| usize::from(g) < groups)
            }
            EngineStep::GetStreamUrl { url }
            | EngineStep::RevokeStreamUrl { url, .. }
            | EngineStep::OpenStreamUrl { url, .. } => usize::from(*url) < self.urls.len(),
        }
    }

    /// Checks what holds of the model's stream URLs and exports whatever the history: each
    /// URL's changes chain from its creation; a status other than `ACTIVE` is never left but for
    /// `REVOKED`, and `REVOKED` only changes its reason from `userRevoked` to
    /// `revokedAndTerminatingSessions` and from that to `revokedAndSessionsTerminated`; a
    /// reason iff `REVOKED`; `RemainingUses` is the limit less the sessions started, more than 0
    /// while `ACTIVE`, 0 when `LIMIT_REACHED`, and 0 only when `LIMIT_REACHED` or revoked from
    /// there; an export is `PENDING` while its session has not ended.
    pub fn check_invariants(&self) -> Result<(), String> {
        use StreamUrlStatus as U;
        for (i, u) in self.urls.iter().enumerate() {
            let Some(((None, U::Active, None, created), rest)) = u.changes.split_first() else {
                return Err(format!(
                    "URL {i} does not start with its creation: {:?}",
                    u.changes
                ));
            };
            if *created != u.created_at {
                return Err(format!(
                    "URL {i} was created at {created}, not {}",
                    u.created_at
                ));
            }
            let mut at = (U::Active, None, *created);
            for &(from, to, reason, when) in rest {
                let (status, previous, then) = at;
                let allowed = url_change_allowed(Some((status, previous)), to, reason);
                if from != Some(status) || !allowed || when < then {
                    return Err(format!(
                        "URL {i}: {status:?} ({previous:?}) then {:?}",
                        (from, to, reason, when)
                    ));
                }
                at = (to, reason, when);
            }
            if (at.0, at.1) != (u.status, u.reason) {
                return Err(format!(
                    "URL {i} is {:?} after changes to {at:?}",
                    (u.status, u.reason)
                ));
            }
            let reached_limit = u.changes.iter().any(|c| c.1 == U::LimitReached);
            let wrong = u.reason.is_some() != (u.status == U::Revoked)
                || u.remaining > u.usage_limit
                || u.sessions.len() as u32 != u.usage_limit - u.remaining
                || (u.status == U::Active && u.remaining == 0)
                || (u.status == U::LimitReached && u.remaining != 0)
                || (u.remaining == 0 && !reached_limit)
                || (u.status == U::Active) != u.ended_at.is_none();
            if wrong {
                return Err(format!("URL {i} is inconsistent: {u:?}"));
            }
        }
        for (i, s) in self.sessions.iter().enumerate() {
            let phase = self.export_phase(s);
            if !s.model.status.is_terminal() && phase.is_some_and(|p| p != ExportPhase::Running) {
                return Err(format!(
                    "session {i} is {} with its export {phase:?}",
                    s.model.status
                ));
            }
        }
        Ok(())
    }
}
