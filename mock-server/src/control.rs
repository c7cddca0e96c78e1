//! The control API under `/_mock/`: health, reset, the clock, client events, the engine's
//! configuration, its snapshot and its event log. JSON in PascalCase, no SigV4; errors in the
//! same AWS shape as the API's.

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_lifecycle::api::epoch;
use gameliftstreams_lifecycle::{
    AccountId, Engine, EngineConfig, Observation, Snapshot, StatusReason,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::clock::ClockMode;
use crate::error::{AwsError, json_body};
use crate::journal::Action;
use crate::rest::json_object;
use crate::state::MockState;

/// The control routes.
pub(crate) fn router() -> Router<MockState> {
    Router::new()
        .route("/_mock/health", get(health))
        .route("/_mock/reset", post(reset))
        .route("/_mock/clock", get(get_clock).post(move_clock))
        .route(
            "/_mock/streamgroups/{GroupId}/streamsessions/{SessionId}/events",
            post(session_event),
        )
        .route("/_mock/config", get(get_config).put(put_config))
        .route(
            "/_mock/snapshot",
            get(get_snapshot)
                .put(put_snapshot)
                .layer(DefaultBodyLimit::max(SNAPSHOT_BODY_LIMIT)),
        )
        .route("/_mock/events", get(drain_events))
        .route(
            "/_mock/streamurls/{StreamUrlId}/stream",
            get(play_page).post(open_stream_url),
        )
        .route(
            "/_mock/applications/{ApplicationId}/shadercaches/{CacheId}",
            axum::routing::put(put_shader_cache).delete(delete_shader_cache),
        )
        .route("/_mock/play", get(play_page))
        .route("/_mock/webrtc", get(webrtc_stats))
        .route(INPUT_MODULE_PATH, get(input_module))
}

/// `GET /_mock/webrtc`: what the WebRTC layer has done (peers, observations, dropped
/// datagrams, answer-to-CONNECTED percentiles); `{"Enabled": false}` without `--webrtc`.
async fn webrtc_stats(State(state): State<MockState>) -> Response {
    #[cfg(feature = "webrtc")]
    if let Some(webrtc) = state.lock().webrtc.clone() {
        let s = webrtc.stats();
        return json_body(&serde_json::json!({
            "Enabled": true,
            "Peers": s.peers,
            "ClientsConnected": s.clients_connected,
            "ClientsDisconnected": s.clients_disconnected,
            "UserInputs": s.user_inputs,
            "DatagramsDropped": s.datagrams_dropped,
            "AnswerToConnectedMicros": {
                "P50": s.answer_to_connected_p50_micros,
                "P99": s.answer_to_connected_p99_micros,
                "Samples": s.answer_to_connected_samples,
            },
        }));
    }
    let _ = state;
    json_body(&serde_json::json!({ "Enabled": false }))
}

/// `GET /_mock/play`: the test player, a page that streams from a session in this browser.
async fn play_page() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        include_str!("../assets/play.html"),
    )
        .into_response()
}

/// The input module every WebRTC answer names as its `webSdkProtocolUrl`: the Web SDK loads it
/// with `crossorigin="anonymous"` from the front end's own origin, hence the CORS header.
async fn input_module() -> Response {
    (
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/javascript; charset=utf-8",
            ),
            (axum::http::header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        include_str!("../assets/input.js"),
    )
        .into_response()
}

/// Where the input module is served: the `webSdkProtocolUrl` of every WebRTC answer.
pub(crate) const INPUT_MODULE_PATH: &str = "/_mock/webrtc/input.js";

/// The largest snapshot `PUT /_mock/snapshot` reads: an engine's state outgrows the 2 MiB
/// every other request is limited to.
pub(crate) const SNAPSHOT_BODY_LIMIT: usize = 1 << 30;

type Answer = Result<Response, AwsError>;

/// A JSON object request body (an empty body is an error: every control body has a required
/// member).
fn parse<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, AwsError> {
    let body = body.map_err(|e| AwsError::validation(format!("Unreadable request body: {e}")))?;
    json_object(&body)
}

fn no_content() -> Response {
    (StatusCode::NO_CONTENT, Body::empty()).into_response()
}

async fn health(State(state): State<MockState>) -> Response {
    state.lock().tick();
    json_body(&serde_json::json!({ "Status": "ok" }))
}

