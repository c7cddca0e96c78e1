//! The engine's configuration: every default the AWS documentation leaves open is here, named,
//! documented and changeable.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use super::guard::{FaultRule, Throttling};
use crate::SessionLengthOrigin;

/// How long each asynchronous step takes. **(decision)** Every delay defaults to 0 s: the step
/// completes at the engine's next `advance(now)` — the next request, even at the same instant —
/// so a Create response shows the first status and the next Get the settled one, while a test
/// that sets a delay can observe every intermediate status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase", deny_unknown_fields)]
pub struct Delays {
    /// Application `INITIALIZED` → `PROCESSING`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub application_processing: TimeDelta,
    /// Application `PROCESSING` → `READY`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub application_ready: TimeDelta,
    /// Application `DELETING` → gone.
    #[serde(with = "crate::time::serde_time_delta")]
    pub application_deletion: TimeDelta,
    /// Replication of an application to a stream group's location: `REPLICATING` → `COMPLETED`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub replication: TimeDelta,
    /// Stream group `ACTIVATING` → `ACTIVE` (and its initial locations).
    #[serde(with = "crate::time::serde_time_delta")]
    pub stream_group_activation: TimeDelta,
    /// A location added later: `ACTIVATING` → `ACTIVE`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub location_activation: TimeDelta,
    /// A location being removed: `REMOVING` → gone.
    #[serde(with = "crate::time::serde_time_delta")]
    pub location_removal: TimeDelta,
    /// Stream group `DELETING` → gone.
    #[serde(with = "crate::time::serde_time_delta")]
    pub stream_group_deletion: TimeDelta,
    /// From finding a free slot to the session being `ACTIVE`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub placement: TimeDelta,
    /// `RECONNECTING` → `ACTIVE` after `CreateStreamSessionConnection`.
    #[serde(with = "crate::time::serde_time_delta")]
    pub reconnection: TimeDelta,
    /// From a stream session's end to its exported files being uploaded (`PENDING` →
    /// `SUCCEEDED` or `FAILED`).
    #[serde(with = "crate::time::serde_time_delta")]
    pub export_upload: TimeDelta,
}

impl Default for Delays {
    fn default() -> Self {
        let zero = TimeDelta::zero();
        Self {
            application_processing: zero,
            application_ready: zero,
            application_deletion: zero,
            replication: zero,
            stream_group_activation: zero,
            location_activation: zero,
            location_removal: zero,
            stream_group_deletion: zero,
            placement: zero,
            reconnection: zero,
            export_upload: zero,
        }
    }
}

/// The placement timeouts the service documents, by capacity type and platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase", deny_unknown_fields)]
pub struct PlacementTimeouts {
    /// Always-on capacity: 75 s.
    #[serde(with = "crate::time::serde_time_delta")]
    pub always_on: TimeDelta,
    /// On-demand capacity, Linux or Proton runtime: 90 s.
    #[serde(with = "crate::time::serde_time_delta")]
    pub on_demand_linux: TimeDelta,
    /// On-demand capacity, Windows runtime: 10 minutes.
    #[serde(with = "crate::time::serde_time_delta")]
    pub on_demand_windows: TimeDelta,
}

impl Default for PlacementTimeouts {
    fn default() -> Self {
        Self {
            always_on: crate::SessionConfig::PLACEMENT_TIMEOUT_ALWAYS_ON,
            on_demand_linux: crate::SessionConfig::PLACEMENT_TIMEOUT_ON_DEMAND_LINUX,
            on_demand_windows: crate::SessionConfig::PLACEMENT_TIMEOUT_ON_DEMAND_WINDOWS,
        }
    }
}

/// What the engine does with signal requests that are not WebRTC offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignalPolicy {
    /// Accept any non-empty signal request (the default).
    #[default]
    Lenient,
    /// Accept only what the responder accepts (by default: `NO_CLIENT_CONNECTION` or a JSON
    /// object with `"type": "offer"`). Otherwise the session ends in
    /// `ERROR(invalidSignalRequest)` at placement, or at the reconnection step.
    Strict,
}

/// Which stream-group statuses allow `StartStreamSession`. **(decision)** `ACTIVE` only, as the
/// documentation says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StartPolicy {
    /// `ACTIVE` only.
    #[default]
    ActiveOnly,
    /// `ACTIVE` or `ACTIVE_WITH_ERRORS` (placement then skips locations in `ERROR`).
    AllowActiveWithErrors,
}

