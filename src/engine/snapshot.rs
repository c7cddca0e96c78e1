//! Snapshot and restore of the whole engine: resources, timers, queues and the ID generator.
//! A restored engine behaves exactly as the original from then on.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::agenda::{Agenda, Task};
use super::applications::ApplicationRecord;
use super::groups::{GroupRecord, session_arn_prefix};
use super::guard::Guard;
use super::names::LocationNames;
use super::sessions::SessionRecord;
use super::stream_urls::StreamUrlRecord;
use super::{Engine, EngineConfig, EngineEvent, RetiredGroup};
use super::{faults, ledger};
use crate::arn::{AccountId, IdGenerator, ResourceId};

/// The format name written into every snapshot.
pub const SNAPSHOT_FORMAT: &str = "gameliftstreams-lifecycle/engine";
/// The snapshot layout this build writes. It also reads every earlier version it can migrate
/// (see [`OLDEST_SNAPSHOT_VERSION`]).
pub const SNAPSHOT_VERSION: u32 = 3;

/// The oldest snapshot layout this build reads. Version 2 (before stream URLs, file exports and
/// shader caches) migrates as it loads: it has none of them, and every new member defaults.
pub const OLDEST_SNAPSHOT_VERSION: u32 = 2;

/// The serializable state of an [`Engine`], from [`Engine::snapshot`]. Serialize it with any
/// serde format; [`Engine::restore`] checks it before it becomes an engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    // Format and version come first, so that a snapshot of another layout is refused by name
    // before its body is read.
    format: Format,
    version: Version,
    config: EngineConfig,
    #[serde(with = "crate::time::rfc3339")]
    now: DateTime<Utc>,
    ids: IdGenerator,
    next_seq: u64,
    applications: Vec<ApplicationRecord>,
    groups: Vec<GroupRecord>,
    /// The sessions by sequence number.
    sessions: Vec<(u64, SessionRecord)>,
    /// The location names sessions' slots refer to.
    location_names: LocationNames,
    /// The IDs of deleted groups some sessions of which remain.
    retired_groups: Vec<(u64, ResourceId, AccountId)>,
    events: VecDeque<EngineEvent>,
    guard: Guard,
    client_tokens: Vec<ledger::Entry>,
    faults: Vec<(u64, faults::Scheduled)>,
    next_fault: u64,
    /// Since version 3.
    #[serde(default)]
    stream_urls: Vec<StreamUrlRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct Format(String);

impl<'de> Deserialize<'de> for Format {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s != SNAPSHOT_FORMAT {
            return Err(serde::de::Error::custom(format!(
                "not an engine snapshot: format is '{s}', expected '{SNAPSHOT_FORMAT}'"
            )));
        }
        Ok(Format(s))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct Version(u32);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = u32::deserialize(d)?;
        if !(OLDEST_SNAPSHOT_VERSION..=SNAPSHOT_VERSION).contains(&v) {
            return Err(serde::de::Error::custom(format!(
                "snapshot version {v} is not supported: this build reads versions \
                 {OLDEST_SNAPSHOT_VERSION} to {SNAPSHOT_VERSION}"
            )));
        }
        Ok(Version(v))
    }
}

/// The widest span of sequence numbers the sessions of a snapshot may have (2^30: a billion
/// resources created during one session's life and retention).
const MAX_SESSION_SPAN: u64 = 1 << 30;

/// A snapshot that cannot become an engine: it contradicts itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("inconsistent engine snapshot: {0}")]
pub struct RestoreError(pub String);

