//! One entry point for every operation: [`Request`] in, [`Response`] out. The HTTP adapter,
//! the determinism tests and the fuzzers drive the engine through it.

use chrono::{DateTime, Utc};

use super::{ApiError, Engine};
use crate::api::*;
use crate::arn::AccountId;

macro_rules! operations {
    ($( $(#[$doc:meta])* $op:ident => $method:ident($input:ty) -> $output:ty; )*) => {
        /// A request to one operation, with its input.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum Request {
            $( $(#[$doc])* $op($input), )*
        }

        /// The successful answer of one operation. Serializes as
        /// `{"<Operation>": <the output's wire JSON>}` (`null` for operations without output).
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[allow(clippy::large_enum_variant)]
        pub enum Response {
            $( $(#[$doc])* $op($output), )*
        }

        impl Request {
            /// The operation requested.
            pub fn operation(&self) -> Operation {
                match self {
                    $( Self::$op(_) => Operation::$op, )*
                }
            }
        }

        impl Response {
            /// The operation answered.
            pub fn operation(&self) -> Operation {
                match self {
                    $( Self::$op(_) => Operation::$op, )*
                }
            }
        }

        impl Engine {
            /// Performs `request` for `caller` at `now`.
            pub fn call(
                &mut self,
                caller: AccountId,
                now: DateTime<Utc>,
                request: &Request,
            ) -> Result<Response, ApiError> {
                match request {
                    $( Request::$op(input) => self.$method(caller, now, input).map(Response::$op), )*
                }
            }
        }
    };
}

operations! {
    /// `AddStreamGroupLocations`
    AddStreamGroupLocations => add_stream_group_locations(AddStreamGroupLocationsInput) -> AddStreamGroupLocationsOutput;
    /// `AssociateApplications`
    AssociateApplications => associate_applications(AssociateApplicationsInput) -> AssociateApplicationsOutput;
    /// `CreateApplication`
    CreateApplication => create_application(CreateApplicationInput) -> CreateApplicationOutput;
    /// `CreateStreamGroup`
    CreateStreamGroup => create_stream_group(CreateStreamGroupInput) -> CreateStreamGroupOutput;
    /// `CreateStreamSessionAdminShell`
    CreateStreamSessionAdminShell => create_stream_session_admin_shell(CreateStreamSessionAdminShellInput) -> CreateStreamSessionAdminShellOutput;
    /// `CreateStreamSessionConnection`
    CreateStreamSessionConnection => create_stream_session_connection(CreateStreamSessionConnectionInput) -> CreateStreamSessionConnectionOutput;
    /// `CreateStreamUrl`
    CreateStreamUrl => create_stream_url(CreateStreamUrlInput) -> CreateStreamUrlOutput;
    /// `DeleteApplication`
    DeleteApplication => delete_application(DeleteApplicationInput) -> ();
    /// `DeleteStreamGroup`
    DeleteStreamGroup => delete_stream_group(DeleteStreamGroupInput) -> ();
    /// `DisassociateApplications`
    DisassociateApplications => disassociate_applications(DisassociateApplicationsInput) -> DisassociateApplicationsOutput;
    /// `ExportStreamSessionFiles`
    ExportStreamSessionFiles => export_stream_session_files(ExportStreamSessionFilesInput) -> ();
    /// `GetApplication`
    GetApplication => get_application(GetApplicationInput) -> GetApplicationOutput;
    /// `GetStreamGroup`
    GetStreamGroup => get_stream_group(GetStreamGroupInput) -> GetStreamGroupOutput;
    /// `GetStreamSession`
    GetStreamSession => get_stream_session(GetStreamSessionInput) -> GetStreamSessionOutput;
    /// `GetStreamUrl`
    GetStreamUrl => get_stream_url(GetStreamUrlInput) -> GetStreamUrlOutput;
    /// `ListApplicationShaderCaches`
    ListApplicationShaderCaches => list_application_shader_caches(ListApplicationShaderCachesInput) -> ListApplicationShaderCachesOutput;
    /// `ListApplications`
    ListApplications => list_applications(ListApplicationsInput) -> ListApplicationsOutput;
    /// `ListStreamGroups`
    ListStreamGroups => list_stream_groups(ListStreamGroupsInput) -> ListStreamGroupsOutput;
    /// `ListStreamSessions`
    ListStreamSessions => list_stream_sessions(ListStreamSessionsInput) -> ListStreamSessionsOutput;
    /// `ListStreamSessionsByAccount`
    ListStreamSessionsByAccount => list_stream_sessions_by_account(ListStreamSessionsByAccountInput) -> ListStreamSessionsByAccountOutput;
    /// `ListStreamUrls`
    ListStreamUrls => list_stream_urls(ListStreamUrlsInput) -> ListStreamUrlsOutput;
    /// `ListTagsForResource`
    ListTagsForResource => list_tags_for_resource(ListTagsForResourceInput) -> ListTagsForResourceOutput;
    /// `RemoveStreamGroupLocations`
    RemoveStreamGroupLocations => remove_stream_group_locations(RemoveStreamGroupLocationsInput) -> ();
    /// `RevokeStreamUrl`
    RevokeStreamUrl => revoke_stream_url(RevokeStreamUrlInput) -> ();
    /// `StartStreamSession`
    StartStreamSession => start_stream_session(StartStreamSessionInput) -> StartStreamSessionOutput;
    /// `TagResource`
    TagResource => tag_resource(TagResourceInput) -> ();
    /// `TerminateStreamSession`
    TerminateStreamSession => terminate_stream_session(TerminateStreamSessionInput) -> ();
    /// `UntagResource`
    UntagResource => untag_resource(UntagResourceInput) -> ();
    /// `UpdateApplication`
    UpdateApplication => update_application(UpdateApplicationInput) -> UpdateApplicationOutput;
    /// `UpdateStreamGroup`
    UpdateStreamGroup => update_stream_group(UpdateStreamGroupInput) -> UpdateStreamGroupOutput;
}
