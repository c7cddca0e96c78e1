//! What the benchmarks (and `examples/memory.rs`) share: the instants they use, the floor a
//! session input is compared with, the requests that set up an engine, and a session's life.
//!
//! Each benchmark uses a part of it.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{AccountId, ApiError, Engine, EngineConfig, Quotas, SessionStatus};

/// The caller of every engine call.
pub const ME: AccountId = AccountId::DEFAULT;

/// `secs` seconds after 2026-01-01T00:00:00Z.
pub fn t(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + secs, 0).unwrap()
}

/// The floor: the least any state machine does for an input, a `match` on the status. Input 4
/// is `UserInput`.
#[inline(never)]
pub fn bare_match(status: SessionStatus, input: u8) -> SessionStatus {
    use SessionStatus as S;
    match (status, input) {
        (S::Activating, 0) => S::Active,
        (S::Active, 2) => S::Connected,
        (S::Connected, 3) => S::PendingClientReconnection,
        (S::Connected, 4) => S::Connected,
        (S::PendingClientReconnection | S::Active, 5) => S::Reconnecting,
        (S::Reconnecting, 6) => S::Active,
        (s, _) => s,
    }
}

/// A configuration with room for `maximum` sessions in a group's primary location, and a
/// location quota of `per_location`.
pub fn roomy_config(maximum: u32, per_location: u32) -> EngineConfig {
    EngineConfig {
        default_maximum_capacity: maximum,
        quotas: Quotas {
            capacity_per_location: per_location,
            ..Quotas::default()
        },
        ..EngineConfig::default()
    }
}

/// `CreateApplication` of a Linux application named `name`.
pub fn application_input(name: &str) -> CreateApplicationInput {
    CreateApplicationInput {
        description: Some(name.into()),
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(RuntimeEnvironmentType::Ubuntu),
            version: Some("22".into()),
        }),
        executable_path: Some("bin/game".into()),
        application_source_uri: Some(format!("s3://bucket/{name}")),
        ..Default::default()
    }
}

/// `CreateStreamGroup` of a `gen5n_ultra` group (one session a slot).
pub fn group_input(default_app: Option<&str>) -> CreateStreamGroupInput {
    CreateStreamGroupInput {
        description: Some("group".into()),
        stream_class: Some(StreamClass::Gen5nUltra),
        default_application_identifier: default_app.map(str::to_owned),
        ..Default::default()
    }
}

/// The signal request every benchmark session starts with (9 bytes).
pub const SIGNAL_REQUEST: &str = "v=0 offer";

/// `StartStreamSession` of `app` in `group`.
pub fn start_input(group: &str, app: &str) -> StartStreamSessionInput {
    StartStreamSessionInput {
        identifier: group.into(),
        protocol: Some(Protocol::WebRtc),
        signal_request: Some(SIGNAL_REQUEST.into()),
        application_identifier: Some(app.into()),
        ..Default::default()
    }
}

/// A `CreateApplication` of "game" and a `CreateStreamGroup` with it as the default, at t(0),
/// settled (READY and ACTIVE at once with the default delays), events drained: their ARNs.
pub fn app_and_group(e: &mut Engine) -> (String, String) {
    let app = e
        .create_application(ME, t(0), &application_input("game"))
        .expect("the application is created")
        .arn
        .expect("an ARN");
    let group = e
        .create_stream_group(ME, t(0), &group_input(Some(&app)))
        .expect("the group is created")
        .arn
        .expect("an ARN");
    e.advance(t(0));
    e.drain_events().for_each(drop);
    (app, group)
}

/// Sets the engine's retention to 0 s: an ended session is forgotten at the next call, so a
/// benchmark that starts and ends sessions keeps the engine at its size.
pub fn without_retention(e: &mut Engine) {
    let mut config = e.config().clone();
    config.retention = chrono::TimeDelta::zero();
    e.set_config(config).expect("a valid configuration");
}

/// One session's life in three calls at `at`, as the budget's calls/s counts them:
/// `StartStreamSession`, `GetStreamSession` (its status is returned), `TerminateStreamSession`;
/// the ARN copied into the requests as a client would; the events drained.
pub fn session_life(
    e: &mut Engine,
    at: DateTime<Utc>,
    group: &str,
    start: &StartStreamSessionInput,
) -> Result<Option<SessionStatus>, ApiError> {
    let arn = e.start_stream_session(ME, at, start)?.arn.expect("an ARN");
    let terminate = TerminateStreamSessionInput {
        identifier: group.into(),
        stream_session_identifier: arn.clone(),
    };
    let get = GetStreamSessionInput {
        identifier: group.into(),
        stream_session_identifier: arn,
    };
    let status = e.get_stream_session(ME, at, &get)?.status;
    e.terminate_stream_session(ME, at, &terminate)?;
    e.drain_events().for_each(drop);
    Ok(status)
}

/// How many sessions the caller has, counted through `ListStreamSessionsByAccount` pages.
pub fn count_sessions(e: &mut Engine, at: DateTime<Utc>) -> usize {
    let mut input = ListStreamSessionsByAccountInput {
        max_results: Some(100),
        ..Default::default()
    };
    let mut count = 0;
    loop {
        let page = e
            .list_stream_sessions_by_account(ME, at, &input)
            .expect("a listing");
        count += page.items.map_or(0, |items| items.len());
        match page.next_token {
            Some(token) => input.next_token = Some(token),
            None => return count,
        }
    }
}
