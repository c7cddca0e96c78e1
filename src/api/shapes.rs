//! The nested structures of the stream session, stream group and application operations, and
//! the validation of those that appear in inputs.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::check::{
    CAPACITY, IPV4_CIDR_BLOCK, IPV4_CIDR_BLOCK_LIST, LOCATION_CONFIGURATIONS, RESOLUTION,
    RUNTIME_ENVIRONMENT_VERSION, StructText, VPC_ID, Violations, at, item,
};
use super::enums::{
    ApplicationStatus, ExportFilesStatus, Protocol, ReplicationStatusType, RuntimeEnvironmentType,
    StreamClass, StreamGroupLocationStatus, StreamGroupStatus, StreamSessionStatus,
    StreamSessionStatusReason,
};
use super::epoch;
use super::sensitive::SensitiveString;
use crate::ValidationError;
use crate::validate::LOCATION_NAME;

/// Configuration settings that define a stream group's stream capacity for a location.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocationConfiguration {
    /// `LocationName` (required): A location's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_name: Option<String>,
    /// `AlwaysOnCapacity`: This setting, if non-zero, indicates minimum streaming capacity which is
    /// allocated to you and is never released back to the service.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub always_on_capacity: Option<i32>,
    /// `OnDemandCapacity` (deprecated since 2025-12-17: use `MaximumCapacity` instead): The
    /// streaming capacity that can be allocated in response to stream requests and de-allocated
    /// when the session has terminated. It cannot be used with `MaximumCapacity` or
    /// `TargetIdleCapacity` in the same location configuration.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub on_demand_capacity: Option<i32>,
    /// `TargetIdleCapacity`: This indicates idle capacity which the service pre-allocates and holds
    /// for you in anticipation of future activity.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target_idle_capacity: Option<i32>,
    /// `MaximumCapacity`: This indicates the maximum capacity that the service can allocate for
    /// you.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maximum_capacity: Option<i32>,
    /// `VpcTransitConfiguration`: Configuration for connecting the stream group to resources in
    /// your Amazon VPC using AWS Transit Gateway.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vpc_transit_configuration: Option<VpcTransitConfiguration>,
}

/// Configuration for connecting a stream group location to resources in your Amazon VPC using AWS
/// Transit Gateway.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcTransitConfiguration {
    /// `VpcId` (required): The ID of the Amazon VPC that you want to connect to the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vpc_id: Option<String>,
    /// `Ipv4CidrBlocks` (required): A list of IPv4 CIDR blocks in your VPC that you want the stream
    /// group to be able to access.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ipv4_cidr_blocks: Option<Vec<String>>,
}

/// Configuration settings that identify the operating system for an application resource.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RuntimeEnvironment {
    /// `Type` (required): The operating system and other drivers.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub r#type: Option<RuntimeEnvironmentType>,
    /// `Version` (required): Versioned container environment for the application operating system.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<String>,
}

/// The virtual monitor settings for a stream session, including the resolution.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DisplayConfiguration {
    /// `Resolution`: The resolution to apply to the stream session's virtual monitor.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub resolution: Option<Resolution>,
}

/// Contains the width and height dimensions, in pixels, that define the resolution of the stream
/// session's virtual monitor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Resolution {
    /// `Width` (required): The width of the stream session's virtual monitor, in pixels.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub width: Option<i32>,
    /// `Height` (required): The height of the stream session's virtual monitor, in pixels.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub height: Option<i32>,
}

/// Configuration settings for sharing the stream session's performance stats with the client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PerformanceStatsConfiguration {
    /// `SharedWithClient`: Performance stats for the session are streamed to the client when set to
    /// `true`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub shared_with_client: Option<bool>,
}

