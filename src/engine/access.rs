//! `CreateStreamSessionAdminShell`, `ExportStreamSessionFiles` (and the export status it
//! starts), and `ListApplicationShaderCaches` with the seeding of shader caches.
//!
//! - **Admin shell (decision).** There is no shell behind it: the engine answers a Session
//!   Manager triple of the right shape, drawn from the seed (so a replayed history answers the
//!   same), and nothing checks it afterwards. Only a running session (`ACTIVE`, `CONNECTED`,
//!   `PENDING_CLIENT_RECONNECTION`, `RECONNECTING`) gives one; any other status is
//!   `StreamSessionAccessNotReadyException`.
//! - **File export (decision).** Allowed in the same four statuses (otherwise a
//!   ValidationException: the operation has no Conflict). The export is `PENDING` while the
//!   session runs and for [`Delays::export_upload`](super::Delays::export_upload) after it ends,
//!   then `SUCCEEDED`, or `FAILED` with a reason: a session that ended in `ERROR` has nothing
//!   to collect, and [`EngineConfig::export_failure`](super::EngineConfig::export_failure) (or
//!   [`Engine::fail_export`]) makes the upload fail. What a request decides is frozen with it,
//!   so changing the configuration later does not rewrite an export's outcome. A second request
//!   while the session runs replaces the `OutputUri` (the operation is idempotent and has no
//!   token); once the session has ended it is refused like the first.
//! - **Shader caches (decision).** No operation creates them, so they are seeded state:
//!   [`Engine::put_shader_cache`] adds or changes one, [`Engine::remove_shader_cache`] removes
//!   one. They live on their application's record (snapshots keep them; deleting the
//!   application drops them), at most [`MAX_SHADER_CACHES`] each.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::sessions::{Export, SessionRecord};
use super::{ApiError, Engine};
use crate::api::{
    CreateStreamSessionAdminShellInput, CreateStreamSessionAdminShellOutput, ExportFilesMetadata,
    ExportFilesStatus, ExportStreamSessionFilesInput, GetStreamSessionOutput,
    ListApplicationShaderCachesInput, ListApplicationShaderCachesOutput, Operation,
    SensitiveString, ShaderCacheStatus, ShaderCacheSummary,
};
use crate::arn::{AccountId, application_arn};
use crate::{SessionStatus, ValidationError};

/// The most shader caches an application has (the model's `ShaderCacheSummaryList` maximum).
pub const MAX_SHADER_CACHES: usize = 1000;

/// One shader cache, kept on its application's record by its 32-hex identifier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShaderCacheRecord {
    pub(crate) status: ShaderCacheStatus,
    #[serde(with = "crate::time::rfc3339")]
    pub(crate) last_updated_at: DateTime<Utc>,
    pub(crate) storage_bytes: Option<i64>,
    /// The ARNs of the stream groups it applies to.
    pub(crate) associated_stream_groups: Vec<String>,
}

impl ShaderCacheRecord {
    /// The cache as `ListApplicationShaderCaches` lists it.
    fn summary(&self, identifier: &str, application_arn: &str) -> ShaderCacheSummary {
        ShaderCacheSummary {
            identifier: Some(identifier.to_owned()),
            application_arn: Some(application_arn.to_owned()),
            status: Some(self.status),
            last_updated_at: Some(self.last_updated_at),
            storage_bytes: self.storage_bytes,
            associated_stream_groups: Some(self.associated_stream_groups.clone()),
        }
    }
}

/// A shader cache to seed with [`Engine::put_shader_cache`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ShaderCacheSeed {
    /// The cache's identifier: 32 hexadecimal digits (`1271e693c50b940e228582f1ccdd4e27`).
    pub identifier: String,
    /// Its status.
    pub status: ShaderCacheStatus,
    /// Its size, if known.
    #[serde(default)]
    pub storage_bytes: Option<i64>,
    /// The stream groups it applies to (IDs or ARNs of the application's account).
    #[serde(default)]
    pub associated_stream_groups: Vec<String>,
}