/// Limits that answer `ServiceQuotaExceededException`. **(decision)** The service's quotas are
/// account-specific; these defaults are generous so that tests do not hit them by accident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase", deny_unknown_fields)]
pub struct Quotas {
    /// Applications per account.
    pub applications_per_account: u32,
    /// Stream groups per account.
    pub stream_groups_per_account: u32,
    /// Stream capacity (always-on + maximum) of one location.
    pub capacity_per_location: u32,
    /// `ACTIVE` stream URLs per account.
    pub active_stream_urls_per_account: u32,
    /// The most `UrlExpiresAfterMinutes` may be (the model points at the quotas page; 7 days).
    pub stream_url_expiry_minutes: u32,
    /// The most `UsageLimit` may be.
    pub stream_url_usage_limit: u32,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            applications_per_account: 1000,
            stream_groups_per_account: 1000,
            capacity_per_location: 100_000,
            active_stream_urls_per_account: 1000,
            stream_url_expiry_minutes: 10_080,
            stream_url_usage_limit: 1000,
        }
    }
}

/// The engine's configuration. `Default` is the documented service behaviour with every
/// asynchronous step settling at the next request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "PascalCase", deny_unknown_fields)]
pub struct EngineConfig {
    /// The region the engine serves (ARNs name it; other regions' ARNs are not found).
    pub region: String,
    /// The seed of the ID generator (and of anything else pseudo-random).
    pub seed: u64,
    /// Delays of the asynchronous steps.
    pub delays: Delays,
    /// Placement timeouts by capacity type.
    pub placement_timeouts: PlacementTimeouts,
    /// How long `CONNECTED` may go without user input.
    #[serde(with = "crate::time::serde_time_delta")]
    pub idle_timeout: TimeDelta,
    /// How long `TERMINATING` lasts.
    #[serde(with = "crate::time::serde_time_delta")]
    pub termination_delay: TimeDelta,
    /// Where the maximum session length is counted from.
    pub session_length_origin: SessionLengthOrigin,
    /// How long `TERMINATED` and `ERROR` sessions stay visible. **(decision)** 24 h.
    #[serde(with = "crate::time::serde_time_delta")]
    pub retention: TimeDelta,
    /// How long a `NextToken` stays valid. **(decision)** 24 h.
    #[serde(with = "crate::time::serde_time_delta")]
    pub next_token_lifetime: TimeDelta,
    /// A stream group's lifetime until `EXPIRED`: 365 days.
    #[serde(with = "crate::time::serde_time_delta")]
    pub stream_group_lifetime: TimeDelta,
    /// Age after which a stream group takes no new application associations: 180 days.
    #[serde(with = "crate::time::serde_time_delta")]
    pub association_cutoff: TimeDelta,
    /// Which group statuses allow `StartStreamSession`.
    pub start_policy: StartPolicy,
    /// What to do with signal requests that are not offers.
    pub signal_policy: SignalPolicy,
    /// Whether capacities must be whole multiples of the stream class's tenancy, as the
    /// documentation says (`ValidationException` otherwise).
    pub enforce_tenancy_multiples: bool,
    /// The maximum capacity given to the primary location when `CreateStreamGroup` configures
    /// none. **(decision)** 10 sessions' worth, rounded up to the stream class's tenancy.
    pub default_maximum_capacity: u32,
    /// Quotas.
    pub quotas: Quotas,
    /// How long a `ClientToken` is remembered. **(decision)** 24 h.
    #[serde(with = "crate::time::serde_time_delta")]
    pub client_token_lifetime: TimeDelta,
    /// Throttling at the published rates (off by default).
    pub throttling: Throttling,
    /// Fault rules: calls that fail on purpose (none by default).
    pub faults: Vec<FaultRule>,
    /// When set, every file export requested from then on fails with this reason once its
    /// upload would finish (`ExportFilesMetadata.StatusReason`, 1–1024 characters).
    pub export_failure: Option<String>,
    /// Where the `StreamUrl` of a stream URL points: `{StreamUrlBase}/{StreamUrlId}/stream?token=…`.
    /// **(decision)** `https://gameliftstreams.aws.com`, the developer guide's form; the mock
    /// server points it at itself.
    pub stream_url_base: String,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            region: "us-west-2".into(),
            seed: 0,
            delays: Delays::default(),
            placement_timeouts: PlacementTimeouts::default(),
            idle_timeout: crate::SessionConfig::DEFAULT_IDLE_TIMEOUT,
            termination_delay: TimeDelta::zero(),
            session_length_origin: SessionLengthOrigin::ApplicationStart,
            retention: TimeDelta::hours(24),
            next_token_lifetime: TimeDelta::hours(24),
            stream_group_lifetime: TimeDelta::days(365),
            association_cutoff: TimeDelta::days(180),
            start_policy: StartPolicy::ActiveOnly,
            signal_policy: SignalPolicy::Lenient,
            enforce_tenancy_multiples: true,
            default_maximum_capacity: 10,
            quotas: Quotas::default(),
            client_token_lifetime: TimeDelta::hours(24),
            throttling: Throttling::default(),
            faults: Vec::new(),
            export_failure: None,
            stream_url_base: "https://gameliftstreams.aws.com".into(),
        }
    }
}

