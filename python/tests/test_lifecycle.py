"""The lifecycle through boto3 against the fixture's mock: the reconnection flow of the
project's seed example (``cargo run --example reconnect``), step by step on the manual clock,
and the README's walk-through."""

from __future__ import annotations

import json
from typing import Any, Callable, Dict

import pytest

from gameliftstreams_mock import ControlApiError, GameLiftStreamsMock


def offer(n: int) -> str:
    return json.dumps({"type": "offer", "sdp": f"v=0 offer {n}"})


def create_app_and_group(client: Any) -> Dict[str, str]:
    app = client.create_application(
        Description="My game",
        RuntimeEnvironment={"Type": "PROTON", "Version": "20241007"},
        ExecutablePath="bin/game.exe",
        ApplicationSourceUri="s3://my-bucket/game",
    )
    assert app["Status"] == "INITIALIZED"
    group = client.create_stream_group(
        Description="My group",
        StreamClass="gen5n_high",
        DefaultApplicationIdentifier=app["Arn"],
    )
    assert group["Status"] == "ACTIVATING"
    return {"app": app["Arn"], "group": group["Id"]}


@pytest.mark.gameliftstreams_mock(
    start_time="2026-01-01T12:00:00Z",
    config={
        "Delays": {"StreamGroupActivation": 60, "Placement": 4, "Reconnection": 1},
        "TerminationDelay": 5,
    },
)
def test_the_reconnection_flow_step_by_step(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    client = mock.client()
    ids = create_app_and_group(client)
    group = ids["group"]

    # ACTIVATING for the configured 60 s, on a clock that moves only when told.
    assert client.get_stream_group(Identifier=group)["Status"] == "ACTIVATING"
    mock.advance(59)
    assert client.get_stream_group(Identifier=group)["Status"] == "ACTIVATING"
    mock.advance(1)
    client.get_waiter("stream_group_active").wait(
        Identifier=group, WaiterConfig={"Delay": 1, "MaxAttempts": 1}
    )

    t0 = mock.now()
    session = client.start_stream_session(
        Identifier=group,
        ApplicationIdentifier=ids["app"],
        Protocol="WebRTC",
        SignalRequest=offer(1),
        ConnectionTimeoutSeconds=90,
    )
    arn = session["Arn"]
    assert session["Status"] == "ACTIVATING"

    def status() -> str:
        got = client.get_stream_session(Identifier=group, StreamSessionIdentifier=arn)
        return f"{got['Status']}/{got.get('StatusReason', '-')}"

    def at(seconds: float, then: Callable[[], Any] = lambda: None) -> str:
        """Moves the clock to t0 + seconds, does `then`, answers the session's status."""
        mock.set_clock(t0.timestamp() + seconds)
        then()
        return status()

    def event(kind: str) -> Callable[[], Any]:
        return lambda: mock.client_event(group, arn, kind)

    def reconnect() -> Any:
        return client.create_stream_session_connection(
            Identifier=group, StreamSessionIdentifier=arn, SignalRequest=offer(2)
        )

    assert at(3) == "ACTIVATING/-"
    assert at(4) == "ACTIVE/-"  # capacity found, the application launched
    got = client.get_stream_session(Identifier=group, StreamSessionIdentifier=arn)
    assert got["SignalResponse"] and got["Location"]
    assert at(9, event("CLIENT_CONNECTED")) == "CONNECTED/-"
    assert at(60, event("USER_INPUT")) == "CONNECTED/-"
    assert at(300, event("CLIENT_DISCONNECTED")) == "PENDING_CLIENT_RECONNECTION/-"
    assert at(340, reconnect) == "RECONNECTING/-"
    assert at(341) == "ACTIVE/-"  # the new connection info is ready
    # The first offer again is refused: every earlier offer counts.
    with pytest.raises(client.exceptions.ValidationException):
        client.create_stream_session_connection(
            Identifier=group, StreamSessionIdentifier=arn, SignalRequest=offer(1)
        )
    assert at(350, event("CLIENT_CONNECTED")) == "CONNECTED/-"
    assert at(900, event("CLIENT_DISCONNECTED")) == "PENDING_CLIENT_RECONNECTION/-"
    # Nobody comes back within the 90 s window; termination takes the configured 5 s.
    assert at(989) == "PENDING_CLIENT_RECONNECTION/-"
    assert at(990) == "TERMINATING/reconnectionTimeout"
    assert at(995) == "TERMINATED/reconnectionTimeout"

    # A client event the status does not allow: a 409 that names the statuses that would.
    with pytest.raises(ControlApiError) as refused:
        mock.client_event(group, arn, "CLIENT_CONNECTED")
    assert (refused.value.status, refused.value.code) == (409, "ConflictException")
    assert "TERMINATED" in refused.value.message

    steps = [e["Change"]["To"] for e in mock.events() if e.get("Arn") == arn]
    assert steps == [
        "ACTIVATING",
        "ACTIVE",
        "CONNECTED",
        "PENDING_CLIENT_RECONNECTION",
        "RECONNECTING",
        "ACTIVE",
        "CONNECTED",
        "PENDING_CLIENT_RECONNECTION",
        "TERMINATING",
        "TERMINATED",
    ]


def test_the_walk_through_with_waiters(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    """The README's walk-through: every delay 0 s, so boto3's waiters succeed at once."""
    mock = gameliftstreams_mock
    client = mock.client()
    ids = create_app_and_group(client)
    quick = {"Delay": 1, "MaxAttempts": 2}
    client.get_waiter("application_ready").wait(Identifier=ids["app"], WaiterConfig=quick)
    client.get_waiter("stream_group_active").wait(Identifier=ids["group"], WaiterConfig=quick)
    session = client.start_stream_session(
        Identifier=ids["group"],
        ApplicationIdentifier=ids["app"],
        Protocol="WebRTC",
        SignalRequest=offer(1),
        ConnectionTimeoutSeconds=60,
    )
    sid = session["Arn"].rsplit("/", 1)[1]
    client.get_waiter("stream_session_active").wait(
        Identifier=ids["group"], StreamSessionIdentifier=sid, WaiterConfig=quick
    )
    assert mock.client_event(ids["group"], sid, "CLIENT_CONNECTED")["Status"] == "CONNECTED"
    answer = mock.client_event(ids["group"], sid, "CLIENT_DISCONNECTED")
    assert answer["Status"] == "PENDING_CLIENT_RECONNECTION"
    client.create_stream_session_connection(
        Identifier=ids["group"], StreamSessionIdentifier=sid, SignalRequest=offer(2)
    )
    mock.advance(60)
    got = client.get_stream_session(Identifier=ids["group"], StreamSessionIdentifier=sid)
    assert (got["Status"], got["StatusReason"]) == ("TERMINATED", "reconnectionTimeout")

    with pytest.raises(client.exceptions.ResourceNotFoundException) as missing:
        client.get_stream_group(Identifier="sg-000000000")
    assert missing.value.response["Error"]["Message"] == "Stream group sg-000000000 was not found"


def test_idle_timeout_on_the_manual_clock(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    """The root README's two-minute tour: an hour without input ends the session."""
    mock = gameliftstreams_mock
    client = mock.client()
    ids = create_app_and_group(client)
    session = client.start_stream_session(
        Identifier=ids["group"],
        ApplicationIdentifier=ids["app"],
        Protocol="WebRTC",
        SignalRequest=offer(1),
    )
    assert (
        client.get_stream_session(Identifier=ids["group"], StreamSessionIdentifier=session["Arn"])[
            "Status"
        ]
        == "ACTIVE"
    )
    mock.client_event(ids["group"], session["Arn"], "CLIENT_CONNECTED")
    mock.advance(3600)
    got = client.get_stream_session(Identifier=ids["group"], StreamSessionIdentifier=session["Arn"])
    assert (got["Status"], got["StatusReason"]) == ("TERMINATED", "idleTimeout")
