//! Scripted histories: one operation type ([`Op`]) that property tests, fuzzers and
//! determinism tests all generate, and a [`Driver`] that plays it against an [`Engine`].
//!
//! Ops name resources by index into the resources created so far (modulo their number), so any
//! sequence of ops is meaningful: most calls are valid, some are refused on purpose (a missing
//! resource, another account, a bad input), and time moves forward in steps.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::api::*;
use crate::arn::AccountId;
use crate::engine::{
    ApiError, Engine, InfrastructureFault, Observation, Request, Response, ShaderCacheSeed,
};
use crate::{SessionStatus, StatusReason};

/// The accounts scripts act as (`account % 3`).
pub const ACCOUNTS: [AccountId; 3] = [
    AccountId::DEFAULT,
    // Twelve digits, so these cannot fail.
    match AccountId::from_number(111_111_111_111) {
        Some(a) => a,
        None => AccountId::DEFAULT,
    },
    match AccountId::from_number(222_222_222_222) {
        Some(a) => a,
        None => AccountId::DEFAULT,
    },
];

/// The locations scripts use (`location % 4`); the first is the engine's default region.
pub const LOCATIONS: [&str; 4] = ["us-west-2", "us-east-1", "eu-west-1", "ap-northeast-1"];

/// An infrastructure observation, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Happening {
    /// [`Observation::ClientConnected`]
    ClientConnected,
    /// [`Observation::ClientDisconnected`]
    ClientDisconnected,
    /// [`Observation::UserInput`]
    UserInput,
    /// [`Observation::ApplicationExited`]
    ApplicationExited,
    /// [`Observation::Failed`] with `internalError`.
    Failed,
}

