//! Stream sessions in the engine: the API operations on them, placement on capacity, and the
//! infrastructure observations that drive their core [`Session`] state machines.

use std::collections::{BTreeMap, btree_map};
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ledger::{Recorded, fingerprint};
use super::listing::{Page, page};
use super::names::LocationId;
use super::responder::{NO_CLIENT_CONNECTION, SignalContext, acceptable};
use super::{ApiError, Change, Engine, Task, max_results};
use crate::api::{
    CreateStreamSessionConnectionInput, CreateStreamSessionConnectionOutput, DisplayConfiguration,
    ExportFilesMetadata, ExportFilesStatus, GetStreamSessionInput, GetStreamSessionOutput,
    ListStreamSessionsByAccountInput, ListStreamSessionsByAccountOutput, ListStreamSessionsInput,
    ListStreamSessionsOutput, Operation, PerformanceStatsConfiguration, Protocol,
    RuntimeEnvironmentType, SensitiveString, StartStreamSessionInput, StartStreamSessionOutput,
    StreamGroupStatus, StreamSessionSummary, TerminateStreamSessionInput,
};
use crate::arn::{AccountId, IdentifierRef, ResourceId, ResourceType, application_arn};
use crate::engine::config::StartPolicy;
use crate::engine::session_ids::SessionIds;
use crate::engine::token::Cursor;
use crate::time::Timestamp;
use crate::{
    ConnectionTimeout, Event, Input, Session, SessionConfig, SessionLength, SessionStatus,
    StatusReason,
};

/// One stream session and what the engine keeps around it: about 250 bytes, so every field
/// is as small as it can be (a million of them is the budget's case).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SessionRecord {
    pub(crate) account: AccountId,
    /// Its stream group (whose ID outlives the group while the group's sessions do: see
    /// [`Engine::session_group`]).
    pub(crate) group_seq: u64,
    pub(crate) application: ResourceId,
    pub(crate) session: Session,
    /// The latest offer (`SignalRequest`). A boxed string: no spare capacity, a word less than
    /// `String`.
    pub(crate) signal_request: Box<str>,
    /// The request members only some requests carry, boxed (one word when there are none).
    pub(crate) extras: Option<Box<SessionExtras>>,
    /// Its agenda entry: the earliest of `next_at` and its own timers.
    pub(crate) due: At,
    /// When the engine does `next` to it.
    pub(crate) next_at: At,
    /// How many `CreateStreamSessionConnection` calls succeeded.
    pub(crate) connections: u32,
    /// The location where it holds a capacity slot, from placement until it ends.
    pub(crate) slot: Option<LocationId>,
    /// What the engine does to it at `next_at`: an infrastructure step, or forgetting it.
    pub(crate) next: Next,
    pub(crate) protocol: Protocol,
    /// Whether the latest offer has an answer (`SignalResponse`). The answer itself is asked of
    /// the responder when it is reported, not kept: responders are deterministic.
    pub(crate) answered: bool,
    /// Waiting in its group's placement queue.
    pub(crate) waiting: bool,
}

/// Request members that are only echoed back, or that few requests carry.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct SessionExtras {
    pub(crate) description: Option<String>,
    pub(crate) user_id: Option<String>,
    /// Where the caller asked for it to run, by priority (empty: the primary location).
    pub(crate) locations: Vec<String>,
    pub(crate) additional_launch_args: Option<Vec<String>>,
    pub(crate) additional_environment_variables: Option<BTreeMap<String, String>>,
    pub(crate) performance_stats_configuration: Option<PerformanceStatsConfiguration>,
    pub(crate) role_arn: Option<SensitiveString>,
    pub(crate) display_configuration: Option<DisplayConfiguration>,
    /// The stream URL that started it (its sequence number).
    #[serde(default)]
    pub(crate) stream_url: Option<u64>,
    /// Its file export, once `ExportStreamSessionFiles` asked for one.
    #[serde(default)]
    pub(crate) export: Option<Export>,
}

/// A session's file export: where the files go, once the session ends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Export {
    /// The `OutputUri` asked for (a prefix ending in `/`, or a `.zip` key).
    pub(crate) output_uri: String,
    /// How long the upload takes after the session ends (the configuration's, when asked).
    #[serde(with = "crate::time::serde_time_delta")]
    pub(crate) upload_delay: chrono::TimeDelta,
    /// Why the upload fails, if it does.
    pub(crate) failure: Option<String>,
}

/// What the engine does to a session at a scheduled time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Next {
    Nothing,
    /// Placement found capacity (the session's slot): the application launches.
    Launch,
    /// Placement found capacity, but the signal request was refused.
    FailActivation(StatusReason),
    /// The new connection information of a reconnection is ready.
    ReconnectSucceeded,
    /// The reconnection failed.
    ReconnectFailed(StatusReason),
    /// Its retention ended: it is forgotten.
    Forget,
}

/// An optional instant in one word: microseconds since the epoch, `i64::MIN` for none. (Engine
/// instants are whole microseconds already.)
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct At(i64);

/// As an `Option<DateTime<Utc>>` (so a missing member is none).
impl Serialize for At {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        crate::time::rfc3339::option::serialize(&self.get(), s)
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::time::rfc3339::option::deserialize(d).map(At::from)
    }
}

impl At {
    pub(crate) const NONE: At = At(i64::MIN);

    pub(crate) fn get(self) -> Option<DateTime<Utc>> {
        self.timestamp().map(Timestamp::to_datetime)
    }

