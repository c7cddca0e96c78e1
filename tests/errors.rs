//! Rejected inputs and bad configuration: typed errors with the right AWS kind, that change
//! nothing (compared with a clone), and idempotent Terminate.

mod common;

use chrono::TimeDelta;
use common::*;
use gameliftstreams_lifecycle::{
    ConnectionTimeout, Constraint, ErrorKind, Input, InputKind, Session, SessionConfig,
    SessionError, SessionLength, SessionStatus as S, StatusReason as R,
};

#[test]
fn error_kinds_have_the_model_codes_and_http_statuses() {
    let table = [
        (ErrorKind::AccessDenied, "AccessDeniedException", 403),
        (ErrorKind::Conflict, "ConflictException", 409),
        (ErrorKind::InternalServer, "InternalServerException", 500),
        (
            ErrorKind::ResourceNotFound,
            "ResourceNotFoundException",
            404,
        ),
        (
            ErrorKind::ServiceQuotaExceeded,
            "ServiceQuotaExceededException",
            402,
        ),
        (
            ErrorKind::StreamSessionAccessNotReady,
            "StreamSessionAccessNotReadyException",
            409,
        ),
        (ErrorKind::Throttling, "ThrottlingException", 429),
        (ErrorKind::Validation, "ValidationException", 400),
    ];
    assert_eq!(ErrorKind::ALL.len(), table.len());
    for (kind, code, status) in table {
        assert_eq!(kind.code(), code);
        assert_eq!(kind.http_status(), status);
        assert_eq!(ErrorKind::from_code(code), Some(kind));
        assert_eq!(kind.to_string(), code);
    }
    assert_eq!(ErrorKind::from_code("Nope"), None);
}

#[test]
fn terminate_is_idempotent_once_ending() {
    for status in [S::Terminating, S::Terminated, S::Error] {
        let mut s = session_in(status);
        let before = s.clone();
        for i in 0..3 {
            s.handle_input(t(5 + i), Input::Terminate).unwrap();
        }
        assert_eq!(s.status(), status);
        assert_eq!(s.reason(), before.reason(), "the first reason stays");
        assert!(drain(&mut s).is_empty(), "no event for a no-op");
    }
}

#[test]
fn terminate_while_activating_is_a_validation_error() {
    let mut s = session_in(S::Activating);
    let err = s.handle_input(t(5), Input::Terminate).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(matches!(
        err,
        SessionError::InvalidStatus {
            input: InputKind::Terminate,
            status: S::Activating,
            ..
        }
    ));
    assert_eq!(s.status(), S::Activating);
}

#[test]
fn rejected_inputs_leave_the_session_exactly_as_it_was() {
    // Invalid payloads in every status, and every status-rejected input (the table test covers
    // the latter too); compared field by field with a clone.
    let bad_inputs = [
        Input::Placed {
            location: String::new(),
        },
        Input::Placed {
            location: "us east 1".into(),
        },
        Input::Placed {
            location: "a-location-name-far-too-long".into(),
        },
        Input::ActivationFailed(R::ApiTerminated),
        Input::ReconnectFailed(R::IdleTimeout),
        Input::Failed(R::ApplicationExit),
        Input::Reconnect {
            signal_request: String::new(),
        },
        Input::Reconnect {
            signal_request: OFFER.into(),
        },
    ];
    for status in S::ALL {
        let session = session_in(*status);
        for input in &bad_inputs {
            let mut s = session.clone();
            let err = s.handle_input(t(10), input.clone()).unwrap_err();
            assert_eq!(
                err.kind(),
                ErrorKind::Validation,
                "{input:?} in {status}: {err}"
            );
            let mut expected = session.clone();
            expected.handle_timeout(t(10));
            assert_eq!(s, expected, "{input:?} in {status}");
            assert_eq!(s.check_input(t(10), input), Err(err));
        }
    }
}

