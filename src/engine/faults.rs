//! Infrastructure faults scheduled at a time: an application crashing under a session, a
//! session, location, stream group or application failing. They are the only way to reach some
//! documented statuses (`ACTIVE_WITH_ERRORS`, a group's or application's `ERROR`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::agenda::Task;
use super::{ApiError, Change, Engine};
use crate::api::{
    ApplicationStatus, ApplicationStatusReason, StreamGroupLocationStatus, StreamGroupStatusReason,
};
use crate::arn::AccountId;
use crate::error::{Constraint, ValidationError, Violation};
use crate::{Input, StatusReason};

/// Something that goes wrong in the infrastructure, scheduled with [`Engine::schedule_fault`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "Type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InfrastructureFault {
    /// The session's application crashes: `TERMINATING(applicationExit)`.
    #[serde(rename_all = "PascalCase")]
    ApplicationCrash {
        /// The stream group (ID or ARN).
        stream_group: String,
        /// The stream session (ID or ARN).
        stream_session: String,
    },
    /// The session fails: `ERROR(reason)`, an `ERROR` reason.
    #[serde(rename_all = "PascalCase")]
    SessionFailure {
        /// The stream group (ID or ARN).
        stream_group: String,
        /// The stream session (ID or ARN).
        stream_session: String,
        /// The `ERROR` reason.
        reason: StatusReason,
    },
    /// A location of a stream group fails: `ERROR`, the group `ACTIVE_WITH_ERRORS`; the
    /// sessions there end in `ERROR(internalError)`.
    #[serde(rename_all = "PascalCase")]
    LocationFailure {
        /// The stream group (ID or ARN).
        stream_group: String,
        /// The location.
        location: String,
    },
    /// The stream group fails: `ERROR(reason)`; its sessions end in `ERROR(internalError)`.
    #[serde(rename_all = "PascalCase")]
    StreamGroupFailure {
        /// The stream group (ID or ARN).
        stream_group: String,
        /// Why.
        reason: StreamGroupStatusReason,
    },
    /// The application fails: `ERROR(reason)`.
    #[serde(rename_all = "PascalCase")]
    ApplicationFailure {
        /// The application (ID or ARN).
        application: String,
        /// Why.
        reason: ApplicationStatusReason,
    },
}

/// A fault resolved to the resource it hits, waiting for its time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Scheduled {
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) at: DateTime<Utc>,
    target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Target {
    Session(u64, Input),
    Location(u64, String),
    StreamGroup(u64, StreamGroupStatusReason),
    Application(u64, ApplicationStatusReason),
}

impl Engine {
    /// Schedules `fault` at `at` for `account`'s resources. The resource must exist now; when
    /// the time comes, a fault that no longer applies (the session already ended, the
    /// resource is gone) does nothing. Returns the fault's ID.
    pub fn schedule_fault(
        &mut self,
        account: AccountId,
        at: DateTime<Utc>,
        fault: &InfrastructureFault,
    ) -> Result<u64, ApiError> {
        let target = match fault {
            InfrastructureFault::ApplicationCrash {
                stream_group,
                stream_session,
            } => Target::Session(
                self.session_seq(account, stream_group, stream_session)?,
                Input::ApplicationExited,
            ),
            InfrastructureFault::SessionFailure {
                stream_group,
                stream_session,
                reason,
            } => {
                if !reason.is_error_reason() {
                    return Err(ValidationError::single(Violation::new(
                        "Reason",
                        reason,
                        Constraint::Rule("Member must be an ERROR reason".into()),
                    ))
                    .into());
                }
                Target::Session(
                    self.session_seq(account, stream_group, stream_session)?,
                    Input::Failed(*reason),
                )
            }
            InfrastructureFault::LocationFailure {
                stream_group,
                location,
            } => {
                let seq = self.group_seq(account, "StreamGroup", stream_group)?;
                if self.groups[&seq].location(location).is_none() {
                    return Err(ApiError::invalid(format!(
                        "Location '{location}' is not a location of stream group {}",
                        self.groups[&seq].id
                    )));
                }
                Target::Location(seq, location.clone())
            }
            InfrastructureFault::StreamGroupFailure {
                stream_group,
                reason,
            } => Target::StreamGroup(
                self.group_seq(account, "StreamGroup", stream_group)?,
                *reason,
            ),
            InfrastructureFault::ApplicationFailure {
                application,
                reason,
            } => Target::Application(
                self.application_seq(account, "Application", application)?,
                *reason,
            ),
        };
        let id = self.next_fault;
        self.next_fault = id
            .checked_add(1)
            .filter(|next| *next <= super::MAX_SEQ)
            .ok_or_else(|| ApiError::ServiceQuotaExceeded {
                message: format!("{id} faults have been scheduled, the most the engine numbers"),
            })?;
        self.faults.insert(id, Scheduled { at, target });
        self.agenda.reschedule(Task::Fault(id), None, Some(at));
        Ok(id)
    }