/// Forgets every resource: a fresh engine with the same configuration. The clock stays.
async fn reset(State(state): State<MockState>) -> Answer {
    state.lock().perform(Action::Reset)?;
    Ok(no_content())
}

/// `GET /_mock/clock` and the answer of `POST /_mock/clock`.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ClockReading {
    #[serde(with = "epoch")]
    now: DateTime<Utc>,
    mode: ClockMode,
}

async fn get_clock(State(state): State<MockState>) -> Response {
    let mut core = state.lock();
    let now = core.tick();
    json_body(&ClockReading {
        now,
        mode: core.clock.mode(),
    })
}

/// `POST /_mock/clock`: exactly one of the two members.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ClockMove {
    advance_seconds: Option<f64>,
    now: Option<f64>,
}

async fn move_clock(State(state): State<MockState>, body: Result<Bytes, BytesRejection>) -> Answer {
    let request: ClockMove = parse(body)?;
    let mut core = state.lock();
    core.refuse_if_closed()?;
    core.tick();
    match (request.advance_seconds, request.now) {
        (Some(secs), None) => {
            if secs < 0.0 {
                return Err(AwsError::validation(format!(
                    "AdvanceSeconds must not be negative ({secs:?}): the clock cannot move back"
                )));
            }
            let by = seconds(secs).ok_or_else(|| {
                AwsError::validation(format!("AdvanceSeconds {secs:?} is out of range"))
            })?;
            core.clock.advance(by).map_err(AwsError::validation)?;
        }
        (None, Some(secs)) => {
            let to = epoch::from_seconds(secs).ok_or_else(|| {
                AwsError::validation(format!("Now {secs:?} is not a time in epoch seconds"))
            })?;
            core.clock.set(to).map_err(AwsError::validation)?;
        }
        _ => {
            return Err(AwsError::validation(
                "Give exactly one of AdvanceSeconds (seconds to move forward) or Now (epoch seconds)",
            ));
        }
    }
    // Time passing changes the engine (timers fire): the journal records the move.
    core.perform(Action::Advance)?;
    Ok(json_body(&ClockReading {
        now: core.clock.now(),
        mode: core.clock.mode(),
    }))
}

/// `secs` (at least 0) as a duration, to the nanosecond; `None` beyond any clock's range.
fn seconds(secs: f64) -> Option<TimeDelta> {
    if !secs.is_finite() || secs >= 1e13 {
        return None;
    }
    let nanos = ((secs.fract() * 1e9).round() as u32).min(999_999_999);
    TimeDelta::new(secs.trunc() as i64, nanos)
}

/// `POST /_mock/streamgroups/{GroupId}/streamsessions/{SessionId}/events`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SessionEvent {
    r#type: String,
    reason: Option<String>,
    account_id: Option<String>,
}

const EVENT_TYPES: &str =
    "CLIENT_CONNECTED, CLIENT_DISCONNECTED, USER_INPUT, APPLICATION_EXITED, FAILED, EXPORT_FAILED";

impl SessionEvent {
    fn observation(&self) -> Result<Observation, AwsError> {
        let observation = match self.r#type.as_str() {
            "CLIENT_CONNECTED" => Observation::ClientConnected,
            "CLIENT_DISCONNECTED" => Observation::ClientDisconnected,
            "USER_INPUT" => Observation::UserInput,
            "APPLICATION_EXITED" => Observation::ApplicationExited,
            "FAILED" => {
                let reason = self.reason.as_deref().ok_or_else(|| {
                    AwsError::validation(
                        "Type FAILED needs a Reason: an ERROR status reason such as internalError",
                    )
                })?;
                let reason: StatusReason = reason
                    .parse()
                    .map_err(|e| AwsError::validation(format!("Reason: {e}")))?;
                return Ok(Observation::Failed(reason));
            }
            other => {
                return Err(AwsError::validation(format!(
                    "'{other}' is not an event Type; expected one of: {EVENT_TYPES}"
                )));
            }
        };
        if self.reason.is_some() {
            return Err(AwsError::validation(format!(
                "Reason applies only to Type FAILED, not to {}",
                self.r#type
            )));
        }
        Ok(observation)
    }

    fn account(&self) -> Result<AccountId, AwsError> {
        account_of(self.account_id.as_deref())
    }
}

