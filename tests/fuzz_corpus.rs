//! The fuzz targets' committed corpora as regression tests: every file of `fuzz/corpus/<target>/`
//! goes through the very function its cargo-fuzz target calls, on stable, under plain
//! `cargo test`. Crashing inputs the fuzzers found are committed there too.

use std::path::Path;

use gameliftstreams_lifecycle::fuzzing;

/// Runs `check` on every file of the target's corpus, naming the file that fails. A missing or
/// empty corpus is a failure: the replay would test nothing.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the corpus of `{target}` ({}) is missing: {e}",
            dir.display()
        )
    });
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a readable corpus directory").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "the corpus of `{target}` is empty");
    for file in &files {
        let data = std::fs::read(file).expect("a readable corpus file");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "fuzz/corpus/{target}/{} fails", {
            file.file_name().unwrap_or_default().to_string_lossy()
        });
    }
}

#[test]
fn the_session_corpus_passes() {
    replay("session", fuzzing::session_steps);
}

#[test]
fn the_engine_corpus_passes() {
    replay("engine", fuzzing::engine_ops);
}

#[test]
fn the_identifiers_corpus_passes() {
    replay("identifiers", fuzzing::identifiers_and_json);
}

#[test]
fn the_snapshot_corpus_passes() {
    replay("snapshot", fuzzing::snapshot_bytes);
}

// ---------------------------------------------------------------------------------------------
// Keeping the engine corpus's meaning when `Op` or `EngineStep` gain variants
// ---------------------------------------------------------------------------------------------

use arbitrary::{Arbitrary, Unstructured};
use gameliftstreams_lifecycle::model::EngineStep;
use gameliftstreams_lifecycle::script::Op;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The encoders invert `arbitrary`'s decoding: whatever bytes decode to, its encoding
    /// decodes to again (so the variant counts and field orders are right).
    #[test]
    fn the_encoders_invert_the_decoding(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let ops = Vec::<Op>::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
        let again = fuzzing::encode_ops(&ops);
        prop_assert_eq!(Vec::<Op>::arbitrary_take_rest(Unstructured::new(&again)).unwrap(), ops);
        let steps = Vec::<EngineStep>::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
        let again = fuzzing::encode_steps(&steps);
        prop_assert_eq!(
            Vec::<EngineStep>::arbitrary_take_rest(Unstructured::new(&again)).unwrap(),
            steps
        );
    }
}

/// What one file of the engine corpus decodes to: its mode byte and its ops (even) or steps
/// (odd).
#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Decoded {
    mode: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ops: Option<Vec<Op>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    steps: Option<Vec<EngineStep>>,
}

fn decode_engine_input(data: &[u8]) -> Option<Decoded> {
    let (&mode, rest) = data.split_first()?;
    let u = Unstructured::new(rest);
    Some(if mode % 2 == 0 {
        Decoded {
            mode,
            ops: Some(Vec::<Op>::arbitrary_take_rest(u).ok()?),
            steps: None,
        }
    } else {
        Decoded {
            mode,
            ops: None,
            steps: Some(Vec::<EngineStep>::arbitrary_take_rest(u).ok()?),
        }
    })
}

fn engine_corpus_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/engine")
}

/// Step 1 of re-encoding (see `fuzz/README.md`): run with the enums as they were, writes what
/// each engine corpus file decodes to, as JSON, to `$CORPUS_DECODINGS`.
#[test]
#[ignore = "a tool: CORPUS_DECODINGS=/tmp/engine.json cargo test --test fuzz_corpus -- --ignored dump"]
fn dump_the_engine_corpus_decodings() {
    let out = std::env::var("CORPUS_DECODINGS").expect("CORPUS_DECODINGS names the JSON file");
    let mut all = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(engine_corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(decoded) = decode_engine_input(&std::fs::read(&path).unwrap()) {
            all.insert(name, decoded);
        }
    }
    std::fs::write(&out, serde_json::to_vec_pretty(&all).unwrap()).unwrap();
}

/// Step 2 (see `fuzz/README.md`): run with the new enums, rewrites each file named in
/// `$CORPUS_DECODINGS` so that it decodes to what it did, and checks that it does.
#[test]
#[ignore = "a tool: CORPUS_DECODINGS=/tmp/engine.json cargo test --test fuzz_corpus -- --ignored reencode"]
fn reencode_the_engine_corpus() {
    let path = std::env::var("CORPUS_DECODINGS").expect("CORPUS_DECODINGS names the JSON file");
    let all: std::collections::BTreeMap<String, Decoded> =
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    for (name, decoded) in &all {
        let mut bytes = vec![decoded.mode];
        match (&decoded.ops, &decoded.steps) {
            (Some(ops), None) => bytes.extend(fuzzing::encode_ops(ops)),
            (None, Some(steps)) => bytes.extend(fuzzing::encode_steps(steps)),
            _ => panic!("{name}: ops or steps, as its mode says"),
        }
        assert_eq!(
            decode_engine_input(&bytes).as_ref(),
            Some(decoded),
            "{name} re-encoded"
        );
        std::fs::write(engine_corpus_dir().join(name), bytes).unwrap();
    }
}
