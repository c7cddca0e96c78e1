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
    /// shutdown.
    pub state_file: Option<PathBuf>,
    /// Which account each access key ID acts for.
    pub accounts: AccountMap,
    /// The most undrained events `GET /_mock/events` keeps (older ones are dropped, so that
    /// a server nobody polls does not grow without bound).
    pub event_log_limit: usize,
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
            accounts: AccountMap::new(),
            event_log_limit: crate::state::DEFAULT_EVENT_LOG_LIMIT,
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
    state: MockState,
    state_file: Option<PathBuf>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<io::Result<()>>,
}

impl MockServer {
    /// Loads the state file (if given and present), binds the listener and starts serving on
    /// the current tokio runtime.
    pub async fn start(config: ServerConfig) -> Result<MockServer, StartError> {
        let engine = load_engine(&config)?;
        let start = config.start_time.unwrap_or_else(|| {
            let wall = wall_clock();
            match config.clock {
                ClockMode::Real => wall,
                // A manual clock resumes where a state file left it.
                ClockMode::Manual if engine.now() > DateTime::<Utc>::MIN_UTC => engine.now(),
                ClockMode::Manual => DateTime::from_timestamp(wall.timestamp(), 0).unwrap_or(wall),
            }
        });
        let state = MockState::new(engine, config.clock, start, config.accounts.clone())
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
        let (stop, stopped) = oneshot::channel::<()>();
        let app = state.router();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    // A dropped sender stops the server too.
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(
            %address,
            region = state.lock().engine.region(),
            clock = %config.clock,
            "serving"
        );
        Ok(MockServer {
            address,
            state,
            state_file: config.state_file,
            stop,
            task,
        })
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
        // The receiver is gone only if the server task has already ended.
        let _ = self.stop.send(());
        let mut task = self.task;
        let served = match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result.map_err(|e| ShutdownError::Serve(e.to_string())),
            Ok(Err(join)) => Err(ShutdownError::Serve(join.to_string())),
            Err(_) => {
                tracing::warn!(
                    "requests still in flight after {SHUTDOWN_GRACE:?}; stopping anyway"
                );
                task.abort();
                Ok(())
            }
        };
        if let Some(path) = &self.state_file {
            save_state(path, &self.state.snapshot()).map_err(|source| {
                ShutdownError::SaveState {
                    path: path.clone(),
                    source,
                }
            })?;
            tracing::info!(path = %path.display(), "state saved");
        }
        served
    }
}

/// The engine: restored from the state file if it exists, else a fresh one.
fn load_engine(config: &ServerConfig) -> Result<Engine, StartError> {
    if let Some(path) = &config.state_file {
        match std::fs::read(path) {
            Ok(bytes) => return restore(config, path, &bytes),
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
    Engine::try_new(engine_config).map_err(|e| StartError::Config(e.to_string()))
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
    tracing::info!(path = %path.display(), "state loaded");
    Ok(engine)
}

/// Writes the snapshot to a temporary file beside `path`, then renames it over `path`, so
/// that a crash never leaves half a state file.
fn save_state(path: &Path, snapshot: &Snapshot) -> io::Result<()> {
    let json = serde_json::to_vec_pretty(snapshot).map_err(io::Error::other)?;
    let mut temp = path.as_os_str().to_owned();
    temp.push(format!(".{}.tmp", std::process::id()));
    let temp = PathBuf::from(temp);
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(&json)?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
