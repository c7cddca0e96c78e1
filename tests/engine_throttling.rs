//! Throttling: per-(account, operation) token buckets at the published rates, driven by `now`;
//! off by default; a throttled call changes nothing.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{ApiError, EngineConfig, ErrorKind, Throttling};

fn throttled() -> Fixture {
    Fixture::with(
        EngineConfig {
            throttling: Throttling {
                enabled: true,
                ..Default::default()
            },
            ..EngineConfig::default()
        },
        None,
    )
}

fn get_group(
    f: &mut Fixture,
    account: gameliftstreams_lifecycle::AccountId,
    at: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<GetStreamGroupOutput, ApiError> {
    let at = at.unwrap_or(f.now);
    let group = if account == ME {
        f.group.clone()
    } else {
        "sg-000000000".into()
    };
    f.engine
        .get_stream_group(account, at, &GetStreamGroupInput { identifier: group })
}

#[test]
fn off_by_default() {
    let mut f = Fixture::new();
    for _ in 0..1000 {
        get_group(&mut f, ME, None).unwrap();
    }
}

#[test]
fn the_published_rate_is_a_bucket_of_one_second() {
    let mut f = throttled();
    // GetStreamGroup: 10 per second.
    assert_eq!(Operation::GetStreamGroup.rate_limit_per_second(), Some(10));
    for i in 0..10 {
        get_group(&mut f, ME, None).unwrap_or_else(|e| panic!("call {i}: {e}"));
    }
    let before = f.engine.snapshot();
    let err = get_group(&mut f, ME, None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Throttling);
    assert_eq!(err.http_status(), 429);
    assert_eq!(
        err.to_string(),
        "Rate exceeded for GetStreamGroup: retry after a short wait"
    );
    assert_eq!(
        f.engine.snapshot(),
        before,
        "a throttled call changes nothing"
    );
    // One tenth of a second later, one call is back; not before.
    let t = f.now;
    assert!(get_group(&mut f, ME, Some(t + TimeDelta::milliseconds(99))).is_err());
    get_group(&mut f, ME, Some(t + TimeDelta::milliseconds(100))).unwrap();
    assert!(get_group(&mut f, ME, Some(t + TimeDelta::milliseconds(100))).is_err());
    // After a second the bucket is full again, and no fuller.
    let later = t + TimeDelta::seconds(60);
    for _ in 0..10 {
        get_group(&mut f, ME, Some(later)).unwrap();
    }
    assert!(get_group(&mut f, ME, Some(later)).is_err());
}

#[test]
fn buckets_are_per_account_and_per_operation() {
    let mut f = throttled();
    for _ in 0..10 {
        get_group(&mut f, ME, None).unwrap();
    }
    assert!(get_group(&mut f, ME, None).is_err());
    // Another operation has its own bucket…
    f.engine
        .list_stream_groups(ME, f.now, &ListStreamGroupsInput::default())
        .unwrap();
    // …and so has another account (its call fails for another reason).
    let other = get_group(&mut f, other_account(), None).unwrap_err();
    assert_eq!(other.kind(), ErrorKind::ResourceNotFound);
}

#[test]
fn throttling_comes_before_validation() {
    let mut f = throttled();
    for _ in 0..10 {
        get_group(&mut f, ME, None).unwrap();
    }
    let r = f.engine.get_stream_group(
        ME,
        f.now,
        &GetStreamGroupInput {
            identifier: String::new(),
        },
    );
    assert_eq!(r.unwrap_err().kind(), ErrorKind::Throttling);
}

#[test]
fn rates_can_be_overridden() {
    let mut config = EngineConfig::default();
    config.throttling.enabled = true;
    config.throttling.rates.insert(Operation::GetStreamGroup, 2);
    let mut f = Fixture::with(config, None);
    get_group(&mut f, ME, None).unwrap();
    get_group(&mut f, ME, None).unwrap();
    assert_eq!(
        get_group(&mut f, ME, None).unwrap_err().kind(),
        ErrorKind::Throttling
    );
    let half = f.now + TimeDelta::milliseconds(500);
    get_group(&mut f, ME, Some(half)).unwrap();
}
