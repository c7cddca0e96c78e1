//! A real browser against the real WebRTC peer: headless Chromium runs the test player
//! (`/_mock/play`), and the session's status follows its peer connection through connect,
//! disconnect, reconnect, input and the reconnection timeout. Chromium is required under CI
//! (`CI` set); elsewhere a missing `/usr/bin/chromium` skips these tests with a message.

use std::time::{Duration, Instant};

use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::operation::get_stream_session::GetStreamSessionOutput;
use aws_sdk_gameliftstreams::types::{StreamSessionStatus, StreamSessionStatusReason};
use chromiumoxide::Page;
use chrono::{DateTime, TimeDelta, Utc};
use gameliftstreams_mock::{ServerConfig, WebRtcConfig};
use serde_json::Value;

use crate::common::chromium::{Chromium, eval_json};
use crate::common::*;

/// The longest any one step may take: a handshake on loopback takes well under a second, and
/// a disconnect is seen within about 0.1 s of `close()`.
const WAIT: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_millis(50);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_player_connects_disconnects_reconnects_and_times_out() {
    let Some(chromium) = Chromium::launch().await else {
        return;
    };
    let mock = TestServer::start_with(webrtc_config()).await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let group_id = id_of(&group).to_owned();
    let url = format!(
        "{}/_mock/play?group={group_id}&app={}",
        mock.url(),
        id_of(&app)
    );
    let page = Player::open(&chromium, &url).await;

    // Start: the page offers, polls for ACTIVE, applies the answer; the peer connects.
    page.click("start").await;
    let arn = page
        .wait_for("a session ARN", |p| p["sessionArn"].is_string())
        .await["sessionArn"]
        .as_str()
        .expect("a string")
        .to_owned();
    let session = Session {
        client: &client,
        group: &group_id,
        arn: &arn,
    };
    session
        .wait_for(StreamSessionStatus::Connected, &page)
        .await;
    page.wait_for("CONNECTED, both channels open", |p| {
        p["lastStatus"] == "CONNECTED" && p["pcState"] == "connected" && p["channelsOpen"] == 2
    })
    .await;

    // The browser closes its peer connection: the channels close, the client is gone.
    page.click("disconnect").await;
    session
        .wait_for(StreamSessionStatus::PendingClientReconnection, &page)
        .await;
    page.wait_for("PENDING_CLIENT_RECONNECTION, no channel open", |p| {
        p["lastStatus"] == "PENDING_CLIENT_RECONNECTION"
            && p["pcState"] == "closed"
            && p["channelsOpen"] == 0
    })
    .await;

    // A new offer through CreateStreamSessionConnection: a new peer connects.
    page.click("reconnect").await;
    session
        .wait_for(StreamSessionStatus::Connected, &page)
        .await;
    page.wait_for("CONNECTED again", |p| {
        p["lastStatus"] == "CONNECTED" && p["pcState"] == "connected" && p["channelsOpen"] == 2
    })
    .await;

    // Input restarts the idle timer: one second later, it ends one second later.
    let idle = session.idle_deadline(&mock).await;
    mock.advance(1).await;
    page.click("input").await;
    page.wait_for("the key sent (keydown and keyup)", |p| {
        p["inputsSent"].as_u64() >= Some(2)
    })
    .await;
    let restarted = idle + TimeDelta::seconds(1);
    let deadline = Instant::now() + WAIT;
    loop {
        let now = session.idle_deadline(&mock).await;
        if now == restarted {
            break;
        }
        if Instant::now() > deadline {
            panic!(
                "the input did not restart the idle timer: the deadline is {now}, not \
                 {restarted}\n{}",
                page.describe().await
            );
        }
        tokio::time::sleep(STEP).await;
    }
    page.assert_healthy(2).await;

    // Gone for longer than ConnectionTimeoutSeconds: the session ends.
    page.click("disconnect").await;
    session
        .wait_for(StreamSessionStatus::PendingClientReconnection, &page)
        .await;
    let timeout = session
        .get()
        .await
        .connection_timeout_seconds()
        .unwrap_or(120);
    // The page counts the window down on the mock's (manual) clock.
    let timeout = u64::try_from(timeout).expect("a positive timeout");
    page.wait_for("the whole reconnection window left", |p| {
        p["windowLeft"].as_u64() == Some(timeout)
    })
    .await;
    mock.advance(timeout / 2).await;
    page.wait_for("half the reconnection window left", |p| {
        p["windowLeft"].as_u64() == Some(timeout - timeout / 2)
    })
    .await;
    mock.advance(timeout - timeout / 2 + 1).await;
    let ended = session
        .wait_for(StreamSessionStatus::Terminated, &page)
        .await;
    assert_eq!(
        ended.status_reason(),
        Some(&StreamSessionStatusReason::ReconnectionTimeout)
    );
    page.wait_for("TERMINATED (reconnectionTimeout)", |p| {
        p["lastStatus"] == "TERMINATED" && p["lastReason"] == "reconnectionTimeout"
    })
    .await;
    page.assert_healthy(0).await;

    chromium.close().await;
    mock.shutdown().await;
}

