//! The journal: every acknowledged change survives a SIGKILL or a power loss.
//!
//! With a state file, every action that changes the engine (an API call, a client event, a
//! control request, a clock move, an event drain) is appended to `STATE.journal` as one JSON
//! line, under the state's lock and so in the order the engine saw it, and is synced to disk
//! before its answer leaves: a writer thread writes and `fdatasync`s whatever has queued up in
//! one go (group commit), and every response waits until the journal is durable up to the
//! state it was computed from.
//!
//! The engine is deterministic: replaying the lines over the journal's first line, a snapshot,
//! rebuilds the state exactly. The journal is compacted into a new first line (a new file,
//! synced and renamed over the old one) at start, after `PUT /_mock/snapshot`, and every
//! `compact_every` lines; a clean shutdown writes the state file and removes the journal.
//!
//! Every line is `SEQ JSON CRC`: a sequence number, consecutive from the first line's (which
//! is 1 in a new journal; a compacted journal's snapshot takes the number of the last line it
//! holds, so that the lines after it keep theirs), the JSON, and the CRC-32 (8 hex digits) of
//! everything before the last space. Replay refuses a gap, a duplicate, a line out of order
//! or a checksum that does not match, naming the line, except in a last line a crash cut
//! short (never acknowledged: skipped).
//!
//! ```text
//! 1 {"Version":3, … the engine's snapshot …} 5f3a0c1e
//! 2 {"Now":"2026-12-01T15:00:00.123456Z","Ok":true,"Action":{"Call":{…}}} 0b7d99a2
//! 3 {"Now":"2026-12-01T15:00:00.200000Z","Ok":true,"Action":"Drain"} e1c4f640
//! ```
//!
//! A journal of an earlier build (bare JSON lines, no numbers or checksums: its first line
//! starts with `{`) is still replayed, unchecked, and rewritten in this format at start.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use tempfile::NamedTempFile;

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::{
    GetStreamSessionOutput, ShaderCacheSummary, StartStreamSessionOutput,
};
use gameliftstreams_lifecycle::{
    AccountId, Engine, EngineConfig, EngineEvent, Observation, Response as ApiResponse,
    ShaderCacheSeed, Snapshot,
};
use serde::{Deserialize, Serialize};

use crate::error::AwsError;
use crate::rest::Call;

/// How many lines the journal takes before it is compacted into a snapshot, by default.
pub const DEFAULT_JOURNAL_COMPACT_EVERY: u64 = 100_000;

/// The largest batch of lines written with one sync.
const BATCH_BYTES: usize = 8 << 20;

/// Something that changes the engine, as the journal records it and replays it.
#[derive(Serialize, Deserialize)]
pub(crate) enum Action {
    /// An API call, as the request carried it (decoded again on replay).
    Call(Box<Call>),
    /// `POST …/events` with a client or infrastructure observation, or the WebRTC layer's.
    Observe {
        account: AccountId,
        group: String,
        session: String,
        observation: Observation,
    },
    /// `POST …/events` with `EXPORT_FAILED`.
    FailExport {
        account: AccountId,
        group: String,
        session: String,
        reason: String,
    },
    /// `POST /_mock/streamurls/{id}/stream`.
    OpenStreamUrl {
        id: String,
        token: String,
        offer: String,
    },
    /// `PUT /_mock/applications/{id}/shadercaches/{cache}`.
    PutShaderCache {
        account: AccountId,
        application: String,
        seed: ShaderCacheSeed,
    },
    /// `DELETE /_mock/applications/{id}/shadercaches/{cache}`.
    RemoveShaderCache {
        account: AccountId,
        application: String,
        cache: String,
    },
    /// `PUT /_mock/config`: the whole configuration, merged.
    Config(Box<EngineConfig>),
    /// `POST /_mock/reset`.
    Reset,
    /// `POST /_mock/clock`: time passes (the line's `Now`).
    Advance,
    /// `GET /_mock/events`: the event log is drained.
    Drain,
}

/// What an action answered.
pub(crate) enum Outcome {
    Response(ApiResponse),
    Session(GetStreamSessionOutput),
    Started(StartStreamSessionOutput),
    ShaderCache(ShaderCacheSummary),
    Events(Vec<EngineEvent>),
    /// A fresh engine to serve from now on.
    Replace(Box<Engine>),
    Done,
}

impl Outcome {
    fn unexpected(what: &str) -> AwsError {
        AwsError::internal(format!("the action did not answer {what}"))
    }

