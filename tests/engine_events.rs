//! The event log: every status change of every resource, once, in order. For long random
//! histories, each resource's events chain (each `from` is the previous `to`), start with a
//! creation and agree with what the API reports at the end.

mod common;

use std::collections::BTreeMap;

use common::history::generated_history;
use gameliftstreams_lifecycle::api::{GetStreamSessionInput, StreamUrlStatusReason};
use gameliftstreams_lifecycle::script::Driver;
use gameliftstreams_lifecycle::{Change, Engine, EngineConfig};

#[test]
fn every_resource_s_events_chain_from_creation_to_its_current_status() {
    for seed in [11, 12] {
        let mut engine = Engine::new(EngineConfig::default());
        let mut driver = Driver::new();
        let mut last: BTreeMap<(String, Option<String>), Option<String>> = BTreeMap::new();
        let mut changes = 0;
        // The history ends by letting time pass at its last instant, so that what its last op
        // set going at that instant (an application's steps) is done before the Gets below.
        let history = generated_history(seed, 800)
            .into_iter()
            .chain([gameliftstreams_lifecycle::script::Op::Advance { millis: 0 }]);
        for op in history {
            driver.step(&mut engine, &op);
            for e in engine.drain_events() {
                let (key, from, to) = match &e.change {
                    Change::StreamSession { from, to, .. } => (
                        (e.arn.clone(), None),
                        from.map(|s| s.to_string()),
                        Some(to.to_string()),
                    ),
                    Change::StreamGroup { from, to, .. } => (
                        (e.arn.clone(), None),
                        from.map(|s| s.to_string()),
                        to.map(|s| s.to_string()),
                    ),
                    Change::StreamGroupLocation { location, from, to } => (
                        (e.arn.clone(), Some(location.clone())),
                        from.map(|s| s.to_string()),
                        to.map(|s| s.to_string()),
                    ),
                    Change::Application { from, to, .. } => (
                        (e.arn.clone(), None),
                        from.map(|s| s.to_string()),
                        to.map(|s| s.to_string()),
                    ),
                    // A revoked URL revoked again with its sessions, or whose sessions have all
                    // ended, changes its reason only.
                    Change::StreamUrl {
                        from: Some(from),
                        to,
                        reason:
                            Some(
                                StreamUrlStatusReason::RevokedAndTerminatingSessions
                                | StreamUrlStatusReason::RevokedAndSessionsTerminated,
                            ),
                    } if from == to => {
                        assert_eq!(
                            last.get(&(e.arn.clone(), None)),
                            Some(&Some(to.to_string()))
                        );
                        continue;
                    }
                    Change::StreamUrl { from, to, .. } => (
                        (e.arn.clone(), None),
                        from.map(|s| s.to_string()),
                        Some(to.to_string()),
                    ),
                };
                assert_ne!(from, to, "an event is a change: {e:?}");
                match last.get(&key) {
                    None => assert_eq!(from, None, "the first event of {key:?} is its creation"),
                    Some(previous) => assert_eq!(&from, previous, "{key:?} chains"),
                }
                last.insert(key, to);
                changes += 1;
            }
        }
        assert!(changes > 200, "the history moved things: {changes}");
        // The last event of each live session is its status now.
        for (account, group, session) in driver.sessions() {
            let got = engine.get_stream_session(
                *account,
                driver.now,
                &GetStreamSessionInput {
                    identifier: group.clone(),
                    stream_session_identifier: session.clone(),
                },
            );
            let events: Vec<_> = engine.drain_events().collect();
            assert!(
                events.is_empty(),
                "a Get at the same instant changes nothing: {events:?}"
            );
            if let Ok(out) = got {
                let status = out.status.map(|s| s.to_string());
                assert_eq!(last[&(session.clone(), None)], status, "{session}");
            }
        }
    }
}

#[test]
fn discarding_old_events_keeps_the_newest_in_order() {
    let history = generated_history(13, 300);
    let run = |keep: Option<usize>| {
        let mut engine = Engine::new(EngineConfig::default());
        let mut driver = Driver::new();
        let mut dropped = 0;
        for op in &history {
            driver.step(&mut engine, op);
        }
        if let Some(keep) = keep {
            let before = engine.pending_events();
            dropped = engine.discard_old_events(keep);
            assert_eq!(dropped, before.saturating_sub(keep));
            assert_eq!(engine.pending_events(), before.min(keep));
        }
        (engine.drain_events().collect::<Vec<_>>(), dropped)
    };
    let (all, _) = run(None);
    assert!(all.len() > 20, "the history produced events: {}", all.len());
    let (kept, dropped) = run(Some(10));
    assert_eq!(kept.len(), 10);
    assert_eq!(dropped, all.len() - 10);
    assert_eq!(kept[..], all[all.len() - 10..], "the newest, oldest first");
}
