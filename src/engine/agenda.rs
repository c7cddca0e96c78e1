//! The engine's timer structure: one entry per resource, at the resource's earliest due time.
//! `advance(now)` pops only what is due, so it costs O(fired · log n), never a scan.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A resource with something due. Ties at the same instant fire in this order (sessions first,
/// so that a group being deleted sees its sessions end before it goes), then by the resource's
/// creation sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Task {
    StreamSession(u64),
    Application(u64),
    StreamGroup(u64),
    /// A scheduled infrastructure fault.
    Fault(u64),
    /// The expiry of idempotency tokens.
    Ledger,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Agenda {
    entries: BTreeSet<(DateTime<Utc>, Task)>,
}

impl Agenda {
    /// Moves `task` from `old` (its previous entry, if any) to `new`.
    pub(crate) fn reschedule(
        &mut self,
        task: Task,
        old: Option<DateTime<Utc>>,
        new: Option<DateTime<Utc>>,
    ) {
        if old == new {
            return;
        }
        if let Some(at) = old {
            self.entries.remove(&(at, task));
        }
        if let Some(at) = new {
            self.entries.insert((at, task));
        }
    }

    /// Removes and returns the earliest entry due at `now`.
    pub(crate) fn pop_due(&mut self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, Task)> {
        let first = *self.entries.first()?;
        // The same "due" as every timer's, so that the agenda and a session never disagree
        // about whether something is due (a disagreement would spin `advance`).
        if crate::time::is_due(first.0, now) {
            self.entries.pop_first()
        } else {
            None
        }
    }

    /// The earliest entry's time.
    pub(crate) fn next(&self) -> Option<DateTime<Utc>> {
        self.entries.first().map(|(at, _)| *at)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn contains(&self, at: DateTime<Utc>, task: Task) -> bool {
        self.entries.contains(&(at, task))
    }
}
