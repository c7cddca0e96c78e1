//! Applications in the engine: `INITIALIZED` → `PROCESSING` → `READY` (or `ERROR`),
//! `DELETING` → gone, replication to the locations of the groups they are associated with, and
//! the API operations on them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ledger::{Recorded, fingerprint};
use super::listing::{Page, page};
use super::{ApiError, Change, Engine, Task, max_results};
use crate::api::{
    ApplicationStatus, ApplicationStatusReason, ApplicationSummary, CreateApplicationInput,
    CreateApplicationOutput, DeleteApplicationInput, GetApplicationInput, GetApplicationOutput,
    ListApplicationsInput, ListApplicationsOutput, Operation, ReplicationStatus,
    ReplicationStatusType, RuntimeEnvironment, RuntimeEnvironmentType, UpdateApplicationInput,
    UpdateApplicationOutput,
};
use crate::arn::{AccountId, ResourceId, ResourceType, application_arn, stream_group_arn};
use crate::engine::token::Cursor;
use crate::time::deadline_after;

/// One application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct ApplicationRecord {
    pub(crate) seq: u64,
    pub(crate) id: ResourceId,
    pub(crate) account: AccountId,
    pub(crate) description: Option<String>,
    pub(crate) runtime_environment: Option<RuntimeEnvironment>,
    pub(crate) executable_path: Option<String>,
    pub(crate) application_source_uri: Option<String>,
    pub(crate) application_log_paths: Option<Vec<String>>,
    pub(crate) application_log_output_uri: Option<String>,
    pub(crate) tags: Option<BTreeMap<String, String>>,
    pub(crate) status: ApplicationStatus,
    pub(crate) status_reason: Option<ApplicationStatusReason>,
    /// When the status takes its next step (`INITIALIZED`, `PROCESSING`, `DELETING`).
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) step_due: Option<DateTime<Utc>>,
    pub(crate) replications: Vec<Replication>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) created_at: DateTime<Utc>,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) last_updated_at: DateTime<Utc>,
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) due: Option<DateTime<Utc>>,
    /// Its shader caches, by identifier (seeded: see `access.rs`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) shader_caches: BTreeMap<String, super::access::ShaderCacheRecord>,
}

/// The application's copy in one location.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Replication {
    pub(crate) location: String,
    pub(crate) status: ReplicationStatusType,
    #[serde(default, with = "crate::time::rfc3339::option")]
    pub(crate) due: Option<DateTime<Utc>>,
}

impl ApplicationRecord {
    pub(crate) fn next_due(&self) -> Option<DateTime<Utc>> {
        self.replications
            .iter()
            .map(|r| r.due)
            .chain([self.step_due])
            .flatten()
            .min()
    }

    pub(crate) fn arn(&self, region: &str) -> String {
        application_arn(region, self.account, self.id.as_str())
    }

