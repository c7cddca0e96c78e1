//! The dashboard at `/_mock/ui`: one page, served from the binary, that shows every account's
//! resources live and steers the mock. It is an adapter and holds no lifecycle logic: what it
//! shows is read from the engine's public, read-only views (`Engine::peek_*`, the core
//! [`Session`](gameliftstreams_lifecycle::Session)'s deadlines) and from the engine's event log;
//! what it does goes through the control API and the REST operations, as any client's requests
//! do.
//!
//! The page reads four JSON endpoints, none of which changes anything (they advance the engine
//! to the clock first, as every request does):
//!
//! - `GET /_mock/ui/state`: the clock, and per account its applications, stream groups, stream
//!   URLs and how many sessions it has in each status;
//! - `GET /_mock/ui/sessions?account=&group=&status=&page=&size=`: one page of an account's
//!   sessions, so that the page never holds more than a page of rows however many there are;
//! - `GET /_mock/ui/session?account=&group=&session=`: one session, its armed timers and their
//!   deadlines, and its timeline of status changes;
//! - `GET /_mock/ui/changes?version=&after=`: a long poll that answers as soon as anything
//!   changed, with the events logged since `after`.
//!
//! `GET /_mock/events` drains the engine's log, and tests rely on it: the page must not take
//! events from them. So the [`Feed`] copies every event as the engine logs it (under the state's
//! lock, where every change happens), numbers it, and keeps the newest; the engine's log is
//! only read, never drained, here.

use std::collections::VecDeque;
use std::sync::LazyLock;
use std::time::Duration;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::epoch;
use gameliftstreams_lifecycle::{
    AccountId, Change, Engine, EngineEvent, SessionStatus, SessionView, StatusReason, Timer,
};
use serde_json::{Value, json};
use tokio::sync::watch;

use crate::clock::ClockMode;
use crate::control::query_param;
use crate::error::{AwsError, json_body};
use crate::state::MockState;

/// The dashboard's routes.
pub(crate) fn router() -> Router<MockState> {
    Router::new()
        .route("/_mock/ui", get(page))
        .route("/_mock/ui/", get(page))
        .route("/_mock/ui/diagram.svg", get(diagram))
        .route("/_mock/ui/state", get(state))
        .route("/_mock/ui/sessions", get(sessions))
        .route("/_mock/ui/session", get(session))
        .route("/_mock/ui/changes", get(changes))
}

// ---------------------------------------------------------------------------------------------
// The feed: the engine's events, copied as they are logged.

/// One event of the feed, with its number.
struct Numbered {
    seq: u64,
    event: EngineEvent,
}

/// Every event the engine logs, copied as it is logged and numbered from 0, the newest
/// [`limit`](Self::limit) of them kept, whatever drains the engine's own log. And a version
/// number that moves on every change the page shows (events, clock moves, configuration), which
/// wakes the long polls.
///
/// The engine's log only grows at its back between two [`capture`](Self::capture)s, except
/// where the state drains it or drops its oldest events, and it says so
/// ([`drained`](Self::drained), [`dropped`](Self::dropped)): so the events the feed has not
/// copied yet are always the last `pending - copied` of the log.
pub(crate) struct Feed {
    events: VecDeque<Numbered>,
    /// The most events kept (the server's `--event-log-limit`).
    limit: usize,
    /// The number the next event gets.
    next_seq: u64,
    /// How many of the events in the engine's log, at its back, are copied already.
    copied: usize,
    /// Moves when the engine is replaced (reset, snapshot upload): the page starts over.
    generation: u64,
    /// The version; the long polls hold receivers.
    version: watch::Sender<u64>,
    /// Set when the server stops: long polls answer at once, and no new one waits.
    stopping: bool,
}

/// The most events one long poll answers; the page asks again at once for the rest.
const EVENTS_PER_ANSWER: usize = 500;
/// How many of the newest events a long poll without a cursor answers (the page's first).
const FIRST_EVENTS: u64 = 100;
/// How long a long poll waits for a change before it answers that there was none.
const LONG_POLL: Duration = Duration::from_secs(20);

impl Feed {
    /// A feed of `engine`'s events, holding those its log holds already.
    pub(crate) fn new(engine: &Engine, limit: usize) -> Feed {
        let mut feed = Feed {
            events: VecDeque::new(),
            limit,
            next_seq: 0,
            copied: 0,
            generation: 0,
            version: watch::Sender::new(0),
            stopping: false,
        };
        feed.capture(engine);
        feed
    }

