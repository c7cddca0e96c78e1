//! The engine's timer structure: one entry per resource, at the resource's earliest due time.
//! `advance(now)` pops only what is due, so it costs O(fired · log n), never a scan.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::time::Timestamp;

/// A resource with something due. Ties at the same instant fire in this order (sessions first,
/// so that a group being deleted sees its sessions end before it goes), then by the resource's
/// creation sequence number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) enum Task {
    StreamSession(u64),
    Application(u64),
    StreamGroup(u64),
    /// A stream URL expiring, or being forgotten.
    StreamUrl(u64),
    /// A scheduled infrastructure fault.
    Fault(u64),
    /// The expiry of idempotency tokens.
    Ledger,
}

impl Task {
    /// The task in one word, ordered as the enum is: the variant in the top 3 bits, then the
    /// number (sequence numbers and fault IDs stay far below 2^61).
    fn pack(self) -> u64 {
        let (kind, n) = match self {
            Task::StreamSession(n) => (0, n),
            Task::Application(n) => (1, n),
            Task::StreamGroup(n) => (2, n),
            Task::StreamUrl(n) => (3, n),
            Task::Fault(n) => (4, n),
            Task::Ledger => (5, 0),
        };
        debug_assert!(n < 1 << 61, "a task number beyond 2^61");
        kind << 61 | (n & ((1 << 61) - 1))
    }

    fn unpack(word: u64) -> Task {
        let n = word & ((1 << 61) - 1);
        match word >> 61 {
            0 => Task::StreamSession(n),
            1 => Task::Application(n),
            2 => Task::StreamGroup(n),
            3 => Task::StreamUrl(n),
            4 => Task::Fault(n),
            _ => Task::Ledger,
        }
    }
}

/// The entries, 16 bytes each (the time in microseconds, the packed task): about 25 bytes a
/// resource with the B-tree's slack, half what `(DateTime<Utc>, Task)` keys cost.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Agenda {
    entries: BTreeSet<(Timestamp, u64)>,
}

impl Agenda {
    /// Moves `task` from `old` (its previous entry, if any) to `new`.
    pub(crate) fn reschedule(
        &mut self,
        task: Task,
        old: Option<DateTime<Utc>>,
        new: Option<DateTime<Utc>>,
    ) {
        self.reschedule_at(task, old.map(Timestamp::from), new.map(Timestamp::from));
    }

    /// [`reschedule`](Self::reschedule) in engine time.
    pub(crate) fn reschedule_at(
        &mut self,
        task: Task,
        old: Option<Timestamp>,
        new: Option<Timestamp>,
    ) {
        if old == new {
            return;
        }
        let task = task.pack();
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
        // The same "due" as every timer's (`now >= deadline`), on the same microseconds, so
        // that the agenda and a session never disagree about whether something is due (a
        // disagreement would spin `advance`).
        if first.0 <= Timestamp::from(now) {
            self.entries.pop_first();
            Some((first.0.to_datetime(), Task::unpack(first.1)))
        } else {
            None
        }
    }

    /// The earliest entry's time.
    pub(crate) fn next(&self) -> Option<DateTime<Utc>> {
        self.entries.first().map(|(at, _)| at.to_datetime())
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn contains(&self, at: DateTime<Utc>, task: Task) -> bool {
        self.contains_at(Timestamp::from(at), task)
    }

    pub(crate) fn contains_at(&self, at: Timestamp, task: Task) -> bool {
        self.entries.contains(&(at, task.pack()))
    }
}

#[cfg(test)]
mod tests {
    use super::Task;

    #[test]
    fn packing_keeps_the_order_of_tasks() {
        let tasks = [
            Task::StreamSession(0),
            Task::StreamSession(7),
            Task::StreamSession((1 << 61) - 1),
            Task::Application(0),
            Task::Application(3),
            Task::StreamGroup(1),
            Task::StreamUrl(0),
            Task::StreamUrl(5),
            Task::Fault(0),
            Task::Fault(9),
            Task::Ledger,
        ];
        for pair in tasks.windows(2) {
            assert!(pair[0] < pair[1]);
            assert!(pair[0].pack() < pair[1].pack(), "{pair:?}");
        }
        for task in tasks {
            assert_eq!(Task::unpack(task.pack()), task);
        }
    }
}
