//! Helpers for the engine's tests: an engine with a READY application and an ACTIVE stream
//! group, driven on the virtual clock of `common::t`.

use chrono::{DateTime, Utc};
use gameliftstreams_lifecycle::api::*;
use gameliftstreams_lifecycle::{
    AccountId, ApiError, Engine, EngineConfig, ErrorKind, Observation, SessionStatus,
};

use super::t;

pub const ME: AccountId = AccountId::DEFAULT;

pub fn other_account() -> AccountId {
    "210987654321".parse().unwrap()
}

pub fn app_input() -> CreateApplicationInput {
    CreateApplicationInput {
        description: Some("My game".into()),
        runtime_environment: Some(RuntimeEnvironment {
            r#type: Some(RuntimeEnvironmentType::Proton),
            version: Some("20241007".into()),
        }),
        executable_path: Some("bin/game.exe".into()),
        application_source_uri: Some("s3://my-bucket/game".into()),
        ..Default::default()
    }
}

pub fn group_input(app: Option<&str>) -> CreateStreamGroupInput {
    CreateStreamGroupInput {
        description: Some("My group".into()),
        stream_class: Some(StreamClass::Gen5nUltra),
        default_application_identifier: app.map(str::to_owned),
        ..Default::default()
    }
}

pub fn location(name: &str, always_on: i32, maximum: i32) -> LocationConfiguration {
    LocationConfiguration {
        location_name: Some(name.into()),
        always_on_capacity: Some(always_on),
        maximum_capacity: Some(maximum),
        ..Default::default()
    }
}

/// An engine with one READY application and one ACTIVE stream group using it.
pub struct Fixture {
    pub engine: Engine,
    pub now: DateTime<Utc>,
    pub app: String,
    pub group: String,
    offers: u32,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::with(EngineConfig::default(), None)
    }

    /// With `config`, and the group's locations if given.
    /// The application and the group are created and settled under the default delays; the
    /// engine then takes `config`.
    pub fn with(config: EngineConfig, locations: Option<Vec<LocationConfiguration>>) -> Fixture {
        let mut engine = Engine::new(EngineConfig {
            delays: Default::default(),
            faults: Vec::new(),
            throttling: Default::default(),
            ..config.clone()
        });
        let now = t(0);
        let app = engine
            .create_application(ME, now, &app_input())
            .unwrap()
            .arn
            .unwrap();
        engine.advance(now);
        let mut input = group_input(Some(&app));
        input.location_configurations = locations;
        let group = engine
            .create_stream_group(ME, now, &input)
            .unwrap()
            .arn
            .unwrap();
        engine.advance(now);
        let status = engine
            .get_stream_group(
                ME,
                now,
                &GetStreamGroupInput {
                    identifier: group.clone(),
                },
            )
            .unwrap()
            .status;
        assert_eq!(status, Some(StreamGroupStatus::Active));
        // The test's configuration (fault rules, throttling) applies from here on.
        engine.set_config(config).unwrap();
        let f = Fixture {
            engine,
            now,
            app,
            group,
            offers: 0,
        };
        f.check();
        f
    }

    /// Moves the virtual clock to `t(secs)` (and the engine with it).
    pub fn at(&mut self, secs: i64) -> &mut Self {
        self.now = t(secs);
        self.engine.advance(self.now);
        self.check();
        self
    }

    pub fn check(&self) {
        if let Err(e) = self.engine.check_invariants() {
            panic!("engine invariant broken: {e}");
        }
    }

    pub fn start_input(&mut self) -> StartStreamSessionInput {
        self.offers += 1;
        StartStreamSessionInput {
            identifier: self.group.clone(),
            protocol: Some(Protocol::WebRtc),
            signal_request: Some(format!("v=0 offer {}", self.offers).into()),
            application_identifier: Some(self.app.clone()),
            ..Default::default()
        }
    }

    /// Starts a session with default settings; returns its ARN.
    pub fn start(&mut self) -> String {
        let input = self.start_input();
        self.start_with(input).unwrap().arn.unwrap()
    }

    pub fn start_with(
        &mut self,
        input: StartStreamSessionInput,
    ) -> Result<StartStreamSessionOutput, ApiError> {
        let out = self.engine.start_stream_session(ME, self.now, &input);
        self.check();
        out
    }

    pub fn get(&mut self, session: &str) -> GetStreamSessionOutput {
        self.try_get(session).unwrap()
    }

    pub fn try_get(&mut self, session: &str) -> Result<GetStreamSessionOutput, ApiError> {
        let out = self.engine.get_stream_session(
            ME,
            self.now,
            &GetStreamSessionInput {
                identifier: self.group.clone(),
                stream_session_identifier: session.into(),
            },
        );
        self.check();
        out
    }

    pub fn status(&mut self, session: &str) -> SessionStatus {
        self.get(session).status.unwrap()
    }

    pub fn observe(
        &mut self,
        session: &str,
        o: Observation,
    ) -> Result<GetStreamSessionOutput, ApiError> {
        let group = self.group.clone();
        let out = self.engine.apply(ME, self.now, &group, session, o);
        self.check();
        out
    }

    pub fn reconnect(
        &mut self,
        session: &str,
        offer: &str,
    ) -> Result<CreateStreamSessionConnectionOutput, ApiError> {
        let out = self.engine.create_stream_session_connection(
            ME,
            self.now,
            &CreateStreamSessionConnectionInput {
                identifier: self.group.clone(),
                stream_session_identifier: session.into(),
                signal_request: Some(offer.into()),
                ..Default::default()
            },
        );
        self.check();
        out
    }

    pub fn terminate(&mut self, session: &str) -> Result<(), ApiError> {
        let out = self.engine.terminate_stream_session(
            ME,
            self.now,
            &TerminateStreamSessionInput {
                identifier: self.group.clone(),
                stream_session_identifier: session.into(),
            },
        );
        self.check();
        out
    }

    pub fn group(&mut self) -> GetStreamGroupOutput {
        let out = self
            .engine
            .get_stream_group(
                ME,
                self.now,
                &GetStreamGroupInput {
                    identifier: self.group.clone(),
                },
            )
            .unwrap();
        self.check();
        out
    }

    pub fn group_status(&mut self) -> StreamGroupStatus {
        self.group().status.unwrap()
    }
}

/// Asserts `result` failed with `kind` and a message containing `needle`.
#[track_caller]
pub fn assert_error<T: std::fmt::Debug>(
    result: Result<T, ApiError>,
    kind: ErrorKind,
    needle: &str,
) {
    match result {
        Ok(v) => panic!("expected {kind}, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "{e}");
            assert!(
                e.to_string().contains(needle),
                "message {:?} lacks {needle:?}",
                e.to_string()
            );
        }
    }
}
