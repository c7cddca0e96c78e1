//! Determinism: the same configuration, seed and sequence of (now, call) give byte-identical
//! outputs, events and final state.

mod common;

use common::history::{generated_history, play};
use gameliftstreams_lifecycle::script::Driver;
use gameliftstreams_lifecycle::{Engine, EngineConfig};

fn run(
    config: &EngineConfig,
    ops: &[gameliftstreams_lifecycle::script::Op],
) -> (Vec<String>, String) {
    let mut engine = Engine::new(config.clone());
    let mut driver = Driver::new();
    let lines = play(&mut engine, &mut driver, ops);
    (lines, serde_json::to_string(&engine.snapshot()).unwrap())
}

#[test]
fn a_long_random_history_twice_gives_byte_identical_outputs() {
    let config = EngineConfig {
        seed: 42,
        ..EngineConfig::default()
    };
    for history_seed in [1, 2, 3] {
        let ops = generated_history(history_seed, 1500);
        assert!(ops.len() > 300, "a long history");
        let (a, state_a) = run(&config, &ops);
        let (b, state_b) = run(&config, &ops);
        assert_eq!(a.len(), b.len());
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            assert_eq!(x, y, "op {i}: {:?}", ops[i]);
        }
        assert_eq!(state_a, state_b);
        // And the history did something: sessions were created and moved.
        let all = a.join("\n");
        assert!(
            all.contains("\"To\":\"CONNECTED\""),
            "a session got a client"
        );
        assert!(all.contains("ConflictException"), "some calls were refused");
    }
}

#[test]
fn another_seed_gives_other_ids_but_the_same_story() {
    let ops = generated_history(7, 400);
    let (a, _) = run(
        &EngineConfig {
            seed: 1,
            ..EngineConfig::default()
        },
        &ops,
    );
    let (b, _) = run(
        &EngineConfig {
            seed: 2,
            ..EngineConfig::default()
        },
        &ops,
    );
    assert_ne!(a, b, "IDs differ");
    let statuses = |lines: &[String]| -> Vec<usize> {
        lines.iter().map(|l| l.matches("\"To\"").count()).collect()
    };
    assert_eq!(statuses(&a), statuses(&b), "the same status changes happen");
}
