//! Model-based test of the core `Session` against the reference model (proptest-state-machine):
//! time passing is a transition of its own; after every step the session must agree with the
//! model and keep the invariants of SPEC §9.

use gameliftstreams_lifecycle::Session;
use gameliftstreams_lifecycle::fuzzing::{
    ModelAfter, assert_session_agrees, assert_session_invariants, play_session_step,
};
use gameliftstreams_lifecycle::model::Step;
use gameliftstreams_lifecycle::model::machine::{FIRST_OFFER, MachineState, SessionMachine};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

struct SessionTest;

/// The comparison itself is shared with the `session` fuzz target (`fuzzing`).
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
        let result = play_session_step(&mut session, &step);
        assert_session_agrees(
            &before,
            &mut session,
            &step,
            result,
            ModelAfter {
                model: &state.model,
                last: state.last,
                before: state.before,
                step_changes: state.step_changes,
            },
        );
        session
    }

    fn check_invariants(session: &Session, _: &MachineState) {
        assert_session_invariants(session);
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
