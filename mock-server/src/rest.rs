//! The GameLift Streams REST API: every operation of [`Operation::ALL`] bound as the model binds
//! it. The routes come from [`Operation::method`] and [`Operation::uri`] (axum's `{Label}` path
//! syntax is the model's own), so the table cannot drift from the core's.
//!
//! A request becomes the operation's input in three steps: the JSON body is deserialized
//! (an empty body counts as `{}`; unknown members are ignored), then the URI labels and the
//! query-string members the model binds are filled in, and the engine validates the whole.

use std::collections::BTreeMap;
use std::str::FromStr;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, RawPathParamsRejection};
use axum::extract::{RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use gameliftstreams_lifecycle::AccountId;
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    ApiError, Constraint, Request, Response as ApiResponse, UnknownValue, ValidationError,
    Violation,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::error::{AwsError, json_body};
use crate::state::MockState;

/// The routes of every operation, grouped by URI.
pub(crate) fn router() -> Router<MockState> {
    let mut by_uri: BTreeMap<&'static str, MethodRouter<MockState>> = BTreeMap::new();
    for &op in Operation::ALL {
        let handler = move |state: State<MockState>,
                            method: Method,
                            uri: Uri,
                            labels: Result<RawPathParams, RawPathParamsRejection>,
                            RawQuery(query): RawQuery,
                            headers: HeaderMap,
                            body: Result<Bytes, BytesRejection>| async move {
            let http = HttpRequest {
                method: &method,
                uri: &uri,
                headers: &headers,
            };
            match serve(op, &state, http, labels, query, body) {
                Ok(response) => response,
                Err(e) => e.into_response(),
            }
        };
        let routes = by_uri.remove(op.uri()).unwrap_or_default();
        by_uri.insert(op.uri(), routes.on(method_filter(op), handler));
    }
    by_uri
        .into_iter()
        .fold(Router::new(), |router, (uri, routes)| {
            router.route(uri, routes)
        })
}

/// The method filter of an operation's HTTP method.
fn method_filter(op: Operation) -> MethodFilter {
    match op.method() {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        "PUT" => MethodFilter::PUT,
        "PATCH" => MethodFilter::PATCH,
        "DELETE" => MethodFilter::DELETE,
        // The model binds operations to these five methods only; the router is built once at
        // start, so a new one fails every test at once.
        other => panic!("{} is bound to unsupported method {other}", op.name()),
    }
}

/// The answer to a method and path that no operation is bound to.
pub(crate) async fn unknown_operation(method: Method, uri: Uri) -> AwsError {
    AwsError::unknown_operation(method.as_str(), uri.path())
}

/// What an API request's signature covers.
struct HttpRequest<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
}

/// One API request: the caller, the input, the engine, the output.
fn serve(
    op: Operation,
    state: &MockState,
    http: HttpRequest<'_>,
    labels: Result<RawPathParams, RawPathParamsRejection>,
    query: Option<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AwsError> {
    let unreadable =
        |e: BytesRejection| AwsError::validation(format!("Unreadable request body: {e}"));
    let accounts = state.accounts();
    // Who is calling comes first; a signature covers the body, so it needs it read.
    let (caller, body) = if accounts.verifies_signatures() {
        let body = body.map_err(unreadable)?;
        let caller = accounts.caller_of(http.method.as_str(), http.uri, http.headers, &body)?;
        (caller, body)
    } else {
        let caller = accounts.caller(http.headers)?;
        (caller, body.map_err(unreadable)?)
    };
    let labels = labels.map_err(|e| AwsError::validation(format!("Malformed URI: {e}")))?;
    let call = Call::new(caller, op, &labels, query.as_deref(), &body)?;
    tracing::debug!(operation = op.name(), account = %caller, "calling the engine");
    let response = state
        .lock()
        .perform(crate::journal::Action::Call(Box::new(call)))?
        .response()?;
    encode(op, &response)
}

/// An API call as the request carried it: what the journal records, and decodes again on
/// replay with the same code.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Call {
    pub(crate) caller: AccountId,
    pub(crate) operation: Operation,
    /// URI labels, percent-decoded.
    labels: Vec<(String, String)>,
    /// Query-string parameters, decoded, in order.
    query: Vec<(String, String)>,
    body: String,
    /// The request, once decoded.
    #[serde(skip)]
    decoded: Option<Request>,
}

