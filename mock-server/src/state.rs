//! The state every request shares: the engine, the clock and the account map, behind one lock.
//! Engine calls are pure and fast, so a plain mutex, never held across an `await`, suffices.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::{Engine, Snapshot};

use crate::auth::AccountMap;
use crate::clock::{Clock, ClockMode};
use crate::error::AwsError;
use crate::journal::{Action, Journal, Outcome};

/// The mock's state: one engine (every account's resources in one region), its clock and the
/// account map. Cheap to clone: clones share the state.
#[derive(Clone)]
pub struct MockState {
    shared: Arc<Shared>,
}

struct Shared {
    core: Mutex<Core>,
    accounts: AccountMap,
    /// With `--control-token`: what every request under `/_mock/` must carry.
    control_token: Option<String>,
    /// With a state file: the journal every response waits on (appends go through
    /// [`Core::journal`], under the lock).
    journal: std::sync::OnceLock<Arc<Journal>>,
}

/// What the lock guards.
pub(crate) struct Core {
    pub(crate) engine: Engine,
    pub(crate) clock: Clock,
    /// The most events kept for `GET /_mock/events`; older ones are dropped.
    pub(crate) event_log_limit: usize,
    /// Events dropped since the last `GET /_mock/events`.
    pub(crate) events_dropped: u64,
    /// Where stream URLs point (this server's `/_mock/streamurls`), once it listens: every
    /// engine this state serves takes it.
    pub(crate) stream_url_base: Option<String>,
    /// Set when the server stops, with the final snapshot taken: every write is refused from
    /// then on.
    pub(crate) closed: bool,
    /// With a state file: where every change is recorded before it is acknowledged.
    pub(crate) journal: Option<Arc<Journal>>,
    /// The dashboard's copy of the engine's events (`GET /_mock/events` drains the engine's).
    pub(crate) feed: crate::ui::Feed,
    /// The WebRTC layer, when it runs: the signal responder of every engine this state serves,
    /// and its counters.
    #[cfg(feature = "webrtc")]
    pub(crate) webrtc: Option<Arc<crate::webrtc::WebRtcResponder>>,
}

/// The default of `--event-log-limit`.
pub const DEFAULT_EVENT_LOG_LIMIT: usize = 100_000;

impl Core {
    /// Advances the engine to the clock, as every request does first, and answers `now`.
    pub(crate) fn tick(&mut self) -> DateTime<Utc> {
        // An engine restored from a snapshot may have seen a later time than the clock reads:
        // time never runs backwards, so the clock catches up.
        self.clock.catch_up(self.engine.now());
        let now = self.clock.now();
        self.engine.advance(now);
        self.feed.capture(&self.engine);
        // Nobody may ever read the event log: keep the newest events only.
        let dropped = self.engine.discard_old_events(self.event_log_limit);
        self.feed.dropped(dropped);
        if dropped > 0 && self.events_dropped == 0 {
            tracing::warn!(
                limit = self.event_log_limit,
                "the event log is full; dropping the oldest events (GET /_mock/events drains it)"
            );
        }
        self.events_dropped += dropped as u64;
        now
    }

    /// A `ServiceUnavailableException` once the server has stopped (its final state is taken).
    pub(crate) fn refuse_if_closed(&self) -> Result<(), AwsError> {
        if self.closed {
            return Err(AwsError::unavailable(
                "The server is stopping: its final state is saved, and it takes no more requests",
            ));
        }
        Ok(())
    }

    /// Serves `engine` from now on, with the WebRTC layer's signal responder if it runs.
    pub(crate) fn replace_engine(&mut self, mut engine: Engine) {
        if let Some(base) = &self.stream_url_base {
            if engine.config().stream_url_base != *base {
                let mut config = engine.config().clone();
                config.stream_url_base = base.clone();
                // Only the base changes, and the server made it valid.
                if let Err(e) = engine.set_config(config) {
                    tracing::warn!(error = %e, "stream URLs keep their previous base");
                }
            }
        }
        #[cfg(feature = "webrtc")]
        if let Some(webrtc) = &self.webrtc {
            // The peers belong to the engine that goes, even where the new one has sessions
            // of the same IDs.
            webrtc.forget_all();
            self.engine = engine.with_responder(webrtc.clone());
            self.feed.restart(&self.engine);
            return;
        }
        self.engine = engine;
        self.feed.restart(&self.engine);
    }