    /// `duration` after `at`, saturating (as [`crate::time::deadline_after`], in engine time).
    pub(crate) fn after(at: DateTime<Utc>, duration: chrono::TimeDelta) -> At {
        At(Timestamp::from(at).saturating_add(duration).as_micros())
    }

    pub(crate) fn timestamp(self) -> Option<Timestamp> {
        (self != At::NONE).then_some(Timestamp::from_micros(self.0))
    }

    pub(crate) fn is_some(self) -> bool {
        self != At::NONE
    }
}

impl From<Option<DateTime<Utc>>> for At {
    fn from(at: Option<DateTime<Utc>>) -> At {
        at.map_or(At::NONE, |at| At(Timestamp::from(at).as_micros()))
    }
}

impl From<Option<Timestamp>> for At {
    fn from(at: Option<Timestamp>) -> At {
        at.map_or(At::NONE, |at| At(at.as_micros()))
    }
}

impl From<At> for Option<DateTime<Utc>> {
    fn from(at: At) -> Option<DateTime<Utc>> {
        at.get()
    }
}

impl fmt::Debug for At {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.get(), f)
    }
}

/// Something the infrastructure observes about a running session, fed with [`Engine::apply`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Observation {
    /// A client connected (`ACTIVE` → `CONNECTED`).
    ClientConnected,
    /// The client disconnected (`CONNECTED` → `PENDING_CLIENT_RECONNECTION`).
    ClientDisconnected,
    /// The user sent input (restarts the idle timer).
    UserInput,
    /// The application exited or crashed (→ `TERMINATING(applicationExit)`).
    ApplicationExited,
    /// An infrastructure failure with an `ERROR` reason (→ `ERROR(reason)`).
    Failed(StatusReason),
}

impl Observation {
    fn input(self) -> Input {
        match self {
            Self::ClientConnected => Input::ClientConnected,
            Self::ClientDisconnected => Input::ClientDisconnected,
            Self::UserInput => Input::UserInput,
            Self::ApplicationExited => Input::ApplicationExited,
            Self::Failed(reason) => Input::Failed(reason),
        }
    }
}

impl SessionRecord {
    /// When the agenda must call on it next (engine time, without converting to a date).
    pub(crate) fn next_due(&self) -> Option<Timestamp> {
        let own = self.session.poll_timeout_at();
        match (self.next_at.timestamp(), own) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn extras(&self) -> Option<&SessionExtras> {
        self.extras.as_deref()
    }

    /// The locations it asked for (empty: the group's primary).
    fn locations(&self) -> &[String] {
        self.extras().map_or(&[], |e| e.locations.as_slice())
    }

    /// The stream URL that started it, if one did.
    pub(crate) fn stream_url(&self) -> Option<u64> {
        self.extras().and_then(|e| e.stream_url)
    }
}

/// A stream session read without a call ([`Engine::peek_stream_session`],
/// [`Engine::peek_stream_sessions`]): its core state machine, whose status, reason and armed
/// timers' deadlines ([`Session::deadline`]) are the engine's own, and what
/// `ListStreamSessions` lists of it. Borrowed from the engine: nothing changes while it lives.
#[derive(Clone, Copy)]
pub struct SessionView<'a> {
    engine: &'a Engine,
    seq: u64,
    record: &'a SessionRecord,
}

impl<'a> SessionView<'a> {
    /// The core state machine the engine runs for it.
    pub fn session(&self) -> &'a Session {
        &self.record.session
    }

    /// Its ID.
    pub fn id(&self) -> ResourceId {
        self.engine.session_ids.id(self.seq)
    }

    /// The ID of its stream group (kept while the session is, after the group is deleted).
    pub fn group_id(&self) -> ResourceId {
        self.engine.session_group(self.record.group_seq).0
    }

    /// Its ARN.
    pub fn arn(&self) -> String {
        self.engine.session_arn(self.seq, self.record)
    }

    /// What `ListStreamSessions` lists of it.
    pub fn summary(&self) -> StreamSessionSummary {
        self.engine
            .session_summary(self.seq, None, None)
            .expect("a viewed session is in the table")
    }
}

impl fmt::Debug for SessionView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionView")
            .field("id", &self.id())
            .field("session", self.session())
            .finish_non_exhaustive()
    }
}

/// The members `GetStreamSession` and `StartStreamSession` share.
macro_rules! session_output {
    ($engine:expr, $seq:expr, $out:ident) => {{
        let seq: u64 = $seq;
        let r: &SessionRecord = &$engine.sessions[&seq];
        let region = $engine.config.region.as_str();
        let s = &r.session;
        let extras = r.extras();
        let arn = $engine.session_arn(seq, r);
        $out {
            signal_response: $engine.signal_response(r, &arn),
            arn: Some(arn),
            description: extras.and_then(|e| e.description.clone()),
            stream_group_id: Some($engine.session_group(r.group_seq).0.as_str().to_owned()),
            user_id: extras.and_then(|e| e.user_id.clone()),
            status: Some(s.status()),
            status_reason: s.reason(),
            protocol: Some(r.protocol),
            location: $engine.session_location(r).map(str::to_owned),
            signal_request: Some(SensitiveString::new(&*r.signal_request)),
            connection_timeout_seconds: Some(s.connection_timeout().seconds() as i32),
            session_length_seconds: Some(s.session_length().seconds() as i32),
            additional_launch_args: extras.and_then(|e| e.additional_launch_args.clone()),
            additional_environment_variables: extras
                .and_then(|e| e.additional_environment_variables.clone()),
            performance_stats_configuration: extras
                .and_then(|e| e.performance_stats_configuration.clone()),
            log_file_location_uri: None,
            web_sdk_protocol_url: None,
            last_updated_at: Some(s.last_updated_at()),
            created_at: Some(s.created_at()),
            application_arn: Some(application_arn(region, r.account, r.application.as_str())),
            export_files_metadata: $engine.export_files_metadata(seq, r),
            role_arn: extras.and_then(|e| e.role_arn.clone()),
            display_configuration: extras.and_then(|e| e.display_configuration.clone()),
            application_started_at: s.application_started_at(),
            streaming_started_at: s.streaming_started_at(),
            streaming_ended_at: s.streaming_ended_at(),
        }
    }};
}

