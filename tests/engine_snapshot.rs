//! Snapshot and restore: for random histories split at a random point, snapshot → JSON →
//! restore → continue gives exactly what the uninterrupted run gives. Bad snapshots are refused
//! with a clear error.

mod common;

use common::history::play;
use gameliftstreams_lifecycle::script::{Driver, strategy};
use gameliftstreams_lifecycle::{
    Engine, EngineConfig, FaultRule, FaultTrigger, SNAPSHOT_VERSION, Snapshot, Throttling,
};
use proptest::prelude::*;

fn config() -> EngineConfig {
    let mut config = EngineConfig {
        seed: 9,
        ..EngineConfig::default()
    };
    // Exercise every piece of state: throttling buckets, fault counters, token ledger, delays.
    config.throttling = Throttling {
        enabled: true,
        ..Default::default()
    };
    config.faults = vec![FaultRule {
        operation: Some(gameliftstreams_lifecycle::api::Operation::GetStreamSession),
        trigger: FaultTrigger::EveryNth(7),
        error: gameliftstreams_lifecycle::ErrorKind::InternalServer,
        message: None,
    }];
    config.delays.placement = chrono::TimeDelta::seconds(2);
    config.delays.reconnection = chrono::TimeDelta::seconds(1);
    config.delays.stream_group_activation = chrono::TimeDelta::seconds(3);
    config
}

fn round_trip(engine: &Engine) -> Engine {
    let json = serde_json::to_string(&engine.snapshot()).unwrap();
    let snapshot: Snapshot = serde_json::from_str(&json).unwrap();
    assert_eq!(snapshot, engine.snapshot(), "the snapshot survives JSON");
    Engine::restore(snapshot).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_restored_engine_behaves_identically(ops in strategy::history(1..120), split in any::<prop::sample::Index>()) {
        let at = split.index(ops.len() + 1);
        let (prefix, rest) = ops.split_at(at);

        let mut straight = Engine::new(config());
        let mut driver = Driver::new();
        let mut expected = play(&mut straight, &mut driver, prefix);
        expected.extend(play(&mut straight, &mut driver.clone(), rest));

        let mut first = Engine::new(config());
        let mut driver = Driver::new();
        let mut got = play(&mut first, &mut driver, prefix);
        let mut restored = round_trip(&first);
        prop_assert_eq!(restored.snapshot(), first.snapshot());
        got.extend(play(&mut restored, &mut driver, rest));

        prop_assert_eq!(got, expected);
        prop_assert_eq!(restored.snapshot(), straight.snapshot());
        prop_assert!(restored == straight, "equal snapshots, unequal engines");
    }

    /// An engine's `==` says what comparing snapshots says (the fuzzers rely on it to check
    /// that a refused call changed nothing): along a history, the engine is equal to itself
    /// before an op exactly when the op left its snapshot as it was, and always equal to its
    /// restored copy.
    #[test]
    fn engines_are_equal_exactly_when_their_snapshots_are(ops in strategy::history(1..80)) {
        let mut engine = Engine::new(config());
        let mut driver = Driver::new();
        for op in &ops {
            let before = engine.clone();
            driver.step(&mut engine, op);
            prop_assert_eq!(engine == before, engine.snapshot() == before.snapshot(), "{:?}", op);
            prop_assert!(round_trip(&engine) == engine, "{:?}", op);
        }
    }
}