    /// Performs `action` at the clock's time, and records it in the journal (if any) unless it
    /// changed nothing: the one way every change reaches the engine, so that the journal
    /// replays exactly what was served.
    pub(crate) fn perform(&mut self, action: Action) -> Result<Outcome, AwsError> {
        self.refuse_if_closed()?;
        if let Some(journal) = &self.journal {
            journal.refuse_if_failed()?;
        }
        let now = self.tick();
        let changes = action.changes_engine(self.engine.config());
        let journaled = self.journal.is_some() && changes;
        // A panic is not recorded: replaying it would only panic again.
        let outcome = match self.guarded(|engine| Ok(action.apply(engine, now)))? {
            Ok(Outcome::Replace(fresh)) => {
                self.replace_engine(*fresh);
                Ok(Outcome::Done)
            }
            other => other,
        };
        if matches!(action, Action::Drain) {
            // `tick` above copied every event the drain took.
            self.feed.drained();
        }
        self.feed.capture(&self.engine);
        if changes && outcome.is_ok() {
            // A clock move or a new configuration shows on the dashboard, events or not.
            self.feed.touch();
        }
        if journaled {
            if let Some(journal) = &self.journal {
                if journal.append(now, outcome.is_ok(), &action) {
                    journal.compact(self.engine.snapshot());
                }
            }
        }
        outcome
    }

    /// Starts the journal afresh from the engine as it is, after it was replaced whole.
    pub(crate) fn restart_journal(&mut self) {
        if let Some(journal) = &self.journal {
            journal.restart(self.engine.snapshot());
        }
    }

    /// Runs `f` on the engine, turning a panic (a bug in the engine, never a bad request) into
    /// an `InternalServerException` instead of a dropped connection.
    pub(crate) fn guarded<T>(
        &mut self,
        f: impl FnOnce(&mut Engine) -> Result<T, AwsError>,
    ) -> Result<T, AwsError> {
        self.refuse_if_closed()?;
        match catch_unwind(AssertUnwindSafe(|| f(&mut self.engine))) {
            Ok(result) => result,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_owned());
                tracing::error!(panic = %what, "the engine panicked");
                Err(AwsError::internal(format!(
                    "the engine panicked ({what}); its state may be inconsistent: POST /_mock/reset"
                )))
            }
        }
    }
}

