//! Stream URLs in the engine: creation with frozen settings, uses, expiry on the agenda,
//! revocation (and its reasons), the group's and the application's deletion, idempotency,
//! listing, and the token kept out of `Debug` output.

mod common;

use chrono::TimeDelta;
use common::engine::*;
use common::t;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    Change, EngineConfig, ErrorKind, Observation, Quotas, STREAM_URL_SESSION_LENGTH_SECONDS,
    SessionStatus,
};

fn url_input(f: &Fixture) -> CreateStreamUrlInput {
    CreateStreamUrlInput {
        identifier: f.group.clone(),
        application_identifier: Some(f.app.clone()),
        protocol: Some(Protocol::WebRtc),
        url_expires_after_minutes: Some(60),
        locations: Some(vec!["us-west-2".into()]),
        ..Default::default()
    }
}

fn create(f: &mut Fixture, input: &CreateStreamUrlInput) -> CreateStreamUrlOutput {
    let out = f.engine.create_stream_url(ME, f.now, input).unwrap();
    f.check();
    out
}

/// The URL's ID and token, read from its `StreamUrl` as a player would.
fn id_and_token(out: &CreateStreamUrlOutput) -> (String, String) {
    let link = out.stream_url.as_ref().unwrap().as_str();
    let (path, token) = link.split_once("/stream?token=").unwrap();
    (
        path.rsplit('/').next().unwrap().to_owned(),
        token.to_owned(),
    )
}

fn get(f: &mut Fixture, id: &str) -> GetStreamUrlOutput {
    let input = GetStreamUrlInput {
        identifier: f.group.clone(),
        stream_url_identifier: id.into(),
    };
    let out = f.engine.get_stream_url(ME, f.now, &input).unwrap();
    f.check();
    out
}

fn open(
    f: &mut Fixture,
    id: &str,
    token: &str,
) -> Result<StartStreamSessionOutput, gameliftstreams_lifecycle::ApiError> {
    let out = f
        .engine
        .open_stream_url(f.now, id, token, "v=0 player offer");
    f.check();
    out
}

fn revoke(f: &mut Fixture, id: &str, mode: Option<RevocationMode>) {
    let input = RevokeStreamUrlInput {
        identifier: f.group.clone(),
        stream_url_identifier: id.into(),
        revocation_mode: mode,
    };
    f.engine.revoke_stream_url(ME, f.now, &input).unwrap();
    f.check();
}

#[test]
fn a_new_url_is_active_with_its_settings_frozen() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.usage_limit = Some(3);
    input.additional_launch_args = Some(vec!["-demo".into()]);
    input.additional_environment_variables = Some([("MODE".into(), "demo".into())].into());
    input.description = Some("Playtest".into());
    let out = create(&mut f, &input);
    let id = out.stream_url_id.clone().unwrap();
    assert!(id.starts_with("su-") && id.len() == 12, "{id}");
    assert!(id[3..].bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
    let group_id = f.group.rsplit('/').next().unwrap().to_owned();
    assert_eq!(
        out.arn.as_deref(),
        Some(&*format!(
            "arn:aws:gameliftstreams:us-west-2:{ME}:streamurl/{group_id}/{id}"
        ))
    );
    assert_eq!(out.status, Some(StreamUrlStatus::Active));
    assert_eq!(out.status_reason, None);
    assert_eq!(out.created_at, Some(f.now));
    assert_eq!(out.expires_at, Some(f.now + TimeDelta::minutes(60)));
    assert_eq!((out.usage_limit, out.remaining_uses), (Some(3), Some(3)));
    assert_eq!(
        out.session_length_seconds,
        Some(STREAM_URL_SESSION_LENGTH_SECONDS)
    );
    assert_eq!(out.stream_group_arn.as_deref(), Some(f.group.as_str()));
    assert_eq!(out.application_arn.as_deref(), Some(f.app.as_str()));
    let (link_id, token) = id_and_token(&out);
    assert_eq!(link_id, id);
    assert!(
        out.stream_url
            .as_ref()
            .unwrap()
            .as_str()
            .starts_with("https://gameliftstreams.aws.com/su-"),
        "the documented form by default"
    );
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_alphanumeric()));

    // Opening it starts a session with the frozen settings.
    let session = open(&mut f, &id, &token).unwrap();
    assert_eq!(session.status, Some(SessionStatus::Activating));
    assert_eq!(
        session.session_length_seconds,
        Some(STREAM_URL_SESSION_LENGTH_SECONDS)
    );
    assert_eq!(session.additional_launch_args, input.additional_launch_args);
    assert_eq!(
        session.additional_environment_variables,
        input.additional_environment_variables
    );
    assert_eq!(session.application_arn.as_deref(), Some(f.app.as_str()));
    let got = get(&mut f, &id);
    assert_eq!(got.remaining_uses, Some(2));
    assert_eq!(got.description.as_deref(), Some("Playtest"));
    let listed: Vec<_> = got
        .stream_sessions
        .unwrap()
        .into_iter()
        .map(|s| s.arn.unwrap())
        .collect();
    assert_eq!(listed, [session.arn.clone().unwrap()]);
    // The session runs like any other.
    f.at(1);
    let arn = session.arn.unwrap();
    assert_eq!(f.status(&arn), SessionStatus::Active);
    f.observe(&arn, Observation::ClientConnected).unwrap();
    assert_eq!(f.status(&arn), SessionStatus::Connected);
}

