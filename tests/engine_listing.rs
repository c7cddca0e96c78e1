//! Listing: MaxResults, NextToken pages in stable creation order, filters, and tokens that are
//! foreign, tampered with, reused with other parameters or stale.

mod common;

use common::engine::*;
use common::t;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{EngineConfig, ErrorKind, SessionStatus as S};

fn list(
    f: &mut Fixture,
    input: ListStreamSessionsInput,
) -> Result<ListStreamSessionsOutput, gameliftstreams_lifecycle::ApiError> {
    let mut input = input;
    input.identifier = f.group.clone();
    f.engine.list_stream_sessions(ME, f.now, &input)
}

fn arns(items: Option<Vec<StreamSessionSummary>>) -> Vec<String> {
    items.unwrap().into_iter().map(|s| s.arn.unwrap()).collect()
}

fn many(n: usize) -> (Fixture, Vec<String>) {
    let mut f = Fixture::with(
        EngineConfig {
            default_maximum_capacity: 100,
            ..EngineConfig::default()
        },
        None,
    );
    let sessions = (0..n).map(|_| f.start()).collect();
    (f, sessions)
}

#[test]
fn pages_follow_creation_order_with_a_default_of_25() {
    let (mut f, all) = many(30);
    let first = list(&mut f, ListStreamSessionsInput::default()).unwrap();
    assert_eq!(arns(first.items), all[..25]);
    let token = first.next_token.expect("more to come");
    let second = list(
        &mut f,
        ListStreamSessionsInput {
            next_token: Some(token),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(arns(second.items), all[25..]);
    assert_eq!(second.next_token, None, "no token after the last page");
}

#[test]
fn max_results_bounds_each_page_and_pages_cover_everything_once() {
    let (mut f, all) = many(10);
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = list(
            &mut f,
            ListStreamSessionsInput {
                max_results: Some(3),
                next_token: token,
                ..Default::default()
            },
        )
        .unwrap();
        let items = arns(page.items);
        assert!(items.len() <= 3);
        seen.extend(items);
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, all);
    // An exact fit has no extra token.
    let page = list(
        &mut f,
        ListStreamSessionsInput {
            max_results: Some(10),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(page.next_token, None);
    for bad in [0, 101] {
        let r = list(
            &mut f,
            ListStreamSessionsInput {
                max_results: Some(bad),
                ..Default::default()
            },
        );
        assert_error(r, ErrorKind::Validation, "maxResults");
    }
}

#[test]
fn pages_stay_stable_while_sessions_come_and_go() {
    let (mut f, all) = many(6);
    let page = list(
        &mut f,
        ListStreamSessionsInput {
            max_results: Some(3),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(arns(page.items), all[..3]);
    // New sessions are appended; ended ones stay listed until their retention passes.
    let newer = f.start();
    f.at(1);
    f.terminate(&all[4]).unwrap();
    let rest = list(
        &mut f,
        ListStreamSessionsInput {
            next_token: page.next_token,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        arns(rest.items),
        [&all[3..], std::slice::from_ref(&newer)].concat()
    );
}

#[test]
fn filters_by_status() {
    let (mut f, all) = many(4);
    f.at(1);
    f.terminate(&all[1]).unwrap();
    f.terminate(&all[3]).unwrap();
    f.at(2);
    let ended = list(
        &mut f,
        ListStreamSessionsInput {
            status: Some(S::Terminated),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(arns(ended.items), [all[1].clone(), all[3].clone()]);
    let active = list(
        &mut f,
        ListStreamSessionsInput {
            status: Some(S::Active),
            max_results: Some(1),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(arns(active.items), [all[0].clone()]);
    let rest = list(
        &mut f,
        ListStreamSessionsInput {
            status: Some(S::Active),
            next_token: active.next_token,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(arns(rest.items), [all[2].clone()]);
    // No session has exported files.
    let exported = list(
        &mut f,
        ListStreamSessionsInput {
            export_files_status: Some(ExportFilesStatus::Succeeded),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(exported.items.unwrap().is_empty());
}

#[test]
fn a_token_only_continues_the_request_it_came_from() {
    let (mut f, _) = many(5);
    let page = list(
        &mut f,
        ListStreamSessionsInput {
            max_results: Some(2),
            ..Default::default()
        },
    )
    .unwrap();
    let token = page.next_token.unwrap();
    // Another filter.
    let r = list(
        &mut f,
        ListStreamSessionsInput {
            status: Some(S::Active),
            next_token: Some(token.clone()),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "belongs to a different request");
    // Another operation.
    let r = f.engine.list_stream_sessions_by_account(
        ME,
        f.now,
        &ListStreamSessionsByAccountInput {
            next_token: Some(token.clone()),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "belongs to a different request");
    // Another account (its own group would not be found, so use the account-wide listing).
    let mine = f
        .engine
        .list_stream_sessions_by_account(
            ME,
            f.now,
            &ListStreamSessionsByAccountInput {
                max_results: Some(1),
                ..Default::default()
            },
        )
        .unwrap()
        .next_token
        .unwrap();
    let r = f.engine.list_stream_sessions_by_account(
        other_account(),
        f.now,
        &ListStreamSessionsByAccountInput {
            next_token: Some(mine),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "belongs to a different request");
    // Tampered, foreign or garbage.
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 20;
    tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
    for bad in [
        String::from_utf8(tampered).unwrap(),
        "garbage".into(),
        String::new(),
        "00".repeat(43),
    ] {
        let r = list(
            &mut f,
            ListStreamSessionsInput {
                next_token: Some(bad),
                ..Default::default()
            },
        );
        assert_error(r, ErrorKind::Validation, "nextToken");
    }
    let mut other_seed = Fixture::with(
        EngineConfig {
            seed: 99,
            ..EngineConfig::default()
        },
        None,
    );
    let r = list(
        &mut other_seed,
        ListStreamSessionsInput {
            next_token: Some(token.clone()),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "not a token this service issued");
    // Stale after 24 h.
    f.at(86_401);
    let r = list(
        &mut f,
        ListStreamSessionsInput {
            next_token: Some(token),
            ..Default::default()
        },
    );
    assert_error(r, ErrorKind::Validation, "expired");
}

#[test]
fn groups_and_applications_list_in_creation_order() {
    let mut f = Fixture::new();
    let second = f
        .engine
        .create_stream_group(ME, f.now, &group_input(Some(&f.app)))
        .unwrap()
        .arn
        .unwrap();
    let app2 = f
        .engine
        .create_application(ME, f.now, &app_input())
        .unwrap()
        .arn
        .unwrap();
    let groups = f
        .engine
        .list_stream_groups(
            ME,
            t(1),
            &ListStreamGroupsInput {
                max_results: Some(1),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        groups.items.unwrap()[0].arn.as_deref(),
        Some(f.group.as_str())
    );
    let rest = f
        .engine
        .list_stream_groups(
            ME,
            t(1),
            &ListStreamGroupsInput {
                next_token: groups.next_token,
                ..Default::default()
            },
        )
        .unwrap();
    let items = rest.items.unwrap();
    assert_eq!(items[0].arn.as_deref(), Some(second.as_str()));
    assert_eq!(items[0].status, Some(StreamGroupStatus::Active));
    let apps = f
        .engine
        .list_applications(ME, t(1), &ListApplicationsInput::default())
        .unwrap();
    let apps: Vec<_> = apps
        .items
        .unwrap()
        .into_iter()
        .map(|a| a.arn.unwrap())
        .collect();
    assert_eq!(apps, [f.app.clone(), app2]);
}

#[test]
fn ended_sessions_are_listed_until_retention_passes() {
    let config = EngineConfig {
        retention: chrono::TimeDelta::hours(1),
        ..EngineConfig::default()
    };
    let mut f = Fixture::with(config, None);
    let s = f.start();
    f.at(1);
    f.terminate(&s).unwrap();
    f.at(3600);
    assert_eq!(
        arns(
            list(&mut f, ListStreamSessionsInput::default())
                .unwrap()
                .items
        ),
        std::slice::from_ref(&s)
    );
    f.at(3601);
    assert!(
        list(&mut f, ListStreamSessionsInput::default())
            .unwrap()
            .items
            .unwrap()
            .is_empty()
    );
    assert_error(f.try_get(&s), ErrorKind::ResourceNotFound, "Stream session");
}
