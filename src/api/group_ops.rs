//! The stream group operations: `CreateStreamGroup`, `GetStreamGroup`, `ListStreamGroups`,
//! `UpdateStreamGroup`, `DeleteStreamGroup`, `AddStreamGroupLocations`,
//! `RemoveStreamGroupLocations`, `AssociateApplications` and `DisassociateApplications`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{
    CLIENT_TOKEN, DESCRIPTION, IDENTIFIER, IDENTIFIERS, LOCATIONS_LIST, MAX_RESULTS, TAG_KEY,
    TAG_VALUE, TAGS, Violations,
};
use super::enums::{StreamClass, StreamGroupStatus, StreamGroupStatusReason};
use super::epoch;
use super::shapes::{
    DefaultApplication, LocationConfiguration, LocationState, StreamGroupSummary,
    check_location_configurations,
};
use crate::ValidationError;

/// The input (request) of `CreateStreamGroup` (`POST /streamgroups`): see
/// [`Operation::CreateStreamGroup`](crate::api::Operation::CreateStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamGroupInput {
    /// `Description` (required): A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `StreamClass` (required): The target stream quality for sessions that are hosted in this
    /// stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_class: Option<StreamClass>,
    /// `DefaultApplicationIdentifier`: The unique identifier of the Amazon GameLift Streams
    /// application that you want to set as the default application in a stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application_identifier: Option<String>,
    /// `LocationConfigurations`: A set of one or more locations and the streaming capacity for each
    /// location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_configurations: Option<Vec<LocationConfiguration>>,
    /// `Tags`: A list of labels to assign to the new stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tags: Option<BTreeMap<String, String>>,
    /// `ClientToken`: A unique identifier that represents a client request.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub client_token: Option<String>,
}

/// The output (response) of `CreateStreamGroup` (`POST /streamgroups`): see
/// [`Operation::CreateStreamGroup`](crate::api::Operation::CreateStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateStreamGroupOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that is assigned to the stream group
    /// resource and that uniquely identifies the group across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultApplication`: The default Amazon GameLift Streams application that is associated
    /// with this stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application: Option<DefaultApplication>,
    /// `LocationStates`: This value is the set of locations, including their name, current status,
    /// and capacities.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_states: Option<Vec<LocationState>>,
    /// `StreamClass`: The target stream quality for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_class: Option<StreamClass>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamGroupStatus>,
    /// `StatusReason`: A short description of the reason that the stream group is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamGroupStatusReason>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `ExpiresAt`: The time at which this stream group expires.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// `AssociatedApplications`: A set of applications that this stream group is associated to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_applications: Option<Vec<String>>,
}

/// The input (request) of `GetStreamGroup` (`GET /streamgroups/{Identifier}`): see
/// [`Operation::GetStreamGroup`](crate::api::Operation::GetStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetStreamGroupInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the stream group resource.
    #[serde(skip)]
    pub identifier: String,
}

/// The output (response) of `GetStreamGroup` (`GET /streamgroups/{Identifier}`): see
/// [`Operation::GetStreamGroup`](crate::api::Operation::GetStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetStreamGroupOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that is assigned to the stream group
    /// resource and that uniquely identifies the group across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultApplication`: The default Amazon GameLift Streams application that is associated
    /// with this stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application: Option<DefaultApplication>,
    /// `LocationStates`: This value is the set of locations, including their name, current status,
    /// and capacities.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_states: Option<Vec<LocationState>>,
    /// `StreamClass`: The target stream quality for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_class: Option<StreamClass>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamGroupStatus>,
    /// `StatusReason`: A short description of the reason that the stream group is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamGroupStatusReason>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `ExpiresAt`: The time at which this stream group expires.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// `AssociatedApplications`: A set of applications that this stream group is associated to.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_applications: Option<Vec<String>>,
}

/// The input (request) of `ListStreamGroups` (`GET /streamgroups`): see
/// [`Operation::ListStreamGroups`](crate::api::Operation::ListStreamGroups).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamGroupsInput {
    /// `NextToken` (query string `NextToken`): A token that marks the start of the next set of
    /// results.
    #[serde(skip)]
    pub next_token: Option<String>,
    /// `MaxResults` (query string `MaxResults`): The number of results to return.
    #[serde(skip)]
    pub max_results: Option<i32>,
}

/// The output (response) of `ListStreamGroups` (`GET /streamgroups`): see
/// [`Operation::ListStreamGroups`](crate::api::Operation::ListStreamGroups).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamGroupsOutput {
    /// `Items`: A collection of Amazon GameLift Streams stream groups that are associated with the
    /// Amazon Web Services account in use.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub items: Option<Vec<StreamGroupSummary>>,
    /// `NextToken`: A token that marks the start of the next sequential page of results.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub next_token: Option<String>,
}

