//! The binary itself: the first stdout line, the control API, SIGTERM with the state saved,
//! startup errors, and logs that never show sensitive members.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use serde_json::{Value, json};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_gameliftstreams-mock");

pub(crate) fn scratch(name: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

/// A child process that is killed if the test fails before it exits.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the binary with stderr going to `log`; answers the child and its first stdout line.
pub(crate) fn spawn(args: &[&str], log: &PathBuf) -> (Server, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(File::create(log).unwrap())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("a first line");
    (Server(child), line)
}

pub(crate) fn wait(Server(child): &mut Server, limit: Duration) -> ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn sigterm(Server(child): &Server) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[tokio::test]
async fn serves_then_saves_its_state_on_sigterm() {
    let state = scratch("state.json");
    let log = scratch("stderr.log");
    let (mut child, line) = spawn(
        &[
            "--listen",
            "127.0.0.1:0",
            "--clock",
            "manual",
            "--start-time",
            "2026-01-01T00:00:00Z",
            "--state-file",
            state.to_str().unwrap(),
            "--log-level",
            "debug",
        ],
        &log,
    );
    let address = line
        .strip_suffix('\n')
        .and_then(|l| l.strip_prefix("listening on http://"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let port: u16 = address
        .strip_prefix("127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("unexpected address {address}"));
    assert_ne!(port, 0, "the real port is printed");

    let health = raw_request(&address, "GET", "/_mock/health", &[], b"").await;
    assert_eq!(health.status, 200);
    assert_eq!(health.json(), json!({ "Status": "ok" }));
    let clock = raw_request(&address, "GET", "/_mock/clock", &[], b"").await;
    assert_eq!(clock.json(), json!({ "Now": T0, "Mode": "manual" }));

    // A session whose sensitive members must not reach the log.
    let client = sdk_client(&format!("http://{address}"), ACCESS_KEY);
    let (app, group) = app_and_group(&client).await;
    let secret_offer = "SECRET-OFFER-d41d8cd98f00b204";
    let secret_role = "arn:aws:iam::123456789012:role/GameLiftStreams-SecretRole0b204";
    let session = client
        .start_stream_session()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(aws_sdk_gameliftstreams::types::Protocol::Webrtc)
        .signal_request(secret_offer)
        .role_arn(secret_role)
        .send()
        .await
        .expect("StartStreamSession");
    let session_arn = session.arn().unwrap().to_owned();
    let got = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&session_arn)
        .send()
        .await
        .unwrap();
    let secret_answer = got.signal_response().expect("a SignalResponse").to_owned();

    sigterm(&child);
    let status = wait(&mut child, Duration::from_secs(15));
    assert!(status.success(), "exit status {status}");

    let saved: Value = serde_json::from_slice(&std::fs::read(&state).expect("a state file"))
        .expect("the state file is JSON");
    assert!(
        saved
            .to_string()
            .contains(&session_arn.rsplit('/').next().unwrap().to_owned())
    );
    let log_text = std::fs::read_to_string(&log).unwrap();
    assert!(
        log_text.contains("/applications"),
        "every request is logged:\n{log_text}"
    );
    assert!(log_text.contains("status=201"), "{log_text}");
    assert!(log_text.contains("SIGTERM"), "{log_text}");
    for secret in [secret_offer, secret_role, secret_answer.as_str()] {
        assert!(
            !log_text.contains(secret),
            "{secret} leaked into the log:\n{log_text}"
        );
    }

    // Started again on the same file, it has the session.
    let (mut child, line) = spawn(
        &[
            "--listen",
            "127.0.0.1:0",
            "--clock",
            "manual",
            "--state-file",
            state.to_str().unwrap(),
        ],
        &log,
    );
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let client = sdk_client(&url, ACCESS_KEY);
    let got = client
        .get_stream_session()
        .identifier(&group)
        .stream_session_identifier(&session_arn)
        .send()
        .await
        .expect("the session survived the restart");
    assert_eq!(got.arn(), Some(session_arn.as_str()));
    sigterm(&child);
    assert!(wait(&mut child, Duration::from_secs(15)).success());
    let _ = std::fs::remove_file(&state);
    let _ = std::fs::remove_file(&log);
}

#[test]
fn a_corrupt_state_file_stops_the_start() {
    let state = scratch("corrupt.json");
    std::fs::write(&state, b"[1, 2, 3").unwrap();
    let out = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--state-file",
            state.to_str().unwrap(),
        ])
        .output()
        .expect("the binary runs");
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "no listening line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot load the state file"), "{stderr}");
    let _ = std::fs::remove_file(&state);
}

