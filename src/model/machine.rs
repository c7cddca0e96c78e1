//! The session's reference model as a `proptest-state-machine` reference machine (feature
//! `proptest`): generated steps are weighted towards what the current status allows and
//! towards the exact deadlines, so that every transition and every timer boundary is reached.
//!
//! ```
//! use gameliftstreams_lifecycle::model::machine::SessionMachine;
//! use proptest::prelude::*;
//! use proptest_state_machine::ReferenceStateMachine;
//!
//! proptest!(|((state, steps, _) in SessionMachine::sequential_strategy(1..30))| {
//!     let mut state = state;
//!     for step in &steps {
//!         state = SessionMachine::apply(state, step);
//!         // The model never loses its status reason once ending.
//!         prop_assert_eq!(state.model.status.is_ending(), state.model.reason.is_some());
//!     }
//! });
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use proptest_state_machine::ReferenceStateMachine;

use super::{Fired, SessionModel, Step};
use crate::config::{ConnectionTimeout, SessionConfig, SessionLength, SessionLengthOrigin};
use crate::error::ErrorKind;
use crate::status::{SessionStatus, StatusReason};
use crate::transition::{Input, InputKind, transition};

/// The model with what its last step produced.
#[derive(Clone, Debug)]
pub struct MachineState {
    /// The model.
    pub model: SessionModel,
    /// The answer to the last step (`Ok` for time passing).
    pub last: Result<(), ErrorKind>,
    /// The timers the last step fired.
    pub fired: Vec<Fired>,
    /// The status before the last step.
    pub before: SessionStatus,
    /// How many status changes the last step made (the last ones of `model.changes`).
    pub step_changes: usize,
    /// The (status, input kind) cell of the transition table the last step exercised, if it
    /// carried an input: the status is the one the input met, after due timers fired.
    pub cell: Option<(SessionStatus, InputKind)>,
}

/// The reference machine: initial states are new sessions with a generated configuration.
pub struct SessionMachine;

/// The start time of generated sessions.
pub fn start_time() -> DateTime<Utc> {
    crate::script::epoch()
}

/// The first signal request of generated sessions.
pub const FIRST_OFFER: &str = "v=0 first offer";

/// Generated configurations: small timeouts, so that timers fire within short histories.
pub fn config() -> impl Strategy<Value = SessionConfig> {
    (
        prop_oneof![1 => 1i64..5, 4 => 5i64..200, 1 => 1i64..=3600],
        prop_oneof![1 => 1i64..10, 4 => 10i64..2000, 1 => 1i64..=86_400],
        prop_oneof![1 => Just(0i64), 1 => 1i64..5, 4 => 5i64..4000],
        prop_oneof![1 => Just(0i64), 9 => 5i64..100],
        prop_oneof![1 => Just(0i64), 1 => 1i64..30],
        any::<bool>(),
    )
        .prop_map(
            |(ct, len, idle, placement, termination, creation)| SessionConfig {
                // Generated within the bounds, so these cannot fail.
                connection_timeout: ConnectionTimeout::new(ct).unwrap_or_default(),
                session_length: SessionLength::new(len).unwrap_or_default(),
                idle_timeout: TimeDelta::seconds(idle),
                placement_timeout: TimeDelta::seconds(placement),
                termination_delay: TimeDelta::seconds(termination),
                session_length_origin: if creation {
                    SessionLengthOrigin::Creation
                } else {
                    SessionLengthOrigin::ApplicationStart
                },
            },
        )
}

