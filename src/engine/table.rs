//! The live stream sessions, by creation sequence number.
//!
//! Sequence numbers only grow, and sessions mostly go in the order they came (their retention
//! ends), so the table is a deque of fixed chunks of slots indexed by the number itself: a
//! lookup is two index operations, and a session costs its box and one slot (8 bytes), against
//! a B-tree entry's 25 or so. A chunk is freed when its last session goes, so a sparse survivor
//! (a long session among many short ones) costs at most one chunk, and the deque a word per
//! chunk of numbers spanned.

use std::collections::VecDeque;
use std::fmt;

use super::sessions::SessionRecord;

/// Slots per chunk.
const CHUNK: u64 = 64;

#[derive(Clone)]
struct Chunk {
    slots: [Option<Box<SessionRecord>>; CHUNK as usize],
    live: u32,
}

/// Sessions by sequence number, in creation order.
#[derive(Clone, Default)]
pub(crate) struct SessionTable {
    /// The chunk number of `chunks[0]`.
    base: u64,
    chunks: VecDeque<Option<Box<Chunk>>>,
    len: usize,
}

impl SessionTable {
    fn position(&self, seq: u64) -> Option<(usize, usize)> {
        let chunk = usize::try_from((seq / CHUNK).checked_sub(self.base)?).ok()?;
        Some((chunk, (seq % CHUNK) as usize))
    }

    pub(crate) fn get(&self, seq: &u64) -> Option<&SessionRecord> {
        let (c, s) = self.position(*seq)?;
        self.chunks.get(c)?.as_ref()?.slots[s].as_deref()
    }

    pub(crate) fn get_mut(&mut self, seq: &u64) -> Option<&mut SessionRecord> {
        let (c, s) = self.position(*seq)?;
        self.chunks.get_mut(c)?.as_mut()?.slots[s].as_deref_mut()
    }

    pub(crate) fn contains_key(&self, seq: &u64) -> bool {
        self.get(seq).is_some()
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Puts `record` at `seq`, answering the record it replaces.
    pub(crate) fn insert(
        &mut self,
        seq: u64,
        record: Box<SessionRecord>,
    ) -> Option<Box<SessionRecord>> {
        let number = seq / CHUNK;
        if self.chunks.is_empty() {
            self.base = number;
        }
        while number < self.base {
            self.chunks.push_front(None);
            self.base -= 1;
        }
        let index = usize::try_from(number - self.base).unwrap_or(usize::MAX);
        if index >= self.chunks.len() {
            self.chunks.resize(index + 1, None);
        }
        let chunk = self.chunks[index].get_or_insert_with(|| {
            Box::new(Chunk {
                slots: std::array::from_fn(|_| None),
                live: 0,
            })
        });
        let old = chunk.slots[(seq % CHUNK) as usize].replace(record);
        if old.is_none() {
            chunk.live += 1;
            self.len += 1;
        }
        old
    }

    /// Takes the session at `seq` out.
    pub(crate) fn remove(&mut self, seq: &u64) -> Option<Box<SessionRecord>> {
        let (c, s) = self.position(*seq)?;
        let chunk = self.chunks.get_mut(c)?.as_mut()?;
        let record = chunk.slots[s].take()?;
        chunk.live -= 1;
        self.len -= 1;
        if chunk.live == 0 {
            self.chunks[c] = None;
            while self.chunks.front().is_some_and(Option::is_none) {
                self.chunks.pop_front();
                self.base += 1;
            }
            while self.chunks.back().is_some_and(Option::is_none) {
                self.chunks.pop_back();
            }
        }
        Some(record)
    }

    /// The sessions from sequence number `from` on, in order.
    pub(crate) fn range_from(&self, from: u64) -> impl Iterator<Item = (u64, &SessionRecord)> {
        let skip = usize::try_from((from / CHUNK).saturating_sub(self.base)).unwrap_or(usize::MAX);
        let base = self.base;
        self.chunks
            .iter()
            .enumerate()
            .skip(skip)
            .filter_map(move |(i, chunk)| Some((base + i as u64, chunk.as_deref()?)))
            .flat_map(|(number, chunk)| {
                chunk.slots.iter().enumerate().filter_map(move |(s, slot)| {
                    Some((number * CHUNK + s as u64, slot.as_deref()?))
                })
            })
            .filter(move |(seq, _)| *seq >= from)
    }

    /// Every session, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, &SessionRecord)> {
        self.range_from(0)
    }

    pub(crate) fn values(&self) -> impl Iterator<Item = &SessionRecord> {
        self.iter().map(|(_, r)| r)
    }
}

impl std::ops::Index<&u64> for SessionTable {
    type Output = SessionRecord;

    fn index(&self, seq: &u64) -> &SessionRecord {
        self.get(seq).expect("no session with this sequence number")
    }
}

impl fmt::Debug for SessionTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The sequence numbers of some sessions (a group's, an account's) in creation order, for
/// listing. A sorted deque: sessions are appended as they are created, and a removal is lazy
/// (the entry stays until it reaches the front or dead entries are half the list), so that each
/// costs 8 bytes rather than a B-tree entry's 17 or so, and a removal O(1) amortized wherever
/// it is. Readers skip numbers the table no longer has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SessionList {
    seqs: VecDeque<u64>,
    /// How many entries name sessions that are gone.
    removed: usize,
}

