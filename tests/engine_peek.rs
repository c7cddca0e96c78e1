//! The read-only views adapters watch the engine through (`peek_*`, `accounts`,
//! `peek_events`): after random histories they answer what the Get and List operations answer,
//! and reading them changes nothing, drains nothing.

use std::collections::BTreeMap;

use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::script::{ACCOUNTS, Driver, strategy};
use gameliftstreams_lifecycle::{AccountId, Engine, EngineConfig, ErrorKind, Request, Response};
use proptest::prelude::*;

/// Every page of a List call, as the caller would follow them.
fn all_pages<T>(
    engine: &mut Engine,
    account: AccountId,
    mut request: impl FnMut(Option<String>) -> Request,
    items: impl Fn(Response) -> (Vec<T>, Option<String>),
) -> Vec<T> {
    let (mut all, mut token) = (Vec::new(), None);
    loop {
        let now = engine.now();
        let answer = engine
            .call(account, now, &request(token.take()))
            .expect("a listing");
        let (page, next) = items(answer);
        all.extend(page);
        match next {
            Some(next) => token = Some(next),
            None => return all,
        }
    }
}

/// The checks, after `ops` played on a default engine.
fn check_views(ops: &[gameliftstreams_lifecycle::script::Op]) -> Result<(), TestCaseError> {
    let mut engine = Engine::new(EngineConfig::default());
    let mut driver = Driver::new();
    for op in ops {
        driver.step(&mut engine, op);
    }
    // The views show the engine as its last step left it; a call first runs the timers due at
    // its time (`begin`), so let them run, as the mock's state does before it reads.
    let now = engine.now();
    engine.advance(now);

    // Reading every view changes nothing: not the engine, not its pending events.
    let before = engine.clone();
    let pending = engine.pending_events();
    let mut views = BTreeMap::new();
    for account in ACCOUNTS {
        let apps: Vec<_> = engine.peek_applications(account).collect();
        let groups: Vec<_> = engine.peek_stream_groups(account).collect();
        let urls: Vec<_> = engine.peek_stream_urls(account).collect();
        let sessions: Vec<(String, StreamSessionSummary, String)> = engine
            .peek_stream_sessions(account, None)
            .expect("an account's sessions")
            .map(|v| {
                prop_assert_eq!(
                    v.summary().status,
                    Some(v.session().status()),
                    "a view's summary and session agree"
                );
                Ok((v.arn(), v.summary(), v.group_id().to_string()))
            })
            .collect::<Result<_, TestCaseError>>()?;
        views.insert(account, (apps, groups, urls, sessions));
    }
    let peeked: Vec<_> = engine.peek_events().cloned().collect();
    prop_assert!(engine == before, "peeking changed the engine");
    prop_assert_eq!(engine.pending_events(), pending);
    prop_assert_eq!(peeked.len(), pending);
    let owners: Vec<AccountId> = engine.accounts().collect();
    for account in &owners {
        prop_assert!(
            ACCOUNTS.contains(account),
            "an account no op used: {}",
            account
        );
    }

    // They say what the operations say.
    for account in ACCOUNTS {
        let (apps, groups, urls, sessions) = &views[&account];
        if !apps.is_empty() || !groups.is_empty() {
            prop_assert!(owners.contains(&account), "{} owns resources", account);
        }
        let listed = all_pages(
            &mut engine,
            account,
            |next_token| {
                Request::ListApplications(ListApplicationsInput {
                    next_token,
                    max_results: Some(3),
                })
            },
            |r| match r {
                Response::ListApplications(o) => (o.items.unwrap_or_default(), o.next_token),
                other => panic!("{other:?}"),
            },
        );
        prop_assert_eq!(listed.len(), apps.len(), "the applications of {}", account);
        for (summary, app) in listed.iter().zip(apps) {
            let input = GetApplicationInput {
                identifier: summary.arn.clone().unwrap_or_default(),
            };
            let now = engine.now();
            let got = engine.call(account, now, &Request::GetApplication(input));
            prop_assert_eq!(got, Ok(Response::GetApplication(app.clone())));
        }
        let listed = all_pages(
            &mut engine,
            account,
            |next_token| {
                Request::ListStreamGroups(ListStreamGroupsInput {
                    next_token,
                    max_results: Some(3),
                })
            },
            |r| match r {
                Response::ListStreamGroups(o) => (o.items.unwrap_or_default(), o.next_token),
                other => panic!("{other:?}"),
            },
        );
        prop_assert_eq!(
            listed.len(),
            groups.len(),
            "the stream groups of {}",
            account
        );
        for (summary, group) in listed.iter().zip(groups) {
            let input = GetStreamGroupInput {
                identifier: summary.arn.clone().unwrap_or_default(),
            };
            let now = engine.now();
            let got = engine.call(account, now, &Request::GetStreamGroup(input));
            prop_assert_eq!(got, Ok(Response::GetStreamGroup(group.clone())));
        }
        let listed = all_pages(
            &mut engine,
            account,
            |next_token| {
                Request::ListStreamUrls(ListStreamUrlsInput {
                    next_token,
                    max_results: Some(3),
                    ..Default::default()
                })
            },
            |r| match r {
                Response::ListStreamUrls(o) => (o.items.unwrap_or_default(), o.next_token),
                other => panic!("{other:?}"),
            },
        );
        prop_assert_eq!(&listed, urls, "the stream URLs of {}", account);
        let listed: BTreeMap<_, _> = all_pages(
            &mut engine,
            account,
            |next_token| {
                Request::ListStreamSessionsByAccount(ListStreamSessionsByAccountInput {
                    next_token,
                    max_results: Some(7),
                    ..Default::default()
                })
            },
            |r| match r {
                Response::ListStreamSessionsByAccount(o) => {
                    (o.items.unwrap_or_default(), o.next_token)
                }
                other => panic!("{other:?}"),
            },
        )
        .into_iter()
        .map(|s| (s.arn.clone().unwrap_or_default(), s))
        .collect();
        let peeked: BTreeMap<_, _> = sessions
            .iter()
            .map(|(arn, summary, _)| (arn.clone(), summary.clone()))
            .collect();
        prop_assert_eq!(&listed, &peeked, "the stream sessions of {}", account);
        for (arn, summary, group) in sessions {
            let one = engine
                .peek_stream_session(account, group, arn)
                .expect("a listed session");
            prop_assert_eq!(&one.summary(), summary);
            // Another account's view of it is refused as GetStreamSession refuses it.
            let stranger = ACCOUNTS.iter().find(|a| **a != account).copied().unwrap();
            let refused = engine
                .peek_stream_session(stranger, group, arn)
                .map(|v| v.id());
            prop_assert!(refused.is_err(), "a stranger peeked at {}", arn);
        }
    }
    // What was peeked is what a drain takes.
    let drained: Vec<_> = engine.drain_events().collect();
    prop_assert_eq!(peeked, drained);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_views_answer_as_the_operations_do_and_change_nothing(ops in strategy::history(150)) {
        check_views(&ops)?;
    }
}

#[test]
fn an_unknown_session_or_group_is_refused_as_the_operations_refuse_it() {
    let engine = Engine::new(EngineConfig::default());
    let account = ACCOUNTS[0];
    let e = engine
        .peek_stream_session(account, "sg-000000000", "ses-000000000")
        .map(|v| v.id())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ResourceNotFound);
    let e = engine
        .peek_stream_sessions(account, Some("not a group!"))
        .map(|it| it.count())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(engine.peek_applications(account).count(), 0);
    assert_eq!(engine.accounts().count(), 0);
}
