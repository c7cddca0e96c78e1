//! Fuzz target `identifiers`: identifiers, ARNs, patterns and request JSON. The checks live in
//! `gameliftstreams_lifecycle::fuzzing::identifiers_and_json`, which the corpus replay test also runs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    gameliftstreams_lifecycle::fuzzing::identifiers_and_json(data);
});
