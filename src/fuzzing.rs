//! The bodies of the fuzz targets (feature `fuzzing`). Each function takes the fuzzer's bytes,
//! decodes them (with `arbitrary`, or as JSON) and panics on any violated property. The
//! cargo-fuzz targets in `fuzz/` are one-line wrappers over these functions, the corpus replay
//! test (`tests/fuzz_corpus.rs`) calls the same ones on every committed input, and the
//! model-based property tests share their comparison with the reference models from here.
//!
//! | target | function | input |
//! |---|---|---|
//! | `session` | [`session_steps`] | a bounded [`SessionConfig`], a first offer, `Vec<`[`Step`]`>` |
//! | `engine` | [`engine_ops`] | first byte even: `Vec<`[`Op`]`>`; odd: `Vec<`[`EngineStep`]`>` ([`engine_input_of_ops`], [`engine_input_of_steps`] write one) |
//! | `identifiers` | [`identifiers_and_json`] | the bytes as text (IDs, ARNs, patterns) and as JSON bodies |
//! | `snapshot` | [`snapshot_bytes`] | a JSON engine snapshot (or session), then `Vec<`[`Op`]`>` |

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::str::FromStr;

use arbitrary::{Arbitrary, Unstructured};
use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::api::*;
use crate::model::{
    EXPORT_UPLOAD, EngineModel, EngineStep, ExportPhase, SessionModel, Step, observation, offer,
    url_change_allowed,
};
use crate::script::{
    ACCOUNTS, Driver, EXPORT_FAILURE, Happening, Op, Outcome, WRONG_TOKEN, export_uri,
    shader_cache_bytes, shader_cache_id, shader_cache_status, stream_url_token, tag_keys,
    url_minutes, url_uses,
};
use crate::{
    AccountId, ApiError, Change, ConnectionTimeout, Delays, Engine, EngineConfig, EngineEvent,
    ErrorKind, Event, Identifier, Input, MAX_TAGS_PER_RESOURCE, Observation, ResourceArn,
    ResourceId, Response, Session, SessionConfig, SessionLength, SessionLengthOrigin,
    SessionStatus, ShaderCacheSeed, Snapshot, StatusReason, Timer, Timestamp, deadline_after,
};

/// The first signal request of the sessions the property tests generate.
pub const FIRST_OFFER: &str = "v=0 first offer";

// ---------------------------------------------------------------------------------------------
// Session
// ---------------------------------------------------------------------------------------------

/// `now` moved by `millis` (negative: earlier), saturating at the ends of time exactly as
/// deadlines do, so that the session, the model and the harness agree on every instant.
fn shifted(now: DateTime<Utc>, millis: i64) -> DateTime<Utc> {
    deadline_after(now, TimeDelta::milliseconds(millis))
}

/// The `now` at which `step` acts, given the latest `now` seen.
fn step_time(now: DateTime<Utc>, step: &Step) -> DateTime<Utc> {
    match step {
        Step::Input(_) | Step::Timeout => now,
        Step::Advance { millis } => shifted(now, i64::from(*millis)),
        Step::Late { millis, .. } => shifted(now, -i64::from(*millis)),
    }
}

/// Plays `step` on the session: an input at its latest `now` (or earlier, for
/// [`Step::Late`]), or time passing. Returns the answer's error kind.
pub fn play_session_step(session: &mut Session, step: &Step) -> Result<(), ErrorKind> {
    let at = step_time(session.now(), step);
    match step {
        Step::Input(input) | Step::Late { input, .. } => session
            .handle_input(at, input.clone())
            .map_err(|e| e.kind()),
        Step::Advance { .. } | Step::Timeout => {
            session.handle_timeout(at);
            Ok(())
        }
    }
}

/// Plays `step` on the reference model, as [`play_session_step`] does on the session.
pub fn play_model_step(model: &mut SessionModel, step: &Step) -> Result<(), ErrorKind> {
    let at = step_time(model.now, step);
    match step {
        Step::Input(input) | Step::Late { input, .. } => model.input(at, input),
        Step::Advance { .. } | Step::Timeout => {
            model.tick(at);
            Ok(())
        }
    }
}

/// What the reference model says after one step.
#[derive(Clone, Copy, Debug)]
pub struct ModelAfter<'a> {
    /// The model after the step.
    pub model: &'a SessionModel,
    /// Its answer to the step.
    pub last: Result<(), ErrorKind>,
    /// Its status before the step.
    pub before: SessionStatus,
    /// How many status changes the step made (the last ones of `model.changes`).
    pub step_changes: usize,
}

/// Asserts that `session`, which was `before` and answered `result` to `step`, agrees with the
/// model after the same step: the answer, the status, reason, timestamps, every deadline and
/// `poll_timeout`; one event per change, exactly the model's (the events are drained);
/// terminal statuses absorbing; a refused input changing nothing but the passing of time.
pub fn assert_session_agrees(
    before: &Session,
    session: &mut Session,
    step: &Step,
    result: Result<(), ErrorKind>,
    expected: ModelAfter<'_>,
) {
    let m = expected.model;
    assert_eq!(result, expected.last, "answer to {step:?}");
    assert_ne!(result, Err(ErrorKind::InternalServer));
    assert_eq!(session.status(), m.status, "status after {step:?}");
    assert_eq!(session.reason(), m.reason);
    // Compared as `Timestamp`s, which the session keeps: making `DateTime`s of them costs a
    // calendar conversion each.
    let model_instants = [
        Some(m.now),
        Some(m.last_updated_at),
        m.application_started_at,
        m.streaming_started_at,
        m.streaming_ended_at,
    ]
    .map(|at| at.map(Timestamp::from));
    assert_eq!(
        session.instants(),
        model_instants,
        "now, LastUpdatedAt, ApplicationStartedAt, StreamingStartedAt, StreamingEndedAt after {step:?}"
    );
    assert_eq!(session.location(), m.location.as_deref());
    let mut model_timers = m.timers.iter().peekable();
    for timer in Timer::ALL {
        let want = model_timers
            .next_if(|(t, _)| **t == timer)
            .map(|(_, at)| Timestamp::from(*at));
        assert_eq!(session.deadline_at(timer), want, "{timer:?} after {step:?}");
    }
    assert_eq!(
        model_timers.next(),
        None,
        "a timer the session does not know"
    );
    assert_eq!(
        session.poll_timeout_at(),
        m.next_deadline().map(Timestamp::from)
    );

    // One event per change, exactly the model's.
    let want = &m.changes[m.changes.len() - expected.step_changes..];
    let mut got = 0;
    while let Some(Event::StatusChanged {
        from,
        to,
        reason,
        at,
    }) = session.poll_event()
    {
        assert_eq!(
            want.get(got),
            Some(&(from, to, reason, at)),
            "event {got} of {step:?}"
        );
        got += 1;
    }
    assert_eq!(got, want.len(), "events of {step:?}: {want:?}");

    // Terminal statuses are absorbing.
    if expected.before.is_terminal() {
        assert_eq!(session.status(), expected.before);
    }
    // A refused input changes nothing but the passing of time.
    if result.is_err() {
        let mut unchanged = before.clone();
        unchanged.handle_timeout(step_time(before.now(), step));
        while unchanged.poll_event().is_some() {}
        assert_eq!(
            *session, unchanged,
            "a refused {step:?} changed the session"
        );
    }
}

/// Asserts the session's invariants and that its serde round trip is identical.
pub fn assert_session_invariants(session: &Session) {
    session
        .check_invariants()
        .unwrap_or_else(|e| panic!("session invariant: {e}"));
    let json = serde_json::to_string(session).expect("a session serializes");
    let restored: Session = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("a session's own JSON restores: {e}\n{json}"));
    assert_eq!(&restored, session, "the snapshot round trip is identical");
}

/// A session configuration within the API's bounds, with durations in milliseconds; now and
/// then a negative one, which `start` must refuse.
fn session_config(u: &mut Unstructured<'_>) -> arbitrary::Result<SessionConfig> {
    let connection = u.int_in_range(1..=3600)?;
    let length = u.int_in_range(1..=86_400)?;
    // Bounded, so these cannot fail.
    let connection_timeout = ConnectionTimeout::new(connection).unwrap_or_default();
    let session_length = SessionLength::new(length).unwrap_or_default();
    let millis = |u: &mut Unstructured<'_>, max: i64| -> arbitrary::Result<TimeDelta> {
        Ok(TimeDelta::milliseconds(u.int_in_range(-1..=max)?))
    };
    Ok(SessionConfig {
        connection_timeout,
        session_length,
        idle_timeout: millis(u, 7_200_000)?,
        placement_timeout: millis(u, 600_000)?,
        termination_delay: millis(u, 60_000)?,
        session_length_origin: if bool::arbitrary(u)? {
            SessionLengthOrigin::Creation
        } else {
            SessionLengthOrigin::ApplicationStart
        },
    })
}

/// The start time: usually [`crate::script::epoch`], sometimes within days of the end of
/// time, where every deadline saturates.
fn start_time(u: &mut Unstructured<'_>) -> arbitrary::Result<DateTime<Utc>> {
    Ok(match u8::arbitrary(u)? {
        0 => shifted(
            DateTime::<Utc>::MAX_UTC,
            -i64::from(u.int_in_range(0u32..=u32::MAX)?),
        ),
        _ => crate::script::epoch(),
    })
}