#[test]
fn the_token_is_a_credential_kept_out_of_debug_output() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    for text in [
        format!("{out:?}"),
        format!("{:?}", get(&mut f, &id)),
        format!("{:?}", f.engine),
        format!(
            "{:?}",
            f.engine
                .list_stream_urls(ME, f.now, &Default::default())
                .unwrap()
        ),
    ] {
        assert!(!text.contains(&token), "the token leaks: {text}");
    }
    // A wrong token, or none, opens nothing and spends no use.
    for wrong in ["", "x", &token[1..], &format!("{}A", &token[..31])] {
        let err = open(&mut f, &id, wrong).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AccessDenied, "{err}");
        assert!(!err.to_string().contains(&token));
    }
    assert_eq!(get(&mut f, &id).remaining_uses, Some(1));
    assert_error(
        open(&mut f, "su-000000000", &token),
        ErrorKind::ResourceNotFound,
        "su-000000000",
    );
}

#[test]
fn the_last_use_reaches_the_limit() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.usage_limit = Some(2);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    open(&mut f, &id, &token).unwrap();
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::Active));
    open(&mut f, &id, &token).unwrap();
    let got = get(&mut f, &id);
    assert_eq!(got.status, Some(StreamUrlStatus::LimitReached));
    assert_eq!(got.remaining_uses, Some(0));
    assert_eq!(got.status_reason, None);
    assert_eq!(got.stream_sessions.unwrap().len(), 2);
    assert_error(
        open(&mut f, &id, &token),
        ErrorKind::Conflict,
        "LIMIT_REACHED",
    );
}

#[test]
fn a_use_that_cannot_start_a_session_spends_nothing() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    // The application leaves the group: the URL's start is refused as StartStreamSession's.
    let group = f.group.clone();
    let app = f.app.clone();
    f.engine
        .disassociate_applications(
            ME,
            f.now,
            &DisassociateApplicationsInput {
                identifier: group.clone(),
                application_identifiers: Some(vec![app.clone()]),
            },
        )
        .unwrap();
    let before = f.engine.snapshot();
    assert_error(
        open(&mut f, &id, &token),
        ErrorKind::Validation,
        "not associated",
    );
    assert_eq!(f.engine.snapshot(), before, "a refused use changes nothing");
    f.engine
        .associate_applications(
            ME,
            f.now,
            &AssociateApplicationsInput {
                identifier: group,
                application_identifiers: Some(vec![app]),
            },
        )
        .unwrap();
    open(&mut f, &id, &token).unwrap();
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::LimitReached));
}

#[test]
fn a_url_expires_on_time_and_is_forgotten_after_the_retention() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.url_expires_after_minutes = Some(1);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    assert_eq!(f.engine.poll_timeout(), Some(t(60)));
    f.at(59);
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::Active));
    f.engine.drain_events().for_each(drop);
    f.at(60);
    let changes: Vec<_> = f.engine.drain_events().map(|e| (e.at, e.change)).collect();
    assert_eq!(
        changes,
        [(
            t(60),
            Change::StreamUrl {
                from: Some(StreamUrlStatus::Active),
                to: StreamUrlStatus::Expired,
                reason: None
            }
        )]
    );
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::Expired));
    assert_error(open(&mut f, &id, &token), ErrorKind::Conflict, "EXPIRED");
    // Kept for the retention (24 h), then gone.
    let retention = EngineConfig::default().retention.num_seconds();
    f.at(60 + retention - 1);
    get(&mut f, &id);
    f.at(60 + retention);
    let err = f
        .engine
        .get_stream_url(
            ME,
            f.now,
            &GetStreamUrlInput {
                identifier: f.group.clone(),
                stream_url_identifier: id.clone(),
            },
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResourceNotFound);
    f.check();
}