/// Represents a location and its corresponding stream capacity and status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LocationState {
    /// `LocationName`: A location's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location_name: Option<String>,
    /// `Status`: This value is set of locations, including their name, current status, and
    /// capacities.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamGroupLocationStatus>,
    /// `AlwaysOnCapacity`: This setting, if non-zero, indicates minimum streaming capacity which is
    /// allocated to you and is never released back to the service.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub always_on_capacity: Option<i32>,
    /// `OnDemandCapacity`: The streaming capacity that Amazon GameLift Streams can allocate in
    /// response to stream requests, and then de-allocate when the session has terminated.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub on_demand_capacity: Option<i32>,
    /// `TargetIdleCapacity`: This indicates idle capacity which the service pre-allocates and holds
    /// for you in anticipation of future activity.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub target_idle_capacity: Option<i32>,
    /// `MaximumCapacity`: This indicates the maximum capacity that the service can allocate for
    /// you.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub maximum_capacity: Option<i32>,
    /// `RequestedCapacity`: This value is the always-on capacity that you most recently requested
    /// for a stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub requested_capacity: Option<i32>,
    /// `AllocatedCapacity`: This value is the stream capacity that Amazon GameLift Streams has
    /// provisioned in a stream group that can respond immediately to stream requests.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub allocated_capacity: Option<i32>,
    /// `IdleCapacity`: This value is the amount of allocated capacity that is not currently
    /// streaming.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub idle_capacity: Option<i32>,
    /// `InternalVpcIpv4CidrBlock`: The CIDR block of the service VPC for this location.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub internal_vpc_ipv4_cidr_block: Option<String>,
    /// `VpcTransitConfiguration`: The VPC transit configuration for this location, including the
    /// Transit Gateway details needed to complete the VPC attachment setup.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vpc_transit_configuration: Option<VpcTransitConfigurationResponse>,
}

/// The VPC transit configuration details for a stream group location, including the Transit Gateway
/// information needed to complete the VPC attachment setup.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VpcTransitConfigurationResponse {
    /// `VpcId`: The ID of the Amazon VPC that is connected to the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub vpc_id: Option<String>,
    /// `Ipv4CidrBlocks`: The IPv4 CIDR blocks in your VPC that the stream group can access.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ipv4_cidr_blocks: Option<Vec<String>>,
    /// `TransitGatewayId`: The ID of the Transit Gateway that Amazon GameLift Streams created for
    /// this VPC connection.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transit_gateway_id: Option<String>,
    /// `TransitGatewayResourceShareArn`: The ARN of the AWS Resource Access Manager resource share
    /// for the Transit Gateway.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub transit_gateway_resource_share_arn: Option<String>,
}

/// Represents the default Amazon GameLift Streams application that a stream group hosts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DefaultApplication {
    /// `Id`: An ID that uniquely identifies the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Arn`: An Amazon Resource Name (ARN) that uniquely identifies the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
}

/// Represents the status of the replication of an application to a location.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ReplicationStatus {
    /// `Location`: A location's name.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    /// `Status`: The current status of the replication process.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ReplicationStatusType>,
}

/// Provides details about the stream session's exported files.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ExportFilesMetadata {
    /// `Status`: The result of the ExportStreamSessionFiles operation.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ExportFilesStatus>,
    /// `StatusReason`: A short description of the reason the export is in `FAILED` status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<String>,
    /// `OutputUri`: The S3 bucket URI where Amazon GameLift Streams uploaded the set of compressed
    /// exported files for a stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub output_uri: Option<String>,
}

/// Describes an Amazon GameLift Streams stream session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamSessionSummary {
    /// `Arn`: An Amazon Resource Name (ARN) that uniquely identifies the stream session resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `UserId`: An opaque, unique identifier for an end-user, defined by the developer.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub user_id: Option<String>,
    /// `Status`: The current status of the stream session resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamSessionStatus>,
    /// `StatusReason`: A short description of the reason the stream session is in `ERROR` status or
    /// `TERMINATED` status.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status_reason: Option<StreamSessionStatusReason>,
    /// `Protocol`: The data transfer protocol in use with the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub protocol: Option<Protocol>,
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
    /// `ApplicationArn`: An Amazon Resource Name (ARN) that uniquely identifies the application
    /// resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub application_arn: Option<String>,
    /// `ExportFilesMetadata`: Provides details about the stream session's exported files.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub export_files_metadata: Option<ExportFilesMetadata>,
    /// `Location`: The location where Amazon GameLift Streams hosts and streams your application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub location: Option<String>,
    /// `RoleArn`: The ARN of the AWS Identity and Access Management (IAM) role that Amazon GameLift
    /// Streams assumes on behalf of your application during the stream session.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub role_arn: Option<SensitiveString>,
}

