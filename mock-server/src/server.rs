//! Starting and stopping the server: the listener, the state file, graceful shutdown.

use std::fmt;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::{Engine, EngineConfig, Snapshot};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::AccountMap;
use crate::clock::{ClockMode, wall_clock};
use crate::state::MockState;

/// The region served when neither the command line nor a state file names one.
pub const DEFAULT_REGION: &str = "us-west-2";
/// The address listened on by default.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:4580";
/// How long shutdown waits for requests in flight before it stops serving anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// How to start a [`MockServer`]; `Default` is what the command line does without options.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The address to listen on (`host:port`; port 0 picks a free port).
    pub listen: String,
    /// The region served. `None`: the state file's, or [`DEFAULT_REGION`] (`us-west-2`).
    pub region: Option<String>,
    /// How the clock runs.
    pub clock: ClockMode,
    /// What the clock reads at start. `None`: for a real clock, the wall clock; for a manual
    /// one, the time the state file was saved at, else the wall clock in whole seconds. The
    /// clock never reads earlier than the time a state file was saved at.
    pub start_time: Option<DateTime<Utc>>,
    /// The seed of the engine's ID generator. `None`: the state file's, or 0.
    pub seed: Option<u64>,
    /// Where the engine's state is loaded from at start (if the file exists) and saved to at
    /// shutdown. Beside it, `STATE.journal` records every change before it is acknowledged
    /// (unless [`journal`](Self::journal) is off): a SIGKILL or a power loss loses nothing that
    /// was answered.
    pub state_file: Option<PathBuf>,
    /// With a state file, whether every change is journaled (the default) or the state is
    /// saved at shutdown only (`--no-journal`: faster writes, but a kill loses everything since
    /// the last clean stop). A journal found at start is replayed either way.
    pub journal: bool,
    /// How many journal lines make it compact into a snapshot.
    pub journal_compact_every: u64,
    /// Which account each access key ID acts for.
    pub accounts: AccountMap,
    /// The most undrained events `GET /_mock/events` keeps (older ones are dropped, so that
    /// a server nobody polls does not grow without bound).
    pub event_log_limit: usize,
    /// A real WebRTC peer behind every stream session (`--webrtc`); `None`: answer-shaped
    /// signal responses only. Needs the crate's `webrtc` feature: without it, `Some` is refused
    /// at start.
    pub webrtc: Option<WebRtcConfig>,
    /// Timeouts and the connection limit of the HTTP front.
    pub http: crate::HttpLimits,
    /// What every request under `/_mock/` must carry (`--control-token`), if anything.
    pub control_token: Option<String>,
}

/// How the WebRTC layer runs (`--webrtc`, `--webrtc-listen`, `--webrtc-disconnect-after`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebRtcConfig {
    /// The UDP address every peer shares (port 0 picks a free one). It is the host candidate of
    /// every answer, so it must be an address the clients can reach: loopback by default.
    pub listen: String,
    /// How long a connected client may stay silent (no packet at all) before it counts as gone
    /// (CLIENT_DISCONNECTED). **(decision)** 5 s: browsers send ICE consent checks every few
    /// seconds even when nothing else flows.
    pub disconnect_after: Duration,
}

/// The UDP address the WebRTC layer listens on by default.
pub const DEFAULT_WEBRTC_LISTEN: &str = "127.0.0.1:0";
/// The default of [`WebRtcConfig::disconnect_after`].
pub const DEFAULT_WEBRTC_DISCONNECT_AFTER: Duration = Duration::from_secs(5);

impl Default for WebRtcConfig {
    fn default() -> Self {
        Self {
            listen: DEFAULT_WEBRTC_LISTEN.into(),
            disconnect_after: DEFAULT_WEBRTC_DISCONNECT_AFTER,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN.into(),
            region: None,
            clock: ClockMode::Real,
            start_time: None,
            seed: None,
            state_file: None,
            journal: true,
            journal_compact_every: crate::journal::DEFAULT_JOURNAL_COMPACT_EVERY,
            accounts: AccountMap::new(),
            event_log_limit: crate::state::DEFAULT_EVENT_LOG_LIMIT,
            webrtc: None,
            http: crate::HttpLimits::default(),
            control_token: None,
        }
    }
}