/// One step of a scripted history.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Op {
    /// Time passes.
    Advance {
        /// How much, in milliseconds.
        millis: u32,
    },
    /// A call arrives with a `now` earlier than the latest seen (time never runs backwards).
    Late {
        /// How much earlier, in milliseconds.
        millis: u32,
        /// The request it carries: `GetStreamSession` of this session.
        session: u8,
    },
    /// `CreateApplication`.
    CreateApplication {
        /// The account (`% 3`).
        account: u8,
        /// A Windows runtime instead of Proton.
        windows: bool,
        /// A client token (`None`: none).
        token: Option<u8>,
    },
    /// `CreateStreamGroup` with the application as default.
    CreateStreamGroup {
        /// The application (index).
        app: u8,
        /// Always-on and maximum capacity of the primary location (`% 4`).
        capacity: (u8, u8),
        /// Also configure a second location (`% 4`), if not the primary.
        second_location: Option<u8>,
        /// A client token.
        token: Option<u8>,
    },
    /// `UpdateStreamGroup`: the primary location's capacity.
    UpdateCapacity {
        /// The group (index).
        group: u8,
        /// Always-on and maximum capacity (`% 4`).
        capacity: (u8, u8),
    },
    /// `AddStreamGroupLocations` of one location.
    AddLocation {
        /// The group (index).
        group: u8,
        /// The location (`% 4`).
        location: u8,
    },
    /// `RemoveStreamGroupLocations` of one location.
    RemoveLocation {
        /// The group (index).
        group: u8,
        /// The location (`% 4`).
        location: u8,
    },
    /// `AssociateApplications` (or `DisassociateApplications`).
    Associate {
        /// The group (index).
        group: u8,
        /// The application (index).
        app: u8,
        /// Disassociate instead.
        undo: bool,
    },
    /// `DeleteStreamGroup`.
    DeleteStreamGroup {
        /// The group (index).
        group: u8,
    },
    /// `DeleteApplication`.
    DeleteApplication {
        /// The application (index).
        app: u8,
    },
    /// `StartStreamSession`.
    StartStreamSession {
        /// The group (index).
        group: u8,
        /// The application (index).
        app: u8,
        /// `ConnectionTimeoutSeconds` (`None`: the default).
        connection_timeout: Option<u16>,
        /// `Locations`: up to two, by index (`% 4`).
        locations: Vec<u8>,
        /// A client token.
        token: Option<u8>,
    },
    /// `GetStreamSession`.
    GetStreamSession {
        /// The session (index).
        session: u8,
    },
    /// `TerminateStreamSession`.
    TerminateStreamSession {
        /// The session (index).
        session: u8,
    },
    /// `CreateStreamSessionConnection`.
    Reconnect {
        /// The session (index).
        session: u8,
        /// Reuse the session's last offer (refused) instead of a new one.
        reuse_offer: bool,
        /// A client token.
        token: Option<u8>,
    },
    /// An infrastructure observation on a session.
    Observe {
        /// The session (index).
        session: u8,
        /// What happened.
        happening: Happening,
    },
    /// An infrastructure fault scheduled a little later.
    Fault {
        /// The session (index) whose application crashes.
        session: u8,
        /// In how many milliseconds.
        in_millis: u16,
    },
    /// `ListStreamSessions` of a group, following one `NextToken`.
    ListStreamSessions {
        /// The group (index).
        group: u8,
        /// `MaxResults` (`% 5 + 1`).
        max: u8,
        /// Filter by this status (`% 8`).
        status: Option<u8>,
    },
    /// `ListStreamSessionsByAccount`, `ListStreamGroups` and `ListApplications`.
    ListAll {
        /// The account (`% 3`).
        account: u8,
    },
    /// A call as another account, on a resource it does not own.
    Trespass {
        /// The session (index).
        session: u8,
        /// The account (`% 3`).
        account: u8,
    },
    /// A call with an invalid input: `ConnectionTimeoutSeconds` out of range.
    Invalid {
        /// The group (index).
        group: u8,
        /// The value (`0` or `> 3600`).
        connection_timeout: u16,
    },
    // The variants below came with the stream URL, admin shell, file export and shader cache
    // operations. They stay after the older ones; how the committed fuzz corpus decodes is kept
    // by re-encoding it whenever variants are added (see `fuzz/README.md`).
    /// `CreateStreamUrl` in a group's primary location, as the group's owner.
    CreateStreamUrl {
        /// The group (index).
        group: u8,
        /// The application (index): another account's, or one not associated, is refused.
        app: u8,
        /// `UrlExpiresAfterMinutes` ([`url_minutes`]).
        minutes: u8,
        /// `UsageLimit` ([`url_uses`]).
        uses: u8,
        /// A client token.
        token: Option<u8>,
    },
    /// `GetStreamUrl`.
    GetStreamUrl {
        /// The stream URL (index).
        url: u8,
    },
    /// `ListStreamUrls`, following one `NextToken`.
    ListStreamUrls {
        /// The account (`% 3`).
        account: u8,
        /// Filter by this status (`% 4`).
        status: Option<u8>,
        /// Filter by this group (index; it may be another account's).
        group: Option<u8>,
        /// `MaxResults` (`% 5 + 1`).
        max: u8,
    },
    /// `RevokeStreamUrl`.
    RevokeStreamUrl {
        /// The stream URL (index).
        url: u8,
        /// `REVOKE_AND_TERMINATE_SESSIONS` instead of `REVOKE_URL`.
        terminate: bool,
    },
    /// [`Engine::open_stream_url`] with a new offer: a session starts (and is remembered).
    OpenStreamUrl {
        /// The stream URL (index).
        url: u8,
        /// Present a token that is not the URL's (refused).
        bad_token: bool,
    },
    /// `CreateStreamSessionAdminShell`.
    AdminShell {
        /// The session (index).
        session: u8,
    },
    /// `ExportStreamSessionFiles`.
    ExportFiles {
        /// The session (index).
        session: u8,
        /// An `OutputUri` prefix (`…/`) instead of a `.zip` key.
        prefix: bool,
    },
    /// [`Engine::fail_export`]: the session's export fails when its upload would finish.
    FailExport {
        /// The session (index).
        session: u8,
    },
    /// [`Engine::put_shader_cache`], as the application's owner.
    PutShaderCache {
        /// The application (index).
        app: u8,
        /// The cache ([`shader_cache_id`]).
        cache: u8,
        /// Its status (`% 5`).
        status: u8,
        /// A stream group it applies to (index; it may be another account's).
        group: Option<u8>,
    },
    /// [`Engine::remove_shader_cache`].
    RemoveShaderCache {
        /// The application (index).
        app: u8,
        /// The cache ([`shader_cache_id`]).
        cache: u8,
    },
    /// `ListApplicationShaderCaches`.
    ListShaderCaches {
        /// The application (index).
        app: u8,
    },
    // The tagging operations came next.
    /// `TagResource` with the keys [`tag_keys`]`(first, count)`, each valued `v{value % 4}`.
    TagResource {
        /// What to tag ([`Driver::tag_target`]): an application, a stream group, or a stream
        /// session (not taggable: refused).
        resource: u8,
        /// The first key.
        first: u8,
        /// How many keys.
        count: u8,
        /// The values.
        value: u8,
        /// Call as the next account instead of the owner (refused: AccessDenied).
        stranger: bool,
    },
    /// `UntagResource` of the keys [`tag_keys`]`(first, count)`.
    UntagResource {
        /// What to untag ([`Driver::tag_target`]).
        resource: u8,
        /// The first key.
        first: u8,
        /// How many keys.
        count: u8,
    },
    /// `ListTagsForResource`.
    ListTags {
        /// Whose tags ([`Driver::tag_target`]).
        resource: u8,
    },
}