    pub(crate) fn response(self) -> Result<ApiResponse, AwsError> {
        match self {
            Self::Response(r) => Ok(r),
            _ => Err(Self::unexpected("a response")),
        }
    }

    pub(crate) fn session(self) -> Result<GetStreamSessionOutput, AwsError> {
        match self {
            Self::Session(s) => Ok(s),
            _ => Err(Self::unexpected("a session")),
        }
    }

    pub(crate) fn started(self) -> Result<StartStreamSessionOutput, AwsError> {
        match self {
            Self::Started(s) => Ok(s),
            _ => Err(Self::unexpected("a started session")),
        }
    }

    pub(crate) fn shader_cache(self) -> Result<ShaderCacheSummary, AwsError> {
        match self {
            Self::ShaderCache(s) => Ok(s),
            _ => Err(Self::unexpected("a shader cache")),
        }
    }

    pub(crate) fn events(self) -> Result<Vec<EngineEvent>, AwsError> {
        match self {
            Self::Events(e) => Ok(e),
            _ => Err(Self::unexpected("events")),
        }
    }
}

impl Action {
    /// Performs the action on `engine` at `now` (the engine has been advanced to it). The same
    /// code runs when the server serves the action and when the journal replays it.
    pub(crate) fn apply(
        &self,
        engine: &mut Engine,
        now: DateTime<Utc>,
    ) -> Result<Outcome, AwsError> {
        Ok(match self {
            Self::Call(call) => {
                let decoded;
                let request = match call.decoded() {
                    Some(request) => request,
                    None => {
                        decoded = call.request()?;
                        &decoded
                    }
                };
                Outcome::Response(engine.call(call.caller, now, request)?)
            }
            Self::Observe {
                account,
                group,
                session,
                observation,
            } => Outcome::Session(engine.apply(*account, now, group, session, *observation)?),
            Self::FailExport {
                account,
                group,
                session,
                reason,
            } => Outcome::Session(engine.fail_export(*account, now, group, session, reason)?),
            Self::OpenStreamUrl { id, token, offer } => {
                Outcome::Started(engine.open_stream_url(now, id, token, offer)?)
            }
            Self::PutShaderCache {
                account,
                application,
                seed,
            } => Outcome::ShaderCache(engine.put_shader_cache(*account, now, application, seed)?),
            Self::RemoveShaderCache {
                account,
                application,
                cache,
            } => {
                engine.remove_shader_cache(*account, now, application, cache)?;
                Outcome::Done
            }
            Self::Config(config) => {
                engine
                    .set_config((**config).clone())
                    .map_err(|e| AwsError::validation(e.to_string()))?;
                Outcome::Done
            }
            Self::Reset => Outcome::Replace(Box::new(Engine::new(engine.config().clone()))),
            Self::Advance => Outcome::Done,
            Self::Drain => Outcome::Events(engine.drain_events().collect()),
        })
    }

    /// Whether the journal must record the action: all but the API's reads, which change
    /// nothing unless throttling or fault rules count them.
    pub(crate) fn changes_engine(&self, config: &EngineConfig) -> bool {
        match self {
            Self::Call(call) => {
                !reads_only(call.operation)
                    || config.throttling.enabled
                    || !config.faults.is_empty()
            }
            _ => true,
        }
    }
}

/// Whether `operation` only reads (its name starts with `Get` or `List`).
fn reads_only(operation: gameliftstreams_lifecycle::api::Operation) -> bool {
    let name = operation.name();
    name.starts_with("Get") || name.starts_with("List")
}

/// One line after the first, as written.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct EntryRef<'a> {
    now: DateTime<Utc>,
    ok: bool,
    action: &'a Action,
}

/// One line after the first, as read back.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Entry {
    now: DateTime<Utc>,
    ok: bool,
    action: Action,
}

/// A message to the writer thread; the nth message makes the journal durable up to n.
enum Message {
    /// A line's JSON (the writer numbers and checksums it).
    Line(Vec<u8>),
    /// Start a new journal from this snapshot, the state after every earlier line.
    Compact(Box<Snapshot>),
    /// Start a new journal from this snapshot, which replaced the state.
    Replace(Box<Snapshot>),
}

