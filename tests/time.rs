//! Time as the core keeps it: to the microsecond, over chrono's whole range.

use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_lifecycle::{
    ErrorKind, Input, Session, SessionConfig, SessionStatus, Timer, Timestamp, truncate,
};

fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + secs, nanos).expect("in range")
}

#[test]
fn the_first_and_last_instants_of_chrono_are_timestamps() {
    assert_eq!(Timestamp::from(DateTime::<Utc>::MIN_UTC), Timestamp::MIN);
    assert_eq!(Timestamp::from(DateTime::<Utc>::MAX_UTC), Timestamp::MAX);
    assert_eq!(Timestamp::MIN.to_datetime(), DateTime::<Utc>::MIN_UTC);
    assert_eq!(
        Timestamp::MAX.to_datetime(),
        DateTime::<Utc>::MAX_UTC - TimeDelta::nanoseconds(999)
    );
    assert_eq!(Timestamp::MAX.saturating_add_micros(1), Timestamp::MAX);
    assert_eq!(Timestamp::MIN.saturating_add_micros(-1), Timestamp::MIN);
    assert_eq!(Timestamp::from_micros(i64::MAX), Timestamp::MAX);
    assert_eq!(Timestamp::from_micros(i64::MIN), Timestamp::MIN);
}

#[test]
fn sub_microsecond_times_are_truncated_on_the_way_in() {
    let t0 = at(0, 123_456_789);
    assert_eq!(truncate(t0), at(0, 123_456_000));
    let mut s = Session::start(SessionConfig::default(), "offer", t0).unwrap();
    assert_eq!(s.created_at(), at(0, 123_456_000));
    s.handle_input(
        at(1, 999_999_999),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    assert_eq!(s.application_started_at(), Some(at(1, 999_999_000)));
    assert_eq!(
        s.deadline(Timer::Connection),
        Some(at(121, 999_999_000)),
        "the window counts from the truncated instant"
    );
}

#[test]
fn timestamps_and_datetimes_drive_a_session_identically() {
    let config = SessionConfig::default();
    let mut by_datetime = Session::start(config.clone(), "offer", at(0, 0)).unwrap();
    let mut by_timestamp = Session::start(config, "offer", Timestamp::from(at(0, 0))).unwrap();
    for (secs, input) in [
        (
            1,
            Input::Placed {
                location: "us-east-1".into(),
            },
        ),
        (2, Input::ClientConnected),
        (30, Input::UserInput),
    ] {
        by_datetime
            .handle_input(at(secs, 0), input.clone())
            .unwrap();
        by_timestamp
            .handle_input(Timestamp::from(at(secs, 0)), input)
            .unwrap();
    }
    by_datetime.handle_timeout(at(3631, 0));
    by_timestamp.handle_timeout(Timestamp::from(at(3631, 0)));
    assert_eq!(by_datetime, by_timestamp);
    assert_eq!(by_datetime.status(), SessionStatus::Terminated);
}

#[test]
fn durations_finer_than_a_microsecond_are_refused() {
    let config = SessionConfig {
        idle_timeout: TimeDelta::nanoseconds(1_500),
        ..SessionConfig::default()
    };
    let err = config.validate().unwrap_err();
    let text = err.to_string();
    assert!(text.contains("idleTimeout"), "{text}");
    assert!(text.contains("microseconds"), "{text}");
    let err = Session::start(config, "offer", at(0, 0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    let whole = SessionConfig {
        idle_timeout: TimeDelta::microseconds(1_500),
        ..SessionConfig::default()
    };
    assert!(whole.validate().is_ok());
}

#[test]
fn durations_are_bounded_so_that_a_deadline_is_one_addition() {
    use gameliftstreams_lifecycle::{EngineConfig, MAX_DURATION_SECONDS};
    let longest = TimeDelta::seconds(MAX_DURATION_SECONDS);
    let too_long = SessionConfig {
        placement_timeout: longest + TimeDelta::microseconds(1),
        ..SessionConfig::default()
    };
    let text = too_long.validate().unwrap_err().to_string();
    assert!(text.contains("placementTimeout"), "{text}");
    assert!(text.contains("at most 1000000000000 seconds"), "{text}");
    let engine = EngineConfig {
        idle_timeout: longest + TimeDelta::seconds(1),
        ..EngineConfig::default()
    };
    let text = engine.validate().unwrap_err().to_string();
    assert!(text.contains("IdleTimeout"), "{text}");

    // The longest duration from the last instants still saturates at the end of time.
    let config = SessionConfig {
        idle_timeout: longest,
        ..SessionConfig::default()
    };
    let late = Timestamp::MAX.saturating_add_micros(-10_000_000);
    let mut s = Session::start(config, "offer", late).unwrap();
    s.handle_input(
        late,
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    s.handle_input(late, Input::ClientConnected).unwrap();
    s.handle_input(late, Input::UserInput).unwrap();
    assert_eq!(s.deadline(Timer::Idle), Some(Timestamp::MAX.to_datetime()));
}