/// A stream URL opened in the browser, as an end user opens it: the page at the URL itself
/// offers, the URL starts a session with its frozen settings, and the browser connects. The
/// second opening spends the last use; a third is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_url_opens_in_the_browser_and_streams() {
    let Some(chromium) = Chromium::launch().await else {
        return;
    };
    let mock = TestServer::start_with(webrtc_config()).await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let created = client
        .create_stream_url()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(aws_sdk_gameliftstreams::types::Protocol::Webrtc)
        .url_expires_after_minutes(60)
        .usage_limit(2)
        .locations("us-west-2")
        .session_length_seconds(600)
        .send()
        .await
        .expect("CreateStreamUrl");
    let link = created.stream_url().expect("a StreamUrl").to_owned();
    assert!(
        link.starts_with(&format!("{}/_mock/streamurls/su-", mock.url())),
        "the URL points at the mock: {link}"
    );
    for uses_left in [1, 0] {
        let page = Player::open(&chromium, &link).await;
        let arn = page
            .wait_for("a session ARN", |p| p["sessionArn"].is_string())
            .await["sessionArn"]
            .as_str()
            .expect("a string")
            .to_owned();
        let session = Session {
            client: &client,
            group: id_of(&group),
            arn: &arn,
        };
        let connected = session
            .wait_for(StreamSessionStatus::Connected, &page)
            .await;
        assert_eq!(
            connected.session_length_seconds(),
            Some(600),
            "frozen settings"
        );
        page.wait_for("CONNECTED, both channels open", |p| {
            p["lastStatus"] == "CONNECTED" && p["pcState"] == "connected" && p["channelsOpen"] == 2
        })
        .await;
        page.assert_healthy(2).await;
        let url = client
            .get_stream_url()
            .identifier(&group)
            .stream_url_identifier(created.stream_url_id().expect("an ID"))
            .send()
            .await
            .expect("GetStreamUrl");
        assert_eq!(url.remaining_uses(), Some(uses_left));
        assert!(
            url.stream_sessions()
                .iter()
                .any(|s| s.arn() == Some(arn.as_str()))
        );
    }
    // Every use spent: the page says why it cannot open.
    let page = Player::open(&chromium, &link).await;
    let state = page
        .wait_for("the refusal", |p| {
            p["errors"].as_array().is_some_and(|e| {
                e.iter()
                    .any(|m| m.as_str().is_some_and(|m| m.contains("409")))
            })
        })
        .await;
    assert!(state["sessionArn"].is_null(), "{state}");

    chromium.close().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_input_module_loads_from_another_origin() {
    let mock = TestServer::start_with(webrtc_config()).await;
    let script = mock.raw("GET", "/_mock/webrtc/input.js", &[], b"").await;
    assert_eq!(script.status, 200, "{}", script.text());
    assert_eq!(script.header("Access-Control-Allow-Origin"), Some("*"));
    assert!(
        script
            .header("Content-Type")
            .is_some_and(|t| t.starts_with("application/javascript")),
        "{:?}",
        script.headers
    );

    let Some(chromium) = Chromium::launch().await else {
        return;
    };
    // about:blank has an opaque origin, so the crossorigin load is a CORS request, as from an
    // app's own page.
    let page = chromium
        .browser
        .new_page("about:blank")
        .await
        .expect("a blank page");
    let loaded: String = page
        .evaluate_function(format!(
            "() => new Promise((resolve) => {{
                const script = document.createElement('script');
                script.crossOrigin = 'anonymous';
                script.src = '{}/_mock/webrtc/input.js';
                script.onload = () => resolve(typeof window.GameCastInputModule?.GameCastInput);
                script.onerror = () => resolve('load failed');
                document.head.append(script);
            }})",
            mock.url()
        ))
        .await
        .expect("the script is evaluated")
        .into_value()
        .expect("a string");
    assert_eq!(loaded, "function");

    chromium.close().await;
    mock.shutdown().await;
}

