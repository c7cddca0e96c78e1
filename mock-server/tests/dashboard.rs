//! The dashboard (`/_mock/ui`) against a running mock: its read-only views over HTTP, and the
//! page itself in headless Chromium, which must show what the API creates without a reload,
//! steer a session through the reconnection window and show the engine's refusals. Chromium is
//! required under CI (`CI` set); elsewhere a missing `/usr/bin/chromium` skips the browser tests
//! with a message.
//!
//! Two ignored tests make what the README shows and says:
//!
//! ```sh
//! cargo test -p gameliftstreams-mock --test server -- --ignored dashboard::screenshot
//! DASHBOARD_SESSIONS=10000 cargo test --release -p gameliftstreams-mock --test server -- \
//!     --ignored --nocapture dashboard::at_scale
//! ```

use std::time::{Duration, Instant};

use aws_sdk_gameliftstreams::types::{StreamSessionStatus, StreamSessionStatusReason};
use chromiumoxide::Page;
use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::page::ScreenshotParams;
use serde_json::{Value, json};

use crate::common::chromium::{Chromium, eval_json};
use crate::common::*;

/// The longest any one step may take to show on the page.
const WAIT: Duration = Duration::from_secs(20);
const STEP: Duration = Duration::from_millis(25);

// ---------------------------------------------------------------------------------------------
// The views, over HTTP.

#[tokio::test]
async fn the_page_is_served_whole_from_the_binary() {
    let mock = TestServer::start().await;
    let page = mock.control("GET", "/_mock/ui", None).await;
    assert_eq!(page.status, 200);
    assert!(
        page.header("Content-Type")
            .is_some_and(|t| t.starts_with("text/html"))
    );
    let html = page.text();
    // Stylesheet and script inlined; nothing loaded from anywhere else.
    assert!(html.contains("function scheduleRefresh") && html.contains(".diagram svg"));
    assert!(!html.contains("/* app.js */") && !html.contains("/* style.css */"));
    for outside in ["http://", "https://", "src=\"", "<link"] {
        assert!(
            !html.contains(outside),
            "the page refers outside: {outside}"
        );
    }
    let svg = mock.control("GET", "/_mock/ui/diagram.svg", None).await;
    assert_eq!(svg.status, 200);
    assert_eq!(svg.text(), gameliftstreams_lifecycle::svg_state_diagram());
    mock.shutdown().await;
}

