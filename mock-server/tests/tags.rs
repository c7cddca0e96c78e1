//! ListTagsForResource, TagResource and UntagResource through the real SDK: the ARN travels
//! percent-encoded in the path, the keys to remove in the `tagKeys` query list.

use crate::common::*;

#[tokio::test]
async fn tags_round_trip_through_the_sdk() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;

    let listed = client
        .list_tags_for_resource()
        .resource_arn(&group)
        .send()
        .await
        .expect("ListTagsForResource");
    assert!(listed.tags().is_some_and(|t| t.is_empty()), "{listed:?}");

    client
        .tag_resource()
        .resource_arn(&app)
        .tags("team", "render")
        .tags("stage", "beta")
        .send()
        .await
        .expect("TagResource");
    client
        .untag_resource()
        .resource_arn(&app)
        .tag_keys("stage")
        .tag_keys("missing")
        .send()
        .await
        .expect("UntagResource");
    let listed = client
        .list_tags_for_resource()
        .resource_arn(&app)
        .send()
        .await
        .expect("ListTagsForResource");
    let tags = listed.tags().expect("tags");
    assert_eq!(tags.len(), 1, "{tags:?}");
    assert_eq!(tags.get("team").map(String::as_str), Some("render"));

    // Another account's resource is not theirs to tag.
    let other = mock.client_for(OTHER);
    let denied = other
        .tag_resource()
        .resource_arn(&app)
        .tags("a", "b")
        .send()
        .await
        .expect_err("another account");
    assert_eq!(
        denied.as_service_error().and_then(|e| e.meta().code()),
        Some("AccessDeniedException")
    );
    // An ID is not an ARN.
    let invalid = client
        .list_tags_for_resource()
        .resource_arn(id_of(&app))
        .send()
        .await
        .expect_err("an ID");
    assert_eq!(
        invalid.as_service_error().and_then(|e| e.meta().code()),
        Some("ValidationException")
    );
}
