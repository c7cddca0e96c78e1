//! SIGKILL (issue 13, item 5): with a state file, every change is journaled and synced before
//! it is answered, so that killing the binary at any moment loses nothing it acknowledged; a
//! replayed journal is the state that was served, exactly; a write cut short by the kill is
//! skipped, any other damage is a startup error.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_gameliftstreams::types::Protocol;
use gameliftstreams_lifecycle::api::{GetApplicationInput, ListTagsForResourceInput};
use gameliftstreams_lifecycle::{AccountId, Engine, Request, Response, SessionStatus, Snapshot};
use serde_json::{Value, json};

use crate::cli::{Server, scratch, sigterm, spawn, try_request, wait};
use crate::common::*;

/// A small deterministic generator (splitmix64): the load is the same on every run, only the
/// moments of the kills differ.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn address_of(line: &str) -> String {
    line.trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned()
}

fn journal_of(state: &Path) -> PathBuf {
    let mut name = state.file_name().unwrap().to_os_string();
    name.push(".journal");
    state.with_file_name(name)
}

/// A fresh state file path (and no journal beside it).
fn fresh_state(name: &str) -> PathBuf {
    let state = scratch(name);
    let _ = std::fs::remove_file(journal_of(&state));
    state
}

fn start(state: &Path, log: &Path, listen: &str, extra: &[&str]) -> (Server, String) {
    let (server, line) = spawn_on(state, log, listen, extra);
    (server, address_of(&line))
}