/// The input (request) of `UpdateStreamGroup` (`PATCH /streamgroups/{Identifier}`): see
/// [`Operation::UpdateStreamGroup`](crate::api::Operation::UpdateStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateStreamGroupInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the stream group resource.
    #[serde(skip)]
    pub identifier: String,
    /// `LocationConfigurations`: A set of one or more locations and the streaming capacity for each
    /// location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_configurations: Option<Vec<LocationConfiguration>>,
    /// `Description`: A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultApplicationIdentifier`: The unique identifier of the Amazon GameLift Streams
    /// application that you want to set as the default application in a stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application_identifier: Option<String>,
}

/// The output (response) of `UpdateStreamGroup` (`PATCH /streamgroups/{Identifier}`): see
/// [`Operation::UpdateStreamGroup`](crate::api::Operation::UpdateStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateStreamGroupOutput {
    /// `Arn` (required): The Amazon Resource Name (ARN) that is assigned to the stream group
    /// resource and that uniquely identifies the group across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Description`: A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultApplication`: The default Amazon GameLift Streams application that is associated
    /// with this stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application: Option<DefaultApplication>,
    /// `LocationStates`: This value is set of locations, including their name, current status, and
    /// capacities.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_states: Option<Vec<LocationState>>,
    /// `StreamClass`: The target stream quality for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_class: Option<StreamClass>,
    /// `Id`: A unique ID value that is assigned to the resource when it's created.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Status`: The current status of the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamGroupStatus>,
    /// `StatusReason`: A short description of the reason that the stream group is in `ERROR`
    /// status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamGroupStatusReason>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `ExpiresAt`: The time at which this stream group expires.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub expires_at: Option<DateTime<Utc>>,
    /// `AssociatedApplications`: A set of applications that this stream group is associated with.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub associated_applications: Option<Vec<String>>,
}

/// The input (request) of `DeleteStreamGroup` (`DELETE /streamgroups/{Identifier}`): see
/// [`Operation::DeleteStreamGroup`](crate::api::Operation::DeleteStreamGroup).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteStreamGroupInput {
    /// `Identifier` (required, path label `Identifier`): An Amazon Resource Name (ARN) or ID that
    /// uniquely identifies the stream group resource.
    #[serde(skip)]
    pub identifier: String,
}

/// The input (request) of `AddStreamGroupLocations` (`POST /streamgroups/{Identifier}/locations`):
/// see [`Operation::AddStreamGroupLocations`](crate::api::Operation::AddStreamGroupLocations).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddStreamGroupLocationsInput {
    /// `Identifier` (required, path label `Identifier`): A stream group to add the specified
    /// locations to.
    #[serde(skip)]
    pub identifier: String,
    /// `LocationConfigurations` (required): A set of one or more locations and the streaming
    /// capacity for each location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_configurations: Option<Vec<LocationConfiguration>>,
}

/// The output (response) of `AddStreamGroupLocations` (`POST
/// /streamgroups/{Identifier}/locations`): see
/// [`Operation::AddStreamGroupLocations`](crate::api::Operation::AddStreamGroupLocations).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AddStreamGroupLocationsOutput {
    /// `Identifier` (required): This value is an Amazon Resource Name (ARN) or ID that uniquely
    /// identifies the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub identifier: Option<String>,
    /// `Locations` (required): This value is set of locations, including their name, current
    /// status, and capacities.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub locations: Option<Vec<LocationState>>,
}

/// The input (request) of `RemoveStreamGroupLocations` (`DELETE
/// /streamgroups/{Identifier}/locations`): see
/// [`Operation::RemoveStreamGroupLocations`](crate::api::Operation::RemoveStreamGroupLocations).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RemoveStreamGroupLocationsInput {
    /// `Identifier` (required, path label `Identifier`): A stream group to remove the specified
    /// locations from.
    #[serde(skip)]
    pub identifier: String,
    /// `Locations` (required, query string `locations`): A set of locations to remove this stream
    /// group.
    #[serde(skip)]
    pub locations: Option<Vec<String>>,
}

/// The input (request) of `AssociateApplications` (`POST /streamgroups/{Identifier}/associations`):
/// see [`Operation::AssociateApplications`](crate::api::Operation::AssociateApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateApplicationsInput {
    /// `Identifier` (required, path label `Identifier`): A stream group to associate to the
    /// applications.
    #[serde(skip)]
    pub identifier: String,
    /// `ApplicationIdentifiers` (required): A set of applications to associate with the stream
    /// group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_identifiers: Option<Vec<String>>,
}

/// The output (response) of `AssociateApplications` (`POST
/// /streamgroups/{Identifier}/associations`): see
/// [`Operation::AssociateApplications`](crate::api::Operation::AssociateApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AssociateApplicationsOutput {
    /// `Arn`: A stream group that is associated to the applications.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `ApplicationArns`: A set of applications that are associated to the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arns: Option<Vec<String>>,
}

/// The input (request) of `DisassociateApplications` (`POST
/// /streamgroups/{Identifier}/disassociations`): see
/// [`Operation::DisassociateApplications`](crate::api::Operation::DisassociateApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisassociateApplicationsInput {
    /// `Identifier` (required, path label `Identifier`): A stream group to disassociate these
    /// applications from.
    #[serde(skip)]
    pub identifier: String,
    /// `ApplicationIdentifiers` (required): A set of applications that you want to disassociate
    /// from the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_identifiers: Option<Vec<String>>,
}

