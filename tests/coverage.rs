//! Coverage that is measured, not hoped for: the generators of the model-based tests reach every
//! (status × input) cell of the transition table and make every timer fire; the engine model's
//! generators and the scripted histories reach every stream URL transition (with its reason)
//! and every export status change; tagging histories reach every answer the tag model checks.

use std::collections::{BTreeMap, BTreeSet};

use gameliftstreams_lifecycle::api::{ExportFilesStatus, StreamUrlStatus, StreamUrlStatusReason};
use gameliftstreams_lifecycle::fuzzing::{LifecycleWatch, TagModel};
use gameliftstreams_lifecycle::model::machine::{EngineMachine, SessionMachine};
use gameliftstreams_lifecycle::model::{ExportPhase, url_change_allowed};
use gameliftstreams_lifecycle::script::{self, Driver};
use gameliftstreams_lifecycle::{Engine, EngineConfig, ErrorKind, InputKind, SessionStatus, Timer};
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

/// Every stream URL transition the engine can make: (status and reason before, status and
/// reason after), as `model::url_change_allowed` allows them.
fn every_url_transition() -> Vec<UrlStep> {
    let reasons = std::iter::once(None).chain(StreamUrlStatusReason::ALL.iter().copied().map(Some));
    let befores: Vec<Option<(StreamUrlStatus, Option<StreamUrlStatusReason>)>> =
        std::iter::once(None)
            .chain(StreamUrlStatus::ALL.iter().flat_map(|s| {
                reasons
                    .clone()
                    .filter(move |r| r.is_some() == (*s == StreamUrlStatus::Revoked))
                    .map(move |r| Some((*s, r)))
            }))
            .collect();
    let mut all = Vec::new();
    for before in befores {
        for to in StreamUrlStatus::ALL {
            for reason in reasons.clone() {
                if url_change_allowed(before, *to, reason) {
                    all.push((before, *to, reason));
                }
            }
        }
    }
    all
}

/// A stream URL transition: before (status and reason; `None`: creation), status and reason
/// after.
type UrlStep = (
    Option<(StreamUrlStatus, Option<StreamUrlStatusReason>)>,
    StreamUrlStatus,
    Option<StreamUrlStatusReason>,
);

#[test]
fn the_engine_model_generators_reach_every_stream_url_and_export_transition() {
    use ExportPhase as P;
    let mut runner = TestRunner::deterministic();
    // The same shape and number of sequences as tests/engine_model.rs generates.
    let strategy = EngineMachine::sequential_strategy(1..50);
    let mut urls: BTreeMap<UrlStep, usize> = BTreeMap::new();
    let mut exports: BTreeMap<(Option<ExportPhase>, ExportPhase), usize> = BTreeMap::new();
    let mut answers: BTreeSet<(String, Result<(), ErrorKind>)> = BTreeSet::new();
    for _ in 0..256 {
        let (mut state, steps, _) = strategy.new_tree(&mut runner).unwrap().current();
        // What the harness compares after each step: the model settled at its time.
        let mut seen: Vec<Option<ExportPhase>> = Vec::new();
        for step in steps {
            state = EngineMachine::apply(state, &step);
            let name = format!("{step:?}");
            let name = name.split([' ', '{']).next().unwrap_or_default().to_owned();
            answers.insert((name, state.last));
            let mut settled = state.clone();
            settled.settle(state.now);
            for (i, s) in settled.sessions.iter().enumerate() {
                let phase = settled.export_phase(s);
                let before = seen.get(i).copied().flatten();
                if let Some(p) = phase.filter(|p| Some(*p) != before) {
                    *exports.entry((before, p)).or_default() += 1;
                }
            }
            seen = settled
                .sessions
                .iter()
                .map(|s| settled.export_phase(s))
                .collect();
        }
        state.settle(state.now);
        for u in &state.urls {
            let mut before = None;
            for &(_, to, reason, _) in &u.changes {
                *urls.entry((before, to, reason)).or_default() += 1;
                before = Some((to, reason));
            }
        }
    }
    let all = every_url_transition();
    assert_eq!(all.len(), 17, "{all:?}");
    let missing: Vec<_> = all.iter().filter(|t| !urls.contains_key(t)).collect();
    assert!(
        missing.is_empty(),
        "stream URL transitions never reached: {missing:?} (reached: {urls:?})"
    );
    let want = [
        (None, P::Running),
        (Some(P::Running), P::Uploading),
        (Some(P::Running), P::Succeeded),
        (Some(P::Running), P::SessionFailed),
        (Some(P::Running), P::UploadFailed),
        (Some(P::Uploading), P::Succeeded),
        (Some(P::Uploading), P::UploadFailed),
    ];
    let missing: Vec<_> = want.iter().filter(|t| !exports.contains_key(t)).collect();
    assert!(
        missing.is_empty(),
        "export transitions never reached: {missing:?} (reached: {exports:?})"
    );
    assert!(exports.keys().all(|t| want.contains(t)), "{exports:?}");
    eprintln!("stream URL transitions: {urls:?}\nexport transitions: {exports:?}");
    // Every kind of step is answered, and accepted, somewhere.
    let accepted: BTreeSet<&str> = answers
        .iter()
        .filter(|(_, a)| a.is_ok())
        .map(|(n, _)| n.as_str())
        .collect();
    for name in [
        "DeleteApplication",
        "Associate",
        "CreateStreamUrl",
        "GetStreamUrl",
        "ListStreamUrls",
        "RevokeStreamUrl",
        "OpenStreamUrl",
        "AdminShell",
        "ExportFiles",
        "FailExport",
        "PutShaderCache",
        "RemoveShaderCache",
        "ListShaderCaches",
    ] {
        assert!(
            accepted.contains(name),
            "{name} never accepted: {answers:?}"
        );
    }
    let refused: BTreeSet<ErrorKind> = answers.iter().filter_map(|(_, a)| a.err()).collect();
    for kind in [
        ErrorKind::StreamSessionAccessNotReady,
        ErrorKind::ServiceQuotaExceeded,
        ErrorKind::AccessDenied,
        ErrorKind::Conflict,
        ErrorKind::ResourceNotFound,
        ErrorKind::Validation,
    ] {
        assert!(refused.contains(&kind), "no step was refused with {kind:?}");
    }
}