fn webrtc_config() -> ServerConfig {
    ServerConfig {
        webrtc: Some(WebRtcConfig::default()),
        ..test_config()
    }
}

/// The test player in a page.
struct Player {
    page: Page,
}

impl Player {
    /// Opens the player and waits until its script has run.
    async fn open(chromium: &Chromium, url: &str) -> Player {
        let page = chromium
            .browser
            .new_page(url)
            .await
            .expect("the player opens");
        let player = Player { page };
        player.wait_for("the player script", |_| true).await;
        player
    }

    async fn click(&self, id: &str) {
        self.page
            .evaluate(format!("document.getElementById('{id}').click()"))
            .await
            .unwrap_or_else(|e| panic!("clicking {id}: {e}"));
    }

    /// `window.player`, or `null` before the script has run.
    async fn state(&self) -> Value {
        eval_json(&self.page, "window.player").await
    }

    /// The player's state and log, for failure messages.
    async fn describe(&self) -> String {
        let log: String = match self
            .page
            .evaluate("document.getElementById('log').innerText")
            .await
        {
            Ok(r) => r.into_value().unwrap_or_default(),
            Err(e) => format!("(no log: {e})"),
        };
        format!(
            "window.player: {}\nthe page's log:\n{log}",
            self.state().await
        )
    }

    /// Asserts that the page reported no error and has `channels` data channels open.
    async fn assert_healthy(&self, channels: u64) {
        let state = self.state().await;
        assert!(
            state["errors"] == serde_json::json!([]) && state["channelsOpen"] == channels,
            "expected no error and {channels} open channels\n{}",
            self.describe().await
        );
    }

    /// Polls `window.player` until `done` holds (never on `null`); returns it.
    async fn wait_for(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let state = self.state().await;
            if !state.is_null() && done(&state) {
                return state;
            }
            if Instant::now() > deadline {
                panic!(
                    "the page did not show {what} within {WAIT:?}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(STEP).await;
        }
    }
}

/// The session under test, seen through the SDK.
struct Session<'a> {
    client: &'a Client,
    group: &'a str,
    arn: &'a str,
}

impl Session<'_> {
    async fn get(&self) -> GetStreamSessionOutput {
        self.client
            .get_stream_session()
            .identifier(self.group)
            .stream_session_identifier(self.arn)
            .send()
            .await
            .expect("GetStreamSession")
    }

    /// Polls GetStreamSession until the session is `want`; fails with the last status seen.
    async fn wait_for(&self, want: StreamSessionStatus, page: &Player) -> GetStreamSessionOutput {
        let deadline = Instant::now() + WAIT;
        loop {
            let got = self.get().await;
            if got.status() == Some(&want) {
                return got;
            }
            if Instant::now() > deadline {
                panic!(
                    "the session is {:?} ({:?}), not {want:?}, after {WAIT:?}\n{}",
                    got.status(),
                    got.status_reason(),
                    page.describe().await
                );
            }
            tokio::time::sleep(STEP).await;
        }
    }

    /// When the CONNECTED session's idle timer runs out, read off the engine's snapshot (the
    /// API does not show it). The test's server holds this one session only.
    async fn idle_deadline(&self, mock: &TestServer) -> DateTime<Utc> {
        let snapshot = mock.control("GET", "/_mock/snapshot", None).await.json();
        let sessions = snapshot["sessions"].as_array().expect("a session list");
        assert_eq!(sessions.len(), 1, "one session");
        let idle = &sessions[0][1]["session"]["idle"];
        idle.as_str()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
            .unwrap_or_else(|| {
                panic!(
                    "no idle deadline in the snapshot's session: {}",
                    sessions[0]
                )
            })
            .with_timezone(&Utc)
    }
}