fn sample_snapshot() -> serde_json::Value {
    use gameliftstreams_lifecycle::script::{Happening, Op};
    let mut engine = Engine::new(config());
    let mut driver = Driver::new();
    let mut ops = Vec::new();
    ops.extend([
        Op::Advance { millis: 5_000 },
        Op::CreateApplication {
            account: 0,
            windows: false,
            token: Some(1),
        },
        Op::Advance { millis: 1_000 },
        Op::CreateStreamGroup {
            app: 0,
            capacity: (2, 3),
            second_location: None,
            token: None,
        },
        Op::Advance { millis: 5_000 },
        Op::StartStreamSession {
            group: 0,
            app: 0,
            connection_timeout: None,
            locations: vec![],
            token: Some(2),
        },
        Op::StartStreamSession {
            group: 0,
            app: 0,
            connection_timeout: None,
            locations: vec![],
            token: None,
        },
        Op::Advance { millis: 3_000 },
        Op::Observe {
            session: 0,
            happening: Happening::ClientConnected,
        },
    ]);
    play(&mut engine, &mut driver, &ops);
    serde_json::to_value(engine.snapshot()).unwrap()
}

fn restore(v: serde_json::Value) -> String {
    match serde_json::from_value::<Snapshot>(v) {
        Err(e) => e.to_string(),
        Ok(s) => Engine::restore(s)
            .map(|_| ())
            .expect_err("a bad snapshot must be refused")
            .to_string(),
    }
}

#[test]
fn snapshots_of_another_format_or_version_are_refused_by_name() {
    let mut v = sample_snapshot();
    for version in [1, SNAPSHOT_VERSION + 1] {
        v["version"] = version.into();
        let refusal = restore(v.clone());
        assert!(
            refusal.contains(&format!("snapshot version {version} is not supported")),
            "{refusal}"
        );
    }
    let mut v = sample_snapshot();
    v["format"] = "something-else".into();
    assert!(restore(v).contains("not an engine snapshot"));
}

#[test]
fn truncated_or_corrupt_snapshots_are_refused() {
    let json = serde_json::to_string(&sample_snapshot()).unwrap();
    for cut in [1, json.len() / 3, json.len() - 1] {
        assert!(
            serde_json::from_str::<Snapshot>(&json[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut v = sample_snapshot();
    v["sessions"][0][1]["session"]["status"] = "NAPPING".into();
    assert!(serde_json::from_value::<Snapshot>(v).is_err());
    let mut v = sample_snapshot();
    v["config"]["Region"] = "not a region!".into();
    assert!(restore(v).contains("Region"));
}

#[test]
fn inconsistent_snapshots_are_refused() {
    let base = sample_snapshot();
    assert!(!base["sessions"].as_array().unwrap().is_empty());

    // A session twice (sessions are [sequence number, record] pairs; the number is the ID).
    let mut v = base.clone();
    let first = v["sessions"][0].clone();
    v["sessions"].as_array_mut().unwrap().push(first);
    let e = restore(v);
    assert!(e.contains("bad sequence number"), "{e}");

    // Sessions whose numbers span more than any engine makes (the table would spend a word
    // per 64 numbers between them): refused, not allocated.
    let mut v = base.clone();
    let mut far = v["sessions"][0].clone();
    far[0] = (1u64 << 40).into();
    v["sessions"].as_array_mut().unwrap().push(far);
    v["next_seq"] = (1u64 << 41).into();
    let e = restore(v);
    // Refused by the span to the next number (checked first) or between the sessions.
    assert!(e.contains("span"), "{e}");

    // A sequence number from the future.
    let mut v = base.clone();
    v["next_seq"] = 0.into();
    assert!(restore(v).contains("bad sequence number"));

    // A slot count that no session holds.
    let mut v = base.clone();
    let in_use = &mut v["groups"][0]["locations"][0]["in_use"];
    *in_use = (in_use.as_u64().unwrap() + 1).into();
    assert!(restore(v).contains("slots in use"));

    // A session scheduled at the wrong time.
    let mut v = base.clone();
    let live = v["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|s| !s[1]["due"].is_null())
        .unwrap();
    v["sessions"][live][1]["due"] = "2099-01-01T00:00:00Z".into();
    assert!(restore(v).contains("scheduled"));

    // The untouched snapshot restores.
    let snapshot: Snapshot = serde_json::from_value(base).unwrap();
    Engine::restore(snapshot).unwrap();
}