#[test]
fn revoking_and_terminating_ends_the_sessions_then_says_so() {
    let config = EngineConfig {
        termination_delay: TimeDelta::seconds(10),
        ..EngineConfig::default()
    };
    let mut f = Fixture::with(config, None);
    let mut input = url_input(&f);
    input.usage_limit = Some(5);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    let first = open(&mut f, &id, &token).unwrap().arn.unwrap();
    f.at(1);
    let second = open(&mut f, &id, &token).unwrap().arn.unwrap();
    assert_eq!(f.status(&first), SessionStatus::Active);
    // The second is placed at the next request: it runs too.
    assert_eq!(f.status(&second), SessionStatus::Active);
    // A session of the group not started by the URL is left alone.
    let bystander = f.start();
    f.at(2);
    revoke(
        &mut f,
        &id,
        Some(RevocationMode::RevokeAndTerminateSessions),
    );
    let got = get(&mut f, &id);
    assert_eq!(got.status, Some(StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason,
        Some(StreamUrlStatusReason::RevokedAndTerminatingSessions)
    );
    assert_eq!(f.status(&first), SessionStatus::Terminating);
    assert_eq!(f.status(&second), SessionStatus::Terminating);
    assert_eq!(f.status(&bystander), SessionStatus::Active);
    assert_error(open(&mut f, &id, &token), ErrorKind::Conflict, "REVOKED");
    f.at(12);
    assert_eq!(f.status(&first), SessionStatus::Terminated);
    let got = get(&mut f, &id);
    assert_eq!(
        got.status_reason,
        Some(StreamUrlStatusReason::RevokedAndSessionsTerminated)
    );
    // Revoking again changes nothing.
    let before = f.engine.snapshot();
    revoke(&mut f, &id, None);
    revoke(
        &mut f,
        &id,
        Some(RevocationMode::RevokeAndTerminateSessions),
    );
    assert_eq!(f.engine.snapshot().clone(), before);
}

#[test]
fn revoking_a_url_leaves_its_sessions_running_unless_asked() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    let session = open(&mut f, &id, &token).unwrap().arn.unwrap();
    f.at(1);
    revoke(&mut f, &id, Some(RevocationMode::RevokeUrl));
    let got = get(&mut f, &id);
    assert_eq!(got.status, Some(StreamUrlStatus::Revoked));
    assert_eq!(got.status_reason, Some(StreamUrlStatusReason::UserRevoked));
    assert_eq!(f.status(&session), SessionStatus::Active);
    // Asked later, the sessions end after all (the URL was LIMIT_REACHED, then REVOKED).
    revoke(
        &mut f,
        &id,
        Some(RevocationMode::RevokeAndTerminateSessions),
    );
    assert_eq!(
        get(&mut f, &id).status_reason,
        Some(StreamUrlStatusReason::RevokedAndSessionsTerminated),
        "termination is immediate with no termination delay"
    );
    assert_eq!(f.status(&session), SessionStatus::Terminated);
}

#[test]
fn an_expired_url_can_still_be_revoked() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.url_expires_after_minutes = Some(1);
    let out = create(&mut f, &input);
    let id = out.stream_url_id.unwrap();
    f.at(61);
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::Expired));
    revoke(&mut f, &id, None);
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::Revoked));
}

#[test]
fn deleting_the_group_or_the_application_revokes_their_urls() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let by_group = out.stream_url_id.unwrap();
    let (group, app) = (f.group.clone(), f.app.clone());
    f.engine
        .delete_stream_group(
            ME,
            f.now,
            &DeleteStreamGroupInput {
                identifier: group.clone(),
            },
        )
        .unwrap();
    f.check();
    // The URL outlives its group, and is still found by the group's ID.
    let got = get(&mut f, &by_group);
    assert_eq!(got.status, Some(StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason,
        Some(StreamUrlStatusReason::StreamGroupDeleted)
    );

    // A second group with the application, a URL in it, then the application goes.
    let second = f
        .engine
        .create_stream_group(ME, f.now, &group_input(Some(&app)))
        .unwrap()
        .arn
        .unwrap();
    f.at(1);
    f.group = second.clone();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let by_app = out.stream_url_id.unwrap();
    f.engine
        .disassociate_applications(
            ME,
            f.now,
            &DisassociateApplicationsInput {
                identifier: second,
                application_identifiers: Some(vec![app.clone()]),
            },
        )
        .unwrap();
    f.engine
        .delete_application(ME, f.now, &DeleteApplicationInput { identifier: app })
        .unwrap();
    f.check();
    let got = get(&mut f, &by_app);
    assert_eq!(got.status, Some(StreamUrlStatus::Revoked));
    assert_eq!(
        got.status_reason,
        Some(StreamUrlStatusReason::ApplicationDeleted)
    );
}

