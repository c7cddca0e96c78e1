//! Every (status × input) pair, against a literal table written from SPEC §4.1 — not from the
//! code. Each cell is checked twice: in `transition()` and on a real `Session` driven into
//! that status.

mod common;

use common::*;
use gameliftstreams_lifecycle::{
    ErrorKind, Event, InputKind, Outcome, ReasonRule, SessionStatus, StatusReason, transition,
};

/// Columns: ACTIVATING, ACTIVE, CONNECTED, PENDING_CLIENT_RECONNECTION, RECONNECTING,
/// TERMINATING, TERMINATED, ERROR.
/// Cells: a status it moves to (`A`, `C`, `P`, `R`, `TG`, `TD`, `E`), with `:reason` when it has
/// one (`*` = the reason the input carries, `=` = the reason already there); `stay` = accepted
/// without a status change; `409` = Conflict; `400` = Validation.
#[rustfmt::skip]
const TABLE: &[(InputKind, [&str; 8])] = &[
    //                                 ACT      A        C        P        R        TG       TD     E
    (InputKind::Placed,               ["A",    "409",   "409",   "409",   "409",   "409",   "409", "409"]),
    (InputKind::ActivationFailed,     ["E:*",  "409",   "409",   "409",   "409",   "409",   "409", "409"]),
    (InputKind::ClientConnected,      ["409",  "C",     "409",   "409",   "409",   "409",   "409", "409"]),
    (InputKind::ClientDisconnected,   ["409",  "409",   "P",     "409",   "409",   "409",   "409", "409"]),
    (InputKind::UserInput,            ["409",  "409",   "stay",  "409",   "409",   "409",   "409", "409"]),
    (InputKind::Reconnect,            ["409",  "R",     "409",   "R",     "409",   "409",   "409", "409"]),
    (InputKind::ReconnectSucceeded,   ["409",  "409",   "409",   "409",   "A",     "409",   "409", "409"]),
    (InputKind::ReconnectFailed,      ["409",  "409",   "409",   "409",   "E:*",   "409",   "409", "409"]),
    (InputKind::ApplicationExited,    ["409",  "TG:applicationExit", "TG:applicationExit", "TG:applicationExit", "TG:applicationExit", "409", "409", "409"]),
    (InputKind::Terminate,            ["400",  "TG:apiTerminated", "TG:apiTerminated", "TG:apiTerminated", "TG:apiTerminated", "stay", "stay", "stay"]),
    (InputKind::Failed,               ["E:*",  "E:*",   "E:*",   "E:*",   "E:*",   "E:*",   "409", "409"]),
    (InputKind::TerminationCompleted, ["409",  "409",   "409",   "409",   "409",   "TD:=",  "409", "409"]),
];

