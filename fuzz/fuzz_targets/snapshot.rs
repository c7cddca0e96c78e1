//! Fuzz target `snapshot`: engine snapshot (and session) JSON, restored and exercised. The checks live in
//! `gameliftstreams_lifecycle::fuzzing::snapshot_bytes`, which the corpus replay test also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gameliftstreams_lifecycle::fuzzing::snapshot_bytes(data);
});