impl SessionList {
    /// Adds `seq`: at the end when it is the newest, as it always is but on restore.
    pub(crate) fn insert(&mut self, seq: u64) {
        match self.seqs.back() {
            Some(&last) if last >= seq => {
                let i = self.seqs.partition_point(|&s| s < seq);
                if self.seqs.get(i) != Some(&seq) {
                    self.seqs.insert(i, seq);
                }
            }
            _ => self.seqs.push_back(seq),
        }
    }

    /// Notes that session `seq`, one of these, has left `table`.
    pub(crate) fn remove(&mut self, seq: u64, table: &SessionTable) {
        if self.seqs.front() == Some(&seq) {
            self.seqs.pop_front();
        } else {
            self.removed += 1;
        }
        // Every gone entry still here was counted once, when it went.
        while self.seqs.front().is_some_and(|s| !table.contains_key(s)) {
            self.seqs.pop_front();
            self.removed -= 1;
        }
        if self.removed > 16 && self.removed * 2 > self.seqs.len() {
            self.seqs.retain(|s| table.contains_key(s));
            self.removed = 0;
            if self.seqs.capacity() > 4 * self.seqs.len() {
                self.seqs.shrink_to(2 * self.seqs.len());
            }
        }
    }

    /// The numbers from `from` on, in order, gone sessions' included.
    pub(crate) fn range_from(&self, from: u64) -> impl Iterator<Item = u64> + '_ {
        let i = self.seqs.partition_point(|&s| s < from);
        self.seqs.range(i..).copied()
    }

    /// How many of the entries name live sessions.
    pub(crate) fn live(&self) -> usize {
        self.seqs.len() - self.removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Protocol;
    use crate::arn::{AccountId, ResourceId};
    use crate::engine::sessions::{At, Next};
    use crate::{Session, SessionConfig};

    fn record() -> Box<SessionRecord> {
        let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
        Box::new(SessionRecord {
            account: AccountId::DEFAULT,
            group_seq: 0,
            application: ResourceId::new("a-1").unwrap(),
            session: Session::start(SessionConfig::default(), "offer", now).unwrap(),
            signal_request: "offer".into(),
            extras: None,
            due: At::NONE,
            next_at: At::NONE,
            connections: 0,
            slot: None,
            next: Next::Nothing,
            protocol: Protocol::WebRtc,
            answered: false,
            waiting: false,
        })
    }

    fn seqs(table: &SessionTable, from: u64) -> Vec<u64> {
        table.range_from(from).map(|(seq, _)| seq).collect()
    }

    #[test]
    fn the_table_finds_orders_and_frees_its_chunks() {
        let mut table = SessionTable::default();
        let numbers = [3, 5, 64, 65, 200, 1000];
        for n in numbers {
            assert!(table.insert(n, record()).is_none());
        }
        assert!(
            table.insert(64, record()).is_some(),
            "a second insert replaces"
        );
        assert_eq!(table.len(), numbers.len());
        assert_eq!(seqs(&table, 0), numbers);
        assert_eq!(seqs(&table, 65), [65, 200, 1000]);
        assert_eq!(seqs(&table, 1001), Vec::<u64>::new());
        assert!(table.get(&4).is_none() && table.get(&5000).is_none());
        // Emptying the first chunk frees it and moves the base; a chunk in the middle is freed
        // in place; the last one goes too.
        assert!(table.remove(&3).is_some() && table.remove(&5).is_some());
        assert_eq!((table.base, table.chunks.len()), (1, 15));
        assert!(table.remove(&5).is_none());
        table.remove(&200);
        assert!(table.chunks[2].is_none());
        table.remove(&1000);
        assert_eq!(table.chunks.len(), 1);
        assert_eq!(seqs(&table, 0), [64, 65]);
        // A number below the base (as a restore may bring) grows the front.
        table.insert(2, record());
        assert_eq!((table.base, seqs(&table, 0)), (0, vec![2, 64, 65]));
        assert_eq!(table.len(), 3);
    }

    #[test]
    fn a_list_removes_lazily_and_compacts() {
        let mut table = SessionTable::default();
        let mut list = SessionList::default();
        for n in 0..100 {
            table.insert(n, record());
            list.insert(n);
        }
        // Out of order (a restore): sorted, no duplicates.
        list.insert(50);
        assert_eq!(list.range_from(0).count(), 100);
        // The front goes at once; others stay until compaction.
        table.remove(&0);
        list.remove(0, &table);
        assert_eq!((list.seqs.len(), list.live()), (99, 99));
        for n in (2..100).step_by(2) {
            table.remove(&n);
            list.remove(n, &table);
        }
        assert_eq!((list.seqs.len(), list.live()), (99, 50));
        // The 50th gone entry is more than half of the 99: the list keeps only the live.
        table.remove(&97);
        list.remove(97, &table);
        assert_eq!((list.seqs.len(), list.live()), (49, 49));
        let live: Vec<u64> = list.range_from(0).collect();
        let odd: Vec<u64> = (1..100).step_by(2).filter(|&n| n != 97).collect();
        assert_eq!(live, odd);
        assert_eq!(list.range_from(51).next(), Some(51));
        // Removing the front pops the gone entries behind it.
        table.remove(&1);
        list.remove(1, &table);
        assert_eq!(
            list.range_from(0).next().map(|s| table.contains_key(&s)),
            Some(true)
        );
    }
}