#[derive(Debug, PartialEq)]
enum Expected {
    Enter(SessionStatus, Option<&'static str>),
    Stay,
    Reject(ErrorKind),
}

fn parse(cell: &'static str) -> Expected {
    let (status, reason) = match cell.split_once(':') {
        Some((s, r)) => (s, Some(r)),
        None => (cell, None),
    };
    let to = match status {
        "stay" => return Expected::Stay,
        "409" => return Expected::Reject(ErrorKind::Conflict),
        "400" => return Expected::Reject(ErrorKind::Validation),
        "A" => SessionStatus::Active,
        "C" => SessionStatus::Connected,
        "P" => SessionStatus::PendingClientReconnection,
        "R" => SessionStatus::Reconnecting,
        "TG" => SessionStatus::Terminating,
        "TD" => SessionStatus::Terminated,
        "E" => SessionStatus::Error,
        other => panic!("bad cell {other}"),
    };
    Expected::Enter(to, reason)
}

#[test]
fn the_table_covers_every_input_kind_once() {
    let kinds: Vec<_> = TABLE.iter().map(|(k, _)| *k).collect();
    assert_eq!(kinds, InputKind::ALL);
    assert_eq!(SessionStatus::ALL.len(), 8);
}

#[test]
fn transition_function_matches_the_literal_table() {
    for (kind, row) in TABLE {
        for (status, cell) in SessionStatus::ALL.iter().zip(row) {
            let expected = parse(cell);
            let got = transition(*status, *kind);
            let ok = match (&expected, got) {
                (Expected::Enter(to, reason), Outcome::Enter(got_to, rule)) => {
                    to == &got_to
                        && match (reason, rule) {
                            (None, ReasonRule::None) => true,
                            (Some("*"), ReasonRule::Carried) => true,
                            (Some("="), ReasonRule::Kept) => true,
                            (Some(r), ReasonRule::Fixed(fixed)) => *r == fixed.as_str(),
                            _ => false,
                        }
                }
                (Expected::Stay, Outcome::Stay(_)) => true,
                (Expected::Reject(ErrorKind::Conflict), Outcome::Conflict) => true,
                (Expected::Reject(ErrorKind::Validation), Outcome::Invalid) => true,
                _ => false,
            };
            assert!(
                ok,
                "({status}, {kind:?}): table says {cell}, code says {got:?}"
            );
        }
    }
}

#[test]
fn every_pair_on_a_real_session() {
    for (kind, row) in TABLE {
        for (status, cell) in SessionStatus::ALL.iter().zip(row) {
            let mut session = session_in(*status);
            let before = session.clone();
            let input = valid_input(*kind);
            let result = session.handle_input(t(10), input.clone());
            checked(&session);
            let events = drain(&mut session);
            let case = format!("{kind:?} in {status}");
            match parse(cell) {
                Expected::Enter(to, reason) => {
                    result.unwrap_or_else(|e| panic!("{case}: refused: {e}"));
                    assert_eq!(session.status(), to, "{case}");
                    let want_reason = match reason {
                        None => None,
                        Some("*") => input.carried_reason(),
                        Some("=") => before.reason(),
                        Some(r) => Some(r.parse::<StatusReason>().unwrap()),
                    };
                    assert_eq!(session.reason(), want_reason, "{case}: reason");
                    assert_eq!(
                        events,
                        [Event::StatusChanged {
                            from: *status,
                            to,
                            reason: want_reason,
                            at: t(10)
                        }],
                        "{case}: exactly one event"
                    );
                    assert_eq!(session.last_updated_at(), t(10), "{case}");
                }
                Expected::Stay => {
                    result.unwrap_or_else(|e| panic!("{case}: refused: {e}"));
                    assert_eq!(session.status(), *status, "{case}");
                    assert_eq!(session.reason(), before.reason(), "{case}");
                    assert!(events.is_empty(), "{case}: no event without a change");
                }
                Expected::Reject(kind_expected) => {
                    let err = result.expect_err(&case);
                    assert_eq!(err.kind(), kind_expected, "{case}: {err}");
                    let message = err.to_string();
                    assert!(message.contains(status.as_str()), "{case}: {message}");
                    assert!(message.contains(kind.name()), "{case}: {message}");
                    assert!(events.is_empty(), "{case}");
                    // Nothing was due at t(10), so the session is exactly as it was but for
                    // the latest time seen.
                    let mut expected = before.clone();
                    expected.handle_timeout(t(10));
                    assert_eq!(session, expected, "{case}: a rejection changed the session");
                    assert_eq!(session.status(), before.status(), "{case}");
                }
            }
        }
    }
}

#[test]
fn check_input_agrees_with_handle_input_everywhere() {
    for kind in InputKind::ALL {
        for status in SessionStatus::ALL {
            let session = session_in(*status);
            let input = valid_input(kind);
            let dry = session.check_input(t(10), &input);
            let mut wet = session.clone();
            let real = wet.handle_input(t(10), input);
            assert_eq!(dry, real, "{kind:?} in {status}");
        }
    }
}

#[test]
fn conflicts_name_the_statuses_that_would_have_allowed_the_input() {
    let mut s = session_in(SessionStatus::Connected);
    let err = s
        .handle_input(
            t(10),
            gameliftstreams_lifecycle::Input::Reconnect {
                signal_request: "v=0 new".into(),
            },
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.to_string(),
        "Reconnect (CreateStreamSessionConnection) is not allowed while the stream session is \
         CONNECTED; it is allowed only in: ACTIVE, PENDING_CLIENT_RECONNECTION"
    );
    let allowed: Vec<_> = InputKind::Terminate.allowed_in().iter().collect();
    use SessionStatus::*;
    assert_eq!(
        allowed,
        [
            Active,
            Connected,
            PendingClientReconnection,
            Reconnecting,
            Terminating,
            Terminated,
            Error
        ]
    );
}

#[test]
fn every_ending_cell_and_timer_gives_a_reason() {
    use gameliftstreams_lifecycle::Timer;
    for status in SessionStatus::ALL {
        for kind in InputKind::ALL {
            if let Outcome::Enter(to, rule) = transition(*status, kind) {
                assert_eq!(
                    to.is_ending(),
                    rule != ReasonRule::None,
                    "{kind:?} in {status}: an ending status needs a reason, others none"
                );
            }
        }
    }
    for timer in Timer::ALL {
        let (to, rule) = timer.outcome();
        assert!(to.is_ending() && rule != ReasonRule::None, "{timer:?}");
    }
}
