//! Fuzz target `session`: arbitrary inputs and time on a session, against the reference model. The checks live in
//! `gameliftstreams_lifecycle::fuzzing::session_steps`, which the corpus replay test also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gameliftstreams_lifecycle::fuzzing::session_steps(data);
});