#[test]
fn a_reason_that_is_not_an_error_reason_is_named_in_the_message() {
    let mut s = session_in(S::Activating);
    let err = s
        .handle_input(t(5), Input::ActivationFailed(R::IdleTimeout))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 validation error detected: Value 'idleTimeout' at 'statusReason' failed to satisfy \
         constraint: Member must satisfy enum value set: [internalError, invalidSignalRequest, \
         placementTimeout, applicationLogS3DestinationError, assumeRoleFailed]"
    );
    for reason in R::ALL {
        let result = session_in(S::Activating).handle_input(t(5), Input::ActivationFailed(*reason));
        assert_eq!(result.is_ok(), reason.is_error_reason(), "{reason}");
    }
}

#[test]
fn a_bad_location_names_member_and_pattern() {
    let mut s = session_in(S::Activating);
    let err = s
        .handle_input(
            t(5),
            Input::Placed {
                location: "us_east_1".into(),
            },
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "1 validation error detected: Value 'us_east_1' at 'location' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-]+"
    );
}

#[test]
fn bounded_config_values_name_the_field_and_the_bound() {
    for (secs, message) in [
        (
            0,
            "Value '0' at 'connectionTimeoutSeconds' failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            3601,
            "Value '3601' at 'connectionTimeoutSeconds' failed to satisfy constraint: Member must have value less than or equal to 3600",
        ),
    ] {
        let err = ConnectionTimeout::new(secs).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("1 validation error detected: {message}")
        );
        assert_eq!(SessionError::from(err).kind(), ErrorKind::Validation);
    }
    assert_eq!(ConnectionTimeout::new(1).unwrap().seconds(), 1);
    assert_eq!(ConnectionTimeout::new(3600).unwrap().seconds(), 3600);
    assert_eq!(ConnectionTimeout::default().seconds(), 120);

    let err = SessionLength::new(86_401).unwrap_err();
    let v = &err.violations()[0];
    assert_eq!(v.member, "sessionLengthSeconds");
    assert_eq!(v.constraint, Constraint::Max(86_400));
    assert_eq!(
        SessionLength::new(-5).unwrap_err().violations()[0].constraint,
        Constraint::Min(1)
    );
    assert_eq!(SessionLength::new(86_400).unwrap().seconds(), 86_400);
    assert_eq!(SessionLength::default().seconds(), 43_200);
}

#[test]
fn negative_durations_and_empty_offers_are_refused_at_start() {
    let config = SessionConfig {
        idle_timeout: TimeDelta::seconds(-1),
        termination_delay: TimeDelta::milliseconds(-1500),
        ..SessionConfig::default()
    };
    let err = Session::start(config, "", t(0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert_eq!(
        err.to_string(),
        "3 validation errors detected: Value '-1s' at 'idleTimeout' failed to satisfy \
         constraint: Member must not be negative; Value '-1.5s' at 'terminationDelay' failed to \
         satisfy constraint: Member must not be negative; Value (sensitive) at 'signalRequest' \
         failed to satisfy constraint: Member must have length greater than or equal to 1"
    );
}

#[test]
fn conflict_errors_say_what_was_expected_and_what_was_found() {
    let mut s = session_in(S::Terminated);
    match s.handle_input(t(5), Input::ClientConnected).unwrap_err() {
        SessionError::Conflict {
            input,
            status,
            allowed,
        } => {
            assert_eq!(input, InputKind::ClientConnected);
            assert_eq!(status, S::Terminated);
            assert_eq!(allowed.iter().collect::<Vec<_>>(), [S::Active]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn terminal_statuses_are_absorbing() {
    for status in [S::Terminated, S::Error] {
        let session = session_in(status);
        for kind in InputKind::ALL {
            let mut s = session.clone();
            let _ = s.handle_input(t(10), valid_input(kind));
            s.handle_timeout(t(1_000_000));
            assert_eq!(s.status(), status, "{kind:?}");
            assert_eq!(s.reason(), session.reason());
            assert!(drain(&mut s).is_empty());
        }
    }
}

#[test]
fn debug_output_never_shows_the_signal_request() {
    let input = Input::Reconnect {
        signal_request: "SECRET-OFFER".into(),
    };
    let debug = format!("{input:?}");
    assert!(!debug.contains("SECRET"), "{debug}");
    let s = Session::start(SessionConfig::default(), "SECRET-OFFER", t(0)).unwrap();
    assert!(!format!("{s:?}").contains("SECRET"));
    assert!(!serde_json::to_string(&s).unwrap().contains("SECRET"));
}