/// Why the server did not start.
#[derive(Debug)]
pub enum StartError {
    /// The state file exists but cannot be read or restored.
    StateFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The options contradict each other or the state file, or name a bad value.
    Config(String),
    /// The listener could not be bound.
    Bind {
        /// The address.
        address: String,
        /// The I/O error.
        source: io::Error,
    },
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::StateFile { path, reason } => {
                write!(f, "cannot load the state file {}: {reason}", path.display())
            }
            Self::Config(reason) => write!(f, "invalid configuration: {reason}"),
            Self::Bind { address, source } => write!(f, "cannot listen on {address}: {source}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why shutdown did not finish cleanly.
#[derive(Debug)]
pub enum ShutdownError {
    /// The state could not be saved.
    SaveState {
        /// The file.
        path: PathBuf,
        /// The I/O or serialization error.
        source: io::Error,
    },
    /// The server task failed or panicked.
    Serve(String),
}

impl fmt::Display for ShutdownError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SaveState { path, source } => {
                write!(f, "cannot save the state to {}: {source}", path.display())
            }
            Self::Serve(reason) => write!(f, "the server failed: {reason}"),
        }
    }
}

impl std::error::Error for ShutdownError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::SaveState { source, .. } => Some(source),
            Self::Serve(_) => None,
        }
    }
}

/// A running mock server. Dropping it without [`shutdown`](Self::shutdown) stops it in the
/// background without saving the state file.
pub struct MockServer {
    address: SocketAddr,
    #[cfg(feature = "webrtc")]
    webrtc: Option<crate::webrtc::WebRtc>,
    state: MockState,
    state_file: Option<PathBuf>,
    /// The state file's lock, held until the server is dropped (after `shutdown` has saved).
    _lock: Option<std::fs::File>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl MockServer {
    /// Loads the state file (if given and present), binds the listener and starts serving on
    /// the current tokio runtime.
    pub async fn start(config: ServerConfig) -> Result<MockServer, StartError> {
        // Before anything reads or writes beside the state file: one server at a time.
        let lock = match &config.state_file {
            Some(path) => Some(lock_state_file(path)?),
            None => None,
        };
        let (engine, resume_at) = load_engine(&config)?;
        let start = config.start_time.unwrap_or_else(|| {
            let wall = wall_clock();
            match config.clock {
                ClockMode::Real => wall,
                // A manual clock resumes where a state file (or its journal) left it.
                ClockMode::Manual if resume_at > DateTime::<Utc>::MIN_UTC => resume_at,
                ClockMode::Manual => DateTime::from_timestamp(wall.timestamp(), 0).unwrap_or(wall),
            }
        });
        let state = MockState::new(engine, config.clock, start, config.accounts.clone())
            .with_control_token(config.control_token.clone())
            .with_event_log_limit(config.event_log_limit);
        let listener =
            TcpListener::bind(&config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    address: config.listen.clone(),
                    source,
                })?;
        let address = listener.local_addr().map_err(|source| StartError::Bind {
            address: config.listen.clone(),
            source,
        })?;
        {
            // Stream URLs point at this server, whose opening endpoint starts their sessions.
            let mut core = state.lock();
            core.stream_url_base = Some(format!("http://{address}/_mock/streamurls"));
            let engine = std::mem::replace(&mut core.engine, Engine::new(EngineConfig::default()));
            core.replace_engine(engine);
        }
        #[cfg(feature = "webrtc")]
        let webrtc = match &config.webrtc {
            Some(webrtc) => {
                let webrtc = crate::webrtc::WebRtc::start(webrtc, address, state.clone()).await?;
                let mut core = state.lock();
                core.webrtc = Some(webrtc.responder());
                let engine =
                    std::mem::replace(&mut core.engine, Engine::new(EngineConfig::default()));
                core.replace_engine(engine);
                // Offers the peers cannot answer end at placement, as the service ends them.
                let mut engine_config = core.engine.config().clone();
                engine_config.signal_policy = gameliftstreams_lifecycle::SignalPolicy::Strict;
                core.engine
                    .set_config(engine_config)
                    .map_err(|e| StartError::Config(e.to_string()))?;
                drop(core);
                Some(webrtc)
            }
            None => None,
        };
        #[cfg(not(feature = "webrtc"))]
        if config.webrtc.is_some() {
            return Err(StartError::Config(
                "this build has no WebRTC layer: build gameliftstreams-mock with \
                 `--features webrtc`"
                    .into(),
            ));
        }
        if let Some(path) = &config.state_file {
            let journal = crate::journal::Journal::path_of(path);
            if config.journal {
                // Its first line is the state as served from now on.
                let snapshot = state.lock().engine.snapshot();
                let journal = crate::journal::Journal::start(
                    journal,
                    &snapshot,
                    config.journal_compact_every,
                )
                .map_err(|e| StartError::StateFile {
                    path: path.clone(),
                    reason: format!("cannot start its journal: {e}"),
                })?;
                state.set_journal(std::sync::Arc::new(journal));
            } else if journal.exists() {
                // Replayed: the state file takes it over.
                let snapshot = state.lock().engine.snapshot();
                save_state(path, &snapshot)
                    .and_then(|()| std::fs::remove_file(&journal))
                    .map_err(|e| StartError::StateFile {
                        path: path.clone(),
                        reason: format!("cannot save the journal's state: {e}"),
                    })?;
            }
        }
        let (stop, stopped) = oneshot::channel::<()>();
        let app = state.router();
        let limits = config.http.clone();
        let task = tokio::spawn(async move {
            let stop = async move {
                // A dropped sender stops the server too.
                let _ = stopped.await;
            };
            crate::http::serve(listener, app, limits, stop, SHUTDOWN_GRACE).await;
            Ok(())
        });
        if !address.ip().is_loopback() {
            if !config.accounts.verifies_signatures() {
                tracing::warn!(
                    %address,
                    "listening beyond loopback without --credentials: anyone who reaches this \
                     port can act as any account"
                );
            }
            if config.control_token.is_none() {
                tracing::warn!(
                    %address,
                    "listening beyond loopback without --control-token: anyone who reaches this \
                     port can reset, rewind or read the whole state through /_mock/"
                );
            }
        }
        tracing::info!(
            %address,
            region = state.lock().engine.region(),
            clock = %config.clock,
            "serving"
        );
        Ok(MockServer {
            address,
            #[cfg(feature = "webrtc")]
            webrtc,
            state,
            state_file: config.state_file,
            _lock: lock,
            stop,
            task,
        })
    }