impl Engine {
    /// `StartStreamSession`: a new session in `ACTIVATING`, placed on capacity at the next
    /// request (or after [`Delays::placement`](super::Delays::placement)), or queued until a
    /// slot frees.
    pub fn start_stream_session(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &StartStreamSessionInput,
    ) -> Result<StartStreamSessionOutput, ApiError> {
        let now = self.begin(caller, now, Operation::StartStreamSession)?;
        let seq = self.start_session(caller, now, input, None)?;
        Ok(session_output!(self, seq, StartStreamSessionOutput))
    }

    /// `StartStreamSession` after its `begin`, for the API and for a stream URL's use
    /// (`stream_url`: the URL's sequence number, kept with the session). Answers the session's
    /// sequence number.
    pub(super) fn start_session(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &StartStreamSessionInput,
        stream_url: Option<u64>,
    ) -> Result<u64, ApiError> {
        let app_member = input.application_identifier.as_deref().unwrap_or_default();
        // Each identifier is read once: what parses and fits is valid (as in
        // `session_seq_validated`), and its model check is skipped.
        let group_ref = IdentifierRef::parse(&input.identifier);
        let app_ref = IdentifierRef::parse(app_member);
        let identifiers_valid = input.application_identifier.is_some()
            && group_ref.is_ok()
            && app_ref.is_ok()
            && crate::api::parsed_identifier_is_valid(&input.identifier)
            && crate::api::parsed_identifier_is_valid(app_member);
        input.validate_members(!identifiers_valid)?;
        let (group_id, _) = self.check_identifier(
            caller,
            "identifier",
            &input.identifier,
            group_ref,
            ResourceType::StreamGroup,
        )?;
        let (app_id, _) = self.check_identifier(
            caller,
            "applicationIdentifier",
            app_member,
            app_ref,
            ResourceType::Application,
        )?;
        let token = input.client_token.as_deref();
        let fingerprint = token.map_or(0, |_| fingerprint(input));
        let op = Operation::StartStreamSession;
        if let Some(recorded) = self.idempotency(caller, op, token, fingerprint, now)? {
            let seq = recorded.resource();
            if !self.sessions.contains_key(&seq) {
                return Err(ApiError::not_found(
                    ResourceType::StreamSession,
                    "(replayed)",
                ));
            }
            return Ok(seq);
        }
        let group_seq = self.group_seq_of(caller, group_id, &input.identifier)?;
        let app_seq = self.application_seq_of(caller, app_id, app_member)?;
        let group = &self.groups[&group_seq];
        let app = &self.applications[&app_seq];

        let locations = input.locations.clone().unwrap_or_default();
        self.check_start_target(
            group_seq,
            app_seq,
            &locations,
            Operation::StartStreamSession,
        )?;

        // The placement timeout depends on the capacity it would wait for. (decision) Always-on
        // if any candidate location has always-on capacity, else on-demand by platform.
        let candidates: Vec<&str> = if locations.is_empty() {
            group
                .locations
                .first()
                .map(|l| l.name.as_str())
                .into_iter()
                .collect()
        } else {
            locations.iter().map(String::as_str).collect()
        };
        let always_on = candidates
            .iter()
            .filter_map(|name| group.location(name))
            .any(|l| l.always_on > 0);
        let timeouts = &self.config.placement_timeouts;
        let placement_timeout = if always_on {
            timeouts.always_on
        } else if app.runtime_type() == Some(RuntimeEnvironmentType::Windows) {
            timeouts.on_demand_windows
        } else {
            timeouts.on_demand_linux
        };
        let config = SessionConfig {
            connection_timeout: input
                .connection_timeout_seconds
                .map(|s| ConnectionTimeout::new(i64::from(s)))
                .transpose()?
                .unwrap_or_default(),
            session_length: input
                .session_length_seconds
                .map(|s| SessionLength::new(i64::from(s)))
                .transpose()?
                .unwrap_or_default(),
            idle_timeout: self.config.idle_timeout,
            placement_timeout,
            termination_delay: self.config.termination_delay,
            session_length_origin: self.config.session_length_origin,
        };
        let signal_request = input.signal_request.clone().unwrap_or_default();
        let mut session = Session::start(config, signal_request.as_str(), now)?;
        // Creation is not a status change of the core session; the engine reports it.
        while session.poll_event().is_some() {}

        let application = app.id;
        let seq = self.next_seq()?;
        let has_extras = input.description.is_some()
            || input.user_id.is_some()
            || !locations.is_empty()
            || input.additional_launch_args.is_some()
            || input.additional_environment_variables.is_some()
            || input.performance_stats_configuration.is_some()
            || input.role_arn.is_some()
            || input.display_configuration.is_some()
            || stream_url.is_some();
        let record = SessionRecord {
            account: caller,
            group_seq,
            application,
            session,
            protocol: input.protocol.unwrap_or(Protocol::WebRtc),
            signal_request: signal_request.as_str().into(),
            answered: false,
            connections: 0,
            extras: has_extras.then(|| {
                Box::new(SessionExtras {
                    description: input.description.clone(),
                    user_id: input.user_id.clone(),
                    locations,
                    additional_launch_args: input.additional_launch_args.clone(),
                    additional_environment_variables: input
                        .additional_environment_variables
                        .clone(),
                    performance_stats_configuration: input.performance_stats_configuration.clone(),
                    role_arn: input.role_arn.clone(),
                    display_configuration: input.display_configuration.clone(),
                    stream_url,
                    export: None,
                })
            }),
            waiting: true,
            slot: None,
            next: Next::Nothing,
            next_at: At::NONE,
            due: At::NONE,
        };
        let arn = self.session_arn(seq, &record);
        self.sessions.insert(seq, Box::new(record));
        self.account_mut(caller).sessions.insert(seq);
        if let Some(group) = self.groups.get_mut(&group_seq) {
            group.sessions.insert(seq);
            group.waiting.insert(seq);
        }
        self.emit(
            caller,
            arn,
            now,
            Change::StreamSession {
                from: None,
                to: SessionStatus::Activating,
                reason: None,
            },
        );
        self.try_place(group_seq, now);
        self.reschedule_session(seq);
        self.remember(
            caller,
            op,
            token,
            fingerprint,
            Recorded::StreamSession(seq),
            now,
        );
        Ok(seq)
    }

