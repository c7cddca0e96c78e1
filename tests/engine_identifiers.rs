//! Identifiers and accounts: ARN formats, IDs generated deterministically from the seed, and
//! the rules for an ARN of the wrong type, account, region or group.

mod common;

use common::engine::*;
use common::t;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    AccountId, ArnError, ArnResource, Engine, EngineConfig, ErrorKind, IdGenerator, Identifier,
    ResourceArn, ResourceId,
};

#[test]
fn arns_parse_and_format_in_the_documented_shapes() {
    let cases = [
        (
            "arn:aws:gameliftstreams:us-west-2:111122223333:application/a-9ZY8X7Wv6",
            ArnResource::Application("a-9ZY8X7Wv6".into()),
        ),
        (
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1AB2C3De4",
            ArnResource::StreamGroup("sg-1AB2C3De4".into()),
        ),
        (
            "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1AB2C3De4/ABC123def4567",
            ArnResource::StreamSession {
                group: "sg-1AB2C3De4".into(),
                session: "ABC123def4567".into(),
            },
        ),
    ];
    for (text, resource) in cases {
        let arn: ResourceArn = text.parse().unwrap();
        assert_eq!(arn.region, "us-west-2");
        assert_eq!(arn.account, "111122223333".parse::<AccountId>().unwrap());
        assert_eq!(arn.resource, resource);
        assert_eq!(arn.to_string(), text);
    }
    for bad in [
        "arn:aws:gameliftstreams:us-west-2:11112222333:streamgroup/sg-1", // 11 digits
        "arn:aws:gamelift:us-west-2:111122223333:streamgroup/sg-1",
        "arn:aws:gameliftstreams:us-west-2:111122223333",
        "arn:aws:gameliftstreams:us west:111122223333:streamgroup/sg-1",
    ] {
        assert!(
            matches!(bad.parse::<ResourceArn>(), Err(ArnError::Malformed(_))),
            "{bad}"
        );
    }
    for unknown in [
        "arn:aws:gameliftstreams:us-west-2:111122223333:fleet/f-1",
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/",
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamsession/sg-1",
        "arn:aws:gameliftstreams:us-west-2:111122223333:streamgroup/sg-1/extra",
    ] {
        assert!(
            matches!(
                unknown.parse::<ResourceArn>(),
                Err(ArnError::UnknownResource(_))
            ),
            "{unknown}"
        );
    }
    assert_eq!(
        Identifier::parse("sg-1AB2C3De4"),
        Ok(Identifier::Id("sg-1AB2C3De4".into()))
    );
}

#[test]
fn account_ids_are_twelve_digits() {
    assert_eq!(
        "000000000042".parse::<AccountId>().unwrap().to_string(),
        "000000000042"
    );
    for bad in ["12345678901", "1234567890123", "12345678901a", ""] {
        assert!(bad.parse::<AccountId>().is_err(), "{bad}");
    }
    assert_eq!(AccountId::DEFAULT.to_string(), "123456789012");
}

#[test]
fn generated_ids_have_the_documented_shapes() {
    let mut ids = IdGenerator::new(7);
    let g = ids.stream_group_id();
    let a = ids.application_id();
    let s = ids.stream_session_id();
    assert!(
        g.as_str().starts_with("sg-") && g.as_str().len() == 12,
        "{g}"
    );
    assert!(
        a.as_str().starts_with("a-") && a.as_str().len() == 11,
        "{a}"
    );
    assert!(
        s.as_str().len() == 13 && s.as_str().bytes().all(|b| b.is_ascii_alphanumeric()),
        "{s}"
    );
    assert_eq!(ResourceId::new(g.as_str()), Some(g));
    assert_eq!(ResourceId::new("x".repeat(16).as_str()), None);
}

#[test]
fn the_same_seed_gives_the_same_ids_and_another_seed_others() {
    let run = |seed| {
        let config = EngineConfig {
            seed,
            ..EngineConfig::default()
        };
        let mut f = Fixture::with(config, None);
        let s = f.start();
        (f.app.clone(), f.group.clone(), s)
    };
    assert_eq!(run(1), run(1));
    assert_ne!(run(1), run(2));
}

#[test]
fn ids_and_arns_name_the_same_resource() {
    let mut f = Fixture::new();
    let session = f.start();
    let session_id = session.rsplit('/').next().unwrap().to_owned();
    let group_id = f.group.rsplit('/').next().unwrap().to_owned();
    for (group, session) in [
        (f.group.clone(), session.clone()),
        (group_id.clone(), session_id.clone()),
        (f.group.clone(), session_id.clone()),
        (group_id.clone(), session.clone()),
    ] {
        let out = f
            .engine
            .get_stream_session(
                ME,
                f.now,
                &GetStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: session,
                },
            )
            .unwrap();
        assert_eq!(out.stream_group_id.as_deref(), Some(group_id.as_str()));
    }
}