async fn session_event(
    State(state): State<MockState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path((group, session)) =
        path.map_err(|e| AwsError::validation(format!("Malformed URI: {e}")))?;
    let event: SessionEvent = parse(body)?;
    let account = event.account()?;
    if event.r#type == "EXPORT_FAILED" {
        // Not a session status change: the upload of the session's exported files fails.
        let reason = event.reason.as_deref().ok_or_else(|| {
            AwsError::validation("Type EXPORT_FAILED needs a Reason: why the upload failed")
        })?;
        let action = Action::FailExport {
            account,
            group,
            session,
            reason: reason.to_owned(),
        };
        return Ok(json_body(&state.lock().perform(action)?.session()?));
    }
    let observation = event.observation()?;
    let action = Action::Observe {
        account,
        group,
        session,
        observation,
    };
    Ok(json_body(&state.lock().perform(action)?.session()?))
}

async fn get_config(State(state): State<MockState>) -> Response {
    let mut core = state.lock();
    core.tick();
    json_body(core.engine.config())
}

/// `PUT /_mock/config`: the body, a JSON object, is merged onto the current configuration as
/// a JSON merge patch (RFC 7396: objects merge member by member, anything else replaces, a
/// `null` member goes back to its default). Members the configuration does not have are
/// refused rather than ignored (the engine's configuration denies unknown fields), so that a
/// typo cannot pass for a setting.
async fn put_config(State(state): State<MockState>, body: Result<Bytes, BytesRejection>) -> Answer {
    let patch: Value = parse(body)?;
    let mut core = state.lock();
    core.refuse_if_closed()?;
    core.tick();
    let mut merged = serde_json::to_value(core.engine.config())
        .map_err(|e| AwsError::internal(format!("cannot serialize the configuration: {e}")))?;
    merge_patch(&mut merged, &patch);
    let config: EngineConfig = serde_json::from_value(merged)
        .map_err(|e| AwsError::validation(format!("Invalid configuration: {e}")))?;
    core.perform(Action::Config(Box::new(config)))?;
    Ok(json_body(core.engine.config()))
}

/// RFC 7396 JSON merge patch.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                merge_patch(target.entry(key.as_str()).or_insert(Value::Null), value);
            }
        }
    }
}

/// `GET /_mock/snapshot`: the state is copied under the lock, and serialized after it is
/// released, on a blocking thread (serializing 100,000 sessions takes a second or two, which
/// every other request used to wait out).
async fn get_snapshot(State(state): State<MockState>) -> Response {
    let snapshot = {
        let mut core = state.lock();
        core.tick();
        core.engine.snapshot()
    };
    match tokio::task::spawn_blocking(move || json_body(&snapshot)).await {
        Ok(response) => response,
        Err(e) => AwsError::internal(format!("cannot serialize the snapshot: {e}")).into_response(),
    }
}

/// One `PUT /_mock/snapshot` reads its body at a time, so that concurrent ones cannot each
/// buffer up to [`SNAPSHOT_BODY_LIMIT`].
static SNAPSHOT_PUTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// `PUT /_mock/snapshot`: replaces the engine; a snapshot that does not restore leaves the
/// state as it was.
async fn put_snapshot(State(state): State<MockState>, body: Body) -> Answer {
    // The semaphore is never closed.
    let _one = SNAPSHOT_PUTS
        .acquire()
        .await
        .map_err(|e| AwsError::internal(e.to_string()))?;
    let bytes = axum::body::to_bytes(body, SNAPSHOT_BODY_LIMIT)
        .await
        .map_err(|e| AwsError::validation(format!("Unreadable request body: {e}")))?;
    // Parsing and checking a large snapshot is CPU work: off the async workers.
    let engine = tokio::task::spawn_blocking(move || {
        let snapshot: Snapshot = json_object(&bytes)
            .map_err(|e| AwsError::validation(format!("Invalid snapshot: {}", e.message())))?;
        Engine::restore(snapshot).map_err(|e| AwsError::validation(e.to_string()))
    })
    .await
    .map_err(|e| AwsError::internal(format!("cannot restore the snapshot: {e}")))??;
    let mut core = state.lock();
    core.refuse_if_closed()?;
    core.replace_engine(engine);
    core.tick();
    // The journal starts again from the restored state.
    core.restart_journal();
    Ok(no_content())
}