    /// What a new session of application `app_seq` in group `group_seq`, in `locations`, needs
    /// of them (StartStreamSession's, and CreateStreamUrl's for the sessions it will start):
    /// names the group does not have are a Validation error (the application not associated,
    /// a location not in the group), statuses a Conflict (the group not ACTIVE, or
    /// `ACTIVE_WITH_ERRORS` when the start policy allows it; the application not READY).
    pub(super) fn check_start_target(
        &self,
        group_seq: u64,
        app_seq: u64,
        locations: &[String],
        operation: Operation,
    ) -> Result<(), ApiError> {
        let (group, app) = (&self.groups[&group_seq], &self.applications[&app_seq]);
        if !group.associated.contains(&app.id) {
            return Err(ApiError::invalid(format!(
                "Application {} is not associated with stream group {}; call AssociateApplications first",
                app.id, group.id
            )));
        }
        for (i, name) in locations.iter().enumerate() {
            if group.location(name).is_none() {
                return Err(ApiError::invalid(format!(
                    "Location '{name}' (locations.{}.member) is not a location of stream group {}",
                    i + 1,
                    group.id
                )));
            }
        }
        let group_status = group.status;
        let group_ok = group_status == StreamGroupStatus::Active
            || (group_status == StreamGroupStatus::ActiveWithErrors
                && self.config.start_policy == StartPolicy::AllowActiveWithErrors);
        if !group_ok {
            return Err(ApiError::conflict(format!(
                "Stream group {} is {group_status}; {operation} needs it ACTIVE",
                group.id
            )));
        }
        if app.status != crate::api::ApplicationStatus::Ready {
            return Err(ApiError::conflict(format!(
                "Application {} is {}; {operation} needs it READY",
                app.id, app.status
            )));
        }
        Ok(())
    }

    /// What `GetStreamSession` answers of session `seq`.
    pub(super) fn get_output(&self, seq: u64) -> GetStreamSessionOutput {
        session_output!(self, seq, GetStreamSessionOutput)
    }

    /// What `StartStreamSession` answers of session `seq`.
    pub(super) fn start_output(&self, seq: u64) -> StartStreamSessionOutput {
        session_output!(self, seq, StartStreamSessionOutput)
    }

    /// `GetStreamSession`.
    pub fn get_stream_session(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &GetStreamSessionInput,
    ) -> Result<GetStreamSessionOutput, ApiError> {
        self.begin(caller, now, Operation::GetStreamSession)?;
        let seq = self.session_seq_validated(
            caller,
            &input.identifier,
            &input.stream_session_identifier,
            || input.validate(),
        )?;
        Ok(session_output!(self, seq, GetStreamSessionOutput))
    }

    /// `TerminateStreamSession`: `TERMINATING(apiTerminated)`; a no-op once ending; a
    /// Validation error while `ACTIVATING`.
    pub fn terminate_stream_session(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &TerminateStreamSessionInput,
    ) -> Result<(), ApiError> {
        let now = self.begin(caller, now, Operation::TerminateStreamSession)?;
        let seq = self.session_seq_validated(
            caller,
            &input.identifier,
            &input.stream_session_identifier,
            || input.validate(),
        )?;
        self.session_input(seq, now, Input::Terminate)
    }

