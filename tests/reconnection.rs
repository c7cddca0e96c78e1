//! The reconnection flow of the AWS documentation (CreateStreamSessionConnection):
//! CONNECTED → disconnect → PENDING_CLIENT_RECONNECTION → CreateStreamSessionConnection →
//! RECONNECTING → ACTIVE → CONNECTED, with its timestamps, events and the "new offer" rule.

mod common;

use common::*;
use gameliftstreams_lifecycle::{
    ErrorKind, Event, Input, Session, SessionStatus as S, StatusReason as R, Timer,
};

fn reconnect(offer: &str) -> Input {
    Input::Reconnect {
        signal_request: offer.into(),
    }
}

#[test]
fn the_documented_reconnection_flow() {
    let mut s = Session::start(config(), OFFER, t(0)).unwrap();
    s.handle_input(
        t(2),
        Input::Placed {
            location: "us-east-1".into(),
        },
    )
    .unwrap();
    s.handle_input(t(10), Input::ClientConnected).unwrap();
    s.handle_input(t(20), Input::UserInput).unwrap();
    s.handle_input(t(300), Input::ClientDisconnected).unwrap();
    assert_eq!(s.deadline(Timer::Reconnection), Some(t(420)));
    s.handle_input(t(330), reconnect("v=0 offer-2")).unwrap();
    s.handle_input(t(331), Input::ReconnectSucceeded).unwrap();
    s.handle_input(t(340), Input::ClientConnected).unwrap();
    checked(&s);

    let events = drain(&mut s);
    let timeline: Vec<_> = events
        .iter()
        .map(
            |Event::StatusChanged {
                 from,
                 to,
                 reason,
                 at,
             }| (*from, *to, *reason, *at),
        )
        .collect();
    assert_eq!(
        timeline,
        [
            (S::Activating, S::Active, None, t(2)),
            (S::Active, S::Connected, None, t(10)),
            (S::Connected, S::PendingClientReconnection, None, t(300)),
            (S::PendingClientReconnection, S::Reconnecting, None, t(330)),
            (S::Reconnecting, S::Active, None, t(331)),
            (S::Active, S::Connected, None, t(340)),
        ]
    );
    // The API timestamps: the first entries only.
    assert_eq!(s.created_at(), t(0));
    assert_eq!(s.application_started_at(), Some(t(2)));
    assert_eq!(s.streaming_started_at(), Some(t(10)));
    assert_eq!(s.streaming_ended_at(), None);
    assert_eq!(s.last_updated_at(), t(340));
    assert_eq!(s.location(), Some("us-east-1"));
    // Back to streaming: the idle timer runs again from the reconnection.
    assert_eq!(s.deadline(Timer::Idle), Some(t(3940)));

    s.handle_input(t(400), Input::Terminate).unwrap();
    s.handle_timeout(t(430));
    assert_eq!(s.status(), S::Terminated);
    assert_eq!(s.reason(), Some(R::ApiTerminated));
    assert_eq!(s.streaming_ended_at(), Some(t(400)));
}

#[test]
fn each_reconnection_needs_a_newly_generated_offer() {
    let mut s = session_in(S::PendingClientReconnection);
    // The offer of StartStreamSession is refused…
    let err = s.handle_input(t(10), reconnect(OFFER)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("newly generated"), "{err}");
    assert!(
        !err.to_string().contains(OFFER),
        "the offer is sensitive: {err}"
    );
    // …a new one is accepted…
    s.handle_input(t(11), reconnect("v=0 offer-2")).unwrap();
    s.handle_input(t(12), Input::ReconnectSucceeded).unwrap();
    s.handle_input(t(13), Input::ClientConnected).unwrap();
    s.handle_input(t(14), Input::ClientDisconnected).unwrap();
    // …and then it is old too, as is the first one.
    for old in ["v=0 offer-2", OFFER] {
        let err = s.handle_input(t(15), reconnect(old)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation);
        assert_eq!(s.status(), S::PendingClientReconnection);
    }
    s.handle_input(t(16), reconnect("v=0 offer-3")).unwrap();
    assert_eq!(s.status(), S::Reconnecting);
}

#[test]
fn an_empty_offer_is_a_validation_error_naming_the_member() {
    let mut s = session_in(S::Active);
    let err = s.handle_input(t(10), reconnect("")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(
        err.to_string(),
        "1 validation error detected: Value (sensitive) at 'signalRequest' failed to satisfy \
         constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn reconnecting_from_active_is_allowed() {
    // CreateStreamSessionConnection "can be initiated when a stream session is in either
    // PENDING_CLIENT_RECONNECTION or ACTIVE status".
    let mut s = session_in(S::Active);
    s.handle_input(t(10), reconnect("v=0 browser")).unwrap();
    assert_eq!(s.status(), S::Reconnecting);
    s.handle_input(t(11), Input::ReconnectSucceeded).unwrap();
    assert_eq!(s.status(), S::Active);
}

#[test]
fn reconnecting_while_connected_or_reconnecting_is_a_conflict() {
    for status in [S::Connected, S::Reconnecting, S::Activating, S::Terminated] {
        let mut s = session_in(status);
        let err = s.handle_input(t(10), reconnect("v=0 x")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Conflict, "{status}");
    }
}

#[test]
fn a_failed_reconnection_ends_in_error() {
    let mut s = session_in(S::Reconnecting);
    s.handle_input(t(10), Input::ReconnectFailed(R::InvalidSignalRequest))
        .unwrap();
    assert_eq!(s.status(), S::Error);
    assert_eq!(s.reason(), Some(R::InvalidSignalRequest));
    assert_eq!(s.streaming_ended_at(), Some(t(10)));
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn a_disconnected_client_that_never_comes_back() {
    let mut s = session_in(S::PendingClientReconnection); // disconnected at t(3)
    s.handle_timeout(t(1000));
    assert_eq!(s.status(), S::Terminated);
    assert_eq!(s.reason(), Some(R::ReconnectionTimeout));
    assert_eq!(s.streaming_ended_at(), Some(t(123)));
}