/// The journal of a running server: appends happen under the state's lock, waits outside it.
pub(crate) struct Journal {
    path: PathBuf,
    sender: Mutex<Option<mpsc::Sender<Message>>>,
    /// Messages sent.
    appended: AtomicU64,
    /// Lines since the last compaction, and how many make one.
    since_compaction: AtomicU64,
    compact_every: u64,
    /// Messages written and synced, or the error that stopped the writer.
    durable: tokio::sync::watch::Sender<Durable>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

#[derive(Clone, Debug, Default)]
struct Durable {
    upto: u64,
    failed: Option<String>,
}

impl Journal {
    /// The journal of the state file `state_file`.
    pub(crate) fn path_of(state_file: &Path) -> PathBuf {
        crate::server::beside(state_file, ".journal")
    }

    /// Starts a journal at `path` whose first line is `snapshot`, replacing any journal there
    /// (once this returns, the old one is no longer needed), and its writer thread.
    pub(crate) fn start(
        path: PathBuf,
        snapshot: &Snapshot,
        compact_every: u64,
    ) -> io::Result<Self> {
        let file = write_base(&path, FIRST_SEQ, snapshot)?;
        let (sender, receiver) = mpsc::channel();
        let (durable, _) = tokio::sync::watch::channel(Durable::default());
        let watcher = durable.clone();
        let thread_path = path.clone();
        let writer = std::thread::Builder::new()
            .name("journal".into())
            .spawn(move || write_loop(thread_path, file, FIRST_SEQ, receiver, watcher))?;
        Ok(Self {
            path,
            sender: Mutex::new(Some(sender)),
            appended: AtomicU64::new(0),
            since_compaction: AtomicU64::new(0),
            compact_every: compact_every.max(1),
            durable,
            writer: Mutex::new(Some(writer)),
        })
    }

    /// Where the journal is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// A `ServiceUnavailableException` once the journal cannot be written: what the engine
    /// does from then on could not be made durable.
    pub(crate) fn refuse_if_failed(&self) -> Result<(), AwsError> {
        if let Some(why) = self.durable.borrow().failed.clone() {
            return Err(AwsError::unavailable(format!(
                "The journal {} cannot be written ({why}): the server takes no more changes",
                self.path.display()
            )));
        }
        Ok(())
    }

    fn send(&self, message: Message) {
        let sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        let sent = sender.as_ref().is_some_and(|s| s.send(message).is_ok());
        if sent {
            self.appended.fetch_add(1, Ordering::AcqRel);
        } else {
            self.fail("the journal's writer has stopped".into());
        }
    }

    fn fail(&self, why: String) {
        record_failure(&self.durable, &self.path, why);
    }

    /// Appends `action`, performed at `now` with the outcome `ok`. Called under the state's
    /// lock; answers whether it is time to compact.
    pub(crate) fn append(&self, now: DateTime<Utc>, ok: bool, action: &Action) -> bool {
        let entry = EntryRef { now, ok, action };
        match serde_json::to_vec(&entry) {
            Ok(line) => self.send(Message::Line(line)),
            Err(e) => self.fail(format!("cannot serialize an action: {e}")),
        }
        self.since_compaction.fetch_add(1, Ordering::AcqRel) + 1 >= self.compact_every
    }

    /// Starts a new journal from `snapshot`, the state after everything appended so far.
    /// Called under the state's lock; the snapshot is serialized off it, while lines go on
    /// being appended (and acknowledged).
    pub(crate) fn compact(&self, snapshot: Snapshot) {
        self.since_compaction.store(0, Ordering::Release);
        self.send(Message::Compact(Box::new(snapshot)));
    }

    /// Starts a new journal from `snapshot`, which replaced the state whole (`PUT
    /// /_mock/snapshot`): nothing is acknowledged until it is written.
    pub(crate) fn restart(&self, snapshot: Snapshot) {
        self.since_compaction.store(0, Ordering::Release);
        self.send(Message::Replace(Box::new(snapshot)));
    }

    /// Waits until everything appended so far is on disk: what a response may show is then
    /// never lost.
    pub(crate) async fn wait(&self) -> Result<(), AwsError> {
        let upto = self.appended.load(Ordering::Acquire);
        if self.durable.borrow().upto >= upto {
            return Ok(());
        }
        let mut watcher = self.durable.subscribe();
        let durable = watcher
            .wait_for(|d| d.upto >= upto || d.failed.is_some())
            .await
            .map(|d| d.clone())
            .unwrap_or_else(|_| Durable {
                upto: 0,
                failed: Some("the journal's writer has stopped".into()),
            });
        if durable.upto >= upto {
            return Ok(());
        }
        Err(AwsError::unavailable(format!(
            "The journal {} cannot be written ({}): this change may not survive a crash",
            self.path.display(),
            durable.failed.unwrap_or_default()
        )))
    }