/// An input of `kind`, valid or (sometimes) not.
pub fn input_of(kind: InputKind, offers: Vec<String>) -> BoxedStrategy<Input> {
    let error_reason = prop_oneof![
        Just(StatusReason::InternalError),
        Just(StatusReason::InvalidSignalRequest),
        Just(StatusReason::PlacementTimeout),
        Just(StatusReason::ApplicationLogS3DestinationError),
        Just(StatusReason::AssumeRoleFailed),
    ];
    let any_reason = proptest::sample::select(StatusReason::ALL.to_vec());
    let reason = prop_oneof![9 => error_reason, 1 => any_reason];
    match kind {
        InputKind::Placed => prop_oneof![
            9 => proptest::sample::select(vec!["us-west-2", "eu-west-1", "ap-northeast-1"]),
            1 => proptest::sample::select(vec!["", "not a location", "a-location-name-too-long"]),
        ]
        .prop_map(|l| Input::Placed {
            location: l.to_owned(),
        })
        .boxed(),
        InputKind::ActivationFailed => reason.prop_map(Input::ActivationFailed).boxed(),
        InputKind::ReconnectFailed => reason.prop_map(Input::ReconnectFailed).boxed(),
        InputKind::Failed => reason.prop_map(Input::Failed).boxed(),
        InputKind::Reconnect => {
            let fresh = (0u32..1_000_000).prop_map(|n| format!("fresh-{n}"));
            if offers.is_empty() {
                fresh
                    .prop_map(|signal_request| Input::Reconnect { signal_request })
                    .boxed()
            } else {
                prop_oneof![
                    6 => fresh,
                    2 => proptest::sample::select(offers),
                    1 => Just(String::new()),
                ]
                .prop_map(|signal_request| Input::Reconnect { signal_request })
                .boxed()
            }
        }
        InputKind::ClientConnected => Just(Input::ClientConnected).boxed(),
        InputKind::ClientDisconnected => Just(Input::ClientDisconnected).boxed(),
        InputKind::UserInput => Just(Input::UserInput).boxed(),
        InputKind::ReconnectSucceeded => Just(Input::ReconnectSucceeded).boxed(),
        InputKind::ApplicationExited => Just(Input::ApplicationExited).boxed(),
        InputKind::Terminate => Just(Input::Terminate).boxed(),
        InputKind::TerminationCompleted => Just(Input::TerminationCompleted).boxed(),
    }
}

/// How often an input of `kind` is drawn in `status`.
fn weight(status: SessionStatus, kind: InputKind) -> u32 {
    use InputKind as K;
    if !transition(status, kind).is_accepted() {
        return 1;
    }
    match kind {
        K::Placed
        | K::ClientConnected
        | K::ClientDisconnected
        | K::UserInput
        | K::Reconnect
        | K::ReconnectSucceeded
        | K::TerminationCompleted => 48,
        K::Terminate | K::ApplicationExited => 4,
        K::ActivationFailed | K::ReconnectFailed | K::Failed => 1,
    }
}

impl ReferenceStateMachine for SessionMachine {
    type State = MachineState;
    type Transition = Step;

    fn init_state() -> BoxedStrategy<MachineState> {
        config()
            .prop_filter_map("a valid start", |config| {
                SessionModel::start(config, FIRST_OFFER, start_time()).map(|model| MachineState {
                    before: model.status,
                    model,
                    last: Ok(()),
                    fired: Vec::new(),
                    step_changes: 0,
                    cell: None,
                })
            })
            .boxed()
    }

    fn transitions(state: &MachineState) -> BoxedStrategy<Step> {
        let m = &state.model;
        // Inputs the status allows are drawn far more often than the others, and among them
        // those that move the lifecycle forward more often than those that end it, so that
        // histories reach every status.
        let weighted: Vec<(u32, BoxedStrategy<Input>)> = InputKind::ALL
            .into_iter()
            .map(|k| (weight(m.status, k), input_of(k, m.offers.clone())))
            .collect();
        let input = proptest::strategy::Union::new_weighted(weighted);
        // Time: to the next deadline exactly, a millisecond short of it, or anything.
        let to_deadline = m
            .next_deadline()
            .map(|d| (d - m.now).num_milliseconds().clamp(0, i64::from(u32::MAX)) as u32);
        let advance = match to_deadline {
            Some(ms) => prop_oneof![
                2 => Just(ms),
                2 => Just(ms.saturating_sub(1)),
                6 => 0u32..2_000,
                1 => 0u32..100_000_000,
            ]
            .boxed(),
            None => prop_oneof![0u32..5_000, 0u32..100_000_000].boxed(),
        };
        prop_oneof![
            8 => input.clone().prop_map(Step::Input),
            3 => advance.prop_map(|millis| Step::Advance { millis }),
            1 => Just(Step::Timeout),
            1 => (0u32..10_000, input).prop_map(|(millis, input)| Step::Late { millis, input }),
        ]
        .boxed()
    }

