//! Preconditions on the status of groups, applications and sessions, and on what a request
//! names: a status that does not allow the operation is a Conflict (or a Validation error for
//! operations that list no ConflictException); naming something the group does not have is a
//! Validation error. Every refused call changes nothing.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{EngineConfig, ErrorKind, Observation, SessionStatus as S};

fn slow(delay: impl FnOnce(&mut EngineConfig)) -> Fixture {
    let mut config = EngineConfig::default();
    delay(&mut config);
    Fixture::with(config, None)
}

#[test]
fn start_needs_an_active_group() {
    let mut f = slow(|c| c.delays.stream_group_activation = TimeDelta::seconds(60));
    let activating = f
        .engine
        .create_stream_group(ME, f.now, &group_input(Some(&f.app)))
        .unwrap()
        .arn
        .unwrap();
    let mut input = f.start_input();
    input.identifier = activating.clone();
    assert_error(
        f.start_with(input.clone()),
        ErrorKind::Conflict,
        "is ACTIVATING; StartStreamSession needs it ACTIVE",
    );
    f.at(60);
    f.start_with(input).unwrap();
}

#[test]
fn start_in_an_expired_group_is_a_conflict() {
    let mut f = Fixture::new();
    f.at(365 * 86_400);
    assert_eq!(f.group_status(), StreamGroupStatus::Expired);
    let input = f.start_input();
    assert_error(f.start_with(input), ErrorKind::Conflict, "EXPIRED");
}

#[test]
fn start_needs_the_application_associated_and_locations_of_the_group() {
    let mut f = Fixture::new();
    let other = f
        .engine
        .create_application(ME, f.now, &app_input())
        .unwrap()
        .arn
        .unwrap();
    f.at(1);
    let mut input = f.start_input();
    input.application_identifier = Some(other);
    assert_error(
        f.start_with(input),
        ErrorKind::Validation,
        "is not associated with stream group",
    );
    let mut input = f.start_input();
    input.locations = Some(vec!["us-west-2".into(), "eu-west-1".into()]);
    assert_error(
        f.start_with(input),
        ErrorKind::Validation,
        "Location 'eu-west-1' (locations.2.member)",
    );
    let mut input = f.start_input();
    input.role_arn = Some("arn:aws:iam::123456789012:role/MyRole".into());
    assert_error(
        f.start_with(input),
        ErrorKind::Validation,
        "GameLiftStreams-",
    );
    let mut input = f.start_input();
    input.role_arn = Some("arn:aws:iam::123456789012:role/GameLiftStreams-Role".into());
    f.start_with(input).unwrap();
    // Only the accepted call created anything.
    let all = f
        .engine
        .list_stream_sessions_by_account(ME, f.now, &ListStreamSessionsByAccountInput::default())
        .unwrap();
    assert_eq!(all.items.unwrap().len(), 1);
}

#[test]
fn validation_comes_before_not_found_and_conflict() {
    let mut f = Fixture::new();
    let mut input = f.start_input();
    input.identifier = "sg-doesnotexist".into();
    input.connection_timeout_seconds = Some(0);
    assert_error(
        f.start_with(input.clone()),
        ErrorKind::Validation,
        "connectionTimeoutSeconds",
    );
    input.connection_timeout_seconds = None;
    assert_error(
        f.start_with(input),
        ErrorKind::ResourceNotFound,
        "sg-doesnotexist",
    );
}

