//! Fault injection: rules that fail the Nth call, every Nth call or a seeded fraction of calls
//! with a chosen error kind, deterministically; and infrastructure faults at a chosen time.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use common::t;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    EngineConfig, ErrorKind, FaultRule, FaultTrigger, InfrastructureFault, Observation,
    SessionStatus as S, StatusReason as R,
};

fn with_rules(rules: Vec<FaultRule>, seed: u64) -> Fixture {
    Fixture::with(
        EngineConfig {
            faults: rules,
            seed,
            ..EngineConfig::default()
        },
        None,
    )
}

fn rule(operation: Option<Operation>, trigger: FaultTrigger, error: ErrorKind) -> FaultRule {
    FaultRule {
        operation,
        trigger,
        error,
        message: None,
    }
}

/// Which of `n` GetStreamGroup calls failed (1-based), and with what.
fn failures(f: &mut Fixture, n: u64) -> Vec<(u64, ErrorKind)> {
    (1..=n)
        .filter_map(|i| {
            f.engine
                .get_stream_group(
                    ME,
                    f.now,
                    &GetStreamGroupInput {
                        identifier: f.group.clone(),
                    },
                )
                .err()
                .map(|e| (i, e.kind()))
        })
        .collect()
}

#[test]
fn the_nth_call_fails_once() {
    let mut f = with_rules(
        vec![rule(
            Some(Operation::GetStreamGroup),
            FaultTrigger::Nth(3),
            ErrorKind::InternalServer,
        )],
        0,
    );
    assert_eq!(failures(&mut f, 10), [(3, ErrorKind::InternalServer)]);
}

#[test]
fn every_nth_call_fails() {
    let mut f = with_rules(
        vec![rule(
            Some(Operation::GetStreamGroup),
            FaultTrigger::EveryNth(4),
            ErrorKind::Throttling,
        )],
        0,
    );
    assert_eq!(
        failures(&mut f, 12),
        [
            (4, ErrorKind::Throttling),
            (8, ErrorKind::Throttling),
            (12, ErrorKind::Throttling)
        ]
    );
}

#[test]
fn a_seeded_fraction_fails_the_same_calls_every_time() {
    let run = |seed| {
        let mut f = with_rules(
            vec![rule(
                None,
                FaultTrigger::Fraction(0.3),
                ErrorKind::ServiceQuotaExceeded,
            )],
            seed,
        );
        failures(&mut f, 200)
            .into_iter()
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let a = run(5);
    assert_eq!(a, run(5), "deterministic for a seed");
    assert_ne!(a, run(6), "another seed, other calls");
    assert!(
        (40..=80).contains(&a.len()),
        "about 30% of 200: {}",
        a.len()
    );
}

#[test]
fn every_error_kind_can_be_injected_with_its_status_and_message() {
    for kind in ErrorKind::ALL {
        let mut r = rule(Some(Operation::GetStreamGroup), FaultTrigger::Nth(1), kind);
        r.message = Some(format!("planned {kind}"));
        let mut f = with_rules(vec![r], 0);
        let e = f
            .engine
            .get_stream_group(
                ME,
                f.now,
                &GetStreamGroupInput {
                    identifier: f.group.clone(),
                },
            )
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.http_status(), e.to_string()),
            (kind, kind.http_status(), format!("planned {kind}"))
        );
    }
}

#[test]
fn an_injected_fault_changes_nothing() {
    let mut f = with_rules(
        vec![rule(
            Some(Operation::StartStreamSession),
            FaultTrigger::Nth(1),
            ErrorKind::InternalServer,
        )],
        0,
    );
    let input = f.start_input();
    let before = f.engine.snapshot();
    assert_error(
        f.start_with(input.clone()),
        ErrorKind::InternalServer,
        "Injected fault: rule 1 failed call 1 of StartStreamSession",
    );
    let after = serde_json::to_value(f.engine.snapshot()).unwrap();
    let mut before = serde_json::to_value(before).unwrap();
    // Only the rule's counter moved.
    before["guard"]["fault_calls"] = after["guard"]["fault_calls"].clone();
    assert_eq!(before, after);
    f.start_with(input).unwrap();
}

#[test]
fn fault_rules_are_validated() {
    let mut f = Fixture::new();
    let mut config = f.engine.config().clone();
    config.faults = vec![
        rule(None, FaultTrigger::EveryNth(0), ErrorKind::Conflict),
        rule(None, FaultTrigger::Fraction(1.5), ErrorKind::Conflict),
    ];
    let err = f.engine.set_config(config).unwrap_err();
    assert_eq!(err.violations().len(), 2, "{err}");
    assert!(err.to_string().contains("Faults.2.member.Trigger"), "{err}");
}

#[test]
fn fault_rules_read_from_json() {
    let json = r#"{"Faults": [{"Operation": "GetStreamSession", "Trigger": {"Nth": 1}, "Error": "InternalServerException"}]}"#;
    let config: EngineConfig = serde_json::from_str(json).unwrap();
    assert_eq!(
        config.faults,
        [rule(
            Some(Operation::GetStreamSession),
            FaultTrigger::Nth(1),
            ErrorKind::InternalServer
        )]
    );
    let json = r#"{"Throttling": {"Enabled": true}}"#;
    assert!(
        serde_json::from_str::<EngineConfig>(json)
            .unwrap()
            .throttling
            .enabled
    );
}

#[test]
fn an_application_crash_at_a_chosen_time() {
    let mut f = Fixture::new();
    let session = f.start();
    f.at(1);
    f.observe(&session, Observation::ClientConnected).unwrap();
    let fault = InfrastructureFault::ApplicationCrash {
        stream_group: f.group.clone(),
        stream_session: session.clone(),
    };
    f.engine.schedule_fault(ME, t(100), &fault).unwrap();
    assert_eq!(f.engine.poll_timeout(), Some(t(100)));
    f.at(99);
    assert_eq!(f.status(&session), S::Connected);
    f.at(100);
    let out = f.get(&session);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Terminated), Some(R::ApplicationExit))
    );
    assert_eq!(out.streaming_ended_at, Some(t(100)));
}

