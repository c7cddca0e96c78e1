//! Model-based test of the engine against its reference model (proptest-state-machine): time
//! passing is a step of its own, steps name resources by index (the precondition keeps
//! shrinking honest), and after every step the engine must agree with the model and keep the
//! invariants of SPEC §9.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::model::machine::EngineMachine;
use gameliftstreams_lifecycle::model::{EngineModel, EngineStep, observation, offer};
use gameliftstreams_lifecycle::script::ACCOUNTS;
use gameliftstreams_lifecycle::{
    AccountId, ApiError, Change, Engine, EngineConfig, ErrorKind, Input, Observation, Snapshot,
};
use proptest::prelude::*;
use proptest_state_machine::{StateMachineTest, prop_state_machine};

struct Sut {
    engine: Engine,
    now: DateTime<Utc>,
    apps: Vec<(AccountId, String)>,
    groups: Vec<(AccountId, String)>,
    sessions: Vec<(AccountId, String, String)>,
    /// Every session status change the engine reported, by session ARN.
    events: BTreeMap<String, Vec<Change>>,
}

fn account(i: u8) -> AccountId {
    ACCOUNTS[usize::from(i % 2)]
}

impl Sut {
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
                let out = e.create_application(account(*a), now, &input)?;
                self.apps.push((account(*a), out.arn.unwrap()));
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
                self.groups.push((owner, out.arn.unwrap()));
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
                self.sessions.push((owner, group, out.arn.unwrap()));
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
                let other = if owner == account(0) {
                    account(1)
                } else {
                    account(0)
                };
                let input = TerminateStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: arn,
                };
                e.terminate_stream_session(other, now, &input)
            }
        }
    }

    fn collect_events(&mut self) {
        for event in self.engine.drain_events() {
            if let Change::StreamSession { from: Some(_), .. } = event.change {
                self.events.entry(event.arn).or_default().push(event.change);
            }
        }
    }
}

struct EngineTest;

impl StateMachineTest for EngineTest {
    type SystemUnderTest = Sut;
    type Reference = EngineMachine;

    fn init_test(model: &EngineModel) -> Sut {
        Sut {
            engine: Engine::new(EngineConfig::default()),
            now: model.now,
            apps: Vec::new(),
            groups: Vec::new(),
            sessions: Vec::new(),
            events: BTreeMap::new(),
        }
    }

    fn apply(mut sut: Sut, model: &EngineModel, step: EngineStep) -> Sut {
        // Time passes before any call; a refused call must change nothing beyond that.
        sut.engine.advance(sut.now);
        sut.collect_events();
        let before = sut.engine.snapshot();
        let result = sut.call(&step, model);
        assert_eq!(
            result.as_ref().map_err(|e| e.kind()).map(drop),
            model.last,
            "{step:?}: {result:?}"
        );
        if let Err(e) = &result {
            assert_ne!(e.kind(), ErrorKind::InternalServer);
            assert_eq!(
                sut.engine.snapshot(),
                before,
                "a refused {step:?} changed the engine"
            );
        }
        sut.collect_events();

        // Every session as the (settled) model sees it.
        let mut settled = model.clone();
        settled.settle(sut.now);
        for (i, s) in settled.sessions.iter().enumerate() {
            let (owner, group, arn) = &sut.sessions[i];
            let got = sut.engine.get_stream_session(
                *owner,
                sut.now,
                &GetStreamSessionInput {
                    identifier: group.clone(),
                    stream_session_identifier: arn.clone(),
                },
            );
            if settled.visible(s) {
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
            } else {
                assert_eq!(
                    got.unwrap_err().kind(),
                    ErrorKind::ResourceNotFound,
                    "session {i} retained too long"
                );
            }
        }
        sut.collect_events();
        // One event per change: the engine's events of each session are the model's changes.
        for (i, s) in settled.sessions.iter().enumerate() {
            let arn = &sut.sessions[i].2;
            let got: Vec<_> = sut.events.get(arn).cloned().unwrap_or_default();
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
        sut
    }

    fn check_invariants(sut: &Sut, _: &EngineModel) {
        sut.engine.check_invariants().unwrap();
        let json = serde_json::to_string(&sut.engine.snapshot()).unwrap();
        let snapshot: Snapshot = serde_json::from_str(&json).unwrap();
        let restored = Engine::restore(snapshot).unwrap();
        assert_eq!(
            restored.snapshot(),
            sut.engine.snapshot(),
            "the snapshot round trip is identical"
        );
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 128, max_shrink_iters: 4096, ..ProptestConfig::default() })]
    #[test]
    fn the_engine_agrees_with_the_reference_model(sequential 1..50 => EngineTest);
}