impl Engine {
    /// The engine's whole state. The signal responder is code, not state: a restored engine
    /// uses the default one unless given another with [`Engine::with_responder`].
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            format: Format(SNAPSHOT_FORMAT.into()),
            version: Version(SNAPSHOT_VERSION),
            config: self.config.clone(),
            now: self.now,
            ids: self.ids.clone(),
            next_seq: self.next_seq,
            applications: self.applications.values().cloned().collect(),
            // The derived session sets are left out: they are rebuilt on restore.
            groups: self
                .groups
                .values()
                .map(|g| GroupRecord {
                    sessions: Default::default(),
                    waiting: Default::default(),
                    session_arn_prefix: Default::default(),
                    ..g.clone()
                })
                .collect(),
            sessions: self
                .sessions
                .iter()
                .map(|(seq, s)| (seq, s.clone()))
                .collect(),
            location_names: self.location_names.clone(),
            retired_groups: self
                .retired_groups
                .iter()
                .map(|(seq, r)| (*seq, r.id, r.account))
                .collect(),
            events: self.events.clone(),
            guard: self.guard.clone(),
            client_tokens: self.ledger.entries().cloned().collect(),
            faults: self.faults.iter().map(|(id, f)| (*id, f.clone())).collect(),
            next_fault: self.next_fault,
            stream_urls: self.stream_urls.values().cloned().collect(),
        }
    }

    /// An engine from a snapshot, after checking that it is consistent (unique IDs and
    /// sequence numbers, capacity accounting, timers, every session's own invariants).
    pub fn restore(snapshot: Snapshot) -> Result<Engine, RestoreError> {
        snapshot
            .config
            .validate()
            .map_err(|e| RestoreError(format!("configuration: {e}")))?;
        // Counters a request adds to: beyond these, the next creation could not be numbered
        // (or its session table would span more than any engine could make).
        for (what, value) in [
            ("next_seq", snapshot.next_seq),
            ("next_fault", snapshot.next_fault),
        ] {
            if value > super::MAX_SEQ {
                return Err(RestoreError(format!(
                    "{what} is {value}, more than the {} an engine numbers",
                    super::MAX_SEQ
                )));
            }
        }
        if let Some(low) = snapshot.sessions.iter().map(|(seq, _)| *seq).min() {
            if snapshot.next_seq.saturating_sub(low) > MAX_SESSION_SPAN {
                return Err(RestoreError(format!(
                    "the oldest stream session is number {low} and the next resource number {}: \
                     a new session would span more than {MAX_SESSION_SPAN}",
                    snapshot.next_seq
                )));
            }
        }
        let mut engine = Engine::new(snapshot.config);
        engine.now = snapshot.now;
        engine.ids = snapshot.ids;
        engine.next_seq = snapshot.next_seq;
        engine.events = snapshot.events;
        engine.guard = snapshot.guard;
        engine.ledger = ledger::Ledger::from_entries(snapshot.client_tokens);
        engine.next_fault = snapshot.next_fault;
        for (id, fault) in snapshot.faults {
            if id >= engine.next_fault || engine.faults.insert(id, fault).is_some() {
                return Err(RestoreError(format!("fault {id} has a bad ID")));
            }
        }
        let fail = |what: String| Err(RestoreError(what));
        for a in snapshot.applications {
            if a.seq >= engine.next_seq || engine.applications.contains_key(&a.seq) {
                return fail(format!("application {} has a bad sequence number", a.id));
            }
            if engine.index.applications.insert(a.id, a.seq).is_some() {
                return fail(format!("application ID {} appears twice", a.id));
            }
            engine
                .index
                .accounts
                .entry(a.account)
                .or_default()
                .applications
                .insert(a.seq);
            engine.applications.insert(a.seq, a);
        }
        for g in snapshot.groups {
            if g.seq >= engine.next_seq || engine.groups.contains_key(&g.seq) {
                return fail(format!("stream group {} has a bad sequence number", g.id));
            }
            if engine.index.groups.insert(g.id, g.seq).is_some() {
                return fail(format!("stream group ID {} appears twice", g.id));
            }
            engine
                .index
                .accounts
                .entry(g.account)
                .or_default()
                .groups
                .insert(g.seq);
            let session_arn_prefix = session_arn_prefix(&engine.config.region, g.account, g.id);
            engine.groups.insert(
                g.seq,
                GroupRecord {
                    session_arn_prefix,
                    ..g
                },
            );
        }
        engine.location_names = snapshot.location_names;
        for (seq, id, account) in snapshot.retired_groups {
            let retired = RetiredGroup {
                id,
                account,
                session_arn_prefix: session_arn_prefix(&engine.config.region, account, id),
                sessions: 0,
            };
            if engine.groups.contains_key(&seq)
                || engine.retired_groups.insert(seq, retired).is_some()
            {
                return fail(format!(
                    "retired stream group {id} has a bad sequence number"
                ));
            }
        }
        // The session table spends a word per 64 sequence numbers between its oldest and newest
        // session; a snapshot whose sessions span more than any engine could make is refused
        // rather than allocated.
        let seqs = snapshot.sessions.iter().map(|(seq, _)| *seq);
        if let (Some(low), Some(high)) = (seqs.clone().min(), seqs.max()) {
            if high - low > MAX_SESSION_SPAN {
                return fail(format!(
                    "stream sessions span sequence numbers {low} to {high}, more than {MAX_SESSION_SPAN}"
                ));
            }
        }
        for (seq, s) in snapshot.sessions {
            let id = engine.session_ids.id(seq);
            if seq >= engine.next_seq || engine.sessions.contains_key(&seq) {
                return fail(format!("stream session {id} has a bad sequence number"));
            }
            engine
                .index
                .accounts
                .entry(s.account)
                .or_default()
                .sessions
                .insert(seq);
            if let Some(g) = engine.groups.get_mut(&s.group_seq) {
                if g.account != s.account {
                    return fail(format!("stream session {id} names the wrong group"));
                }
                g.sessions.insert(seq);
                if s.waiting {
                    g.waiting.insert(seq);
                }
            } else if s.waiting || s.slot.is_some() {
                return fail(format!("stream session {id} waits in a group that is gone"));
            } else if let Some(retired) = engine.retired_groups.get_mut(&s.group_seq) {
                if retired.account != s.account {
                    return fail(format!("stream session {id} names the wrong group"));
                }
                retired.sessions += 1;
            } else {
                return fail(format!("stream session {id} names no stream group"));
            }
            engine.sessions.insert(seq, Box::new(s));
        }
        for u in snapshot.stream_urls {
            let taken = engine.applications.contains_key(&u.seq)
                || engine.groups.contains_key(&u.seq)
                || engine.sessions.contains_key(&u.seq);
            if u.seq >= engine.next_seq || taken || engine.stream_urls.contains_key(&u.seq) {
                return fail(format!("stream URL {} has a bad sequence number", u.id));
            }
            if engine.index.stream_urls.insert(u.id, u.seq).is_some() {
                return fail(format!("stream URL ID {} appears twice", u.id));
            }
            if u.sessions.iter().any(|s| *s >= engine.next_seq) {
                return fail(format!("stream URL {} names a session not yet made", u.id));
            }
            engine
                .index
                .accounts
                .entry(u.account)
                .or_default()
                .stream_urls
                .insert(u.seq);
            engine.stream_urls.insert(u.seq, u);
        }
        if let Some((_, r)) = engine.retired_groups.iter().find(|(_, r)| r.sessions == 0) {
            return fail(format!("retired stream group {} has no sessions", r.id));
        }
        engine.agenda = rebuild_agenda(&engine);
        engine.check_invariants().map_err(RestoreError)?;
        Ok(engine)
    }
}

