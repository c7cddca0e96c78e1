//! ListTagsForResource, TagResource, UntagResource: tags of applications and stream groups,
//! what is refused and how, snapshots, and deletion.

mod common;

use std::collections::BTreeMap;

use common::engine::*;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{Engine, ErrorKind};

fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn list(f: &mut Fixture, arn: &str) -> BTreeMap<String, String> {
    f.engine
        .list_tags_for_resource(
            ME,
            f.now,
            &ListTagsForResourceInput {
                resource_arn: arn.into(),
            },
        )
        .expect("ListTagsForResource")
        .tags
        .expect("a map, empty or not")
}

fn tag(
    f: &mut Fixture,
    arn: &str,
    pairs: &[(&str, &str)],
) -> Result<(), gameliftstreams_lifecycle::ApiError> {
    f.engine.tag_resource(
        ME,
        f.now,
        &TagResourceInput {
            resource_arn: arn.into(),
            tags: Some(tags(pairs)),
        },
    )
}

/// Creates an application with `pairs` as its tags; its ARN.
fn tagged_application(f: &mut Fixture, pairs: &[(&str, &str)]) -> String {
    let mut input = app_input();
    input.tags = Some(tags(pairs));
    f.engine
        .create_application(ME, f.now, &input)
        .expect("CreateApplication")
        .arn
        .expect("an ARN")
}

#[test]
fn tags_given_at_creation_are_listed_and_can_be_changed() {
    let mut f = Fixture::new();
    let app = tagged_application(&mut f, &[("team", "render"), ("stage", "beta")]);
    assert_eq!(
        list(&mut f, &app),
        tags(&[("stage", "beta"), ("team", "render")])
    );

    // Tagging adds keys and replaces values.
    tag(&mut f, &app, &[("stage", "ga"), ("owner", "me")]).expect("TagResource");
    assert_eq!(
        list(&mut f, &app),
        tags(&[("owner", "me"), ("stage", "ga"), ("team", "render")])
    );
    // Untagging removes keys; keys the resource lacks are ignored.
    f.engine
        .untag_resource(
            ME,
            f.now,
            &UntagResourceInput {
                resource_arn: app.clone(),
                tag_keys: Some(vec!["team".into(), "missing".into()]),
            },
        )
        .expect("UntagResource");
    assert_eq!(
        list(&mut f, &app),
        tags(&[("owner", "me"), ("stage", "ga")])
    );

    // A stream group created without tags lists none.
    let group = f.group.clone();
    assert!(list(&mut f, &group).is_empty());
    tag(&mut f, &group, &[("k", "")]).expect("an empty value is a value");
    assert_eq!(list(&mut f, &group), tags(&[("k", "")]));

    // Tags are part of the state: a snapshot carries them.
    let restored = Engine::restore(f.engine.snapshot()).expect("restore");
    f.engine = restored;
    assert_eq!(
        list(&mut f, &app),
        tags(&[("owner", "me"), ("stage", "ga")])
    );
}

#[test]
fn refusals_name_the_problem_and_change_nothing() {
    let mut f = Fixture::new();
    let group = f.group.clone();
    tag(&mut f, &group, &[("a", "1")]).expect("TagResource");
    let session = f.start();
    let session_arn = f.get(&session).arn.expect("an ARN");
    let before = f.engine.snapshot();

    // More than 50 tags in all: refused whole.
    let many: Vec<(String, String)> = (0..50).map(|i| (format!("k{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_error(tag(&mut f, &group, &many), ErrorKind::Validation, "51");
    // Bad members, by the model's constraints.
    let long = "k".repeat(129);
    assert_error(
        tag(&mut f, &group, &[(long.as_str(), "v")]),
        ErrorKind::Validation,
        "tags.",
    );
    assert_error(
        tag(&mut f, &group, &[]),
        ErrorKind::Validation,
        "'tags' failed",
    );
    assert_error(
        tag(&mut f, "sg-123456789", &[("a", "b")]),
        ErrorKind::Validation,
        "resourceArn",
    );
    // Another account's resource: access denied.
    let theirs = group.replace(&ME.to_string(), &other_account().to_string());
    assert_error(
        tag(&mut f, &theirs, &[("a", "b")]),
        ErrorKind::AccessDenied,
        "not authorized",
    );
    // Another region's, a session's, and one that does not exist.
    let elsewhere = group.replace("us-west-2", "eu-west-1");
    assert_error(
        tag(&mut f, &elsewhere, &[("a", "b")]),
        ErrorKind::Validation,
        "region",
    );
    assert_error(
        tag(&mut f, &session_arn, &[("a", "b")]),
        ErrorKind::Validation,
        "taggable",
    );
    let unknown = format!("{}zz", &group[..group.len() - 2]);
    assert_error(
        tag(&mut f, &unknown, &[("a", "b")]),
        ErrorKind::Validation,
        "no such stream group",
    );
    assert_eq!(
        serde_json::to_value(f.engine.snapshot()).unwrap(),
        serde_json::to_value(before).unwrap(),
        "refused calls change nothing"
    );
}

#[test]
fn a_deleted_resource_takes_its_tags_with_it() {
    let mut f = Fixture::new();
    let app = tagged_application(&mut f, &[("a", "1")]);
    f.engine.advance(f.now);
    f.engine
        .delete_application(
            ME,
            f.now,
            &DeleteApplicationInput {
                identifier: app.clone(),
            },
        )
        .expect("DeleteApplication");
    f.at(3600);
    let gone = f.engine.list_tags_for_resource(
        ME,
        f.now,
        &ListTagsForResourceInput {
            resource_arn: app.clone(),
        },
    );
    assert_error(gone, ErrorKind::Validation, "no such application");
}