    pub(crate) fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
        self.trim();
    }

    /// Copies the events `engine` has logged since the last capture.
    pub(crate) fn capture(&mut self, engine: &Engine) {
        let pending = engine.pending_events();
        let fresh = pending.saturating_sub(self.copied);
        if fresh == 0 {
            self.copied = pending;
            return;
        }
        for event in engine.peek_events().skip(pending - fresh) {
            self.events.push_back(Numbered {
                seq: self.next_seq,
                event: event.clone(),
            });
            self.next_seq += 1;
        }
        self.copied = pending;
        self.trim();
        self.touch();
    }

    /// The engine's log was drained (`GET /_mock/events`): it had been captured first.
    pub(crate) fn drained(&mut self) {
        self.copied = 0;
    }

    /// The engine dropped its `n` oldest events (`--event-log-limit`), all captured already.
    pub(crate) fn dropped(&mut self, n: usize) {
        self.copied = self.copied.saturating_sub(n);
    }

    /// The state serves `engine` from now on: the page starts over, from the events `engine`
    /// holds (a restored snapshot's undrained history).
    pub(crate) fn restart(&mut self, engine: &Engine) {
        self.events.clear();
        self.copied = 0;
        self.generation += 1;
        self.capture(engine);
        self.touch();
    }

    /// Something the page shows changed, events or not.
    pub(crate) fn touch(&mut self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// The server is stopping: every long poll answers now.
    pub(crate) fn stop(&mut self) {
        self.stopping = true;
        self.touch();
    }

    fn trim(&mut self) {
        let excess = self.events.len().saturating_sub(self.limit);
        self.events.drain(..excess);
    }

    /// The events numbered `after` or later (at most `max`), and whether some of those were
    /// dropped before they could be read.
    fn since(&self, after: u64, max: usize) -> (impl Iterator<Item = &Numbered>, bool) {
        let oldest = self.events.front().map_or(self.next_seq, |e| e.seq);
        let skip = usize::try_from(after.saturating_sub(oldest)).unwrap_or(usize::MAX);
        (self.events.iter().skip(skip).take(max), after < oldest)
    }

    /// The status changes of the session `arn`, oldest first.
    fn session_changes<'a>(&'a self, arn: &'a str) -> impl Iterator<Item = &'a EngineEvent> {
        self.events
            .iter()
            .map(|n| &n.event)
            .filter(move |e| e.arn == arn && matches!(e.change, Change::StreamSession { .. }))
    }
}

// ---------------------------------------------------------------------------------------------
// The page and its assets.

/// The page: `index.html` with its stylesheet and script inlined, so that it is one request
/// (which carries the control token, when there is one, in its query).
static PAGE: LazyLock<String> = LazyLock::new(|| {
    include_str!("ui/index.html")
        .replace("/* style.css */", include_str!("ui/style.css"))
        .replace("/* app.js */", include_str!("ui/app.js"))
});

/// The state diagram, drawn from the transition table the engine runs.
static DIAGRAM: LazyLock<String> = LazyLock::new(gameliftstreams_lifecycle::svg_state_diagram);

async fn page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Everything the page needs is in it or under /_mock/: nothing else may load.
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                 img-src 'self' data:",
            ),
        ],
        PAGE.as_str(),
    )
        .into_response()
}

async fn diagram() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        DIAGRAM.as_str(),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// The views.

type Answer = Result<Response, AwsError>;

/// A JSON timestamp, as the API writes them: epoch seconds (an integer when whole).
fn seconds(at: DateTime<Utc>) -> Value {
    epoch::serialize(&at, serde_json::value::Serializer).unwrap_or(Value::Null)
}

fn account_param(query: Option<&str>) -> Result<AccountId, AwsError> {
    query_param(query, "account").map_or(Ok(AccountId::DEFAULT), |a| {
        a.parse()
            .map_err(|e| AwsError::validation(format!("account: {e}")))
    })
}

fn number_param(query: Option<&str>, name: &str, default: usize) -> Result<usize, AwsError> {
    query_param(query, name).map_or(Ok(default), |n| {
        n.parse()
            .map_err(|_| AwsError::validation(format!("{name} must be a whole number, not '{n}'")))
    })
}

fn to_value(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| json!({ "SerializationError": e.to_string() }))
}

/// The armed timers of a session and their deadlines, in the timers' tie-break order.
fn armed_timers(view: &SessionView<'_>) -> Vec<(Timer, DateTime<Utc>)> {
    Timer::ALL
        .into_iter()
        .filter_map(|timer| view.session().deadline(timer).map(|at| (timer, at)))
        .collect()
}