impl MockState {
    /// A state serving `engine`, with a clock in `mode` that starts at `start` (or at the
    /// engine's latest time, if that is later).
    pub fn new(
        engine: Engine,
        mode: ClockMode,
        start: DateTime<Utc>,
        accounts: AccountMap,
    ) -> Self {
        let mut clock = Clock::new(mode, start);
        clock.catch_up(engine.now());
        let feed = crate::ui::Feed::new(&engine, DEFAULT_EVENT_LOG_LIMIT);
        Self {
            shared: Arc::new(Shared {
                core: Mutex::new(Core {
                    feed,
                    engine,
                    clock,
                    event_log_limit: DEFAULT_EVENT_LOG_LIMIT,
                    events_dropped: 0,
                    stream_url_base: None,
                    closed: false,
                    journal: None,
                    #[cfg(feature = "webrtc")]
                    webrtc: None,
                }),
                accounts,
                control_token: None,
                journal: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Requires `token` of every request under `/_mock/` (the `x-mock-control-token` header or
    /// the `control-token` query parameter), but the input module the Web SDK loads.
    pub fn with_control_token(mut self, token: Option<String>) -> Self {
        let shared = Arc::get_mut(&mut self.shared)
            .expect("the control token is set before the state is shared");
        shared.control_token = token;
        self
    }

    /// The state keeping at most `limit` undrained events for `GET /_mock/events` (default
    /// [`DEFAULT_EVENT_LOG_LIMIT`]); older ones are dropped, and counted.
    pub fn with_event_log_limit(self, limit: usize) -> Self {
        let mut core = self.lock();
        core.event_log_limit = limit;
        // The dashboard keeps as many.
        core.feed.set_limit(limit);
        drop(core);
        self
    }

    /// The HTTP application: the GameLift Streams REST API and the `/_mock/` control API.
    pub fn router(&self) -> Router {
        crate::rest::router()
            .merge(crate::control::router())
            .merge(crate::ui::router())
            .fallback(crate::rest::unknown_operation)
            .method_not_allowed_fallback(crate::rest::unknown_operation)
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                check_control_token,
            ))
            .layer(axum::middleware::from_fn_with_state(
                self.clone(),
                wait_for_journal,
            ))
            .layer(axum::middleware::from_fn(crate::http::check_head))
            .layer(axum::middleware::from_fn(crate::logging::log_request))
            .with_state(self.clone())
    }

    /// The engine's whole state now.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().engine.snapshot()
    }

    /// The final snapshot, taken as every later write is refused: what the snapshot does not
    /// hold was never acknowledged.
    pub(crate) fn close(&self) -> Snapshot {
        let mut core = self.lock();
        core.closed = true;
        core.feed.stop();
        core.engine.snapshot()
    }

    /// Records every change in `journal` from now on.
    pub(crate) fn set_journal(&self, journal: Arc<Journal>) {
        self.lock().journal = Some(journal.clone());
        let _ = self.shared.journal.set(journal);
    }

    /// The journal, with a state file.
    pub(crate) fn journal(&self) -> Option<&Arc<Journal>> {
        self.shared.journal.get()
    }

    /// What the clock reads now.
    pub fn now(&self) -> DateTime<Utc> {
        self.lock().clock.now()
    }

    pub(crate) fn accounts(&self) -> &AccountMap {
        &self.shared.accounts
    }

    /// The lock. A panic is caught inside it ([`Core::guarded`]), so it is never poisoned by
    /// the engine; if it ever is, the state is still served.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Core> {
        self.shared
            .core
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Holds every response until the journal is on disk up to the state it was computed from:
/// nothing a client was told is lost by a crash.
async fn wait_for_journal(
    axum::extract::State(state): axum::extract::State<MockState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let response = next.run(request).await;
    if let Some(journal) = state.journal() {
        if let Err(e) = journal.wait().await {
            return e.into_response();
        }
    }
    response
}

/// Refuses a request under `/_mock/` without the control token, when one is set.
async fn check_control_token(
    axum::extract::State(state): axum::extract::State<MockState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let Some(token) = state.shared.control_token.as_deref() else {
        return next.run(request).await;
    };
    let path = request.uri().path();
    if !path.starts_with("/_mock/") || path == crate::control::INPUT_MODULE_PATH {
        return next.run(request).await;
    }
    let given = request
        .headers()
        .get(CONTROL_TOKEN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| crate::control::query_param(request.uri().query(), CONTROL_TOKEN_PARAMETER));
    let same = given
        .as_deref()
        .is_some_and(|g| crate::auth::constant_time_eq(g.as_bytes(), token.as_bytes()));
    if same {
        return next.run(request).await;
    }
    AwsError::access_denied(format!(
        "The control API needs the control token: send it in the {CONTROL_TOKEN_HEADER} header \
         or the {CONTROL_TOKEN_PARAMETER} query parameter"
    ))
    .into_response()
}

/// The header that carries the control token.
pub const CONTROL_TOKEN_HEADER: &str = "x-mock-control-token";
/// The query parameter that carries the control token (for pages opened in a browser).
pub const CONTROL_TOKEN_PARAMETER: &str = "control-token";