impl Call {
    /// The call `caller` makes to `op` with a request's parts, decoded (or why it cannot be).
    fn new(
        caller: AccountId,
        operation: Operation,
        labels: &RawPathParams,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Self, AwsError> {
        let mut call = Self {
            caller,
            operation,
            labels: labels
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            query: query
                .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
            body: String::new(),
            decoded: None,
        };
        let parts = call.parts();
        let request = decode(operation, &parts, body)?;
        // A body that decodes is JSON (or blank), which is UTF-8.
        call.body = String::from_utf8(body.to_vec())
            .map_err(|_| AwsError::validation("Malformed request body: not UTF-8"))?;
        call.decoded = Some(request);
        Ok(call)
    }

    fn parts(&self) -> HttpParts<'_> {
        HttpParts {
            labels: self
                .labels
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            query: &self.query,
        }
    }

    /// The request, if decoded already.
    pub(crate) fn decoded(&self) -> Option<&Request> {
        self.decoded.as_ref()
    }

    /// The request, decoded from the call's parts.
    pub(crate) fn request(&self) -> Result<Request, AwsError> {
        decode(self.operation, &self.parts(), self.body.as_bytes())
    }
}

/// What a request carries besides its body.
struct HttpParts<'a> {
    /// URI labels, percent-decoded.
    labels: BTreeMap<&'a str, &'a str>,
    /// Query-string parameters, decoded, in order.
    query: &'a [(String, String)],
}

impl HttpParts<'_> {
    /// A URI label's value.
    fn label(&self, name: &str) -> Result<String, AwsError> {
        self.labels
            .get(name)
            .map(|v| (*v).to_owned())
            // The route has every label its operation binds.
            .ok_or_else(|| AwsError::internal(format!("the route has no {name} label")))
    }

    fn first(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A string query member.
    fn string(&self, name: &str) -> Result<Option<String>, AwsError> {
        Ok(self.first(name).map(str::to_owned))
    }

    /// An integer query member.
    fn integer(&self, name: &str) -> Result<Option<i32>, AwsError> {
        self.first(name)
            .map(|v| {
                v.parse().map_err(|_| {
                    invalid(
                        name,
                        v,
                        Constraint::Rule("Member must be an integer".into()),
                    )
                })
            })
            .transpose()
    }

    /// An enum query member.
    fn enumeration<T: FromStr<Err = UnknownValue>>(
        &self,
        name: &str,
    ) -> Result<Option<T>, AwsError> {
        self.first(name)
            .map(|v| {
                v.parse()
                    .map_err(|e: UnknownValue| invalid(name, v, Constraint::OneOf(e.expected)))
            })
            .transpose()
    }

    /// A list query member: the parameter repeated.
    fn list(&self, name: &str) -> Result<Option<Vec<String>>, AwsError> {
        let values: Vec<String> = self
            .query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect();
        Ok((!values.is_empty()).then_some(values))
    }
}

/// A validation error for one query member, named as the service names members.
fn invalid(name: &str, value: &str, constraint: Constraint) -> AwsError {
    let mut member = name.to_owned();
    if let Some(first) = member.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    AwsError::from(ApiError::from(ValidationError::single(Violation::new(
        member, value, constraint,
    ))))
}