/// A state file in a directory that does not exist is refused at start (issue 13, item 9: it
/// was only noticed at shutdown, and the whole run's state was lost).
#[test]
fn a_state_file_in_a_missing_directory_stops_the_start() {
    let state = scratch("no-such-dir").join("state.json");
    let out = Command::new(BIN)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--state-file",
            state.to_str().unwrap(),
        ])
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no listening line");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(state.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("cannot take it"), "{stderr}");
}

/// The arguments of a server on a free loopback port with `state` as its state file, then
/// `extra`.
fn on_state_file<'a>(state: &'a std::path::Path, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "--listen",
        "127.0.0.1:0",
        "--state-file",
        state.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    args
}

/// Runs the binary on `state` (with `extra` options) expecting it to refuse to start; answers
/// its stderr.
fn refused_start(state: &std::path::Path, extra: &[&str]) -> String {
    let args = on_state_file(state, extra);
    let out = Command::new(BIN)
        .args(&args)
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "no listening line");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Starts the binary on `state` and answers it once it listens, with its address.
fn started_on(state: &std::path::Path, log: &PathBuf, extra: &[&str]) -> (Server, String) {
    let args = on_state_file(state, extra);
    let (server, line) = spawn(&args, log);
    let address = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| {
            panic!(
                "not listening ({line:?}): {}",
                std::fs::read_to_string(log).unwrap_or_default()
            )
        })
        .to_owned();
    (server, address)
}

/// Two servers on one state file would interleave their journals and lose acknowledged writes
/// (and one's clean stop would delete the journal the other writes): the second one, with a
/// journal or without, refuses to start, naming the file, while the first goes on; once the
/// first has stopped (SIGTERM) or been killed (SIGKILL), the lock is free again.
#[tokio::test]
async fn a_second_server_on_the_same_state_file_is_refused() {
    let state = scratch("locked.json");
    let log = scratch("locked.log");
    let (mut first, address) = started_on(&state, &log, &[]);
    for extra in [&[][..], &["--no-journal"][..]] {
        let stderr = refused_start(&state, extra);
        assert!(stderr.contains(state.to_str().unwrap()), "{stderr}");
        assert!(
            stderr.contains("another gameliftstreams-mock server is using it"),
            "{stderr}"
        );
    }
    // The first one is untouched: it serves, and writes.
    let (status, _) = try_request(
        &address,
        "POST",
        "/applications",
        AUTHORIZATION,
        br#"{"Description":"locked","RuntimeEnvironment":{"Type":"PROTON","Version":"20241007"},"ExecutablePath":"bin/game.exe","ApplicationSourceUri":"s3://bucket/game"}"#,
    )
    .await
    .expect("the first server answers");
    assert_eq!(status, 201);
    sigterm(&first);
    assert!(wait(&mut first, Duration::from_secs(15)).success());

    // Stopped cleanly: the next one starts, and has the application.
    let (mut second, address) = started_on(&state, &log, &["--no-journal"]);
    let (status, text) = try_request(&address, "GET", "/applications", AUTHORIZATION, b"")
        .await
        .unwrap();
    assert_eq!(status, 200);
    assert!(text.contains("locked"), "{text}");
    assert!(refused_start(&state, &[]).contains("another gameliftstreams-mock server"));
    // Killed: the kernel lets go of the lock.
    second.0.kill().unwrap();
    second.0.wait().unwrap();
    let (third, _) = started_on(&state, &log, &[]);
    drop(third);
    let mut lock = state.clone().into_os_string();
    lock.push(".lock");
    for path in [state.clone(), log, PathBuf::from(lock)] {
        let _ = std::fs::remove_file(path);
    }
}

/// The lock file is never opened through a symbolic link planted in its place.
#[cfg(unix)]
#[test]
fn a_symbolic_link_as_the_lock_file_is_refused() {
    let state = scratch("lock-link.json");
    let mut lock = state.clone().into_os_string();
    lock.push(".lock");
    let target = scratch("lock-link-target");
    let _ = std::fs::remove_file(&lock);
    std::os::unix::fs::symlink(&target, &lock).unwrap();
    let stderr = refused_start(&state, &[]);
    assert!(stderr.contains("lock file"), "{stderr}");
    assert!(!target.exists(), "nothing was created through the link");
    let _ = std::fs::remove_file(&lock);
}

