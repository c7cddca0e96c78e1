//! The engine: every account's applications, stream groups and stream sessions in one region,
//! behind the API operations. Still pure: every operation takes the caller and `now`, and the
//! engine never reads a clock.
//!
//! Each operation first calls [`Engine::advance`] with its `now`, so asynchronous steps that are
//! due (a group activating, a session being placed) complete before the request is answered.

mod access;
mod agenda;
mod applications;
mod call;
mod config;
mod error;
mod events;
mod faults;
mod groups;
mod guard;
mod ledger;
mod listing;
mod names;
mod responder;
mod session_ids;
mod sessions;
mod snapshot;
mod stream_urls;
mod table;
mod tags;
mod token;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use chrono::{DateTime, Utc};

pub use self::access::{MAX_SHADER_CACHES, ShaderCacheSeed};
pub use self::call::{Request, Response};
pub use self::config::{
    Delays, EngineConfig, PlacementTimeouts, Quotas, SignalPolicy, StartPolicy,
};
pub use self::error::ApiError;
pub use self::events::{Change, EngineEvent};
pub use self::faults::InfrastructureFault;
pub use self::guard::{FaultRule, FaultTrigger, Throttling};
pub use self::responder::{
    DefaultResponder, NO_CLIENT_CONNECTION, SignalContext, SignalResponder, is_json_offer,
};
pub use self::sessions::{Observation, SessionView};
pub use self::snapshot::{
    OLDEST_SNAPSHOT_VERSION, RestoreError, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, Snapshot,
};
pub use self::stream_urls::STREAM_URL_SESSION_LENGTH_SECONDS;
pub use self::tags::MAX_TAGS_PER_RESOURCE;

use self::agenda::{Agenda, Task};
use self::applications::ApplicationRecord;
use self::groups::GroupRecord;
use self::names::LocationNames;
use self::session_ids::SessionIds;
use self::sessions::SessionRecord;
use self::stream_urls::StreamUrlRecord;
use self::table::{SessionList, SessionTable};
use crate::arn::{AccountId, IdGenerator, IdentifierRef, ResourceId, ResourceType};
use crate::error::{Constraint, ValidationError, Violation};

/// The GameLift Streams service of one region, for many accounts, as a pure state machine.
///
/// ```
/// use chrono::DateTime;
/// use gameliftstreams_lifecycle::api::*;
/// use gameliftstreams_lifecycle::{AccountId, Engine, EngineConfig, SessionStatus};
///
/// let now = DateTime::from_timestamp(1_767_268_800, 0).unwrap();
/// let me = AccountId::DEFAULT;
/// let mut engine = Engine::new(EngineConfig::default());
///
/// let app = engine.create_application(me, now, &CreateApplicationInput {
///     description: Some("My game".into()),
///     runtime_environment: Some(RuntimeEnvironment {
///         r#type: Some(RuntimeEnvironmentType::Proton),
///         version: Some("20241007".into()),
///     }),
///     executable_path: Some("bin/game.exe".into()),
///     application_source_uri: Some("s3://my-bucket/game".into()),
///     ..Default::default()
/// })?;
/// let group = engine.create_stream_group(me, now, &CreateStreamGroupInput {
///     description: Some("My group".into()),
///     stream_class: Some(StreamClass::Gen5nHigh),
///     default_application_identifier: app.arn.clone(),
///     ..Default::default()
/// })?;
/// // Both settle at the next request (every delay is 0 s by default).
/// let session = engine.start_stream_session(me, now, &StartStreamSessionInput {
///     identifier: group.arn.clone().unwrap(),
///     protocol: Some(Protocol::WebRtc),
///     signal_request: Some("v=0 offer".into()),
///     application_identifier: app.arn.clone(),
///     ..Default::default()
/// })?;
/// assert_eq!(session.status, Some(SessionStatus::Activating));
/// let session = engine.get_stream_session(me, now, &GetStreamSessionInput {
///     identifier: group.arn.clone().unwrap(),
///     stream_session_identifier: session.arn.clone().unwrap(),
/// })?;
/// assert_eq!(session.status, Some(SessionStatus::Active));
/// assert!(session.signal_response.is_some());
/// # Ok::<(), gameliftstreams_lifecycle::ApiError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Engine {
    config: EngineConfig,
    responder: Arc<dyn SignalResponder>,
    /// The latest `now` seen.
    now: DateTime<Utc>,
    ids: IdGenerator,
    /// The next creation sequence number, shared by every resource: listing order.
    next_seq: u64,
    applications: BTreeMap<u64, ApplicationRecord>,
    groups: BTreeMap<u64, GroupRecord>,
    sessions: SessionTable,
    /// Stream URLs, by sequence number.
    stream_urls: BTreeMap<u64, StreamUrlRecord>,
    /// Stream session IDs, which encode the sequence number: no index of them is needed.
    session_ids: SessionIds,
    /// The locations sessions hold slots in.
    location_names: LocationNames,
    /// Groups deleted while sessions of theirs remain (for the sessions' ARNs), with how many.
    retired_groups: BTreeMap<u64, RetiredGroup>,
    events: VecDeque<EngineEvent>,
    guard: guard::Guard,
    ledger: ledger::Ledger,
    /// Infrastructure faults scheduled, by ID.
    faults: BTreeMap<u64, faults::Scheduled>,
    next_fault: u64,
    // Derived from the records above (rebuilt on restore).
    index: Index,
    agenda: Agenda,
}

