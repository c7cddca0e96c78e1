//! [`Operation`]: the modelled operations with their HTTP bindings (method, URI, success
//! status), idempotency traits and published rate limits.

use crate::wire_enum::wire_enum;

wire_enum! {
    /// One of the GameLift Streams operations this crate models, named exactly like the
    /// operation (its wire string is the operation name, e.g. `"StartStreamSession"`).
    pub enum Operation ("Operation") {
        /// Adds locations (and their capacity) to a stream group.
        AddStreamGroupLocations = "AddStreamGroupLocations",
        /// Associates applications with a stream group.
        AssociateApplications = "AssociateApplications",
        /// Creates an application.
        CreateApplication = "CreateApplication",
        /// Creates a stream group.
        CreateStreamGroup = "CreateStreamGroup",
        /// Opens an administrative shell on a running stream session.
        CreateStreamSessionAdminShell = "CreateStreamSessionAdminShell",
        /// Reconnects a client to a stream session with a new signal request.
        CreateStreamSessionConnection = "CreateStreamSessionConnection",
        /// Creates a stream URL.
        CreateStreamUrl = "CreateStreamUrl",
        /// Deletes an application.
        DeleteApplication = "DeleteApplication",
        /// Deletes a stream group.
        DeleteStreamGroup = "DeleteStreamGroup",
        /// Disassociates applications from a stream group.
        DisassociateApplications = "DisassociateApplications",
        /// Exports a stream session's files to S3 when it ends.
        ExportStreamSessionFiles = "ExportStreamSessionFiles",
        /// Describes an application.
        GetApplication = "GetApplication",
        /// Describes a stream group.
        GetStreamGroup = "GetStreamGroup",
        /// Describes a stream session.
        GetStreamSession = "GetStreamSession",
        /// Describes a stream URL.
        GetStreamUrl = "GetStreamUrl",
        /// Lists an application's shader caches.
        ListApplicationShaderCaches = "ListApplicationShaderCaches",
        /// Lists the account's applications.
        ListApplications = "ListApplications",
        /// Lists the account's stream groups.
        ListStreamGroups = "ListStreamGroups",
        /// Lists the stream sessions of a stream group.
        ListStreamSessions = "ListStreamSessions",
        /// Lists the account's stream sessions.
        ListStreamSessionsByAccount = "ListStreamSessionsByAccount",
        /// Lists the account's stream URLs.
        ListStreamUrls = "ListStreamUrls",
        /// Lists the tags of an application or stream group.
        ListTagsForResource = "ListTagsForResource",
        /// Removes locations from a stream group.
        RemoveStreamGroupLocations = "RemoveStreamGroupLocations",
        /// Revokes a stream URL.
        RevokeStreamUrl = "RevokeStreamUrl",
        /// Starts a stream session.
        StartStreamSession = "StartStreamSession",
        /// Tags an application or stream group.
        TagResource = "TagResource",
        /// Terminates a stream session.
        TerminateStreamSession = "TerminateStreamSession",
        /// Removes tags from an application or stream group.
        UntagResource = "UntagResource",
        /// Updates an application.
        UpdateApplication = "UpdateApplication",
        /// Updates a stream group.
        UpdateStreamGroup = "UpdateStreamGroup",
    }
}

/// The model's HTTP binding and traits of one operation.
struct Binding {
    method: &'static str,
    uri: &'static str,
    success_status: u16,
    client_token: bool,
    idempotent: bool,
    rate_limit: Option<u32>,
}

const fn binding(
    method: &'static str,
    uri: &'static str,
    success_status: u16,
    client_token: bool,
    idempotent: bool,
    rate_limit: u32,
) -> Binding {
    Binding {
        method,
        uri,
        success_status,
        client_token,
        idempotent,
        rate_limit: Some(rate_limit),
    }
}

/// The binding of an operation the developer guide's rate table does not list (the stream URL,
/// admin shell and shader cache operations).
const fn unrated(
    method: &'static str,
    uri: &'static str,
    success_status: u16,
    client_token: bool,
    idempotent: bool,
) -> Binding {
    Binding {
        rate_limit: None,
        ..binding(method, uri, success_status, client_token, idempotent, 0)
    }
}

const TAGS: &str = "/tags/{ResourceArn}";

const SESSION: &str = "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}";

const STREAM_URL: &str = "/streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}";