impl Engine {
    /// `CreateStreamSessionAdminShell`: the credentials of an administrative shell on a running
    /// session (see the module's docs: nothing stands behind them).
    pub fn create_stream_session_admin_shell(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &CreateStreamSessionAdminShellInput,
    ) -> Result<CreateStreamSessionAdminShellOutput, ApiError> {
        self.begin(caller, now, Operation::CreateStreamSessionAdminShell)?;
        let seq = self.session_seq_validated(
            caller,
            &input.identifier,
            &input.stream_session_identifier,
            || input.validate(),
        )?;
        let status = self.sessions[&seq].session.status();
        if !status.is_running() {
            return Err(ApiError::AccessNotReady {
                message: format!(
                    "Stream session {} is {status}; an admin shell needs it ACTIVE, CONNECTED, \
                     PENDING_CLIENT_RECONNECTION or RECONNECTING",
                    self.session_ids.id(seq)
                ),
            });
        }
        let session_id = format!(
            "gameliftstreams-{}-{}",
            self.session_ids.id(seq),
            self.ids.alphanumerics(17).to_ascii_lowercase()
        );
        let region = &self.config.region;
        let stream_url = format!(
            "wss://ssmmessages.{region}.amazonaws.com/v1/data-channel/{session_id}?role=publish_subscribe"
        );
        let token = self.ids.alphanumerics(96);
        Ok(CreateStreamSessionAdminShellOutput {
            session_id: Some(session_id),
            stream_url: Some(stream_url),
            token_value: Some(SensitiveString::new(token)),
        })
    }

    /// `ExportStreamSessionFiles`: the session's files go to `OutputUri` when it ends (see the
    /// module's docs for the statuses and a repeated request).
    pub fn export_stream_session_files(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ExportStreamSessionFilesInput,
    ) -> Result<(), ApiError> {
        self.begin(caller, now, Operation::ExportStreamSessionFiles)?;
        input.validate()?;
        let seq = self.session_seq(caller, &input.identifier, &input.stream_session_identifier)?;
        let status = self.sessions[&seq].session.status();
        if !status.is_running() {
            return Err(ApiError::invalid(format!(
                "Stream session {} is {status}; files can be exported only while it is ACTIVE, \
                 CONNECTED, PENDING_CLIENT_RECONNECTION or RECONNECTING",
                self.session_ids.id(seq)
            )));
        }
        let export = Export {
            output_uri: input.output_uri.clone().unwrap_or_default(),
            upload_delay: self.config.delays.export_upload,
            failure: self.config.export_failure.clone(),
        };
        let record = self.sessions.get_mut(&seq).expect("found above");
        record.extras.get_or_insert_with(Default::default).export = Some(export);
        Ok(())
    }

    /// Makes the file export of a session fail with `reason` when its upload would finish (for
    /// tests of the `FAILED` status), as an infrastructure observation: not throttled. The
    /// session must have an export that has not finished. Answers the session as
    /// `GetStreamSession` would.
    pub fn fail_export(
        &mut self,
        account: AccountId,
        now: DateTime<Utc>,
        group_identifier: &str,
        session_identifier: &str,
        reason: &str,
    ) -> Result<GetStreamSessionOutput, ApiError> {
        self.begin_internal(now);
        let seq = self.session_seq(account, group_identifier, session_identifier)?;
        let state = self
            .export_files_metadata(seq, &self.sessions[&seq])
            .and_then(|m| m.status);
        if state != Some(ExportFilesStatus::Pending) {
            return Err(ApiError::conflict(format!(
                "Stream session {} has no export under way (its export is {})",
                self.session_ids.id(seq),
                state.map_or("not requested", |s| s.as_str())
            )));
        }
        if reason.is_empty() || reason.len() > 1024 {
            return Err(ApiError::invalid(
                "The failure reason must be 1-1024 characters (ExportFilesMetadata.StatusReason)",
            ));
        }
        let record = self.sessions.get_mut(&seq).expect("found above");
        if let Some(export) = record.extras.as_mut().and_then(|e| e.export.as_mut()) {
            export.failure = Some(reason.to_owned());
        }
        Ok(self.get_output(seq))
    }

    /// The export status of a session, at the engine's time.
    pub(super) fn export_files_metadata(
        &self,
        seq: u64,
        r: &SessionRecord,
    ) -> Option<ExportFilesMetadata> {
        let export = r.extras.as_deref()?.export.as_ref()?;
        let metadata = |status, reason: Option<String>, uri: String| {
            Some(ExportFilesMetadata {
                status: Some(status),
                status_reason: reason,
                output_uri: Some(uri),
            })
        };
        let s = &r.session;
        if !s.status().is_terminal() {
            return metadata(ExportFilesStatus::Pending, None, export.output_uri.clone());
        }
        let ended = s.last_updated_at();
        if s.status() == SessionStatus::Error {
            let reason = s.reason().map_or("unknown", |r| r.as_str());
            return metadata(
                ExportFilesStatus::Failed,
                Some(format!(
                    "The stream session ended in ERROR ({reason}); its files could not be collected"
                )),
                export.output_uri.clone(),
            );
        }
        if self.now < crate::time::deadline_after(ended, export.upload_delay) {
            return metadata(ExportFilesStatus::Pending, None, export.output_uri.clone());
        }
        if let Some(reason) = &export.failure {
            return metadata(
                ExportFilesStatus::Failed,
                Some(reason.clone()),
                export.output_uri.clone(),
            );
        }
        // A prefix gets the name the service gives the zip.
        let uri = if export.output_uri.ends_with('/') {
            let (group, _) = self.session_group(r.group_seq);
            format!(
                "{}{}-{}-{}-{}.zip",
                export.output_uri,
                ended.format("%Y%m%d-%H%M%S"),
                r.application,
                group,
                self.session_ids.id(seq)
            )
        } else {
            export.output_uri.clone()
        };
        metadata(ExportFilesStatus::Succeeded, None, uri)
    }