/// Target `session`: an arbitrary bounded configuration, first offer and sequence of
/// [`Step`]s (inputs and time) on a [`Session`] and on the [`SessionModel`] side by side.
/// After every step they must agree ([`assert_session_agrees`]), `check_input` must have
/// answered as the input's `handle_input` did, and the session must keep its invariants; at
/// the end it must serialize and read back identically ([`assert_session_invariants`]: one
/// serde round trip per input, which costs more than all the steps).
pub fn session_steps(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(config) = session_config(&mut u) else {
        return;
    };
    let Ok(t0) = start_time(&mut u) else {
        return;
    };
    let first_offer = match u8::arbitrary(&mut u) {
        Ok(0) => String::new(),
        Ok(1) => match String::arbitrary(&mut u) {
            Ok(s) => s,
            Err(_) => return,
        },
        Ok(_) => FIRST_OFFER.to_owned(),
        Err(_) => return,
    };
    let Ok(steps) = Vec::<Step>::arbitrary_take_rest(u) else {
        return;
    };
    let started = Session::start(config.clone(), &first_offer, t0);
    let Some(mut model) = SessionModel::start(config, &first_offer, t0) else {
        let kind = started.map(drop).map_err(|e| e.kind());
        assert_eq!(
            kind,
            Err(ErrorKind::Validation),
            "the model refuses this start"
        );
        return;
    };
    let mut session = started.expect("the model accepts this start");
    for step in &steps {
        let status_before = model.status;
        let changes = model.changes.len();
        let last = play_model_step(&mut model, step);
        // `check_input` is `handle_input` without the change: asked first, on the very state
        // the input meets, it must give the answer the input then gets.
        let dry = match step {
            Step::Input(input) | Step::Late { input, .. } => {
                let at = step_time(session.now(), step);
                Some((session.check_input(at, input).map_err(|e| e.kind()), input))
            }
            Step::Advance { .. } | Step::Timeout => None,
        };
        let before = session.clone();
        let result = play_session_step(&mut session, step);
        if let Some((dry, input)) = dry {
            assert_eq!(
                dry, result,
                "check_input({input:?}) disagrees with handle_input"
            );
        }
        assert_session_agrees(
            &before,
            &mut session,
            step,
            result,
            ModelAfter {
                model: &model,
                last,
                before: status_before,
                step_changes: model.changes.len() - changes,
            },
        );
        session
            .check_invariants()
            .unwrap_or_else(|e| panic!("session invariant after {step:?}: {e}"));
    }
    assert_session_invariants(&session);
}

// ---------------------------------------------------------------------------------------------
// Engine
// ---------------------------------------------------------------------------------------------

/// Asserts that an API error is one of the eight kinds, with a consistent code and HTTP status
/// and a message, and that it is no InternalServerException unless a fault rule injected it.
pub fn assert_api_error(e: &ApiError, context: &dyn Debug) {
    let kind = e.kind();
    assert!(ErrorKind::ALL.contains(&kind));
    assert_eq!(ErrorKind::from_code(e.code()), Some(kind));
    assert_eq!(e.http_status(), kind.http_status());
    assert!(!e.to_string().is_empty(), "an error without a message");
    if !matches!(e, ApiError::Injected { .. }) {
        assert_ne!(kind, ErrorKind::InternalServer, "{context:?}: {e}");
    }
}

/// The errors in an op's outcome, and whether the op was one call and it was refused.
fn outcome_errors(outcome: &Outcome) -> (Vec<&ApiError>, bool) {
    match outcome {
        Outcome::Advanced => (vec![], false),
        Outcome::Answers(answers) => {
            let errors: Vec<_> = answers.iter().filter_map(|a| a.as_ref().err()).collect();
            let refused = answers.len() == 1 && errors.len() == 1;
            (errors, refused)
        }
        Outcome::Observed(answer) => (answer.as_ref().err().into_iter().collect(), answer.is_err()),
        Outcome::Scheduled(answer) => {
            (answer.as_ref().err().into_iter().collect(), answer.is_err())
        }
        Outcome::Seeded(answer) => (answer.as_ref().err().into_iter().collect(), answer.is_err()),
    }
}

/// The `now` at which the engine sees `op` played by `driver`; `None` for
/// [`Engine::schedule_fault`], which takes no `now` and lets no time pass.
fn op_time(driver: &Driver, op: &Op) -> Option<DateTime<Utc>> {
    match op {
        Op::Late { millis, .. } => Some(shifted(driver.now, -i64::from(*millis))),
        Op::Fault { .. } => None,
        _ => Some(driver.now),
    }
}

/// Asserts what holds of every event: it is no later than the engine's clock, and a session's
/// change is a change. Answers the events (drained).
fn assert_events(engine: &mut Engine) -> Vec<EngineEvent> {
    let now = engine.now();
    let events: Vec<EngineEvent> = engine.drain_events().collect();
    for EngineEvent { at, change, .. } in &events {
        assert!(
            *at <= now,
            "an event from the future: {change:?} at {at}, now {now}"
        );
        if let Change::StreamSession {
            from: Some(from),
            to,
            ..
        } = change
        {
            assert_ne!(from, to, "a session event that is not a change");
        }
    }
    events
}

/// The tags a scripted history gave each resource, which the engine must list back: a
/// reference model of the tagging operations, checked on every tagging op's answer.
///
/// - `ListTagsForResource` lists exactly the tags the accepted `TagResource` and
///   `UntagResource` calls left (later values replace earlier ones; untagging a key the
///   resource lacks does nothing).
/// - An accepted `TagResource` never leaves more than [`MAX_TAGS_PER_RESOURCE`]; the owner's
///   call with valid keys that would is refused with a ValidationException.
/// - A stranger's call with valid keys is AccessDenied; a session (not taggable) is never
///   tagged; a key that is not a tag key is a ValidationException.
///
/// Resources that are gone keep their entries: their ARNs are never reused, and the engine
/// refuses to list them.
#[derive(Clone, Debug, Default)]
pub struct TagModel {
    tags: BTreeMap<String, BTreeMap<String, String>>,
    /// How many calls of each kind were accepted (`TagResource`, `UntagResource`,
    /// `ListTagsForResource`).
    pub accepted: [usize; 3],
    /// `TagResource` calls the quota refused.
    pub over_quota: usize,
}

impl TagModel {
    /// A model of resources without tags.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the answer of `op`, played by `driver` (before or after: tagging ops create
    /// nothing), and follows it.
    pub fn check(&mut self, driver: &Driver, op: &Op, outcome: &Outcome) {
        let Outcome::Answers(answers) = outcome else {
            return;
        };
        let ([answer], Some(resource)) = (answers.as_slice(), tag_resource_of(op)) else {
            return;
        };
        let (_, arn) = driver
            .tag_target(resource)
            .expect("a tagging op that called has a target");
        let session = driver.sessions().iter().any(|(_, _, s)| s == arn);
        match op {
            Op::TagResource {
                first,
                count,
                value,
                stranger,
                ..
            } => {
                let keys = tag_keys(*first, *count);
                let valid = *first != u8::MAX && !keys.is_empty();
                let had = self.tags.get(arn);
                let after = had.map_or(0, BTreeMap::len)
                    + keys
                        .iter()
                        .filter(|k| !had.is_some_and(|h| h.contains_key(*k)))
                        .count();
                match answer {
                    Ok(_) => {
                        assert!(valid, "TagResource accepted the keys {keys:?}");
                        assert!(!stranger, "a stranger tagged {arn}");
                        assert!(!session, "a stream session was tagged: {arn}");
                        assert!(
                            after <= MAX_TAGS_PER_RESOURCE,
                            "{arn} accepted its tag number {after}"
                        );
                        self.accepted[0] += 1;
                        let value = format!("v{}", value % 4);
                        self.tags
                            .entry(arn.to_owned())
                            .or_default()
                            .extend(keys.into_iter().map(|k| (k, value.clone())));
                    }
                    Err(e) => {
                        if !valid {
                            assert_eq!(e.kind(), ErrorKind::Validation, "{op:?}: {e}");
                        } else if *stranger {
                            assert_eq!(e.kind(), ErrorKind::AccessDenied, "{op:?}: {e}");
                        } else if after > MAX_TAGS_PER_RESOURCE && !session {
                            // Live or not, the owner's resource is refused for one reason or
                            // the other, both ValidationExceptions.
                            assert_eq!(e.kind(), ErrorKind::Validation, "{op:?}: {e}");
                            self.over_quota += usize::from(e.to_string().contains("more than"));
                        }
                    }
                }
            }
            Op::UntagResource { first, count, .. } if answer.is_ok() => {
                assert!(!session, "a stream session was untagged: {arn}");
                self.accepted[1] += 1;
                if let Some(tags) = self.tags.get_mut(arn) {
                    for key in tag_keys(*first, *count) {
                        tags.remove(&key);
                    }
                }
            }
            Op::ListTags { .. } => {
                if let Ok(Response::ListTagsForResource(out)) = answer {
                    self.accepted[2] += 1;
                    let listed = out.tags.clone().unwrap_or_default();
                    let want = self.tags.get(arn).cloned().unwrap_or_default();
                    assert_eq!(listed, want, "the tags of {arn}");
                } else {
                    assert!(answer.is_err(), "ListTagsForResource answered {answer:?}");
                }
            }
            _ => {}
        }
    }
}

/// The `resource` of a tagging op.
fn tag_resource_of(op: &Op) -> Option<u8> {
    match op {
        Op::TagResource { resource, .. }
        | Op::UntagResource { resource, .. }
        | Op::ListTags { resource } => Some(*resource),
        _ => None,
    }
}

/// What a [`LifecycleWatch`] saw of a stream URL last: status, reason, `RemainingUses`.
type UrlSeen = (StreamUrlStatus, Option<StreamUrlStatusReason>, i32);

/// One stream URL change: from (`None`: its creation), to, the reason after.
pub type UrlTransition = (
    Option<StreamUrlStatus>,
    StreamUrlStatus,
    Option<StreamUrlStatusReason>,
);

/// Watches the stream URL and export lifecycles of an engine from the outside, step after
/// step, asserting what must hold whatever the history (the engine model's comparison asserts
/// more: exactly what the model predicts):
/// - each URL's events chain from its creation, and each is a move
///   [`url_change_allowed`] allows;
/// - `RemainingUses` is within `0..=UsageLimit`, never increases, is more than 0 while
///   `ACTIVE` and 0 when `LIMIT_REACHED`; a reason iff `REVOKED`; a URL that left `ACTIVE`
///   never returns, and `REVOKED` is never left;
/// - an export is `PENDING` while its session has not ended, `FAILED` when it ended in
///   `ERROR`; `SUCCEEDED` and `FAILED` never change again; an export never vanishes while its
///   session is kept.
///
/// It records the URL transitions and export status changes it saw, for the coverage test.
#[derive(Clone, Debug, Default)]
pub struct LifecycleWatch {
    urls: BTreeMap<String, UrlSeen>,
    url_events: BTreeMap<String, (StreamUrlStatus, Option<StreamUrlStatusReason>)>,
    exports: BTreeMap<String, ExportFilesStatus>,
    /// Every stream URL transition the events showed.
    pub url_transitions: BTreeSet<UrlTransition>,
    /// Every change of an export's status seen between two observations (`None`: none yet).
    pub export_transitions: BTreeSet<(Option<ExportFilesStatus>, ExportFilesStatus)>,
}