/// Two engines are equal when their [snapshots](Engine::snapshot) are: the same configuration,
/// clock, counters, resources, timers and queues (the signal responder, which is code, is not
/// compared, and neither are the lookups derived from the records). Compared in place, without
/// building either snapshot: cheap enough to check after every call that a refused one changed
/// nothing.
impl PartialEq for Engine {
    fn eq(&self, other: &Engine) -> bool {
        self.now == other.now
            && self.next_seq == other.next_seq
            && self.next_fault == other.next_fault
            && self.ids == other.ids
            && self.events == other.events
            && self.faults == other.faults
            && self.applications == other.applications
            && self.stream_urls == other.stream_urls
            && self.location_names == other.location_names
            && self.guard == other.guard
            && self.sessions.len() == other.sessions.len()
            && self.sessions.iter().eq(other.sessions.iter())
            && self.groups.len() == other.groups.len()
            && (self.groups.values())
                .zip(other.groups.values())
                .all(|(a, b)| a.same_state(b))
            && self.retired_groups.len() == other.retired_groups.len()
            && (self.retired_groups.iter())
                .zip(&other.retired_groups)
                .all(|((s, a), (t, b))| (s, a.id, a.account) == (t, b.id, b.account))
            && self.ledger.entries().eq(other.ledger.entries())
            && self.config == other.config
    }
}

/// The agenda from the records' own schedule.
fn rebuild_agenda(engine: &Engine) -> Agenda {
    let mut agenda = Agenda::default();
    let entries = engine
        .applications
        .values()
        .map(|a| (a.due, Task::Application(a.seq)))
        .chain(
            engine
                .groups
                .values()
                .map(|g| (g.due, Task::StreamGroup(g.seq))),
        )
        .chain(
            engine
                .sessions
                .iter()
                .map(|(seq, s)| (s.due.get(), Task::StreamSession(seq))),
        )
        .chain(
            engine
                .stream_urls
                .values()
                .map(|u| (u.due, Task::StreamUrl(u.seq))),
        );
    for (due, task) in entries {
        agenda.reschedule(task, None, due);
    }
    for (id, fault) in &engine.faults {
        agenda.reschedule(Task::Fault(*id), None, Some(fault.at));
    }
    agenda.reschedule(Task::Ledger, None, engine.ledger.next_expiry());
    agenda
}