/// The tag keys of [`Op::TagResource`] and [`Op::UntagResource`]: `count % 8` keys from
/// `tag-{first % 64}` on (wrapping within the 64), so that a resource can be given more than
/// [`MAX_TAGS_PER_RESOURCE`](crate::MAX_TAGS_PER_RESOURCE) over a history. No keys (`count`
/// a multiple of 8) are refused, as is the one empty key that `first` = `255` writes.
pub fn tag_keys(first: u8, count: u8) -> Vec<String> {
    if first == u8::MAX {
        return vec![String::new()];
    }
    (0..count % 8)
        .map(|i| format!("tag-{:02}", (u32::from(first) + u32::from(i)) % 64))
        .collect()
}

/// `UrlExpiresAfterMinutes` of [`Op::CreateStreamUrl`] and the engine model's step: `255` is
/// one more than the quota (refused), anything else `minutes % 10 + 1`.
pub fn url_minutes(minutes: u8) -> u32 {
    if minutes == u8::MAX {
        10_081
    } else {
        u32::from(minutes % 10) + 1
    }
}

/// `UsageLimit` of [`Op::CreateStreamUrl`] and the engine model's step: `255` is one more than
/// the quota (refused), anything else `uses % 3 + 1`.
pub fn url_uses(uses: u8) -> u32 {
    if uses == u8::MAX {
        1001
    } else {
        u32::from(uses % 3) + 1
    }
}

/// The identifier of shader cache `cache`: one of four 32-hex-digit identifiers, or (`255`)
/// one that is not an identifier (refused).
pub fn shader_cache_id(cache: u8) -> String {
    if cache == u8::MAX {
        "not-a-shader-cache".into()
    } else {
        format!(
            "{:032x}",
            0x1271_e693_c50b_940e_u128 + u128::from(cache % 4)
        )
    }
}

/// The status of a seeded shader cache (`status % 5`).
pub fn shader_cache_status(status: u8) -> ShaderCacheStatus {
    ShaderCacheStatus::ALL[usize::from(status) % ShaderCacheStatus::ALL.len()]
}

/// The size of seeded shader cache `cache`.
pub fn shader_cache_bytes(cache: u8) -> Option<i64> {
    (cache % 2 == 0).then(|| 1024 * i64::from(cache))
}

/// The `OutputUri` of an export: a prefix (the engine names the zip) or a `.zip` key.
pub fn export_uri(prefix: bool) -> &'static str {
    if prefix {
        "s3://exports-bucket/sessions/"
    } else {
        "s3://exports-bucket/sessions/files.zip"
    }
}

/// The reason [`Op::FailExport`] and the engine model give [`Engine::fail_export`].
pub const EXPORT_FAILURE: &str = "the upload to the bucket failed (scripted)";

/// The token in a stream URL's `StreamUrl` (`…/stream?token=…`).
pub fn stream_url_token(url: &str) -> Option<&str> {
    url.rsplit_once("token=").map(|(_, t)| t)
}

/// A token of the right length that is no URL's (theirs are alphanumeric).
pub const WRONG_TOKEN: &str = "--------------------------------";

/// What one op produced, for comparing runs.
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)] // built once per op, compared, dropped
pub enum Outcome {
    /// Time passed.
    Advanced,
    /// Calls answered, in order.
    Answers(Vec<Result<Response, ApiError>>),
    /// An observation's answer.
    Observed(Result<GetStreamSessionOutput, ApiError>),
    /// A fault scheduled (its ID), or refused.
    Scheduled(Result<u64, ApiError>),
    /// A shader cache seeded (`Some`) or removed (`None`), or refused.
    Seeded(Result<Option<ShaderCacheSummary>, ApiError>),
}

/// Plays [`Op`]s against an [`Engine`], keeping the resources they created.
#[derive(Clone, Debug)]
pub struct Driver {
    /// The driver's clock.
    pub now: DateTime<Utc>,
    apps: Vec<(AccountId, String)>,
    groups: Vec<(AccountId, String)>,
    sessions: Vec<(AccountId, String, String)>,
    urls: Vec<ScriptUrl>,
    offers: u64,
}