impl LifecycleWatch {
    /// A watch that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the stream URL events among `events` (in order).
    pub fn events<'a>(&mut self, events: impl IntoIterator<Item = &'a EngineEvent>) {
        for e in events {
            let Change::StreamUrl { from, to, reason } = &e.change else {
                continue;
            };
            let before = self.url_events.get(&e.arn).copied();
            assert_eq!(
                *from,
                before.map(|b| b.0),
                "the events of stream URL {} chain",
                e.arn
            );
            assert!(
                url_change_allowed(before, *to, *reason),
                "stream URL {}: {before:?} to {to:?} ({reason:?})",
                e.arn
            );
            self.url_events.insert(e.arn.clone(), (*to, *reason));
            self.url_transitions.insert((*from, *to, *reason));
        }
    }

    /// Checks one stream URL as an operation answered it.
    pub fn url(&mut self, url: &StreamUrlSummary) {
        let arn = url.arn.clone().expect("a stream URL has an ARN");
        let status = url.status.expect("a stream URL has a status");
        let reason = url.status_reason;
        let remaining = url.remaining_uses.expect("a stream URL has RemainingUses");
        let limit = url.usage_limit.expect("a stream URL has a UsageLimit");
        assert!((0..=limit).contains(&remaining), "{url:?}");
        assert_eq!(
            reason.is_some(),
            status == StreamUrlStatus::Revoked,
            "{url:?}"
        );
        if status == StreamUrlStatus::Active {
            assert!(remaining > 0, "an ACTIVE stream URL without uses: {url:?}");
        }
        if status == StreamUrlStatus::LimitReached {
            assert_eq!(remaining, 0, "{url:?}");
        }
        if let Some(&(was, was_reason, had)) = self.urls.get(&arn) {
            assert!(
                remaining <= had,
                "RemainingUses of {arn} grew: {had} to {remaining}"
            );
            match was {
                StreamUrlStatus::Active => {}
                StreamUrlStatus::Revoked => assert_eq!(
                    status,
                    StreamUrlStatus::Revoked,
                    "{arn} left REVOKED ({was_reason:?})"
                ),
                _ => assert!(
                    status == was || status == StreamUrlStatus::Revoked,
                    "{arn} went from {was} to {status}"
                ),
            }
        }
        self.urls.insert(arn, (status, reason, remaining));
    }

    /// Checks the export status of one stream session (`arn`, in `status`) as an operation
    /// answered it (summaries carry the status only).
    pub fn export(&mut self, arn: &str, status: SessionStatus, export: Option<ExportFilesStatus>) {
        let before = self.exports.get(arn).copied();
        let Some(export) = export else {
            assert_eq!(before, None, "the export of {arn} vanished");
            return;
        };
        if !status.is_terminal() {
            assert_eq!(export, ExportFilesStatus::Pending, "{arn} is {status}");
        }
        if status == SessionStatus::Error {
            assert_eq!(export, ExportFilesStatus::Failed, "{arn} ended in ERROR");
        }
        if let Some(was) = before {
            if was != ExportFilesStatus::Pending {
                assert_eq!(export, was, "the export of {arn} left {was}");
            }
        }
        if before != Some(export) {
            self.export_transitions.insert((before, export));
        }
        self.exports.insert(arn.to_owned(), export);
    }

    /// Observes every stream URL and stream session of `accounts` on a copy of `engine` at its
    /// own time (so `engine` is left as it was), checking each.
    pub fn observe(&mut self, engine: &Engine, accounts: &[AccountId]) {
        self.observe_on(&mut engine.clone(), accounts, accounts);
    }

    /// [`observe`](Self::observe) of the stream URLs of `urls_of` and the sessions of
    /// `sessions_of` (the accounts that have some; for the others there is nothing to see),
    /// listing on `engine` itself when nothing is due at its time and no throttling or fault
    /// rule counts calls (each listing then only reads, which the fuzzers' twin engines
    /// check), and on a copy otherwise: listing would complete what is due, which is the next
    /// call's to do.
    pub fn observe_mut(
        &mut self,
        engine: &mut Engine,
        urls_of: &[AccountId],
        sessions_of: &[AccountId],
    ) {
        if urls_of.is_empty() && sessions_of.is_empty() {
            return;
        }
        let config = engine.config();
        let counted = config.throttling.enabled || !config.faults.is_empty();
        if counted || engine.poll_timeout().is_some_and(|due| due <= engine.now()) {
            self.observe_on(&mut engine.clone(), urls_of, sessions_of);
        } else {
            self.observe_on(engine, urls_of, sessions_of);
        }
    }

    /// Lists every stream URL of `urls_of` and session of `sessions_of` on `probe`, checking
    /// each.
    fn observe_on(&mut self, probe: &mut Engine, urls_of: &[AccountId], sessions_of: &[AccountId]) {
        let now = probe.now();
        for &account in urls_of {
            let mut next_token = None;
            loop {
                let input = ListStreamUrlsInput {
                    next_token,
                    max_results: Some(100),
                    ..Default::default()
                };
                let out = match probe.list_stream_urls(account, now, &input) {
                    Ok(out) => out,
                    Err(e) => {
                        assert_api_error(&e, &input);
                        break;
                    }
                };
                for url in out.items.iter().flatten() {
                    self.url(url);
                }
                next_token = out.next_token;
                if next_token.is_none() {
                    break;
                }
            }
        }
        for &account in sessions_of {
            let mut next_token = None;
            loop {
                let input = ListStreamSessionsByAccountInput {
                    next_token,
                    max_results: Some(100),
                    ..Default::default()
                };
                let out = match probe.list_stream_sessions_by_account(account, now, &input) {
                    Ok(out) => out,
                    Err(e) => {
                        assert_api_error(&e, &input);
                        break;
                    }
                };
                for s in out.items.iter().flatten() {
                    let (Some(arn), Some(status)) = (&s.arn, s.status) else {
                        panic!("a session summary without an ARN or status: {s:?}");
                    };
                    let export = s.export_files_metadata.as_ref().and_then(|m| m.status);
                    self.export(arn, status, export);
                }
                next_token = out.next_token;
                if next_token.is_none() {
                    break;
                }
            }
        }
    }
}

/// Asserts the engine's invariants and that its snapshot survives JSON and restores into an
/// engine with an identical snapshot; returns the restored engine.
pub fn assert_engine_round_trip(engine: &Engine) -> Engine {
    engine
        .check_invariants()
        .unwrap_or_else(|e| panic!("engine invariant: {e}"));
    let snapshot = engine.snapshot();
    let json = serde_json::to_string(&snapshot).expect("a snapshot serializes");
    let back: Snapshot = serde_json::from_str(&json)
        .unwrap_or_else(|e| panic!("a snapshot's own JSON reads back: {e}\n{json}"));
    assert_eq!(back, snapshot, "the snapshot survives JSON");
    let restored = Engine::restore(back).unwrap_or_else(|e| panic!("its own snapshot: {e}"));
    // What a second snapshot would say, without taking one.
    assert!(restored == *engine, "the restored engine is identical");
    restored
}

/// Whether `op` only reads: it must change nothing but the time, as a refused op.
fn reads_only(op: &Op) -> bool {
    matches!(
        op,
        Op::Late { .. }
            | Op::GetStreamSession { .. }
            | Op::ListStreamSessions { .. }
            | Op::ListAll { .. }
            | Op::GetStreamUrl { .. }
            | Op::ListStreamUrls { .. }
            | Op::ListShaderCaches { .. }
            | Op::ListTags { .. }
    )
}

/// Plays `ops` on a default engine with a [`Driver`], asserting after every op the engine's
/// invariants, the errors' kinds (never InternalServer: no fault rules here), that a refused
/// call or a read changed nothing but the time, that a twin engine answers every other call
/// identically, the events, and the stream URL and export lifecycles ([`LifecycleWatch`]); at
/// the end, that a snapshot round trip restores an identical engine which then answers the
/// last ops again exactly as the original does.
///
/// The twin is the engine one op behind, with its own driver: after a refused op or a read
/// only the time the call brought passes on it, after any other op it plays the op too, and
/// the engine must equal it after every refused op (so after the reads before it too) and at
/// the end (`Engine`'s `==` compares what snapshots hold, without building them). So
/// "unchanged" costs one comparison rather than a copy of the engine per op. An op that so
/// changed nothing at all (at the time of the last, with nothing due and no event) leaves the
/// engine whose invariants and lifecycles were checked already: they are not checked again.
pub fn engine_script(ops: &[Op]) {
    let mut engine = Engine::new(EngineConfig::default());
    let mut driver = Driver::new();
    let mut twin = engine.clone();
    let mut twin_driver = driver.clone();
    let mut watch = LifecycleWatch::new();
    let mut tags = TagModel::new();
    // The accounts with stream URLs, and with sessions whose files were exported: the others'
    // listings have nothing to watch.
    let (mut urls_of, mut exports_of) = (Vec::new(), Vec::new());
    for op in ops {
        let now = engine.now();
        let quiet = engine.poll_timeout().is_none_or(|due| due > now);
        let at = op_time(&driver, op);
        let outcome = driver.step(&mut engine, op);
        let (errors, refused) = outcome_errors(&outcome);
        for e in errors {
            assert_api_error(e, op);
        }
        tags.check(&driver, op, &outcome);
        let called = !matches!(&outcome, Outcome::Answers(answers) if answers.is_empty());
        let still = !called || refused || reads_only(op);
        if still {
            // What a refused op or a read leaves: the engine after the time passing its call
            // brings. (After a read they are compared at the next refused op, and at the end.)
            if let (true, Some(at)) = (called, at) {
                twin.advance(at);
                assert!(
                    !refused || engine == twin,
                    "a refused {op:?} changed the engine: {outcome:?}"
                );
            }
            twin_driver.follow_refused(&driver);
        } else {
            let again = twin_driver.step(&mut twin, op);
            assert_eq!(again, outcome, "the twin engine answers {op:?} differently");
        }
        let events = assert_events(&mut engine);
        assert!(
            twin.drain_events().eq(events.iter().cloned()),
            "the twin engine's events of {op:?} differ"
        );
        if still && quiet && engine.now() == now && events.is_empty() {
            // Nothing happened: the engine is the one checked after the last op.
            continue;
        }
        engine
            .check_invariants()
            .unwrap_or_else(|e| panic!("engine invariant after {op:?}: {e}"));
        watch.events(&events);
        let note = |accounts: &mut Vec<AccountId>, account| {
            if !accounts.contains(&account) {
                accounts.push(account);
            }
        };
        if let (Op::ExportFiles { session, .. }, Outcome::Answers(answers)) = (op, &outcome) {
            if !answers.is_empty() && answers.iter().all(Result::is_ok) {
                let sessions = driver.sessions();
                note(
                    &mut exports_of,
                    sessions[usize::from(*session) % sessions.len()].0,
                );
            }
        }
        if let Some(url) = driver.urls().last() {
            note(&mut urls_of, url.account);
        }
        watch.observe_mut(&mut engine, &urls_of, &exports_of);
    }
    assert!(engine == twin, "the twin engine ended elsewhere");
    let mut restored = assert_engine_round_trip(&engine);
    let mut twin = driver.clone();
    // A few of the last ops again on both: the restored engine's derived lookups and agenda
    // answer as the original's do.
    for op in &ops[ops.len().saturating_sub(4)..] {
        let a = driver.step(&mut engine, op);
        let b = twin.step(&mut restored, op);
        assert_eq!(a, b, "the restored engine answers {op:?} differently");
    }
    assert!(engine == restored, "the restored engine ended elsewhere");
}