    /// A reused offer must have been seen: shrinking that drops the step which introduced it
    /// drops the reuse too, instead of silently turning it into a fresh offer.
    fn preconditions(state: &MachineState, step: &Step) -> bool {
        let input = match step {
            Step::Input(i) | Step::Late { input: i, .. } => i,
            _ => return true,
        };
        match input {
            Input::Reconnect { signal_request } => {
                signal_request.is_empty()
                    || signal_request.starts_with("fresh-")
                    || state.model.offers.contains(signal_request)
            }
            _ => true,
        }
    }

    fn apply(mut state: MachineState, step: &Step) -> MachineState {
        state.before = state.model.status;
        state.cell = None;
        let changes = state.model.changes.len();
        let now = state.model.now;
        match step {
            Step::Input(input) => {
                state.fired = state.model.tick(now);
                state.cell = Some((state.model.status, input.kind()));
                state.last = state.model.input(now, input);
            }
            Step::Advance { millis } => {
                let later = now + TimeDelta::milliseconds(i64::from(*millis));
                state.fired = state.model.tick(later);
                state.last = Ok(());
            }
            Step::Timeout => {
                state.fired = state.model.tick(now);
                state.last = Ok(());
            }
            Step::Late { millis, input } => {
                let earlier = now - TimeDelta::milliseconds(i64::from(*millis));
                state.fired = state.model.tick(earlier);
                state.cell = Some((state.model.status, input.kind()));
                state.last = state.model.input(earlier, input);
            }
        }
        state.step_changes = state.model.changes.len() - changes;
        state
    }
}

/// The engine's reference model as a reference machine: steps name existing resources by
/// index, weighted towards the session lifecycle, with stream URLs mostly made for a pair the
/// model can start, and time stepping to the new lifecycles' deadlines.
pub struct EngineMachine;

/// Milliseconds from `now` to `at` (0 if past), as an `Advance` carries them.
fn millis_until(now: DateTime<Utc>, at: DateTime<Utc>) -> u32 {
    (at - now).num_milliseconds().clamp(0, i64::from(u32::MAX)) as u32
}

impl ReferenceStateMachine for EngineMachine {
    type State = super::EngineModel;
    type Transition = super::EngineStep;

    fn init_state() -> BoxedStrategy<super::EngineModel> {
        Just(super::EngineModel::new(start_time())).boxed()
    }

