//! Coverage that is measured, not hoped for: the generators of the model-based tests reach every
//! (status × input) cell of the transition table and make every timer fire.

use std::collections::BTreeSet;

use gameliftstreams_lifecycle::model::machine::SessionMachine;
use gameliftstreams_lifecycle::{InputKind, SessionStatus, Timer};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use proptest_state_machine::ReferenceStateMachine;

#[test]
fn the_session_generators_reach_every_cell_and_every_timer() {
    let mut runner = TestRunner::deterministic();
    // The same shape and number of sequences as tests/session_model.rs generates.
    let strategy = SessionMachine::sequential_strategy(1..60);
    let mut cells = BTreeSet::new();
    let mut timers = BTreeSet::new();
    for _ in 0..1024 {
        let (mut state, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        for step in steps {
            state = SessionMachine::apply(state, &step);
            cells.extend(state.cell);
            timers.extend(state.fired.iter().map(|f| f.timer));
        }
    }
    let missing: Vec<_> = SessionStatus::ALL
        .iter()
        .flat_map(|s| InputKind::ALL.iter().map(move |k| (*s, *k)))
        .filter(|cell| !cells.contains(cell))
        .collect();
    assert!(missing.is_empty(), "cells never exercised: {missing:?}");
    assert_eq!(cells.len(), 96);
    let missing: Vec<_> = Timer::ALL.iter().filter(|t| !timers.contains(t)).collect();
    assert!(missing.is_empty(), "timers that never fired: {missing:?}");
}