/// A stream URL a [`Driver`] created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptUrl {
    /// Its account.
    pub account: AccountId,
    /// Its stream group's ARN.
    pub group: String,
    /// Its ID.
    pub id: String,
    /// Its token (from its `StreamUrl`).
    pub token: String,
}

/// The clock's start: 2026-01-01T00:00:00Z.
pub fn epoch() -> DateTime<Utc> {
    // A constant in range, so this cannot fail.
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

fn pick<T>(items: &[T], i: u8) -> Option<&T> {
    (!items.is_empty()).then(|| &items[usize::from(i) % items.len()])
}

/// The account after `account` in [`ACCOUNTS`] (a stranger to its resources).
fn next_account(account: AccountId) -> AccountId {
    let i = ACCOUNTS.iter().position(|a| *a == account).unwrap_or(0);
    ACCOUNTS[(i + 1) % ACCOUNTS.len()]
}

fn token(t: Option<u8>) -> Option<String> {
    t.map(|t| format!("client-token-{t:03}-0123456789abcdefghijklmnop"))
}

impl Default for Driver {
    fn default() -> Self {
        Self::new()
    }
}

impl Driver {
    /// A driver at [`epoch()`] with nothing created.
    pub fn new() -> Self {
        Self {
            now: epoch(),
            apps: Vec::new(),
            groups: Vec::new(),
            sessions: Vec::new(),
            urls: Vec::new(),
            offers: 0,
        }
    }

    /// The stream sessions created so far (by a call or a stream URL): (account, group ARN,
    /// session ARN).
    pub fn sessions(&self) -> &[(AccountId, String, String)] {
        &self.sessions
    }

    /// The stream URLs created so far.
    pub fn urls(&self) -> &[ScriptUrl] {
        &self.urls
    }

    /// What the tagging ops' `resource` names: an index into the applications, stream groups
    /// and stream sessions created so far, in that order (modulo their number), with its
    /// owner and ARN; `None` while there are none.
    pub fn tag_target(&self, resource: u8) -> Option<(AccountId, &str)> {
        let (apps, groups) = (self.apps.len(), self.groups.len());
        let all = apps + groups + self.sessions.len();
        let i = (all > 0).then(|| usize::from(resource) % all)?;
        Some(if i < apps {
            (self.apps[i].0, self.apps[i].1.as_str())
        } else if i < apps + groups {
            let (account, arn) = &self.groups[i - apps];
            (*account, arn.as_str())
        } else {
            let (account, _, arn) = &self.sessions[i - apps - groups];
            (*account, arn.as_str())
        })
    }

    /// Brings this driver, a copy of `leader` taken before an op that `leader` played and the
    /// engine refused, level with `leader` again: a refused op created nothing, so only the
    /// clock and the count of offers can differ. Panics if `leader` created something since.
    pub fn follow_refused(&mut self, leader: &Driver) {
        let counts = |d: &Driver| (d.apps.len(), d.groups.len(), d.sessions.len(), d.urls.len());
        assert_eq!(
            counts(self),
            counts(leader),
            "a refused op created something"
        );
        self.now = leader.now;
        self.offers = leader.offers;
    }

    /// Plays `op` against `engine`.
    pub fn step(&mut self, engine: &mut Engine, op: &Op) -> Outcome {
        let now = self.now;
        match op {
            Op::Advance { millis } => {
                self.now += TimeDelta::milliseconds(i64::from(*millis));
                engine.advance(self.now);
                Outcome::Advanced
            }
            Op::Late { millis, session } => {
                let earlier = now - TimeDelta::milliseconds(i64::from(*millis));
                let Some((account, group, session)) = pick(&self.sessions, *session).cloned()
                else {
                    return Outcome::Answers(vec![]);
                };
                let request = Request::GetStreamSession(GetStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: session,
                });
                Outcome::Answers(vec![engine.call(account, earlier, &request)])
            }
            Op::CreateApplication {
                account,
                windows,
                token: t,
            } => {
                let account = ACCOUNTS[usize::from(*account) % 3];
                let (kind, exe) = if *windows {
                    (RuntimeEnvironmentType::Windows, "game.exe")
                } else {
                    (RuntimeEnvironmentType::Ubuntu, "bin/game")
                };
                let input = CreateApplicationInput {
                    description: Some("scripted".into()),
                    runtime_environment: Some(RuntimeEnvironment {
                        r#type: Some(kind),
                        version: Some("22_04_LTS".into()),
                    }),
                    executable_path: Some(exe.into()),
                    application_source_uri: Some("s3://bucket/game".into()),
                    client_token: token(*t),
                    ..Default::default()
                };
                let answer = engine.call(account, now, &Request::CreateApplication(input));
                if let Ok(Response::CreateApplication(out)) = &answer {
                    if let Some(arn) = &out.arn {
                        if !self.apps.iter().any(|(_, a)| a == arn) {
                            self.apps.push((account, arn.clone()));
                        }
                    }
                }
                Outcome::Answers(vec![answer])
            }
            Op::CreateStreamGroup {
                app,
                capacity,
                second_location,
                token: t,
            } => {
                let Some((account, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let mut locations = vec![capacity_config(LOCATIONS[0], *capacity)];
                if let Some(l) = second_location.map(|l| LOCATIONS[usize::from(l) % 4]) {
                    if l != LOCATIONS[0] {
                        locations.push(capacity_config(l, (1, 2)));
                    }
                }
                let input = CreateStreamGroupInput {
                    description: Some("scripted".into()),
                    stream_class: Some(StreamClass::Gen5nUltra),
                    default_application_identifier: Some(app),
                    location_configurations: Some(locations),
                    client_token: token(*t),
                    ..Default::default()
                };
                let answer = engine.call(account, now, &Request::CreateStreamGroup(input));
                if let Ok(Response::CreateStreamGroup(out)) = &answer {
                    if let Some(arn) = &out.arn {
                        if !self.groups.iter().any(|(_, g)| g == arn) {
                            self.groups.push((account, arn.clone()));
                        }
                    }
                }
                Outcome::Answers(vec![answer])
            }
            Op::UpdateCapacity { group, capacity } => self.on_group(engine, *group, |g| {
                Request::UpdateStreamGroup(UpdateStreamGroupInput {
                    identifier: g,
                    location_configurations: Some(vec![capacity_config(LOCATIONS[0], *capacity)]),
                    ..Default::default()
                })
            }),
            Op::AddLocation { group, location } => self.on_group(engine, *group, |g| {
                Request::AddStreamGroupLocations(AddStreamGroupLocationsInput {
                    identifier: g,
                    location_configurations: Some(vec![capacity_config(
                        LOCATIONS[usize::from(*location) % 4],
                        (0, 1),
                    )]),
                })
            }),
            Op::RemoveLocation { group, location } => self.on_group(engine, *group, |g| {
                Request::RemoveStreamGroupLocations(RemoveStreamGroupLocationsInput {
                    identifier: g,
                    locations: Some(vec![LOCATIONS[usize::from(*location) % 4].into()]),
                })
            }),
            Op::Associate { group, app, undo } => {
                let Some((_, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                self.on_group(engine, *group, |g| {
                    if *undo {
                        Request::DisassociateApplications(DisassociateApplicationsInput {
                            identifier: g,
                            application_identifiers: Some(vec![app]),
                        })
                    } else {
                        Request::AssociateApplications(AssociateApplicationsInput {
                            identifier: g,
                            application_identifiers: Some(vec![app]),
                        })
                    }
                })
            }
            Op::DeleteStreamGroup { group } => self.on_group(engine, *group, |g| {
                Request::DeleteStreamGroup(DeleteStreamGroupInput { identifier: g })
            }),
            Op::DeleteApplication { app } => {
                let Some((account, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let request =
                    Request::DeleteApplication(DeleteApplicationInput { identifier: app });
                Outcome::Answers(vec![engine.call(account, now, &request)])
            }
            Op::StartStreamSession {
                group,
                app,
                connection_timeout,
                locations,
                token: t,
            } => {
                let Some((_, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let Some((account, group)) = pick(&self.groups, *group).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                self.offers += 1;
                let input = StartStreamSessionInput {
                    identifier: group.clone(),
                    protocol: Some(Protocol::WebRtc),
                    signal_request: Some(format!("v=0 offer {}", self.offers).into()),
                    application_identifier: Some(app),
                    connection_timeout_seconds: connection_timeout.map(|c| i32::from(c % 300) + 1),
                    locations: (!locations.is_empty()).then(|| {
                        locations
                            .iter()
                            .take(2)
                            .map(|l| LOCATIONS[usize::from(*l) % 4].to_owned())
                            .collect()
                    }),
                    client_token: token(*t),
                    ..Default::default()
                };
                let answer = engine.call(account, now, &Request::StartStreamSession(input));
                if let Ok(Response::StartStreamSession(out)) = &answer {
                    if let Some(arn) = &out.arn {
                        if !self.sessions.iter().any(|(_, _, s)| s == arn) {
                            self.sessions.push((account, group, arn.clone()));
                        }
                    }
                }
                Outcome::Answers(vec![answer])
            }
            Op::GetStreamSession { session } => self.on_session(engine, *session, |g, s| {
                Request::GetStreamSession(GetStreamSessionInput {
                    identifier: g,
                    stream_session_identifier: s,
                })
            }),
            Op::TerminateStreamSession { session } => self.on_session(engine, *session, |g, s| {
                Request::TerminateStreamSession(TerminateStreamSessionInput {
                    identifier: g,
                    stream_session_identifier: s,
                })
            }),
            Op::Reconnect {
                session,
                reuse_offer,
                token: t,
            } => {
                if !reuse_offer {
                    self.offers += 1;
                }
                let offer = format!("v=0 offer {}", self.offers);
                self.on_session(engine, *session, |g, s| {
                    Request::CreateStreamSessionConnection(CreateStreamSessionConnectionInput {
                        identifier: g,
                        stream_session_identifier: s,
                        signal_request: Some(offer.into()),
                        client_token: token(*t),
                    })
                })
            }
            Op::Observe { session, happening } => {
                let Some((account, group, session)) = pick(&self.sessions, *session).cloned()
                else {
                    return Outcome::Answers(vec![]);
                };
                let observation = match happening {
                    Happening::ClientConnected => Observation::ClientConnected,
                    Happening::ClientDisconnected => Observation::ClientDisconnected,
                    Happening::UserInput => Observation::UserInput,
                    Happening::ApplicationExited => Observation::ApplicationExited,
                    Happening::Failed => Observation::Failed(StatusReason::InternalError),
                };
                Outcome::Observed(engine.apply(account, now, &group, &session, observation))
            }
            Op::Fault { session, in_millis } => {
                let Some((account, group, session)) = pick(&self.sessions, *session).cloned()
                else {
                    return Outcome::Answers(vec![]);
                };
                let at = now + TimeDelta::milliseconds(i64::from(*in_millis));
                let fault = InfrastructureFault::ApplicationCrash {
                    stream_group: group,
                    stream_session: session,
                };
                Outcome::Scheduled(engine.schedule_fault(account, at, &fault))
            }
            Op::ListStreamSessions { group, max, status } => {
                let Some((account, group)) = pick(&self.groups, *group).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let input = ListStreamSessionsInput {
                    identifier: group,
                    max_results: Some(i32::from(max % 5) + 1),
                    status: status.map(|s| SessionStatus::ALL[usize::from(s) % 8]),
                    ..Default::default()
                };
                let first = engine.call(account, now, &Request::ListStreamSessions(input.clone()));
                let mut answers = vec![first];
                if let Some(Ok(Response::ListStreamSessions(out))) = answers.first() {
                    if let Some(token) = out.next_token.clone() {
                        let next = ListStreamSessionsInput {
                            next_token: Some(token),
                            ..input
                        };
                        answers.push(engine.call(account, now, &Request::ListStreamSessions(next)));
                    }
                }
                Outcome::Answers(answers)
            }
            Op::ListAll { account } => {
                let account = ACCOUNTS[usize::from(*account) % 3];
                let requests = [
                    Request::ListStreamSessionsByAccount(Default::default()),
                    Request::ListStreamGroups(Default::default()),
                    Request::ListApplications(Default::default()),
                ];
                Outcome::Answers(
                    requests
                        .iter()
                        .map(|r| engine.call(account, now, r))
                        .collect(),
                )
            }
            Op::Trespass { session, account } => {
                let Some((owner, group, session)) = pick(&self.sessions, *session).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let caller = ACCOUNTS[usize::from(*account) % 3];
                let caller = if caller == owner {
                    ACCOUNTS[(usize::from(*account) + 1) % 3]
                } else {
                    caller
                };
                let request = Request::TerminateStreamSession(TerminateStreamSessionInput {
                    identifier: group,
                    stream_session_identifier: session,
                });
                Outcome::Answers(vec![engine.call(caller, now, &request)])
            }
            Op::Invalid {
                group,
                connection_timeout,
            } => {
                let Some((account, group)) = pick(&self.groups, *group).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let timeout = if *connection_timeout % 2 == 0 {
                    0
                } else {
                    3601 + i32::from(*connection_timeout)
                };
                let input = StartStreamSessionInput {
                    identifier: group,
                    protocol: Some(Protocol::WebRtc),
                    signal_request: Some("v=0".into()),
                    application_identifier: Some("a-000000000".into()),
                    connection_timeout_seconds: Some(timeout),
                    ..Default::default()
                };
                Outcome::Answers(vec![engine.call(
                    account,
                    now,
                    &Request::StartStreamSession(input),
                )])
            }
            Op::CreateStreamUrl {
                group,
                app,
                minutes,
                uses,
                token: t,
            } => {
                let Some((_, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let Some((account, group)) = pick(&self.groups, *group).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let input = CreateStreamUrlInput {
                    identifier: group.clone(),
                    application_identifier: Some(app),
                    protocol: Some(Protocol::WebRtc),
                    url_expires_after_minutes: Some(url_minutes(*minutes) as i32),
                    usage_limit: Some(url_uses(*uses) as i32),
                    description: Some("scripted".into()),
                    locations: Some(vec![LOCATIONS[0].into()]),
                    client_token: token(*t),
                    ..Default::default()
                };
                let answer = engine.call(account, now, &Request::CreateStreamUrl(input));
                if let Ok(Response::CreateStreamUrl(out)) = &answer {
                    let token = out
                        .stream_url
                        .as_ref()
                        .and_then(|u| stream_url_token(u.as_str()));
                    if let (Some(id), Some(token)) = (&out.stream_url_id, token) {
                        if !self.urls.iter().any(|u| &u.id == id) {
                            self.urls.push(ScriptUrl {
                                account,
                                group,
                                id: id.clone(),
                                token: token.to_owned(),
                            });
                        }
                    }
                }
                Outcome::Answers(vec![answer])
            }
            Op::GetStreamUrl { url } => self.on_url(engine, *url, |u| {
                Request::GetStreamUrl(GetStreamUrlInput {
                    identifier: u.group.clone(),
                    stream_url_identifier: u.id.clone(),
                })
            }),
            Op::ListStreamUrls {
                account,
                status,
                group,
                max,
            } => {
                let account = ACCOUNTS[usize::from(*account) % 3];
                let group = match group {
                    Some(g) => match pick(&self.groups, *g) {
                        Some((_, arn)) => Some(arn.clone()),
                        None => return Outcome::Answers(vec![]),
                    },
                    None => None,
                };
                let input = ListStreamUrlsInput {
                    status: status
                        .map(|s| StreamUrlStatus::ALL[usize::from(s) % StreamUrlStatus::ALL.len()]),
                    stream_group_identifier: group,
                    max_results: Some(i32::from(max % 5) + 1),
                    ..Default::default()
                };
                let first = engine.call(account, now, &Request::ListStreamUrls(input.clone()));
                let mut answers = vec![first];
                if let Some(Ok(Response::ListStreamUrls(out))) = answers.first() {
                    if let Some(token) = out.next_token.clone() {
                        let next = ListStreamUrlsInput {
                            next_token: Some(token),
                            ..input
                        };
                        answers.push(engine.call(account, now, &Request::ListStreamUrls(next)));
                    }
                }
                Outcome::Answers(answers)
            }
            Op::RevokeStreamUrl { url, terminate } => self.on_url(engine, *url, |u| {
                Request::RevokeStreamUrl(RevokeStreamUrlInput {
                    identifier: u.group.clone(),
                    stream_url_identifier: u.id.clone(),
                    revocation_mode: Some(if *terminate {
                        RevocationMode::RevokeAndTerminateSessions
                    } else {
                        RevocationMode::RevokeUrl
                    }),
                })
            }),
            Op::OpenStreamUrl { url, bad_token } => {
                let Some(u) = pick(&self.urls, *url).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                self.offers += 1;
                let offer = format!("v=0 offer {}", self.offers);
                let token = if *bad_token { WRONG_TOKEN } else { &u.token };
                let answer = engine.open_stream_url(now, &u.id, token, &offer);
                if let Ok(out) = &answer {
                    if let Some(arn) = &out.arn {
                        if !self.sessions.iter().any(|(_, _, s)| s == arn) {
                            self.sessions
                                .push((u.account, u.group.clone(), arn.clone()));
                        }
                    }
                }
                Outcome::Answers(vec![answer.map(Response::StartStreamSession)])
            }
            Op::AdminShell { session } => self.on_session(engine, *session, |g, s| {
                Request::CreateStreamSessionAdminShell(CreateStreamSessionAdminShellInput {
                    identifier: g,
                    stream_session_identifier: s,
                })
            }),
            Op::ExportFiles { session, prefix } => self.on_session(engine, *session, |g, s| {
                Request::ExportStreamSessionFiles(ExportStreamSessionFilesInput {
                    identifier: g,
                    stream_session_identifier: s,
                    output_uri: Some(export_uri(*prefix).into()),
                })
            }),
            Op::FailExport { session } => {
                let Some((account, group, session)) = pick(&self.sessions, *session).cloned()
                else {
                    return Outcome::Answers(vec![]);
                };
                Outcome::Observed(engine.fail_export(
                    account,
                    now,
                    &group,
                    &session,
                    EXPORT_FAILURE,
                ))
            }
            Op::PutShaderCache {
                app,
                cache,
                status,
                group,
            } => {
                let Some((account, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let groups = match group {
                    Some(g) => match pick(&self.groups, *g) {
                        Some((_, arn)) => vec![arn.clone()],
                        None => return Outcome::Answers(vec![]),
                    },
                    None => vec![],
                };
                let seed = ShaderCacheSeed {
                    identifier: shader_cache_id(*cache),
                    status: shader_cache_status(*status),
                    storage_bytes: shader_cache_bytes(*cache),
                    associated_stream_groups: groups,
                };
                Outcome::Seeded(engine.put_shader_cache(account, now, &app, &seed).map(Some))
            }
            Op::RemoveShaderCache { app, cache } => {
                let Some((account, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let id = shader_cache_id(*cache);
                Outcome::Seeded(
                    engine
                        .remove_shader_cache(account, now, &app, &id)
                        .map(|()| None),
                )
            }
            Op::ListShaderCaches { app } => {
                let Some((account, app)) = pick(&self.apps, *app).cloned() else {
                    return Outcome::Answers(vec![]);
                };
                let request =
                    Request::ListApplicationShaderCaches(ListApplicationShaderCachesInput {
                        identifier: app,
                    });
                Outcome::Answers(vec![engine.call(account, now, &request)])
            }
            Op::TagResource {
                resource,
                first,
                count,
                value,
                stranger,
            } => self.on_taggable(engine, *resource, *stranger, |resource_arn| {
                let tags = tag_keys(*first, *count)
                    .into_iter()
                    .map(|k| (k, format!("v{}", value % 4)))
                    .collect();
                Request::TagResource(TagResourceInput {
                    resource_arn,
                    tags: Some(tags),
                })
            }),
            Op::UntagResource {
                resource,
                first,
                count,
            } => self.on_taggable(engine, *resource, false, |resource_arn| {
                Request::UntagResource(UntagResourceInput {
                    resource_arn,
                    tag_keys: Some(tag_keys(*first, *count)),
                })
            }),
            Op::ListTags { resource } => {
                self.on_taggable(engine, *resource, false, |resource_arn| {
                    Request::ListTagsForResource(ListTagsForResourceInput { resource_arn })
                })
            }
        }
    }

    /// A call on what a tagging op's `resource` names ([`tag_target`](Self::tag_target)), as
    /// its owner or (`stranger`) as the next account.
    fn on_taggable(
        &self,
        engine: &mut Engine,
        resource: u8,
        stranger: bool,
        make: impl FnOnce(String) -> Request,
    ) -> Outcome {
        let Some((owner, arn)) = self.tag_target(resource) else {
            return Outcome::Answers(vec![]);
        };
        let caller = if stranger { next_account(owner) } else { owner };
        Outcome::Answers(vec![engine.call(caller, self.now, &make(arn.to_owned()))])
    }

    fn on_url(
        &self,
        engine: &mut Engine,
        url: u8,
        make: impl FnOnce(&ScriptUrl) -> Request,
    ) -> Outcome {
        let Some(u) = pick(&self.urls, url) else {
            return Outcome::Answers(vec![]);
        };
        Outcome::Answers(vec![engine.call(u.account, self.now, &make(u))])
    }

    fn on_group(
        &self,
        engine: &mut Engine,
        group: u8,
        make: impl FnOnce(String) -> Request,
    ) -> Outcome {
        let Some((account, group)) = pick(&self.groups, group).cloned() else {
            return Outcome::Answers(vec![]);
        };
        Outcome::Answers(vec![engine.call(account, self.now, &make(group))])
    }

    fn on_session(
        &self,
        engine: &mut Engine,
        session: u8,
        make: impl FnOnce(String, String) -> Request,
    ) -> Outcome {
        let Some((account, group, session)) = pick(&self.sessions, session).cloned() else {
            return Outcome::Answers(vec![]);
        };
        Outcome::Answers(vec![engine.call(account, self.now, &make(group, session))])
    }
}

fn capacity_config(location: &str, (always_on, maximum): (u8, u8)) -> LocationConfiguration {
    let always_on = i32::from(always_on % 4);
    LocationConfiguration {
        location_name: Some(location.into()),
        always_on_capacity: Some(always_on),
        maximum_capacity: Some(always_on.max(i32::from(maximum % 4))),
        ..Default::default()
    }
}

#[cfg(feature = "proptest")]
pub mod strategy;
