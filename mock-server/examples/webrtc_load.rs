//! A load run of the WebRTC layer: N str0m client peers (the Web SDK's offer shape) stream from
//! N sessions of one `--webrtc` mock, all on its one UDP port, and stay connected.
//!
//! The mock runs as a process of its own, so that its memory is its own:
//!
//! ```text
//! cargo build --release -p gameliftstreams-mock --features webrtc
//! cargo run --release -p gameliftstreams-mock --features webrtc --example webrtc_load -- 1000
//! ```
//!
//! It prints the server's resident memory before and after (and so per connected session),
//! the time from StartStreamSession to CONNECTED as a client sees it, the server's own
//! answer-to-CONNECTED time, and whether every session stayed CONNECTED through a hold.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_gameliftstreams::operation::get_stream_session::GetStreamSessionOutput;
use aws_sdk_gameliftstreams::types::{
    Protocol, RuntimeEnvironment, RuntimeEnvironmentType, StreamClass, StreamSessionStatus,
};
use gameliftstreams_mock::ClientPeer;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

/// Connections made one at a time, for the latency of one on its own.
const SEQUENTIAL: usize = 100;
/// Connections being set up at once.
const IN_FLIGHT: usize = 32;
/// How long every session must stay CONNECTED once all are.
const HOLD: Duration = Duration::from_secs(15);

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let sessions: usize = std::env::args()
        .nth(1)
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(1000);
    let server_path = std::env::var("MOCK_BIN")
        .map(Into::into)
        .unwrap_or_else(|_| {
            // target/release/examples/webrtc_load → target/release/gameliftstreams-mock
            let exe = std::env::current_exe().expect("the example's path");
            exe.parent()
                .and_then(|p| p.parent())
                .map(|p| p.join("gameliftstreams-mock"))
                .expect("a target directory")
        });
    let mut server = Command::new(&server_path)
        .args(["--listen", "127.0.0.1:0", "--clock", "manual", "--webrtc"])
        .args(["--log-level", "warn"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server_path.display()))?;
    let pid = server.id();
    let mut first = String::new();
    BufReader::new(server.stdout.take().expect("piped")).read_line(&mut first)?;
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected first line: {first:?}"))?
        .to_owned();
    let address = url.trim_start_matches("http://").to_owned();

    let result = run(&url, &address, pid, sessions).await;
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let _ = server.wait();
    result
}

async fn run(url: &str, address: &str, pid: u32, sessions: usize) -> Result<(), Error> {
    let client = sdk_client(url);
    control(
        address,
        "PUT",
        "/_mock/config",
        &format!(
            r#"{{"DefaultMaximumCapacity": {}}}"#,
            sessions.max(10) + SEQUENTIAL
        ),
    )
    .await?;
    let app = client
        .create_application()
        .description("load")
        .runtime_environment(
            RuntimeEnvironment::builder()
                .r#type(RuntimeEnvironmentType::Proton)
                .version("20241007")
                .build()?,
        )
        .executable_path("bin/game.exe")
        .application_source_uri("s3://my-bucket/game")
        .send()
        .await?
        .arn()
        .to_owned();
    let group = client
        .create_stream_group()
        .description("load")
        .stream_class(StreamClass::Gen5nHigh)
        .default_application_identifier(&app)
        .send()
        .await?
        .arn()
        .to_owned();
    // The group settles at the next request.
    client.get_stream_group().identifier(&group).send().await?;
    // One at a time first: the latency of a connection on its own.
    let mut alone = Vec::with_capacity(SEQUENTIAL);
    for _ in 0..SEQUENTIAL {
        let (peer, id, latency) = connect(&client, &app, &group).await?;
        alone.push(latency);
        peer.close()?;
        client
            .terminate_stream_session()
            .identifier(&group)
            .stream_session_identifier(&id)
            .send()
            .await?;
    }
    alone.sort_unstable();
    let alone_stats = control(address, "GET", "/_mock/webrtc", "").await?;
    // Closed peers are removed within a sweep or two.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_before = rss_kib(pid)?;

    let started = Instant::now();
    let gate = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut tasks = Vec::with_capacity(sessions);
    for _ in 0..sessions {
        let (client, app, group, gate) = (client.clone(), app.clone(), group.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await?;
            connect(&client, &app, &group).await
        }));
    }
    let mut peers = Vec::with_capacity(sessions);
    let mut latencies = Vec::with_capacity(sessions);
    for task in tasks {
        let (peer, id, latency) = task.await??;
        peers.push((peer, id));
        latencies.push(latency);
    }
    let all_connected = started.elapsed();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_after = rss_kib(pid)?;

    // Hold: nobody may drop while the server keeps every peer alive.
    let cpu_before = cpu_ticks(pid)?;
    tokio::time::sleep(HOLD).await;
    let cpu_hold = cpu_ticks(pid)? - cpu_before;
    let mut not_connected = 0;
    for (_, id) in &peers {
        let got = get(&client, &group, id).await?;
        if got.status() != Some(&StreamSessionStatus::Connected) {
            not_connected += 1;
        }
    }
    let stats = control(address, "GET", "/_mock/webrtc", "").await?;

    latencies.sort_unstable();
    let pct = |p: usize| latencies[(latencies.len() - 1) * p / 100];
    let alone_pct = |p: usize| alone[(alone.len() - 1) * p / 100];
    println!(
        "one at a time ({SEQUENTIAL}): StartStreamSession → CONNECTED p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms (client side)",
        ms(alone_pct(50)),
        ms(alone_pct(90)),
        ms(alone_pct(99))
    );
    println!("  server's counters then:        {alone_stats}");
    let ticks = 100.0; // USER_HZ
    println!("all at once:");
    println!(
        "sessions connected at once:      {sessions} (in {:.1} s, {IN_FLIGHT} set up at a time)",
        all_connected.as_secs_f64()
    );
    println!(
        "server RSS:                      {} KiB before, {} KiB connected",
        rss_before, rss_after
    );
    println!(
        "server memory per session:       {:.1} KiB (peer, answer and session together)",
        (rss_after.saturating_sub(rss_before)) as f64 / sessions as f64
    );
    println!(
        "StartStreamSession → CONNECTED:  p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms (client side)",
        ms(pct(50)),
        ms(pct(90)),
        ms(pct(99)),
        ms(*latencies.last().expect("at least one"))
    );
    println!("server's own counters:           {stats}");
    println!(
        "hold of {} s:                   {} of {sessions} not CONNECTED after it; server CPU {:.1} % of a core",
        HOLD.as_secs(),
        not_connected,
        cpu_hold as f64 / ticks / HOLD.as_secs_f64() * 100.0
    );
    drop(peers);
    if not_connected > 0 {
        return Err(format!("{not_connected} sessions dropped during the hold").into());
    }
    Ok(())
}

