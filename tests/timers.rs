//! Every timer of SPEC §4.2: when it is armed, its exact deadline, its boundary (one nanosecond
//! early does nothing; at the deadline it fires), the reason it ends with, and time running
//! backwards.

mod common;

use chrono::TimeDelta;
use common::*;
use gameliftstreams_lifecycle::{
    ConnectionTimeout, Event, Input, Session, SessionConfig, SessionLength, SessionLengthOrigin,
    SessionStatus as S, StatusReason as R, Timer,
};

const NS: TimeDelta = TimeDelta::nanoseconds(1);

/// Asserts `timer` is armed with `deadline` and is the next timeout (the first timer), that it
/// does not fire one nanosecond early, and that at the deadline the session enters `to` with
/// `reason`.
fn fires_exactly_at(
    s: &mut Session,
    timer: Timer,
    deadline: chrono::DateTime<chrono::Utc>,
    to: S,
    reason: R,
) {
    assert_eq!(s.deadline(timer), Some(deadline), "{timer:?} deadline");
    assert_eq!(
        s.poll_timeout(),
        Some(deadline),
        "{timer:?} is the next timeout"
    );
    assert_eq!(
        s.first_timer(),
        Some((timer, deadline)),
        "{timer:?} fires first"
    );
    let before = s.status();
    s.handle_timeout(deadline - NS);
    assert_eq!(s.status(), before, "{timer:?} fired early");
    assert!(drain(s).is_empty());
    s.handle_timeout(deadline);
    checked(s);
    assert_eq!(s.status(), to, "{timer:?}");
    assert_eq!(s.reason(), Some(reason), "{timer:?}");
    let events = drain(s);
    let Event::StatusChanged { from, at, .. } = &events[0];
    assert_eq!((*from, *at), (before, deadline), "dated at the deadline");
}

#[test]
fn placement_timer_ends_in_error_placement_timeout() {
    let mut s = session_in(S::Activating);
    fires_exactly_at(
        &mut s,
        Timer::Placement,
        t(75),
        S::Error,
        R::PlacementTimeout,
    );
    assert_eq!(s.poll_timeout(), None, "ERROR arms nothing");
}

#[test]
fn placement_timeout_is_configurable() {
    let config = SessionConfig {
        placement_timeout: SessionConfig::PLACEMENT_TIMEOUT_ON_DEMAND_WINDOWS,
        ..config()
    };
    let mut s = session_in_with(config, S::Activating);
    fires_exactly_at(
        &mut s,
        Timer::Placement,
        t(600),
        S::Error,
        R::PlacementTimeout,
    );
}

#[test]
fn connection_timer_ends_with_connection_timeout_when_no_client_ever_connected() {
    let mut s = session_in(S::Active); // placed at t(1)
    fires_exactly_at(
        &mut s,
        Timer::Connection,
        t(121),
        S::Terminating,
        R::ConnectionTimeout,
    );
    // Then the termination delay (30 s here) ends it, reason kept.
    fires_exactly_at(
        &mut s,
        Timer::Termination,
        t(151),
        S::Terminated,
        R::ConnectionTimeout,
    );
    assert_eq!(s.streaming_ended_at(), None, "it never streamed");
}

#[test]
fn a_client_connecting_exactly_at_the_deadline_is_too_late() {
    let mut s = session_in(S::Active);
    let err = s.handle_input(t(121), Input::ClientConnected).unwrap_err();
    assert_eq!(s.status(), S::Terminating);
    assert_eq!(s.reason(), Some(R::ConnectionTimeout));
    assert!(err.to_string().contains("TERMINATING"), "{err}");
    // One nanosecond earlier it would have made it.
    let mut s = session_in(S::Active);
    s.handle_input(t(121) - NS, Input::ClientConnected).unwrap();
    assert_eq!(s.status(), S::Connected);
}

#[test]
fn connection_window_after_a_reconnection_ends_with_reconnection_timeout() {
    let mut s = session_in(S::Reconnecting); // reconnect requested at t(4)
    s.handle_input(t(5), Input::ReconnectSucceeded).unwrap();
    drain(&mut s);
    // A fresh connection window from the entry into ACTIVE. [decision]
    fires_exactly_at(
        &mut s,
        Timer::Connection,
        t(125),
        S::Terminating,
        R::ReconnectionTimeout,
    );
}

#[test]
fn connection_window_of_a_never_connected_session_reconnected_from_active() {
    // NO_CLIENT_CONNECTION: the session waits in ACTIVE for CreateStreamSessionConnection.
    let mut s = Session::start(config(), "NO_CLIENT_CONNECTION", t(0)).unwrap();
    s.handle_input(
        t(1),
        Input::Placed {
            location: "us-west-2".into(),
        },
    )
    .unwrap();
    s.handle_input(
        t(50),
        Input::Reconnect {
            signal_request: "v=0 browser offer".into(),
        },
    )
    .unwrap();
    // RECONNECTING inherits ACTIVE's connection deadline as its reconnection deadline.
    assert_eq!(s.deadline(Timer::Reconnection), Some(t(121)));
    assert_eq!(s.deadline(Timer::Connection), None);
    s.handle_input(t(60), Input::ReconnectSucceeded).unwrap();
    drain(&mut s);
    fires_exactly_at(
        &mut s,
        Timer::Connection,
        t(180),
        S::Terminating,
        R::ConnectionTimeout,
    );
}