/// `GET /_mock/events`: every status change since the last call, oldest first (at most the
/// newest `--event-log-limit`; the `x-mock-events-dropped` header says how many older ones were
/// dropped since the last call).
async fn drain_events(State(state): State<MockState>) -> Response {
    let mut core = state.lock();
    let events = match core.perform(Action::Drain).and_then(|o| o.events()) {
        Ok(events) => events,
        Err(e) => return e.into_response(),
    };
    let dropped = std::mem::take(&mut core.events_dropped);
    let mut response = json_body(&events);
    response.headers_mut().insert(
        "x-mock-events-dropped",
        axum::http::HeaderValue::from(dropped),
    );
    response
}

/// The body of `POST /_mock/streamurls/{StreamUrlId}/stream`: the player's offer.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct OpenStreamUrl {
    signal_request: String,
}

/// `POST /_mock/streamurls/{StreamUrlId}/stream?token=…`: what AWS's hosted player does when
/// someone opens a stream URL: a new session with the URL's frozen settings, one use spent.
/// Answers `201` with the session as `StartStreamSession` does. The token is never logged (the
/// request log has the path only).
async fn open_stream_url(
    State(state): State<MockState>,
    path: Result<Path<String>, PathRejection>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path(id) = path.map_err(|e| AwsError::validation(format!("Malformed URI: {e}")))?;
    let token = query_param(query.as_deref(), "token")
        .ok_or_else(|| AwsError::access_denied("The stream URL's token is missing"))?;
    let open: OpenStreamUrl = parse(body)?;
    let action = Action::OpenStreamUrl {
        id,
        token,
        offer: open.signal_request,
    };
    let session = state.lock().perform(action)?.started()?;
    let mut response = json_body(&session);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// The body of `PUT /_mock/applications/{ApplicationId}/shadercaches/{CacheId}`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ShaderCacheBody {
    status: gameliftstreams_lifecycle::api::ShaderCacheStatus,
    #[serde(default)]
    storage_bytes: Option<i64>,
    #[serde(default)]
    associated_stream_groups: Vec<String>,
    #[serde(default)]
    account_id: Option<String>,
}

/// The first value of the query-string parameter `name`, decoded.
pub(crate) fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The `AccountId` member of a control request: the default account when absent.
fn account_of(value: Option<&str>) -> Result<AccountId, AwsError> {
    value.map_or(Ok(AccountId::DEFAULT), |a| {
        a.parse()
            .map_err(|e| AwsError::validation(format!("AccountId: {e}")))
    })
}

/// `PUT /_mock/applications/{ApplicationId}/shadercaches/{CacheId}`: adds or changes one of an
/// application's shader caches (no API operation creates them). Answers the cache as
/// `ListApplicationShaderCaches` lists it.
async fn put_shader_cache(
    State(state): State<MockState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let Path((app, cache)) =
        path.map_err(|e| AwsError::validation(format!("Malformed URI: {e}")))?;
    let body: ShaderCacheBody = parse(body)?;
    let account = account_of(body.account_id.as_deref())?;
    let seed = gameliftstreams_lifecycle::ShaderCacheSeed {
        identifier: cache,
        status: body.status,
        storage_bytes: body.storage_bytes,
        associated_stream_groups: body.associated_stream_groups,
    };
    let action = Action::PutShaderCache {
        account,
        application: app,
        seed,
    };
    Ok(json_body(&state.lock().perform(action)?.shader_cache()?))
}

/// `DELETE /_mock/applications/{ApplicationId}/shadercaches/{CacheId}[?AccountId=…]`.
async fn delete_shader_cache(
    State(state): State<MockState>,
    path: Result<Path<(String, String)>, PathRejection>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Answer {
    let Path((app, cache)) =
        path.map_err(|e| AwsError::validation(format!("Malformed URI: {e}")))?;
    let account = account_of(query_param(query.as_deref(), "AccountId").as_deref())?;
    let action = Action::RemoveShaderCache {
        account,
        application: app,
        cache,
    };
    state.lock().perform(action)?;
    Ok(no_content())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_merges_objects_and_replaces_the_rest() {
        let mut target = json!({"A": {"B": 1, "C": 2}, "D": [1, 2], "E": 5});
        merge_patch(
            &mut target,
            &json!({"A": {"B": 3}, "D": [3], "E": null, "F": {"G": null}}),
        );
        assert_eq!(target, json!({"A": {"B": 3, "C": 2}, "D": [3], "F": {}}));
    }
}