/// Resource IDs to creation sequence numbers. The keys are the engine's own random IDs (a
/// caller only ever looks one up), so a fast multiply-rotate hash serves instead of SipHash,
/// and it is deterministic.
type IdMap = HashMap<ResourceId, u64, BuildHasherDefault<IdHasher>>;

/// The FxHash word mix (as in rustc): a rotate, a xor and a multiply per word written.
#[derive(Clone, Copy, Debug, Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl IdHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A deleted group some sessions of which remain.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RetiredGroup {
    id: ResourceId,
    account: AccountId,
    session_arn_prefix: Box<str>,
    /// How many of its sessions remain.
    sessions: usize,
}

/// Lookups derived from the records.
#[derive(Clone, Debug, Default)]
struct Index {
    applications: IdMap,
    groups: IdMap,
    stream_urls: IdMap,
    accounts: BTreeMap<AccountId, AccountIndex>,
}

/// One account's resources, in creation order.
#[derive(Clone, Debug, Default)]
struct AccountIndex {
    applications: BTreeSet<u64>,
    groups: BTreeSet<u64>,
    sessions: SessionList,
    stream_urls: BTreeSet<u64>,
}

impl Engine {
    /// An empty engine. A configuration that fails [`EngineConfig::validate`] is refused.
    pub fn try_new(config: EngineConfig) -> Result<Engine, crate::ValidationError> {
        config.validate()?;
        Ok(Engine::new(config))
    }

    /// An empty engine. The configuration is trusted: use [`Engine::try_new`] for one from
    /// outside.
    pub fn new(config: EngineConfig) -> Engine {
        Engine {
            ids: IdGenerator::new(config.seed),
            session_ids: SessionIds::new(config.seed),
            config,
            responder: Arc::new(DefaultResponder),
            now: DateTime::<Utc>::MIN_UTC,
            next_seq: 0,
            applications: BTreeMap::new(),
            groups: BTreeMap::new(),
            sessions: SessionTable::default(),
            stream_urls: BTreeMap::new(),
            location_names: LocationNames::default(),
            retired_groups: BTreeMap::new(),
            events: VecDeque::new(),
            guard: guard::Guard::default(),
            ledger: ledger::Ledger::default(),
            faults: BTreeMap::new(),
            next_fault: 0,
            index: Index::default(),
            agenda: Agenda::default(),
        }
    }