    /// `ListApplicationShaderCaches`: every shader cache of the application, by identifier.
    pub fn list_application_shader_caches(
        &mut self,
        caller: AccountId,
        now: DateTime<Utc>,
        input: &ListApplicationShaderCachesInput,
    ) -> Result<ListApplicationShaderCachesOutput, ApiError> {
        self.begin(caller, now, Operation::ListApplicationShaderCaches)?;
        input.validate()?;
        let seq = self.application_seq(caller, "identifier", &input.identifier)?;
        let app = &self.applications[&seq];
        let arn = application_arn(&self.config.region, app.account, app.id.as_str());
        let items = app
            .shader_caches
            .iter()
            .map(|(id, c)| c.summary(id, &arn))
            .collect();
        Ok(ListApplicationShaderCachesOutput { items: Some(items) })
    }

    /// Adds a shader cache to an application, or changes the one with the same identifier
    /// (seeded state: see the module's docs). Not throttled. Refused whole, changing nothing,
    /// when the identifier is not 32 hexadecimal digits, a stream group is not one of the
    /// account's, the size is negative, or the application has [`MAX_SHADER_CACHES`] already.
    pub fn put_shader_cache(
        &mut self,
        account: AccountId,
        now: DateTime<Utc>,
        application_identifier: &str,
        seed: &ShaderCacheSeed,
    ) -> Result<ShaderCacheSummary, ApiError> {
        let now = self.begin_internal(now);
        let seq = self.application_seq(account, "applicationIdentifier", application_identifier)?;
        check_shader_cache_id(&seed.identifier)?;
        if seed.storage_bytes.is_some_and(|b| b < 0) {
            return Err(ValidationError::single(crate::Violation::new(
                "StorageBytes",
                seed.storage_bytes.unwrap_or_default(),
                crate::Constraint::Min(0),
            ))
            .into());
        }
        let mut groups = Vec::with_capacity(seed.associated_stream_groups.len());
        for value in &seed.associated_stream_groups {
            let group_seq = self.group_seq(account, "associatedStreamGroups", value)?;
            groups.push(self.groups[&group_seq].arn(&self.config.region));
        }
        let app = &self.applications[&seq];
        if !app.shader_caches.contains_key(&seed.identifier)
            && app.shader_caches.len() >= MAX_SHADER_CACHES
        {
            return Err(ApiError::ServiceQuotaExceeded {
                message: format!(
                    "Application {} has {MAX_SHADER_CACHES} shader caches, the most it may have",
                    app.id
                ),
            });
        }
        let record = ShaderCacheRecord {
            status: seed.status,
            last_updated_at: now,
            storage_bytes: seed.storage_bytes,
            associated_stream_groups: groups,
        };
        let app = self.applications.get_mut(&seq).expect("found above");
        let summary = record.summary(
            &seed.identifier,
            &application_arn(&self.config.region, account, app.id.as_str()),
        );
        app.shader_caches.insert(seed.identifier.clone(), record);
        Ok(summary)
    }

    /// Removes a shader cache from an application. Not throttled.
    pub fn remove_shader_cache(
        &mut self,
        account: AccountId,
        now: DateTime<Utc>,
        application_identifier: &str,
        identifier: &str,
    ) -> Result<(), ApiError> {
        self.begin_internal(now);
        let seq = self.application_seq(account, "applicationIdentifier", application_identifier)?;
        let app = self.applications.get_mut(&seq).expect("found above");
        app.shader_caches
            .remove(identifier)
            .map(|_| ())
            .ok_or_else(|| {
                ApiError::invalid(format!(
                    "Application {} has no shader cache {identifier}",
                    app.id
                ))
            })
    }
}

/// A shader cache's identifier: 32 hexadecimal digits.
fn check_shader_cache_id(id: &str) -> Result<(), ApiError> {
    if id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(());
    }
    Err(ValidationError::single(crate::Violation::new(
        "Identifier",
        id,
        crate::Constraint::Rule("Member must be 32 hexadecimal digits".into()),
    ))
    .into())
}
