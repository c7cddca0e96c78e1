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
use crate::engine::{ApiError, Engine, InfrastructureFault, Observation, Request, Response};
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
}

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
}

/// Plays [`Op`]s against an [`Engine`], keeping the resources they created.
#[derive(Clone, Debug)]
pub struct Driver {
    /// The driver's clock.
    pub now: DateTime<Utc>,
    apps: Vec<(AccountId, String)>,
    groups: Vec<(AccountId, String)>,
    sessions: Vec<(AccountId, String, String)>,
    offers: u64,
}

/// The clock's start: 2026-01-01T00:00:00Z.
pub fn epoch() -> DateTime<Utc> {
    // A constant in range, so this cannot fail.
    DateTime::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

fn pick<T>(items: &[T], i: u8) -> Option<&T> {
    (!items.is_empty()).then(|| &items[usize::from(i) % items.len()])
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
            offers: 0,
        }
    }

    /// The stream sessions created so far: (account, group ARN, session ARN).
    pub fn sessions(&self) -> &[(AccountId, String, String)] {
        &self.sessions
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
        }
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
