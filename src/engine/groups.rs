//! Stream groups in the engine: their lifecycle (`ACTIVATING` → `ACTIVE`, locations coming and
//! going, `DELETING`, `EXPIRED`), capacity per location, application associations, and the API
//! operations on them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ledger::{Recorded, fingerprint};
use super::listing::{Page, page};
use super::table::SessionList;
use super::{ApiError, Change, Engine, Task, max_results};
use crate::api::{
    AddStreamGroupLocationsInput, AddStreamGroupLocationsOutput, ApplicationStatus,
    AssociateApplicationsInput, AssociateApplicationsOutput, CreateStreamGroupInput,
    CreateStreamGroupOutput, DefaultApplication, DeleteStreamGroupInput,
    DisassociateApplicationsInput, DisassociateApplicationsOutput, GetStreamGroupInput,
    GetStreamGroupOutput, ListStreamGroupsInput, ListStreamGroupsOutput, LocationConfiguration,
    LocationState, Operation, RemoveStreamGroupLocationsInput, StreamClass,
    StreamGroupLocationStatus, StreamGroupStatus, StreamGroupStatusReason, StreamGroupSummary,
    UpdateStreamGroupInput, UpdateStreamGroupOutput, VpcTransitConfiguration,
    VpcTransitConfigurationResponse,
};
use crate::arn::{AccountId, ResourceId, ResourceType, application_arn, stream_group_arn};
use crate::engine::token::Cursor;
use crate::time::deadline_after;

/// One stream group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct GroupRecord {
    pub(crate) seq: u64,
    pub(crate) id: ResourceId,
    pub(crate) account: AccountId,
    pub(crate) description: Option<String>,
    pub(crate) stream_class: StreamClass,
    pub(crate) default_application: Option<ResourceId>,
    /// Associated applications, in association order.
    pub(crate) associated: Vec<ResourceId>,
    /// The primary location first, then the others in the order they were added.
    pub(crate) locations: Vec<LocationRecord>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) last_updated_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) expires_at: DateTime<Utc>,
    /// Set while `ACTIVATING`: when it becomes `ACTIVE`.
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) activation_due: Option<DateTime<Utc>>,
    /// Set while `DELETING`: when it is gone.
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) deletion_due: Option<DateTime<Utc>>,
    pub(crate) expired: bool,
    /// Set when the group failed (`ERROR`); only ever injected.
    pub(crate) error: Option<StreamGroupStatusReason>,
    /// The status last reported (events fire when [`GroupRecord::derived_status`] differs).
    pub(crate) status: StreamGroupStatus,
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) due: Option<DateTime<Utc>>,
    /// Its sessions (derived from the sessions; rebuilt on restore).
    #[serde(skip)]
    pub(crate) sessions: SessionList,
    /// Its sessions waiting for capacity, in arrival order (derived).
    #[serde(skip)]
    pub(crate) waiting: BTreeSet<u64>,
    /// Its sessions' ARNs up to the session ID (derived): a session's ARN, built for every
    /// event and answer, is this and 13 characters.
    #[serde(skip)]
    pub(crate) session_arn_prefix: Box<str>,
}

/// One location of a stream group, with its capacity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct LocationRecord {
    pub(crate) name: String,
    pub(crate) status: StreamGroupLocationStatus,
    /// When it leaves `ACTIVATING` or `REMOVING`.
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) due: Option<DateTime<Utc>>,
    pub(crate) always_on: u32,
    pub(crate) on_demand: u32,
    pub(crate) target_idle: u32,
    pub(crate) maximum: Option<u32>,
    /// Slots held by sessions, from placement until they end.
    pub(crate) in_use: u32,
    pub(crate) vpc: Option<VpcTransitConfiguration>,
}

impl LocationRecord {
    /// How many sessions can run here at once.
    pub(crate) fn capacity(&self) -> u32 {
        self.maximum
            .unwrap_or(self.always_on.saturating_add(self.on_demand))
            .max(self.always_on)
    }

    /// Whether a new session can be placed here now.
    pub(crate) fn can_host(&self) -> bool {
        self.status == StreamGroupLocationStatus::Active && self.in_use < self.capacity()
    }