impl Operation {
    const fn binding(self) -> Binding {
        use Operation::*;
        match self {
            AddStreamGroupLocations => binding(
                "POST",
                "/streamgroups/{Identifier}/locations",
                200,
                false,
                false,
                5,
            ),
            AssociateApplications => binding(
                "POST",
                "/streamgroups/{Identifier}/associations",
                200,
                false,
                true,
                5,
            ),
            CreateApplication => binding("POST", "/applications", 201, true, false, 5),
            CreateStreamGroup => binding("POST", "/streamgroups", 201, true, true, 1),
            CreateStreamSessionConnection => binding(
                "POST",
                "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/connections",
                200,
                true,
                false,
                20,
            ),
            DeleteApplication => {
                binding("DELETE", "/applications/{Identifier}", 204, false, true, 5)
            }
            DeleteStreamGroup => {
                binding("DELETE", "/streamgroups/{Identifier}", 204, false, true, 5)
            }
            DisassociateApplications => binding(
                "POST",
                "/streamgroups/{Identifier}/disassociations",
                200,
                false,
                true,
                5,
            ),
            GetApplication => binding("GET", "/applications/{Identifier}", 200, false, false, 10),
            GetStreamGroup => binding("GET", "/streamgroups/{Identifier}", 200, false, false, 10),
            GetStreamSession => binding("GET", SESSION, 200, false, false, 20),
            ListApplications => binding("GET", "/applications", 200, false, false, 10),
            ListStreamGroups => binding("GET", "/streamgroups", 200, false, false, 10),
            ListStreamSessions => binding(
                "GET",
                "/streamgroups/{Identifier}/streamsessions",
                200,
                false,
                false,
                20,
            ),
            ListStreamSessionsByAccount => binding("GET", "/streamsessions", 200, false, false, 20),
            RemoveStreamGroupLocations => binding(
                "DELETE",
                "/streamgroups/{Identifier}/locations",
                204,
                false,
                true,
                5,
            ),
            StartStreamSession => binding(
                "POST",
                "/streamgroups/{Identifier}/streamsessions",
                201,
                true,
                false,
                20,
            ),
            TerminateStreamSession => binding("DELETE", SESSION, 204, false, true, 20),
            CreateStreamSessionAdminShell => unrated(
                "POST",
                "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/access",
                200,
                false,
                false,
            ),
            ExportStreamSessionFiles => binding(
                "PUT",
                "/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}/exportfiles",
                200,
                false,
                true,
                20,
            ),
            CreateStreamUrl => unrated(
                "POST",
                "/streamgroups/{Identifier}/streamurls",
                201,
                true,
                true,
            ),
            GetStreamUrl => unrated("GET", STREAM_URL, 200, false, false),
            ListStreamUrls => unrated("GET", "/streamurls", 200, false, false),
            RevokeStreamUrl => unrated(
                "POST",
                "/streamgroups/{Identifier}/streamurls/{StreamUrlIdentifier}/revoke",
                204,
                false,
                true,
            ),
            ListApplicationShaderCaches => unrated(
                "GET",
                "/applications/{Identifier}/shadercaches",
                200,
                false,
                false,
            ),
            ListTagsForResource => binding("GET", TAGS, 200, false, false, 10),
            TagResource => binding("POST", TAGS, 200, false, true, 10),
            UntagResource => binding("DELETE", TAGS, 200, false, true, 10),
            UpdateApplication => {
                binding("PATCH", "/applications/{Identifier}", 200, false, false, 5)
            }
            UpdateStreamGroup => {
                binding("PATCH", "/streamgroups/{Identifier}", 200, false, false, 5)
            }
        }
    }

    /// The operation's name, as the model spells it (`"StartStreamSession"`).
    pub const fn name(self) -> &'static str {
        self.as_str()
    }

    /// The HTTP method: `"GET"`, `"POST"`, `"PATCH"`, `"DELETE"` or `"PUT"`.
    pub const fn method(self) -> &'static str {
        self.binding().method
    }

    /// The model's `requestUri`, with its labels in braces
    /// (`"/streamgroups/{Identifier}/streamsessions/{StreamSessionIdentifier}"`).
    pub const fn uri(self) -> &'static str {
        self.binding().uri
    }

    /// The HTTP status of a successful response: the model's `responseCode` (200 when it
    /// gives none).
    pub const fn success_status(self) -> u16 {
        self.binding().success_status
    }

    /// Whether the input has a `ClientToken` member (the model's `idempotencyToken` trait).
    pub const fn has_client_token(self) -> bool {
        self.binding().client_token
    }

    /// Whether the model marks the operation `"idempotent": true`.
    pub const fn is_idempotent(self) -> bool {
        self.binding().idempotent
    }

    /// The account's request rate limit per second in a Region, from the developer guide's API
    /// rate limits page (`None` if it lists none: the engine's throttling then uses 20 a
    /// second, or the rate configured in [`Throttling::rates`](crate::Throttling::rates)).
    pub const fn rate_limit_per_second(self) -> Option<u32> {
        self.binding().rate_limit
    }
}