#[test]
fn reconnecting_needs_an_active_or_pending_session_in_an_active_group() {
    let mut f = slow(|c| c.delays.placement = TimeDelta::seconds(10));
    let session = f.start();
    assert_error(
        f.reconnect(&session, "v=0 new"),
        ErrorKind::Conflict,
        "ACTIVATING",
    );
    f.at(10);
    f.observe(&session, Observation::ClientConnected).unwrap();
    assert_error(
        f.reconnect(&session, "v=0 new"),
        ErrorKind::Conflict,
        "allowed only in: ACTIVE, PENDING_CLIENT_RECONNECTION",
    );
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();
    // A group that is not ACTIVE refuses the reconnection …
    let mut location = location("eu-west-1", 0, 2);
    location.maximum_capacity = Some(2);
    let mut config = f.engine.config().clone();
    config.delays.location_activation = TimeDelta::seconds(30);
    f.engine.set_config(config).unwrap();
    f.engine
        .add_stream_group_locations(
            ME,
            f.now,
            &AddStreamGroupLocationsInput {
                identifier: f.group.clone(),
                location_configurations: Some(vec![location]),
            },
        )
        .unwrap();
    assert_eq!(f.group_status(), StreamGroupStatus::UpdatingLocations);
    assert_error(
        f.reconnect(&session, "v=0 new"),
        ErrorKind::Conflict,
        "UPDATING_LOCATIONS",
    );
    // … but a reused offer is a Validation error first.
    assert_error(
        f.reconnect(&session, "v=0 offer 1"),
        ErrorKind::Validation,
        "newly generated",
    );
    assert_eq!(f.status(&session), S::PendingClientReconnection);
    f.at(40);
    f.reconnect(&session, "v=0 new").unwrap();
}

#[test]
fn terminate_while_activating_is_a_validation_error() {
    let mut f = slow(|c| c.delays.placement = TimeDelta::seconds(10));
    let session = f.start();
    assert_error(f.terminate(&session), ErrorKind::Validation, "ACTIVATING");
    assert_eq!(f.status(&session), S::Activating);
}

#[test]
fn delete_application_rules() {
    let mut f = slow(|c| c.delays.application_ready = TimeDelta::seconds(5));
    // Associated with a group: Validation.
    let r = f.engine.delete_application(
        ME,
        f.now,
        &DeleteApplicationInput {
            identifier: f.app.clone(),
        },
    );
    assert_error(r, ErrorKind::Validation, "is associated with stream group");
    // Still PROCESSING: Conflict.
    let fresh = f
        .engine
        .create_application(ME, f.now, &app_input())
        .unwrap()
        .arn
        .unwrap();
    let r = f.engine.delete_application(
        ME,
        f.now,
        &DeleteApplicationInput {
            identifier: fresh.clone(),
        },
    );
    assert_error(r, ErrorKind::Conflict, "PROCESSING");
    // Streaming in a session: Conflict, even once disassociated.
    let session = f.start();
    f.at(6);
    f.engine
        .disassociate_applications(
            ME,
            f.now,
            &DisassociateApplicationsInput {
                identifier: f.group.clone(),
                application_identifiers: Some(vec![f.app.clone()]),
            },
        )
        .unwrap();
    let r = f.engine.delete_application(
        ME,
        f.now,
        &DeleteApplicationInput {
            identifier: f.app.clone(),
        },
    );
    assert_error(r, ErrorKind::Conflict, "is streaming in stream session");
    f.terminate(&session).unwrap();
    f.at(7);
    f.engine
        .delete_application(
            ME,
            f.now,
            &DeleteApplicationInput {
                identifier: f.app.clone(),
            },
        )
        .unwrap();
    let app = f.engine.get_application(
        ME,
        f.now,
        &GetApplicationInput {
            identifier: f.app.clone(),
        },
    );
    assert_error(app, ErrorKind::ResourceNotFound, "Application");
    // The fresh one is READY now and can go.
    f.engine
        .delete_application(ME, f.now, &DeleteApplicationInput { identifier: fresh })
        .unwrap();
}