    fn state(&self) -> LocationState {
        let capacity = self.capacity();
        let requested = self
            .always_on
            .max(self.in_use.saturating_add(self.target_idle))
            .min(capacity.max(self.in_use));
        let allocated = if self.status == StreamGroupLocationStatus::Active {
            requested.max(self.in_use)
        } else {
            0
        };
        let int = |n: u32| Some(i32::try_from(n).unwrap_or(i32::MAX));
        LocationState {
            location_name: Some(self.name.clone()),
            status: Some(self.status),
            always_on_capacity: int(self.always_on),
            on_demand_capacity: int(self.on_demand),
            target_idle_capacity: int(self.target_idle),
            maximum_capacity: int(self.maximum.unwrap_or(capacity)),
            requested_capacity: int(requested),
            allocated_capacity: int(allocated),
            idle_capacity: int(allocated.saturating_sub(self.in_use)),
            internal_vpc_ipv4_cidr_block: None,
            vpc_transit_configuration: self.vpc.as_ref().map(|v| VpcTransitConfigurationResponse {
                vpc_id: v.vpc_id.clone(),
                ipv4_cidr_blocks: v.ipv4_cidr_blocks.clone(),
                transit_gateway_id: None,
                transit_gateway_resource_share_arn: None,
            }),
        }
    }
}

impl GroupRecord {
    /// Whether `self` and `other` hold the same state, as a snapshot records it: every member
    /// but the derived ones (its session lists and ARN prefix, rebuilt on restore).
    pub(crate) fn same_state(&self, other: &GroupRecord) -> bool {
        // Destructured, so that a new member must be placed on one side or the other.
        let GroupRecord {
            seq,
            id,
            account,
            description,
            stream_class,
            default_application,
            associated,
            locations,
            tags,
            created_at,
            last_updated_at,
            expires_at,
            activation_due,
            deletion_due,
            expired,
            error,
            status,
            due,
            sessions: _,
            waiting: _,
            session_arn_prefix: _,
        } = self;
        *seq == other.seq
            && *id == other.id
            && *account == other.account
            && *description == other.description
            && *stream_class == other.stream_class
            && *default_application == other.default_application
            && *associated == other.associated
            && *locations == other.locations
            && *tags == other.tags
            && *created_at == other.created_at
            && *last_updated_at == other.last_updated_at
            && *expires_at == other.expires_at
            && *activation_due == other.activation_due
            && *deletion_due == other.deletion_due
            && *expired == other.expired
            && *error == other.error
            && *status == other.status
            && *due == other.due
    }

    pub(crate) fn location(&self, name: &str) -> Option<&LocationRecord> {
        self.locations.iter().find(|l| l.name == name)
    }

    pub(crate) fn location_mut(&mut self, name: &str) -> Option<&mut LocationRecord> {
        self.locations.iter_mut().find(|l| l.name == name)
    }

    pub(crate) fn has_free_slot(&self) -> bool {
        self.locations.iter().any(LocationRecord::can_host)
    }

    /// The status its state implies.
    pub(crate) fn derived_status(&self) -> StreamGroupStatus {
        use StreamGroupLocationStatus as L;
        if self.deletion_due.is_some() {
            StreamGroupStatus::Deleting
        } else if self.error.is_some() {
            StreamGroupStatus::Error
        } else if self.expired {
            StreamGroupStatus::Expired
        } else if self.activation_due.is_some() {
            StreamGroupStatus::Activating
        } else if self
            .locations
            .iter()
            .any(|l| matches!(l.status, L::Activating | L::Removing))
        {
            StreamGroupStatus::UpdatingLocations
        } else if self.locations.iter().any(|l| l.status == L::Error) {
            StreamGroupStatus::ActiveWithErrors
        } else {
            StreamGroupStatus::Active
        }
    }

    pub(crate) fn next_due(&self) -> Option<DateTime<Utc>> {
        let expiry = (!self.expired && self.deletion_due.is_none()).then_some(self.expires_at);
        self.locations
            .iter()
            .map(|l| l.due)
            .chain([self.activation_due, self.deletion_due, expiry])
            .flatten()
            .min()
    }

    pub(crate) fn arn(&self, region: &str) -> String {
        stream_group_arn(region, self.account, self.id.as_str())
    }
}

/// The members every stream-group output shares.
macro_rules! group_output {
    ($engine:expr, $g:expr, $out:ident) => {{
        let g: &GroupRecord = $g;
        let region = $engine.config.region.as_str();
        $out {
            arn: Some(g.arn(region)),
            description: g.description.clone(),
            default_application: g.default_application.map(|id| DefaultApplication {
                id: Some(id.to_string()),
                arn: Some(application_arn(region, g.account, id.as_str())),
            }),
            location_states: Some(g.locations.iter().map(LocationRecord::state).collect()),
            stream_class: Some(g.stream_class),
            id: Some(g.id.to_string()),
            status: Some(g.status),
            status_reason: g.error,
            last_updated_at: Some(g.last_updated_at),
            created_at: Some(g.created_at),
            expires_at: Some(g.expires_at),
            associated_applications: Some(
                g.associated
                    .iter()
                    .map(|id| application_arn(region, g.account, id.as_str()))
                    .collect(),
            ),
        }
    }};
}