/// An input whose non-body members come from the URI and the query string.
trait Bind: DeserializeOwned {
    fn bind(&mut self, parts: &HttpParts<'_>) -> Result<(), AwsError>;
}

/// Implements [`Bind`]: `field <- how("Name")` fills `field` with `parts.how("Name")`, the
/// member's location name in the model.
macro_rules! bind {
    ($($input:ty { $($field:ident <- $how:ident($name:literal)),* $(,)? })*) => {$(
        impl Bind for $input {
            #[allow(unused_variables)]
            fn bind(&mut self, parts: &HttpParts<'_>) -> Result<(), AwsError> {
                $( self.$field = parts.$how($name)?; )*
                Ok(())
            }
        }
    )*};
}

bind! {
    AddStreamGroupLocationsInput { identifier <- label("Identifier") }
    AssociateApplicationsInput { identifier <- label("Identifier") }
    CreateApplicationInput {}
    CreateStreamGroupInput {}
    CreateStreamSessionConnectionInput {
        identifier <- label("Identifier"),
        stream_session_identifier <- label("StreamSessionIdentifier"),
    }
    DeleteApplicationInput { identifier <- label("Identifier") }
    DeleteStreamGroupInput { identifier <- label("Identifier") }
    DisassociateApplicationsInput { identifier <- label("Identifier") }
    GetApplicationInput { identifier <- label("Identifier") }
    GetStreamGroupInput { identifier <- label("Identifier") }
    GetStreamSessionInput {
        identifier <- label("Identifier"),
        stream_session_identifier <- label("StreamSessionIdentifier"),
    }
    ListApplicationsInput {
        next_token <- string("NextToken"),
        max_results <- integer("MaxResults"),
    }
    ListStreamGroupsInput {
        next_token <- string("NextToken"),
        max_results <- integer("MaxResults"),
    }
    ListStreamSessionsInput {
        status <- enumeration("Status"),
        export_files_status <- enumeration("ExportFilesStatus"),
        next_token <- string("NextToken"),
        max_results <- integer("MaxResults"),
        identifier <- label("Identifier"),
    }
    ListStreamSessionsByAccountInput {
        status <- enumeration("Status"),
        export_files_status <- enumeration("ExportFilesStatus"),
        next_token <- string("NextToken"),
        max_results <- integer("MaxResults"),
    }
    RemoveStreamGroupLocationsInput {
        identifier <- label("Identifier"),
        locations <- list("locations"),
    }
    StartStreamSessionInput { identifier <- label("Identifier") }
    TerminateStreamSessionInput {
        identifier <- label("Identifier"),
        stream_session_identifier <- label("StreamSessionIdentifier"),
    }
    ListTagsForResourceInput { resource_arn <- label("ResourceArn") }
    TagResourceInput { resource_arn <- label("ResourceArn") }
    UntagResourceInput {
        resource_arn <- label("ResourceArn"),
        tag_keys <- list("tagKeys"),
    }
    UpdateApplicationInput { identifier <- label("Identifier") }
    UpdateStreamGroupInput { identifier <- label("Identifier") }
    CreateStreamSessionAdminShellInput {
        identifier <- label("Identifier"),
        stream_session_identifier <- label("StreamSessionIdentifier"),
    }
    ExportStreamSessionFilesInput {
        identifier <- label("Identifier"),
        stream_session_identifier <- label("StreamSessionIdentifier"),
    }
    ListApplicationShaderCachesInput { identifier <- label("Identifier") }
    CreateStreamUrlInput { identifier <- label("Identifier") }
    GetStreamUrlInput {
        identifier <- label("Identifier"),
        stream_url_identifier <- label("StreamUrlIdentifier"),
    }
    RevokeStreamUrlInput {
        identifier <- label("Identifier"),
        stream_url_identifier <- label("StreamUrlIdentifier"),
    }
    ListStreamUrlsInput {
        status <- enumeration("Status"),
        stream_group_identifier <- string("StreamGroupIdentifier"),
        next_token <- string("NextToken"),
        max_results <- integer("MaxResults"),
    }
}

/// One input from its body and the request's other parts.
fn input<T: Bind>(parts: &HttpParts<'_>, body: &[u8]) -> Result<T, AwsError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    let mut input: T = json_object(body)?;
    input.bind(parts)?;
    Ok(input)
}

/// A JSON object body as `T`, or a `ValidationException` saying what is wrong with it.
pub(crate) fn json_object<T: DeserializeOwned>(body: &[u8]) -> Result<T, AwsError> {
    // serde would read an array as a struct's members in order: refuse anything but an object.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AwsError::validation(
            "Malformed request body: expected a JSON object",
        ));
    }
    serde_json::from_slice(body)
        .map_err(|e| AwsError::validation(format!("Malformed request body: {e}")))
}

