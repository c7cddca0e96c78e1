//! Fuzz target `engine`: arbitrary engine calls across accounts, and engine steps against the reference model. The checks live in
//! `gameliftstreams_lifecycle::fuzzing::engine_ops`, which the corpus replay test also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gameliftstreams_lifecycle::fuzzing::engine_ops(data);
});
