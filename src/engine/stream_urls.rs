//! Stream URLs: `CreateStreamUrl`, `GetStreamUrl`, `ListStreamUrls`, `RevokeStreamUrl`, and the
//! use of a URL ([`Engine::open_stream_url`]), which the public API does not have (AWS's hosted
//! player does it).
//!
//! A URL is `ACTIVE` from its creation until one of:
//! - `ExpiresAt` (`CreatedAt` + `UrlExpiresAfterMinutes`): `EXPIRED`, by the URL's agenda entry;
//! - its last use: `LIMIT_REACHED`;
//! - `RevokeStreamUrl`, or the deletion of its stream group or application: `REVOKED`, with the
//!   reason. With `REVOKE_AND_TERMINATE_SESSIONS` the reason is `revokedAndTerminatingSessions`
//!   until every session the URL started has ended, then `revokedAndSessionsTerminated`.
//!
//! **(decisions)**
//! - `REVOKED` is final; every other status gives way to it, so an expired URL can still be
//!   revoked (with its sessions terminated). Revoking a revoked URL again keeps its reason, except
//!   that `REVOKE_AND_TERMINATE_SESSIONS` after `REVOKE_URL` takes
//!   `revokedAndTerminatingSessions`; and `REVOKE_AND_TERMINATE_SESSIONS` always terminates what
//!   the URL started.
//! - A URL that has left `ACTIVE` is kept for [`EngineConfig::retention`](super::EngineConfig)
//!   (as ended sessions are), then forgotten.
//! - Sessions started with a URL do not support reconnection:
//!   `CreateStreamSessionConnection` answers them a ValidationException.
//! - `ACTIVATING` sessions of a URL revoked with `REVOKE_AND_TERMINATE_SESSIONS` end in
//!   `ERROR(internalError)`, as when their group is deleted (they cannot be terminated).
//! - Quotas: [`Quotas`](super::Quotas) bounds `UrlExpiresAfterMinutes`, `UsageLimit` and the
//!   account's `ACTIVE` URLs; beyond them, ServiceQuotaExceededException.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::ledger::{Recorded, fingerprint};
use super::listing::{Page, page};
use super::token::Cursor;
use super::{ApiError, Change, Engine, Task, max_results};
use crate::api::{
    CreateStreamUrlInput, CreateStreamUrlOutput, DisplayConfiguration, GetStreamUrlInput,
    GetStreamUrlOutput, ListStreamUrlsInput, ListStreamUrlsOutput, Operation, Protocol,
    RevocationMode, RevokeStreamUrlInput, SensitiveString, StartStreamSessionInput,
    StartStreamSessionOutput, StreamUrlStatus, StreamUrlStatusReason, StreamUrlSummary,
};
use crate::arn::{
    AccountId, IdentifierRef, ResourceId, ResourceType, application_arn, stream_group_arn,
    stream_url_arn,
};
use crate::{Input, SessionStatus, StatusReason};

/// The default `SessionLengthSeconds` of a stream URL's sessions (the model's documented
/// default, 12 hours).
pub const STREAM_URL_SESSION_LENGTH_SECONDS: i32 = 43_200;

/// The length of a stream URL's token.
const TOKEN_LEN: usize = 32;

/// One stream URL.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StreamUrlRecord {
    pub(crate) seq: u64,
    pub(crate) id: ResourceId,
    pub(crate) account: AccountId,
    /// Its stream group, which it outlives (the URL is then `REVOKED`).
    pub(crate) group_seq: u64,
    pub(crate) group_id: ResourceId,
    pub(crate) application: ResourceId,
    /// The credential in the URL (never in `Debug` output).
    pub(crate) token: SensitiveString,
    pub(crate) status: StreamUrlStatus,
    pub(crate) reason: Option<StreamUrlStatusReason>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) expires_at: DateTime<Utc>,
    /// When it left `ACTIVE`.
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) ended_at: Option<DateTime<Utc>>,
    pub(crate) usage_limit: u32,
    pub(crate) settings: Box<StreamUrlSettings>,
    /// The sessions it started, in order: one per use, so the uses left are derived from it.
    pub(crate) sessions: Vec<u64>,
    /// Its agenda entry: `expires_at` while `ACTIVE`, else when it is forgotten.
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) due: Option<DateTime<Utc>>,
}