/// The request of `op`.
fn decode(op: Operation, parts: &HttpParts<'_>, body: &[u8]) -> Result<Request, AwsError> {
    use Operation as Op;
    Ok(match op {
        Op::AddStreamGroupLocations => Request::AddStreamGroupLocations(input(parts, body)?),
        Op::AssociateApplications => Request::AssociateApplications(input(parts, body)?),
        Op::CreateApplication => Request::CreateApplication(input(parts, body)?),
        Op::CreateStreamGroup => Request::CreateStreamGroup(input(parts, body)?),
        Op::CreateStreamSessionConnection => {
            Request::CreateStreamSessionConnection(input(parts, body)?)
        }
        Op::DeleteApplication => Request::DeleteApplication(input(parts, body)?),
        Op::DeleteStreamGroup => Request::DeleteStreamGroup(input(parts, body)?),
        Op::DisassociateApplications => Request::DisassociateApplications(input(parts, body)?),
        Op::GetApplication => Request::GetApplication(input(parts, body)?),
        Op::GetStreamGroup => Request::GetStreamGroup(input(parts, body)?),
        Op::GetStreamSession => Request::GetStreamSession(input(parts, body)?),
        Op::ListApplications => Request::ListApplications(input(parts, body)?),
        Op::ListStreamGroups => Request::ListStreamGroups(input(parts, body)?),
        Op::ListStreamSessions => Request::ListStreamSessions(input(parts, body)?),
        Op::ListStreamSessionsByAccount => {
            Request::ListStreamSessionsByAccount(input(parts, body)?)
        }
        Op::ListTagsForResource => Request::ListTagsForResource(input(parts, body)?),
        Op::RemoveStreamGroupLocations => Request::RemoveStreamGroupLocations(input(parts, body)?),
        Op::TagResource => Request::TagResource(input(parts, body)?),
        Op::UntagResource => Request::UntagResource(input(parts, body)?),
        Op::StartStreamSession => Request::StartStreamSession(input(parts, body)?),
        Op::TerminateStreamSession => Request::TerminateStreamSession(input(parts, body)?),
        Op::UpdateApplication => Request::UpdateApplication(input(parts, body)?),
        Op::UpdateStreamGroup => Request::UpdateStreamGroup(input(parts, body)?),
        Op::CreateStreamSessionAdminShell => {
            Request::CreateStreamSessionAdminShell(input(parts, body)?)
        }
        Op::ExportStreamSessionFiles => Request::ExportStreamSessionFiles(input(parts, body)?),
        Op::ListApplicationShaderCaches => {
            Request::ListApplicationShaderCaches(input(parts, body)?)
        }
        Op::CreateStreamUrl => Request::CreateStreamUrl(input(parts, body)?),
        Op::GetStreamUrl => Request::GetStreamUrl(input(parts, body)?),
        Op::ListStreamUrls => Request::ListStreamUrls(input(parts, body)?),
        Op::RevokeStreamUrl => Request::RevokeStreamUrl(input(parts, body)?),
    })
}