/// How far the engine model's histories may run: the model does not know that a stream group
/// expires after a year, so steps that would take a history past this are skipped, as steps
/// naming a resource that does not exist are.
pub const ENGINE_MODEL_HORIZON: TimeDelta = TimeDelta::days(300);

/// The engine driven by [`EngineStep`]s, with the resources the steps created, for comparison
/// with the [`EngineModel`] (the system under test of `tests/engine_model.rs`).
#[derive(Debug)]
pub struct EngineHarness {
    /// The engine.
    pub engine: Engine,
    /// The harness's clock.
    pub now: DateTime<Utc>,
    apps: Vec<(AccountId, String)>,
    groups: Vec<(AccountId, String)>,
    sessions: Vec<(AccountId, String, String)>,
    urls: Vec<HarnessUrl>,
    /// Every session status change the engine reported, by session ARN.
    events: BTreeMap<String, Vec<Change>>,
    /// Every stream URL change the engine reported, with its time, by URL ARN.
    url_events: BTreeMap<String, Vec<(Change, DateTime<Utc>)>>,
    /// The lifecycles as seen from outside, step after step.
    watch: LifecycleWatch,
}

/// A stream URL the harness created.
#[derive(Clone, Debug)]
struct HarnessUrl {
    owner: AccountId,
    group: String,
    id: String,
    arn: String,
    token: String,
}

fn model_account(i: u8) -> AccountId {
    ACCOUNTS[usize::from(i % 2)]
}

/// The last segment of an ARN (the resource's ID).
fn arn_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The configuration of the harness's engine: the default, with the model's export upload
/// delay ([`EXPORT_UPLOAD`]).
pub fn engine_model_config() -> EngineConfig {
    EngineConfig {
        delays: Delays {
            export_upload: EXPORT_UPLOAD,
            ..Delays::default()
        },
        ..EngineConfig::default()
    }
}

impl EngineHarness {
    /// An engine with [`engine_model_config`] at `now`, with nothing created.
    pub fn new(now: DateTime<Utc>) -> Self {
        Self {
            engine: Engine::new(engine_model_config()),
            now,
            apps: Vec::new(),
            groups: Vec::new(),
            sessions: Vec::new(),
            urls: Vec::new(),
            events: BTreeMap::new(),
            url_events: BTreeMap::new(),
            watch: LifecycleWatch::new(),
        }
    }