/// What a stream URL freezes at creation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StreamUrlSettings {
    pub(crate) protocol: Protocol,
    pub(crate) description: Option<String>,
    pub(crate) locations: Vec<String>,
    pub(crate) session_length_seconds: i32,
    pub(crate) additional_launch_args: Option<Vec<String>>,
    pub(crate) additional_environment_variables: Option<BTreeMap<String, String>>,
    pub(crate) role_arn: Option<SensitiveString>,
    pub(crate) display_configuration: Option<DisplayConfiguration>,
}

impl std::fmt::Debug for StreamUrlRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamUrlRecord")
            .field("seq", &self.seq)
            .field("id", &self.id)
            .field("account", &self.account)
            .field("group_id", &self.group_id)
            .field("token", &self.token)
            .field("status", &self.status)
            .field("reason", &self.reason)
            .field("expires_at", &self.expires_at)
            .field("remaining_uses", &self.remaining_uses())
            .field("sessions", &self.sessions)
            .finish_non_exhaustive()
    }
}

impl StreamUrlRecord {
    /// `RemainingUses`: each successful use started one session.
    pub(crate) fn remaining_uses(&self) -> u32 {
        self.usage_limit.saturating_sub(self.sessions.len() as u32)
    }

    /// When the agenda calls on it: expiry while `ACTIVE`, else the end of its retention.
    pub(crate) fn next_due(&self, retention: TimeDelta) -> Option<DateTime<Utc>> {
        match self.ended_at {
            None => Some(self.expires_at),
            Some(at) => Some(crate::time::deadline_after(at, retention)),
        }
    }
}

/// A stream URL output: the members of `StreamUrlSummary`, and with `with settings` also the
/// frozen settings `CreateStreamUrl` and `GetStreamUrl` echo, then the members in braces.
macro_rules! stream_url_output {
    (@members $engine:expr, $r:expr, $out:ident { $($more:tt)* }) => {{
        let (engine, r): (&Engine, &StreamUrlRecord) = ($engine, $r);
        let region = &engine.config.region;
        $out {
            arn: Some(engine.stream_url_arn_of(r.seq)),
            stream_url_id: Some(r.id.to_string()),
            stream_url: Some(engine.stream_url_link(r)),
            status: Some(r.status),
            status_reason: r.reason,
            expires_at: Some(r.expires_at),
            created_at: Some(r.created_at),
            usage_limit: Some(r.usage_limit as i32),
            remaining_uses: Some(r.remaining_uses() as i32),
            stream_group_arn: Some(stream_group_arn(region, r.account, r.group_id.as_str())),
            application_arn: Some(application_arn(region, r.account, r.application.as_str())),
            session_length_seconds: Some(r.settings.session_length_seconds),
            description: r.settings.description.clone(),
            $($more)*
        }
    }};
    ($engine:expr, $r:expr, $out:ident { $($more:tt)* }) => {
        stream_url_output!(@members $engine, $r, $out { $($more)* })
    };
    ($engine:expr, $r:expr, $out:ident with settings { $($more:tt)* }) => {{
        let s: &StreamUrlSettings = &$r.settings;
        stream_url_output!(@members $engine, $r, $out {
            protocol: Some(s.protocol),
            locations: Some(s.locations.clone()),
            additional_launch_args: s.additional_launch_args.clone(),
            additional_environment_variables: s.additional_environment_variables.clone(),
            role_arn: s.role_arn.clone(),
            display_configuration: s.display_configuration.clone(),
            $($more)*
        })
    }};
}