    /// What the WebRTC layer has done so far, when serving with [`ServerConfig::webrtc`].
    #[cfg(feature = "webrtc")]
    pub fn webrtc_stats(&self) -> Option<crate::WebRtcStats> {
        self.webrtc.as_ref().map(|w| w.stats())
    }

    /// The UDP address the WebRTC peers share, when serving with [`ServerConfig::webrtc`].
    pub fn webrtc_addr(&self) -> Option<SocketAddr> {
        #[cfg(feature = "webrtc")]
        return self.webrtc.as_ref().map(|w| w.local_addr());
        #[cfg(not(feature = "webrtc"))]
        None
    }

    /// The address the listener is bound to (with the real port when port 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The endpoint URL for SDK clients: `http://HOST:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The shared state.
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// Stops accepting requests, waits for those in flight (up to 10 s), then saves the
    /// engine's state to the state file, if any.
    pub async fn shutdown(self) -> Result<(), ShutdownError> {
        // The dashboard's long polls answer now rather than hold the grace period up.
        self.state.lock().feed.stop();
        // The receiver is gone only if the server task has already ended.
        let _ = self.stop.send(());
        let mut task = self.task;
        // The serve loop waits for requests in flight itself, for at most the grace period.
        let served = match tokio::time::timeout(SHUTDOWN_GRACE * 2, &mut task).await {
            Ok(Ok(result)) => result.map_err(|e: io::Error| ShutdownError::Serve(e.to_string())),
            Ok(Err(join)) => Err(ShutdownError::Serve(join.to_string())),
            Err(_) => {
                task.abort();
                Ok(())
            }
        };
        #[cfg(feature = "webrtc")]
        if let Some(webrtc) = self.webrtc {
            webrtc.shutdown().await;
        }
        // From this snapshot on, every write is refused (503): a request still running on a
        // connection the grace period gave up on cannot be acknowledged and then lost.
        let last = self.state.close();
        let journal = self.state.journal();
        if let Some(Err(why)) = journal.map(|j| j.stop()) {
            // The state file takes everything all the same.
            tracing::warn!(error = %why, "the journal did not finish");
        }
        if let Some(path) = &self.state_file {
            save_state(path, &last).map_err(|source| ShutdownError::SaveState {
                path: path.clone(),
                source,
            })?;
            tracing::info!(path = %path.display(), "state saved");
            if let Some(journal) = journal {
                // The state file holds all of it now.
                journal
                    .remove()
                    .map_err(|source| ShutdownError::SaveState {
                        path: journal.path().to_owned(),
                        source,
                    })?;
            }
        }
        served
    }
}

