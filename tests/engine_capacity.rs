//! Capacity and placement: slots per location, the requested order, the waiting queue in
//! arrival order, placement timeouts by capacity type, replication, tenancy and quotas.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    EngineConfig, ErrorKind, SessionStatus as S, SignalPolicy, StatusReason as R,
};

fn two_locations(primary: (i32, i32), remote: (i32, i32)) -> Fixture {
    Fixture::with(
        EngineConfig::default(),
        Some(vec![
            location("us-west-2", primary.0, primary.1),
            location("eu-west-1", remote.0, remote.1),
        ]),
    )
}

fn start_in(f: &mut Fixture, locations: &[&str]) -> String {
    let mut input = f.start_input();
    input.locations = Some(locations.iter().map(|s| s.to_string()).collect());
    f.start_with(input).unwrap().arn.unwrap()
}

#[test]
fn a_full_location_queues_sessions_until_a_slot_frees() {
    let mut f = two_locations((2, 2), (0, 0));
    let a = f.start();
    let b = f.start();
    let c = f.start();
    f.at(1);
    assert_eq!(
        [f.status(&a), f.status(&b), f.status(&c)],
        [S::Active, S::Active, S::Activating]
    );
    let primary = &f.group().location_states.unwrap()[0];
    assert_eq!(primary.allocated_capacity, Some(2));
    assert_eq!(primary.idle_capacity, Some(0));
    f.terminate(&a).unwrap();
    // The freed slot goes to the waiting session at the next request.
    assert_eq!(f.status(&c), S::Active);
    assert_eq!(f.get(&c).location.as_deref(), Some("us-west-2"));
}

#[test]
fn locations_are_tried_in_the_requested_order() {
    let mut f = two_locations((1, 1), (1, 1));
    let first = start_in(&mut f, &["eu-west-1", "us-west-2"]);
    let second = start_in(&mut f, &["eu-west-1", "us-west-2"]);
    let third = start_in(&mut f, &["eu-west-1", "us-west-2"]);
    f.at(1);
    assert_eq!(f.get(&first).location.as_deref(), Some("eu-west-1"));
    assert_eq!(f.get(&second).location.as_deref(), Some("us-west-2"));
    assert_eq!(f.status(&third), S::Activating);
    // Without Locations, only the primary location is used.
    let mut g = two_locations((0, 0), (1, 1));
    let none = g.start();
    g.at(1);
    assert_eq!(g.status(&none), S::Activating);
}

#[test]
fn the_queue_is_served_in_arrival_order_without_blocking_other_locations() {
    let mut f = two_locations((1, 1), (1, 1));
    let holder = start_in(&mut f, &["us-west-2"]);
    let waits_primary_1 = start_in(&mut f, &["us-west-2"]);
    let waits_primary_2 = start_in(&mut f, &["us-west-2"]);
    let remote = start_in(&mut f, &["eu-west-1"]);
    f.at(1);
    assert_eq!(
        f.status(&remote),
        S::Active,
        "a later session for a free location is not blocked"
    );
    assert_eq!(f.status(&waits_primary_1), S::Activating);
    f.terminate(&holder).unwrap();
    f.at(2);
    assert_eq!(
        f.status(&waits_primary_1),
        S::Active,
        "first come, first served"
    );
    assert_eq!(f.status(&waits_primary_2), S::Activating);
}

#[test]
fn waiting_too_long_ends_in_placement_timeout_by_capacity_type() {
    // Always-on capacity: 75 s.
    let mut f = two_locations((1, 1), (0, 0));
    f.start();
    let waiting = f.start();
    f.at(74);
    assert_eq!(f.status(&waiting), S::Activating);
    f.at(75);
    let out = f.get(&waiting);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Error), Some(R::PlacementTimeout))
    );
    assert_eq!(out.location, None);
    // On-demand capacity with a Proton runtime: 90 s.
    let mut f = two_locations((0, 1), (0, 0));
    f.start();
    let waiting = f.start();
    f.at(89);
    assert_eq!(f.status(&waiting), S::Activating);
    f.at(90);
    assert_eq!(f.get(&waiting).status_reason, Some(R::PlacementTimeout));
}