impl Engine {
    /// `CreateStreamUrl`: a new `ACTIVE` URL with its settings frozen.
    pub fn create_stream_url(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &CreateStreamUrlInput,
    ) -> Result<CreateStreamUrlOutput, ApiError> {
        let now = self.begin(caller, now, Operation::CreateStreamUrl)?;
        input.validate()?;
        let app_member = input.application_identifier.as_deref().unwrap_or_default();
        let (group_id, _) = self.parse_identifier(
            caller,
            "identifier",
            &input.identifier,
            ResourceType::StreamGroup,
        )?;
        let (app_id, _) = self.parse_identifier(
            caller,
            "applicationIdentifier",
            app_member,
            ResourceType::Application,
        )?;
        let token = input.client_token.as_deref();
        let fingerprint = token.map_or(0, |_| fingerprint(input));
        let op = Operation::CreateStreamUrl;
        if let Some(recorded) = self.idempotency(caller, op, token, fingerprint, now)? {
            let seq = recorded.resource();
            return match self.stream_urls.get(&seq) {
                Some(_) => Ok(self.create_output(seq)),
                None => Err(ApiError::not_found(ResourceType::StreamUrl, "(replayed)")),
            };
        }
        let group_seq = self.group_seq_of(caller, group_id, &input.identifier)?;
        let app_seq = self.application_seq_of(caller, app_id, app_member)?;
        let locations = input.locations.clone().unwrap_or_default();
        self.check_start_target(group_seq, app_seq, &locations, op)?;
        let quotas = &self.config.quotas;
        let minutes = input.url_expires_after_minutes.unwrap_or(1).max(1) as u32;
        let usage_limit = input.usage_limit.unwrap_or(1).max(1) as u32;
        let quota = |message: String| Err(ApiError::ServiceQuotaExceeded { message });
        if minutes > quotas.stream_url_expiry_minutes {
            return quota(format!(
                "UrlExpiresAfterMinutes {minutes} is more than the quota of {} minutes",
                quotas.stream_url_expiry_minutes
            ));
        }
        if usage_limit > quotas.stream_url_usage_limit {
            return quota(format!(
                "UsageLimit {usage_limit} is more than the quota of {}",
                quotas.stream_url_usage_limit
            ));
        }
        let active = self.index.accounts.get(&caller).map_or(0, |a| {
            a.stream_urls
                .iter()
                .filter(|s| self.stream_urls[s].status == StreamUrlStatus::Active)
                .count()
        });
        if active >= quotas.active_stream_urls_per_account as usize {
            return quota(format!(
                "The account has {active} ACTIVE stream URLs, the quota ({})",
                quotas.active_stream_urls_per_account
            ));
        }

        let (group_id, application) = (self.groups[&group_seq].id, self.applications[&app_seq].id);
        let seq = self.next_seq()?;
        let id = loop {
            let id = self.ids.stream_url_id();
            if !self.index.stream_urls.contains_key(&id) {
                break id;
            }
        };
        let url_token = SensitiveString::new(self.ids.alphanumerics(TOKEN_LEN));
        let expires_at = crate::time::deadline_after(now, TimeDelta::minutes(i64::from(minutes)));
        let record = StreamUrlRecord {
            seq,
            id,
            account: caller,
            group_seq,
            group_id,
            application,
            token: url_token,
            status: StreamUrlStatus::Active,
            reason: None,
            created_at: now,
            expires_at,
            ended_at: None,
            usage_limit,
            settings: Box::new(StreamUrlSettings {
                protocol: input.protocol.unwrap_or(Protocol::WebRtc),
                description: input.description.clone(),
                locations,
                session_length_seconds: input
                    .session_length_seconds
                    .unwrap_or(STREAM_URL_SESSION_LENGTH_SECONDS),
                additional_launch_args: input.additional_launch_args.clone(),
                additional_environment_variables: input.additional_environment_variables.clone(),
                role_arn: input.role_arn.clone(),
                display_configuration: input.display_configuration.clone(),
            }),
            sessions: Vec::new(),
            due: None,
        };
        self.index.stream_urls.insert(id, seq);
        self.account_mut(caller).stream_urls.insert(seq);
        self.stream_urls.insert(seq, record);
        let arn = self.stream_url_arn_of(seq);
        self.emit(
            caller,
            arn,
            now,
            Change::StreamUrl {
                from: None,
                to: StreamUrlStatus::Active,
                reason: None,
            },
        );
        self.reschedule_stream_url(seq);
        self.remember(
            caller,
            op,
            token,
            fingerprint,
            Recorded::StreamUrl(seq),
            now,
        );
        Ok(self.create_output(seq))
    }