/// Describes a Amazon GameLift Streams stream group resource for hosting content streams.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamGroupSummary {
    /// `Arn` (required): An Amazon Resource Name (ARN) that uniquely identifies the stream group
    /// resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Id`: An ID that uniquely identifies the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Description`: A descriptive label for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `DefaultApplication`: Object that identifies the Amazon GameLift Streams application to
    /// stream with this stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub default_application: Option<DefaultApplication>,
    /// `StreamClass`: The target stream quality for the stream group.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stream_class: Option<StreamClass>,
    /// `Status`: The current status of the stream group resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<StreamGroupStatus>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `ExpiresAt`: The time at which this stream group expires.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Describes an application resource that represents a collection of content for streaming with
/// Amazon GameLift Streams.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ApplicationSummary {
    /// `Arn` (required): An Amazon Resource Name (ARN) that's assigned to an application resource
    /// and uniquely identifies the application across all Amazon Web Services Regions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arn: Option<String>,
    /// `Id`: An ID that uniquely identifies the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<String>,
    /// `Description`: A human-readable label for the application.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `Status`: The current status of the application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub status: Option<ApplicationStatus>,
    /// `CreatedAt`: A timestamp that indicates when this resource was created.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub created_at: Option<DateTime<Utc>>,
    /// `LastUpdatedAt`: A timestamp that indicates when this resource was last updated.
    #[serde(
        with = "epoch::option",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub last_updated_at: Option<DateTime<Utc>>,
    /// `RuntimeEnvironment`: Configuration settings that identify the operating system for an
    /// application resource.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub runtime_environment: Option<RuntimeEnvironment>,
}

/// The documented rule of `LocationConfiguration.OnDemandCapacity`.
const ON_DEMAND_CAPACITY_RULE: &str = "Member cannot be used with MaximumCapacity or \
    TargetIdleCapacity in the same location configuration";

/// The documented rule of `Resolution.Width` and `Resolution.Height`.
const EVEN_RULE: &str = "Member must be an even number";

/// The documented rule of `Resolution`.
const PIXELS_RULE: &str = "The total number of pixels (width × height) must not exceed \
    2,073,600 (equivalent to 1920 × 1080)";

impl LocationConfiguration {
    /// Checks this configuration against the model's constraints and the documented rule that
    /// `OnDemandCapacity` cannot be used with `MaximumCapacity` or `TargetIdleCapacity`. Member
    /// paths are relative to the configuration (`locationName`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v, None);
        v.finish()
    }

    /// [`validate`](Self::validate), plus the documented rule that capacity values are whole
    /// multiples of the [tenancy](StreamClass::tenancy) of the stream group's stream class
    /// (what `UpdateStreamGroup` and `AddStreamGroupLocations` need, given the group's class).
    pub fn validate_for(&self, stream_class: StreamClass) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v, Some(stream_class));
        v.finish()
    }

    pub(crate) fn check(&self, prefix: &str, v: &mut Violations, class: Option<StreamClass>) {
        v.required_string(
            at(prefix, "locationName"),
            self.location_name.as_deref(),
            &LOCATION_NAME,
        );
        let capacity = |v: &mut Violations, member: &'static str, value: Option<i32>| {
            let path = at(prefix, member);
            v.int(path.clone(), value, CAPACITY);
            if let (Some(value), Some(class)) = (value, class) {
                let tenancy = class.tenancy();
                // A negative value already fails the minimum.
                if value > 0 && value.unsigned_abs() % tenancy != 0 {
                    v.rule(
                        path,
                        value,
                        format!(
                            "Member must be a whole number multiple of the tenancy ({tenancy}) \
                             of stream class {class}"
                        ),
                    );
                }
            }
        };
        capacity(v, "alwaysOnCapacity", self.always_on_capacity);
        capacity(v, "onDemandCapacity", self.on_demand_capacity);
        if let Some(on_demand) = self.on_demand_capacity {
            if self.maximum_capacity.is_some() || self.target_idle_capacity.is_some() {
                v.rule(
                    at(prefix, "onDemandCapacity"),
                    on_demand,
                    ON_DEMAND_CAPACITY_RULE,
                );
            }
        }
        capacity(v, "targetIdleCapacity", self.target_idle_capacity);
        capacity(v, "maximumCapacity", self.maximum_capacity);
        if let Some(vpc) = &self.vpc_transit_configuration {
            vpc.check(&at(prefix, "vpcTransitConfiguration"), v);
        }
    }

    /// The configuration as a validation message shows it.
    pub(crate) fn text(&self) -> String {
        StructText::new("LocationConfiguration")
            .field("LocationName", self.location_name.as_deref())
            .field("AlwaysOnCapacity", self.always_on_capacity)
            .field("OnDemandCapacity", self.on_demand_capacity)
            .field("TargetIdleCapacity", self.target_idle_capacity)
            .field("MaximumCapacity", self.maximum_capacity)
            .field(
                "VpcTransitConfiguration",
                self.vpc_transit_configuration.as_ref().map(|c| c.text()),
            )
            .finish()
    }
}