/// The binary on `listen` with a manual clock and `state`, and its first stdout line.
fn spawn_on(state: &Path, log: &Path, listen: &str, extra: &[&str]) -> (Server, String) {
    let mut args = vec![
        "--listen",
        listen,
        "--clock",
        "manual",
        "--state-file",
        state.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    spawn(&args, &log.to_path_buf())
}

/// Removes what a test left.
fn remove(paths: &[&Path]) {
    for path in paths {
        let _ = std::fs::remove_file(path);
    }
}

/// SIGKILL, and the process reaped.
fn kill9(mut server: Server) {
    server.0.kill().expect("SIGKILL");
    server.0.wait().unwrap();
}

fn auth_for(account: &str) -> String {
    AUTHORIZATION.replace("AKIDEXAMPLE", account)
}

/// `/tags/{ResourceArn}`, the ARN percent-encoded.
fn tags_path(arn: &str) -> String {
    format!("/tags/{}", arn.replace(':', "%3A").replace('/', "%2F"))
}

/// What the server acknowledged: each must be there after every restart.
#[derive(Default)]
struct Acked {
    /// (account, application ID)
    apps: Vec<(String, String)>,
    /// (group ID, session ID), of `account(0)`
    sessions: Vec<(String, String)>,
    /// Sessions whose termination was acknowledged.
    terminated: Vec<(String, String)>,
    /// (account, application ARN, tag key, value)
    tags: Vec<(String, String, String, String)>,
    /// The latest clock reading acknowledged.
    clock: f64,
}

const ACCOUNTS: u64 = 8;

fn account(n: u64) -> String {
    format!("{:012}", 100_000_000_000 + n)
}

const APP_BODY: &[u8] = br#"{"Description":"crash","RuntimeEnvironment":{"Type":"PROTON","Version":"20241007"},"ExecutablePath":"bin/game.exe","ApplicationSourceUri":"s3://bucket/game"}"#;

/// The stream group and application every session uses, made on the first server.
async fn setup(address: &str, acked: &Mutex<Acked>) -> (String, String) {
    let auth = auth_for(&account(0));
    let (status, _) = try_request(
        address,
        "PUT",
        "/_mock/config",
        &auth,
        br#"{"Quotas":{"CapacityPerLocation":1000000}}"#,
    )
    .await
    .expect("the server answers");
    assert_eq!(status, 200);
    let (status, app) = try_request(address, "POST", "/applications", &auth, APP_BODY)
        .await
        .expect("the server answers");
    assert_eq!(status, 201, "{app}");
    let app: Value = serde_json::from_str(&app).unwrap();
    let app_id = app["Id"].as_str().unwrap().to_owned();
    let group = json!({
        "Description": "crash",
        "StreamClass": "gen5n_ultra",
        "DefaultApplicationIdentifier": app_id,
        "LocationConfigurations": [{"LocationName": "us-west-2", "MaximumCapacity": 1000000}],
    });
    let (status, group) = try_request(
        address,
        "POST",
        "/streamgroups",
        &auth,
        group.to_string().as_bytes(),
    )
    .await
    .expect("the server answers");
    assert_eq!(status, 201, "{group}");
    let group: Value = serde_json::from_str(&group).unwrap();
    acked
        .lock()
        .unwrap()
        .apps
        .push((account(0), app_id.clone()));
    (group["Id"].as_str().unwrap().to_owned(), app_id)
}

/// One writer: seeded operations until the server is gone (or `limit` of them). Answers how
/// many requests the kill left unanswered.
async fn writer(
    address: String,
    seed: u64,
    limit: u32,
    group: String,
    app: String,
    acked: Arc<Mutex<Acked>>,
) -> u32 {
    let mut rng = Rng(seed);
    let default = auth_for(&account(0));
    for n in 0..limit {
        let roll = rng.below(100);
        let pick = rng.next();
        let result = if roll < 30 {
            let body = json!({
                "Protocol": "WebRTC",
                "ApplicationIdentifier": app,
                "SignalRequest": offer(n),
                "ConnectionTimeoutSeconds": 3600,
            });
            let path = format!("/streamgroups/{group}/streamsessions");
            try_request(
                &address,
                "POST",
                &path,
                &default,
                body.to_string().as_bytes(),
            )
            .await
            .map(|(status, text)| {
                if status == 201 {
                    let v: Value = serde_json::from_str(&text).unwrap();
                    let id = id_of(v["Arn"].as_str().unwrap()).to_owned();
                    acked.lock().unwrap().sessions.push((group.clone(), id));
                }
            })
        } else if roll < 42 {
            let target = {
                let a = acked.lock().unwrap();
                (!a.sessions.is_empty())
                    .then(|| a.sessions[pick as usize % a.sessions.len()].clone())
            };
            let Some((g, s)) = target else { continue };
            let path = format!("/streamgroups/{g}/streamsessions/{s}");
            try_request(&address, "DELETE", &path, &default, b"")
                .await
                .map(|(status, _)| {
                    if status == 204 {
                        acked.lock().unwrap().terminated.push((g, s));
                    }
                })
        } else if roll < 54 {
            let who = account(pick % ACCOUNTS);
            try_request(&address, "POST", "/applications", &auth_for(&who), APP_BODY)
                .await
                .map(|(status, text)| {
                    if status == 201 {
                        let v: Value = serde_json::from_str(&text).unwrap();
                        let id = v["Id"].as_str().unwrap().to_owned();
                        acked.lock().unwrap().apps.push((who, id));
                    }
                })
        } else if roll < 64 {
            let target = {
                let a = acked.lock().unwrap();
                a.apps[pick as usize % a.apps.len()].clone()
            };
            let (who, id) = target;
            let arn = format!("arn:aws:gameliftstreams:us-west-2:{who}:application/{id}");
            let (key, value) = (format!("k{seed:x}-{n}"), format!("v{n}"));
            let body = json!({ "Tags": { &key: &value } });
            try_request(
                &address,
                "POST",
                &tags_path(&arn),
                &auth_for(&who),
                body.to_string().as_bytes(),
            )
            .await
            .map(|(status, text)| {
                assert_eq!(status, 200, "TagResource: {text}");
                acked.lock().unwrap().tags.push((who, arn, key, value));
            })
        } else if roll < 72 {
            try_request(
                &address,
                "POST",
                "/_mock/clock",
                &default,
                br#"{"AdvanceSeconds": 1}"#,
            )
            .await
            .map(|(status, text)| {
                assert_eq!(status, 200, "{text}");
                let v: Value = serde_json::from_str(&text).unwrap();
                let now = v["Now"].as_f64().unwrap();
                let mut a = acked.lock().unwrap();
                a.clock = a.clock.max(now);
            })
        } else if roll < 80 {
            let target = {
                let a = acked.lock().unwrap();
                (!a.sessions.is_empty())
                    .then(|| a.sessions[pick as usize % a.sessions.len()].clone())
            };
            let Some((g, s)) = target else { continue };
            let path = format!("/_mock/streamgroups/{g}/streamsessions/{s}/events");
            try_request(
                &address,
                "POST",
                &path,
                &default,
                br#"{"Type":"CLIENT_CONNECTED"}"#,
            )
            .await
            .map(|_| ())
        } else if roll < 86 {
            try_request(&address, "GET", "/_mock/events", &default, b"")
                .await
                .map(|(status, _)| assert_eq!(status, 200))
        } else {
            let target = {
                let a = acked.lock().unwrap();
                (!a.sessions.is_empty())
                    .then(|| a.sessions[pick as usize % a.sessions.len()].clone())
            };
            let Some((g, s)) = target else { continue };
            let path = format!("/streamgroups/{g}/streamsessions/{s}");
            try_request(&address, "GET", &path, &default, b"")
                .await
                .map(|(status, text)| assert_eq!(status, 200, "{text}"))
        };
        if result.is_none() {
            // The server is gone: this request was in flight at the kill.
            return 1;
        }
    }
    0
}

/// The engine the server serves now, checked whole, and every acknowledged write in it.
async fn verify(address: &str, acked: &Acked) -> Engine {
    let auth = auth_for(&account(0));
    let (status, text) = try_request(address, "GET", "/_mock/snapshot", &auth, b"")
        .await
        .expect("the server answers");
    assert_eq!(status, 200);
    let snapshot: Snapshot = serde_json::from_str(&text).expect("a snapshot");
    let engine = Engine::restore(snapshot).expect("the state restores");
    engine
        .check_invariants()
        .expect("the engine's invariants hold");
    let mut engine = engine;
    let now = engine.now();
    let owner: AccountId = account(0).parse().unwrap();
    for (who, id) in &acked.apps {
        let input = GetApplicationInput {
            identifier: id.clone(),
        };
        let caller: AccountId = who.parse().unwrap();
        engine
            .call(caller, now, &Request::GetApplication(input))
            .unwrap_or_else(|e| panic!("application {id} of {who} was acknowledged: {e}"));
    }
    for (g, s) in &acked.sessions {
        engine
            .stream_session_status(owner, g, s)
            .unwrap_or_else(|e| panic!("session {s} was acknowledged: {e}"));
    }
    for (g, s) in &acked.terminated {
        let (status, _) = engine
            .stream_session_status(owner, g, s)
            .unwrap_or_else(|e| panic!("session {s} was acknowledged: {e}"));
        assert!(
            matches!(
                status,
                SessionStatus::Terminating | SessionStatus::Terminated
            ),
            "the termination of {s} was acknowledged, but it is {status:?}"
        );
    }
    let mut listed = BTreeSet::new();
    for (who, arn, key, value) in &acked.tags {
        let caller: AccountId = who.parse().unwrap();
        let input = ListTagsForResourceInput {
            resource_arn: arn.clone(),
        };
        let Ok(Response::ListTagsForResource(out)) =
            engine.call(caller, now, &Request::ListTagsForResource(input))
        else {
            panic!("the tags of {arn} are listed")
        };
        let tags = out.tags.unwrap_or_default();
        assert_eq!(
            tags.get(key),
            Some(value),
            "tag {key} of {arn} was acknowledged"
        );
        listed.insert(key.clone());
    }
    let (status, text) = try_request(address, "GET", "/_mock/clock", &auth, b"")
        .await
        .expect("the server answers");
    assert_eq!(status, 200);
    let clock: Value = serde_json::from_str(&text).unwrap();
    assert!(
        clock["Now"].as_f64().unwrap() >= acked.clock,
        "the clock moved to {} and that was acknowledged; it reads {}",
        acked.clock,
        clock["Now"]
    );
    engine
}

/// The replay's own account of itself in the log: it ran, and never diverged.
fn assert_replayed(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("journal replayed"))
        .unwrap_or_else(|| panic!("no replay in the log:\n{text}"))
        .to_owned();
    assert!(line.contains("diverged=0"), "{line}");
    line
}