/// The engine (restored from the journal if there is one, else from the state file if it
/// exists, else a fresh one) and the latest time it was served at.
fn load_engine(config: &ServerConfig) -> Result<(Engine, DateTime<Utc>), StartError> {
    if let Some(path) = &config.state_file {
        prepare_state_dir(path).map_err(|e| StartError::StateFile {
            path: path.clone(),
            reason: format!(
                "its directory {} cannot take it ({e}); the state could not be saved at shutdown",
                state_dir(path).display()
            ),
        })?;
        let journal = crate::journal::Journal::path_of(path);
        if journal.exists() {
            // A crash: the journal is newer than the state file.
            let (engine, replayed) = crate::journal::replay(&journal, config.event_log_limit)
                .map_err(|reason| StartError::StateFile {
                    path: journal.clone(),
                    reason,
                })?;
            if replayed.unchecked {
                tracing::warn!(
                    path = %journal.display(),
                    "the journal is of an earlier build, without sequence numbers or checksums: \
                     replayed unchecked (it is rewritten in the checked format now)"
                );
            }
            tracing::info!(
                path = %journal.display(),
                entries = replayed.entries,
                torn_tail = replayed.torn_tail,
                diverged = replayed.diverged,
                "journal replayed"
            );
            let engine = check_saved(config, &journal, engine)?;
            let resume = replayed
                .last_now
                .map_or(engine.now(), |t| t.max(engine.now()));
            return Ok((engine, resume));
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                let engine = restore(config, path, &bytes)?;
                let now = engine.now();
                return Ok((engine, now));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(StartError::StateFile {
                    path: path.clone(),
                    reason: e.to_string(),
                });
            }
        }
    }
    let engine_config = EngineConfig {
        region: config
            .region
            .clone()
            .unwrap_or_else(|| DEFAULT_REGION.into()),
        seed: config.seed.unwrap_or(0),
        ..EngineConfig::default()
    };
    let engine = Engine::try_new(engine_config).map_err(|e| StartError::Config(e.to_string()))?;
    let now = engine.now();
    Ok((engine, now))
}

/// The engine of a state file, which must agree with the region and seed given, if any.
fn restore(config: &ServerConfig, path: &Path, bytes: &[u8]) -> Result<Engine, StartError> {
    let bad = |reason: String| StartError::StateFile {
        path: path.to_owned(),
        reason,
    };
    let snapshot: Snapshot =
        serde_json::from_slice(bytes).map_err(|e| bad(format!("not an engine snapshot: {e}")))?;
    let engine = Engine::restore(snapshot).map_err(|e| bad(e.to_string()))?;
    tracing::info!(path = %path.display(), "state loaded");
    check_saved(config, path, engine)
}

/// `engine`, restored from `path`, if it agrees with the region and seed given.
fn check_saved(config: &ServerConfig, path: &Path, engine: Engine) -> Result<Engine, StartError> {
    let bad = |reason: String| StartError::StateFile {
        path: path.to_owned(),
        reason,
    };
    let saved = engine.config();
    if let Some(region) = config.region.as_ref().filter(|r| **r != saved.region) {
        return Err(bad(format!(
            "it holds region {}, but the region asked for is {region}",
            saved.region
        )));
    }
    if let Some(seed) = config.seed.filter(|s| *s != saved.seed) {
        return Err(bad(format!(
            "it was made with seed {}, but the seed asked for is {seed}",
            saved.seed
        )));
    }
    Ok(engine)
}