/// The HTTP response of a successful call: the operation's success status, and its output as
/// the JSON body (operations without output answer with an empty body).
fn encode(op: Operation, response: &ApiResponse) -> Result<Response, AwsError> {
    use ApiResponse as R;
    let mut http = match response {
        R::AddStreamGroupLocations(o) => json_body(o),
        R::AssociateApplications(o) => json_body(o),
        R::CreateApplication(o) => json_body(o),
        R::CreateStreamGroup(o) => json_body(o),
        R::CreateStreamSessionConnection(o) => json_body(o),
        R::DisassociateApplications(o) => json_body(o),
        R::GetApplication(o) => json_body(o),
        R::GetStreamGroup(o) => json_body(o),
        R::GetStreamSession(o) => json_body(o),
        R::ListApplications(o) => json_body(o),
        R::ListStreamGroups(o) => json_body(o),
        R::ListStreamSessions(o) => json_body(o),
        R::ListStreamSessionsByAccount(o) => json_body(o),
        R::StartStreamSession(o) => json_body(o),
        R::UpdateApplication(o) => json_body(o),
        R::UpdateStreamGroup(o) => json_body(o),
        R::ListTagsForResource(o) => json_body(o),
        R::CreateStreamSessionAdminShell(o) => json_body(o),
        R::ListApplicationShaderCaches(o) => json_body(o),
        R::CreateStreamUrl(o) => json_body(o),
        R::GetStreamUrl(o) => json_body(o),
        R::ListStreamUrls(o) => json_body(o),
        // The model's outputs are empty structures, answered with 200 and `{}`.
        R::TagResource(()) | R::UntagResource(()) | R::ExportStreamSessionFiles(()) => {
            json_body(&serde_json::json!({}))
        }
        R::DeleteApplication(())
        | R::DeleteStreamGroup(())
        | R::RemoveStreamGroupLocations(())
        | R::RevokeStreamUrl(())
        | R::TerminateStreamSession(()) => Response::new(Body::empty()),
    };
    if http.status().is_success() {
        *http.status_mut() = StatusCode::from_u16(op.success_status()).map_err(|e| {
            AwsError::internal(format!("{} has a bad success status: {e}", op.name()))
        })?;
    }
    Ok(http)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(labels: &[(&'a str, &'a str)], query: &[(&str, &str)]) -> HttpParts<'a> {
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        HttpParts {
            labels: labels.iter().copied().collect(),
            // Leaked: a test's few bytes.
            query: Vec::leak(query),
        }
    }

    #[test]
    fn fills_labels_and_query_members() {
        let p = parts(
            &[("Identifier", "sg-1AB2C3De4")],
            &[
                ("Status", "ACTIVE"),
                ("MaxResults", "5"),
                ("NextToken", "t"),
            ],
        );
        let Request::ListStreamSessions(i) =
            decode(Operation::ListStreamSessions, &p, b"").unwrap()
        else {
            panic!("wrong request")
        };
        assert_eq!(i.identifier, "sg-1AB2C3De4");
        assert_eq!(i.status, Some(StreamSessionStatus::Active));
        assert_eq!(i.max_results, Some(5));
        assert_eq!(i.next_token.as_deref(), Some("t"));
    }

    #[test]
    fn repeats_list_members() {
        let p = parts(
            &[("Identifier", "sg-1AB2C3De4")],
            &[("locations", "us-east-1"), ("locations", "eu-west-1")],
        );
        let Request::RemoveStreamGroupLocations(i) =
            decode(Operation::RemoveStreamGroupLocations, &p, b"").unwrap()
        else {
            panic!("wrong request")
        };
        assert_eq!(
            i.locations,
            Some(vec!["us-east-1".into(), "eu-west-1".into()])
        );
    }

    #[test]
    fn refuses_bad_query_members() {
        let p = parts(&[], &[("MaxResults", "many")]);
        let e = decode(Operation::ListStreamGroups, &p, b"").unwrap_err();
        assert_eq!(e.code(), "ValidationException");
        assert!(e.message().contains("'maxResults'"), "{}", e.message());
        let p = parts(&[], &[("Status", "SLEEPING")]);
        let e = decode(Operation::ListStreamSessionsByAccount, &p, b"").unwrap_err();
        assert!(e.message().contains("enum value set"), "{}", e.message());
    }

    #[test]
    fn refuses_malformed_bodies_and_ignores_unknown_members() {
        let p = parts(&[], &[]);
        let e = decode(Operation::CreateApplication, &p, b"{\"Description\":").unwrap_err();
        assert_eq!(e.code(), "ValidationException");
        assert!(e.message().starts_with("Malformed request body"));
        assert!(decode(Operation::CreateApplication, &p, b"[]").is_err());
        assert!(decode(Operation::CreateApplication, &p, b"{\"Unknown\": 1}").is_ok());
        assert!(decode(Operation::CreateApplication, &p, b" \n").is_ok());
    }
}