/// Checks a `LocationConfigurations` list (1–100 items) and each of its items
/// (`<path>.<i>.member.<field>`), capacities against the tenancy of `class` when known.
pub(crate) fn check_location_configurations(
    v: &mut Violations,
    path: Cow<'static, str>,
    list: Option<&Vec<LocationConfiguration>>,
    class: Option<StreamClass>,
) {
    let Some(list) = list else { return };
    v.count(&path, list.len(), LOCATION_CONFIGURATIONS, || {
        let items: Vec<String> = list.iter().map(LocationConfiguration::text).collect();
        super::check::list_text(&items)
    });
    for (i, configuration) in list.iter().enumerate() {
        configuration.check(&item(&path, i), v, class);
    }
}

impl VpcTransitConfiguration {
    /// Checks this configuration against the model's constraints. Member paths are relative to
    /// the configuration (`vpcId`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v);
        v.finish()
    }

    pub(crate) fn check(&self, prefix: &str, v: &mut Violations) {
        v.required_string(at(prefix, "vpcId"), self.vpc_id.as_deref(), &VPC_ID);
        let path = at(prefix, "ipv4CidrBlocks");
        if v.required(path.clone(), self.ipv4_cidr_blocks.as_ref())
            .is_some()
        {
            v.string_list(
                path,
                self.ipv4_cidr_blocks.as_ref(),
                IPV4_CIDR_BLOCK_LIST,
                Some(&IPV4_CIDR_BLOCK),
            );
        }
    }

    fn text(&self) -> String {
        StructText::new("VpcTransitConfiguration")
            .field("VpcId", self.vpc_id.as_deref())
            .field(
                "Ipv4CidrBlocks",
                self.ipv4_cidr_blocks
                    .as_deref()
                    .map(super::check::list_text),
            )
            .finish()
    }
}

impl RuntimeEnvironment {
    /// Checks this runtime environment against the model's constraints. Member paths are
    /// relative to it (`type`, `version`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v);
        v.finish()
    }

    pub(crate) fn check(&self, prefix: &str, v: &mut Violations) {
        v.required(at(prefix, "type"), self.r#type.as_ref());
        v.required_string(
            at(prefix, "version"),
            self.version.as_deref(),
            &RUNTIME_ENVIRONMENT_VERSION,
        );
    }
}

impl DisplayConfiguration {
    /// Checks this display configuration against the model's constraints and the documented
    /// rules of its resolution. Member paths are relative to it (`resolution.width`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v);
        v.finish()
    }

    pub(crate) fn check(&self, prefix: &str, v: &mut Violations) {
        if let Some(resolution) = &self.resolution {
            resolution.check(&at(prefix, "resolution"), v);
        }
    }
}

impl Resolution {
    /// The largest number of pixels (width × height) the model's documentation allows.
    pub const MAX_PIXELS: i64 = 1920 * 1080;

    /// Checks this resolution against the model's constraints (320–4096 each) and its
    /// documented rules: even values, at most [`MAX_PIXELS`](Self::MAX_PIXELS) pixels. Member
    /// paths are relative to it (`width`).
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut v = Violations::default();
        self.check("", &mut v);
        v.finish()
    }

    pub(crate) fn check(&self, prefix: &str, v: &mut Violations) {
        for (member, value) in [("width", self.width), ("height", self.height)] {
            let path = at(prefix, member);
            if let Some(value) = v.required(path.clone(), value.as_ref()).copied() {
                v.int(path.clone(), Some(value), RESOLUTION);
                if value % 2 != 0 {
                    v.rule(path, value, EVEN_RULE);
                }
            }
        }
        if let (Some(width), Some(height)) = (self.width, self.height) {
            if i64::from(width) * i64::from(height) > Self::MAX_PIXELS {
                let shown = StructText::new("Resolution")
                    .field("Width", Some(width))
                    .field("Height", Some(height))
                    .finish();
                let path = if prefix.is_empty() {
                    Cow::Borrowed("resolution")
                } else {
                    Cow::Owned(prefix.to_owned())
                };
                v.rule(path, shown, PIXELS_RULE);
            }
        }
    }
}