#[test]
fn a_session_failure_needs_an_error_reason() {
    let mut f = Fixture::new();
    let session = f.start();
    let bad = InfrastructureFault::SessionFailure {
        stream_group: f.group.clone(),
        stream_session: session.clone(),
        reason: R::IdleTimeout,
    };
    assert_error(
        f.engine.schedule_fault(ME, t(5), &bad),
        ErrorKind::Validation,
        "ERROR reason",
    );
    let good = InfrastructureFault::SessionFailure {
        stream_group: f.group.clone(),
        stream_session: session.clone(),
        reason: R::ApplicationLogS3DestinationError,
    };
    f.engine.schedule_fault(ME, t(5), &good).unwrap();
    f.at(5);
    assert_eq!(
        f.get(&session).status_reason,
        Some(R::ApplicationLogS3DestinationError)
    );
}

#[test]
fn a_failed_location_makes_the_group_active_with_errors() {
    let mut f = Fixture::with(
        EngineConfig::default(),
        Some(vec![
            location("us-west-2", 1, 1),
            location("eu-west-1", 1, 1),
        ]),
    );
    let mut input = f.start_input();
    input.locations = Some(vec!["eu-west-1".into()]);
    let remote = f.start_with(input.clone()).unwrap().arn.unwrap();
    let home = f.start();
    f.at(1);
    let fault = InfrastructureFault::LocationFailure {
        stream_group: f.group.clone(),
        location: "eu-west-1".into(),
    };
    f.engine.schedule_fault(ME, t(10), &fault).unwrap();
    f.at(10);
    assert_eq!(f.group_status(), StreamGroupStatus::ActiveWithErrors);
    let out = f.get(&remote);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Error), Some(R::InternalError))
    );
    assert_eq!(f.status(&home), S::Active, "other locations are unaffected");
    // ACTIVE only, by default: no new sessions.
    assert_error(
        f.start_with(input.clone()),
        ErrorKind::Conflict,
        "ACTIVE_WITH_ERRORS",
    );
    // The policy can allow them in the healthy locations.
    let mut config = f.engine.config().clone();
    config.start_policy = gameliftstreams_lifecycle::StartPolicy::AllowActiveWithErrors;
    f.engine.set_config(config).unwrap();
    input.locations = Some(vec!["eu-west-1".into(), "us-west-2".into()]);
    f.terminate(&home).unwrap();
    let next = f.start_with(input).unwrap().arn.unwrap();
    assert_eq!(f.get(&next).location.as_deref(), Some("us-west-2"));
    // Removing the failed location heals the group.
    f.engine
        .remove_stream_group_locations(
            ME,
            f.now,
            &RemoveStreamGroupLocationsInput {
                identifier: f.group.clone(),
                locations: Some(vec!["eu-west-1".into()]),
            },
        )
        .unwrap();
    f.at(11);
    assert_eq!(f.group_status(), StreamGroupStatus::Active);
}

#[test]
fn group_and_application_failures() {
    let mut f = Fixture::new();
    let session = f.start();
    f.at(1);
    let app_fault = InfrastructureFault::ApplicationFailure {
        application: f.app.clone(),
        reason: ApplicationStatusReason::SourceModified,
    };
    f.engine.schedule_fault(ME, t(2), &app_fault).unwrap();
    f.at(2);
    let app = f
        .engine
        .get_application(
            ME,
            f.now,
            &GetApplicationInput {
                identifier: f.app.clone(),
            },
        )
        .unwrap();
    assert_eq!(
        (app.status, app.status_reason),
        (
            Some(ApplicationStatus::Error),
            Some(ApplicationStatusReason::SourceModified)
        )
    );
    let input = f.start_input();
    assert_error(
        f.start_with(input),
        ErrorKind::Conflict,
        "is ERROR; StartStreamSession needs it READY",
    );
    assert_eq!(f.status(&session), S::Active, "running sessions go on");

    let group_fault = InfrastructureFault::StreamGroupFailure {
        stream_group: f.group.clone(),
        reason: StreamGroupStatusReason::NoAvailableInstances,
    };
    f.engine.schedule_fault(ME, t(3), &group_fault).unwrap();
    f.at(3);
    let group = f.group();
    assert_eq!(
        (group.status, group.status_reason),
        (
            Some(StreamGroupStatus::Error),
            Some(StreamGroupStatusReason::NoAvailableInstances)
        )
    );
    assert_eq!(f.get(&session).status_reason, Some(R::InternalError));
    // A fault on something that ended does nothing.
    let late = InfrastructureFault::ApplicationCrash {
        stream_group: f.group.clone(),
        stream_session: session.clone(),
    };
    f.engine.schedule_fault(ME, t(4), &late).unwrap();
    f.at(4);
    assert_eq!(f.get(&session).status_reason, Some(R::InternalError));
    let _ = TimeDelta::zero();
}

#[test]
fn unknown_configuration_members_are_refused() {
    for json in [
        r#"{"Delays": {"Placment": 5}}"#,
        r#"{"Throttling": {"Enabeld": true}}"#,
        r#"{"Faults": [{"Trigger": {"Nth": 1}, "Error": "ConflictException", "Operaton": "GetStreamSession"}]}"#,
        r#"{"Regoin": "eu-west-1"}"#,
    ] {
        let err = serde_json::from_str::<EngineConfig>(json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field"), "{json}: {err}");
    }
}
