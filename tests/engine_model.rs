//! Model-based test of the engine against its reference model (proptest-state-machine): time
//! passing is a step of its own, steps name resources by index (the precondition keeps
//! shrinking honest), and after every step the engine must agree with the model and keep the
//! invariants of SPEC §9: sessions, stream URLs (status, reason, remaining uses, their sessions,
//! each account's listing, their events with their times), exports, shader caches; and the
//! model keeps its own (`EngineModel::check_invariants`).

use gameliftstreams_lifecycle::fuzzing::EngineHarness;
use gameliftstreams_lifecycle::model::machine::EngineMachine;
use gameliftstreams_lifecycle::model::{EngineModel, EngineStep};
use proptest::prelude::*;
use proptest_state_machine::{StateMachineTest, prop_state_machine};

struct EngineTest;

/// The engine under test and its comparison with the model are shared with the `engine` fuzz
/// target (`fuzzing::EngineHarness`).
impl StateMachineTest for EngineTest {
    type SystemUnderTest = EngineHarness;
    type Reference = EngineMachine;

    fn init_test(model: &EngineModel) -> EngineHarness {
        EngineHarness::new(model.now)
    }

    fn apply(mut sut: EngineHarness, model: &EngineModel, step: EngineStep) -> EngineHarness {
        sut.apply(model, &step);
        sut
    }

    fn check_invariants(sut: &EngineHarness, _: &EngineModel) {
        sut.check_invariants();
    }
}

prop_state_machine! {
    #![proptest_config(ProptestConfig { cases: 256, max_shrink_iters: 4096, ..ProptestConfig::default() })]
    #[test]
    fn the_engine_agrees_with_the_reference_model(sequential 1..50 => EngineTest);
}