    /// The agenda fired fault `id` at `at`.
    pub(super) fn fire_fault(&mut self, id: u64, at: DateTime<Utc>) {
        let Some(Scheduled { target, .. }) = self.faults.remove(&id) else {
            return;
        };
        match target {
            Target::Session(seq, input) => {
                if self.sessions.contains_key(&seq) {
                    // A session that already ended ignores it.
                    let _ = self.session_input(seq, at, input);
                }
            }
            Target::Location(seq, name) => {
                let Some(account) = self.groups.get(&seq).map(|g| g.account) else {
                    return;
                };
                let arn = stream_group_arn_of(self, seq);
                let Some(loc) = self
                    .groups
                    .get_mut(&seq)
                    .and_then(|g| g.location_mut(&name))
                else {
                    return;
                };
                let from = loc.status;
                if from == StreamGroupLocationStatus::Error {
                    return;
                }
                loc.status = StreamGroupLocationStatus::Error;
                loc.due = None;
                self.emit(
                    account,
                    arn,
                    at,
                    Change::StreamGroupLocation {
                        location: name.clone(),
                        from: Some(from),
                        to: Some(StreamGroupLocationStatus::Error),
                    },
                );
                self.fail_sessions(seq, Some(&name), at);
                self.sync_group(seq, at);
            }
            Target::StreamGroup(seq, reason) => {
                let Some(group) = self.groups.get_mut(&seq) else {
                    return;
                };
                if group.deletion_due.is_some() || group.error.is_some() {
                    return;
                }
                group.error = Some(reason);
                self.fail_sessions(seq, None, at);
                self.sync_group(seq, at);
            }
            Target::Application(seq, reason) => {
                let Some(app) = self.applications.get_mut(&seq) else {
                    return;
                };
                if matches!(
                    app.status,
                    ApplicationStatus::Deleting | ApplicationStatus::Error
                ) {
                    return;
                }
                app.status_reason = Some(reason);
                app.step_due = None;
                self.set_application_status(seq, ApplicationStatus::Error, at);
                self.reschedule_application(seq);
            }
        }
    }

    /// Ends the sessions of group `seq` (those holding a slot in `location` only, if given)
    /// that have not ended: `ERROR(internalError)`.
    fn fail_sessions(&mut self, seq: u64, location: Option<&str>, at: DateTime<Utc>) {
        let sessions: Vec<u64> = self.groups[&seq].sessions.range_from(0).collect();
        for s in sessions {
            let Some(record) = self.sessions.get(&s) else {
                continue;
            };
            let here = location
                .is_none_or(|name| record.slot.map(|l| self.location_names.name(l)) == Some(name));
            if here && !record.session.status().is_ending() {
                // Failed is allowed in every status that has not ended.
                let _ = self.session_input(s, at, Input::Failed(StatusReason::InternalError));
            }
        }
    }

    /// The faults scheduled and not yet fired, by ID, with their times.
    pub fn scheduled_faults(&self) -> impl Iterator<Item = (u64, DateTime<Utc>)> + '_ {
        self.faults.iter().map(|(id, f)| (*id, f.at))
    }
}

fn stream_group_arn_of(engine: &Engine, seq: u64) -> String {
    let g = &engine.groups[&seq];
    crate::arn::stream_group_arn(&engine.config.region, g.account, g.id.as_str())
}