#[test]
fn reconnection_timer_starts_on_entry_into_pending_client_reconnection() {
    let mut s = session_in(S::PendingClientReconnection); // disconnected at t(3)
    fires_exactly_at(
        &mut s,
        Timer::Reconnection,
        t(123),
        S::Terminating,
        R::ReconnectionTimeout,
    );
    assert_eq!(s.streaming_ended_at(), Some(t(123)));
}

#[test]
fn reconnecting_keeps_the_deadline_of_pending_client_reconnection() {
    let mut s = session_in(S::Reconnecting); // disconnected at t(3), reconnecting at t(4)
    assert_eq!(s.deadline(Timer::Reconnection), Some(t(123)));
    fires_exactly_at(
        &mut s,
        Timer::Reconnection,
        t(123),
        S::Terminating,
        R::ReconnectionTimeout,
    );
}

#[test]
fn idle_timer_starts_on_connection_and_restarts_on_user_input() {
    let mut s = session_in(S::Connected); // connected at t(2)
    assert_eq!(s.deadline(Timer::Idle), Some(t(3602)));
    s.handle_input(t(1000), Input::UserInput).unwrap();
    assert!(
        drain(&mut s).is_empty(),
        "user input is not a status change"
    );
    fires_exactly_at(&mut s, Timer::Idle, t(4600), S::Terminating, R::IdleTimeout);
}

#[test]
fn idle_timer_is_configurable_and_restarts_on_every_entry_into_connected() {
    let config = SessionConfig {
        idle_timeout: TimeDelta::seconds(600),
        ..config()
    };
    let mut s = session_in_with(config, S::Reconnecting);
    s.handle_input(t(5), Input::ReconnectSucceeded).unwrap();
    s.handle_input(t(7), Input::ClientConnected).unwrap();
    drain(&mut s);
    fires_exactly_at(&mut s, Timer::Idle, t(607), S::Terminating, R::IdleTimeout);
}

#[test]
fn max_session_length_counts_from_the_application_start_by_default() {
    let config = SessionConfig {
        session_length: SessionLength::new(500).unwrap(),
        connection_timeout: ConnectionTimeout::new(3600).unwrap(),
        ..config()
    };
    let mut s = session_in_with(config, S::Connected); // placed at t(1)
    assert_eq!(s.deadline(Timer::MaxSessionLength), Some(t(501)));
    // It keeps running through the reconnection statuses, unchanged.
    s.handle_input(t(100), Input::ClientDisconnected).unwrap();
    assert_eq!(s.deadline(Timer::MaxSessionLength), Some(t(501)));
    s.handle_input(
        t(200),
        Input::Reconnect {
            signal_request: "v=0 second".into(),
        },
    )
    .unwrap();
    assert_eq!(s.deadline(Timer::MaxSessionLength), Some(t(501)));
    s.handle_input(t(201), Input::ReconnectSucceeded).unwrap();
    s.handle_input(t(202), Input::ClientConnected).unwrap();
    drain(&mut s);
    fires_exactly_at(
        &mut s,
        Timer::MaxSessionLength,
        t(501),
        S::Terminating,
        R::MaxSessionLengthTimeout,
    );
}