    /// The engine with `responder` producing signal responses.
    pub fn with_responder(mut self, responder: Arc<dyn SignalResponder>) -> Engine {
        self.responder = responder;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Replaces the configuration from now on (delays and timeouts already scheduled keep
    /// their times). The region and the seed name existing resources and cannot change.
    pub fn set_config(&mut self, config: EngineConfig) -> Result<(), crate::ValidationError> {
        config.validate()?;
        for (member, same) in [
            ("Region", config.region == self.config.region),
            ("Seed", config.seed == self.config.seed),
        ] {
            if !same {
                return Err(crate::ValidationError::single(crate::Violation::new(
                    member,
                    "(changed)",
                    crate::Constraint::Rule(
                        "Member cannot change on a running engine; reset it instead".into(),
                    ),
                )));
            }
        }
        if config.faults != self.config.faults {
            self.guard.reset_faults();
        }
        self.config = config;
        Ok(())
    }

    /// The region served.
    pub fn region(&self) -> &str {
        &self.config.region
    }

    /// The latest `now` seen (`DateTime::MIN_UTC` before the first call).
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Completes every asynchronous step and fires every timer due at or before `now`, in due
    /// order. Costs O(fired · log n): only due resources are touched. A `now` earlier than one
    /// already seen is taken as the latest one seen.
    pub fn advance(&mut self, now: DateTime<Utc>) {
        if now > self.now {
            // Kept to the microsecond, as every session keeps it (see `Timestamp`).
            self.now = crate::time::truncate(now);
        }
        let now = self.now;
        while let Some((at, task)) = self.agenda.pop_due(now) {
            match task {
                Task::Application(seq) => self.service_application(seq, at),
                Task::StreamGroup(seq) => self.service_group(seq, at),
                Task::StreamUrl(seq) => self.service_stream_url(seq, at),
                Task::StreamSession(seq) => self.service_session(seq, at),
                Task::Fault(id) => self.fire_fault(id, at),
                Task::Ledger => {
                    self.ledger.expire(at);
                    self.reschedule_ledger(Some(at));
                }
            }
        }
    }

    /// The earliest time at which [`advance`](Self::advance) has something to do.
    pub fn poll_timeout(&self) -> Option<DateTime<Utc>> {
        self.agenda.next()
    }

    /// The next status change, oldest first. Drain after every call.
    pub fn poll_event(&mut self) -> Option<EngineEvent> {
        let event = self.events.pop_front();
        if event.is_none() {
            self.release_event_queue();
        }
        event
    }

    /// Every pending event, oldest first.
    pub fn drain_events(&mut self) -> impl Iterator<Item = EngineEvent> + '_ {
        // Taken whole, so that the queue's memory goes with the iterator.
        std::mem::take(&mut self.events).into_iter()
    }

    /// Drops the oldest pending events beyond the newest `keep`, and answers how many were
    /// dropped: for an embedder that may go a long time without draining (a mock server
    /// nobody polls), so that the queue cannot grow without bound.
    pub fn discard_old_events(&mut self, keep: usize) -> usize {
        let excess = self.events.len().saturating_sub(keep);
        self.events.drain(..excess);
        self.release_event_queue();
        excess
    }

    /// The number of pending events.
    pub fn pending_events(&self) -> usize {
        self.events.len()
    }

    /// The pending events, oldest first, read without draining them: for an adapter that
    /// watches the log (the mock's dashboard) while the embedder drains it.
    pub fn peek_events(
        &self,
    ) -> impl DoubleEndedIterator<Item = &EngineEvent> + ExactSizeIterator + '_ {
        self.events.iter()
    }