#[test]
fn sessions_of_a_url_do_not_reconnect() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    let session = open(&mut f, &id, &token).unwrap().arn.unwrap();
    f.at(1);
    f.observe(&session, Observation::ClientConnected).unwrap();
    f.observe(&session, Observation::ClientDisconnected)
        .unwrap();
    assert_eq!(f.status(&session), SessionStatus::PendingClientReconnection);
    let before = f.engine.snapshot();
    assert_error(
        f.reconnect(&session, "v=0 another offer"),
        ErrorKind::Validation,
        "do not support reconnection",
    );
    assert_eq!(f.engine.snapshot(), before);
}

#[test]
fn a_client_token_creates_one_url() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.client_token = Some("stream-url-token-0123456789abcdef".into());
    let first = create(&mut f, &input);
    let again = create(&mut f, &input);
    assert_eq!(first, again);
    assert_eq!(
        f.engine
            .list_stream_urls(ME, f.now, &Default::default())
            .unwrap()
            .items
            .unwrap()
            .len(),
        1
    );
    input.usage_limit = Some(2);
    assert_error(
        f.engine.create_stream_url(ME, f.now, &input),
        ErrorKind::Conflict,
        "ClientToken",
    );
}

#[test]
fn refused_creations_name_what_is_wrong_and_change_nothing() {
    let config = EngineConfig {
        quotas: Quotas {
            active_stream_urls_per_account: 1,
            ..Quotas::default()
        },
        ..EngineConfig::default()
    };
    let mut f = Fixture::with(config, None);
    let base = url_input(&f);
    let before = f.engine.snapshot();
    let cases: Vec<(CreateStreamUrlInput, ErrorKind, &str)> = vec![
        (
            CreateStreamUrlInput {
                protocol: None,
                locations: None,
                ..base.clone()
            },
            ErrorKind::Validation,
            "2 validation errors",
        ),
        (
            CreateStreamUrlInput {
                url_expires_after_minutes: Some(10_081),
                ..base.clone()
            },
            ErrorKind::ServiceQuotaExceeded,
            "UrlExpiresAfterMinutes",
        ),
        (
            CreateStreamUrlInput {
                usage_limit: Some(1001),
                ..base.clone()
            },
            ErrorKind::ServiceQuotaExceeded,
            "UsageLimit",
        ),
        (
            CreateStreamUrlInput {
                locations: Some(vec!["eu-west-1".into()]),
                ..base.clone()
            },
            ErrorKind::Validation,
            "not a location of stream group",
        ),
        (
            CreateStreamUrlInput {
                identifier: "sg-000000000".into(),
                ..base.clone()
            },
            ErrorKind::ResourceNotFound,
            "sg-000000000",
        ),
        (
            CreateStreamUrlInput {
                identifier: f
                    .group
                    .replace(&ME.to_string(), &other_account().to_string()),
                ..base.clone()
            },
            ErrorKind::AccessDenied,
            "not authorized",
        ),
        (
            CreateStreamUrlInput {
                session_length_seconds: Some(86_401),
                ..base.clone()
            },
            ErrorKind::Validation,
            "sessionLengthSeconds",
        ),
    ];
    for (input, kind, needle) in cases {
        assert_error(f.engine.create_stream_url(ME, f.now, &input), kind, needle);
        assert_eq!(
            f.engine.snapshot(),
            before,
            "{needle}: a refused call changes nothing"
        );
    }
    // One ACTIVE URL is the quota here; an ended one does not count.
    let mut one = base.clone();
    one.url_expires_after_minutes = Some(1);
    create(&mut f, &one);
    assert_error(
        f.engine.create_stream_url(ME, f.now, &base),
        ErrorKind::ServiceQuotaExceeded,
        "ACTIVE stream URLs",
    );
    f.at(60);
    create(&mut f, &base);
}

#[test]
fn a_group_that_is_not_active_takes_no_url() {
    let mut config = EngineConfig::default();
    config.delays.stream_group_deletion = TimeDelta::seconds(30);
    let mut f = Fixture::with(config, None);
    let input = url_input(&f);
    let group = f.group.clone();
    f.engine
        .delete_stream_group(ME, f.now, &DeleteStreamGroupInput { identifier: group })
        .unwrap();
    assert_error(
        f.engine.create_stream_url(ME, f.now, &input),
        ErrorKind::Conflict,
        "DELETING",
    );
}