#[test]
fn max_session_length_can_count_from_creation() {
    let config = SessionConfig {
        session_length: SessionLength::new(100).unwrap(),
        session_length_origin: SessionLengthOrigin::Creation,
        ..config()
    };
    let mut s = Session::start(config, OFFER, t(0)).unwrap();
    assert_eq!(
        s.deadline(Timer::MaxSessionLength),
        None,
        "not armed while ACTIVATING"
    );
    s.handle_input(
        t(40),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    s.handle_input(t(41), Input::ClientConnected).unwrap();
    drain(&mut s);
    fires_exactly_at(
        &mut s,
        Timer::MaxSessionLength,
        t(100),
        S::Terminating,
        R::MaxSessionLengthTimeout,
    );
}

#[test]
fn a_deadline_passed_before_the_application_started_fires_at_once() {
    let config = SessionConfig {
        session_length: SessionLength::new(10).unwrap(),
        session_length_origin: SessionLengthOrigin::Creation,
        ..config()
    };
    let mut s = Session::start(config, OFFER, t(0)).unwrap();
    s.handle_input(
        t(20),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    assert_eq!(s.poll_timeout(), Some(t(10)));
    s.handle_timeout(t(20));
    checked(&s);
    assert_eq!(s.reason(), Some(R::MaxSessionLengthTimeout));
    // Dated no earlier than the last change, so time in the events never runs backwards.
    assert_eq!(s.last_updated_at(), t(20));
}

#[test]
fn termination_timer_of_zero_settles_terminated_at_the_same_instant() {
    let mut s = Session::start(SessionConfig::default(), OFFER, t(0)).unwrap();
    s.handle_input(
        t(1),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    drain(&mut s);
    s.handle_timeout(t(121));
    assert_eq!(s.status(), S::Terminated);
    assert_eq!(drain_statuses(&mut s), [S::Terminating, S::Terminated]);
    assert_eq!(s.last_updated_at(), t(121));
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn terminate_then_the_termination_timer() {
    let mut s = session_in(S::Terminating); // terminated at t(2), delay 30 s
    fires_exactly_at(
        &mut s,
        Timer::Termination,
        t(32),
        S::Terminated,
        R::ApiTerminated,
    );
}

#[test]
fn ties_fire_in_timer_order() {
    // The connection window and the maximum session length end at the same instant: the
    // Connection timer comes first in Timer order, so its reason wins.
    let config = SessionConfig {
        session_length: SessionLength::new(120).unwrap(),
        ..config()
    };
    let mut s = session_in_with(config, S::Active);
    assert_eq!(
        s.deadline(Timer::Connection),
        s.deadline(Timer::MaxSessionLength)
    );
    s.handle_timeout(t(500));
    assert_eq!(s.reason(), Some(R::ConnectionTimeout));
}

#[test]
fn several_timers_due_at_once_fire_in_deadline_order() {
    let mut s = session_in(S::Active); // connection deadline t(121), termination delay 30 s
    s.handle_timeout(t(10_000));
    let events = drain(&mut s);
    let at: Vec<_> = events
        .iter()
        .map(|Event::StatusChanged { at, .. }| *at)
        .collect();
    assert_eq!(at, [t(121), t(151)]);
    assert_eq!(s.now(), t(10_000));
}

#[test]
fn timers_due_fire_before_an_input_at_the_same_now() {
    let mut s = session_in(S::Connected);
    // Idle deadline t(3602): a UserInput at that instant finds the session TERMINATING.
    let err = s.handle_input(t(3602), Input::UserInput).unwrap_err();
    assert_eq!(err.kind(), gameliftstreams_lifecycle::ErrorKind::Conflict);
    assert_eq!(s.reason(), Some(R::IdleTimeout));
}

#[test]
fn time_running_backwards_is_taken_as_the_latest_time_seen() {
    let mut s = session_in(S::Active);
    s.handle_timeout(t(100));
    s.handle_input(t(50), Input::ClientConnected).unwrap();
    assert_eq!(s.streaming_started_at(), Some(t(100)));
    assert_eq!(s.last_updated_at(), t(100));
    assert_eq!(s.deadline(Timer::Idle), Some(t(3700)));
    // And timers do not "un-fire" or fire from an old now.
    s.handle_timeout(t(0));
    assert_eq!(s.status(), S::Connected);
    assert_eq!(s.now(), t(100));
    checked(&s);
}

#[test]
fn spurious_handle_timeout_changes_nothing_but_the_clock() {
    let mut s = session_in(S::PendingClientReconnection);
    let mut expected = s.clone();
    for now in [t(5), t(10), t(10), t(122)] {
        s.handle_timeout(now);
    }
    assert!(drain(&mut s).is_empty());
    expected.handle_timeout(t(122));
    assert_eq!(s, expected);
}

#[test]
fn armed_timers_match_the_status_everywhere() {
    for status in S::ALL {
        let s = session_in(*status);
        for timer in Timer::ALL {
            assert_eq!(
                s.deadline(timer).is_some(),
                timer.armed_in().contains(*status),
                "{timer:?} in {status}"
            );
        }
        assert_eq!(s.poll_timeout().is_none(), status.is_terminal(), "{status}");
    }
}

#[test]
fn far_future_times_saturate_instead_of_overflowing() {
    // The last instant the core keeps: `DateTime::MAX_UTC` truncated to its microsecond.
    let end = gameliftstreams_lifecycle::Timestamp::MAX.to_datetime();
    assert_eq!(
        gameliftstreams_lifecycle::truncate(chrono::DateTime::<chrono::Utc>::MAX_UTC),
        end
    );
    let mut s = Session::start(
        SessionConfig::default(),
        OFFER,
        end - TimeDelta::seconds(10),
    )
    .unwrap();
    assert_eq!(s.deadline(Timer::Placement), Some(end));
    s.handle_input(
        end - TimeDelta::seconds(5),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    assert_eq!(s.deadline(Timer::Connection), Some(end));
    s.handle_timeout(end);
    checked(&s);
    assert_eq!(s.status(), S::Terminated);
}
