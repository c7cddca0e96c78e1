//! The reference model of the engine, for histories with ample capacity and every delay at its
//! default of 0 s: resources by index, sessions as [`SessionModel`]s, and "settles at the next
//! request" as an explicit step before every call.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::SessionModel;
use crate::config::{SessionConfig, SessionLengthOrigin};
use crate::error::ErrorKind;
use crate::status::{SessionStatus, StatusReason};
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
}

/// An application of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelApplication {
    /// Its account (0 or 1).
    pub account: u8,
    /// READY (it is `INITIALIZED` until the next request).
    pub ready: bool,
}

/// A stream group of the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelGroup {
    /// Its account.
    pub account: u8,
    /// Its (only associated) application.
    pub app: usize,
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
    /// How many offers were made (they are numbered).
    pub offers: u32,
    /// The answer to the last step.
    pub last: Result<(), ErrorKind>,
}

/// How long ended sessions stay visible (the engine's default).
pub const RETENTION: TimeDelta = TimeDelta::hours(24);

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
            offers: 0,
            last: Ok(()),
        }
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
        for s in &mut self.sessions {
            if let Some((at, input)) = s.pending.take() {
                // A step the session can no longer take is dropped, as in the engine.
                let _ = s.model.input(at, &input);
            }
            s.model.tick(now);
        }
    }

    /// Applies `step`, recording its answer in `last`.
    pub fn apply(&mut self, step: &EngineStep) {
        self.last = self.answer(step);
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
                });
                Ok(())
            }
            EngineStep::CreateStreamGroup { app } => {
                let app = usize::from(*app);
                let account = self.apps[app].account;
                self.groups.push(ModelGroup {
                    account,
                    app,
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
                    for s in self.sessions.iter_mut().filter(|s| s.group == g) {
                        let input = match s.model.status {
                            SessionStatus::Activating => {
                                Input::ActivationFailed(StatusReason::InternalError)
                            }
                            st if !st.is_ending() => Input::Terminate,
                            _ => continue,
                        };
                        let _ = s.model.input(now, &input);
                    }
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
                if group.gone {
                    return Err(ErrorKind::ResourceNotFound);
                }
                if group.app != a {
                    return Err(ErrorKind::Validation);
                }
                if group.deleting.is_some() {
                    return Err(ErrorKind::Conflict);
                }
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
                let account = group.account;
                self.sessions.push(ModelSession {
                    account,
                    group: g,
                    model,
                    pending: Some((
                        now,
                        Input::Placed {
                            location: "us-west-2".into(),
                        },
                    )),
                    seen: 0,
                });
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
                // The offer's validity first, then the group's status.
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
            | EngineStep::Trespass { session } => usize::from(*session) < sessions,
        }
    }
}