    /// `CreateStreamSessionConnection`: `RECONNECTING` with a newly generated offer, `ACTIVE`
    /// again at the next request (or after [`Delays::reconnection`](super::Delays::reconnection)).
    pub fn create_stream_session_connection(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &CreateStreamSessionConnectionInput,
    ) -> Result<CreateStreamSessionConnectionOutput, ApiError> {
        let now = self.begin(caller, now, Operation::CreateStreamSessionConnection)?;
        input.validate()?;
        // Identifier errors come before a replay; whether the session is there, after it.
        let named = self.read_session_identifiers(
            caller,
            &input.identifier,
            &input.stream_session_identifier,
            || Ok(()),
        )?;
        let token = input.client_token.as_deref();
        let fingerprint = token.map_or(0, |_| fingerprint(input));
        let op = Operation::CreateStreamSessionConnection;
        // A replay answers what the call answered, whatever the session has done since.
        if let Some(Recorded::Connection(_, response)) =
            self.idempotency(caller, op, token, fingerprint, now)?
        {
            return Ok(CreateStreamSessionConnectionOutput {
                signal_response: response,
            });
        }
        let seq = self.find_session(caller, named)?;
        if let Some(url) = self.sessions[&seq].stream_url() {
            let url = self
                .stream_urls
                .get(&url)
                .map_or("a stream URL".into(), |u| format!("stream URL {}", u.id));
            return Err(ApiError::invalid(format!(
                "Stream session {} was started with {url}; such sessions do not support \
                 reconnection (open the stream URL again for a new session)",
                self.session_ids.id(seq)
            )));
        }
        let offer = input.signal_request.clone().unwrap_or_default();
        let reconnect = Input::Reconnect {
            signal_request: offer.as_str().to_owned(),
        };
        // Validation (a reused offer) comes before the group's status (Conflict).
        let record = &self.sessions[&seq];
        if let Err(e @ crate::SessionError::Validation(_)) =
            record.session.check_input(now, &reconnect)
        {
            return Err(e.into());
        }
        let group_status = self.groups.get(&record.group_seq).map(|g| g.status);
        if group_status != Some(StreamGroupStatus::Active) {
            return Err(ApiError::conflict(format!(
                "Stream group {} is {}; CreateStreamSessionConnection needs it ACTIVE",
                self.session_group(record.group_seq).0,
                group_status.map_or("deleted", |s| s.as_str())
            )));
        }
        let connections =
            record
                .connections
                .checked_add(1)
                .ok_or_else(|| ApiError::ServiceQuotaExceeded {
                    message: format!(
                        "Stream session {} has had {} connections, the most one may have",
                        self.session_ids.id(seq),
                        u32::MAX
                    ),
                })?;
        self.session_input(seq, now, reconnect)?;
        let accepted = acceptable(self.config.signal_policy, &*self.responder, offer.as_str());
        let record = self
            .sessions
            .get_mut(&seq)
            .expect("the session was just found");
        record.connections = connections;
        record.signal_request = offer.as_str().into();
        record.answered = accepted;
        record.next = if accepted {
            Next::ReconnectSucceeded
        } else {
            Next::ReconnectFailed(StatusReason::InvalidSignalRequest)
        };
        record.next_at = At::after(now, self.config.delays.reconnection);
        let record = &self.sessions[&seq];
        let arn = self.session_arn(seq, record);
        let response = self.signal_response(record, &arn);
        self.reschedule_session(seq);
        let recorded = Recorded::Connection(seq, response.clone());
        self.remember(caller, op, token, fingerprint, recorded, now);
        Ok(CreateStreamSessionConnectionOutput {
            signal_response: response,
        })
    }

