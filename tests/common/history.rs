//! Playing scripted histories and writing down everything they produced, byte for byte.

use gameliftstreams_lifecycle::script::{Driver, Op, Outcome};
use gameliftstreams_lifecycle::{ApiError, Engine};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// An error as the wire shows it.
pub fn error_text(e: &ApiError) -> String {
    format!("{} {}: {e}", e.http_status(), e.code())
}

/// Everything an op produced, as text: outputs as their wire JSON.
pub fn outcome_text(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Advanced => "advanced".into(),
        Outcome::Answers(answers) => answers
            .iter()
            .map(|a| match a {
                Ok(r) => serde_json::to_string(r).unwrap(),
                Err(e) => error_text(e),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Outcome::Observed(Ok(out)) => serde_json::to_string(out).unwrap(),
        Outcome::Observed(Err(e)) => error_text(e),
        Outcome::Scheduled(Ok(id)) => format!("fault {id}"),
        Outcome::Scheduled(Err(e)) => error_text(e),
        Outcome::Seeded(Ok(Some(cache))) => serde_json::to_string(cache).unwrap(),
        Outcome::Seeded(Ok(None)) => "removed".into(),
        Outcome::Seeded(Err(e)) => error_text(e),
    }
}

/// Plays `ops` on `engine` with `driver`, returning one line per op (its outcome and the
/// events it caused), checking the engine's invariants after every op.
pub fn play(engine: &mut Engine, driver: &mut Driver, ops: &[Op]) -> Vec<String> {
    ops.iter()
        .map(|op| {
            let outcome = driver.step(engine, op);
            if let Err(e) = engine.check_invariants() {
                panic!("invariant broken after {op:?}: {e}");
            }
            let events: Vec<String> = engine
                .drain_events()
                .map(|e| serde_json::to_string(&e).unwrap())
                .collect();
            format!("{}\n{}", outcome_text(&outcome), events.join("\n"))
        })
        .collect()
}

/// A long history drawn deterministically from the strategies, by `seed`.
pub fn generated_history(seed: u8, len: usize) -> Vec<Op> {
    let mut runner = TestRunner::new_with_rng(
        Default::default(),
        proptest::test_runner::TestRng::from_seed(
            proptest::test_runner::RngAlgorithm::ChaCha,
            &[seed; 32],
        ),
    );
    let strategy = gameliftstreams_lifecycle::script::strategy::history(len..=len);
    strategy.new_tree(&mut runner).unwrap().current()
}