impl Engine {
    /// `CreateStreamGroup`: `ACTIVATING`, then `ACTIVE` at the next request (or after
    /// [`Delays::stream_group_activation`](super::Delays::stream_group_activation)).
    pub fn create_stream_group(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &CreateStreamGroupInput,
    ) -> Result<CreateStreamGroupOutput, ApiError> {
        let now = self.begin(caller, now, Operation::CreateStreamGroup)?;
        if self.config.enforce_tenancy_multiples {
            input.validate_for_tenancy()?;
        } else {
            input.validate()?;
        }
        if let Some(ident) = &input.default_application_identifier {
            self.parse_identifier(
                caller,
                "defaultApplicationIdentifier",
                ident,
                ResourceType::Application,
            )?;
        }
        let token = input.client_token.as_deref();
        let fingerprint = token.map_or(0, |_| fingerprint(input));
        let op = Operation::CreateStreamGroup;
        if let Some(recorded) = self.idempotency(caller, op, token, fingerprint, now)? {
            let group = self
                .groups
                .get(&recorded.resource())
                .ok_or_else(|| ApiError::not_found(ResourceType::StreamGroup, "(replayed)"))?;
            return Ok(group_output!(self, group, CreateStreamGroupOutput));
        }
        let class = input.stream_class.unwrap_or(StreamClass::Gen4nHigh);
        let configs = input.location_configurations.as_deref().unwrap_or_default();
        let mut locations = self.new_locations(configs, "locationConfigurations", &[])?;
        // The primary location is the region the group is created in: first, and always there.
        let region = self.config.region.clone();
        match locations.iter().position(|l| l.name == region) {
            Some(0) => {}
            Some(i) => {
                let primary = locations.remove(i);
                locations.insert(0, primary);
            }
            None => {
                let t = class.tenancy();
                let maximum = self.config.default_maximum_capacity.div_ceil(t) * t;
                locations.insert(0, new_location(region, 0, 0, 0, Some(maximum), None));
            }
        }
        let default_app = match &input.default_application_identifier {
            Some(ident) => {
                let seq = self.application_seq(caller, "defaultApplicationIdentifier", ident)?;
                Some(seq)
            }
            None => None,
        };
        if let Some(seq) = default_app {
            let app = &self.applications[&seq];
            if app.status != ApplicationStatus::Ready {
                return Err(ApiError::conflict(format!(
                    "Application {} is {}; a stream group's default application must be READY",
                    app.id, app.status
                )));
            }
        }
        let owned = self
            .index
            .accounts
            .get(&caller)
            .map_or(0, |a| a.groups.len());
        if owned >= self.config.quotas.stream_groups_per_account as usize {
            return Err(ApiError::ServiceQuotaExceeded {
                message: format!(
                    "Account {caller} already has {owned} stream groups, the most allowed"
                ),
            });
        }
        self.check_capacity_quota(&locations)?;

        let activation = deadline_after(now, self.config.delays.stream_group_activation);
        for loc in &mut locations {
            loc.due = Some(activation);
        }
        let seq = self.next_seq()?;
        let id = loop {
            let id = self.ids.stream_group_id();
            if !self.index.groups.contains_key(&id) {
                break id;
            }
        };
        let default_application = default_app.map(|s| self.applications[&s].id);
        let record = GroupRecord {
            seq,
            id,
            account: caller,
            description: input.description.clone(),
            stream_class: class,
            default_application,
            associated: default_application.into_iter().collect(),
            locations,
            tags: input.tags.clone(),
            created_at: now,
            last_updated_at: now,
            expires_at: deadline_after(now, self.config.stream_group_lifetime),
            activation_due: Some(activation),
            deletion_due: None,
            expired: false,
            error: None,
            status: StreamGroupStatus::Activating,
            due: None,
            sessions: SessionList::default(),
            waiting: BTreeSet::new(),
            session_arn_prefix: session_arn_prefix(&self.config.region, caller, id),
        };
        let arn = record.arn(&self.config.region);
        let location_names: Vec<String> = record.locations.iter().map(|l| l.name.clone()).collect();
        self.groups.insert(seq, record);
        self.index.groups.insert(id, seq);
        self.account_mut(caller).groups.insert(seq);
        self.emit(
            caller,
            arn.clone(),
            now,
            Change::StreamGroup {
                from: None,
                to: Some(StreamGroupStatus::Activating),
                reason: None,
            },
        );
        for name in location_names {
            self.emit(
                caller,
                arn.clone(),
                now,
                Change::StreamGroupLocation {
                    location: name,
                    from: None,
                    to: Some(StreamGroupLocationStatus::Activating),
                },
            );
        }
        if let Some(app) = default_app {
            self.replicate(app, seq, now);
        }
        self.reschedule_group(seq);
        self.remember(
            caller,
            op,
            token,
            fingerprint,
            Recorded::StreamGroup(seq),
            now,
        );
        Ok(group_output!(
            self,
            &self.groups[&seq],
            CreateStreamGroupOutput
        ))
    }