/// The file `PATH.suffix` beside the state file `PATH` (its journal, its lock).
pub(crate) fn beside(state_file: &Path, suffix: &str) -> PathBuf {
    let mut name = state_file
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_os_string());
    name.push(suffix);
    state_file.with_file_name(name)
}

/// The lock file of a state file: `PATH.lock`, beside it. It is left in place at shutdown
/// (removing it would let a server starting meanwhile lock a file that is then gone).
fn lock_path_of(state_file: &Path) -> PathBuf {
    beside(state_file, ".lock")
}

/// Takes the exclusive advisory lock of `PATH.lock` (created mode 0600 if need be, never
/// through a symbolic link), for as long as the answered file stays open: two servers on one
/// state file would interleave their journals and lose acknowledged writes. The kernel lets go
/// of it when the process ends, however it ends.
fn lock_state_file(path: &Path) -> Result<std::fs::File, StartError> {
    let lock = lock_path_of(path);
    let bad = |reason: String| StartError::StateFile {
        path: path.to_owned(),
        reason,
    };
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // The flag's bits fit an i32 on every Unix.
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let file = options.open(&lock).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
            return bad(format!(
                "its lock file {} is a symbolic link, which is never followed",
                lock.display()
            ));
        }
        bad(format!(
            "its directory {} cannot take it ({e}, creating its lock file {}); the state could \
             not be saved at shutdown",
            state_dir(path).display(),
            lock.display()
        ))
    })?;
    match file.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(_) => {
            return Err(bad(format!(
                "its lock file {} is not a regular file",
                lock.display()
            )));
        }
        Err(e) => {
            return Err(bad(format!(
                "cannot read its lock file {}: {e}",
                lock.display()
            )));
        }
    }
    // (Elsewhere than on Unix, the file is opened but not locked.)
    #[cfg(unix)]
    match rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(e) if e == rustix::io::Errno::WOULDBLOCK => {
            return Err(bad(format!(
                "another gameliftstreams-mock server is using it (it holds the lock on {}); \
                 stop that server or give this one another --state-file",
                lock.display()
            )));
        }
        Err(e) => {
            return Err(bad(format!(
                "cannot lock its lock file {}: {e}",
                lock.display()
            )));
        }
    }
    Ok(file)
}

/// The directory a state file is in.
fn state_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// The name of a state file's temporary files: `.NAME.` + random + `.tmp`, beside it.
pub(crate) fn temp_affixes(path: &Path) -> (String, &'static str) {
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    (format!(".{name}."), ".tmp")
}

/// At start: the state file's directory must take a new file (else the state would be lost at
/// shutdown, found only then), and temporary files a killed save left behind are removed.
fn prepare_state_dir(path: &Path) -> io::Result<()> {
    let dir = state_dir(path);
    let (prefix, suffix) = temp_affixes(path);
    // A probe of the same kind the save makes: exclusive, unpredictable, removed on drop.
    drop(
        tempfile::Builder::new()
            .prefix(&prefix)
            .suffix(suffix)
            .tempfile_in(dir)?,
    );
    let mut removed = 0u64;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix)
            && name.ends_with(suffix)
            && entry.file_type().is_ok_and(|t| t.is_file())
            && std::fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    if removed > 0 {
        tracing::info!(removed, dir = %dir.display(), "removed temporary state files a killed save left");
    }
    Ok(())
}

/// Writes the snapshot to a new temporary file beside `path` (an unpredictable name, created
/// exclusively, so that nothing planted there is followed; mode 0600, as the state holds signal
/// requests and responses), syncs it, renames it over `path` and syncs the directory: a crash
/// never leaves half a state file, and a finished save survives power loss.
fn save_state(path: &Path, snapshot: &Snapshot) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(snapshot).map_err(io::Error::other)?;
    let dir = state_dir(path);
    let (prefix, suffix) = temp_affixes(path);
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(suffix)
        .tempfile_in(dir)?;
    temp.write_all(&json)?;
    temp.write_all(b"\n")?;
    temp.as_file().sync_all()?;
    // On failure the temporary file is removed when `temp` drops.
    temp.persist(path).map_err(|e| e.error)?;
    std::fs::File::open(dir)?.sync_all()
}