    fn transitions(state: &super::EngineModel) -> BoxedStrategy<super::EngineStep> {
        use super::EngineStep as E;
        let (apps, groups, sessions) = (
            state.apps.len() as u8,
            state.groups.len() as u8,
            state.sessions.len().min(255) as u8,
        );
        let mut choices: Vec<(u32, BoxedStrategy<E>)> = vec![
            (
                4,
                prop_oneof![0u32..3_000, 0u32..200_000, 0u32..10_000_000]
                    .prop_map(|millis| E::Advance { millis })
                    .boxed(),
            ),
            (
                if apps < 3 { 4 } else { 1 },
                (0u8..2)
                    .prop_map(|account| E::CreateApplication { account })
                    .boxed(),
            ),
        ];
        if apps > 0 {
            choices.push((
                if groups < 2 { 4 } else { 1 },
                (0..apps)
                    .prop_map(|app| E::CreateStreamGroup { app })
                    .boxed(),
            ));
        }
        if groups > 0 && apps > 0 {
            choices.push((
                1,
                (0..groups)
                    .prop_map(|group| E::DeleteStreamGroup { group })
                    .boxed(),
            ));
            choices.push((
                8,
                (0..groups, 0..apps, prop_oneof![0u16..30, 0u16..3600])
                    .prop_map(|(group, app, connection_timeout)| E::StartStreamSession {
                        group,
                        app,
                        connection_timeout,
                    })
                    .boxed(),
            ));
        }
        // An application with a URL that is neither revoked nor forgotten.
        let has_live_url = |app: usize| {
            state.urls.iter().any(|u| {
                u.app == app
                    && u.status != crate::api::StreamUrlStatus::Revoked
                    && state.url_visible(u)
            })
        };
        // Sessions that have not ended (deleting their application waits for them).
        let running: Vec<u8> = state
            .sessions
            .iter()
            .enumerate()
            .take(255)
            .filter(|(_, s)| !s.model.status.is_ending())
            .map(|(i, _)| i as u8)
            .collect();
        if !running.is_empty() {
            choices.push((
                2,
                proptest::sample::select(running)
                    .prop_map(|session| E::TerminateStreamSession { session })
                    .boxed(),
            ));
        }
        // The sessions that keep an application with a URL from being deleted.
        let blocking: Vec<u8> = state
            .sessions
            .iter()
            .enumerate()
            .take(255)
            .filter(|(_, s)| !s.model.status.is_ending() && has_live_url(s.app))
            .map(|(i, _)| i as u8)
            .collect();
        if !blocking.is_empty() {
            choices.push((
                2,
                proptest::sample::select(blocking)
                    .prop_map(|session| E::TerminateStreamSession { session })
                    .boxed(),
            ));
        }
        // Exports: asked of running sessions; failed, or their session failed, while pending.
        let pick_sessions = |keep: &dyn Fn(&super::ModelSession) -> bool| -> Vec<u8> {
            state
                .sessions
                .iter()
                .enumerate()
                .take(255)
                .filter(|(_, s)| state.visible(s) && keep(s))
                .map(|(i, _)| i as u8)
                .collect()
        };
        let exportable = pick_sessions(&|s| s.model.status.is_running());
        if !exportable.is_empty() {
            choices.push((
                4,
                (proptest::sample::select(exportable), any::<bool>())
                    .prop_map(|(session, prefix)| E::ExportFiles { session, prefix })
                    .boxed(),
            ));
        }
        let exporting = pick_sessions(&|s| {
            state
                .export_phase(s)
                .is_some_and(|p| p.status() == crate::api::ExportFilesStatus::Pending)
        });
        if !exporting.is_empty() {
            choices.push((
                4,
                proptest::sample::select(exporting.clone())
                    .prop_map(|session| E::FailExport {
                        session,
                        empty_reason: false,
                    })
                    .boxed(),
            ));
            choices.push((
                2,
                (
                    proptest::sample::select(exporting),
                    prop_oneof![Just(3u8), Just(4u8)],
                )
                    .prop_map(|(session, input)| E::Observe { session, input })
                    .boxed(),
            ));
        }
        if sessions > 0 {
            let s = move || 0..sessions;
            choices.push((
                3,
                s().prop_map(|session| E::GetStreamSession { session })
                    .boxed(),
            ));
            choices.push((
                2,
                s().prop_map(|session| E::TerminateStreamSession { session })
                    .boxed(),
            ));
            choices.push((
                4,
                (s(), prop_oneof![5 => Just(false), 1 => Just(true)])
                    .prop_map(|(session, reuse)| E::Reconnect { session, reuse })
                    .boxed(),
            ));
            choices.push((
                12,
                (s(), prop_oneof![6 => Just(0u8), 5 => Just(1u8), 3 => Just(2u8), 1 => Just(3u8), 1 => Just(4u8)])
                    .prop_map(|(session, input)| E::Observe { session, input })
                    .boxed(),
            ));
            choices.push((1, s().prop_map(|session| E::Trespass { session }).boxed()));
            choices.push((1, s().prop_map(|session| E::AdminShell { session }).boxed()));
            choices.push((
                3,
                (s(), any::<bool>())
                    .prop_map(|(session, prefix)| E::ExportFiles { session, prefix })
                    .boxed(),
            ));
            choices.push((
                2,
                (s(), prop_oneof![6 => Just(false), 1 => Just(true)])
                    .prop_map(|(session, empty_reason)| E::FailExport {
                        session,
                        empty_reason,
                    })
                    .boxed(),
            ));
        }
        if apps > 0 {
            let a = move || 0..apps;
            let cache = || prop_oneof![12 => 0u8..4, 1 => Just(u8::MAX)];
            // Deleting an application needs it out of every group first.
            choices.push((1, a().prop_map(|app| E::DeleteApplication { app }).boxed()));
            // Above all the free ones with a URL to revoke.
            let free: Vec<u8> = state
                .apps
                .iter()
                .enumerate()
                .filter(|(i, app)| {
                    !app.gone
                        && !state.groups.iter().any(|g| !g.gone && g.apps.contains(i))
                        && has_live_url(*i)
                        && !state
                            .sessions
                            .iter()
                            .any(|s| s.app == *i && !s.model.status.is_terminal())
                })
                .map(|(i, _)| i as u8)
                .collect();
            if !free.is_empty() {
                choices.push((
                    6,
                    proptest::sample::select(free)
                        .prop_map(|app| E::DeleteApplication { app })
                        .boxed(),
                ));
            }
            choices.push((
                1,
                (a(), cache(), 0u8..5, proptest::option::of(0..groups.max(1)))
                    .prop_map(move |(app, cache, status, group)| E::PutShaderCache {
                        app,
                        cache,
                        status,
                        group: group.filter(|_| groups > 0),
                    })
                    .boxed(),
            ));
            choices.push((
                1,
                (a(), cache())
                    .prop_map(|(app, cache)| E::RemoveShaderCache { app, cache })
                    .boxed(),
            ));
            choices.push((1, a().prop_map(|app| E::ListShaderCaches { app }).boxed()));
        }
        if groups > 0 && apps > 0 {
            choices.push((
                2,
                (0..groups, 0..apps, any::<bool>())
                    .prop_map(|(group, app, undo)| E::Associate { group, app, undo })
                    .boxed(),
            ));
            // URLs mostly for an application its group has, and short-lived enough to expire.
            let pairs: Vec<(u8, u8)> = state
                .groups
                .iter()
                .enumerate()
                .filter(|(_, g)| !g.gone)
                .flat_map(|(i, g)| g.apps.iter().map(move |a| (i as u8, *a as u8)))
                .collect();
            let pair = if pairs.is_empty() {
                (0..groups, 0..apps).boxed()
            } else {
                // Disassociating an application with a URL is the way to its deletion.
                let with_url: Vec<(u8, u8)> = pairs
                    .iter()
                    .copied()
                    .filter(|(_, a)| has_live_url(usize::from(*a)))
                    .collect();
                if !with_url.is_empty() {
                    choices.push((
                        4,
                        proptest::sample::select(with_url)
                            .prop_map(|(group, app)| E::Associate {
                                group,
                                app,
                                undo: true,
                            })
                            .boxed(),
                    ));
                }
                choices.push((
                    1,
                    proptest::sample::select(pairs.clone())
                        .prop_map(|(group, app)| E::Associate {
                            group,
                            app,
                            undo: true,
                        })
                        .boxed(),
                ));
                prop_oneof![
                    1 => (0..groups, 0..apps),
                    6 => proptest::sample::select(pairs),
                ]
                .boxed()
            };
            let active = state
                .urls
                .iter()
                .filter(|u| u.status == crate::api::StreamUrlStatus::Active)
                .count();
            choices.push((
                if active == 0 { 5 } else { 2 },
                (
                    pair,
                    prop_oneof![12 => 0u8..3, 1 => Just(u8::MAX)],
                    // Mostly a single use, so that URLs reach their limit.
                    prop_oneof![5 => Just(0u8), 4 => 1u8..3, 1 => Just(u8::MAX)],
                )
                    .prop_map(|((group, app), minutes, uses)| E::CreateStreamUrl {
                        group,
                        app,
                        minutes,
                        uses,
                    })
                    .boxed(),
            ));
        }
        choices.push((
            1,
            (0u8..2, proptest::option::of(0u8..4))
                .prop_map(|(account, status)| E::ListStreamUrls { account, status })
                .boxed(),
        ));
        let urls = state.urls.len().min(255) as u8;
        // URLs a revocation changes (the not revoked, and those revoked with `REVOKE_URL`),
        // and URLs that open.
        let pick_urls = |keep: &dyn Fn(&super::ModelStreamUrl) -> bool| -> Vec<u8> {
            state
                .urls
                .iter()
                .enumerate()
                .take(255)
                .filter(|(_, u)| state.url_visible(u) && keep(u))
                .map(|(i, _)| i as u8)
                .collect()
        };
        let revocable = pick_urls(&|u| {
            u.status != crate::api::StreamUrlStatus::Revoked
                || u.reason == Some(crate::api::StreamUrlStatusReason::UserRevoked)
        });
        let openable = pick_urls(&|u| u.status == crate::api::StreamUrlStatus::Active);
        // Deleting a group with a URL revokes it.
        let with_urls: Vec<u8> = state
            .groups
            .iter()
            .enumerate()
            .filter(|(i, g)| {
                !g.gone
                    && state.urls.iter().any(|u| {
                        u.group == *i
                            && u.status != crate::api::StreamUrlStatus::Revoked
                            && state.url_visible(u)
                    })
            })
            .map(|(i, _)| i as u8)
            .collect();
        if !with_urls.is_empty() {
            choices.push((
                1,
                proptest::sample::select(with_urls)
                    .prop_map(|group| E::DeleteStreamGroup { group })
                    .boxed(),
            ));
        }
        if !revocable.is_empty() {
            choices.push((
                3,
                (proptest::sample::select(revocable), any::<bool>())
                    .prop_map(|(url, terminate)| E::RevokeStreamUrl { url, terminate })
                    .boxed(),
            ));
        }
        if !openable.is_empty() {
            choices.push((
                8,
                proptest::sample::select(openable)
                    .prop_map(|url| E::OpenStreamUrl {
                        url,
                        bad_token: false,
                    })
                    .boxed(),
            ));
        }
        if urls > 0 {
            let u = move || 0..urls;
            choices.push((1, u().prop_map(|url| E::GetStreamUrl { url }).boxed()));
            choices.push((
                1,
                (u(), any::<bool>())
                    .prop_map(|(url, terminate)| E::RevokeStreamUrl { url, terminate })
                    .boxed(),
            ));
            choices.push((
                2,
                (u(), prop_oneof![4 => Just(false), 1 => Just(true)])
                    .prop_map(|(url, bad_token)| E::OpenStreamUrl { url, bad_token })
                    .boxed(),
            ));
        }
        // Time to the deadlines of the new lifecycles: a URL's expiry, an export's upload, a
        // URL being forgotten; exactly, or a millisecond short.
        let now = state.now;
        let mut deadlines: Vec<u32> = Vec::new();
        for url in &state.urls {
            if url.status == crate::api::StreamUrlStatus::Active {
                deadlines.push(millis_until(now, url.expires_at));
            }
            if let Some(at) = url.forgotten_at().filter(|at| *at > now) {
                deadlines.push(millis_until(now, at));
            }
        }
        for s in &state.sessions {
            if s.export.is_some() && s.model.status.is_terminal() {
                let at = crate::deadline_after(s.model.last_updated_at, super::EXPORT_UPLOAD);
                if at > now {
                    deadlines.push(millis_until(now, at));
                }
            }
        }
        if !deadlines.is_empty() {
            choices.push((
                3,
                (proptest::sample::select(deadlines), any::<bool>())
                    .prop_map(|(ms, short)| E::Advance {
                        millis: if short { ms.saturating_sub(1) } else { ms },
                    })
                    .boxed(),
            ));
        }
        proptest::strategy::Union::new_weighted(choices).boxed()
    }

    fn preconditions(state: &super::EngineModel, step: &super::EngineStep) -> bool {
        state.names_existing(step)
    }

    fn apply(mut state: super::EngineModel, step: &super::EngineStep) -> super::EngineModel {
        state.apply(step);
        state
    }
}