    /// `GetStreamGroup`.
    pub fn get_stream_group(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &GetStreamGroupInput,
    ) -> Result<GetStreamGroupOutput, ApiError> {
        self.begin(caller, now, Operation::GetStreamGroup)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        Ok(group_output!(
            self,
            &self.groups[&seq],
            GetStreamGroupOutput
        ))
    }

    /// An account's stream groups in creation order, as `GetStreamGroup` answers them
    /// (locations and capacity included), read without a call: no throttling, no fault rule,
    /// no clock; nothing changes. For adapters that watch the engine (the mock's dashboard).
    pub fn peek_stream_groups(
        &self,
        account: AccountId,
    ) -> impl Iterator<Item = GetStreamGroupOutput> + '_ {
        self.owned(account, |a| &a.groups)
            .filter_map(|seq| self.groups.get(seq))
            .map(|g| group_output!(self, g, GetStreamGroupOutput))
    }

    /// `ListStreamGroups`: the caller's groups in creation order.
    pub fn list_stream_groups(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListStreamGroupsInput,
    ) -> Result<ListStreamGroupsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::ListStreamGroups)?;
        input.validate()?;
        let cursor = Cursor {
            list: 3,
            account: caller.number(),
            scope: 0,
            filter: [0xff; 2],
            after: 0,
        };
        let empty = BTreeSet::new();
        let seqs = self
            .index
            .accounts
            .get(&caller)
            .map_or(&empty, |a| &a.groups);
        let region = self.config.region.as_str();
        let Page { items, next_token } = page(
            self,
            cursor,
            input.next_token.as_deref(),
            max_results(input.max_results),
            now,
            |after| seqs.range(after..).copied(),
            |seq| {
                let g = self.groups.get(&seq)?;
                Some(StreamGroupSummary {
                    arn: Some(g.arn(region)),
                    id: Some(g.id.to_string()),
                    description: g.description.clone(),
                    default_application: g.default_application.map(|id| DefaultApplication {
                        id: Some(id.to_string()),
                        arn: Some(application_arn(region, g.account, id.as_str())),
                    }),
                    stream_class: Some(g.stream_class),
                    status: Some(g.status),
                    created_at: Some(g.created_at),
                    last_updated_at: Some(g.last_updated_at),
                    expires_at: Some(g.expires_at),
                })
            },
        )?;
        Ok(ListStreamGroupsOutput {
            items: Some(items),
            next_token,
        })
    }

    /// `UpdateStreamGroup`: description, default application, and the capacity of existing
    /// locations. The group must be `ACTIVE`.
    pub fn update_stream_group(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &UpdateStreamGroupInput,
    ) -> Result<UpdateStreamGroupOutput, ApiError> {
        let now = self.begin(caller, now, Operation::UpdateStreamGroup)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        if self.config.enforce_tenancy_multiples {
            input.validate_for(self.groups[&seq].stream_class)?;
        }
        let default_app = match &input.default_application_identifier {
            Some(ident) => {
                Some(self.application_seq(caller, "defaultApplicationIdentifier", ident)?)
            }
            None => None,
        };
        let group = &self.groups[&seq];
        let configs = input.location_configurations.as_deref().unwrap_or_default();
        for (i, c) in configs.iter().enumerate() {
            let name = c.location_name.as_deref().unwrap_or_default();
            if group.location(name).is_none() {
                return Err(ApiError::invalid(format!(
                    "Location '{name}' (locationConfigurations.{}.member) is not a location of stream group {}; add it with AddStreamGroupLocations",
                    i + 1,
                    group.id
                )));
            }
        }
        let updated = self.updated_locations(group, configs)?;
        let group = &self.groups[&seq];
        if group.status != StreamGroupStatus::Active {
            return Err(ApiError::conflict(format!(
                "Stream group {} is {}; UpdateStreamGroup needs it ACTIVE",
                group.id, group.status
            )));
        }
        if let Some(app) = default_app {
            let app = &self.applications[&app];
            if app.status != ApplicationStatus::Ready {
                return Err(ApiError::conflict(format!(
                    "Application {} is {}; a stream group's default application must be READY",
                    app.id, app.status
                )));
            }
        }
        self.check_capacity_quota(&updated)?;

        let group = self.groups.get_mut(&seq).expect("found above");
        group.locations = updated;
        if let Some(description) = &input.description {
            group.description = Some(description.clone());
        }
        group.last_updated_at = now;
        if let Some(app) = default_app {
            let app_id = self.applications[&app].id;
            let group = self.groups.get_mut(&seq).expect("found above");
            group.default_application = Some(app_id);
            if !group.associated.contains(&app_id) {
                group.associated.push(app_id);
                self.replicate(app, seq, now);
            }
        }
        self.try_place(seq, now);
        self.reschedule_group(seq);
        Ok(group_output!(
            self,
            &self.groups[&seq],
            UpdateStreamGroupOutput
        ))
    }

    /// `DeleteStreamGroup`: `DELETING`, then gone. Its sessions end: running ones
    /// `TERMINATING(apiTerminated)`, waiting ones `ERROR(internalError)`. **(decision)**
    /// Deleting a group that is already `DELETING` is a no-op.
    pub fn delete_stream_group(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &DeleteStreamGroupInput,
    ) -> Result<(), ApiError> {
        let now = self.begin(caller, now, Operation::DeleteStreamGroup)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        let group = self.groups.get_mut(&seq).expect("found above");
        if group.deletion_due.is_some() {
            return Ok(());
        }
        group.deletion_due = Some(deadline_after(
            now,
            self.config.delays.stream_group_deletion,
        ));
        self.end_group_sessions(seq, now);
        self.revoke_stream_urls_of(
            caller,
            |u| u.group_seq == seq,
            crate::api::StreamUrlStatusReason::StreamGroupDeleted,
            now,
        );
        self.sync_group(seq, now);
        Ok(())
    }

    /// `AddStreamGroupLocations`: new locations, `ACTIVATING` until they are provisioned.
    pub fn add_stream_group_locations(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &AddStreamGroupLocationsInput,
    ) -> Result<AddStreamGroupLocationsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::AddStreamGroupLocations)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        if self.config.enforce_tenancy_multiples {
            input.validate_for(self.groups[&seq].stream_class)?;
        }
        let group = &self.groups[&seq];
        let configs = input.location_configurations.as_deref().unwrap_or_default();
        let existing: Vec<&str> = group.locations.iter().map(|l| l.name.as_str()).collect();
        let mut added = self.new_locations(configs, "locationConfigurations", &existing)?;
        self.require_active(seq, "AddStreamGroupLocations")?;
        self.check_capacity_quota(&added)?;
        let due = deadline_after(now, self.config.delays.location_activation);
        for loc in &mut added {
            loc.due = Some(due);
        }
        let group = self.groups.get_mut(&seq).expect("found above");
        group.locations.extend(added.iter().cloned());
        group.last_updated_at = now;
        let (account, arn) = (group.account, group.arn(&self.config.region));
        let apps: Vec<ResourceId> = group.associated.clone();
        for loc in &added {
            self.emit(
                account,
                arn.clone(),
                now,
                Change::StreamGroupLocation {
                    location: loc.name.clone(),
                    from: None,
                    to: Some(StreamGroupLocationStatus::Activating),
                },
            );
        }
        for app in apps {
            if let Some(&app_seq) = self.index.applications.get(&app) {
                self.replicate(app_seq, seq, now);
            }
        }
        self.sync_group(seq, now);
        let group = &self.groups[&seq];
        Ok(AddStreamGroupLocationsOutput {
            identifier: Some(group.arn(&self.config.region)),
            locations: Some(
                added
                    .iter()
                    .filter_map(|l| group.location(&l.name))
                    .map(LocationRecord::state)
                    .collect(),
            ),
        })
    }

    /// `RemoveStreamGroupLocations`: `REMOVING`, then gone; the sessions running there end.
    /// The primary location cannot be removed.
    pub fn remove_stream_group_locations(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &RemoveStreamGroupLocationsInput,
    ) -> Result<(), ApiError> {
        let now = self.begin(caller, now, Operation::RemoveStreamGroupLocations)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        let group = &self.groups[&seq];
        let names = input.locations.as_deref().unwrap_or_default();
        for (i, name) in names.iter().enumerate() {
            let member = i + 1;
            match group.locations.iter().position(|l| &l.name == name) {
                None => {
                    return Err(ApiError::invalid(format!(
                        "Location '{name}' (locations.{member}.member) is not a location of stream group {}",
                        group.id
                    )));
                }
                Some(0) => {
                    return Err(ApiError::invalid(format!(
                        "Location '{name}' is the primary location of stream group {} and cannot be removed; set its capacity to 0 instead",
                        group.id
                    )));
                }
                Some(i) if group.locations[i].status == StreamGroupLocationStatus::Activating => {
                    return Err(ApiError::invalid(format!(
                        "Location '{name}' of stream group {} is still ACTIVATING and cannot be removed yet",
                        group.id
                    )));
                }
                Some(_) => {}
            }
        }
        // A group ACTIVE_WITH_ERRORS heals by removing its failed locations, as the
        // documentation advises, so that status is allowed too. (decision)
        if self.groups[&seq].status != StreamGroupStatus::ActiveWithErrors {
            self.require_active(seq, "RemoveStreamGroupLocations")?;
        }
        let due = deadline_after(now, self.config.delays.location_removal);
        let group = self.groups.get_mut(&seq).expect("found above");
        let (account, arn) = (group.account, group.arn(&self.config.region));
        let mut changed = Vec::new();
        for name in names {
            if let Some(loc) = group.location_mut(name) {
                if loc.status != StreamGroupLocationStatus::Removing {
                    changed.push((name.clone(), loc.status));
                    loc.status = StreamGroupLocationStatus::Removing;
                    loc.due = Some(due);
                }
            }
        }
        group.last_updated_at = now;
        for (name, from) in changed {
            self.end_location_sessions(seq, &name, now);
            self.emit(
                account,
                arn.clone(),
                now,
                Change::StreamGroupLocation {
                    location: name,
                    from: Some(from),
                    to: Some(StreamGroupLocationStatus::Removing),
                },
            );
        }
        self.sync_group(seq, now);
        Ok(())
    }

    /// `AssociateApplications`: the group can stream these `READY` applications; the first
    /// becomes the default if the group has none.
    pub fn associate_applications(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &AssociateApplicationsInput,
    ) -> Result<AssociateApplicationsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::AssociateApplications)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        let apps = self.application_seqs(caller, input.application_identifiers.as_deref())?;
        for &app in &apps {
            let app = &self.applications[&app];
            if app.status != ApplicationStatus::Ready {
                return Err(ApiError::invalid(format!(
                    "Application {} is {}; only READY applications can be associated",
                    app.id, app.status
                )));
            }
        }
        let group = &self.groups[&seq];
        if now >= deadline_after(group.created_at, self.config.association_cutoff) {
            return Err(ApiError::invalid(format!(
                "Stream group {} is older than {} days and can no longer be updated with new application associations",
                group.id,
                self.config.association_cutoff.num_days()
            )));
        }
        self.require_active(seq, "AssociateApplications")?;
        for &app in &apps {
            let app_id = self.applications[&app].id;
            let group = self.groups.get_mut(&seq).expect("found above");
            if !group.associated.contains(&app_id) {
                group.associated.push(app_id);
                group.default_application.get_or_insert(app_id);
                group.last_updated_at = now;
                self.replicate(app, seq, now);
            }
        }
        let region = self.config.region.as_str();
        Ok(AssociateApplicationsOutput {
            arn: Some(self.groups[&seq].arn(region)),
            application_arns: Some(
                apps.iter()
                    .map(|a| self.applications[a].arn(region))
                    .collect(),
            ),
        })
    }

    /// `DisassociateApplications`: running sessions continue; a new default is chosen if the
    /// default goes.
    pub fn disassociate_applications(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &DisassociateApplicationsInput,
    ) -> Result<DisassociateApplicationsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::DisassociateApplications)?;
        input.validate()?;
        let seq = self.group_seq(caller, "identifier", &input.identifier)?;
        let apps = self.application_seqs(caller, input.application_identifiers.as_deref())?;
        self.require_active(seq, "DisassociateApplications")?;
        let ids: Vec<ResourceId> = apps.iter().map(|a| self.applications[a].id).collect();
        let group = self.groups.get_mut(&seq).expect("found above");
        let before = group.associated.len();
        group.associated.retain(|a| !ids.contains(a));
        if group.default_application.is_some_and(|d| ids.contains(&d)) {
            group.default_application = group.associated.first().copied();
        }
        if group.associated.len() != before {
            group.last_updated_at = now;
        }
        let region = self.config.region.as_str();
        Ok(DisassociateApplicationsOutput {
            arn: Some(self.groups[&seq].arn(region)),
            application_arns: Some(
                apps.iter()
                    .map(|a| self.applications[a].arn(region))
                    .collect(),
            ),
        })
    }

    /// The agenda fired for group `seq` at `at`.
    pub(super) fn service_group(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(group) = self.groups.get_mut(&seq) else {
            return;
        };
        group.due = None;
        if group.deletion_due.is_some_and(|d| d <= at) {
            self.remove_group(seq, at);
            return;
        }
        if group.activation_due.is_some_and(|d| d <= at) {
            group.activation_due = None;
        }
        let (account, arn) = (group.account, group.arn(&self.config.region));
        let mut changes = Vec::new();
        group.locations.retain_mut(|loc| {
            if loc.due.is_none_or(|d| d > at) {
                return true;
            }
            loc.due = None;
            match loc.status {
                StreamGroupLocationStatus::Removing => {
                    changes.push((loc.name.clone(), loc.status, None));
                    false
                }
                StreamGroupLocationStatus::Activating => {
                    changes.push((
                        loc.name.clone(),
                        loc.status,
                        Some(StreamGroupLocationStatus::Active),
                    ));
                    loc.status = StreamGroupLocationStatus::Active;
                    true
                }
                _ => true,
            }
        });
        if !group.expired && group.expires_at <= at {
            group.expired = true;
        }
        for (location, from, to) in changes {
            self.emit(
                account,
                arn.clone(),
                at,
                Change::StreamGroupLocation {
                    location,
                    from: Some(from),
                    to,
                },
            );
        }
        self.sync_group(seq, at);
        self.try_place(seq, at);
    }

    /// Reports a status change of group `seq` if its state implies one, and reschedules it.
    pub(super) fn sync_group(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(group) = self.groups.get_mut(&seq) else {
            return;
        };
        let status = group.derived_status();
        if status != group.status {
            let from = group.status;
            group.status = status;
            group.last_updated_at = at;
            let (account, arn, reason) =
                (group.account, group.arn(&self.config.region), group.error);
            self.emit(
                account,
                arn,
                at,
                Change::StreamGroup {
                    from: Some(from),
                    to: Some(status),
                    reason,
                },
            );
        }
        self.reschedule_group(seq);
    }

    pub(super) fn reschedule_group(&mut self, seq: u64) {
        let Some(group) = self.groups.get_mut(&seq) else {
            return;
        };
        let due = group.next_due();
        self.agenda
            .reschedule(Task::StreamGroup(seq), group.due, due);
        group.due = due;
    }

    fn remove_group(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(group) = self.groups.remove(&seq) else {
            return;
        };
        self.agenda
            .reschedule(Task::StreamGroup(seq), group.due, None);
        self.index.groups.remove(&group.id);
        if let Some(account) = self.index.accounts.get_mut(&group.account) {
            account.groups.remove(&seq);
        }
        let sessions = group.sessions.live();
        if sessions > 0 {
            let retired = super::RetiredGroup {
                id: group.id,
                account: group.account,
                session_arn_prefix: group.session_arn_prefix.clone(),
                sessions,
            };
            self.retired_groups.insert(seq, retired);
        }
        self.emit(
            group.account,
            group.arn(&self.config.region),
            at,
            Change::StreamGroup {
                from: Some(group.status),
                to: None,
                reason: group.error,
            },
        );
    }

    /// A precondition on the group's status for operations whose only status error is a
    /// Validation error (they list no ConflictException).
    fn require_active(&self, seq: u64, operation: &str) -> Result<(), ApiError> {
        let group = &self.groups[&seq];
        if group.status == StreamGroupStatus::Active {
            Ok(())
        } else {
            Err(ApiError::invalid(format!(
                "Stream group {} is {}; {operation} needs it ACTIVE",
                group.id, group.status
            )))
        }
    }

    /// The applications a list of identifiers names, each checked like a single one.
    fn application_seqs(
        &self,
        caller: AccountId,
        idents: Option<&[String]>,
    ) -> Result<Vec<u64>, ApiError> {
        let mut seqs = Vec::new();
        for ident in idents.unwrap_or_default() {
            let seq = self.application_seq(caller, "applicationIdentifiers", ident)?;
            if !seqs.contains(&seq) {
                seqs.push(seq);
            }
        }
        Ok(seqs)
    }

    /// Locations for new configurations: unique names not already in `existing`, capacities
    /// given and consistent (tenancy is checked with the input).
    fn new_locations(
        &self,
        configs: &[LocationConfiguration],
        member: &str,
        existing: &[&str],
    ) -> Result<Vec<LocationRecord>, ApiError> {
        let mut out: Vec<LocationRecord> = Vec::new();
        for (i, c) in configs.iter().enumerate() {
            let at = format!("{member}.{}.member", i + 1);
            let name = c.location_name.clone().unwrap_or_default();
            if existing.contains(&name.as_str()) {
                return Err(ApiError::invalid(format!(
                    "Location '{name}' ({at}) is already a location of the stream group"
                )));
            }
            if out.iter().any(|l| l.name == name) {
                return Err(ApiError::invalid(format!(
                    "Location '{name}' ({at}) is given twice"
                )));
            }
            if c.always_on_capacity.is_none()
                && c.on_demand_capacity.is_none()
                && c.maximum_capacity.is_none()
                && c.target_idle_capacity.is_none()
            {
                return Err(ApiError::invalid(format!(
                    "Location '{name}' ({at}) needs a value for at least one capacity type: AlwaysOnCapacity or MaximumCapacity"
                )));
            }
            let loc = new_location(
                name,
                count(c.always_on_capacity),
                count(c.on_demand_capacity),
                count(c.target_idle_capacity),
                c.maximum_capacity.map(|m| count(Some(m))),
                c.vpc_transit_configuration.clone(),
            );
            self.check_location(&loc, &at)?;
            out.push(loc);
        }
        Ok(out)
    }

    /// The group's locations with `configs` applied; omitted capacity values keep their value.
    fn updated_locations(
        &self,
        group: &GroupRecord,
        configs: &[LocationConfiguration],
    ) -> Result<Vec<LocationRecord>, ApiError> {
        let mut locations = group.locations.clone();
        for (i, c) in configs.iter().enumerate() {
            let at = format!("locationConfigurations.{}.member", i + 1);
            let name = c.location_name.as_deref().unwrap_or_default();
            let Some(loc) = locations.iter_mut().find(|l| l.name == name) else {
                continue;
            };
            if let Some(n) = c.always_on_capacity {
                loc.always_on = count(Some(n));
            }
            if let Some(n) = c.on_demand_capacity {
                loc.on_demand = count(Some(n));
            }
            if let Some(n) = c.target_idle_capacity {
                loc.target_idle = count(Some(n));
            }
            if let Some(n) = c.maximum_capacity {
                loc.maximum = Some(count(Some(n)));
            }
            self.check_location(loc, &at)?;
        }
        Ok(locations)
    }

    fn check_location(&self, loc: &LocationRecord, at: &str) -> Result<(), ApiError> {
        if let Some(max) = loc.maximum {
            if max < loc.always_on {
                return Err(ApiError::invalid(format!(
                    "Location '{}' ({at}): MaximumCapacity {max} is less than AlwaysOnCapacity {}",
                    loc.name, loc.always_on
                )));
            }
        }
        Ok(())
    }

    fn check_capacity_quota(&self, locations: &[LocationRecord]) -> Result<(), ApiError> {
        let quota = self.config.quotas.capacity_per_location;
        match locations.iter().find(|l| l.capacity() > quota) {
            Some(l) => Err(ApiError::ServiceQuotaExceeded {
                message: format!(
                    "Location '{}' would have a capacity of {}, over the quota of {quota}",
                    l.name,
                    l.capacity()
                ),
            }),
            None => Ok(()),
        }
    }
}

fn new_location(
    name: String,
    always_on: u32,
    on_demand: u32,
    target_idle: u32,
    maximum: Option<u32>,
    vpc: Option<VpcTransitConfiguration>,
) -> LocationRecord {
    LocationRecord {
        name,
        status: StreamGroupLocationStatus::Activating,
        due: None,
        always_on,
        on_demand,
        target_idle,
        maximum,
        in_use: 0,
        vpc,
    }
}

/// A capacity from the wire (validated non-negative).
fn count(n: Option<i32>) -> u32 {
    n.map_or(0, |n| u32::try_from(n).unwrap_or(0))
}

/// The ARN of the group's sessions up to their ID: `arn:…:streamsession/GROUP/`.
pub(crate) fn session_arn_prefix(region: &str, account: AccountId, group: ResourceId) -> Box<str> {
    crate::arn::stream_session_arn(region, account, group.as_str(), "").into()
}
