//! Model-based test of the core `Session` against the reference model (proptest-state-machine):
//! time passing is a transition of its own; after every step the session must agree with the
//! model and keep the invariants of SPEC §9.

use chrono::TimeDelta;
use gameliftstreams_lifecycle::model::Step;
use gameliftstreams_lifecycle::model::machine::{FIRST_OFFER, MachineState, SessionMachine};
use gameliftstreams_lifecycle::{ErrorKind, Event, Session, Timer};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

struct SessionTest;

impl StateMachineTest for SessionTest {
    type SystemUnderTest = Session;
    type Reference = SessionMachine;

    fn init_test(state: &MachineState) -> Session {
        Session::start(
            state.model.config.clone(),
            FIRST_OFFER,
            state.model.created_at,
        )
        .expect("the model only starts valid sessions")
    }

    fn apply(mut session: Session, state: &MachineState, step: Step) -> Session {
        let before = session.clone();
        let now = session.now();
        let result = match &step {
            Step::Input(input) => session
                .handle_input(now, input.clone())
                .map_err(|e| e.kind()),
            Step::Advance { millis } => {
                session.handle_timeout(now + TimeDelta::milliseconds(i64::from(*millis)));
                Ok(())
            }
            Step::Timeout => {
                session.handle_timeout(now);
                Ok(())
            }
            Step::Late { millis, input } => session
                .handle_input(
                    now - TimeDelta::milliseconds(i64::from(*millis)),
                    input.clone(),
                )
                .map_err(|e| e.kind()),
        };
        let m = &state.model;
        assert_eq!(result, state.last, "answer to {step:?}");
        assert_ne!(result, Err(ErrorKind::InternalServer));
        assert_eq!(session.status(), m.status, "status after {step:?}");
        assert_eq!(session.reason(), m.reason);
        assert_eq!(session.now(), m.now);
        assert_eq!(session.last_updated_at(), m.last_updated_at);
        assert_eq!(session.application_started_at(), m.application_started_at);
        assert_eq!(session.streaming_started_at(), m.streaming_started_at);
        assert_eq!(session.streaming_ended_at(), m.streaming_ended_at);
        assert_eq!(session.location(), m.location.as_deref());
        for timer in Timer::ALL {
            assert_eq!(
                session.deadline(timer),
                m.timers.get(&timer).copied(),
                "{timer:?} after {step:?}"
            );
        }
        assert_eq!(session.poll_timeout(), m.next_deadline());

        // One event per change, exactly the model's.
        let events: Vec<_> = std::iter::from_fn(|| session.poll_event()).collect();
        let got: Vec<_> = events
            .iter()
            .map(
                |Event::StatusChanged {
                     from,
                     to,
                     reason,
                     at,
                 }| (*from, *to, *reason, *at),
            )
            .collect();
        assert_eq!(
            got,
            m.changes[m.changes.len() - state.step_changes..],
            "events of {step:?}"
        );

        // Terminal statuses are absorbing.
        if state.before.is_terminal() {
            assert_eq!(session.status(), state.before);
        }
        // A refused input changes nothing but the passing of time.
        if result.is_err() {
            let mut expected = before.clone();
            let at = match &step {
                Step::Late { millis, .. } => now - TimeDelta::milliseconds(i64::from(*millis)),
                _ => now,
            };
            expected.handle_timeout(at);
            while expected.poll_event().is_some() {}
            assert_eq!(session, expected, "a refused {step:?} changed the session");
        }
        session
    }

    fn check_invariants(session: &Session, _: &MachineState) {
        session.check_invariants().unwrap();
        let json = serde_json::to_string(session).unwrap();
        let restored: Session = serde_json::from_str(&json).unwrap();
        assert_eq!(&restored, session, "the snapshot round trip is identical");
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 1024, max_shrink_iters: 4096, ..ProptestConfig::default() })]
    #[test]
    fn the_session_agrees_with_the_reference_model(sequential 1..60 => SessionTest);
}

#[test]
fn the_model_itself_is_total() {
    // Every step from every reachable state is answered without panicking.
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = SessionMachine::sequential_strategy(1..40);
    for _ in 0..200 {
        let (mut state, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        for step in steps {
            state = SessionMachine::apply(state, &step);
        }
    }
}
