//! Walks one stream session through the reconnection flow of the AWS documentation on a
//! virtual clock, and prints the timeline.
//!
//! ```text
//! cargo run --example reconnect
//! ```

use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_lifecycle::{
    ConnectionTimeout, Event, Input, Session, SessionConfig, SessionError, Timer,
};

fn main() -> Result<(), SessionError> {
    // The virtual clock: nothing here reads the wall clock.
    let t0: DateTime<Utc> = "2026-01-01T12:00:00Z"
        .parse()
        .expect("a valid RFC 3339 literal");
    let at = |secs: i64| t0 + TimeDelta::seconds(secs);
    let config = SessionConfig {
        connection_timeout: ConnectionTimeout::new(90)?,
        termination_delay: TimeDelta::seconds(5),
        ..SessionConfig::default()
    };

    let mut session = Session::start(config, "v=0 offer from the Web SDK", t0)?;
    println!(
        "{:>6}  StartStreamSession            -> {}",
        "+0s",
        session.status()
    );

    let script: Vec<(i64, &str, Input)> = vec![
        (
            4,
            "capacity found, app launched",
            Input::Placed {
                location: "us-east-1".into(),
            },
        ),
        (9, "client connects", Input::ClientConnected),
        (60, "user input", Input::UserInput),
        (
            300,
            "client loses its connection",
            Input::ClientDisconnected,
        ),
        (
            340,
            "CreateStreamSessionConnection",
            Input::Reconnect {
                signal_request: "v=0 a newly generated offer".into(),
            },
        ),
        (341, "new connection info ready", Input::ReconnectSucceeded),
        (350, "client connects again", Input::ClientConnected),
        (
            900,
            "client disconnects for good",
            Input::ClientDisconnected,
        ),
    ];
    for (secs, what, input) in script {
        session.handle_input(at(secs), input)?;
        report(&mut session, t0, what);
    }
    // Nobody reconnects: follow the session's own deadlines until it ends.
    while let Some(deadline) = session.poll_timeout() {
        let timer = Timer::ALL
            .into_iter()
            .find(|t| session.deadline(*t) == Some(deadline))
            .expect("poll_timeout returns an armed timer's deadline");
        session.handle_timeout(deadline);
        report(&mut session, t0, &format!("{timer:?} timer fires"));
    }
    println!(
        "\nended {} ({}); streamed from {} to {}",
        session.status(),
        session.reason().map_or("-", |r| r.as_str()),
        session
            .streaming_started_at()
            .map_or("-".into(), |t| t.to_rfc3339()),
        session
            .streaming_ended_at()
            .map_or("-".into(), |t| t.to_rfc3339()),
    );
    Ok(())
}

fn report(session: &mut Session, t0: DateTime<Utc>, what: &str) {
    let mut changed = false;
    while let Some(Event::StatusChanged {
        from,
        to,
        reason,
        at,
    }) = session.poll_event()
    {
        let reason = reason.map(|r| format!(" ({r})")).unwrap_or_default();
        let offset = format!("+{}s", (at - t0).num_seconds());
        println!("{offset:>6}  {what:<30}{from} -> {to}{reason}");
        changed = true;
    }
    if !changed {
        println!(
            "{:>6}  {what:<30}(no status change)",
            format!("+{}s", (session.now() - t0).num_seconds())
        );
    }
}
