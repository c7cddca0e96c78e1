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