    /// The accounts that own a resource (or did, while its records remain), in order.
    pub fn accounts(&self) -> impl Iterator<Item = AccountId> + '_ {
        self.index.accounts.keys().copied()
    }

    /// The sequence numbers of `account`'s resources of one kind (`kind` picks the set from
    /// its index), in creation order; none for an account that has none.
    fn owned(
        &self,
        account: AccountId,
        kind: fn(&AccountIndex) -> &BTreeSet<u64>,
    ) -> impl Iterator<Item = &u64> + '_ {
        self.index
            .accounts
            .get(&account)
            .map(kind)
            .into_iter()
            .flatten()
    }

    /// Gives back the memory of a large, drained event queue (a burst, such as a million
    /// sessions placed at once, would otherwise keep its peak for good).
    fn release_event_queue(&mut self) {
        const KEEP: usize = 1024;
        if self.events.capacity() > KEEP && self.events.len() <= KEEP {
            self.events.shrink_to(KEEP);
        }
    }

    /// Checks every internal invariant, for tests and fuzzers.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), String> {
        if self.sessions.len() != self.sessions.iter().count() {
            return Err("the session table miscounts its sessions".into());
        }
        for (seq, s) in self.sessions.iter() {
            let id = self.session_ids.id(seq);
            s.session.check_invariants()?;
            if s.answered
                && s.session.latest_offer_digest() != crate::fnv::fnv1a(s.signal_request.as_bytes())
            {
                return Err(format!(
                    "session {id}'s signal request is not the latest offer the session took"
                ));
            }
            if self.session_ids.seq(id.as_str()) != Some(seq) {
                return Err(format!("session {id} does not decode to {seq}"));
            }
            let due = s.next_due();
            if s.due.timestamp() != due
                || due.is_some_and(|d| !self.agenda.contains_at(d, Task::StreamSession(seq)))
            {
                return Err(format!(
                    "session {id} is scheduled at {:?}, due {due:?}",
                    s.due
                ));
            }
            if s.session.status().is_terminal() && (s.slot.is_some() || s.waiting) {
                return Err(format!(
                    "ended session {id} still holds or waits for a slot"
                ));
            }
            if s.waiting && s.slot.is_some() {
                return Err(format!("session {id} both waits and holds a slot"));
            }
            if s.slot.is_some_and(|l| self.location_names.get(l).is_none()) {
                return Err(format!("session {id} holds a slot in an unknown location"));
            }
            let launching = matches!(
                s.next,
                sessions::Next::Launch | sessions::Next::FailActivation(_)
            );
            if launching && (s.slot.is_none() || s.waiting) {
                return Err(format!("session {id} is to launch without a slot"));
            }
            let stepping = !matches!(s.next, sessions::Next::Nothing | sessions::Next::Forget);
            if s.next_at.is_some() == (s.next == sessions::Next::Nothing)
                || (s.next == sessions::Next::Forget) != s.session.status().is_terminal()
                || (stepping && s.session.status().is_terminal())
            {
                return Err(format!(
                    "session {id} has next {:?} at {:?} in {}",
                    s.next,
                    s.next_at,
                    s.session.status()
                ));
            }
            if !self.groups.contains_key(&s.group_seq)
                && !self.retired_groups.contains_key(&s.group_seq)
            {
                return Err(format!("session {id} has no group, live or retired"));
            }
            if let Some(g) = self.groups.get(&s.group_seq) {
                if g.account != s.account {
                    return Err(format!("session {id} is not of its group's account"));
                }
                if g.waiting.contains(&seq) != s.waiting {
                    return Err(format!(
                        "session {id} waiting flag disagrees with its group"
                    ));
                }
            }
        }
        // How many sessions each group, account and (group, location) has, in one pass: the
        // checks below then cost O(n log n), not a pass over the sessions per group or list.
        let mut of_group: BTreeMap<u64, usize> = BTreeMap::new();
        let mut of_account: BTreeMap<AccountId, usize> = BTreeMap::new();
        let mut holders: BTreeMap<(u64, &str), u32> = BTreeMap::new();
        for s in self.sessions.values() {
            *of_group.entry(s.group_seq).or_default() += 1;
            *of_account.entry(s.account).or_default() += 1;
            if let Some(l) = s.slot {
                *holders
                    .entry((s.group_seq, self.location_names.name(l)))
                    .or_default() += 1;
            }
        }
        let lists = (self.groups.iter())
            .map(|(seq, g)| (&g.sessions, Some(*seq), None))
            .chain(
                (self.index.accounts.iter())
                    .map(|(account, a)| (&a.sessions, None, Some(*account))),
            );
        for (list, group_seq, account) in lists {
            let belongs = |r: &SessionRecord| {
                group_seq.is_none_or(|g| r.group_seq == g) && account.is_none_or(|a| r.account == a)
            };
            let members = match (group_seq, account) {
                (Some(g), _) => of_group.get(&g),
                (None, Some(a)) => of_account.get(&a),
                (None, None) => None,
            }
            .copied()
            .unwrap_or(0);
            let listed = list
                .range_from(0)
                .filter_map(|s| self.sessions.get(&s))
                .filter(|r| belongs(r))
                .count();
            if list.live() != members || listed != members {
                let owner = match (group_seq, account) {
                    (Some(g), _) => format!("group {}", self.groups[&g].id),
                    (None, Some(a)) => format!("account {a}"),
                    (None, None) => "a session list".into(),
                };
                return Err(format!(
                    "{owner} lists {listed} of its {members} sessions and counts {}",
                    list.live()
                ));
            }
        }
        for (seq, r) in &self.retired_groups {
            let members = of_group.get(seq).copied().unwrap_or(0);
            if self.groups.contains_key(seq) || r.sessions == 0 || r.sessions != members {
                return Err(format!(
                    "retired group {} counts {} sessions, has {members}",
                    r.id, r.sessions
                ));
            }
        }
        let region = self.config.region.as_str();
        let prefixes = self
            .groups
            .values()
            .map(|g| (g.id, g.account, &g.session_arn_prefix))
            .chain(
                self.retired_groups
                    .values()
                    .map(|r| (r.id, r.account, &r.session_arn_prefix)),
            );
        for (id, account, prefix) in prefixes {
            if **prefix != *groups::session_arn_prefix(region, account, id) {
                return Err(format!("group {id} has a stale session ARN prefix"));
            }
        }
        for (seq, g) in &self.groups {
            if self.index.groups.get(&g.id) != Some(seq) {
                return Err(format!("group {} is not indexed", g.id));
            }
            for loc in &g.locations {
                let holders = holders
                    .get(&(*seq, loc.name.as_str()))
                    .copied()
                    .unwrap_or(0);
                if holders != loc.in_use {
                    return Err(format!(
                        "group {} location {}: {} slots in use, {holders} sessions hold one",
                        g.id, loc.name, loc.in_use
                    ));
                }
            }
            if g.status != g.derived_status() {
                return Err(format!("group {} reported status is stale", g.id));
            }
            let due = g.next_due();
            if g.due != due
                || due.is_some_and(|d| !self.agenda.contains(d, Task::StreamGroup(*seq)))
            {
                return Err(format!("group {} is scheduled wrongly", g.id));
            }
        }
        for (seq, a) in &self.applications {
            if self.index.applications.get(&a.id) != Some(seq) {
                return Err(format!("application {} is not indexed", a.id));
            }
            let due = a.next_due();
            if a.due != due
                || due.is_some_and(|d| !self.agenda.contains(d, Task::Application(*seq)))
            {
                return Err(format!("application {} is scheduled wrongly", a.id));
            }
        }
        let scheduled = self.sessions.values().filter(|s| s.due.is_some()).count()
            + self.groups.values().filter(|g| g.due.is_some()).count()
            + self
                .applications
                .values()
                .filter(|a| a.due.is_some())
                .count()
            + self
                .stream_urls
                .values()
                .filter(|u| u.due.is_some())
                .count()
            + self.faults.len()
            + usize::from(self.ledger.next_expiry().is_some());
        self.check_stream_url_invariants()?;
        if let Some(at) = self.ledger.next_expiry() {
            if !self.agenda.contains(at, Task::Ledger) {
                return Err("the ledger's next expiry is not scheduled".into());
            }
        }
        for (id, fault) in &self.faults {
            if !self.agenda.contains(fault.at, Task::Fault(*id)) {
                return Err(format!("fault {id} is not scheduled"));
            }
        }
        if scheduled != self.agenda.len() {
            return Err(format!(
                "{} agenda entries for {scheduled} scheduled items: {:?}",
                self.agenda.len(),
                self.agenda
            ));
        }
        Ok(())
    }

    /// Starts a request to `operation`: time passes first, then throttling and fault rules
    /// have their say (Throttling comes before every other error).
    fn begin(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        operation: crate::api::Operation,
    ) -> Result<DateTime<Utc>, ApiError> {
        self.advance(now);
        let now = self.now;
        self.guard
            .throttle(&self.config.throttling, caller, operation, now)?;
        self.guard
            .fault(&self.config.faults, self.config.seed, operation)?;
        Ok(now)
    }

    /// Starts an infrastructure observation: time passes, nothing else.
    fn begin_internal(&mut self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.advance(now);
        self.now
    }

    /// What the ledger says of a call with `token`: `None` to perform it, the recorded result
    /// to replay it, or a Conflict for a token used with a different request.
    fn idempotency(
        &self,
        caller: AccountId,
        operation: crate::api::Operation,
        token: Option<&str>,
        fingerprint: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<ledger::Recorded>, ApiError> {
        let Some(token) = token else {
            return Ok(None);
        };
        match self
            .ledger
            .check(caller, operation, token, fingerprint, now)
        {
            ledger::Seen::New => Ok(None),
            ledger::Seen::Replay(recorded) => Ok(Some(recorded.clone())),
            ledger::Seen::Mismatch => Err(ApiError::conflict(format!(
                "ClientToken '{token}' was already used with a different {operation} request"
            ))),
        }
    }

    /// Records the result of a successful call made with `token`.
    fn remember(
        &mut self,
        caller: AccountId,
        operation: crate::api::Operation,
        token: Option<&str>,
        fingerprint: u64,
        recorded: ledger::Recorded,
        now: DateTime<Utc>,
    ) {
        let Some(token) = token else {
            return;
        };
        let old = self.ledger.next_expiry();
        let expires_at = crate::time::deadline_after(now, self.config.client_token_lifetime);
        self.ledger.record(
            caller,
            operation,
            token.to_owned(),
            fingerprint,
            recorded,
            expires_at,
        );
        self.reschedule_ledger(old);
    }

    /// Keeps the ledger's agenda entry at its next expiry; `old` is the entry it had.
    fn reschedule_ledger(&mut self, old: Option<DateTime<Utc>>) {
        let next = self.ledger.next_expiry();
        self.agenda.reschedule(Task::Ledger, old, next);
    }

    /// The next creation sequence number, taken; refused (changing nothing) once the engine
    /// has numbered [`MAX_SEQ`] resources.
    fn next_seq(&mut self) -> Result<u64, ApiError> {
        let seq = self.next_seq;
        match seq.checked_add(1).filter(|next| *next <= MAX_SEQ) {
            Some(next) => {
                self.next_seq = next;
                Ok(seq)
            }
            None => Err(ApiError::ServiceQuotaExceeded {
                message: format!(
                    "The engine has created {seq} resources, the most it numbers ({MAX_SEQ})"
                ),
            }),
        }
    }

    fn emit(&mut self, account: AccountId, arn: String, at: DateTime<Utc>, change: Change) {
        self.events.push_back(EngineEvent {
            account,
            arn,
            at,
            change,
        });
    }

    fn account_mut(&mut self, account: AccountId) -> &mut AccountIndex {
        self.index.accounts.entry(account).or_default()
    }

    /// Reads an `Identifier` member naming a resource of type `expected`: its ID, and for a
    /// stream session ARN the group ID it names too. Reads in place, without allocating.
    ///
    /// An ARN of another type is a Validation error, of another account AccessDenied, of another
    /// region ResourceNotFound.
    fn parse_identifier<'a>(
        &self,
        caller: AccountId,
        member: &'static str,
        value: &'a str,
        expected: ResourceType,
    ) -> Result<(&'a str, Option<&'a str>), ApiError> {
        self.check_identifier(caller, member, value, IdentifierRef::parse(value), expected)
    }

    /// [`parse_identifier`](Self::parse_identifier) of what `IdentifierRef::parse` made of
    /// `value`.
    fn check_identifier<'a>(
        &self,
        caller: AccountId,
        member: &'static str,
        value: &'a str,
        parsed: Result<IdentifierRef<'a>, crate::arn::ArnError>,
        expected: ResourceType,
    ) -> Result<(&'a str, Option<&'a str>), ApiError> {
        let parsed = parsed.map_err(|e| {
            ValidationError::single(Violation::new(
                member,
                value,
                Constraint::Rule(e.to_string().into()),
            ))
        })?;
        let Some(arn) = parsed.arn else {
            return Ok((parsed.id, None));
        };
        let found = arn.resource;
        if found != expected {
            return Err(ValidationError::single(Violation::new(
                member,
                value,
                Constraint::Rule(
                    format!(
                        "Member must be the ID or ARN of {}, not of {}",
                        expected.with_article(),
                        found.with_article()
                    )
                    .into(),
                ),
            ))
            .into());
        }
        if arn.account != caller {
            return Err(ApiError::not_owner(caller, value, arn.account));
        }
        if arn.region != self.config.region {
            return Err(ApiError::not_found(expected, value));
        }
        Ok((parsed.id, arn.group))
    }

    /// The application `value` names, for `caller`.
    fn application_seq(
        &self,
        caller: AccountId,
        member: &'static str,
        value: &str,
    ) -> Result<u64, ApiError> {
        let (id, _) = self.parse_identifier(caller, member, value, ResourceType::Application)?;
        self.application_seq_of(caller, id, value)
    }

    /// The application with ID `id` (read from `value`), for `caller`.
    fn application_seq_of(
        &self,
        caller: AccountId,
        id: &str,
        value: &str,
    ) -> Result<u64, ApiError> {
        ResourceId::new(id)
            .and_then(|id| self.index.applications.get(&id))
            .copied()
            .filter(|seq| self.applications[seq].account == caller)
            .ok_or_else(|| ApiError::not_found(ResourceType::Application, value))
    }

    /// The stream group `value` names, for `caller`.
    fn group_seq(
        &self,
        caller: AccountId,
        member: &'static str,
        value: &str,
    ) -> Result<u64, ApiError> {
        let (id, _) = self.parse_identifier(caller, member, value, ResourceType::StreamGroup)?;
        self.group_seq_of(caller, id, value)
    }

    /// The stream group with ID `id` (read from `value`), for `caller`.
    fn group_seq_of(&self, caller: AccountId, id: &str, value: &str) -> Result<u64, ApiError> {
        ResourceId::new(id)
            .and_then(|id| self.index.groups.get(&id))
            .copied()
            .filter(|seq| self.groups[seq].account == caller)
            .ok_or_else(|| ApiError::not_found(ResourceType::StreamGroup, value))
    }

    /// The stream session `session` names within the group `group` names, for `caller`. The
    /// group need not exist any more (sessions outlive a deleted group for the retention time),
    /// but it must be the session's group.
    fn session_seq(&self, caller: AccountId, group: &str, session: &str) -> Result<u64, ApiError> {
        self.session_seq_validated(caller, group, session, || Ok(()))
    }

    /// [`session_seq`](Self::session_seq) of a request's two `Identifier` members, validating
    /// the request with `validate` first. Reads each member once: when both parse and their
    /// lengths hold, they are valid members (see `parsed_identifier_is_valid`) and `validate`
    /// is skipped; otherwise it runs, and reports what the model says is wrong.
    fn session_seq_validated(
        &self,
        caller: AccountId,
        group: &str,
        session: &str,
        validate: impl FnOnce() -> Result<(), ValidationError>,
    ) -> Result<u64, ApiError> {
        let named = self.read_session_identifiers(caller, group, session, validate)?;
        self.find_session(caller, named)
    }

    /// The first half of [`session_seq_validated`](Self::session_seq_validated): the request
    /// validated and both identifiers read and checked (type, account, region), without looking
    /// the session up.
    fn read_session_identifiers<'a>(
        &self,
        caller: AccountId,
        group: &'a str,
        session: &'a str,
        validate: impl FnOnce() -> Result<(), ValidationError>,
    ) -> Result<SessionIdentifiers<'a>, ApiError> {
        let (group_ref, session_ref) = (IdentifierRef::parse(group), IdentifierRef::parse(session));
        let valid = group_ref.is_ok()
            && session_ref.is_ok()
            && crate::api::parsed_identifier_is_valid(group)
            && crate::api::parsed_identifier_is_valid(session);
        if !valid {
            validate()?;
        }
        let (group_id, _) = self.check_identifier(
            caller,
            "identifier",
            group,
            group_ref,
            ResourceType::StreamGroup,
        )?;
        let (session_id, arn_group) = self.check_identifier(
            caller,
            "streamSessionIdentifier",
            session,
            session_ref,
            ResourceType::StreamSession,
        )?;
        Ok(SessionIdentifiers {
            session,
            group_id,
            session_id,
            arn_group,
        })
    }

    /// The second half: the session the identifiers name, if it is the caller's and in the
    /// named group (which need not exist any more).
    fn find_session(
        &self,
        caller: AccountId,
        named: SessionIdentifiers<'_>,
    ) -> Result<u64, ApiError> {
        let not_found = || ApiError::not_found(ResourceType::StreamSession, named.session);
        if named.arn_group.is_some_and(|g| g != named.group_id) {
            return Err(not_found());
        }
        // The ID encodes the sequence number; the record confirms it is the caller's, in the
        // named group.
        let seq = self
            .session_ids
            .seq(named.session_id)
            .ok_or_else(not_found)?;
        match self.sessions.get(&seq) {
            Some(r)
                if r.account == caller
                    && self.session_group(r.group_seq).0.as_str() == named.group_id =>
            {
                Ok(seq)
            }
            _ => Err(not_found()),
        }
    }
}

/// What a request's group and session identifiers name, read but not yet looked up.
struct SessionIdentifiers<'a> {
    /// The session member as given (for a ResourceNotFound).
    session: &'a str,
    group_id: &'a str,
    session_id: &'a str,
    /// The group a session ARN names.
    arn_group: Option<&'a str>,
}

/// The most resources an engine numbers (and the most a snapshot's counters may say): 2^60,
/// well within the agenda's 61 bits, and beyond what any engine can create.
pub(crate) const MAX_SEQ: u64 = 1 << 60;

/// The `MaxResults` of a list request: 1–100, default 25.
fn max_results(value: Option<i32>) -> usize {
    value.map_or(25, |n| n.clamp(1, 100) as usize)
}