    fn call(&mut self, step: &EngineStep, model: &EngineModel) -> Result<(), ApiError> {
        let now = self.now;
        let e = &mut self.engine;
        match step {
            EngineStep::Advance { millis } => {
                self.now += TimeDelta::milliseconds(i64::from(*millis));
                e.advance(self.now);
                Ok(())
            }
            EngineStep::CreateApplication { account: a } => {
                let input = CreateApplicationInput {
                    description: Some("model".into()),
                    runtime_environment: Some(RuntimeEnvironment {
                        r#type: Some(RuntimeEnvironmentType::Ubuntu),
                        version: Some("22_04_LTS".into()),
                    }),
                    executable_path: Some("bin/game".into()),
                    application_source_uri: Some("s3://bucket/game".into()),
                    ..Default::default()
                };
                let out = e.create_application(model_account(*a), now, &input)?;
                self.apps.push((
                    model_account(*a),
                    out.arn.expect("an application has an ARN"),
                ));
                Ok(())
            }
            EngineStep::CreateStreamGroup { app } => {
                let (owner, app) = self.apps[usize::from(*app)].clone();
                let input = CreateStreamGroupInput {
                    description: Some("model".into()),
                    stream_class: Some(StreamClass::Gen5nUltra),
                    default_application_identifier: Some(app),
                    location_configurations: Some(vec![LocationConfiguration {
                        location_name: Some("us-west-2".into()),
                        always_on_capacity: Some(0),
                        maximum_capacity: Some(1000),
                        ..Default::default()
                    }]),
                    ..Default::default()
                };
                let out = e.create_stream_group(owner, now, &input)?;
                self.groups
                    .push((owner, out.arn.expect("a stream group has an ARN")));
                Ok(())
            }
            EngineStep::DeleteStreamGroup { group } => {
                let (owner, group) = self.groups[usize::from(*group)].clone();
                e.delete_stream_group(owner, now, &DeleteStreamGroupInput { identifier: group })
            }
            EngineStep::StartStreamSession {
                group,
                app,
                connection_timeout,
            } => {
                let (owner, group) = self.groups[usize::from(*group)].clone();
                let (_, app) = self.apps[usize::from(*app)].clone();
                let input = StartStreamSessionInput {
                    identifier: group.clone(),
                    protocol: Some(Protocol::WebRtc),
                    signal_request: Some(offer(model.offers).into()),
                    application_identifier: Some(app),
                    connection_timeout_seconds: Some(i32::from(connection_timeout % 3600) + 1),
                    ..Default::default()
                };
                let out = e.start_stream_session(owner, now, &input)?;
                self.sessions
                    .push((owner, group, out.arn.expect("a stream session has an ARN")));
                Ok(())
            }
            EngineStep::GetStreamSession { session } => {
                let (owner, group, session) = self.sessions[usize::from(*session)].clone();
                let input = GetStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: session,
                };
                e.get_stream_session(owner, now, &input).map(drop)
            }
            EngineStep::TerminateStreamSession { session } => {
                let (owner, group, session) = self.sessions[usize::from(*session)].clone();
                let input = TerminateStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: session,
                };
                e.terminate_stream_session(owner, now, &input)
            }
            EngineStep::Reconnect { session, reuse } => {
                let i = usize::from(*session);
                let (owner, group, arn) = self.sessions[i].clone();
                let signal = if *reuse {
                    model.sessions[i]
                        .model
                        .offers
                        .last()
                        .cloned()
                        .unwrap_or_default()
                } else {
                    offer(model.offers)
                };
                let input = CreateStreamSessionConnectionInput {
                    identifier: group,
                    stream_session_identifier: arn,
                    signal_request: Some(signal.into()),
                    client_token: None,
                };
                e.create_stream_session_connection(owner, now, &input)
                    .map(drop)
            }
            EngineStep::Observe { session, input } => {
                let (owner, group, arn) = self.sessions[usize::from(*session)].clone();
                let observation = match observation(*input) {
                    Input::ClientConnected => Observation::ClientConnected,
                    Input::ClientDisconnected => Observation::ClientDisconnected,
                    Input::UserInput => Observation::UserInput,
                    Input::ApplicationExited => Observation::ApplicationExited,
                    Input::Failed(r) => Observation::Failed(r),
                    other => unreachable!("observation() gives no {other:?}"),
                };
                e.apply(owner, now, &group, &arn, observation).map(drop)
            }
            EngineStep::Trespass { session } => {
                let (owner, group, arn) = self.sessions[usize::from(*session)].clone();
                let other = if owner == model_account(0) {
                    model_account(1)
                } else {
                    model_account(0)
                };
                let input = TerminateStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: arn,
                };
                e.terminate_stream_session(other, now, &input)
            }
            EngineStep::DeleteApplication { app } => {
                let (owner, app) = self.apps[usize::from(*app)].clone();
                e.delete_application(owner, now, &DeleteApplicationInput { identifier: app })
            }
            EngineStep::Associate { group, app, undo } => {
                let (owner, group) = self.groups[usize::from(*group)].clone();
                let (_, app) = self.apps[usize::from(*app)].clone();
                if *undo {
                    let input = DisassociateApplicationsInput {
                        identifier: group,
                        application_identifiers: Some(vec![app]),
                    };
                    e.disassociate_applications(owner, now, &input).map(drop)
                } else {
                    let input = AssociateApplicationsInput {
                        identifier: group,
                        application_identifiers: Some(vec![app]),
                    };
                    e.associate_applications(owner, now, &input).map(drop)
                }
            }
            EngineStep::CreateStreamUrl {
                group,
                app,
                minutes,
                uses,
            } => {
                let (owner, group) = self.groups[usize::from(*group)].clone();
                let (_, app) = self.apps[usize::from(*app)].clone();
                let input = CreateStreamUrlInput {
                    identifier: group.clone(),
                    application_identifier: Some(app),
                    protocol: Some(Protocol::WebRtc),
                    url_expires_after_minutes: Some(url_minutes(*minutes) as i32),
                    usage_limit: Some(url_uses(*uses) as i32),
                    locations: Some(vec!["us-west-2".into()]),
                    ..Default::default()
                };
                let out = e.create_stream_url(owner, now, &input)?;
                let link = out
                    .stream_url
                    .as_ref()
                    .map(|l| l.as_str())
                    .unwrap_or_default();
                self.urls.push(HarnessUrl {
                    owner,
                    group,
                    id: out.stream_url_id.clone().expect("a stream URL has an ID"),
                    arn: out.arn.clone().expect("a stream URL has an ARN"),
                    token: stream_url_token(link)
                        .expect("a stream URL carries its token")
                        .to_owned(),
                });
                Ok(())
            }
            EngineStep::GetStreamUrl { url } => {
                let u = &self.urls[usize::from(*url)];
                let input = GetStreamUrlInput {
                    identifier: u.group.clone(),
                    stream_url_identifier: u.id.clone(),
                };
                e.get_stream_url(u.owner, now, &input).map(drop)
            }
            EngineStep::ListStreamUrls { account, status } => {
                let status = status.map(|s| StreamUrlStatus::ALL[usize::from(s) % 4]);
                let got = list_url_ids(e, model_account(*account), now, status, 2)?;
                let want: Vec<&str> = model
                    .urls
                    .iter()
                    .enumerate()
                    .filter(|(_, u)| {
                        u.account == account % 2
                            && model.url_visible(u)
                            && status.is_none_or(|s| s == u.status)
                    })
                    .map(|(i, _)| self.urls[i].id.as_str())
                    .collect();
                assert_eq!(got, want, "{step:?}");
                Ok(())
            }
            EngineStep::RevokeStreamUrl { url, terminate } => {
                let u = &self.urls[usize::from(*url)];
                let input = RevokeStreamUrlInput {
                    identifier: u.group.clone(),
                    stream_url_identifier: u.id.clone(),
                    revocation_mode: Some(if *terminate {
                        RevocationMode::RevokeAndTerminateSessions
                    } else {
                        RevocationMode::RevokeUrl
                    }),
                };
                e.revoke_stream_url(u.owner, now, &input)
            }
            EngineStep::OpenStreamUrl { url, bad_token } => {
                let u = self.urls[usize::from(*url)].clone();
                let token = if *bad_token { WRONG_TOKEN } else { &u.token };
                let out = e.open_stream_url(now, &u.id, token, &offer(model.offers))?;
                self.sessions.push((
                    u.owner,
                    u.group,
                    out.arn.expect("a stream session has an ARN"),
                ));
                Ok(())
            }
            EngineStep::AdminShell { session } => {
                let (owner, group, arn) = self.sessions[usize::from(*session)].clone();
                let input = CreateStreamSessionAdminShellInput {
                    identifier: group,
                    stream_session_identifier: arn.clone(),
                };
                let out = e.create_stream_session_admin_shell(owner, now, &input)?;
                let id = out.session_id.unwrap_or_default();
                assert!(id.contains(arn_id(&arn)), "{id} is not of {arn}");
                assert!(out.stream_url.is_some_and(|u| u.starts_with("wss://")));
                assert!(out.token_value.is_some_and(|t| !t.as_str().is_empty()));
                Ok(())
            }
            EngineStep::ExportFiles { session, prefix } => {
                let (owner, group, arn) = self.sessions[usize::from(*session)].clone();
                let input = ExportStreamSessionFilesInput {
                    identifier: group,
                    stream_session_identifier: arn,
                    output_uri: Some(export_uri(*prefix).into()),
                };
                e.export_stream_session_files(owner, now, &input)
            }
            EngineStep::FailExport {
                session,
                empty_reason,
            } => {
                let (owner, group, arn) = self.sessions[usize::from(*session)].clone();
                let reason = if *empty_reason { "" } else { EXPORT_FAILURE };
                e.fail_export(owner, now, &group, &arn, reason).map(drop)
            }
            EngineStep::PutShaderCache {
                app,
                cache,
                status,
                group,
            } => {
                let (owner, app) = self.apps[usize::from(*app)].clone();
                let seed = ShaderCacheSeed {
                    identifier: shader_cache_id(*cache),
                    status: shader_cache_status(*status),
                    storage_bytes: shader_cache_bytes(*cache),
                    associated_stream_groups: group
                        .map(|g| self.groups[usize::from(g)].1.clone())
                        .into_iter()
                        .collect(),
                };
                e.put_shader_cache(owner, now, &app, &seed).map(drop)
            }
            EngineStep::RemoveShaderCache { app, cache } => {
                let (owner, app) = self.apps[usize::from(*app)].clone();
                e.remove_shader_cache(owner, now, &app, &shader_cache_id(*cache))
            }
            EngineStep::ListShaderCaches { app } => {
                let (owner, app) = self.apps[usize::from(*app)].clone();
                let input = ListApplicationShaderCachesInput { identifier: app };
                e.list_application_shader_caches(owner, now, &input)
                    .map(drop)
            }
        }
    }

    fn collect_events(&mut self) {
        for event in self.engine.drain_events() {
            match event.change {
                Change::StreamSession { from: Some(_), .. } => {
                    self.events.entry(event.arn).or_default().push(event.change);
                }
                Change::StreamUrl { .. } => {
                    self.watch.events([&event]);
                    self.url_events
                        .entry(event.arn)
                        .or_default()
                        .push((event.change, event.at));
                }
                _ => {}
            }
        }
    }

    /// Plays `step` on the engine and asserts that it agrees with `model`, the reference model
    /// after the same step: the answer's kind, nothing changed by a refused call, every session
    /// (with its export), stream URL and shader cache as the settled model sees them, the
    /// listings of stream URLs, and one event per change, exactly the model's; and the model's
    /// own invariants.
    pub fn apply(&mut self, model: &EngineModel, step: &EngineStep) {
        // Time passes before any call; a refused call must change nothing beyond that.
        self.engine.advance(self.now);
        self.collect_events();
        // Copied only when the model expects a refusal: if it expects none, a refusal fails
        // the answer's comparison anyway.
        let before = model.last.is_err().then(|| self.engine.clone());
        let result = self.call(step, model);
        assert_eq!(
            result.as_ref().map_err(|e| e.kind()).map(drop),
            model.last,
            "{step:?}: {result:?}"
        );
        if let Err(e) = &result {
            assert_api_error(e, step);
            assert!(
                before.is_some_and(|before| self.engine == before),
                "a refused {step:?} changed the engine"
            );
        }
        self.collect_events();

        // Every session as the (settled) model sees it.
        let mut settled = model.clone();
        settled.settle(self.now);
        if let Err(e) = settled.check_invariants() {
            panic!("model invariant after {step:?}: {e}");
        }
        self.compare_sessions(&settled, step);
        self.compare_urls(&settled, step);
        self.compare_shader_caches(&settled, step);
        self.collect_events();
        // One event per change: the engine's events of each session are the model's changes.
        for (i, s) in settled.sessions.iter().enumerate() {
            let arn = &self.sessions[i].2;
            let got: Vec<_> = self.events.get(arn).cloned().unwrap_or_default();
            let want: Vec<_> = s
                .model
                .changes
                .iter()
                .map(|(from, to, reason, _)| Change::StreamSession {
                    from: Some(*from),
                    to: *to,
                    reason: *reason,
                })
                .collect();
            assert_eq!(got, want, "events of session {i} after {step:?}");
        }
        for (i, u) in settled.urls.iter().enumerate() {
            let got: &[_] = self.url_events.get(&self.urls[i].arn).map_or(&[], |v| v);
            let want: Vec<_> = u
                .changes
                .iter()
                .map(|&(from, to, reason, at)| (Change::StreamUrl { from, to, reason }, at))
                .collect();
            assert_eq!(got, want, "events of stream URL {i} after {step:?}");
        }
    }

    /// Every session, and its export, as the settled model sees it.
    fn compare_sessions(&mut self, settled: &EngineModel, step: &EngineStep) {
        for (i, s) in settled.sessions.iter().enumerate() {
            let (owner, group, arn) = &self.sessions[i];
            let got = self.engine.get_stream_session(
                *owner,
                self.now,
                &GetStreamSessionInput {
                    identifier: group.clone(),
                    stream_session_identifier: arn.clone(),
                },
            );
            if !settled.visible(s) {
                assert_eq!(
                    got.map(drop).map_err(|e| e.kind()),
                    Err(ErrorKind::ResourceNotFound),
                    "session {i} retained too long"
                );
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("session {i} after {step:?}: {e}"));
            assert_eq!(
                got.status,
                Some(s.model.status),
                "session {i} after {step:?}"
            );
            assert_eq!(
                got.status_reason, s.model.reason,
                "session {i} after {step:?}"
            );
            assert_eq!(got.last_updated_at, Some(s.model.last_updated_at));
            assert_eq!(got.streaming_started_at, s.model.streaming_started_at);
            assert_eq!(got.streaming_ended_at, s.model.streaming_ended_at);
            let metadata = got.export_files_metadata.as_ref();
            let want = self.expected_export(settled, i);
            let got_export = metadata.map(|m| {
                (
                    m.status,
                    m.status_reason.clone(),
                    m.output_uri.clone().unwrap_or_default(),
                )
            });
            match (&got_export, &want) {
                // A session that failed: the reason names its status reason.
                (
                    Some((Some(ExportFilesStatus::Failed), Some(reason), uri)),
                    Some((ExportPhase::SessionFailed, _, want_uri)),
                ) => {
                    let cause = s.model.reason.map_or("unknown", |r| r.as_str());
                    assert!(reason.contains(cause), "session {i}: {reason}");
                    assert_eq!(uri, want_uri, "session {i} after {step:?}");
                }
                _ => assert_eq!(
                    got_export,
                    want.clone()
                        .map(|(p, reason, uri)| (Some(p.status()), reason, uri)),
                    "the export of session {i} after {step:?}"
                ),
            }
            self.watch
                .export(arn, s.model.status, metadata.and_then(|m| m.status));
        }
    }

    /// The export the model predicts for session `i`: its phase, reason and `OutputUri` (a
    /// prefix is completed with the name the service gives the zip once it has succeeded).
    fn expected_export(
        &self,
        settled: &EngineModel,
        i: usize,
    ) -> Option<(ExportPhase, Option<String>, String)> {
        let s = &settled.sessions[i];
        let phase = settled.export_phase(s)?;
        let export = s.export.as_ref()?;
        let reason = match phase {
            ExportPhase::UploadFailed => export.failure.clone(),
            _ => None,
        };
        let uri = if phase == ExportPhase::Succeeded && export.uri.ends_with('/') {
            let (_, group, arn) = &self.sessions[i];
            format!(
                "{}{}-{}-{}-{}.zip",
                export.uri,
                s.model.last_updated_at.format("%Y%m%d-%H%M%S"),
                arn_id(&self.apps[s.app].1),
                arn_id(group),
                arn_id(arn)
            )
        } else {
            export.uri.clone()
        };
        Some((phase, reason, uri))
    }

    /// Every stream URL as the settled model sees it, and each account's listing of them.
    fn compare_urls(&mut self, settled: &EngineModel, step: &EngineStep) {
        for (i, u) in settled.urls.iter().enumerate() {
            let h = &self.urls[i];
            let got = self.engine.get_stream_url(
                h.owner,
                self.now,
                &GetStreamUrlInput {
                    identifier: h.group.clone(),
                    stream_url_identifier: h.id.clone(),
                },
            );
            if !settled.url_visible(u) {
                assert_eq!(
                    got.map(drop).map_err(|e| e.kind()),
                    Err(ErrorKind::ResourceNotFound),
                    "stream URL {i} retained too long after {step:?}"
                );
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("stream URL {i} after {step:?}: {e}"));
            let context = || format!("stream URL {i} after {step:?}");
            assert_eq!(got.status, Some(u.status), "{}", context());
            assert_eq!(got.status_reason, u.reason, "{}", context());
            assert_eq!(
                got.remaining_uses,
                Some(u.remaining as i32),
                "{}",
                context()
            );
            assert_eq!(got.usage_limit, Some(u.usage_limit as i32));
            assert_eq!(got.created_at, Some(u.created_at));
            assert_eq!(got.expires_at, Some(u.expires_at));
            assert_eq!(got.stream_group_arn.as_deref(), Some(h.group.as_str()));
            assert_eq!(got.application_arn.as_ref(), Some(&self.apps[u.app].1));
            let sessions: Vec<_> = got
                .stream_sessions
                .unwrap_or_default()
                .into_iter()
                .map(|s| (s.arn.unwrap_or_default(), s.status))
                .collect();
            let want: Vec<_> = u
                .sessions
                .iter()
                .filter(|s| settled.visible(&settled.sessions[**s]))
                .map(|s| {
                    (
                        self.sessions[*s].2.clone(),
                        Some(settled.sessions[*s].model.status),
                    )
                })
                .collect();
            assert_eq!(sessions, want, "the sessions of {}", context());
        }
        for account in 0..2u8 {
            let owner = model_account(account);
            let mut next_token = None;
            let mut got = Vec::new();
            loop {
                let input = ListStreamUrlsInput {
                    next_token,
                    ..Default::default()
                };
                let out = self
                    .engine
                    .list_stream_urls(owner, self.now, &input)
                    .unwrap_or_else(|e| panic!("ListStreamUrls after {step:?}: {e}"));
                for url in out.items.unwrap_or_default() {
                    self.watch.url(&url);
                    got.push(url.stream_url_id.unwrap_or_default());
                }
                next_token = out.next_token;
                if next_token.is_none() {
                    break;
                }
            }
            let want: Vec<_> = settled
                .urls
                .iter()
                .enumerate()
                .filter(|(_, u)| u.account == account && settled.url_visible(u))
                .map(|(i, _)| self.urls[i].id.clone())
                .collect();
            assert_eq!(
                got, want,
                "the stream URLs of account {account} after {step:?}"
            );
        }
    }

    /// Every application's shader caches as the settled model sees them.
    fn compare_shader_caches(&mut self, settled: &EngineModel, step: &EngineStep) {
        for (i, app) in settled.apps.iter().enumerate() {
            let (owner, arn) = &self.apps[i];
            let got = self.engine.list_application_shader_caches(
                *owner,
                self.now,
                &ListApplicationShaderCachesInput {
                    identifier: arn.clone(),
                },
            );
            if app.gone {
                assert_eq!(
                    got.map(drop).map_err(|e| e.kind()),
                    Err(ErrorKind::ResourceNotFound),
                    "application {i} after {step:?}"
                );
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("application {i} after {step:?}: {e}"));
            let want: Vec<_> = app
                .caches
                .iter()
                .map(|(id, c)| ShaderCacheSummary {
                    identifier: Some(id.clone()),
                    application_arn: Some(arn.clone()),
                    status: Some(c.status),
                    last_updated_at: Some(c.last_updated_at),
                    storage_bytes: c.storage_bytes,
                    associated_stream_groups: Some(
                        c.groups.iter().map(|g| self.groups[*g].1.clone()).collect(),
                    ),
                })
                .collect();
            assert_eq!(
                got.items.unwrap_or_default(),
                want,
                "the shader caches of application {i} after {step:?}"
            );
        }
    }

    /// Asserts the engine's invariants and its snapshot round trip.
    pub fn check_invariants(&self) {
        assert_engine_round_trip(&self.engine);
    }
}