#[test]
fn an_arn_of_the_wrong_resource_type_is_a_validation_error() {
    let mut f = Fixture::new();
    let r = f.engine.get_stream_group(
        ME,
        f.now,
        &GetStreamGroupInput {
            identifier: f.app.clone(),
        },
    );
    assert_error(
        r,
        ErrorKind::Validation,
        "must be the ID or ARN of a stream group, not of an application",
    );
    let r = f.engine.get_application(
        ME,
        f.now,
        &GetApplicationInput {
            identifier: f.group.clone(),
        },
    );
    assert_error(
        r,
        ErrorKind::Validation,
        "must be the ID or ARN of an application, not of a stream group",
    );
}

#[test]
fn an_arn_of_another_account_is_access_denied_and_an_id_is_not_found() {
    let mut f = Fixture::new();
    let session = f.start();
    let other = other_account();
    let r = f.engine.get_stream_group(
        other,
        f.now,
        &GetStreamGroupInput {
            identifier: f.group.clone(),
        },
    );
    assert_error(r, ErrorKind::AccessDenied, "210987654321");
    let group_id = f.group.rsplit('/').next().unwrap().to_owned();
    let r = f.engine.get_stream_group(
        other,
        f.now,
        &GetStreamGroupInput {
            identifier: group_id.clone(),
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "Stream group");
    let session_id = session.rsplit('/').next().unwrap().to_owned();
    let r = f.engine.get_stream_session(
        other,
        f.now,
        &GetStreamSessionInput {
            identifier: group_id,
            stream_session_identifier: session_id,
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "Stream session");
    // Each account sees only its own resources in lists.
    let mine = f
        .engine
        .list_stream_groups(ME, f.now, &ListStreamGroupsInput::default())
        .unwrap();
    let theirs = f
        .engine
        .list_stream_groups(other, f.now, &ListStreamGroupsInput::default())
        .unwrap();
    assert_eq!(mine.items.unwrap().len(), 1);
    assert!(theirs.items.unwrap().is_empty());
}

#[test]
fn an_arn_of_another_region_is_not_found() {
    let mut f = Fixture::new();
    let elsewhere = f.group.replace("us-west-2", "eu-central-1");
    let r = f.engine.get_stream_group(
        ME,
        f.now,
        &GetStreamGroupInput {
            identifier: elsewhere,
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "eu-central-1");
}

#[test]
fn a_session_arn_of_another_group_is_not_found() {
    let mut f = Fixture::new();
    let session = f.start();
    let second = f
        .engine
        .create_stream_group(ME, f.now, &group_input(Some(&f.app)))
        .unwrap()
        .arn
        .unwrap();
    f.at(1);
    // The session's ARN names the first group; the path names the second.
    let r = f.engine.get_stream_session(
        ME,
        f.now,
        &GetStreamSessionInput {
            identifier: second.clone(),
            stream_session_identifier: session.clone(),
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "Stream session");
    // Likewise a bare session ID under the wrong group.
    let id = session.rsplit('/').next().unwrap().to_owned();
    let r = f.engine.get_stream_session(
        ME,
        f.now,
        &GetStreamSessionInput {
            identifier: second,
            stream_session_identifier: id,
        },
    );
    assert_error(r, ErrorKind::ResourceNotFound, "Stream session");
}

#[test]
fn identifiers_that_fail_the_pattern_are_validation_errors() {
    let mut engine = Engine::new(EngineConfig::default());
    for bad in [
        "",
        "sg 1",
        "arn:aws:gameliftstreams:us-west-2:1234:streamgroup/sg-1",
    ] {
        let r = engine.get_stream_group(
            ME,
            t(0),
            &GetStreamGroupInput {
                identifier: bad.into(),
            },
        );
        assert_error(r, ErrorKind::Validation, "identifier");
    }
}

#[test]
fn session_ids_are_distinct_and_a_changed_character_names_no_session() {
    let mut f = Fixture::new();
    let arns: Vec<String> = (0..200).map(|_| f.start()).collect();
    let ids: std::collections::BTreeSet<&str> =
        arns.iter().map(|a| a.rsplit('/').next().unwrap()).collect();
    assert_eq!(ids.len(), arns.len());
    for id in &ids {
        assert!(
            id.len() == 13 && id.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{id}"
        );
    }
    // Every one-character change of an ID (the engine's IDs encode the session's number) is
    // not found, rather than naming another session.
    let arn = &arns[100];
    let (head, id) = arn.rsplit_once('/').unwrap();
    for i in 0..id.len() {
        for c in ['0', 'Z', 'a', 'q'] {
            let mut changed = id.to_owned().into_bytes();
            if changed[i] == c as u8 {
                continue;
            }
            changed[i] = c as u8;
            let changed = String::from_utf8(changed).unwrap();
            assert_error(
                f.try_get(&format!("{head}/{changed}")),
                ErrorKind::ResourceNotFound,
                "Stream session",
            );
            assert_error(
                f.try_get(&changed),
                ErrorKind::ResourceNotFound,
                "Stream session",
            );
        }
    }
    assert_eq!(f.get(arn).arn.as_deref(), Some(arn.as_str()));
}