impl EngineConfig {
    /// Checks the values no type can rule out: no negative durations, a region that is a
    /// `LocationName`, a default capacity of at least 1.
    pub fn validate(&self) -> Result<(), crate::ValidationError> {
        use crate::error::{Constraint, Violation};
        let mut violations = Vec::new();
        let d = &self.delays;
        let p = &self.placement_timeouts;
        let durations = [
            ("Delays.ApplicationProcessing", d.application_processing),
            ("Delays.ApplicationReady", d.application_ready),
            ("Delays.ApplicationDeletion", d.application_deletion),
            ("Delays.Replication", d.replication),
            ("Delays.StreamGroupActivation", d.stream_group_activation),
            ("Delays.LocationActivation", d.location_activation),
            ("Delays.LocationRemoval", d.location_removal),
            ("Delays.StreamGroupDeletion", d.stream_group_deletion),
            ("Delays.Placement", d.placement),
            ("Delays.Reconnection", d.reconnection),
            ("Delays.ExportUpload", d.export_upload),
            ("PlacementTimeouts.AlwaysOn", p.always_on),
            ("PlacementTimeouts.OnDemandLinux", p.on_demand_linux),
            ("PlacementTimeouts.OnDemandWindows", p.on_demand_windows),
            ("IdleTimeout", self.idle_timeout),
            ("TerminationDelay", self.termination_delay),
            ("Retention", self.retention),
            ("NextTokenLifetime", self.next_token_lifetime),
            ("StreamGroupLifetime", self.stream_group_lifetime),
            ("AssociationCutoff", self.association_cutoff),
            ("ClientTokenLifetime", self.client_token_lifetime),
        ];
        for (member, value) in durations {
            crate::config::check_duration(member, value, &mut violations);
        }
        crate::validate::LOCATION_NAME.check("Region", &self.region, &mut violations);
        for (i, rule) in self.faults.iter().enumerate() {
            rule.validate(i, &mut violations);
        }
        if self.default_maximum_capacity == 0 {
            violations.push(Violation::new(
                "DefaultMaximumCapacity",
                0,
                Constraint::Min(1),
            ));
        }
        if let Some(reason) = &self.export_failure {
            if reason.is_empty() {
                violations.push(Violation::new(
                    "ExportFailure",
                    reason,
                    Constraint::MinLength(1),
                ));
            } else if reason.len() > 1024 {
                violations.push(Violation::new(
                    "ExportFailure",
                    "(too long)",
                    Constraint::MaxLength(1024),
                ));
            }
        }
        let base = self.stream_url_base.as_str();
        let scheme = base
            .strip_prefix("https://")
            .or(base.strip_prefix("http://"));
        if scheme.is_none_or(|rest| rest.is_empty() || rest.contains(['?', '#', ' ']))
            || base.ends_with('/')
            || base.len() > 1024
        {
            violations.push(Violation::new(
                "StreamUrlBase",
                base,
                Constraint::Rule(
                    "Member must be an http:// or https:// URL of at most 1024 characters, \
                     without a query, a fragment or a trailing /"
                        .into(),
                ),
            ));
        }
        crate::ValidationError::check(violations)
    }
}