    /// `GetStreamUrl`: the URL, its settings, and the sessions it started that are still kept.
    pub fn get_stream_url(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &GetStreamUrlInput,
    ) -> Result<GetStreamUrlOutput, ApiError> {
        self.begin(caller, now, Operation::GetStreamUrl)?;
        input.validate()?;
        let seq = self.stream_url_seq(caller, &input.identifier, &input.stream_url_identifier)?;
        let r = &self.stream_urls[&seq];
        let sessions = r
            .sessions
            .iter()
            .filter_map(|seq| self.session_summary(*seq, None, None))
            .collect();
        Ok(
            stream_url_output!(self, r, GetStreamUrlOutput with settings {
                stream_sessions: Some(sessions),
            }),
        )
    }

    /// An account's stream URLs in creation order, as `ListStreamUrls` lists them, read without
    /// a call: no throttling, no fault rule, no clock; nothing changes. For adapters that watch
    /// the engine (the mock's dashboard).
    pub fn peek_stream_urls(
        &self,
        account: AccountId,
    ) -> impl Iterator<Item = StreamUrlSummary> + '_ {
        self.owned(account, |a| &a.stream_urls)
            .filter_map(|seq| self.stream_urls.get(seq))
            .map(|r| self.stream_url_summary(r))
    }

    /// `ListStreamUrls`: the account's URLs in creation order, optionally of one status and one
    /// stream group (an ID or ARN that names no group lists nothing: the operation has no
    /// ResourceNotFound).
    pub fn list_stream_urls(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListStreamUrlsInput,
    ) -> Result<ListStreamUrlsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::ListStreamUrls)?;
        input.validate()?;
        let group = match input.stream_group_identifier.as_deref() {
            Some(value) => {
                let (id, _) = self.parse_identifier(
                    caller,
                    "streamGroupIdentifier",
                    value,
                    ResourceType::StreamGroup,
                )?;
                // An ID that cannot be a resource's matches nothing.
                Some(ResourceId::new(id))
            }
            None => None,
        };
        let cursor = Cursor {
            list: 5,
            account: caller.number(),
            scope: group
                .flatten()
                .map_or(0, |id| crate::fnv::fnv1a(id.as_str().as_bytes())),
            filter: [
                input.status.map_or(0xff, |s| {
                    StreamUrlStatus::ALL
                        .iter()
                        .position(|x| *x == s)
                        .unwrap_or(0xfe) as u8
                }),
                u8::from(group.is_some()),
            ],
            after: 0,
        };
        let empty = Default::default();
        let seqs = self
            .index
            .accounts
            .get(&caller)
            .map_or(&empty, |a| &a.stream_urls);
        let Page { items, next_token } = page(
            self,
            cursor,
            input.next_token.as_deref(),
            max_results(input.max_results),
            now,
            |after| seqs.range(after..).copied(),
            |seq| {
                let r = self.stream_urls.get(&seq)?;
                let keep = input.status.is_none_or(|s| s == r.status)
                    && group.is_none_or(|g| g == Some(r.group_id));
                keep.then(|| self.stream_url_summary(r))
            },
        )?;
        Ok(ListStreamUrlsOutput {
            items: Some(items),
            next_token,
        })
    }

    /// `RevokeStreamUrl`: `REVOKED` for good, and with `REVOKE_AND_TERMINATE_SESSIONS` every
    /// session the URL started ends.
    pub fn revoke_stream_url(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &RevokeStreamUrlInput,
    ) -> Result<(), ApiError> {
        let now = self.begin(caller, now, Operation::RevokeStreamUrl)?;
        input.validate()?;
        let seq = self.stream_url_seq(caller, &input.identifier, &input.stream_url_identifier)?;
        let terminate = input.revocation_mode == Some(RevocationMode::RevokeAndTerminateSessions);
        if !terminate {
            self.revoke(seq, StreamUrlStatusReason::UserRevoked, now);
            return Ok(());
        }
        self.revoke(
            seq,
            StreamUrlStatusReason::RevokedAndTerminatingSessions,
            now,
        );
        let sessions = self.stream_urls[&seq].sessions.clone();
        for session in sessions {
            let Some(status) = self.sessions.get(&session).map(|r| r.session.status()) else {
                continue;
            };
            let input = match status {
                SessionStatus::Activating => Input::ActivationFailed(StatusReason::InternalError),
                s if s.is_running() => Input::Terminate,
                _ => continue,
            };
            // Both inputs are allowed in the statuses matched above.
            let _ = self.session_input(session, now, input);
        }
        self.stream_url_sessions_changed(seq, now);
        Ok(())
    }

    /// Starts a stream session with a stream URL, as AWS's hosted player does when someone opens
    /// it: the URL's frozen settings, `signal_request` from the player, one use spent. Not an API
    /// operation (the mock server serves it under `/_mock/`), so not throttled; `token` is the
    /// credential, so no account is asked for.
    ///
    /// A token that does not match is AccessDenied, a URL that is not `ACTIVE` a Conflict. A
    /// start that fails (the group is not `ACTIVE` any more, the offer is empty…) spends no use.
    pub fn open_stream_url(
        &mut self,
        now: DateTime<Utc>,
        stream_url_id: &str,
        token: &str,
        signal_request: &str,
    ) -> Result<StartStreamSessionOutput, ApiError> {
        let now = self.begin_internal(now);
        let not_found = || ApiError::not_found(ResourceType::StreamUrl, stream_url_id);
        let seq = ResourceId::new(stream_url_id)
            .and_then(|id| self.index.stream_urls.get(&id))
            .copied()
            .ok_or_else(not_found)?;
        let r = &self.stream_urls[&seq];
        if !constant_time_eq(r.token.as_bytes(), token.as_bytes()) {
            return Err(ApiError::AccessDenied {
                message: format!("The token is not the token of stream URL {}", r.id),
            });
        }
        if r.status != StreamUrlStatus::Active {
            return Err(ApiError::conflict(format!(
                "Stream URL {} is {}; only an ACTIVE stream URL starts stream sessions",
                r.id, r.status
            )));
        }
        let s = &r.settings;
        // The URL's own account starts the session, so its IDs name the group and application.
        let input = StartStreamSessionInput {
            identifier: r.group_id.to_string(),
            application_identifier: Some(r.application.to_string()),
            protocol: Some(s.protocol),
            signal_request: Some(SensitiveString::new(signal_request)),
            locations: Some(s.locations.clone()).filter(|l| !l.is_empty()),
            session_length_seconds: Some(s.session_length_seconds),
            additional_launch_args: s.additional_launch_args.clone(),
            additional_environment_variables: s.additional_environment_variables.clone(),
            role_arn: s.role_arn.clone(),
            display_configuration: s.display_configuration.clone(),
            ..Default::default()
        };
        let session = self.start_session(r.account, now, &input, Some(seq))?;
        let r = self.stream_urls.get_mut(&seq).expect("found above");
        r.sessions.push(session);
        if r.remaining_uses() == 0 {
            self.end_stream_url(seq, StreamUrlStatus::LimitReached, None, now);
        }
        Ok(self.start_output(session))
    }

    /// The agenda fired for stream URL `seq` at `at`: it expires, or its retention is over.
    pub(super) fn service_stream_url(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(r) = self.stream_urls.get_mut(&seq) else {
            return;
        };
        r.due = None;
        if r.status == StreamUrlStatus::Active {
            if at >= r.expires_at {
                self.end_stream_url(seq, StreamUrlStatus::Expired, None, at);
            } else {
                self.reschedule_stream_url(seq);
            }
            return;
        }
        let r = self.stream_urls.remove(&seq).expect("found above");
        self.index.stream_urls.remove(&r.id);
        if let Some(account) = self.index.accounts.get_mut(&r.account) {
            account.stream_urls.remove(&seq);
        }
    }

    /// Revokes the URLs a deleted stream group or application leaves behind.
    pub(super) fn revoke_stream_urls_of(
        &mut self,
        account: AccountId,
        matches: impl Fn(&StreamUrlRecord) -> bool,
        reason: StreamUrlStatusReason,
        now: DateTime<Utc>,
    ) {
        let Some(a) = self.index.accounts.get(&account) else {
            return;
        };
        let seqs: Vec<u64> = a
            .stream_urls
            .iter()
            .copied()
            .filter(|s| matches(&self.stream_urls[s]))
            .collect();
        for seq in seqs {
            self.revoke(seq, reason, now);
        }
    }

    /// A session of stream URL `url` ended: a URL whose sessions were being terminated may now
    /// have none left.
    pub(super) fn stream_url_sessions_changed(&mut self, url: u64, at: DateTime<Utc>) {
        let Some(r) = self.stream_urls.get(&url) else {
            return;
        };
        if r.reason != Some(StreamUrlStatusReason::RevokedAndTerminatingSessions) {
            return;
        }
        let all_ended = r.sessions.iter().all(|s| {
            self.sessions
                .get(s)
                .is_none_or(|s| s.session.status().is_terminal())
        });
        if all_ended {
            let (account, arn) = (r.account, self.stream_url_arn_of(url));
            let r = self.stream_urls.get_mut(&url).expect("found above");
            r.reason = Some(StreamUrlStatusReason::RevokedAndSessionsTerminated);
            self.emit(
                account,
                arn,
                at,
                Change::StreamUrl {
                    from: Some(StreamUrlStatus::Revoked),
                    to: StreamUrlStatus::Revoked,
                    reason: Some(StreamUrlStatusReason::RevokedAndSessionsTerminated),
                },
            );
        }
    }

    /// `REVOKED` with `reason`, unless it is revoked already.
    fn revoke(&mut self, seq: u64, reason: StreamUrlStatusReason, now: DateTime<Utc>) {
        let r = &self.stream_urls[&seq];
        match r.status {
            StreamUrlStatus::Revoked
                if !(r.reason == Some(StreamUrlStatusReason::UserRevoked)
                    && reason == StreamUrlStatusReason::RevokedAndTerminatingSessions) => {}
            _ => self.end_stream_url(seq, StreamUrlStatus::Revoked, Some(reason), now),
        }
    }

    /// Moves a URL to `status` (from `ACTIVE`, or to `REVOKED` from any other) and reports it.
    fn end_stream_url(
        &mut self,
        seq: u64,
        status: StreamUrlStatus,
        reason: Option<StreamUrlStatusReason>,
        at: DateTime<Utc>,
    ) {
        let r = self
            .stream_urls
            .get_mut(&seq)
            .expect("callers pass a live URL");
        let from = r.status;
        r.status = status;
        r.reason = reason;
        if r.ended_at.is_none() {
            r.ended_at = Some(at);
        }
        let (account, arn) = (r.account, self.stream_url_arn_of(seq));
        self.emit(
            account,
            arn,
            at,
            Change::StreamUrl {
                from: Some(from),
                to: status,
                reason,
            },
        );
        self.reschedule_stream_url(seq);
    }

    pub(super) fn reschedule_stream_url(&mut self, seq: u64) {
        let retention = self.config.retention;
        let Some(r) = self.stream_urls.get_mut(&seq) else {
            return;
        };
        let due = r.next_due(retention);
        self.agenda.reschedule(Task::StreamUrl(seq), r.due, due);
        r.due = due;
    }

    /// The stream URL the two `Identifier` members name, for `caller`: the URL is looked up by
    /// its own ID (it outlives its group), and must be of the named group.
    fn stream_url_seq(&self, caller: AccountId, group: &str, url: &str) -> Result<u64, ApiError> {
        let (group_id, _) =
            self.parse_identifier(caller, "identifier", group, ResourceType::StreamGroup)?;
        let parsed = IdentifierRef::parse(url);
        let (url_id, arn_group) = self.check_identifier(
            caller,
            "streamUrlIdentifier",
            url,
            parsed,
            ResourceType::StreamUrl,
        )?;
        let not_found = || ApiError::not_found(ResourceType::StreamUrl, url);
        if arn_group.is_some_and(|g| g != group_id) {
            return Err(not_found());
        }
        ResourceId::new(url_id)
            .and_then(|id| self.index.stream_urls.get(&id))
            .copied()
            .filter(|seq| {
                let r = &self.stream_urls[seq];
                r.account == caller && r.group_id.as_str() == group_id
            })
            .ok_or_else(not_found)
    }

    fn stream_url_arn_of(&self, seq: u64) -> String {
        let r = &self.stream_urls[&seq];
        stream_url_arn(
            &self.config.region,
            r.account,
            r.group_id.as_str(),
            r.id.as_str(),
        )
    }

    /// The `StreamUrl` member: where the URL points, with its token.
    fn stream_url_link(&self, r: &StreamUrlRecord) -> SensitiveString {
        SensitiveString::new(format!(
            "{}/{}/stream?token={}",
            self.config.stream_url_base,
            r.id,
            r.token.as_str()
        ))
    }

    fn stream_url_summary(&self, r: &StreamUrlRecord) -> StreamUrlSummary {
        stream_url_output!(self, r, StreamUrlSummary {})
    }

    fn create_output(&self, seq: u64) -> CreateStreamUrlOutput {
        let r = &self.stream_urls[&seq];
        stream_url_output!(self, r, CreateStreamUrlOutput with settings {})
    }

    /// Checks the stream URLs' own invariants (for [`Engine::check_invariants`]).
    pub(super) fn check_stream_url_invariants(&self) -> Result<(), String> {
        let retention = self.config.retention;
        for (seq, r) in &self.stream_urls {
            let id = r.id;
            if r.seq != *seq || self.index.stream_urls.get(&id) != Some(seq) {
                return Err(format!("stream URL {id} is not indexed"));
            }
            if !self
                .index
                .accounts
                .get(&r.account)
                .is_some_and(|a| a.stream_urls.contains(seq))
            {
                return Err(format!("stream URL {id} is not listed for its account"));
            }
            if r.sessions.len() as u64 > u64::from(r.usage_limit) {
                return Err(format!(
                    "stream URL {id} started more sessions than its limit"
                ));
            }
            let active = r.status == StreamUrlStatus::Active;
            if active != r.ended_at.is_none()
                || (active && r.remaining_uses() == 0)
                || (r.status == StreamUrlStatus::LimitReached && r.remaining_uses() != 0)
                || r.reason.is_some() != (r.status == StreamUrlStatus::Revoked)
            {
                return Err(format!(
                    "stream URL {id} is {} ({:?}) with {} uses left, ended at {:?}",
                    r.status,
                    r.reason,
                    r.remaining_uses(),
                    r.ended_at
                ));
            }
            let due = r.next_due(retention);
            if r.due != due || due.is_some_and(|d| !self.agenda.contains(d, Task::StreamUrl(*seq)))
            {
                return Err(format!("stream URL {id} is scheduled wrongly"));
            }
        }
        if self.index.stream_urls.len() != self.stream_urls.len() {
            return Err("the stream URL index miscounts".into());
        }
        Ok(())
    }
}

/// Whether `a == b`, in time that depends on the lengths only.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