/// One client: offer, StartStreamSession, the answer, and CONNECTED as the API reports it.
async fn connect(
    client: &Client,
    app: &str,
    group: &str,
) -> Result<(ClientPeer, String, Duration), Error> {
    let mut peer = ClientPeer::new("127.0.0.1:0".parse()?).await?;
    let t0 = Instant::now();
    let started = client
        .start_stream_session()
        .identifier(group)
        .application_identifier(app)
        .protocol(Protocol::Webrtc)
        .signal_request(peer.signal_request())
        .send()
        .await?;
    let id = started
        .arn()
        .ok_or("no ARN")?
        .rsplit('/')
        .next()
        .ok_or("no ID")?
        .to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    let answer = loop {
        let got = get(client, group, &id).await?;
        if let Some(answer) = got.signal_response() {
            break answer.to_owned();
        }
        if Instant::now() > deadline {
            return Err(format!("session {id} stayed {:?}, with no answer", got.status()).into());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    peer.accept(&answer)?;
    tokio::time::timeout(Duration::from_secs(30), peer.wait_for(|s| s.streaming()))
        .await
        .map_err(|_| format!("no connection: {:?}", peer.state()))?
        .ok_or("the peer stopped")?;
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let got = get(client, group, &id).await?;
        if got.status() == Some(&StreamSessionStatus::Connected) {
            return Ok((peer, id, t0.elapsed()));
        }
        if Instant::now() > deadline {
            return Err(format!("session {id} stayed {:?}", got.status()).into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

async fn get(client: &Client, group: &str, id: &str) -> Result<GetStreamSessionOutput, Error> {
    Ok(client
        .get_stream_session()
        .identifier(group)
        .stream_session_identifier(id)
        .send()
        .await?)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn sdk_client(url: &str) -> Client {
    let config = aws_sdk_gameliftstreams::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-west-2"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "load",
        ))
        .endpoint_url(url)
        .http_client(aws_smithy_http_client::Builder::new().build_http())
        .build();
    Client::from_conf(config)
}

/// The resident set of process `pid`, in KiB.
fn rss_kib(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("no number")?.parse()?)
}

/// User plus system CPU time of process `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> Result<u64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let rest = stat.rsplit_once(')').ok_or("no command name")?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Ok(fields.get(11).ok_or("no utime")?.parse::<u64>()?
        + fields.get(12).ok_or("no stime")?.parse::<u64>()?)
}

/// A control-API request; the body of the answer.
async fn control(address: &str, method: &str, path: &str, body: &str) -> Result<String, Error> {
    let mut stream = tokio::net::TcpStream::connect(address).await?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    let mut bytes = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut bytes)).await??;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").ok_or("no complete answer")?;
    if !head.starts_with("HTTP/1.1 2") {
        return Err(format!("{method} {path}: {head}").into());
    }
    Ok(body.to_owned())
}
