//! The WebRTC layer without a browser: a str0m client peer (the Web SDK's offer shape) drives
//! the seed flow against a `--webrtc` mock, and bad input is refused or ignored.

use std::time::Duration;

use aws_sdk_gameliftstreams::Client;
use aws_sdk_gameliftstreams::types::{Protocol, StreamSessionStatus, StreamSessionStatusReason};
use gameliftstreams_mock::{ClientPeer, ClientState, WebRtcConfig};

use crate::common::*;

/// How long any single wait may take before the test fails with what it saw.
const WAIT: Duration = Duration::from_secs(20);

async fn webrtc_server() -> TestServer {
    TestServer::start_with(gameliftstreams_mock::ServerConfig {
        webrtc: Some(WebRtcConfig::default()),
        ..test_config()
    })
    .await
}

async fn client_peer() -> ClientPeer {
    ClientPeer::new("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("a client peer")
}

async fn session(
    client: &Client,
    group: &str,
    session: &str,
) -> (
    StreamSessionStatus,
    Option<StreamSessionStatusReason>,
    Option<String>,
) {
    let got = client
        .get_stream_session()
        .identifier(group)
        .stream_session_identifier(session)
        .send()
        .await
        .expect("GetStreamSession");
    (
        got.status().cloned().expect("a status"),
        got.status_reason().cloned(),
        got.signal_response().map(str::to_owned),
    )
}

/// Polls the session (every 50 ms, at most [`WAIT`]) until it is `want`.
async fn wait_status(client: &Client, group: &str, id: &str, want: StreamSessionStatus) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let (status, reason, _) = session(client, group, id).await;
        if status == want {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the session stayed {status:?} ({reason:?}), never {want:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_peer(peer: &mut ClientPeer, what: &str, condition: impl FnMut(&ClientState) -> bool) {
    let seen = tokio::time::timeout(WAIT, peer.wait_for(condition)).await;
    match seen {
        Ok(Some(_)) => {}
        Ok(None) => panic!("the client peer stopped before {what}: {:?}", peer.state()),
        Err(_) => panic!("the client peer never saw {what}: {:?}", peer.state()),
    }
}

/// Waits until the server's WebRTC counters satisfy `condition`.
async fn wait_stats(
    mock: &TestServer,
    what: &str,
    condition: impl Fn(&gameliftstreams_mock::WebRtcStats) -> bool,
) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let stats = mock.server.webrtc_stats().expect("a WebRTC layer");
        if condition(&stats) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "never {what}: {stats:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Starts a session with `peer`'s offer (and `connection_timeout` seconds, if given); its ID.
async fn start(
    client: &Client,
    group: &str,
    app: &str,
    peer: &ClientPeer,
    connection_timeout: Option<i32>,
) -> String {
    let started = client
        .start_stream_session()
        .identifier(group)
        .application_identifier(app)
        .protocol(Protocol::Webrtc)
        .signal_request(peer.signal_request())
        .set_connection_timeout_seconds(connection_timeout)
        .send()
        .await
        .expect("StartStreamSession with a real offer");
    id_of(started.arn().expect("an ARN")).to_owned()
}

/// Connects `peer` to session `id` with the session's answer, and waits until both the peer
/// and the session say so; answers the answer.
async fn connect(client: &Client, group: &str, id: &str, peer: &mut ClientPeer) -> String {
    let answer = session(client, group, id)
        .await
        .2
        .expect("an answer once ACTIVE");
    peer.accept(&answer).expect("the answer");
    wait_peer(peer, "its channels open", ClientState::streaming).await;
    wait_status(client, group, id, StreamSessionStatus::Connected).await;
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_client_drives_the_reconnection_flow() {
    let mock = webrtc_server().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let mut first = client_peer().await;
    let id = start(&client, &group, &app, &first, None).await;

    // ACTIVE with a real answer: the Web SDK's JSON, naming the input module.
    let (status, _, answer) = session(&client, &group, &id).await;
    assert_eq!(status, StreamSessionStatus::Active);
    let answer = answer.expect("a signal response once ACTIVE");
    let parsed: serde_json::Value = serde_json::from_str(&answer).expect("JSON");
    assert_eq!(parsed["type"], "answer");
    assert!(
        parsed["sdp"]
            .as_str()
            .is_some_and(|s| s.contains("a=candidate")),
        "{answer}"
    );
    assert_eq!(
        parsed["webSdkProtocolUrl"],
        format!("{}/_mock/webrtc/input.js", mock.url())
    );
    // Asked again, the same answer (the engine asks on every GetStreamSession).
    assert_eq!(
        session(&client, &group, &id).await.2.as_deref(),
        Some(answer.as_str())
    );

    // Connect: ICE, DTLS and the channels up → CONNECTED.
    first.accept(&answer).expect("the answer");
    wait_peer(&mut first, "its channels open", ClientState::streaming).await;
    wait_status(&client, &group, &id, StreamSessionStatus::Connected).await;

    // The control API's client events still work beside a real peer.
    let group_id = id_of(&group).to_owned();
    let posted = mock.event(&group_id, &id, "USER_INPUT").await;
    assert_eq!(posted["Status"], "CONNECTED", "{posted}");

    // The client closes → PENDING_CLIENT_RECONNECTION.
    first.close().expect("close");
    wait_status(
        &client,
        &group,
        &id,
        StreamSessionStatus::PendingClientReconnection,
    )
    .await;

    // The first offer again: refused, nothing changes.
    let reused = client
        .create_stream_session_connection()
        .identifier(&group)
        .stream_session_identifier(&id)
        .signal_request(first.signal_request())
        .send()
        .await
        .expect_err("a reused offer");
    assert_eq!(
        reused.as_service_error().and_then(|e| e.meta().code()),
        Some("ValidationException"),
        "{reused:?}"
    );
    assert_eq!(
        session(&client, &group, &id).await.0,
        StreamSessionStatus::PendingClientReconnection
    );

    // A new offer: RECONNECTING, then ACTIVE, then CONNECTED once the new peer is up. The
    // reconnection takes 5 s of the manual clock, so the new peer connects while the session
    // is still RECONNECTING: CONNECTED waits for ACTIVE.
    let slow = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(serde_json::json!({"Delays": {"Reconnection": 5}})),
        )
        .await;
    assert_eq!(slow.status, 200, "{}", slow.text());
    let mut second = client_peer().await;
    let reconnected = client
        .create_stream_session_connection()
        .identifier(&group)
        .stream_session_identifier(&id)
        .signal_request(second.signal_request())
        .send()
        .await
        .expect("CreateStreamSessionConnection with a new offer");
    let answer = reconnected.signal_response().expect("an answer").to_owned();
    second.accept(&answer).expect("the second answer");
    wait_peer(&mut second, "its channels open", ClientState::streaming).await;
    // Two sweeps of the WebRTC layer: the up peer is not taken for CONNECTED too early.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        session(&client, &group, &id).await.0,
        StreamSessionStatus::Reconnecting
    );
    mock.advance(5).await;
    wait_status(&client, &group, &id, StreamSessionStatus::Connected).await;
    let stats = mock.server.webrtc_stats().expect("a WebRTC layer");
    assert_eq!(
        (stats.clients_connected, stats.clients_disconnected),
        (2, 1),
        "{stats:?}"
    );

    // Input keeps the idle timer (3,600 s) from firing: 3,590 s in, input; 20 s later the
    // session would have idled out without it.
    mock.advance(3590).await;
    let before = mock.server.webrtc_stats().expect("stats").user_inputs;
    for _ in 0..50 {
        second
            .send_input(br#"{"t":"key","type":"keydown","code":"KeyA"}"#)
            .expect("input");
    }
    wait_stats(&mock, "the input observed", |s| s.user_inputs > before).await;
    let stats = mock.server.webrtc_stats().expect("stats");
    assert!(
        stats.user_inputs - before < 50,
        "a burst of 50 messages was coalesced: {stats:?}"
    );
    mock.advance(20).await;
    assert_eq!(
        session(&client, &group, &id).await.0,
        StreamSessionStatus::Connected
    );

    // Terminate closes the peer: the client sees its channels close.
    client
        .terminate_stream_session()
        .identifier(&group)
        .stream_session_identifier(&id)
        .send()
        .await
        .expect("TerminateStreamSession");
    wait_peer(&mut second, "the server close the connection", |s| {
        s.disconnected || s.channels_closed > 0
    })
    .await;
    wait_stats(&mock, "the peer removed", |s| s.peers == 0).await;
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reconnection_within_the_window_terminates() {
    let mock = webrtc_server().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let mut peer = client_peer().await;
    let id = start(&client, &group, &app, &peer, Some(60)).await;
    connect(&client, &group, &id, &mut peer).await;

    // The client goes away without a word (a killed tab): silence past
    // --webrtc-disconnect-after is a disconnect.
    drop(peer);
    wait_status(
        &client,
        &group,
        &id,
        StreamSessionStatus::PendingClientReconnection,
    )
    .await;
    mock.advance(61).await;
    let (status, reason, _) = session(&client, &group, &id).await;
    assert_eq!(
        (status, reason),
        (
            StreamSessionStatus::Terminated,
            Some(StreamSessionStatusReason::ReconnectionTimeout)
        )
    );
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offers_the_peers_cannot_answer_end_in_error_at_placement() {
    let mock = webrtc_server().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let huge = format!("v=0\r\n{}", "a=x-filler\r\n".repeat(10_000));
    let no_data = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\n";
    for bad in [
        "garbage",
        r#"{"type":"offer","sdp":"v=0 not really"}"#,
        r#"{"type":"answer","sdp":"v=0"}"#,
        no_data,
        huge.as_str(),
    ] {
        let started = client
            .start_stream_session()
            .identifier(&group)
            .application_identifier(&app)
            .protocol(Protocol::Webrtc)
            .signal_request(bad)
            .send()
            .await
            .expect("StartStreamSession takes any string");
        let id = id_of(started.arn().expect("an ARN")).to_owned();
        let (status, reason, answer) = session(&client, &group, &id).await;
        assert_eq!(
            (status, reason, answer),
            (
                StreamSessionStatus::Error,
                Some(StreamSessionStatusReason::InvalidSignalRequest),
                None
            ),
            "{}",
            &bad[..bad.len().min(40)]
        );
    }
    // NO_CLIENT_CONNECTION still waits for a connection, with no peer.
    let started = client
        .start_stream_session()
        .identifier(&group)
        .application_identifier(&app)
        .protocol(Protocol::Webrtc)
        .signal_request("NO_CLIENT_CONNECTION")
        .send()
        .await
        .expect("StartStreamSession");
    let id = id_of(started.arn().expect("an ARN")).to_owned();
    assert_eq!(
        session(&client, &group, &id).await.0,
        StreamSessionStatus::Active
    );
    assert_eq!(mock.server.webrtc_stats().expect("stats").peers, 0);
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junk_datagrams_and_half_open_peers_are_ignored() {
    let mock = webrtc_server().await;
    let client = mock.client();
    let (app, _group) = app_and_group(&client).await;
    let udp = mock.server.webrtc_addr().expect("a UDP address");
    let junk = tokio::net::UdpSocket::bind("127.0.0.1:0")
        .await
        .expect("a socket");
    // Junk of every first byte (STUN, DTLS, RTP ranges), short and long.
    let mut sent = 0u64;
    for first in 0..=255u8 {
        for len in [1usize, 20, 100, 1500] {
            let mut datagram = vec![first; len];
            if len >= 20 {
                // A STUN-looking header with a bogus length.
                datagram[0] = first & 0x3;
                datagram[4..8].copy_from_slice(&[0x21, 0x12, 0xA4, 0x42]);
            }
            junk.send_to(&datagram, udp).await.expect("send");
            sent += 1;
            if sent % 16 == 0 {
                // Paced, so that the kernel's receive buffer does not drop any.
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
    }
    wait_stats(&mock, "every junk datagram dropped", |s| {
        s.datagrams_dropped >= sent
    })
    .await;

    // A thousand offers answered, never connected: the engine stays responsive.
    let resized = mock
        .control(
            "PUT",
            "/_mock/config",
            Some(serde_json::json!({"DefaultMaximumCapacity": 1000})),
        )
        .await;
    assert_eq!(resized.status, 200, "{}", resized.text());
    let big_group = stream_group(&client, &app).await;
    let mut ids = Vec::new();
    for _ in 0..1000 {
        // The offer only: the client is gone before the answer comes.
        let offer = client_peer().await.signal_request().to_owned();
        let started = client
            .start_stream_session()
            .identifier(&big_group)
            .application_identifier(&app)
            .protocol(Protocol::Webrtc)
            .signal_request(offer)
            .send()
            .await
            .expect("StartStreamSession");
        ids.push(id_of(started.arn().expect("an ARN")).to_owned());
    }
    for id in &ids {
        // Reading a session makes its answer, and so its peer.
        assert_eq!(
            session(&client, &big_group, id).await.0,
            StreamSessionStatus::Active
        );
    }
    wait_stats(&mock, "the peers made", |s| s.peers == 1000).await;
    let health = mock.control("GET", "/_mock/health", None).await;
    assert_eq!(health.status, 200);
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reset_closes_every_peer_and_forgets_its_answers() {
    let mock = webrtc_server().await;
    let client = mock.client();
    let (app, group) = app_and_group(&client).await;
    let mut peer = client_peer().await;
    let id = start(&client, &group, &app, &peer, None).await;
    let first_answer = connect(&client, &group, &id, &mut peer).await;

    let reset = mock.control("POST", "/_mock/reset", None).await;
    assert_eq!(reset.status, 204, "{}", reset.text());
    wait_peer(&mut peer, "the server close the connection", |s| {
        s.disconnected || s.channels_closed > 0
    })
    .await;
    wait_stats(&mock, "every peer removed", |s| s.peers == 0).await;

    // The same seed names the new session as the old one: it still gets an answer of its own.
    let (app, group) = app_and_group(&client).await;
    let mut again = client_peer().await;
    let same = start(&client, &group, &app, &again, None).await;
    assert_eq!(same, id, "the same ID after a reset");
    let answer = connect(&client, &group, &id, &mut again).await;
    assert_ne!(answer, first_answer);
    mock.shutdown().await;
}