    pub(crate) fn runtime_type(&self) -> Option<RuntimeEnvironmentType> {
        self.runtime_environment.as_ref().and_then(|r| r.r#type)
    }

    /// Whether the application can be streamed from `location`.
    pub(crate) fn replicated_to(&self, location: &str) -> bool {
        self.replications
            .iter()
            .any(|r| r.location == location && r.status == ReplicationStatusType::Completed)
    }
}

/// The members every application output shares.
macro_rules! application_output {
    ($engine:expr, $a:expr, $out:ident) => {{
        let a: &ApplicationRecord = $a;
        let region = $engine.config.region.as_str();
        $out {
            arn: Some(a.arn(region)),
            description: a.description.clone(),
            runtime_environment: a.runtime_environment.clone(),
            executable_path: a.executable_path.clone(),
            application_log_paths: a.application_log_paths.clone(),
            application_log_output_uri: a.application_log_output_uri.clone(),
            application_source_uri: a.application_source_uri.clone(),
            id: Some(a.id.to_string()),
            status: Some(a.status),
            status_reason: a.status_reason,
            replication_statuses: Some(
                a.replications
                    .iter()
                    .map(|r| ReplicationStatus {
                        location: Some(r.location.clone()),
                        status: Some(r.status),
                    })
                    .collect(),
            ),
            created_at: Some(a.created_at),
            last_updated_at: Some(a.last_updated_at),
            associated_stream_groups: Some(
                $engine
                    .groups_of_application(a)
                    .map(|g| stream_group_arn(region, a.account, g.as_str()))
                    .collect(),
            ),
        }
    }};
}

impl Engine {
    /// `CreateApplication`: `INITIALIZED`, then `PROCESSING` and `READY` (at the next request
    /// by default).
    pub fn create_application(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &CreateApplicationInput,
    ) -> Result<CreateApplicationOutput, ApiError> {
        let now = self.begin(caller, now, Operation::CreateApplication)?;
        input.validate()?;
        let token = input.client_token.as_deref();
        let fingerprint = token.map_or(0, |_| fingerprint(input));
        let op = Operation::CreateApplication;
        if let Some(recorded) = self.idempotency(caller, op, token, fingerprint, now)? {
            let app = self
                .applications
                .get(&recorded.resource())
                .ok_or_else(|| ApiError::not_found(ResourceType::Application, "(replayed)"))?;
            return Ok(application_output!(self, app, CreateApplicationOutput));
        }
        let owned = self
            .index
            .accounts
            .get(&caller)
            .map_or(0, |a| a.applications.len());
        if owned >= self.config.quotas.applications_per_account as usize {
            return Err(ApiError::ServiceQuotaExceeded {
                message: format!(
                    "Account {caller} already has {owned} applications, the most allowed"
                ),
            });
        }
        let seq = self.next_seq()?;
        let id = loop {
            let id = self.ids.application_id();
            if !self.index.applications.contains_key(&id) {
                break id;
            }
        };
        let record = ApplicationRecord {
            seq,
            id,
            account: caller,
            description: input.description.clone(),
            runtime_environment: input.runtime_environment.clone(),
            executable_path: input.executable_path.clone(),
            application_source_uri: input.application_source_uri.clone(),
            application_log_paths: input.application_log_paths.clone(),
            application_log_output_uri: input.application_log_output_uri.clone(),
            tags: input.tags.clone(),
            status: ApplicationStatus::Initialized,
            status_reason: None,
            step_due: Some(deadline_after(
                now,
                self.config.delays.application_processing,
            )),
            replications: vec![Replication {
                location: self.config.region.clone(),
                status: ReplicationStatusType::Replicating,
                due: None,
            }],
            created_at: now,
            last_updated_at: now,
            due: None,
            shader_caches: BTreeMap::new(),
        };
        let arn = record.arn(&self.config.region);
        self.applications.insert(seq, record);
        self.index.applications.insert(id, seq);
        self.account_mut(caller).applications.insert(seq);
        self.emit(
            caller,
            arn,
            now,
            Change::Application {
                from: None,
                to: Some(ApplicationStatus::Initialized),
                reason: None,
            },
        );
        self.reschedule_application(seq);
        self.remember(
            caller,
            op,
            token,
            fingerprint,
            Recorded::Application(seq),
            now,
        );
        Ok(application_output!(
            self,
            &self.applications[&seq],
            CreateApplicationOutput
        ))
    }

    /// `GetApplication`.
    pub fn get_application(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &GetApplicationInput,
    ) -> Result<GetApplicationOutput, ApiError> {
        self.begin(caller, now, Operation::GetApplication)?;
        input.validate()?;
        let seq = self.application_seq(caller, "identifier", &input.identifier)?;
        Ok(application_output!(
            self,
            &self.applications[&seq],
            GetApplicationOutput
        ))
    }

    /// An account's applications in creation order, as `GetApplication` answers them, read
    /// without a call: no throttling, no fault rule, no clock; nothing changes. For adapters
    /// that watch the engine (the mock's dashboard).
    pub fn peek_applications(
        &self,
        account: AccountId,
    ) -> impl Iterator<Item = GetApplicationOutput> + '_ {
        self.owned(account, |a| &a.applications)
            .filter_map(|seq| self.applications.get(seq))
            .map(|a| application_output!(self, a, GetApplicationOutput))
    }