#[test]
fn windows_applications_wait_ten_minutes_for_on_demand_capacity() {
    let mut f = two_locations((0, 1), (0, 0));
    let mut input = app_input();
    input.runtime_environment = Some(RuntimeEnvironment {
        r#type: Some(RuntimeEnvironmentType::Windows),
        version: Some("2022".into()),
    });
    let windows = f
        .engine
        .create_application(ME, f.now, &input)
        .unwrap()
        .arn
        .unwrap();
    f.at(1);
    f.engine
        .associate_applications(
            ME,
            f.now,
            &AssociateApplicationsInput {
                identifier: f.group.clone(),
                application_identifiers: Some(vec![windows.clone()]),
            },
        )
        .unwrap();
    let holder = f.start();
    f.at(2);
    f.observe(
        &holder,
        gameliftstreams_lifecycle::Observation::ClientConnected,
    )
    .unwrap();
    let mut input = f.start_input();
    input.application_identifier = Some(windows);
    let waiting = f.start_with(input).unwrap().arn.unwrap();
    f.at(601);
    assert_eq!(f.status(&waiting), S::Activating);
    f.at(602);
    assert_eq!(f.get(&waiting).status_reason, Some(R::PlacementTimeout));
}

#[test]
fn a_location_needs_the_application_replicated() {
    let mut config = EngineConfig::default();
    config.delays.replication = TimeDelta::seconds(20);
    config.delays.location_activation = TimeDelta::seconds(5);
    let mut f = Fixture::with(config, None);
    f.engine
        .add_stream_group_locations(
            ME,
            f.now,
            &AddStreamGroupLocationsInput {
                identifier: f.group.clone(),
                location_configurations: Some(vec![location("eu-west-1", 1, 1)]),
            },
        )
        .unwrap();
    f.at(5);
    assert_eq!(f.group_status(), StreamGroupStatus::Active);
    let session = start_in(&mut f, &["eu-west-1"]);
    f.at(19);
    assert_eq!(f.status(&session), S::Activating, "still replicating");
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
    let statuses: Vec<_> = app
        .replication_statuses
        .unwrap()
        .into_iter()
        .map(|r| (r.location.unwrap(), r.status.unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("us-west-2".to_string(), ReplicationStatusType::Completed),
            ("eu-west-1".to_string(), ReplicationStatusType::Replicating)
        ]
    );
    f.at(20);
    assert_eq!(f.status(&session), S::Active);
}

