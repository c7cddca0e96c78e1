//! `ListTagsForResource`, `TagResource`, `UntagResource`: the tags of applications and stream
//! groups, kept on their records (so a deleted resource's tags go with it, and snapshots carry
//! them).
//!
//! The model lists no ResourceNotFoundException for these operations. **(decision)** An ARN
//! the caller's account owns, of this region, that names no live application or stream group
//! (never created, or deleted) is a ValidationException that names it; so is an ARN of another
//! region, or of a resource that is not taggable (a stream session). An ARN of another account
//! is AccessDenied, as in every other operation.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::{ApiError, Engine};
use crate::api::{
    ListTagsForResourceInput, ListTagsForResourceOutput, Operation, TagResourceInput,
    UntagResourceInput,
};
use crate::arn::{AccountId, IdentifierRef, ResourceType};

/// The most tags a resource has (the model's `Tags` maximum).
pub const MAX_TAGS_PER_RESOURCE: usize = 50;

impl Engine {
    /// `ListTagsForResource`: the tags of an application or stream group (an empty map when it
    /// has none).
    pub fn list_tags_for_resource(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, ApiError> {
        self.begin(caller, now, Operation::ListTagsForResource)?;
        input.validate()?;
        let tags = self.tags_of(caller, &input.resource_arn)?;
        Ok(ListTagsForResourceOutput {
            tags: Some(tags.clone().unwrap_or_default()),
        })
    }

    /// `TagResource`: adds tags, replacing the values of keys the resource already has. Refused
    /// whole when the resource would have more than [`MAX_TAGS_PER_RESOURCE`].
    pub fn tag_resource(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &TagResourceInput,
    ) -> Result<(), ApiError> {
        self.begin(caller, now, Operation::TagResource)?;
        input.validate()?;
        let arn = input.resource_arn.as_str();
        let tags = self.tags_of_mut(caller, arn)?;
        let adding = input.tags.iter().flatten();
        let existing = tags.as_ref().map_or(0, BTreeMap::len);
        let new = adding
            .clone()
            .filter(|(k, _)| !tags.as_ref().is_some_and(|t| t.contains_key(*k)))
            .count();
        if existing + new > MAX_TAGS_PER_RESOURCE {
            return Err(ApiError::InvalidRequest {
                message: format!(
                    "{arn} has {existing} tags; with these it would have {}, more than the \
                     {MAX_TAGS_PER_RESOURCE} a resource may have",
                    existing + new
                ),
            });
        }
        tags.get_or_insert_with(BTreeMap::new)
            .extend(adding.map(|(k, v)| (k.clone(), v.clone())));
        Ok(())
    }

    /// `UntagResource`: removes the tags with the given keys; keys the resource does not have
    /// are ignored.
    pub fn untag_resource(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &UntagResourceInput,
    ) -> Result<(), ApiError> {
        self.begin(caller, now, Operation::UntagResource)?;
        input.validate()?;
        let tags = self.tags_of_mut(caller, &input.resource_arn)?;
        if let Some(tags) = tags {
            for key in input.tag_keys.iter().flatten() {
                tags.remove(key);
            }
        }
        Ok(())
    }

    /// The tags of the taggable resource `arn` names, for `caller`.
    fn tags_of(
        &self,
        caller: AccountId,
        arn: &str,
    ) -> Result<&Option<BTreeMap<String, String>>, ApiError> {
        Ok(match self.taggable(caller, arn)? {
            Taggable::Application(seq) => &self.applications[&seq].tags,
            Taggable::StreamGroup(seq) => &self.groups[&seq].tags,
        })
    }

    fn tags_of_mut(
        &mut self,
        caller: AccountId,
        arn: &str,
    ) -> Result<&mut Option<BTreeMap<String, String>>, ApiError> {
        let found = self.taggable(caller, arn)?;
        let record = match found {
            Taggable::Application(seq) => self.applications.get_mut(&seq).map(|a| &mut a.tags),
            Taggable::StreamGroup(seq) => self.groups.get_mut(&seq).map(|g| &mut g.tags),
        };
        // `taggable` found the record a moment ago, under the same `&mut self`.
        Ok(record.expect("a record taggable just found"))
    }

    /// The application or stream group `arn` (a valid `Arn`) names, for `caller`.
    fn taggable(&self, caller: AccountId, arn: &str) -> Result<Taggable, ApiError> {
        let invalid = |message: String| ApiError::InvalidRequest { message };
        let parsed = IdentifierRef::parse(arn).map_err(|e| invalid(format!("ResourceArn: {e}")))?;
        let Some(parts) = parsed.arn else {
            return Err(invalid(format!("ResourceArn {arn} is not an ARN")));
        };
        if parts.account != caller {
            return Err(ApiError::not_owner(caller, arn, parts.account));
        }
        if parts.region != self.config.region {
            return Err(invalid(format!(
                "ResourceArn {arn} is of region {}; this endpoint serves {}",
                parts.region, self.config.region
            )));
        }
        let found = match parts.resource {
            ResourceType::Application => self
                .application_seq_of(caller, parsed.id, arn)
                .map(Taggable::Application),
            ResourceType::StreamGroup => self
                .group_seq_of(caller, parsed.id, arn)
                .map(Taggable::StreamGroup),
            kind @ (ResourceType::StreamSession | ResourceType::StreamUrl) => {
                return Err(invalid(format!(
                    "ResourceArn {arn} names {}; only applications and stream groups are \
                     taggable",
                    kind.with_article()
                )));
            }
        };
        // Not found: the model lists no ResourceNotFound here (see the module's docs).
        found.map_err(|_| {
            invalid(format!(
                "ResourceArn {arn}: no such {} in this account",
                parts.resource.display_name()
            ))
        })
    }
}

/// A taggable resource, by sequence number.
#[derive(Clone, Copy)]
enum Taggable {
    Application(u64),
    StreamGroup(u64),
}