/// `GET /_mock/ui/state`.
async fn state(State(state): State<MockState>) -> Response {
    let mut core = state.lock();
    let now = core.tick();
    let engine = &core.engine;
    let mut accounts: Vec<AccountId> = engine.accounts().collect();
    if !accounts.contains(&AccountId::DEFAULT) {
        accounts.insert(0, AccountId::DEFAULT);
    }
    let accounts: Vec<Value> = accounts
        .into_iter()
        .map(|account| {
            let mut by_status = std::collections::BTreeMap::<&str, u64>::new();
            if let Ok(sessions) = engine.peek_stream_sessions(account, None) {
                for view in sessions {
                    *by_status.entry(view.session().status().as_str()).or_default() += 1;
                }
            }
            let total: u64 = by_status.values().sum();
            json!({
                "AccountId": account,
                "Applications": engine.peek_applications(account).map(|a| to_value(&a)).collect::<Vec<_>>(),
                "StreamGroups": engine.peek_stream_groups(account).map(|g| to_value(&g)).collect::<Vec<_>>(),
                "StreamUrls": engine.peek_stream_urls(account).map(|u| to_value(&u)).collect::<Vec<_>>(),
                "Sessions": { "Total": total, "ByStatus": by_status },
            })
        })
        .collect();
    json_body(&json!({
        "Now": seconds(now),
        "Mode": core.clock.mode(),
        "NextDue": engine.poll_timeout().map(seconds),
        "Region": engine.region(),
        "WebRtc": webrtc_on(&core),
        "Statuses": SessionStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "Reasons": StatusReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "Generation": core.feed.generation,
        "Accounts": accounts,
    }))
}

fn webrtc_on(core: &crate::state::Core) -> bool {
    #[cfg(feature = "webrtc")]
    return core.webrtc.is_some();
    #[cfg(not(feature = "webrtc"))]
    {
        let _ = core;
        false
    }
}

/// The page size when the page does not say, and the largest it may ask for.
const PAGE_SIZE: usize = 50;
const MAX_PAGE_SIZE: usize = 500;

/// `GET /_mock/ui/sessions?account=&group=&status=&page=&size=`: one page of an account's
/// sessions (of one group, in one status, if asked), in creation order, newest first.
async fn sessions(State(state): State<MockState>, RawQuery(query): RawQuery) -> Answer {
    let query = query.as_deref();
    let account = account_param(query)?;
    let group = query_param(query, "group").filter(|g| !g.is_empty());
    let status = match query_param(query, "status").filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<SessionStatus>()
                .map_err(|e| AwsError::validation(format!("status: {e}")))?,
        ),
        None => None,
    };
    let page = number_param(query, "page", 0)?;
    let size = number_param(query, "size", PAGE_SIZE)?.clamp(1, MAX_PAGE_SIZE);
    let mut core = state.lock();
    core.tick();
    let engine = &core.engine;
    let matching = || -> Result<_, AwsError> {
        Ok(engine
            .peek_stream_sessions(account, group.as_deref())?
            .filter(|v| status.is_none_or(|s| v.session().status() == s)))
    };
    let total = matching()?.count();
    // Newest first: a page of the list reversed, without collecting it.
    let first = total.saturating_sub(page.saturating_add(1).saturating_mul(size));
    let last = total.saturating_sub(page.saturating_mul(size));
    let mut items: Vec<Value> = matching()?
        .skip(first)
        .take(last - first)
        .map(|view| {
            let mut item = to_value(&view.summary());
            if let Value::Object(members) = &mut item {
                members.insert("SessionId".into(), json!(view.id().as_str()));
                members.insert("StreamGroupId".into(), json!(view.group_id().as_str()));
                if let Some((timer, at)) = view.session().first_timer() {
                    members.insert("NextTimer".into(), json!(timer.to_string()));
                    members.insert("NextDeadline".into(), json!(seconds(at)));
                }
            }
            item
        })
        .collect();
    items.reverse();
    Ok(json_body(&json!({
        "Total": total,
        "Page": page,
        "PageSize": size,
        "Items": items,
    })))
}