/// The IDs of `account`'s stream URLs (of `status`, if given), every page of `max` items.
fn list_url_ids(
    engine: &mut Engine,
    account: AccountId,
    now: DateTime<Utc>,
    status: Option<StreamUrlStatus>,
    max: i32,
) -> Result<Vec<String>, ApiError> {
    let mut ids = Vec::new();
    let mut next_token = None;
    loop {
        let input = ListStreamUrlsInput {
            status,
            next_token,
            max_results: Some(max),
            ..Default::default()
        };
        let out = engine.list_stream_urls(account, now, &input)?;
        ids.extend(
            out.items
                .into_iter()
                .flatten()
                .filter_map(|u| u.stream_url_id),
        );
        next_token = out.next_token;
        if next_token.is_none() {
            return Ok(ids);
        }
    }
}

/// Plays `steps` on the [`EngineModel`] and on an [`EngineHarness`] side by side, as
/// `tests/engine_model.rs` does: a step is applied only where its precondition holds (it names
/// resources that exist, and stays within [`ENGINE_MODEL_HORIZON`]).
pub fn engine_model_steps(steps: &[EngineStep]) {
    let start = crate::script::epoch();
    let mut model = EngineModel::new(start);
    let mut harness = EngineHarness::new(start);
    for step in steps {
        if !model.names_existing(step) {
            continue;
        }
        if let EngineStep::Advance { millis } = step {
            if shifted(model.now, i64::from(*millis)) - start > ENGINE_MODEL_HORIZON {
                continue;
            }
        }
        model.apply(step);
        harness.apply(&model, step);
        harness
            .engine
            .check_invariants()
            .unwrap_or_else(|e| panic!("engine invariant after {step:?}: {e}"));
    }
    // The snapshot round trip, once: the comparison with the model after every step already
    // reads every resource back.
    harness.check_invariants();
}

/// Target `engine`: the first byte chooses the mode. Even: arbitrary [`Op`]s across the three
/// accounts on an engine ([`engine_script`]); odd: arbitrary [`EngineStep`]s against the
/// [`EngineModel`] ([`engine_model_steps`]).
pub fn engine_ops(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let u = Unstructured::new(rest);
    if mode % 2 == 0 {
        if let Ok(ops) = Vec::<Op>::arbitrary_take_rest(u) {
            engine_script(&ops);
        }
    } else if let Ok(steps) = Vec::<EngineStep>::arbitrary_take_rest(u) {
        engine_model_steps(&steps);
    }
}

// ---------------------------------------------------------------------------------------------
// Identifiers, ARNs and request JSON
// ---------------------------------------------------------------------------------------------