#[test]
fn the_scripted_histories_reach_every_stream_url_and_export_transition() {
    let mut runner = TestRunner::deterministic();
    // As many ops as the determinism and event tests' histories, over a few dozen histories.
    let strategy = script::strategy::history(200);
    let (mut url_transitions, mut export_transitions) = (BTreeSet::new(), BTreeSet::new());
    for _ in 0..48 {
        let ops = strategy.new_tree(&mut runner).unwrap().current();
        let mut engine = Engine::new(EngineConfig::default());
        let mut driver = Driver::new();
        let mut watch = LifecycleWatch::new();
        for op in &ops {
            driver.step(&mut engine, op);
            let events: Vec<_> = engine.drain_events().collect();
            watch.events(&events);
            watch.observe(&engine, &script::ACCOUNTS);
        }
        url_transitions.extend(watch.url_transitions);
        export_transitions.extend(watch.export_transitions);
    }
    // Every transition but revocation by an application's deletion: that needs the application
    // disassociated from every group and its sessions ended first, which unguided scripts do
    // not arrange (the engine model's generator, guided by its state, does: see above).
    let want: BTreeSet<_> = every_url_transition()
        .into_iter()
        .filter(|(_, _, reason)| *reason != Some(StreamUrlStatusReason::ApplicationDeleted))
        .map(|(before, to, reason)| (before.map(|b| b.0), to, reason))
        .collect();
    assert_eq!(want.len(), 14);
    let missing: Vec<_> = want
        .iter()
        .filter(|t| !url_transitions.contains(t))
        .collect();
    assert!(
        missing.is_empty(),
        "stream URL transitions never reached: {missing:?}"
    );
    use ExportFilesStatus as X;
    let want = [
        (None, X::Pending),
        (Some(X::Pending), X::Succeeded),
        (Some(X::Pending), X::Failed),
    ];
    let missing: Vec<_> = want
        .iter()
        .filter(|t| !export_transitions.contains(t))
        .collect();
    assert!(
        missing.is_empty(),
        "export transitions never reached: {missing:?}"
    );
}

#[test]
fn tagging_histories_are_checked_against_the_tag_model_and_reach_the_quota() {
    let mut runner = TestRunner::deterministic();
    // Short histories, then their few resources tagged three hundred times: a resource
    // reaches its 50 tags only when tagging ops dominate.
    let history = script::strategy::history(20);
    let tagging = proptest::collection::vec(script::strategy::tag_op(), 300);
    let (mut accepted, mut over_quota) = ([0; 3], 0);
    let mut refused = BTreeSet::new();
    for _ in 0..16 {
        // One model per engine: a new engine makes the same ARNs again.
        let mut model = TagModel::new();
        let ops = history.new_tree(&mut runner).unwrap().current();
        let tag_ops = tagging.new_tree(&mut runner).unwrap().current();
        let mut engine = Engine::new(EngineConfig::default());
        let mut driver = Driver::new();
        for op in ops.iter().chain(&tag_ops) {
            let outcome = driver.step(&mut engine, op);
            model.check(&driver, op, &outcome);
            if let (true, script::Outcome::Answers(answers)) =
                (matches!(op, script::Op::TagResource { .. }), &outcome)
            {
                refused.extend(
                    answers
                        .iter()
                        .filter_map(|a| a.as_ref().err())
                        .map(|e| e.kind()),
                );
            }
        }
        engine.check_invariants().unwrap();
        for (total, n) in accepted.iter_mut().zip(model.accepted) {
            *total += n;
        }
        over_quota += model.over_quota;
    }
    let [tagged, untagged, listed] = accepted;
    assert!(tagged > 100 && untagged > 20 && listed > 50, "{accepted:?}");
    assert!(over_quota > 0, "no resource reached its 50 tags");
    for kind in [ErrorKind::Validation, ErrorKind::AccessDenied] {
        assert!(
            refused.contains(&kind),
            "no TagResource was refused with {kind:?}"
        );
    }
}