/// `GET /_mock/ui/session?account=&group=&session=`: one session as `ListStreamSessions`
/// lists it, its armed timers with their deadlines, and its status changes.
async fn session(State(state): State<MockState>, RawQuery(query): RawQuery) -> Answer {
    let query = query.as_deref();
    let account = account_param(query)?;
    let (Some(group), Some(id)) = (query_param(query, "group"), query_param(query, "session"))
    else {
        return Err(AwsError::validation(
            "Give the session's group and session (IDs or ARNs)",
        ));
    };
    let mut core = state.lock();
    core.tick();
    let webrtc = webrtc_on(&core);
    let view = core.engine.peek_stream_session(account, &group, &id)?;
    let session = view.session();
    let arn = view.arn();
    let timers = armed_timers(&view);
    let timeline: Vec<Value> = core
        .feed
        .session_changes(&arn)
        .filter_map(|e| match &e.change {
            Change::StreamSession { from, to, reason } => Some(json!({
                "At": seconds(e.at),
                "From": from,
                "To": to,
                "Reason": reason,
            })),
            _ => None,
        })
        .collect();
    // The feed keeps the newest events only: a timeline that does not start at the creation
    // has lost its beginning.
    let complete = timeline.first().is_some_and(|c| c["From"].is_null());
    let player = webrtc.then(|| {
        format!(
            "/_mock/play?group={}&arn={}&key={account}",
            view.group_id().as_str(),
            arn
        )
    });
    Ok(json_body(&json!({
        "Summary": view.summary(),
        "SessionId": view.id().as_str(),
        "StreamGroupId": view.group_id().as_str(),
        "ConnectionTimeoutSeconds": session.connection_timeout().seconds(),
        "SessionLengthSeconds": session.session_length().seconds(),
        "ApplicationStartedAt": session.application_started_at().map(seconds),
        "StreamingStartedAt": session.streaming_started_at().map(seconds),
        "StreamingEndedAt": session.streaming_ended_at().map(seconds),
        "Timers": timers
            .iter()
            .map(|(timer, at)| json!({ "Timer": timer.to_string(), "Deadline": seconds(*at) }))
            .collect::<Vec<_>>(),
        "NextDeadline": session.poll_timeout().map(seconds),
        "Timeline": timeline,
        "TimelineComplete": complete,
        "PlayerUrl": player,
    })))
}

/// `GET /_mock/ui/changes?version=V&after=N`: answers as soon as the version is not `V` (at
/// once when it already is not), else after [`LONG_POLL`] with nothing new: the version, the
/// engine's generation, the clock, and the events numbered `N` or later (without `after`, the
/// newest [`FIRST_EVENTS`]).
///
/// On a real clock, timers fall due with nobody asking: the poll then wakes at the engine's next
/// due time and advances it, as any request would, so that the page sees them fire.
async fn changes(State(state): State<MockState>, RawQuery(query): RawQuery) -> Answer {
    let query = query.as_deref();
    let seen = query_param(query, "version").and_then(|v| v.parse::<u64>().ok());
    let after = query_param(query, "after").and_then(|a| a.parse::<u64>().ok());
    let mut changed = state.lock().feed.version.subscribe();
    let until = tokio::time::Instant::now() + LONG_POLL;
    loop {
        let wake = {
            let mut core = state.lock();
            let now = core.tick();
            let version = *core.feed.version.borrow();
            let stopping = core.feed.stopping;
            if seen != Some(version) || stopping || tokio::time::Instant::now() >= until {
                return Ok(changes_answer(&core, version, after, now));
            }
            // A real clock moves by itself: wake when the engine next has something to do.
            let due = (core.clock.mode() == ClockMode::Real)
                .then(|| core.engine.poll_timeout())
                .flatten()
                .and_then(|due| (due - now).to_std().ok());
            let left = until - tokio::time::Instant::now();
            due.map_or(left, |d| d.min(left))
                .max(Duration::from_millis(5))
        };
        // Either way the loop looks again; a closed channel cannot happen while the state lives.
        let _ = tokio::time::timeout(wake, changed.changed()).await;
    }
}

fn changes_answer(
    core: &crate::state::Core,
    version: u64,
    after: Option<u64>,
    now: DateTime<Utc>,
) -> Response {
    let feed = &core.feed;
    // Without a cursor, the page starts with the newest few.
    let after = after.unwrap_or(feed.next_seq.saturating_sub(FIRST_EVENTS));
    let (events, missed) = feed.since(after, EVENTS_PER_ANSWER);
    let events: Vec<Value> = events
        .map(|n| {
            let mut event = to_value(&n.event);
            if let Value::Object(members) = &mut event {
                members.insert("Seq".into(), json!(n.seq));
            }
            event
        })
        .collect();
    // Where the next poll starts: after the last event answered, else where this one did.
    let next = events
        .last()
        .and_then(|e| e["Seq"].as_u64())
        .map_or(after.min(feed.next_seq), |seq| seq + 1);
    json_body(&json!({
        "Version": version,
        "Generation": feed.generation,
        "Now": seconds(now),
        "Mode": core.clock.mode(),
        "Events": events,
        "Next": next,
        "More": next < feed.next_seq,
        "Missed": missed,
        "Stopping": feed.stopping,
    }))
}