#[test]
fn more_capacity_places_waiting_sessions() {
    let mut f = two_locations((1, 1), (0, 0));
    f.start();
    let waiting = f.start();
    f.at(1);
    f.engine
        .update_stream_group(
            ME,
            f.now,
            &UpdateStreamGroupInput {
                identifier: f.group.clone(),
                location_configurations: Some(vec![location("us-west-2", 1, 3)]),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(f.status(&waiting), S::Active);
    let primary = &f.group().location_states.unwrap()[0];
    assert_eq!(
        (primary.always_on_capacity, primary.maximum_capacity),
        (Some(1), Some(3))
    );
}

#[test]
fn capacities_must_be_consistent_and_whole_multiples_of_the_tenancy() {
    let mut f = Fixture::new();
    let create = |f: &mut Fixture, class: StreamClass, loc: LocationConfiguration| {
        let mut input = group_input(None);
        input.stream_class = Some(class);
        input.location_configurations = Some(vec![loc]);
        f.engine.create_stream_group(ME, f.now, &input)
    };
    assert_error(
        create(&mut f, StreamClass::Gen6nHigh, location("us-west-2", 1, 2)),
        ErrorKind::Validation,
        "Member must be a whole number multiple of the tenancy (2) of stream class gen6n_high",
    );
    assert_error(
        create(&mut f, StreamClass::Gen5nUltra, location("us-west-2", 3, 2)),
        ErrorKind::Validation,
        "MaximumCapacity 2 is less than AlwaysOnCapacity 3",
    );
    let empty = LocationConfiguration {
        location_name: Some("us-west-2".into()),
        ..Default::default()
    };
    assert_error(
        create(&mut f, StreamClass::Gen5nUltra, empty),
        ErrorKind::Validation,
        "at least one capacity",
    );
    create(
        &mut f,
        StreamClass::Gen6nSmall,
        location("us-west-2", 12, 24),
    )
    .unwrap();
    // The rule can be switched off.
    let mut config = f.engine.config().clone();
    config.enforce_tenancy_multiples = false;
    f.engine.set_config(config).unwrap();
    create(&mut f, StreamClass::Gen6nHigh, location("us-west-2", 1, 3)).unwrap();
    // Without configurations the primary location gets the default maximum, rounded up.
    let mut input = group_input(None);
    input.stream_class = Some(StreamClass::Gen6nSmall);
    let out = f.engine.create_stream_group(ME, f.now, &input).unwrap();
    let primary = &out.location_states.unwrap()[0];
    assert_eq!(primary.location_name.as_deref(), Some("us-west-2"));
    assert_eq!(primary.maximum_capacity, Some(12));
}

#[test]
fn quotas_answer_service_quota_exceeded() {
    let mut config = EngineConfig::default();
    config.quotas.stream_groups_per_account = 1;
    config.quotas.applications_per_account = 1;
    config.quotas.capacity_per_location = 5;
    config.default_maximum_capacity = 2;
    let mut f = Fixture::with(config, None);
    assert_error(
        f.engine.create_stream_group(ME, f.now, &group_input(None)),
        ErrorKind::ServiceQuotaExceeded,
        "stream groups",
    );
    assert_error(
        f.engine.create_application(ME, f.now, &app_input()),
        ErrorKind::ServiceQuotaExceeded,
        "applications",
    );
    let r = f.engine.update_stream_group(
        ME,
        f.now,
        &UpdateStreamGroupInput {
            identifier: f.group.clone(),
            location_configurations: Some(vec![location("us-west-2", 0, 6)]),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::ServiceQuotaExceeded, "over the quota of 5");
    // Another account has its own quota.
    f.engine
        .create_application(other_account(), f.now, &app_input())
        .unwrap();
}

#[test]
fn strict_signal_policy_refuses_offers_that_are_not_json_offers() {
    let config = EngineConfig {
        signal_policy: SignalPolicy::Strict,
        ..EngineConfig::default()
    };
    let mut f = Fixture::with(config, None);
    let plain = f.start();
    let mut input = f.start_input();
    input.signal_request = Some(r#"{"type":"offer","sdp":"v=0"}"#.into());
    let json = f.start_with(input).unwrap().arn.unwrap();
    let mut input = f.start_input();
    input.signal_request = Some("NO_CLIENT_CONNECTION".into());
    let headless = f.start_with(input).unwrap().arn.unwrap();
    let out = f.get(&plain);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Error), Some(R::InvalidSignalRequest))
    );
    assert_eq!(f.status(&json), S::Active);
    let out = f.get(&headless);
    assert_eq!(out.status, Some(S::Active));
    assert_eq!(out.signal_response, None, "no client, no answer");
    // A reconnection with a bad offer fails the session at the reconnection step.
    f.reconnect(&headless, "not json").unwrap();
    let out = f.get(&headless);
    assert_eq!(
        (out.status, out.status_reason),
        (Some(S::Error), Some(R::InvalidSignalRequest))
    );
    f.reconnect(&json, r#"{"type":"offer","sdp":"v=0 2"}"#)
        .unwrap();
    assert_eq!(f.status(&json), S::Active);
}