    /// `ListApplications`: the caller's applications in creation order.
    pub fn list_applications(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListApplicationsInput,
    ) -> Result<ListApplicationsOutput, ApiError> {
        let now = self.begin(caller, now, Operation::ListApplications)?;
        input.validate()?;
        let cursor = Cursor {
            list: 4,
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
            .map_or(&empty, |a| &a.applications);
        let region = self.config.region.as_str();
        let Page { items, next_token } = page(
            self,
            cursor,
            input.next_token.as_deref(),
            max_results(input.max_results),
            now,
            |after| seqs.range(after..).copied(),
            |seq| {
                let a = self.applications.get(&seq)?;
                Some(ApplicationSummary {
                    arn: Some(a.arn(region)),
                    id: Some(a.id.to_string()),
                    description: a.description.clone(),
                    status: Some(a.status),
                    created_at: Some(a.created_at),
                    last_updated_at: Some(a.last_updated_at),
                    runtime_environment: a.runtime_environment.clone(),
                })
            },
        )?;
        Ok(ListApplicationsOutput {
            items: Some(items),
            next_token,
        })
    }

    /// `UpdateApplication`: description and log settings.
    pub fn update_application(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &UpdateApplicationInput,
    ) -> Result<UpdateApplicationOutput, ApiError> {
        let now = self.begin(caller, now, Operation::UpdateApplication)?;
        input.validate()?;
        let seq = self.application_seq(caller, "identifier", &input.identifier)?;
        let app = self.applications.get_mut(&seq).expect("found above");
        if app.status == ApplicationStatus::Deleting {
            return Err(ApiError::invalid(format!(
                "Application {} is DELETING and can no longer be updated",
                app.id
            )));
        }
        if let Some(d) = &input.description {
            app.description = Some(d.clone());
        }
        if let Some(p) = &input.application_log_paths {
            app.application_log_paths = Some(p.clone());
        }
        if let Some(u) = &input.application_log_output_uri {
            app.application_log_output_uri = Some(u.clone());
        }
        app.last_updated_at = now;
        Ok(application_output!(
            self,
            &self.applications[&seq],
            UpdateApplicationOutput
        ))
    }

    /// `DeleteApplication`: `DELETING`, then gone. Only a `READY` or `ERROR` application that no
    /// stream group uses and no session is streaming.
    pub fn delete_application(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &DeleteApplicationInput,
    ) -> Result<(), ApiError> {
        let now = self.begin(caller, now, Operation::DeleteApplication)?;
        input.validate()?;
        let seq = self.application_seq(caller, "identifier", &input.identifier)?;
        let app = &self.applications[&seq];
        if app.status == ApplicationStatus::Deleting {
            return Ok(());
        }
        if let Some(group) = self.groups_of_application(app).next() {
            return Err(ApiError::invalid(format!(
                "Application {} is associated with stream group {group}; disassociate it (or delete the group) first",
                app.id
            )));
        }
        if !matches!(
            app.status,
            ApplicationStatus::Ready | ApplicationStatus::Error
        ) {
            return Err(ApiError::conflict(format!(
                "Application {} is {}; only READY or ERROR applications can be deleted",
                app.id, app.status
            )));
        }
        let streaming = self.index.accounts.get(&caller).and_then(|a| {
            a.sessions.range_from(0).find(|s| {
                self.sessions
                    .get(s)
                    .is_some_and(|r| r.application == app.id && !r.session.status().is_terminal())
            })
        });
        if let Some(s) = streaming {
            return Err(ApiError::conflict(format!(
                "Application {} is streaming in stream session {}; terminate it first",
                app.id,
                self.session_ids.id(s)
            )));
        }
        let due = deadline_after(now, self.config.delays.application_deletion);
        self.set_application_status(seq, ApplicationStatus::Deleting, now);
        let app = self.applications.get_mut(&seq).expect("found above");
        app.step_due = Some(due);
        let id = app.id;
        self.reschedule_application(seq);
        self.revoke_stream_urls_of(
            caller,
            |u| u.application == id,
            crate::api::StreamUrlStatusReason::ApplicationDeleted,
            now,
        );
        Ok(())
    }

    /// The agenda fired for application `seq` at `at`.
    pub(super) fn service_application(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(app) = self.applications.get_mut(&seq) else {
            return;
        };
        app.due = None;
        // Zero delays chain: INITIALIZED → PROCESSING → READY settle at once.
        while let Some(step) = self.applications[&seq].step_due.filter(|d| *d <= at) {
            let status = self.applications[&seq].status;
            let (next, due) = match status {
                ApplicationStatus::Initialized => (
                    ApplicationStatus::Processing,
                    Some(deadline_after(step, self.config.delays.application_ready)),
                ),
                ApplicationStatus::Processing => (ApplicationStatus::Ready, None),
                ApplicationStatus::Deleting => {
                    self.remove_application(seq, step);
                    return;
                }
                ApplicationStatus::Ready | ApplicationStatus::Error => (status, None),
            };
            let app = self.applications.get_mut(&seq).expect("still there");
            app.step_due = due;
            if next == ApplicationStatus::Ready {
                for r in &mut app.replications {
                    if r.due.is_none() && r.status == ReplicationStatusType::Replicating {
                        r.status = ReplicationStatusType::Completed;
                    }
                }
            }
            if next != status {
                self.set_application_status(seq, next, step);
            }
        }
        let app = self.applications.get_mut(&seq).expect("still there");
        let mut replicated = false;
        for r in &mut app.replications {
            if r.due.is_some_and(|d| d <= at) {
                r.due = None;
                r.status = ReplicationStatusType::Completed;
                replicated = true;
            }
        }
        self.reschedule_application(seq);
        if replicated {
            let id = self.applications[&seq].id;
            let account = self.applications[&seq].account;
            let groups: Vec<u64> = self
                .index
                .accounts
                .get(&account)
                .map(|a| {
                    a.groups
                        .iter()
                        .copied()
                        .filter(|g| self.groups[g].associated.contains(&id))
                        .collect()
                })
                .unwrap_or_default();
            for group in groups {
                self.try_place(group, at);
            }
        }
    }

    /// Starts replicating application `app` to the locations of group `group` it is not in yet.
    pub(super) fn replicate(&mut self, app: u64, group: u64, now: DateTime<Utc>) {
        let names: Vec<String> = self.groups[&group]
            .locations
            .iter()
            .map(|l| l.name.clone())
            .collect();
        let due = deadline_after(now, self.config.delays.replication);
        let record = self
            .applications
            .get_mut(&app)
            .expect("callers pass a live application");
        for name in names {
            if !record.replications.iter().any(|r| r.location == name) {
                record.replications.push(Replication {
                    location: name,
                    status: ReplicationStatusType::Replicating,
                    due: Some(due),
                });
            }
        }
        self.reschedule_application(app);
    }

    /// The IDs of the caller's groups associated with `app`, in creation order.
    pub(super) fn groups_of_application<'a>(
        &'a self,
        app: &'a ApplicationRecord,
    ) -> impl Iterator<Item = ResourceId> + 'a {
        self.index
            .accounts
            .get(&app.account)
            .into_iter()
            .flat_map(|a| a.groups.iter())
            .filter_map(|g| self.groups.get(g))
            .filter(|g| g.associated.contains(&app.id))
            .map(|g| g.id)
    }

    pub(super) fn set_application_status(
        &mut self,
        seq: u64,
        to: ApplicationStatus,
        at: DateTime<Utc>,
    ) {
        let region = self.config.region.clone();
        let app = self
            .applications
            .get_mut(&seq)
            .expect("callers pass a live application");
        let from = app.status;
        app.status = to;
        app.last_updated_at = at;
        let (account, arn, reason) = (app.account, app.arn(&region), app.status_reason);
        self.emit(
            account,
            arn,
            at,
            Change::Application {
                from: Some(from),
                to: Some(to),
                reason,
            },
        );
    }

    pub(super) fn reschedule_application(&mut self, seq: u64) {
        let Some(app) = self.applications.get_mut(&seq) else {
            return;
        };
        let due = app.next_due();
        self.agenda.reschedule(Task::Application(seq), app.due, due);
        app.due = due;
    }

    fn remove_application(&mut self, seq: u64, at: DateTime<Utc>) {
        let Some(app) = self.applications.remove(&seq) else {
            return;
        };
        self.agenda
            .reschedule(Task::Application(seq), app.due, None);
        self.index.applications.remove(&app.id);
        if let Some(account) = self.index.accounts.get_mut(&app.account) {
            account.applications.remove(&seq);
        }
        self.emit(
            app.account,
            app.arn(&self.config.region),
            at,
            Change::Application {
                from: Some(app.status),
                to: None,
                reason: app.status_reason,
            },
        );
    }
}
