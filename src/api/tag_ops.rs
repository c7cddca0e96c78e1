//! The tagging operations: `ListTagsForResource`, `TagResource` and `UntagResource`
//! (`/tags/{ResourceArn}`). Applications and stream groups are taggable.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::check::{ARN, TAG_KEY, TAG_KEY_LIST, TAG_VALUE, TAGS, Violations};
use crate::ValidationError;

/// The input (request) of `ListTagsForResource` (`GET /tags/{ResourceArn}`): see
/// [`Operation::ListTagsForResource`](crate::api::Operation::ListTagsForResource).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceInput {
    /// `ResourceArn` (required, path label `ResourceArn`): The ARN of the resource whose tags
    /// are listed.
    #[serde(skip)]
    pub resource_arn: String,
}

/// The output (response) of `ListTagsForResource`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListTagsForResourceOutput {
    /// `Tags`: The tags assigned to the resource (an empty map when it has none).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<BTreeMap<String, String>>,
}

/// The input (request) of `TagResource` (`POST /tags/{ResourceArn}`): see
/// [`Operation::TagResource`](crate::api::Operation::TagResource).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TagResourceInput {
    /// `ResourceArn` (required, path label `ResourceArn`): The ARN of the resource to tag.
    #[serde(skip)]
    pub resource_arn: String,
    /// `Tags` (required): The tags to assign; a key the resource has already gets the new
    /// value.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<BTreeMap<String, String>>,
}

/// The input (request) of `UntagResource` (`DELETE /tags/{ResourceArn}`): see
/// [`Operation::UntagResource`](crate::api::Operation::UntagResource).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UntagResourceInput {
    /// `ResourceArn` (required, path label `ResourceArn`): The ARN of the resource to untag.
    #[serde(skip)]
    pub resource_arn: String,
    /// `TagKeys` (required, query string `tagKeys`): The keys of the tags to remove; keys the
    /// resource does not have are ignored.
    #[serde(skip)]
    pub tag_keys: Option<Vec<String>>,
}

impl ListTagsForResourceInput {
    /// Checks the `ResourceArn` path label (an ARN, 1–128 characters).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        ARN.check("resourceArn", &self.resource_arn, &mut v.0);
        v.finish()
    }
}

impl TagResourceInput {
    /// Checks the `ResourceArn` path label and the (required) `Tags`: 1–50 entries, keys of
    /// 1–128 and values of 0–256 characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        ARN.check("resourceArn", &self.resource_arn, &mut v.0);
        let tags = v.required("tags".into(), self.tags.as_ref());
        v.string_map("tags".into(), tags, TAGS, &TAG_KEY, &TAG_VALUE);
        v.finish()
    }
}

impl UntagResourceInput {
    /// Checks the `ResourceArn` path label and the (required) `tagKeys`: 0–50 keys of 1–128
    /// characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        ARN.check("resourceArn", &self.resource_arn, &mut v.0);
        let keys = v.required("tagKeys".into(), self.tag_keys.as_ref());
        v.string_list("tagKeys".into(), keys, TAG_KEY_LIST, Some(&TAG_KEY));
        v.finish()
    }
}