#[test]
fn listing_filters_by_status_and_group_and_pages() {
    let mut f = Fixture::new();
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut input = url_input(&f);
        input.url_expires_after_minutes = Some(if i % 2 == 0 { 1 } else { 60 });
        ids.push(create(&mut f, &input).stream_url_id.unwrap());
    }
    f.at(60);
    let mut seen = Vec::new();
    let mut token = None;
    for _ in 0..10 {
        let page = f
            .engine
            .list_stream_urls(
                ME,
                f.now,
                &ListStreamUrlsInput {
                    max_results: Some(2),
                    next_token: token.clone(),
                    ..Default::default()
                },
            )
            .unwrap();
        let items = page.items.unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.into_iter().map(|i| i.stream_url_id.unwrap()));
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    assert_eq!(seen, ids, "every URL once, in creation order");
    let expired = f
        .engine
        .list_stream_urls(
            ME,
            f.now,
            &ListStreamUrlsInput {
                status: Some(StreamUrlStatus::Expired),
                stream_group_identifier: Some(f.group.clone()),
                ..Default::default()
            },
        )
        .unwrap()
        .items
        .unwrap();
    assert_eq!(expired.len(), 4);
    assert!(
        expired
            .iter()
            .all(|u| u.status == Some(StreamUrlStatus::Expired))
    );
    let none = f
        .engine
        .list_stream_urls(
            ME,
            f.now,
            &ListStreamUrlsInput {
                stream_group_identifier: Some("sg-000000000".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(none.items, Some(vec![]), "an unknown group lists nothing");
    let theirs = f
        .engine
        .list_stream_urls(other_account(), f.now, &Default::default())
        .unwrap();
    assert_eq!(
        theirs.items,
        Some(vec![]),
        "another account sees none of them"
    );
}

#[test]
fn get_and_revoke_find_the_url_by_id_or_arn_within_its_group() {
    let mut f = Fixture::new();
    let input = url_input(&f);
    let out = create(&mut f, &input);
    let (id, arn) = (out.stream_url_id.unwrap(), out.arn.unwrap());
    assert_eq!(
        get(&mut f, &arn).stream_url_id.as_deref(),
        Some(id.as_str())
    );
    let mut input = GetStreamUrlInput {
        identifier: "sg-000000000".into(),
        stream_url_identifier: id.clone(),
    };
    assert_error(
        f.engine.get_stream_url(ME, f.now, &input),
        ErrorKind::ResourceNotFound,
        &id,
    );
    input.identifier = f.group.clone();
    assert_error(
        f.engine.get_stream_url(other_account(), f.now, &input),
        ErrorKind::AccessDenied,
        "not authorized",
    );
    input.stream_url_identifier = f.app.clone();
    assert_error(
        f.engine.get_stream_url(ME, f.now, &input),
        ErrorKind::Validation,
        "stream URL",
    );
    let revoke = RevokeStreamUrlInput {
        identifier: f.group.clone(),
        stream_url_identifier: "su-000000000".into(),
        revocation_mode: None,
    };
    assert_error(
        f.engine.revoke_stream_url(ME, f.now, &revoke),
        ErrorKind::ResourceNotFound,
        "su-000000000",
    );
}

#[test]
fn a_url_survives_a_snapshot() {
    let mut f = Fixture::new();
    let mut input = url_input(&f);
    input.usage_limit = Some(2);
    input.url_expires_after_minutes = Some(5);
    let out = create(&mut f, &input);
    let (id, token) = id_and_token(&out);
    open(&mut f, &id, &token).unwrap();
    let json = serde_json::to_string(&f.engine.snapshot()).unwrap();
    assert!(
        json.contains(&token),
        "the snapshot keeps the token (it is the state file)"
    );
    f.engine =
        gameliftstreams_lifecycle::Engine::restore(serde_json::from_str(&json).unwrap()).unwrap();
    f.check();
    assert_eq!(get(&mut f, &id).remaining_uses, Some(1));
    open(&mut f, &id, &token).unwrap();
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::LimitReached));
    // Its expiry is still on the agenda: past it, the URL would have been EXPIRED (it is
    // LIMIT_REACHED now, which stays).
    f.at(301);
    assert_eq!(get(&mut f, &id).status, Some(StreamUrlStatus::LimitReached));
}