    /// `ListStreamSessions`: a group's sessions in creation order, optionally filtered.
    pub fn list_stream_sessions(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListStreamSessionsInput,
    ) -> Result<ListStreamSessionsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::ListStreamSessions)?;
        input.validate()?;
        let group_seq = self.group_seq(caller, "identifier", &input.identifier)?;
        let cursor = Cursor {
            list: 1,
            account: caller.number(),
            scope: group_seq,
            filter: session_filter(input.status, input.export_files_status),
            after: 0,
        };
        let seqs = &self.groups[&group_seq].sessions;
        let Page { items, next_token } = page(
            self,
            cursor,
            input.next_token.as_deref(),
            max_results(input.max_results),
            now,
            |after| seqs.range_from(after),
            |seq| self.session_summary(seq, input.status, input.export_files_status),
        )?;
        Ok(ListStreamSessionsOutput {
            items: Some(items),
            next_token,
        })
    }

    /// `ListStreamSessionsByAccount`: every session of the caller in creation order.
    pub fn list_stream_sessions_by_account(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListStreamSessionsByAccountInput,
    ) -> Result<ListStreamSessionsByAccountOutput, ApiError> {
        let now = self.begin(caller, now, Operation::ListStreamSessionsByAccount)?;
        input.validate()?;
        let cursor = Cursor {
            list: 2,
            account: caller.number(),
            scope: 0,
            filter: session_filter(input.status, input.export_files_status),
            after: 0,
        };
        let empty = Default::default();
        let seqs = self
            .index
            .accounts
            .get(&caller)
            .map_or(&empty, |a| &a.sessions);
        let Page { items, next_token } = page(
            self,
            cursor,
            input.next_token.as_deref(),
            max_results(input.max_results),
            now,
            |after| seqs.range_from(after),
            |seq| self.session_summary(seq, input.status, input.export_files_status),
        )?;
        Ok(ListStreamSessionsByAccountOutput {
            items: Some(items),
            next_token,
        })
    }

    /// Feeds an infrastructure observation to a session: a client connecting or disconnecting,
    /// user input, the application exiting, a failure. Answers the session as
    /// `GetStreamSession` would, or the state machine's error (Conflict when the observation is
    /// not possible in the session's status).
    pub fn apply(
        &mut self,
        account: AccountId,
        now: DateTime<Utc>,
        group_identifier: &str,
        session_identifier: &str,
        observation: Observation,
    ) -> Result<GetStreamSessionOutput, ApiError> {
        let now = self.begin_internal(now);
        let seq = self.session_seq(account, group_identifier, session_identifier)?;
        self.session_input(seq, now, observation.input())?;
        Ok(session_output!(self, seq, GetStreamSessionOutput))
    }

    /// A session's status and reason, read without a call: no throttling, no clock, nothing
    /// changes. For adapters that watch sessions (the mock's WebRTC layer) and must not spend the
    /// caller's request rate on it. Errors as [`apply`](Self::apply) names them.
    pub fn stream_session_status(
        &self,
        account: AccountId,
        group_identifier: &str,
        session_identifier: &str,
    ) -> Result<(SessionStatus, Option<StatusReason>), ApiError> {
        let seq = self.session_seq(account, group_identifier, session_identifier)?;
        let session = &self.sessions[&seq].session;
        Ok((session.status(), session.reason()))
    }

    /// One of an account's stream sessions, read without a call: no throttling, no fault rule,
    /// no clock; nothing changes. It is as the engine's last step left it: a timer due at
    /// [`now`](Self::now) runs at the next [`advance`](Self::advance) or call (an adapter
    /// advances first to show what a call would). Errors as [`apply`](Self::apply) names them.
    pub fn peek_stream_session(
        &self,
        account: AccountId,
        group_identifier: &str,
        session_identifier: &str,
    ) -> Result<SessionView<'_>, ApiError> {
        let seq = self.session_seq(account, group_identifier, session_identifier)?;
        Ok(self
            .session_view(seq)
            .expect("a session just found is in the table"))
    }

    /// An account's stream sessions in creation order (those of one of its stream groups, when
    /// `group` is an ID or ARN), read without a call as
    /// [`peek_stream_session`](Self::peek_stream_session) reads one. For adapters that watch
    /// the engine (the mock's dashboard): filtering and paging them is theirs.
    pub fn peek_stream_sessions(
        &self,
        account: AccountId,
        group: Option<&str>,
    ) -> Result<impl Iterator<Item = SessionView<'_>> + '_, ApiError> {
        let seqs = match group {
            Some(group) => {
                let seq = self.group_seq(account, "identifier", group)?;
                Some(&self.groups[&seq].sessions)
            }
            None => self.index.accounts.get(&account).map(|a| &a.sessions),
        };
        Ok(seqs
            .into_iter()
            .flat_map(|list| list.range_from(0))
            .filter_map(|seq| self.session_view(seq)))
    }

    /// The view of session `seq`, if the table still has it (lists keep gone ones for a while).
    fn session_view(&self, seq: u64) -> Option<SessionView<'_>> {
        let record = self.sessions.get(&seq)?;
        Some(SessionView {
            engine: self,
            seq,
            record,
        })
    }

    /// The summary of a session, if it passes the filters.
    pub(super) fn session_summary(
        &self,
        seq: u64,
        status: Option<SessionStatus>,
        export: Option<ExportFilesStatus>,
    ) -> Option<StreamSessionSummary> {
        let r = self.sessions.get(&seq)?;
        let s = &r.session;
        if status.is_some_and(|want| want != s.status()) {
            return None;
        }
        let metadata = self.export_files_metadata(seq, r);
        if export.is_some() && export != metadata.as_ref().and_then(|m| m.status) {
            return None;
        }
        let region = self.config.region.as_str();
        Some(StreamSessionSummary {
            arn: Some(self.session_arn(seq, r)),
            user_id: r.extras().and_then(|e| e.user_id.clone()),
            status: Some(s.status()),
            status_reason: s.reason(),
            protocol: Some(r.protocol),
            last_updated_at: Some(s.last_updated_at()),
            created_at: Some(s.created_at()),
            application_arn: Some(application_arn(region, r.account, r.application.as_str())),
            export_files_metadata: metadata.map(|m| ExportFilesMetadata {
                status: m.status,
                ..Default::default()
            }),
            location: self.session_location(r).map(str::to_owned),
            role_arn: r.extras().and_then(|e| e.role_arn.clone()),
        })
    }

    /// Applies `input` to session `seq` at `now` and settles what follows from it. A refused
    /// input is found by the read-only dry run first, so it leaves the record untouched (not
    /// even the session's latest time moves).
    pub(super) fn session_input(
        &mut self,
        seq: u64,
        now: DateTime<Utc>,
        input: Input,
    ) -> Result<(), ApiError> {
        let record = self
            .sessions
            .get_mut(&seq)
            .expect("callers pass a live session");
        record.session.check_input(now, &input)?;
        let result = record.session.handle_input(now, input);
        self.settle_session(seq);
        result.map_err(ApiError::from)
    }

    /// The agenda fired for session `seq` at `at`.
    pub(super) fn service_session(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(record) = self.sessions.get_mut(&seq) else {
            return;
        };
        record.due = At::NONE;
        let next_at = record.next_at.get().filter(|next_at| *next_at <= at);
        let step = match record.next {
            _ if next_at.is_none() => None,
            Next::Launch => Some(Input::Placed {
                location: record
                    .slot
                    .map(|l| self.location_names.name(l).to_owned())
                    .unwrap_or_default(),
            }),
            Next::FailActivation(reason) => Some(Input::ActivationFailed(reason)),
            Next::ReconnectSucceeded => Some(Input::ReconnectSucceeded),
            Next::ReconnectFailed(reason) => Some(Input::ReconnectFailed(reason)),
            Next::Nothing | Next::Forget => None,
        };
        if let (Some(step_at), Some(input)) = (next_at, step) {
            record.next = Next::Nothing;
            record.next_at = At::NONE;
            let placed = matches!(input, Input::Placed { .. });
            // A step the session can no longer take (it ended meanwhile) is dropped.
            if record.session.handle_input(step_at, input).is_ok() && placed {
                record.answered = &*record.signal_request != NO_CLIENT_CONNECTION;
            }
        }
        record.session.handle_timeout(at);
        if next_at.is_some() && record.next == Next::Forget {
            self.remove_session(seq);
            return;
        }
        self.settle_session(seq);
    }

    /// The answer to the session's latest offer, if it has one, from the responder.
    fn signal_response(&self, r: &SessionRecord, arn: &str) -> Option<SensitiveString> {
        if !r.answered {
            return None;
        }
        // The session keeps the digest of its latest offer, which is the record's.
        let digest = r.session.latest_offer_digest();
        debug_assert_eq!(
            digest,
            crate::fnv::fnv1a(r.signal_request.as_bytes()),
            "the session's latest offer is the record's"
        );
        Some(SensitiveString::from(self.responder.respond_with_digest(
            &SignalContext {
                session_arn: arn,
                location: r.session.location().unwrap_or_default(),
                connection: r.connections,
                signal_request: &r.signal_request,
            },
            digest,
        )))
    }

    /// Turns the core session's events into engine events and their consequences (a slot freed,
    /// the retention clock started), then reschedules the session.
    fn settle_session(&mut self, seq: u64) {
        let retention = self.config.retention;
        let record = self
            .sessions
            .get_mut(&seq)
            .expect("callers pass a live session");
        let mut ended_at = None;
        // At most three changes come of one call (two timers and an input).
        let mut changes: smallvec::SmallVec<[_; 4]> = smallvec::SmallVec::new();
        while let Some(Event::StatusChanged {
            from,
            to,
            reason,
            at,
        }) = record.session.poll_event()
        {
            changes.push((
                at,
                Change::StreamSession {
                    from: Some(from),
                    to,
                    reason,
                },
            ));
            if to.is_terminal() {
                ended_at = Some(at);
            }
        }
        if changes.is_empty() && ended_at.is_none() {
            // Nothing happened to the session (an input that changed only its timers).
            self.reschedule_session(seq);
            return;
        }
        let record = &self.sessions[&seq];
        let (account, mut arn) = (record.account, self.session_arn(seq, record));
        let record = self.sessions.get_mut(&seq).expect("still there");
        let mut freed = None;
        let url_of_ended = ended_at.and(record.stream_url());
        if let Some(at) = ended_at {
            record.next = Next::Forget;
            record.next_at = At::after(at, retention);
            freed = record
                .slot
                .take()
                .map(|location| (record.group_seq, location, at));
            if record.waiting {
                record.waiting = false;
                let group_seq = record.group_seq;
                if let Some(group) = self.groups.get_mut(&group_seq) {
                    group.waiting.remove(&seq);
                }
            }
        }
        let mut changes = changes.into_iter().peekable();
        while let Some((at, change)) = changes.next() {
            let arn = if changes.peek().is_some() {
                arn.clone()
            } else {
                std::mem::take(&mut arn)
            };
            self.emit(account, arn, at, change);
        }
        self.reschedule_session(seq);
        if let (Some(url), Some(at)) = (url_of_ended, ended_at) {
            self.stream_url_sessions_changed(url, at);
        }
        if let Some((group_seq, location, at)) = freed {
            if let Some(group) = self.groups.get_mut(&group_seq) {
                if let Some(loc) = group.location_mut(self.location_names.name(location)) {
                    loc.in_use = loc.in_use.saturating_sub(1);
                }
                self.try_place(group_seq, at);
            }
        }
    }

    /// Places the group's waiting sessions, in arrival order, each in the first of its
    /// candidate locations that is `ACTIVE`, has the application replicated and a free slot.
    pub(super) fn try_place(&mut self, group_seq: u64, at: DateTime<Utc>) {
        let Some(group) = self.groups.get(&group_seq) else {
            return;
        };
        if group.waiting.is_empty() || !group.has_free_slot() {
            return;
        }
        let placement = At::after(at, self.config.delays.placement);
        // Walks the queue in order with a cursor rather than a copy: freeing one slot in front
        // of a long queue costs O(log q) for the session placed, not O(q).
        let mut after = 0;
        loop {
            let Some(group) = self.groups.get(&group_seq) else {
                return;
            };
            if !group.has_free_slot() {
                return;
            }
            let Some(&seq) = group.waiting.range(after..).next() else {
                return;
            };
            after = seq + 1;
            let record = &self.sessions[&seq];
            let app = self
                .index
                .applications
                .get(&record.application)
                .and_then(|a| self.applications.get(a));
            // The locations it asked for, else the group's primary.
            let asked = record.locations().iter().map(String::as_str);
            let primary = group.locations.first().map(|l| l.name.as_str());
            let primary = primary.filter(|_| record.locations().is_empty());
            let chosen = asked.chain(primary).find(|name| {
                group.location(name).is_some_and(|l| l.can_host())
                    && app.is_some_and(|a| a.replicated_to(name))
            });
            let Some(location) = chosen else {
                continue;
            };
            let accepted = acceptable(
                self.config.signal_policy,
                &*self.responder,
                &record.signal_request,
            );
            let slot = self.location_names.intern(location);
            let group = self.groups.get_mut(&group_seq).expect("checked above");
            group.waiting.remove(&seq);
            if let Some(loc) = group.location_mut(self.location_names.name(slot)) {
                loc.in_use += 1;
            }
            let record = self
                .sessions
                .get_mut(&seq)
                .expect("waiting sessions are live");
            record.waiting = false;
            record.slot = Some(slot);
            record.next = if accepted {
                Next::Launch
            } else {
                Next::FailActivation(StatusReason::InvalidSignalRequest)
            };
            record.next_at = placement;
            self.reschedule_session(seq);
        }
    }

    pub(super) fn reschedule_session(&mut self, seq: u64) {
        let Some(record) = self.sessions.get_mut(&seq) else {
            return;
        };
        let due = record.next_due();
        self.agenda
            .reschedule_at(Task::StreamSession(seq), record.due.timestamp(), due);
        record.due = due.into();
    }

    /// Forgets a session whose retention has passed.
    fn remove_session(&mut self, seq: u64) {
        let Some(record) = self.sessions.remove(&seq) else {
            return;
        };
        self.agenda
            .reschedule_at(Task::StreamSession(seq), record.due.timestamp(), None);
        if let Some(account) = self.index.accounts.get_mut(&record.account) {
            account.sessions.remove(seq, &self.sessions);
        }
        if let Some(group) = self.groups.get_mut(&record.group_seq) {
            group.sessions.remove(seq, &self.sessions);
            group.waiting.remove(&seq);
        } else if let btree_map::Entry::Occupied(mut retired) =
            self.retired_groups.entry(record.group_seq)
        {
            retired.get_mut().sessions -= 1;
            if retired.get().sessions == 0 {
                retired.remove();
            }
        }
    }

    /// Group `group_seq`, live or retired (deleted while sessions of it remain): its ID, and
    /// its sessions' ARN prefix.
    pub(crate) fn session_group(&self, group_seq: u64) -> (ResourceId, &str) {
        match self.groups.get(&group_seq) {
            Some(g) => (g.id, &g.session_arn_prefix),
            None => {
                let r = self
                    .retired_groups
                    .get(&group_seq)
                    .expect("a session's group is live or retired");
                (r.id, &r.session_arn_prefix)
            }
        }
    }

    /// The ARN of a session: its group's prefix and its ID.
    pub(crate) fn session_arn(&self, seq: u64, r: &SessionRecord) -> String {
        let (_, prefix) = self.session_group(r.group_seq);
        let mut arn = String::with_capacity(prefix.len() + SessionIds::LEN);
        arn.push_str(prefix);
        self.session_ids.push_id(seq, &mut arn);
        arn
    }

    /// Where the session runs, or will: its core session's location once placed, else the
    /// location of the slot placement reserved for it.
    fn session_location<'a>(&'a self, r: &'a SessionRecord) -> Option<&'a str> {
        r.session
            .location()
            .or_else(|| r.slot.map(|l| self.location_names.name(l)))
    }

    /// Ends every session of a group being deleted: running ones `TERMINATING(apiTerminated)`,
    /// ones still `ACTIVATING` `ERROR(internalError)` (they can no longer be placed).
    pub(super) fn end_group_sessions(&mut self, group_seq: u64, now: DateTime<Utc>) {
        let seqs: Vec<u64> = self
            .groups
            .get(&group_seq)
            .map(|g| g.sessions.range_from(0).collect())
            .unwrap_or_default();
        for seq in seqs {
            let Some(status) = self.sessions.get(&seq).map(|r| r.session.status()) else {
                continue;
            };
            let input = match status {
                SessionStatus::Activating => Input::ActivationFailed(StatusReason::InternalError),
                s if s.is_running() => Input::Terminate,
                _ => continue,
            };
            // Both inputs are allowed in the statuses matched above.
            let _ = self.session_input(seq, now, input);
        }
    }

    /// Ends the sessions running in `location` of a group (the location is being removed).
    pub(super) fn end_location_sessions(
        &mut self,
        group_seq: u64,
        location: &str,
        now: DateTime<Utc>,
    ) {
        let seqs: Vec<u64> = self
            .groups
            .get(&group_seq)
            .map(|g| g.sessions.range_from(0).collect())
            .unwrap_or_default();
        for seq in seqs {
            let Some(record) = self.sessions.get(&seq) else {
                continue;
            };
            if record.slot.map(|l| self.location_names.name(l)) != Some(location) {
                continue;
            }
            let input = match record.session.status() {
                SessionStatus::Activating => Input::ActivationFailed(StatusReason::InternalError),
                s if s.is_running() => Input::Terminate,
                _ => continue,
            };
            let _ = self.session_input(seq, now, input);
        }
    }
}

/// The filters of a session listing, for its cursor.
fn session_filter(status: Option<SessionStatus>, export: Option<ExportFilesStatus>) -> [u8; 2] {
    [
        status.map_or(0xff, |s| s.index() as u8),
        export.map_or(0xff, |e| {
            ExportFilesStatus::ALL
                .iter()
                .position(|x| *x == e)
                .unwrap_or(0xfe) as u8
        }),
    ]
}