/// The output (response) of `DisassociateApplications` (`POST
/// /streamgroups/{Identifier}/disassociations`): see
/// [`Operation::DisassociateApplications`](crate::api::Operation::DisassociateApplications).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisassociateApplicationsOutput {
    /// `Arn`: An Amazon Resource Name (ARN) that uniquely identifies the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `ApplicationArns`: A set of applications that are disassociated from this stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arns: Option<Vec<String>>,
}

impl CreateStreamGroupInput {
    /// Checks every member against the model's constraints, location configurations included
    /// (see [`LocationConfiguration::validate`]).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.check(None)
    }

    /// [`validate`](Self::validate), plus the documented rule that capacity values are whole
    /// multiples of the [tenancy](StreamClass::tenancy) of the input's `StreamClass`.
    pub fn validate_for_tenancy(&self) -> Result<(), ValidationError> {
        self.check(self.stream_class)
    }

    fn check(&self, class: Option<StreamClass>) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.required_string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        v.required("streamClass".into(), self.stream_class.as_ref());
        v.string(
            "defaultApplicationIdentifier".into(),
            self.default_application_identifier.as_deref(),
            &IDENTIFIER,
        );
        check_location_configurations(
            &mut v,
            "locationConfigurations".into(),
            self.location_configurations.as_ref(),
            class,
        );
        v.string_map(
            "tags".into(),
            self.tags.as_ref(),
            TAGS,
            &TAG_KEY,
            &TAG_VALUE,
        );
        v.string(
            "clientToken".into(),
            self.client_token.as_deref(),
            &CLIENT_TOKEN,
        );
        v.finish()
    }
}

impl GetStreamGroupInput {
    /// Checks the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}

impl ListStreamGroupsInput {
    /// Checks `MaxResults` (1–100); `NextToken` is unconstrained.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        v.int("maxResults".into(), self.max_results, MAX_RESULTS);
        v.finish()
    }
}

impl UpdateStreamGroupInput {
    /// Checks every member against the model's constraints, location configurations included
    /// (see [`LocationConfiguration::validate`]).
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.check(None)
    }

    /// [`validate`](Self::validate), plus the documented rule that capacity values are whole
    /// multiples of the [tenancy](StreamClass::tenancy) of the group's stream class.
    pub fn validate_for(&self, stream_class: StreamClass) -> Result<(), ValidationError> {
        self.check(Some(stream_class))
    }

    fn check(&self, class: Option<StreamClass>) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        check_location_configurations(
            &mut v,
            "locationConfigurations".into(),
            self.location_configurations.as_ref(),
            class,
        );
        v.string(
            "description".into(),
            self.description.as_deref(),
            &DESCRIPTION,
        );
        v.string(
            "defaultApplicationIdentifier".into(),
            self.default_application_identifier.as_deref(),
            &IDENTIFIER,
        );
        v.finish()
    }
}

impl DeleteStreamGroupInput {
    /// Checks the `Identifier` path label.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        v.finish()
    }
}

impl AddStreamGroupLocationsInput {
    /// Checks the `Identifier` path label and the (required) location configurations.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.check(None)
    }

    /// [`validate`](Self::validate), plus the documented rule that capacity values are whole
    /// multiples of the [tenancy](StreamClass::tenancy) of the group's stream class.
    pub fn validate_for(&self, stream_class: StreamClass) -> Result<(), ValidationError> {
        self.check(Some(stream_class))
    }

    fn check(&self, class: Option<StreamClass>) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        let configurations = v.required(
            "locationConfigurations".into(),
            self.location_configurations.as_ref(),
        );
        check_location_configurations(
            &mut v,
            "locationConfigurations".into(),
            configurations,
            class,
        );
        v.finish()
    }
}

impl RemoveStreamGroupLocationsInput {
    /// Checks the `Identifier` path label and the (required) `locations` query list of 1–100
    /// unconstrained strings.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        IDENTIFIER.check("identifier", &self.identifier, &mut v.0);
        let locations = v.required("locations".into(), self.locations.as_ref());
        v.string_list("locations".into(), locations, LOCATIONS_LIST, None);
        v.finish()
    }
}

/// Checks the members of `AssociateApplicationsInput` and `DisassociateApplicationsInput`.
fn check_associations(
    identifier: &str,
    applications: Option<&Vec<String>>,
) -> Result<(), ValidationError> {
    let mut v = Violations::default();
    IDENTIFIER.check("identifier", identifier, &mut v.0);
    let applications = v.required("applicationIdentifiers".into(), applications);
    v.string_list(
        "applicationIdentifiers".into(),
        applications,
        IDENTIFIERS,
        Some(&IDENTIFIER),
    );
    v.finish()
}

impl AssociateApplicationsInput {
    /// Checks the `Identifier` path label and the (required) 1–50 application identifiers.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_associations(&self.identifier, self.application_identifiers.as_ref())
    }
}

impl DisassociateApplicationsInput {
    /// Checks the `Identifier` path label and the (required) 1–50 application identifiers.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_associations(&self.identifier, self.application_identifiers.as_ref())
    }
}