/// A server whose stderr nobody reads (issue 13, item 3: a Python fixture's `stderr=PIPE`)
/// keeps serving and stops on SIGTERM: logging never blocks. Before, every request hung after
/// about 335 of them (64 KiB of log lines in the pipe), and so did SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unread_stderr_never_blocks_serving_or_stopping() {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--log-level", "debug"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("a first line");
    // Held open and never read: the pipe fills.
    let _stderr = child.stderr.take().unwrap();
    let mut server = Server(child);
    let address = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    // Each request logs a line or two of about 200 bytes: 3,000 of them are ten times the pipe.
    let started = Instant::now();
    for i in 0..3_000 {
        let r = raw_request(&address, "GET", "/_mock/health", &[], b"").await;
        assert_eq!(r.status, 200, "request {i}");
    }
    eprintln!(
        "3,000 requests with stderr unread in {:?}",
        started.elapsed()
    );
    sigterm(&server);
    let status = wait(&mut server, Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}

/// SIGTERM under load (issue 13, item 2): every write the server acknowledged is in the state
/// file it saves; what comes after the final snapshot is refused (503) or never answered, not
/// acknowledged and lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_acknowledged_before_sigterm_is_saved() {
    let state = scratch("sigterm-load.json");
    let log = scratch("sigterm-load.log");
    let (mut server, line) = spawn(
        &[
            "--listen",
            "127.0.0.1:0",
            "--state-file",
            state.to_str().unwrap(),
        ],
        &log,
    );
    let address = line
        .trim_end()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    // Eight writers, each its own account (the quota is 1000 applications per account).
    let mut writers = Vec::new();
    for w in 0..8u64 {
        let address = address.clone();
        writers.push(tokio::spawn(async move {
            let key = format!("{:012}", 100_000_000_000 + w);
            let auth = AUTHORIZATION.replace("AKIDEXAMPLE", &key);
            let body = br#"{"Description":"load","RuntimeEnvironment":{"Type":"PROTON","Version":"20241007"},"ExecutablePath":"bin/game.exe","ApplicationSourceUri":"s3://bucket/game"}"#;
            let mut acked = Vec::new();
            let mut refused = 0u32;
            for _ in 0..1000 {
                match try_request(&address, "POST", "/applications", &auth, body).await {
                    Some((201, text)) => {
                        let v: Value = serde_json::from_str(&text).expect("a JSON answer");
                        acked.push(v["Arn"].as_str().expect("an ARN").to_owned());
                    }
                    Some((503, _)) => refused += 1,
                    Some((status, text)) => panic!("unexpected {status}: {text}"),
                    None => break, // the server is gone
                }
            }
            (acked, refused)
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    sigterm(&server);
    let status = wait(&mut server, Duration::from_secs(30));
    assert!(status.success(), "{status:?}");
    let mut acked = Vec::new();
    let mut refused = 0;
    for w in writers {
        let (a, r) = w.await.unwrap();
        acked.extend(a);
        refused += r;
    }
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let ids: std::collections::BTreeSet<String> = saved["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(!acked.is_empty(), "the load ran before the signal");
    for arn in &acked {
        let id = arn.rsplit('/').next().unwrap();
        assert!(
            ids.contains(id),
            "{arn} was acknowledged (201) but not saved"
        );
    }
    eprintln!(
        "{} writes acknowledged, all saved; {refused} refused with 503 while stopping",
        acked.len()
    );
    let _ = std::fs::remove_file(&state);
    let _ = std::fs::remove_file(&log);
}

/// One request on a new connection; `None` when the server cannot be reached or drops it.
pub(crate) async fn try_request(
    address: &str,
    method: &str,
    path: &str,
    authorization: &str,
    body: &[u8],
) -> Option<(u16, String)> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\
         Authorization: {authorization}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.ok()?;
    stream.write_all(body).await.ok()?;
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), stream.read_to_end(&mut bytes))
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_owned())?;
    Some((status, body))
}

#[test]
fn help_and_bad_options() {
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for option in [
        "--listen",
        "--region",
        "--clock",
        "--start-time",
        "--seed",
        "--state-file",
        "--no-journal",
        "--journal-compact-every",
        "--account-map",
        "--event-log-limit",
        "--log-level",
    ] {
        assert!(text.contains(option), "--help lacks {option}:\n{text}");
    }
    for bad in [
        &["--clock", "sundial"][..],
        &["--start-time", "yesterday"],
        &["--account-map", "AKID"],
        &["--seed", "-1"],
        &["--no-journal"],
        &["--state-file", "s.json", "--journal-compact-every", "0"],
    ] {
        let out = Command::new(BIN).args(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    let out = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--region", "not a region"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Region"));
}
