//! Idempotency: `ClientToken`s remembered per (account, operation) for a configurable time. The
//! same token with the same request replays the original result and changes nothing; with a
//! different request it is a Conflict.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{Operation, SensitiveString};
use crate::arn::AccountId;

/// What a remembered call produced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Recorded {
    Application(u64),
    StreamGroup(u64),
    StreamSession(u64),
    StreamUrl(u64),
    /// A reconnection: the session, and the answer it returned.
    Connection(u64, Option<SensitiveString>),
}

impl Recorded {
    /// The sequence number of the resource the call created or touched.
    pub(crate) fn resource(&self) -> u64 {
        match self {
            Self::Application(seq)
            | Self::StreamGroup(seq)
            | Self::StreamSession(seq)
            | Self::StreamUrl(seq)
            | Self::Connection(seq, _) => *seq,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Entry {
    account: AccountId,
    operation: Operation,
    token: String,
    /// A digest of the whole request (path members included).
    fingerprint: u64,
    recorded: Recorded,
    #[serde(with = "crate::time::rfc3339")]
    expires_at: DateTime<Utc>,
}

type Key = (AccountId, Operation, String);

/// What the ledger says of a call with a token.
pub(crate) enum Seen<'a> {
    /// Not seen (or expired): perform the call.
    New,
    /// Seen with the same request: replay.
    Replay(&'a Recorded),
    /// Seen with a different request.
    Mismatch,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Ledger {
    entries: BTreeMap<Key, Entry>,
    expiries: BTreeSet<(DateTime<Utc>, Key)>,
}

impl Ledger {
    pub(crate) fn check(
        &self,
        account: AccountId,
        operation: Operation,
        token: &str,
        fingerprint: u64,
        now: DateTime<Utc>,
    ) -> Seen<'_> {
        match self.entries.get(&(account, operation, token.to_owned())) {
            Some(e) if e.expires_at > now => {
                if e.fingerprint == fingerprint {
                    Seen::Replay(&e.recorded)
                } else {
                    Seen::Mismatch
                }
            }
            _ => Seen::New,
        }
    }

    pub(crate) fn record(
        &mut self,
        account: AccountId,
        operation: Operation,
        token: String,
        fingerprint: u64,
        recorded: Recorded,
        expires_at: DateTime<Utc>,
    ) {
        let key = (account, operation, token.clone());
        if let Some(old) = self.entries.remove(&key) {
            self.expiries.remove(&(old.expires_at, key.clone()));
        }
        self.expiries.insert((expires_at, key.clone()));
        self.entries.insert(
            key,
            Entry {
                account,
                operation,
                token,
                fingerprint,
                recorded,
                expires_at,
            },
        );
    }

    /// Forgets every token expired at `now`.
    pub(crate) fn expire(&mut self, now: DateTime<Utc>) {
        while let Some((at, _)) = self.expiries.first() {
            if *at > now {
                break;
            }
            if let Some((_, key)) = self.expiries.pop_first() {
                self.entries.remove(&key);
            }
        }
    }

    /// When the next token expires.
    pub(crate) fn next_expiry(&self) -> Option<DateTime<Utc>> {
        self.expiries.first().map(|(at, _)| *at)
    }

    pub(crate) fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.entries.values()
    }

    pub(crate) fn from_entries(entries: Vec<Entry>) -> Ledger {
        let mut ledger = Ledger::default();
        for e in entries {
            ledger.record(
                e.account,
                e.operation,
                e.token,
                e.fingerprint,
                e.recorded,
                e.expires_at,
            );
        }
        ledger
    }
}

/// A digest of a request: 64-bit FNV-1a over its `Hash`, stable across runs and platforms of
/// the same pointer width.
pub(crate) fn fingerprint<T: Hash>(request: &T) -> u64 {
    let mut h = crate::fnv::Fnv1a::default();
    request.hash(&mut h);
    h.finish()
}