#[test]
fn group_updates_need_an_active_group() {
    let mut config = EngineConfig::default();
    config.delays.location_activation = TimeDelta::seconds(30);
    config.delays.location_removal = TimeDelta::seconds(30);
    let mut f = Fixture::with(config, None);
    let add = |f: &mut Fixture, name: &str| {
        f.engine.add_stream_group_locations(
            ME,
            f.now,
            &AddStreamGroupLocationsInput {
                identifier: f.group.clone(),
                location_configurations: Some(vec![location(name, 0, 1)]),
            },
        )
    };
    let added = add(&mut f, "eu-west-1").unwrap();
    assert_eq!(
        added.locations.unwrap()[0].status,
        Some(StreamGroupLocationStatus::Activating)
    );
    assert_error(
        add(&mut f, "ap-south-1"),
        ErrorKind::Validation,
        "UPDATING_LOCATIONS",
    );
    let r = f.engine.update_stream_group(
        ME,
        f.now,
        &UpdateStreamGroupInput {
            identifier: f.group.clone(),
            description: Some("new".into()),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Conflict, "UPDATING_LOCATIONS");
    let remove = |f: &mut Fixture, names: &[&str]| {
        f.engine.remove_stream_group_locations(
            ME,
            f.now,
            &RemoveStreamGroupLocationsInput {
                identifier: f.group.clone(),
                locations: Some(names.iter().map(|s| s.to_string()).collect()),
            },
        )
    };
    assert_error(
        remove(&mut f, &["eu-west-1"]),
        ErrorKind::Validation,
        "still ACTIVATING",
    );
    f.at(30);
    assert_eq!(f.group_status(), StreamGroupStatus::Active);
    assert_error(
        add(&mut f, "eu-west-1"),
        ErrorKind::Validation,
        "already a location",
    );
    assert_error(
        remove(&mut f, &["us-west-2"]),
        ErrorKind::Validation,
        "primary location",
    );
    assert_error(
        remove(&mut f, &["mars-1"]),
        ErrorKind::Validation,
        "is not a location",
    );
    let r = f.engine.update_stream_group(
        ME,
        f.now,
        &UpdateStreamGroupInput {
            identifier: f.group.clone(),
            location_configurations: Some(vec![location("mars-1", 0, 1)]),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "AddStreamGroupLocations");
    remove(&mut f, &["eu-west-1"]).unwrap();
    assert_eq!(f.group_status(), StreamGroupStatus::UpdatingLocations);
    f.at(60);
    let names: Vec<_> = f
        .group()
        .location_states
        .unwrap()
        .into_iter()
        .map(|l| l.location_name.unwrap())
        .collect();
    assert_eq!(names, ["us-west-2"]);
}

#[test]
fn associations_need_ready_applications_and_a_young_group() {
    let mut config = EngineConfig::default();
    config.delays.application_ready = TimeDelta::seconds(5);
    let mut f = Fixture::with(config, None);
    let fresh = f
        .engine
        .create_application(ME, f.now, &app_input())
        .unwrap()
        .arn
        .unwrap();
    let associate = |f: &mut Fixture, app: &str| {
        f.engine.associate_applications(
            ME,
            f.now,
            &AssociateApplicationsInput {
                identifier: f.group.clone(),
                application_identifiers: Some(vec![app.into()]),
            },
        )
    };
    assert_error(
        associate(&mut f, &fresh),
        ErrorKind::Validation,
        "only READY applications",
    );
    f.at(5);
    let out = associate(&mut f, &fresh).unwrap();
    assert_eq!(out.application_arns.unwrap(), std::slice::from_ref(&fresh));
    let group = f.group();
    assert_eq!(
        group.associated_applications.unwrap(),
        [f.app.clone(), fresh.clone()]
    );
    // Disassociating the default picks the next one.
    f.engine
        .disassociate_applications(
            ME,
            f.now,
            &DisassociateApplicationsInput {
                identifier: f.group.clone(),
                application_identifiers: Some(vec![f.app.clone()]),
            },
        )
        .unwrap();
    assert_eq!(
        f.group().default_application.unwrap().arn,
        Some(fresh.clone())
    );
    // After 180 days no new associations.
    f.at(180 * 86_400);
    let app = f.app.clone();
    assert_error(
        associate(&mut f, &app),
        ErrorKind::Validation,
        "older than 180 days",
    );
}