/// The crash-consistency test: 50 kills (SIGKILL) at seeded-random moments under a seeded load
/// of four writers (sessions started and terminated, applications, tags, clock moves, client
/// events, event drains, reads); after each restart, every acknowledged write is there, the
/// engine's invariants hold, and the replay did what was served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_kills_under_load_lose_nothing_acknowledged() {
    const KILLS: u64 = 50;
    let state = fresh_state("crash-load.json");
    let log = scratch("crash-load.log");
    let acked = Arc::new(Mutex::new(Acked::default()));
    let mut timing = Rng(0x5EED);
    let mut in_flight = 0;
    let mut torn = 0;
    let (mut group, mut app) = (String::new(), String::new());
    for round in 0..KILLS {
        // Compaction every 64 lines: kills land in it too.
        let (server, address) = start(
            &state,
            &log,
            "127.0.0.1:0",
            &["--journal-compact-every", "64"],
        );
        if round == 0 {
            (group, app) = setup(&address, &acked).await;
        } else {
            let line = assert_replayed(&log);
            torn += u32::from(line.contains("torn_tail=true"));
            // No writer runs now.
            let so_far = std::mem::take(&mut *acked.lock().unwrap());
            verify(&address, &so_far).await;
            *acked.lock().unwrap() = so_far;
        }
        let writers: Vec<_> = (0..4u64)
            .map(|w| {
                tokio::spawn(writer(
                    address.clone(),
                    round * 16 + w,
                    2_000,
                    group.clone(),
                    app.clone(),
                    acked.clone(),
                ))
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(20 + timing.below(150))).await;
        kill9(server);
        for w in writers {
            in_flight += w.await.unwrap();
        }
    }
    let (mut server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    assert_replayed(&log);
    let acked = Arc::into_inner(acked).unwrap().into_inner().unwrap();
    verify(&address, &acked).await;
    let writes =
        acked.apps.len() + acked.sessions.len() + acked.terminated.len() + acked.tags.len();
    eprintln!(
        "{KILLS} kills: {writes} writes acknowledged ({} applications, {} sessions, {} terminations, \
         {} tags), all there after every restart; {in_flight} requests in flight at a kill; \
         {torn} restarts found a line cut short",
        acked.apps.len(),
        acked.sessions.len(),
        acked.terminated.len(),
        acked.tags.len()
    );
    assert!(
        in_flight >= KILLS as u32 / 2,
        "the kills hit the load ({in_flight} in flight)"
    );
    // A clean stop: the state file takes the journal over.
    sigterm(&server);
    assert!(wait(&mut server, Duration::from_secs(30)).success());
    assert!(
        !journal_of(&state).exists(),
        "a clean stop removes the journal"
    );
    let (_server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    verify(&address, &acked).await;
    remove(&[&state, &log]);
}

/// What `GET /_mock/snapshot` answers, as JSON.
async fn snapshot_of(address: &str) -> Value {
    let (status, text) = try_request(address, "GET", "/_mock/snapshot", AUTHORIZATION, b"")
        .await
        .expect("the server answers");
    assert_eq!(status, 200);
    serde_json::from_str(&text).unwrap()
}

/// Starts the binary on `address` once the killed one has let go of it.
fn restart_on(state: &Path, log: &Path, address: &str, extra: &[&str]) -> (Server, String) {
    for _ in 0..50 {
        let (mut server, line) = spawn_on(state, log, address, extra);
        if line.starts_with("listening on") {
            return (server, address_of(&line));
        }
        let _ = wait(&mut server, Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("cannot listen on {address} again")
}

const SC1: &str = "0123456789abcdef0123456789abcdef";
const SC2: &str = "fedcba9876543210fedcba9876543210";

/// Every kind of change the server takes (API calls, reads counted by throttling and fault
/// rules, client events, a failed export, a stream URL opened, shader caches, configuration,
/// reset, a restored snapshot, clock moves, drains): after a SIGKILL, the replayed state is the
/// served state, byte for byte; with compaction every 7 lines, likewise.
#[tokio::test]
async fn a_replayed_journal_is_exactly_the_state_served() {
    replay_is_exact(None).await;
    replay_is_exact(Some(7)).await;
}

async fn replay_is_exact(compact_every: Option<u64>) {
    let state = fresh_state("crash-exact.json");
    let log = scratch("crash-exact.log");
    let every = compact_every.unwrap_or(1_000_000).to_string();
    let (server, address) = start(
        &state,
        &log,
        "127.0.0.1:0",
        &["--journal-compact-every", &every],
    );
    let url = format!("http://{address}");
    let client = sdk_client(&url, ACCESS_KEY);
    let control = |method: &'static str, path: String, body: Value| {
        let address = address.clone();
        async move {
            let (status, text) = try_request(
                &address,
                method,
                &path,
                AUTHORIZATION,
                body.to_string().as_bytes(),
            )
            .await
            .expect("the server answers");
            assert!(status < 300, "{method} {path}: {status} {text}");
            text
        }
    };
    // Something to forget.
    ready_application(&client).await;
    control("POST", "/_mock/reset".into(), json!({})).await;
    let (app, group) = app_and_group(&client).await;
    control(
        "POST",
        "/_mock/clock".into(),
        json!({"AdvanceSeconds": 1.5}),
    )
    .await;
    let mut sessions = Vec::new();
    for n in 0..4 {
        sessions.push(id_of(&start_session(&client, &group, &app, n).await).to_owned());
    }
    let group_id = id_of(&group).to_owned();
    control(
        "POST",
        format!(
            "/_mock/streamgroups/{group_id}/streamsessions/{}/events",
            sessions[0]
        ),
        json!({"Type": "CLIENT_CONNECTED"}),
    )
    .await;
    client
        .terminate_stream_session()
        .identifier(&group)
        .stream_session_identifier(&sessions[1])
        .send()
        .await
        .unwrap();
    client
        .export_stream_session_files()
        .identifier(&group)
        .stream_session_identifier(&sessions[2])
        .output_uri("s3://bucket/exports/")
        .send()
        .await
        .unwrap();
    control(
        "POST",
        format!(
            "/_mock/streamgroups/{group_id}/streamsessions/{}/events",
            sessions[2]
        ),
        json!({"Type": "EXPORT_FAILED", "Reason": "the bucket is gone"}),
    )
    .await;
    control(
        "PUT",
        format!("/_mock/applications/{}/shadercaches/{SC1}", id_of(&app)),
        json!({"Status": "READY", "StorageBytes": 1024}),
    )
    .await;
    control(
        "PUT",
        format!("/_mock/applications/{}/shadercaches/{SC2}", id_of(&app)),
        json!({"Status": "PROCESSING"}),
    )
    .await;
    control(
        "DELETE",
        format!("/_mock/applications/{}/shadercaches/{SC2}", id_of(&app)),
        json!({}),
    )
    .await;
    let stream_url = client
        .create_stream_url()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(Protocol::Webrtc)
        .url_expires_after_minutes(60)
        .locations("us-west-2")
        .send()
        .await
        .unwrap();
    let opened = stream_url
        .stream_url()
        .unwrap()
        .strip_prefix(&url)
        .unwrap()
        .to_owned();
    control("POST", opened, json!({"SignalRequest": offer(99)})).await;
    control("GET", "/_mock/events".into(), json!({})).await;
    // Reads that change the engine: throttling buckets and fault counters count them.
    control(
        "PUT",
        "/_mock/config".into(),
        json!({
            "Throttling": {"Enabled": true},
            "Faults": [{"Operation": "GetApplication", "Trigger": {"EveryNth": 3}, "Error": "InternalServerException"}],
        }),
    )
    .await;
    for _ in 0..5 {
        let _ = client.get_application().identifier(&app).send().await;
        let _ = client
            .get_stream_session()
            .identifier(&group)
            .stream_session_identifier(&sessions[3])
            .send()
            .await;
    }
    control("POST", "/_mock/clock".into(), json!({"AdvanceSeconds": 30})).await;
    client
        .tag_resource()
        .resource_arn(&app)
        .tags("team", "crash")
        .send()
        .await
        .unwrap();
    let served = snapshot_of(&address).await;
    let clock = control("GET", "/_mock/clock".into(), json!({})).await;
    let lines = std::fs::read_to_string(journal_of(&state))
        .unwrap()
        .lines()
        .count();
    match compact_every {
        // A compaction may still be under way: the old journal takes up to n more lines.
        Some(n) => assert!(
            lines as u64 <= 2 * n + 1,
            "compacted every {n} lines: {lines} lines"
        ),
        None => assert!(
            lines > 30,
            "every change since the restored snapshot: {lines} lines"
        ),
    }

    kill9(server);
    let (_server, again) = restart_on(&state, &log, &address, &[]);
    assert_replayed(&log);
    assert_eq!(
        snapshot_of(&again).await,
        served,
        "the replayed state is the state served"
    );
    let (_, now) = try_request(&again, "GET", "/_mock/clock", AUTHORIZATION, b"")
        .await
        .unwrap();
    assert_eq!(now, clock, "the manual clock resumes where it was");
    remove(&[&state, &journal_of(&state), &log]);
}

/// Creates `n` applications (each a journal line), answering their IDs.
async fn create_applications(address: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let (status, text) = try_request(address, "POST", "/applications", AUTHORIZATION, APP_BODY)
            .await
            .unwrap();
        assert_eq!(status, 201);
        let v: Value = serde_json::from_str(&text).unwrap();
        ids.push(v["Id"].as_str().unwrap().to_owned());
    }
    ids
}

/// Asserts that ListApplications lists every one of `ids`.
async fn assert_listed(address: &str, ids: &[String]) {
    let (status, text) = try_request(address, "GET", "/applications", AUTHORIZATION, b"")
        .await
        .unwrap();
    assert_eq!(status, 200);
    for id in ids {
        assert!(text.contains(id.as_str()), "{id} is listed: {text}");
    }
}

/// A write the kill cut short was never acknowledged: it is skipped. A bad line anywhere else
/// is damage, and the server refuses to start rather than serve a state with a hole in it.
#[tokio::test]
async fn a_torn_last_line_is_skipped_and_damage_elsewhere_refused() {
    let state = fresh_state("crash-torn.json");
    let log = scratch("crash-torn.log");
    let (server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    let ids = create_applications(&address, 3).await;
    kill9(server);
    let journal = journal_of(&state);
    let whole = std::fs::read(&journal).unwrap();
    // Half a line, as a kill in the middle of a write leaves it, and zeros past it.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .unwrap();
    file.write_all(br#"{"Now":"2026-01-01T00:00:00Z","Ok":true,"Action":{"Ca"#)
        .unwrap();
    file.write_all(&[0; 64]).unwrap();
    drop(file);
    let (server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    let line = assert_replayed(&log);
    assert!(
        line.contains("torn_tail=true") && line.contains("entries=3"),
        "{line}"
    );
    assert_listed(&address, &ids).await;
    kill9(server);

    // The second of three entries damaged: the third depends on it.
    let text = String::from_utf8(whole).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[2] = r#"{"Now":"2026-01-01T00:00:00Z","Ok":tru"#;
    std::fs::write(&journal, lines.join("\n") + "\n").unwrap();
    let (mut server, line) = spawn_on(&state, &log, "127.0.0.1:0", &[]);
    assert!(line.is_empty(), "no listening line: {line}");
    let status = wait(&mut server, Duration::from_secs(10));
    assert!(!status.success());
    let stderr = std::fs::read_to_string(&log).unwrap();
    assert!(
        stderr.contains("line 3 is not a journal entry") && stderr.contains(".journal"),
        "{stderr}"
    );
    remove(&[&state, &journal, &log]);
}

/// A journal of seven lines (the snapshot and six applications), left by a SIGKILL; answers
/// its lines and the applications' IDs.
async fn seven_line_journal(state: &Path, log: &Path) -> (Vec<String>, Vec<String>) {
    let (server, address) = start(state, log, "127.0.0.1:0", &[]);
    let ids = create_applications(&address, 6).await;
    kill9(server);
    let text = std::fs::read_to_string(journal_of(state)).unwrap();
    let lines: Vec<String> = text.lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 7, "{text}");
    (lines, ids)
}

/// Every line carries its sequence number and a checksum: a line deleted, duplicated, swapped
/// with the next or changed in the middle of the journal stops the start with an error naming
/// the line (before, a deleted line replayed with `diverged=0` and shifted the IDs answered
/// after it, and a duplicated one made an extra application).
#[tokio::test]
async fn a_journal_with_a_line_missing_repeated_swapped_or_changed_is_refused() {
    let state = fresh_state("crash-seq.json");
    let log = scratch("crash-seq.log");
    let (lines, _) = seven_line_journal(&state, &log).await;
    let journal = journal_of(&state);
    let damaged = |edit: &dyn Fn(&mut Vec<String>)| {
        let mut lines = lines.clone();
        edit(&mut lines);
        lines.join("\n") + "\n"
    };
    let changed = lines[3].replacen("\"Ok\":true", "\"Ok\":false", 1);
    assert_ne!(changed, lines[3]);
    let cases: [(&str, String, &str); 4] = [
        (
            "line 4 deleted",
            damaged(&|l| {
                l.remove(3);
            }),
            "line 4 has sequence number 5 where 4 was expected",
        ),
        (
            "line 4 duplicated",
            damaged(&|l| {
                let again = l[3].clone();
                l.insert(4, again);
            }),
            "line 5 has sequence number 4 where 5 was expected: a line is duplicated or out of order",
        ),
        (
            "lines 4 and 5 swapped",
            damaged(&|l| l.swap(3, 4)),
            "line 4 has sequence number 5 where 4 was expected",
        ),
        (
            "line 4 changed",
            damaged(&|l| l[3] = changed.clone()),
            "line 4 is not a journal entry: its checksum does not match its content",
        ),
    ];
    for (what, text, expected) in cases {
        std::fs::write(&journal, text).unwrap();
        let (mut server, line) = spawn_on(&state, &log, "127.0.0.1:0", &[]);
        assert!(line.is_empty(), "{what}: no listening line: {line}");
        let status = wait(&mut server, Duration::from_secs(10));
        assert_eq!(status.code(), Some(1), "{what}");
        let stderr = std::fs::read_to_string(&log).unwrap();
        assert!(
            stderr.contains(expected) && stderr.contains(".journal"),
            "{what}: {stderr}"
        );
    }
    // The whole journal, with its last line cut short, still starts: that line is skipped.
    let mut torn = lines.join("\n");
    torn.truncate(torn.len() - 20);
    std::fs::write(&journal, torn).unwrap();
    let (server, _) = start(&state, &log, "127.0.0.1:0", &[]);
    let line = assert_replayed(&log);
    assert!(
        line.contains("torn_tail=true") && line.contains("entries=5"),
        "{line}"
    );
    kill9(server);
    remove(&[&state, &journal, &log]);
}

/// A journal an earlier build wrote (bare JSON lines, no sequence numbers or checksums) is
/// still replayed, unchecked, with what it held, and rewritten in the checked format.
#[tokio::test]
async fn a_journal_of_the_previous_format_is_still_replayed() {
    let state = fresh_state("crash-legacy.json");
    let log = scratch("crash-legacy.log");
    let (lines, ids) = seven_line_journal(&state, &log).await;
    let journal = journal_of(&state);
    // `SEQ JSON CRC` back to `JSON`.
    let legacy: String = lines
        .iter()
        .map(|l| {
            let (_, rest) = l.split_once(' ').unwrap();
            let (json, _) = rest.rsplit_once(' ').unwrap();
            format!("{json}\n")
        })
        .collect();
    assert!(legacy.starts_with('{'));
    std::fs::write(&journal, legacy).unwrap();
    let (server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    let line = assert_replayed(&log);
    assert!(line.contains("entries=6"), "{line}");
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("replayed unchecked"),
        "the old format is said"
    );
    assert_listed(&address, &ids).await;
    let rewritten = std::fs::read_to_string(&journal).unwrap();
    assert!(rewritten.starts_with("1 {"), "rewritten checked");
    kill9(server);
    remove(&[&state, &journal, &log]);
}

/// `--no-journal`: the state is saved at shutdown only, as before; a journal a crash left is
/// still replayed, then taken over by the state file.
#[tokio::test]
async fn no_journal_saves_at_shutdown_only() {
    let state = fresh_state("crash-nojournal.json");
    let log = scratch("crash-nojournal.log");
    let (server, address) = start(&state, &log, "127.0.0.1:0", &[]);
    let (status, text) = try_request(&address, "POST", "/applications", AUTHORIZATION, APP_BODY)
        .await
        .unwrap();
    assert_eq!(status, 201);
    let id = serde_json::from_str::<Value>(&text).unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_owned();
    kill9(server);
    let (mut server, address) = start(&state, &log, "127.0.0.1:0", &["--no-journal"]);
    assert_replayed(&log);
    assert!(
        !journal_of(&state).exists(),
        "the state file took the journal over"
    );
    assert!(state.exists());
    let (status, text) = try_request(&address, "GET", "/applications", AUTHORIZATION, b"")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(text.contains(&id), "{text}");
    let (status, _) = try_request(&address, "POST", "/applications", AUTHORIZATION, APP_BODY)
        .await
        .unwrap();
    assert_eq!(status, 201);
    assert!(!journal_of(&state).exists(), "no journal is kept");
    sigterm(&server);
    assert!(wait(&mut server, Duration::from_secs(10)).success());
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["applications"].as_array().unwrap().len(), 2);
    remove(&[&state, &log]);
}