    /// Stops the writer once it has written and synced everything appended, and answers
    /// whether it did.
    pub(crate) fn stop(&self) -> Result<(), String> {
        drop(
            self.sender
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take(),
        );
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(writer) = writer {
            if writer.join().is_err() {
                return Err("the journal's writer panicked".into());
            }
        }
        match self.durable.borrow().failed.clone() {
            Some(why) => Err(why),
            None => Ok(()),
        }
    }

    /// Removes the journal once the state file holds all of it.
    pub(crate) fn remove(&self) -> io::Result<()> {
        std::fs::remove_file(&self.path)?;
        sync_dir(&self.path)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Logs why the journal stopped and tells every waiter (the first reason stays).
fn record_failure(durable: &tokio::sync::watch::Sender<Durable>, path: &Path, why: String) {
    tracing::error!(path = %path.display(), error = %why, "the journal failed");
    durable.send_modify(|d| {
        d.failed.get_or_insert(why);
    });
}

/// The directory a file is in.
fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(dir_of(path))?.sync_all()
}

/// The sequence number of a new journal's first line.
const FIRST_SEQ: u64 = 1;

/// Appends line `seq` holding `json` to `out`: `SEQ JSON CRC` and a newline.
fn frame(seq: u64, json: &[u8], out: &mut Vec<u8>) {
    let start = out.len();
    // Writing to a Vec cannot fail.
    let _ = write!(out, "{seq} ");
    out.extend_from_slice(json);
    let crc = crc32fast::hash(&out[start..]);
    let _ = writeln!(out, " {crc:08x}");
}

/// A writer that checksums what goes through it.
struct Summing<W> {
    inner: W,
    crc: crc32fast::Hasher,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.crc.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a new journal holding `snapshot`, as line `seq`, beside `path` (exclusive,
/// unpredictable name, mode 0600, as the state file's save does) and syncs it; [`install`]
/// puts it in place.
fn write_temp(path: &Path, seq: u64, snapshot: &Snapshot) -> io::Result<NamedTempFile> {
    let (prefix, suffix) = crate::server::temp_affixes(path);
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(dir_of(path))?;
    {
        let mut out = Summing {
            inner: io::BufWriter::with_capacity(1 << 20, temp.as_file_mut()),
            crc: crc32fast::Hasher::new(),
        };
        write!(out, "{seq} ")?;
        serde_json::to_writer(&mut out, snapshot).map_err(io::Error::other)?;
        let crc = out.crc.clone().finalize();
        let mut out = out.inner;
        writeln!(out, " {crc:08x}")?;
        out.flush()?;
    }
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Renames `temp` over `path`, syncs the directory, and answers the file, open for appending.
fn install(temp: NamedTempFile, path: &Path) -> io::Result<File> {
    let file = temp.persist(path).map_err(|e| e.error)?;
    sync_dir(path)?;
    Ok(file)
}

fn write_base(path: &Path, seq: u64, snapshot: &Snapshot) -> io::Result<File> {
    install(write_temp(path, seq, snapshot)?, path)
}

/// A compaction under way: the new journal's first line is being written on a thread of its
/// own, while the lines that follow go on to the old journal (which stays whole: its snapshot
/// and lines describe the same state) and are kept for the new one.
struct Compaction {
    done: mpsc::Receiver<io::Result<NamedTempFile>>,
    tail: Vec<u8>,
}

impl Compaction {
    /// The snapshot holds every line up to `seq`, and takes its number: the lines after it
    /// keep theirs in the new journal.
    fn start(path: &Path, seq: u64, snapshot: Box<Snapshot>) -> io::Result<Self> {
        let (send, done) = mpsc::channel();
        let path = path.to_owned();
        std::thread::Builder::new()
            .name("journal-compaction".into())
            .spawn(move || {
                let _ = send.send(write_temp(&path, seq, &snapshot));
            })?;
        Ok(Self {
            done,
            tail: Vec::new(),
        })
    }

    /// The new journal, in place, once its first line is written; `None` until then.
    fn finish(&mut self, path: &Path) -> Option<io::Result<File>> {
        let temp = match self.done.try_recv() {
            Ok(temp) => temp,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => {
                Err(io::Error::other("the compaction thread died"))
            }
        };
        Some(temp.and_then(|mut temp| {
            temp.write_all(&self.tail)?;
            temp.as_file().sync_data()?;
            install(temp, path)
        }))
    }
}

/// How often the writer looks whether a compaction has finished while no line comes.
const COMPACTION_POLL: Duration = Duration::from_millis(5);

/// The writer thread: takes whatever has queued, numbers and checksums it, writes it, syncs
/// once, says so. `seq` is the number of the journal's first line.
fn write_loop(
    path: PathBuf,
    mut file: File,
    mut seq: u64,
    receiver: mpsc::Receiver<Message>,
    durable: tokio::sync::watch::Sender<Durable>,
) {
    let mut written = 0u64;
    let mut buffer = Vec::with_capacity(64 << 10);
    let mut compaction: Option<Compaction> = None;
    let fail = |why: String| record_failure(&durable, &path, why);
    loop {
        // Blocks for the first message of a batch (looking at a compaction under way now and
        // then); ends when every sender is gone (a compaction under way is dropped: the old
        // journal is whole).
        let first = if compaction.is_some() {
            match receiver.recv_timeout(COMPACTION_POLL) {
                Ok(message) => Some(message),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match receiver.recv() {
                Ok(message) => Some(message),
                Err(_) => return,
            }
        };
        // Before the batch is taken, the threads answering requests may run until they wait
        // (on a core shared with them; with a core to itself this returns at once): the lines
        // they append meanwhile join this batch instead of each waiting for a sync of its own.
        // Under `load/run.sh` on one core, taking the batch at once synced 4.8 lines at a time
        // for 16 writers, this 14.7, and a sync costs the core more than a line does.
        std::thread::yield_now();
        let mut next = first;
        let mut count = 0u64;
        while let Some(message) = next.take() {
            count += 1;
            match message {
                Message::Line(json) => {
                    seq += 1;
                    let start = buffer.len();
                    frame(seq, &json, &mut buffer);
                    if let Some(c) = &mut compaction {
                        c.tail.extend_from_slice(&buffer[start..]);
                    }
                }
                Message::Compact(snapshot) => {
                    // The snapshot holds everything before it: a compaction under way is
                    // superseded.
                    compaction = match Compaction::start(&path, seq, snapshot) {
                        Ok(c) => Some(c),
                        Err(e) => return fail(format!("cannot compact: {e}")),
                    };
                }
                Message::Replace(snapshot) => {
                    // What came before is not the state any more: the old journal must not
                    // take another line.
                    compaction = None;
                    buffer.clear();
                    match write_base(&path, seq, &snapshot) {
                        Ok(new) => file = new,
                        Err(e) => return fail(format!("cannot start the journal again: {e}")),
                    }
                }
            }
            if buffer.len() < BATCH_BYTES {
                next = receiver.try_recv().ok();
            }
        }
        if !buffer.is_empty() {
            if let Err(e) = file.write_all(&buffer).and_then(|()| file.sync_data()) {
                return fail(format!("cannot write: {e}"));
            }
            buffer.clear();
        }
        if let Some(done) = compaction.as_mut().and_then(|c| c.finish(&path)) {
            compaction = None;
            match done {
                Ok(new) => file = new,
                Err(e) => return fail(format!("cannot compact: {e}")),
            }
        }
        if count > 0 {
            written += count;
            durable.send_modify(|d| d.upto = written);
        }
    }
}

/// What replaying a journal found.
#[derive(Debug, Default)]
pub(crate) struct Replayed {
    /// Lines replayed after the snapshot.
    pub(crate) entries: u64,
    /// Whether the last line was cut short (a crash while it was written: it was never
    /// acknowledged) and skipped.
    pub(crate) torn_tail: bool,
    /// Lines whose outcome on replay differs from the one recorded (always 0 unless the
    /// engine is not deterministic).
    pub(crate) diverged: u64,
    /// The latest `Now` replayed: where a manual clock resumes.
    pub(crate) last_now: Option<DateTime<Utc>>,
    /// Whether the journal is of an earlier build, whose lines have no sequence numbers and
    /// checksums (replayed unchecked).
    pub(crate) unchecked: bool,
}

/// A line's sequence number and JSON, once its checksum holds (`line` without its newline).
fn open_line(line: &[u8]) -> Result<(u64, &[u8]), String> {
    let space = line
        .iter()
        .position(|b| *b == b' ')
        .ok_or("it has no sequence number")?;
    let seq = std::str::from_utf8(&line[..space])
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse::<u64>().ok())
        .ok_or("it does not start with a sequence number")?;
    let last = line
        .iter()
        .rposition(|b| *b == b' ')
        .filter(|last| *last > space)
        .ok_or("it has no checksum")?;
    let recorded = std::str::from_utf8(&line[last + 1..])
        .ok()
        .filter(|s| s.len() == 8)
        .and_then(|s| u32::from_str_radix(s, 16).ok())
        .ok_or("it does not end with a checksum")?;
    let computed = crc32fast::hash(&line[..last]);
    if computed != recorded {
        return Err(format!(
            "its checksum does not match its content (recorded {recorded:08x}, computed \
             {computed:08x}): it is damaged"
        ));
    }
    Ok((seq, &line[space + 1..last]))
}

/// Rebuilds the engine a journal describes: its snapshot, then every line, each at its time,
/// with the event log kept to `event_log_limit` as the server keeps it. A last line cut short
/// is skipped; any other bad line is an error naming it.
pub(crate) fn replay(path: &Path, event_log_limit: usize) -> Result<(Engine, Replayed), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut line = Vec::new();
    reader
        .read_until(b'\n', &mut line)
        .map_err(|e| e.to_string())?;
    let mut replayed = Replayed {
        // An earlier build's journal: bare JSON lines.
        unchecked: line.first() == Some(&b'{'),
        ..Replayed::default()
    };
    let (first_seq, json) = if replayed.unchecked {
        (0, line.as_slice())
    } else {
        let whole = line.strip_suffix(b"\n").ok_or("line 1 is cut short")?;
        open_line(whole).map_err(|e| format!("line 1 is not a journal's first line: {e}"))?
    };
    let snapshot: Snapshot = serde_json::from_slice(json)
        .map_err(|e| format!("line 1 is not an engine snapshot: {e}"))?;
    let mut engine = Engine::restore(snapshot).map_err(|e| format!("line 1: {e}"))?;
    let mut number = 1u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            break;
        }
        number += 1;
        // A line without its newline is the last one, cut short.
        let whole = line.strip_suffix(b"\n");
        let json = match whole {
            None if replayed.unchecked => line.as_slice(),
            None => {
                replayed.torn_tail = true;
                break;
            }
            Some(whole) if replayed.unchecked => whole,
            Some(whole) => match open_line(whole) {
                Ok((seq, json)) => {
                    let expected = first_seq + (number - 1);
                    if seq > expected {
                        return Err(format!(
                            "line {number} has sequence number {seq} where {expected} was \
                             expected: lines are missing before it (or out of order)"
                        ));
                    }
                    if seq < expected {
                        return Err(format!(
                            "line {number} has sequence number {seq} where {expected} was \
                             expected: a line is duplicated or out of order"
                        ));
                    }
                    json
                }
                // A write the crash cut short (or the zeros a power loss leaves past the
                // end): never synced, so never acknowledged.
                Err(_) if is_last(&mut reader)? => {
                    replayed.torn_tail = true;
                    break;
                }
                Err(e) => return Err(format!("line {number} is not a journal entry: {e}")),
            },
        };
        let entry: Entry = match serde_json::from_slice(json) {
            Ok(entry) => entry,
            Err(_) if replayed.unchecked && (whole.is_none() || is_last(&mut reader)?) => {
                replayed.torn_tail = true;
                break;
            }
            Err(e) => return Err(format!("line {number} is not a journal entry: {e}")),
        };
        engine.advance(entry.now);
        engine.discard_old_events(event_log_limit);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            entry.action.apply(&mut engine, entry.now)
        }))
        .map_err(|_| format!("line {number}: the engine panicked replaying it"))?;
        let ok = match outcome {
            Ok(Outcome::Replace(fresh)) => {
                engine = *fresh;
                true
            }
            Ok(_) => true,
            Err(_) => false,
        };
        if ok != entry.ok {
            replayed.diverged += 1;
            tracing::error!(
                line = number,
                recorded_ok = entry.ok,
                "the journal's replay diverged from what was served"
            );
        }
        replayed.entries += 1;
        replayed.last_now = Some(entry.now);
    }
    Ok((engine, replayed))
}

/// Whether nothing but zeros and whitespace follows.
fn is_last(reader: &mut impl BufRead) -> Result<bool, String> {
    let mut rest = Vec::new();
    std::io::Read::read_to_end(reader, &mut rest).map_err(|e| e.to_string())?;
    Ok(rest.iter().all(|b| *b == 0 || b.is_ascii_whitespace()))
}