/// Asserts what holds of any string as an account ID, a resource ID, an ARN and an
/// `Identifier`, and that every pattern function answers.
pub fn check_identifier(s: &str) {
    let id_pattern = is_id(s);
    let arn_pattern = is_arn(s);
    assert_eq!(
        is_identifier(s),
        id_pattern || arn_pattern,
        "is_identifier({s:?})"
    );
    assert_eq!(is_location_name(s), id_pattern);

    if let Ok(account) = AccountId::from_str(s) {
        assert_eq!(
            account.to_string(),
            s,
            "an account ID prints as it was read"
        );
        assert_eq!(AccountId::from_number(account.number()), Some(account));
        let json = serde_json::to_string(&account).expect("an account ID serializes");
        assert_eq!(serde_json::from_str::<AccountId>(&json).ok(), Some(account));
    }
    if let Some(id) = ResourceId::new(s) {
        assert_eq!(id.as_str(), s);
        assert!(id_pattern, "a ResourceId that is not an Id: {s:?}");
    }
    match ResourceArn::from_str(s) {
        Ok(arn) => {
            assert_eq!(arn.to_string(), s, "an ARN prints as it was read");
            assert!(arn_pattern, "an ARN that fails the Arn pattern: {s:?}");
            assert!(!arn.region.contains([':', ' ']), "{arn:?}");
            let ids: Vec<&str> = match &arn.resource {
                crate::ArnResource::Application(id) | crate::ArnResource::StreamGroup(id) => {
                    vec![id]
                }
                crate::ArnResource::StreamSession { group, session } => vec![group, session],
                crate::ArnResource::StreamUrl { group, url } => vec![group, url],
            };
            assert!(ids.iter().all(|id| is_id(id)), "{arn:?}");
            assert_eq!(Identifier::parse(s), Ok(Identifier::Arn(arn)));
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
    match Identifier::parse(s) {
        Ok(Identifier::Id(id)) => {
            assert_eq!(id, s);
            assert!(id_pattern);
        }
        Ok(Identifier::Arn(arn)) => assert_eq!(arn.to_string(), s),
        Err(_) => assert!(!id_pattern, "an Id that Identifier::parse refuses: {s:?}"),
    }
    for check in [
        is_description,
        is_client_token,
        is_user_id,
        is_environment_variable_key,
        is_iam_role_arn,
        is_application_log_output_uri,
        is_ipv4_cidr_block,
        is_output_uri,
    ] {
        check(s);
    }
    // Every wire enum reads exactly its own strings.
    fn wire<T: FromStr + ToString>(s: &str) {
        if let Ok(v) = s.parse::<T>() {
            assert_eq!(v.to_string(), s);
        }
    }
    wire::<SessionStatus>(s);
    wire::<StatusReason>(s);
    wire::<Operation>(s);
    wire::<StreamClass>(s);
    wire::<Protocol>(s);
    wire::<RuntimeEnvironmentType>(s);
    wire::<StreamGroupStatus>(s);
    wire::<ApplicationStatus>(s);
    wire::<StreamUrlStatus>(s);
    wire::<StreamUrlStatusReason>(s);
    wire::<RevocationMode>(s);
    wire::<ExportFilesStatus>(s);
    wire::<ShaderCacheStatus>(s);
}

/// Asserts that `bytes`, read as the JSON body of a `T`, never panics; and that when it reads,
/// validation never panics and the value survives its own JSON.
fn check_json<T>(bytes: &[u8], validate: impl Fn(&T))
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let Ok(value) = serde_json::from_slice::<T>(bytes) else {
        return;
    };
    validate(&value);
    let json = serde_json::to_vec(&value).expect("an input serializes");
    let back: T = serde_json::from_slice(&json).unwrap_or_else(|e| {
        panic!(
            "{value:?} does not read back from its own JSON: {e}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(back, value, "the JSON round trip is identical");
}

/// Asserts the properties of `bytes` as the JSON body of every operation's input.
pub fn check_request_json(bytes: &[u8]) {
    fn drop_result<E: std::fmt::Display>(r: Result<(), E>) {
        if let Err(e) = r {
            assert!(!e.to_string().is_empty());
        }
    }
    let classes = StreamClass::ALL;
    check_json::<AddStreamGroupLocationsInput>(bytes, |v| {
        drop_result(v.validate());
        for c in classes {
            drop_result(v.validate_for(*c));
        }
    });
    check_json::<AssociateApplicationsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<CreateApplicationInput>(bytes, |v| drop_result(v.validate()));
    check_json::<CreateStreamGroupInput>(bytes, |v| {
        drop_result(v.validate());
        drop_result(v.validate_for_tenancy());
    });
    check_json::<CreateStreamSessionConnectionInput>(bytes, |v| drop_result(v.validate()));
    check_json::<DeleteApplicationInput>(bytes, |v| drop_result(v.validate()));
    check_json::<DeleteStreamGroupInput>(bytes, |v| drop_result(v.validate()));
    check_json::<DisassociateApplicationsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<GetApplicationInput>(bytes, |v| drop_result(v.validate()));
    check_json::<GetStreamGroupInput>(bytes, |v| drop_result(v.validate()));
    check_json::<GetStreamSessionInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListApplicationsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListStreamGroupsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListStreamSessionsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListStreamSessionsByAccountInput>(bytes, |v| drop_result(v.validate()));
    check_json::<RemoveStreamGroupLocationsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<StartStreamSessionInput>(bytes, |v| drop_result(v.validate()));
    check_json::<TerminateStreamSessionInput>(bytes, |v| drop_result(v.validate()));
    check_json::<UpdateApplicationInput>(bytes, |v| drop_result(v.validate()));
    check_json::<CreateStreamUrlInput>(bytes, |v| drop_result(v.validate()));
    check_json::<GetStreamUrlInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListStreamUrlsInput>(bytes, |v| drop_result(v.validate()));
    check_json::<RevokeStreamUrlInput>(bytes, |v| drop_result(v.validate()));
    check_json::<CreateStreamSessionAdminShellInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ExportStreamSessionFilesInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ListApplicationShaderCachesInput>(bytes, |v| drop_result(v.validate()));
    check_json::<ShaderCacheSeed>(bytes, |_| {});
    check_json::<UpdateStreamGroupInput>(bytes, |v| {
        drop_result(v.validate());
        for c in classes {
            drop_result(v.validate_for(*c));
        }
    });
    // The crate's own serialized types.
    check_json::<SessionConfig>(bytes, |v| drop_result(v.validate()));
    check_json::<EngineConfig>(bytes, |v| drop_result(v.validate()));
    check_json::<Input>(bytes, |_| {});
    check_json::<Step>(bytes, |_| {});
    check_json::<Op>(bytes, |_| {});
    check_json::<EngineStep>(bytes, |_| {});
}

/// Target `identifiers`: the bytes as text, alone and after the ARN prefix, through every
/// identifier parser and pattern ([`check_identifier`]); and the bytes as the JSON body of
/// every `*Input` ([`check_request_json`]).
pub fn identifiers_and_json(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    check_identifier(&text);
    check_identifier(&format!("arn:aws:gameliftstreams:{text}"));
    for line in text.lines() {
        check_identifier(line);
    }
    check_request_json(data);
}

// ---------------------------------------------------------------------------------------------
// Snapshots
// ---------------------------------------------------------------------------------------------

/// A few calls on every session the three script accounts can list, and time passing to every
/// deadline, asserting the invariants after each.
fn exercise(engine: &mut Engine) {
    let mut now = engine.now();
    let check = |engine: &Engine, what: &str| {
        engine
            .check_invariants()
            .unwrap_or_else(|e| panic!("engine invariant after {what}: {e}"));
    };
    for account in ACCOUNTS {
        let listed = engine.list_stream_sessions_by_account(account, now, &Default::default());
        check(engine, "ListStreamSessionsByAccount");
        let Ok(out) = listed else { continue };
        for summary in out.items.unwrap_or_default().into_iter().take(4) {
            let Some(arn) = summary.arn else { continue };
            let Ok(parsed) = ResourceArn::from_str(&arn) else {
                continue;
            };
            let crate::ArnResource::StreamSession { group, .. } = parsed.resource else {
                continue;
            };
            for observation in [Observation::ClientConnected, Observation::UserInput] {
                if let Err(e) = engine.apply(account, now, &group, &arn, observation) {
                    assert_api_error(&e, &observation);
                }
                check(engine, "an observation");
            }
            let input = TerminateStreamSessionInput {
                identifier: group,
                stream_session_identifier: arn,
            };
            if let Err(e) = engine.terminate_stream_session(account, now, &input) {
                assert_api_error(&e, &input);
            }
            check(engine, "TerminateStreamSession");
        }
    }
    for _ in 0..8 {
        let Some(next) = engine.poll_timeout() else {
            break;
        };
        now = now.max(next);
        engine.advance(now);
        check(engine, "advance");
    }
    let _ = engine.drain_events().count();
}

/// Asserts what holds of a restored engine: its invariants, an identical re-snapshot, and the
/// invariants kept by a few calls and by time passing.
pub fn check_restored(engine: &mut Engine) {
    let restored = assert_engine_round_trip(engine);
    assert_eq!(restored.snapshot(), engine.snapshot());
    exercise(engine);
}

/// Target `snapshot`: the bytes as a JSON engine snapshot (a [`Session`] too), followed by
/// arbitrary [`Op`]s. Reading and restoring never panic; a restored engine keeps its invariants,
/// snapshots identically ([`check_restored`]), and keeps its invariants under the ops; a
/// session that reads keeps its invariants and serializes identically under a few inputs.
pub fn snapshot_bytes(data: &[u8]) {
    let mut stream = serde_json::Deserializer::from_slice(data).into_iter::<Snapshot>();
    if let Some(Ok(snapshot)) = stream.next() {
        let rest = &data[stream.byte_offset()..];
        if let Ok(mut engine) = Engine::restore(snapshot) {
            check_restored(&mut engine);
            if let Ok(ops) = Vec::<Op>::arbitrary_take_rest(Unstructured::new(rest)) {
                let mut driver = Driver::new();
                driver.now = driver.now.max(engine.now());
                // The restored URLs' earlier events are not known: only what is seen from
                // here on is checked.
                let mut watch = LifecycleWatch::new();
                watch.observe(&engine, &ACCOUNTS);
                for op in ops.iter().take(64) {
                    let outcome = driver.step(&mut engine, op);
                    engine
                        .check_invariants()
                        .unwrap_or_else(|e| panic!("engine invariant after {op:?}: {e}"));
                    for e in outcome_errors(&outcome).0 {
                        assert_api_error(e, op);
                    }
                    let _ = engine.drain_events().count();
                    watch.observe(&engine, &ACCOUNTS);
                }
                assert_engine_round_trip(&engine);
            }
        }
    }
    if let Ok(mut session) = serde_json::from_slice::<Session>(data) {
        assert_session_invariants(&session);
        let now = session.now();
        for input in [
            Input::ClientConnected,
            Input::UserInput,
            Input::ClientDisconnected,
            Input::Terminate,
        ] {
            let _ = session.handle_input(now, input);
            assert_session_invariants(&session);
        }
        if let Some(next) = session.poll_timeout() {
            session.handle_timeout(next);
            assert_session_invariants(&session);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Encoding: the inverse of `arbitrary`'s decoding, for the corpus
// ---------------------------------------------------------------------------------------------

/// Bytes that `arbitrary` (1.x, and its derive) decodes back into the values written, for
/// writing corpus inputs from known histories, and for re-encoding the committed corpus when
/// [`Op`] or [`EngineStep`] gain variants: the derive picks a variant as
/// `(u32 × variant count) >> 32`, so any new variant, wherever it goes, moves the boundaries and
/// changes what existing inputs decode to.
#[derive(Clone, Debug, Default)]
pub struct Encoder(Vec<u8>);

/// How many variants [`Op`] has (the encoder's selector arithmetic depends on it).
pub const OP_VARIANTS: u32 = 34;

/// How many variants [`EngineStep`] has.
pub const ENGINE_STEP_VARIANTS: u32 = 23;

/// How many variants [`Happening`] has.
const HAPPENING_VARIANTS: u32 = 5;

impl Encoder {
    /// The bytes written.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }

    fn u16(&mut self, v: u16) {
        self.0.extend(v.to_le_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.0.extend(v.to_le_bytes());
    }

    fn bool(&mut self, v: bool) {
        self.u8(u8::from(v));
    }

    fn opt_u8(&mut self, v: Option<u8>) {
        self.bool(v.is_some());
        if let Some(v) = v {
            self.u8(v);
        }
    }

    fn opt_u16(&mut self, v: Option<u16>) {
        self.bool(v.is_some());
        if let Some(v) = v {
            self.u16(v);
        }
    }

    /// A `Vec<u8>` as `arbitrary` reads one: each element after a `true`, then a `false`.
    fn vec_u8(&mut self, v: &[u8]) {
        for x in v {
            self.bool(true);
            self.u8(*x);
        }
        self.bool(false);
    }

    /// The selector of variant `index` of `count`: the least `u32` that the derive's
    /// `(u32 × count) >> 32` maps to `index`.
    fn variant(&mut self, index: u32, count: u32) {
        debug_assert!(index < count);
        let selector = (u64::from(index) << 32).div_ceil(u64::from(count));
        self.u32(selector as u32);
    }

    /// One [`Op`].
    pub fn op(&mut self, op: &Op) {
        let n = OP_VARIANTS;
        match op {
            Op::Advance { millis } => {
                self.variant(0, n);
                self.u32(*millis);
            }
            Op::Late { millis, session } => {
                self.variant(1, n);
                self.u32(*millis);
                self.u8(*session);
            }
            Op::CreateApplication {
                account,
                windows,
                token,
            } => {
                self.variant(2, n);
                self.u8(*account);
                self.bool(*windows);
                self.opt_u8(*token);
            }
            Op::CreateStreamGroup {
                app,
                capacity,
                second_location,
                token,
            } => {
                self.variant(3, n);
                self.u8(*app);
                self.u8(capacity.0);
                self.u8(capacity.1);
                self.opt_u8(*second_location);
                self.opt_u8(*token);
            }
            Op::UpdateCapacity { group, capacity } => {
                self.variant(4, n);
                self.u8(*group);
                self.u8(capacity.0);
                self.u8(capacity.1);
            }
            Op::AddLocation { group, location } => {
                self.variant(5, n);
                self.u8(*group);
                self.u8(*location);
            }
            Op::RemoveLocation { group, location } => {
                self.variant(6, n);
                self.u8(*group);
                self.u8(*location);
            }
            Op::Associate { group, app, undo } => {
                self.variant(7, n);
                self.u8(*group);
                self.u8(*app);
                self.bool(*undo);
            }
            Op::DeleteStreamGroup { group } => {
                self.variant(8, n);
                self.u8(*group);
            }
            Op::DeleteApplication { app } => {
                self.variant(9, n);
                self.u8(*app);
            }
            Op::StartStreamSession {
                group,
                app,
                connection_timeout,
                locations,
                token,
            } => {
                self.variant(10, n);
                self.u8(*group);
                self.u8(*app);
                self.opt_u16(*connection_timeout);
                self.vec_u8(locations);
                self.opt_u8(*token);
            }
            Op::GetStreamSession { session } => {
                self.variant(11, n);
                self.u8(*session);
            }
            Op::TerminateStreamSession { session } => {
                self.variant(12, n);
                self.u8(*session);
            }
            Op::Reconnect {
                session,
                reuse_offer,
                token,
            } => {
                self.variant(13, n);
                self.u8(*session);
                self.bool(*reuse_offer);
                self.opt_u8(*token);
            }
            Op::Observe { session, happening } => {
                self.variant(14, n);
                self.u8(*session);
                let index = match happening {
                    Happening::ClientConnected => 0,
                    Happening::ClientDisconnected => 1,
                    Happening::UserInput => 2,
                    Happening::ApplicationExited => 3,
                    Happening::Failed => 4,
                };
                self.variant(index, HAPPENING_VARIANTS);
            }
            Op::Fault { session, in_millis } => {
                self.variant(15, n);
                self.u8(*session);
                self.u16(*in_millis);
            }
            Op::ListStreamSessions { group, max, status } => {
                self.variant(16, n);
                self.u8(*group);
                self.u8(*max);
                self.opt_u8(*status);
            }
            Op::ListAll { account } => {
                self.variant(17, n);
                self.u8(*account);
            }
            Op::Trespass { session, account } => {
                self.variant(18, n);
                self.u8(*session);
                self.u8(*account);
            }
            Op::Invalid {
                group,
                connection_timeout,
            } => {
                self.variant(19, n);
                self.u8(*group);
                self.u16(*connection_timeout);
            }
            Op::CreateStreamUrl {
                group,
                app,
                minutes,
                uses,
                token,
            } => {
                self.variant(20, n);
                self.u8(*group);
                self.u8(*app);
                self.u8(*minutes);
                self.u8(*uses);
                self.opt_u8(*token);
            }
            Op::GetStreamUrl { url } => {
                self.variant(21, n);
                self.u8(*url);
            }
            Op::ListStreamUrls {
                account,
                status,
                group,
                max,
            } => {
                self.variant(22, n);
                self.u8(*account);
                self.opt_u8(*status);
                self.opt_u8(*group);
                self.u8(*max);
            }
            Op::RevokeStreamUrl { url, terminate } => {
                self.variant(23, n);
                self.u8(*url);
                self.bool(*terminate);
            }
            Op::OpenStreamUrl { url, bad_token } => {
                self.variant(24, n);
                self.u8(*url);
                self.bool(*bad_token);
            }
            Op::AdminShell { session } => {
                self.variant(25, n);
                self.u8(*session);
            }
            Op::ExportFiles { session, prefix } => {
                self.variant(26, n);
                self.u8(*session);
                self.bool(*prefix);
            }
            Op::FailExport { session } => {
                self.variant(27, n);
                self.u8(*session);
            }
            Op::PutShaderCache {
                app,
                cache,
                status,
                group,
            } => {
                self.variant(28, n);
                self.u8(*app);
                self.u8(*cache);
                self.u8(*status);
                self.opt_u8(*group);
            }
            Op::RemoveShaderCache { app, cache } => {
                self.variant(29, n);
                self.u8(*app);
                self.u8(*cache);
            }
            Op::ListShaderCaches { app } => {
                self.variant(30, n);
                self.u8(*app);
            }
            Op::TagResource {
                resource,
                first,
                count,
                value,
                stranger,
            } => {
                self.variant(31, n);
                self.u8(*resource);
                self.u8(*first);
                self.u8(*count);
                self.u8(*value);
                self.bool(*stranger);
            }
            Op::UntagResource {
                resource,
                first,
                count,
            } => {
                self.variant(32, n);
                self.u8(*resource);
                self.u8(*first);
                self.u8(*count);
            }
            Op::ListTags { resource } => {
                self.variant(33, n);
                self.u8(*resource);
            }
        }
    }

    /// One [`EngineStep`].
    pub fn step(&mut self, step: &EngineStep) {
        let n = ENGINE_STEP_VARIANTS;
        match step {
            EngineStep::Advance { millis } => {
                self.variant(0, n);
                self.u32(*millis);
            }
            EngineStep::CreateApplication { account } => {
                self.variant(1, n);
                self.u8(*account);
            }
            EngineStep::CreateStreamGroup { app } => {
                self.variant(2, n);
                self.u8(*app);
            }
            EngineStep::DeleteStreamGroup { group } => {
                self.variant(3, n);
                self.u8(*group);
            }
            EngineStep::StartStreamSession {
                group,
                app,
                connection_timeout,
            } => {
                self.variant(4, n);
                self.u8(*group);
                self.u8(*app);
                self.u16(*connection_timeout);
            }
            EngineStep::GetStreamSession { session } => {
                self.variant(5, n);
                self.u8(*session);
            }
            EngineStep::TerminateStreamSession { session } => {
                self.variant(6, n);
                self.u8(*session);
            }
            EngineStep::Reconnect { session, reuse } => {
                self.variant(7, n);
                self.u8(*session);
                self.bool(*reuse);
            }
            EngineStep::Observe { session, input } => {
                self.variant(8, n);
                self.u8(*session);
                self.u8(*input);
            }
            EngineStep::Trespass { session } => {
                self.variant(9, n);
                self.u8(*session);
            }
            EngineStep::DeleteApplication { app } => {
                self.variant(10, n);
                self.u8(*app);
            }
            EngineStep::Associate { group, app, undo } => {
                self.variant(11, n);
                self.u8(*group);
                self.u8(*app);
                self.bool(*undo);
            }
            EngineStep::CreateStreamUrl {
                group,
                app,
                minutes,
                uses,
            } => {
                self.variant(12, n);
                self.u8(*group);
                self.u8(*app);
                self.u8(*minutes);
                self.u8(*uses);
            }
            EngineStep::GetStreamUrl { url } => {
                self.variant(13, n);
                self.u8(*url);
            }
            EngineStep::ListStreamUrls { account, status } => {
                self.variant(14, n);
                self.u8(*account);
                self.opt_u8(*status);
            }
            EngineStep::RevokeStreamUrl { url, terminate } => {
                self.variant(15, n);
                self.u8(*url);
                self.bool(*terminate);
            }
            EngineStep::OpenStreamUrl { url, bad_token } => {
                self.variant(16, n);
                self.u8(*url);
                self.bool(*bad_token);
            }
            EngineStep::AdminShell { session } => {
                self.variant(17, n);
                self.u8(*session);
            }
            EngineStep::ExportFiles { session, prefix } => {
                self.variant(18, n);
                self.u8(*session);
                self.bool(*prefix);
            }
            EngineStep::FailExport {
                session,
                empty_reason,
            } => {
                self.variant(19, n);
                self.u8(*session);
                self.bool(*empty_reason);
            }
            EngineStep::PutShaderCache {
                app,
                cache,
                status,
                group,
            } => {
                self.variant(20, n);
                self.u8(*app);
                self.u8(*cache);
                self.u8(*status);
                self.opt_u8(*group);
            }
            EngineStep::RemoveShaderCache { app, cache } => {
                self.variant(21, n);
                self.u8(*app);
                self.u8(*cache);
            }
            EngineStep::ListShaderCaches { app } => {
                self.variant(22, n);
                self.u8(*app);
            }
        }
    }
}

/// The bytes `Vec::<Op>::arbitrary_take_rest` reads as `ops` (each op after a `true`).
pub fn encode_ops(ops: &[Op]) -> Vec<u8> {
    let mut e = Encoder::default();
    for op in ops {
        e.bool(true);
        e.op(op);
    }
    e.into_bytes()
}

/// The bytes `Vec::<EngineStep>::arbitrary_take_rest` reads as `steps`.
pub fn encode_steps(steps: &[EngineStep]) -> Vec<u8> {
    let mut e = Encoder::default();
    for step in steps {
        e.bool(true);
        e.step(step);
    }
    e.into_bytes()
}

/// An input of the `engine` target that plays `ops` ([`engine_script`]).
pub fn engine_input_of_ops(ops: &[Op]) -> Vec<u8> {
    let mut bytes = vec![0];
    bytes.extend(encode_ops(ops));
    bytes
}

/// An input of the `engine` target that plays `steps` against the model
/// ([`engine_model_steps`]).
pub fn engine_input_of_steps(steps: &[EngineStep]) -> Vec<u8> {
    let mut bytes = vec![1];
    bytes.extend(encode_steps(steps));
    bytes
}
