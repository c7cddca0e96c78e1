//! `gameliftstreams-mock`: the mock GameLift Streams server on the command line.

#![forbid(unsafe_code)]

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use chrono::{DateTime, Utc};
use clap::Parser;
use gameliftstreams_mock::{
    AccountMapping, ClockMode, DEFAULT_LISTEN, HttpLimits, MockServer, ServerConfig, WebRtcConfig,
};
use tracing_subscriber::EnvFilter;

/// A mock Amazon GameLift Streams server for SDK clients on loopback.
///
/// Serves the GameLift Streams REST API (point an SDK, boto3 or the AWS CLI at it with
/// --endpoint-url) and a control API under /_mock/. The first line on stdout is
/// `listening on http://HOST:PORT`. Stops on SIGINT or SIGTERM, saving --state-file.
#[derive(Debug, Parser)]
#[command(version)]
struct Cli {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = DEFAULT_LISTEN)]
    listen: String,

    /// Region served [default: the state file's, or us-west-2].
    #[arg(long, value_name = "R")]
    region: Option<String>,

    /// `real`: the wall clock plus an offset the control API can push forward; `manual`:
    /// frozen until the control API moves it.
    #[arg(long, value_name = "real|manual", default_value = "real")]
    clock: ClockMode,

    /// What the clock reads at start (RFC 3339) [default: the wall clock, in whole seconds for
    /// a manual clock; a manual clock resumes at the state file's time].
    #[arg(long, value_name = "RFC3339", value_parser = parse_rfc3339)]
    start_time: Option<DateTime<Utc>>,

    /// Seed of the ID generator [default: the state file's, or 0].
    #[arg(long, value_name = "N")]
    seed: Option<u64>,

    /// JSON file the engine's state is loaded from at start (if it exists) and saved to at
    /// shutdown. Every change is also recorded in PATH.journal before it is answered, so that
    /// a kill or a power loss loses nothing acknowledged.
    #[arg(long, value_name = "PATH")]
    state_file: Option<PathBuf>,

    /// With --state-file: save the state at shutdown only, without a journal (writes need no
    /// sync, but SIGKILL loses everything since the last clean stop).
    #[arg(long, requires = "state_file")]
    no_journal: bool,

    /// With --state-file: compact the journal into a snapshot every N lines.
    #[arg(long, value_name = "N", default_value_t = gameliftstreams_mock::DEFAULT_JOURNAL_COMPACT_EVERY,
          value_parser = clap::value_parser!(u64).range(1..))]
    journal_compact_every: u64,

    /// Make an access key ID act for an account (repeatable). Keys of 12 digits are their own
    /// account; other keys act for 123456789012.
    #[arg(long, value_name = "KEY=ACCOUNT")]
    account_map: Vec<AccountMapping>,

    /// JSON file of credentials (`[{"AccessKeyId": …, "SecretAccessKey": …, "AccountId": …}]`):
    /// every API request must then carry a valid SigV4 signature by one of them.
    #[arg(long, value_name = "FILE")]
    credentials: Option<PathBuf>,

    /// A token every request under /_mock/ must carry (header x-mock-control-token, or query
    /// parameter control-token for pages); without it, a server listening beyond loopback warns.
    #[arg(long, value_name = "TOKEN")]
    control_token: Option<String>,

    /// The most undrained events kept for GET /_mock/events; older ones are dropped.
    #[arg(long, value_name = "N", default_value_t = gameliftstreams_mock::DEFAULT_EVENT_LOG_LIMIT)]
    event_log_limit: usize,

    /// Put a real WebRTC peer behind every stream session: answers are str0m's, and the
    /// client's connection drives CONNECTED, PENDING_CLIENT_RECONNECTION and USER_INPUT (needs a
    /// build with `--features webrtc`).
    #[arg(long)]
    webrtc: bool,

    /// The UDP address every WebRTC peer shares, and the host candidate of every answer.
    #[arg(long, value_name = "ADDR", default_value = gameliftstreams_mock::DEFAULT_WEBRTC_LISTEN, requires = "webrtc")]
    webrtc_listen: String,

    /// Seconds of silence after which a connected WebRTC client counts as disconnected.
    #[arg(long, value_name = "SECONDS", default_value_t = gameliftstreams_mock::DEFAULT_WEBRTC_DISCONNECT_AFTER.as_secs_f64(), value_parser = parse_seconds, requires = "webrtc")]
    webrtc_disconnect_after: f64,

    /// Seconds a client has to send a request's head; also how long a kept-alive connection
    /// may sit idle.
    #[arg(long, value_name = "SECONDS", default_value_t = gameliftstreams_mock::DEFAULT_HEADER_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    header_timeout: f64,

    /// Seconds a client has to send a request's body.
    #[arg(long, value_name = "SECONDS", default_value_t = gameliftstreams_mock::DEFAULT_BODY_TIMEOUT.as_secs_f64(), value_parser = parse_seconds)]
    body_timeout: f64,

    /// The most connections served at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = gameliftstreams_mock::DEFAULT_MAX_CONNECTIONS as u32, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,

    /// Log level or filter directives (e.g. `debug`) [default: RUST_LOG, else info].
    #[arg(long, value_name = "LEVEL")]
    log_level: Option<String>,
}

fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("not an RFC 3339 time (like 2026-01-01T00:00:00Z): {e}"))
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= 86_400.0 => Ok(secs),
        Ok(_) => Err("must be more than 0 and at most 86400 seconds".into()),
        Err(e) => Err(format!("not a number of seconds: {e}")),
    }
}

/// Logs to stderr through a bounded queue and a writer thread, dropping lines when the queue is
/// full: a reader that stops reading stderr (a test fixture's `stderr=PIPE` nobody drains) must
/// never block a request, or the shutdown. The guard flushes what is queued when dropped.
fn init_logging(
    level: Option<&str>,
) -> Result<tracing_appender::non_blocking::WorkerGuard, String> {
    let filter = match level {
        Some(level) => {
            EnvFilter::try_new(level).map_err(|e| format!("--log-level {level}: {e}"))?
        }
        None => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
    };
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(true)
        .buffered_lines_limit(LOG_QUEUE_LINES)
        .thread_name("gameliftstreams-mock-log")
        .finish(std::io::stderr());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    Ok(guard)
}

/// The most log lines queued for stderr; beyond it, new lines are dropped.
const LOG_QUEUE_LINES: usize = 16_384;

/// Registers for SIGINT (Ctrl-C) and, on Unix, SIGTERM at once (so that a signal sent the
/// moment the listening line appears is already handled), and resolves on the first of them.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => tracing::info!("SIGINT received"),
                _ = terminate.recv() => tracing::info!("SIGTERM received"),
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            match tokio::signal::ctrl_c().await {
                Ok(()) => tracing::info!("Ctrl-C received"),
                Err(e) => {
                    tracing::error!("cannot listen for Ctrl-C: {e}");
                    std::future::pending::<()>().await
                }
            }
        })
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let _log_guard = match init_logging(cli.log_level.as_deref()) {
        Ok(guard) => guard,
        Err(e) => {
            eprintln!("gameliftstreams-mock: {e}");
            return ExitCode::from(2);
        }
    };
    let mut accounts: gameliftstreams_mock::AccountMap = cli.account_map.into_iter().collect();
    if let Some(path) = &cli.credentials {
        let read = std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| gameliftstreams_mock::Credentials::from_json(&bytes));
        match read {
            Ok(credentials) => accounts = accounts.with_credentials(credentials),
            Err(e) => {
                eprintln!(
                    "gameliftstreams-mock: --credentials {}: {e}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        }
    }
    let config = ServerConfig {
        listen: cli.listen,
        region: cli.region,
        clock: cli.clock,
        start_time: cli.start_time,
        seed: cli.seed,
        state_file: cli.state_file,
        journal: !cli.no_journal,
        journal_compact_every: cli.journal_compact_every,
        accounts,
        control_token: cli.control_token,
        event_log_limit: cli.event_log_limit,
        webrtc: cli.webrtc.then(|| WebRtcConfig {
            listen: cli.webrtc_listen,
            disconnect_after: Duration::from_secs_f64(cli.webrtc_disconnect_after),
        }),
        http: HttpLimits {
            header_timeout: Duration::from_secs_f64(cli.header_timeout),
            body_timeout: Duration::from_secs_f64(cli.body_timeout),
            max_connections: cli.max_connections as usize,
        },
    };
    let signal = match shutdown_signal() {
        Ok(signal) => signal,
        Err(e) => {
            eprintln!("gameliftstreams-mock: cannot listen for signals: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match MockServer::start(config).await {
        Ok(server) => server,
        Err(e) => {
            eprintln!("gameliftstreams-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    if let Some(udp) = server.webrtc_addr() {
        tracing::info!(%udp, "WebRTC: open {}/_mock/play to stream from a session", server.url());
    }
    if writeln!(stdout, "listening on {}", server.url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        // Whoever started us has stopped reading; serving on is still what was asked.
        tracing::warn!("cannot write to stdout");
    }
    signal.await;
    match server.shutdown().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gameliftstreams-mock: {e}");
            ExitCode::FAILURE
        }
    }
}