#[tokio::test]
async fn the_views_page_sessions_show_timers_and_never_drain_the_event_log() {
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(id_of(&start_session(&client, &group, &app, n).await).to_owned());
    }
    let gid = id_of(&group);
    mock.event(gid, &ids[1], "CLIENT_CONNECTED").await;
    mock.event(gid, &ids[1], "CLIENT_DISCONNECTED").await;
    mock.event(gid, &ids[2], "APPLICATION_EXITED").await;

    // Pages of 3, newest first.
    let page = |n: usize, filter: &str| {
        let path = format!("/_mock/ui/sessions?size=3&page={n}{filter}");
        let mock = &mock;
        async move {
            let r = mock.control("GET", &path, None).await;
            assert_eq!(r.status, 200, "{}", r.text());
            r.json()
        }
    };
    let listed = |v: &Value| -> Vec<String> {
        v["Items"]
            .as_array()
            .expect("items")
            .iter()
            .map(|s| s["SessionId"].as_str().expect("an ID").to_owned())
            .collect()
    };
    let first = page(0, "").await;
    assert_eq!(first["Total"], 7);
    assert_eq!(listed(&first), [&*ids[6], &ids[5], &ids[4]]);
    assert_eq!(listed(&page(2, "").await), [&*ids[0]]);
    assert!(listed(&page(3, "").await).is_empty());
    let pending = page(
        0,
        &format!("&status=PENDING_CLIENT_RECONNECTION&group={gid}"),
    )
    .await;
    assert_eq!(pending["Total"], 1);
    assert_eq!(listed(&pending), [&*ids[1]]);
    assert_eq!(pending["Items"][0]["NextTimer"], "Reconnection");
    assert_eq!(pending["Items"][0]["NextDeadline"], T0 + 120);

    // One session: its armed timers, from the engine, and its timeline with reasons.
    let detail = mock
        .control(
            "GET",
            &format!("/_mock/ui/session?group={gid}&session={}", ids[1]),
            None,
        )
        .await
        .json();
    assert_eq!(
        detail["Timers"],
        json!([
            {"Timer": "Reconnection", "Deadline": T0 + 120},
            {"Timer": "MaxSessionLength", "Deadline": T0 + 43_200},
        ])
    );
    let path: Vec<&str> = detail["Timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .map(|c| c["To"].as_str().expect("a status"))
        .collect();
    assert_eq!(
        path,
        [
            "ACTIVATING",
            "ACTIVE",
            "CONNECTED",
            "PENDING_CLIENT_RECONNECTION"
        ]
    );
    assert_eq!(detail["TimelineComplete"], true);
    let ended = mock
        .control(
            "GET",
            &format!("/_mock/ui/session?group={gid}&session={}", ids[2]),
            None,
        )
        .await
        .json();
    assert_eq!(ended["Timers"], json!([]));
    let last = ended["Timeline"].as_array().and_then(|t| t.last()).cloned();
    assert_eq!(
        last,
        Some(
            json!({"At": T0, "From": "TERMINATING", "To": "TERMINATED", "Reason": "applicationExit"})
        )
    );
    let unknown = mock
        .control(
            "GET",
            &format!("/_mock/ui/session?group={gid}&session=0000000000000"),
            None,
        )
        .await;
    unknown.assert_error(404, "ResourceNotFoundException");

    // The state: resources and counts by status.
    let state = mock.control("GET", "/_mock/ui/state", None).await.json();
    let account = &state["Accounts"][0];
    assert_eq!(account["AccountId"], "123456789012");
    assert_eq!(account["Applications"][0]["Arn"], app.as_str());
    assert_eq!(account["StreamGroups"][0]["Arn"], group.as_str());
    assert_eq!(account["Sessions"]["Total"], 7);
    assert_eq!(account["Sessions"]["ByStatus"]["ACTIVE"], 5);
    assert_eq!(state["NextDue"], T0 + 120);

    // The long poll: everything so far, then it waits for a change and answers with it.
    let all = mock
        .control("GET", "/_mock/ui/changes?after=0", None)
        .await
        .json();
    let version = all["Version"].as_u64().expect("a version");
    let next = all["Next"].as_u64().expect("a cursor");
    assert!(next > 20 && all["Events"][0]["Seq"] == 0, "{all}");
    let waiting = {
        let addr = mock.server.local_addr().to_string();
        let path = format!("/_mock/ui/changes?version={version}&after={next}");
        tokio::spawn(async move { raw_request(&addr, "GET", &path, &[], b"").await })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!waiting.is_finished(), "nothing changed: the poll waits");
    mock.advance(120).await;
    let woken = tokio::time::timeout(WAIT, waiting)
        .await
        .expect("the clock move wakes the poll")
        .expect("the poll answers")
        .json();
    // The five sessions nobody connected to time out too (the sixth had exited); the one that
    // was left times out of its reconnection window.
    let fired = woken["Events"].as_array().expect("events");
    assert_eq!(fired.len(), 6 * 2, "{woken}");
    let left_one: Vec<(&Value, &Value)> = fired
        .iter()
        .filter(|e| e["Arn"].as_str().is_some_and(|a| a.ends_with(&*ids[1])))
        .map(|e| (&e["Change"]["To"], &e["Change"]["Reason"]))
        .collect();
    assert_eq!(
        left_one,
        [
            (&json!("TERMINATING"), &json!("reconnectionTimeout")),
            (&json!("TERMINATED"), &json!("reconnectionTimeout"))
        ]
    );

    // None of it drained the engine's log: GET /_mock/events still has every event.
    let events = mock.control("GET", "/_mock/events", None).await.json();
    assert_eq!(
        events.as_array().map(Vec::len),
        woken["Next"].as_u64().map(|n| n as usize)
    );
    mock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// The page, in a browser.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_follows_a_session_through_a_disconnect_to_its_reconnection_timeout() {
    let Some(chromium) = Chromium::launch().await else {
        return;
    };
    let mock = TestServer::start().await;
    let client = mock.client();
    // Open first: everything below must appear without a reload.
    let page = Dashboard::open(&chromium, &format!("{}/_mock/ui", mock.url())).await;
    page.eval("window.notReloaded = true").await;

    let (app, group) = app_and_group(&client).await;
    let arn = start_session(&client, &group, &app, 1).await;
    let (gid, sid) = (id_of(&group), id_of(&arn));
    page.wait_text(
        &format!(
            "#applications tr[data-app='{}'] td:nth-child(2)",
            id_of(&app)
        ),
        "READY",
    )
    .await;
    page.wait_text(
        &format!("#groups tr[data-group='{gid}'] td:nth-child(2)"),
        "ACTIVE",
    )
    .await;
    page.wait_text(
        &format!("#groups tr[data-group='{gid}'] td:nth-child(3)"),
        "us-west-2 ACTIVE: 1 / 10",
    )
    .await;
    let row = format!("#session-list tr[data-session='{sid}']");
    page.wait_text(&format!("{row} td:nth-child(2)"), "ACTIVE")
        .await;

    page.click(&row).await;
    page.wait_text("#detail-status", "ACTIVE").await;
    page.wait_text(
        "#timers tr[data-timer='Connection'] td:nth-child(3)",
        "in 2 m",
    )
    .await;

    page.click("#steer button[data-event='CLIENT_CONNECTED']")
        .await;
    page.wait_text("#detail-status", "CONNECTED").await;
    page.click("#steer button[data-event='CLIENT_DISCONNECTED']")
        .await;
    page.wait_text("#detail-status", "PENDING_CLIENT_RECONNECTION")
        .await;
    // The window closes ConnectionTimeoutSeconds (120 s) later, on the mock's manual clock.
    page.wait_text(
        "#timers tr[data-timer='Reconnection'] td:nth-child(2) time",
        "00:02:00",
    )
    .await;
    assert_eq!(
        page.eval(
            "document.querySelector(\"#timers tr[data-timer='Reconnection'] time\").dateTime"
        )
        .await,
        "2026-01-01T00:02:00.000Z"
    );
    page.wait_text(
        "#timers tr[data-timer='Reconnection'] td:nth-child(3)",
        "in 2 m",
    )
    .await;
    assert_eq!(
        page.eval("document.getElementById('status-PENDING_CLIENT_RECONNECTION').classList.contains('current')")
            .await,
        true
    );
    let got = client
        .get_stream_session()
        .identifier(gid)
        .stream_session_identifier(sid)
        .send()
        .await
        .expect("GetStreamSession");
    assert_eq!(
        got.status(),
        Some(&StreamSessionStatus::PendingClientReconnection)
    );

    // A minute on, then to the deadline: the window is over.
    page.click("#advance-1m").await;
    page.wait_text(
        "#timers tr[data-timer='Reconnection'] td:nth-child(3)",
        "in 1 m",
    )
    .await;
    page.click("#advance-next").await;
    page.wait_text("#detail-status", "TERMINATED").await;
    page.wait_text("#detail-reason", "(reconnectionTimeout)")
        .await;
    page.wait_text("#clock-now", "2026-01-01 00:02:00Z").await;
    page.wait_text("#timers tbody", "no timer armed").await;
    page.wait_text(
        "#timeline li:last-child",
        "00:02:00 TERMINATING → TERMINATED (reconnectionTimeout)",
    )
    .await;
    page.wait_text(
        &format!("{row} td:nth-child(2)"),
        "TERMINATED (reconnectionTimeout)",
    )
    .await;
    let got = client
        .get_stream_session()
        .identifier(gid)
        .stream_session_identifier(sid)
        .send()
        .await
        .expect("GetStreamSession");
    assert_eq!(got.status(), Some(&StreamSessionStatus::Terminated));
    assert_eq!(
        got.status_reason(),
        Some(&StreamSessionStatusReason::ReconnectionTimeout)
    );
    assert_eq!(page.eval("window.notReloaded === true").await, true);
    assert_eq!(page.eval("window.dashboard.errors").await, json!([]));

    chromium.close().await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_action_shows_the_engines_error() {
    let Some(chromium) = Chromium::launch().await else {
        return;
    };
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let arn = start_session(&client, &group, &app, 1).await;
    let (gid, sid) = (id_of(&group), id_of(&arn));
    let page = Dashboard::open(&chromium, &format!("{}/_mock/ui", mock.url())).await;
    page.click(&format!("#session-list tr[data-session='{sid}']"))
        .await;
    page.wait_text("#detail-status", "ACTIVE").await;

    // The state machine refuses a disconnect of a client that never connected: the page shows
    // the message the control API gives.
    let refused = mock
        .control(
            "POST",
            &format!("/_mock/streamgroups/{gid}/streamsessions/{sid}/events"),
            Some(json!({"Type": "CLIENT_DISCONNECTED"})),
        )
        .await
        .assert_error(409, "ConflictException");
    page.click("#steer button[data-event='CLIENT_DISCONNECTED']")
        .await;
    page.wait_text(
        "#error-text",
        &format!("CLIENT_DISCONNECTED: 409 ConflictException: {refused}"),
    )
    .await;

    // A fault rule on TerminateStreamSession: the REST call fails, and the page says how.
    let faults = json!({"Faults": [{
        "Operation": "TerminateStreamSession",
        "Trigger": {"Nth": 1},
        "Error": "InternalServerException",
        "Message": "injected by the test",
    }]});
    let r = mock.control("PUT", "/_mock/config", Some(faults)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    page.click("#terminate").await;
    page.wait_text(
        "#error-text",
        "TerminateStreamSession: 500 InternalServerException: injected by the test",
    )
    .await;
    // The second call is not the rule's: the session ends, and the error goes.
    page.click("#terminate").await;
    page.wait_text("#detail-status", "TERMINATED").await;
    page.wait_text("#detail-reason", "(apiTerminated)").await;
    assert_eq!(
        page.eval("document.getElementById('error').hidden").await,
        true
    );

    chromium.close().await;
    mock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------
// What the README shows and says (ignored: run by hand).

/// Writes `docs/dashboard.png`: a few sessions in various states, one selected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "writes docs/dashboard.png: run by hand"]
async fn screenshot() {
    let chromium = Chromium::launch()
        .await
        .expect("Chromium, for the screenshot");
    let mock = TestServer::start().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let gid = id_of(&group).to_owned();
    let mut ids = Vec::new();
    for n in 0..6 {
        ids.push(id_of(&start_session(&client, &group, &app, n).await).to_owned());
        mock.advance(7).await;
    }
    for (i, steps) in [
        &["CLIENT_CONNECTED"][..],
        &["CLIENT_CONNECTED", "CLIENT_DISCONNECTED"],
        &["CLIENT_CONNECTED", "USER_INPUT"],
        &["APPLICATION_EXITED"],
        &[],
        &["CLIENT_CONNECTED", "CLIENT_DISCONNECTED"],
    ]
    .iter()
    .enumerate()
    {
        for step in *steps {
            mock.event(&gid, &ids[i], step).await;
            mock.advance(3).await;
        }
    }
    client
        .create_stream_url()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(aws_sdk_gameliftstreams::types::Protocol::Webrtc)
        .url_expires_after_minutes(60)
        .usage_limit(5)
        .locations("us-west-2")
        .send()
        .await
        .expect("CreateStreamUrl");
    let page = Dashboard::open(&chromium, &format!("{}/_mock/ui", mock.url())).await;
    page.page
        .execute(
            SetDeviceMetricsOverrideParams::builder()
                .width(1280)
                .height(800)
                .device_scale_factor(1.0)
                .mobile(false)
                .build()
                .expect("metrics"),
        )
        .await
        .expect("a 1280x800 viewport");
    page.click(&format!("#session-list tr[data-session='{}']", ids[5]))
        .await;
    page.wait_text("#detail-status", "PENDING_CLIENT_RECONNECTION")
        .await;
    // Let the diagram and the live list settle.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/dashboard.png");
    page.page
        .save_screenshot(ScreenshotParams::builder().build(), &out)
        .await
        .expect("the screenshot is written");
    println!("wrote {}", out.display());
    chromium.close().await;
    mock.shutdown().await;
}

/// The page against many sessions (`DASHBOARD_SESSIONS`, 10,000 by default): time to first
/// paint and to the first complete render, and the lag from a control-API event to the page
/// showing it, idle and while sessions are being started.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run by hand with --release --nocapture"]
async fn at_scale() {
    let sessions: u32 = std::env::var("DASHBOARD_SESSIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let chromium = Chromium::launch()
        .await
        .expect("Chromium, for the measurement");
    let mock = TestServer::start().await;
    let client = mock.client();
    // Room for every session in the group's one location.
    let r = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(json!({"DefaultMaximumCapacity": sessions + 1000})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let (app, group) = app_and_group(&client).await;
    let gid = id_of(&group).to_owned();
    let started = Instant::now();
    let mut last = String::new();
    for n in 0..sessions {
        last = id_of(&start_session(&client, &group, &app, n).await).to_owned();
        if n % 3 == 0 {
            mock.event(&gid, &last, "CLIENT_CONNECTED").await;
        }
    }
    println!("{sessions} sessions made in {:.1?}", started.elapsed());

    let page = Dashboard::open(&chromium, &format!("{}/_mock/ui", mock.url())).await;
    let paint = page
        .eval(
            "performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint')?.startTime ?? null",
        )
        .await;
    let render = page.eval("window.dashboard.firstRenderMs").await;
    let refresh = page.eval("window.dashboard.lastRefreshMs").await;
    println!(
        "first contentful paint {paint} ms; first complete render {render} ms after navigation; \
         a refresh (state, a page of 50, the selected session) {refresh} ms"
    );
    page.click(&format!("#session-list tr[data-session='{last}']"))
        .await;
    page.wait_text("#detail-status", "").await;

    let lag = |label: &'static str| {
        let (page, mock, gid, last) = (&page, &mock, &gid, &last);
        async move {
            let mut lags = Vec::new();
            for i in 0..20 {
                let (kind, shows) = if i % 2 == 0 {
                    ("CLIENT_DISCONNECTED", "PENDING_CLIENT_RECONNECTION")
                } else {
                    ("CLIENT_CONNECTED", "CONNECTED")
                };
                if i == 0 {
                    // From wherever it is to CONNECTED first.
                    let status = page
                        .eval("document.getElementById('detail-status').textContent")
                        .await;
                    if status == "ACTIVE" {
                        mock.event(gid, last, "CLIENT_CONNECTED").await;
                        page.wait_text("#detail-status", "CONNECTED").await;
                    }
                }
                // A quiet moment first: the lag of one change, not of the coalescing.
                tokio::time::sleep(Duration::from_millis(300)).await;
                let sent = Instant::now();
                mock.event(gid, last, kind).await;
                page.wait_text("#detail-status", shows).await;
                lags.push(sent.elapsed());
                if kind == "CLIENT_DISCONNECTED" {
                    // Back to ACTIVE through a reconnection, then CONNECTED is possible again.
                    let r = mock
                        .api(
                            "POST",
                            &format!("/streamgroups/{gid}/streamsessions/{last}/connections"),
                            json!({"SignalRequest": format!("offer {label} {i}")})
                                .to_string()
                                .as_bytes(),
                        )
                        .await;
                    assert_eq!(r.status, 200, "{}", r.text());
                    page.wait_text("#detail-status", "ACTIVE").await;
                }
            }
            lags.sort();
            println!(
                "update lag ({label}): median {:.1?}, p90 {:.1?}, max {:.1?} over {}",
                lags[lags.len() / 2],
                lags[lags.len() * 9 / 10],
                lags[lags.len() - 1],
                lags.len()
            );
        }
    };
    lag("idle").await;
    // Sessions being started meanwhile: the page's refreshes coalesce.
    let load = {
        let client = client.clone();
        let (group, app) = (group.clone(), app.clone());
        tokio::spawn(async move {
            for n in 0..u32::MAX {
                start_session(&client, &group, &app, sessions + n).await;
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        })
    };
    lag("while starting sessions").await;
    load.abort();
    chromium.close().await;
    mock.shutdown().await;
}

// ---------------------------------------------------------------------------------------------

/// The dashboard in a page.
struct Dashboard {
    page: Page,
}

impl Dashboard {
    /// Opens the dashboard and waits for its first complete render.
    async fn open(chromium: &Chromium, url: &str) -> Dashboard {
        let page = chromium
            .browser
            .new_page(url)
            .await
            .expect("the dashboard opens");
        let dashboard = Dashboard { page };
        let deadline = Instant::now() + WAIT;
        while dashboard
            .eval("window.dashboard?.firstRenderMs ?? null")
            .await
            .is_null()
        {
            assert!(
                Instant::now() < deadline,
                "the dashboard did not render within {WAIT:?}\n{}",
                dashboard.describe().await
            );
            tokio::time::sleep(STEP).await;
        }
        dashboard
    }

    /// The value of a JavaScript expression, through JSON.
    async fn eval(&self, expression: &str) -> Value {
        eval_json(&self.page, expression).await
    }

    /// Clicks the element `selector` names, as a user would (a click event on it).
    async fn click(&self, selector: &str) {
        let found = self
            .eval(&format!(
                "(() => {{ const e = document.querySelector({selector:?}); if (e) e.click(); return !!e; }})()"
            ))
            .await;
        assert_eq!(
            found,
            true,
            "nothing to click at {selector}\n{}",
            self.describe().await
        );
    }

    /// Waits until the element `selector` names shows `text` (its whole text, trimmed; any
    /// text at all when `text` is empty).
    async fn wait_text(&self, selector: &str, text: &str) {
        let deadline = Instant::now() + WAIT;
        let read = format!("document.querySelector({selector:?})?.textContent.trim() ?? null");
        loop {
            let shown = self.eval(&read).await;
            let matches = shown.as_str().is_some_and(|s| {
                if text.is_empty() {
                    !s.is_empty()
                } else {
                    s == text
                }
            });
            if matches {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "{selector} shows {shown}, not {text:?}, after {WAIT:?}\n{}",
                    self.describe().await
                );
            }
            tokio::time::sleep(STEP).await;
        }
    }

    /// What the page shows, for failure messages.
    async fn describe(&self) -> String {
        let text = self
            .page
            .evaluate("document.body ? document.body.innerText : ''")
            .await
            .ok()
            .and_then(|r| r.into_value::<String>().ok())
            .unwrap_or_default();
        let state = self
            .page
            .evaluate("JSON.stringify(window.dashboard ?? null)")
            .await
            .ok()
            .and_then(|r| r.into_value::<String>().ok())
            .unwrap_or_default();
        format!("window.dashboard: {state}\nthe page's text:\n{text}")
    }
}
