#!/usr/bin/env python3
"""A boto3 smoke test of the mock GameLift Streams server.

Start the server first, then run this script with its URL:

    gameliftstreams-mock --clock manual 2>mock.log &
    python3 mock-server/examples/boto3_smoke.py http://127.0.0.1:4580

It walks the lifecycle with boto3's own waiters and paginators (application, stream group,
stream session, the reconnection flow, termination), checks that errors come through with
their code and message, and prints "boto3 smoke test: OK". It needs only boto3; the project's
CI does not run it (python/tests does the same through the Python package).

It resets the server first (the configuration stays). Each wait gives up after --timeout
seconds (60 by default) with an error that says what it waited for. On a manual clock, the
script moves the clock itself while it waits, a second at a time, so that configured delays
(`PUT /_mock/config` with `Delays`) pass at once; on a real clock it waits them out.
"""

import argparse
import json
import time
import urllib.request

import boto3
from botocore.exceptions import ClientError, WaiterError

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("url", nargs="?", default="http://127.0.0.1:4580", help="the mock's URL")
parser.add_argument(
    "--timeout", type=float, default=60.0, help="seconds each wait may take (default 60)"
)
ARGS = parser.parse_args()
URL = ARGS.url


def control(method, path, body=None):
    """A request to the mock's control API (no signature needed)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(URL + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read()
        return json.loads(text) if text else None


def until(done, what):
    """Calls done() until it is true; meanwhile moves a manual clock a second at a time (or
    lets a real one run), for at most --timeout seconds."""
    manual = control("GET", "/_mock/clock")["Mode"] == "manual"
    deadline = time.monotonic() + ARGS.timeout
    while not done():
        if time.monotonic() > deadline:
            delays = control("GET", "/_mock/config")["Delays"]
            raise TimeoutError(
                f"{what}: not done after {ARGS.timeout:g} s (the mock's clock is "
                f"{'manual' if manual else 'real'}; its Delays: {delays})"
            )
        if manual:
            control("POST", "/_mock/clock", {"AdvanceSeconds": 1})
        else:
            time.sleep(0.5)


def wait(client, name, **kwargs):
    """boto3's waiter `name`, one poll at a time (see until)."""
    waiter = client.get_waiter(name)

    def done():
        try:
            waiter.wait(WaiterConfig={"Delay": 1, "MaxAttempts": 1}, **kwargs)
            return True
        except WaiterError as e:
            if "Max attempts exceeded" not in str(e):
                raise  # a failure state: the waiter will never succeed
            return False

    until(done, f"waiter {name}")


def expect_error(code, call, **kwargs):
    try:
        call(**kwargs)
    except ClientError as e:
        error = e.response["Error"]
        assert error["Code"] == code, error
        assert error["Message"], error
        return error["Message"]
    raise AssertionError(f"expected {code}")


def main():
    client = boto3.client(
        "gameliftstreams",
        endpoint_url=URL,
        region_name="us-west-2",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="not-checked",
    )
    control("POST", "/_mock/reset")

    app = client.create_application(
        Description="My game",
        RuntimeEnvironment={"Type": "PROTON", "Version": "20241007"},
        ExecutablePath="bin/game.exe",
        ApplicationSourceUri="s3://my-bucket/game",
    )
    assert app["Status"] == "INITIALIZED", app["Status"]
    wait(client, "application_ready", Identifier=app["Arn"])

    group = client.create_stream_group(
        Description="My group",
        StreamClass="gen5n_high",
        DefaultApplicationIdentifier=app["Arn"],
    )
    wait(client, "stream_group_active", Identifier=group["Arn"])

    session = client.start_stream_session(
        Identifier=group["Id"],
        ApplicationIdentifier=app["Arn"],
        Protocol="WebRTC",
        SignalRequest='{"type":"offer","sdp":"v=0 offer 1"}',
        ConnectionTimeoutSeconds=60,
    )
    assert session["Status"] == "ACTIVATING", session["Status"]
    wait(
        client,
        "stream_session_active",
        Identifier=group["Id"],
        StreamSessionIdentifier=session["Arn"],
    )
    got = client.get_stream_session(
        Identifier=group["Id"], StreamSessionIdentifier=session["Arn"]
    )
    assert got["Status"] == "ACTIVE" and got["SignalResponse"], got
    assert hasattr(got["CreatedAt"], "year"), "timestamps parse as datetimes"

    # The reconnection flow: connected, dropped, reconnected, connected again.
    session_id = session["Arn"].rsplit("/", 1)[1]
    events = f"/_mock/streamgroups/{group['Id']}/streamsessions/{session_id}/events"
    assert control("POST", events, {"Type": "CLIENT_CONNECTED"})["Status"] == "CONNECTED"
    control("POST", events, {"Type": "CLIENT_DISCONNECTED"})
    reconnection = client.create_stream_session_connection(
        Identifier=group["Id"],
        StreamSessionIdentifier=session_id,
        SignalRequest='{"type":"offer","sdp":"v=0 offer 2"}',
    )
    assert reconnection["SignalResponse"]
    wait(
        client,
        "stream_session_active",
        Identifier=group["Id"],
        StreamSessionIdentifier=session_id,
    )
    control("POST", events, {"Type": "CLIENT_CONNECTED"})

    client.terminate_stream_session(
        Identifier=group["Id"], StreamSessionIdentifier=session_id
    )

    def get():
        return client.get_stream_session(
            Identifier=group["Id"], StreamSessionIdentifier=session_id
        )

    until(lambda: get()["Status"] == "TERMINATED", "the session to end")
    got = get()
    assert (got["Status"], got["StatusReason"]) == ("TERMINATED", "apiTerminated"), got

    # Paginators over small pages.
    for n in range(7):
        client.start_stream_session(
            Identifier=group["Id"],
            ApplicationIdentifier=app["Id"],
            Protocol="WebRTC",
            SignalRequest=f'{{"type":"offer","sdp":"v=0 offer {n + 10}"}}',
        )
    pages = client.get_paginator("list_stream_sessions").paginate(
        Identifier=group["Id"], PaginationConfig={"PageSize": 3}
    )
    arns = [item["Arn"] for page in pages for item in page["Items"]]
    assert len(arns) == 8 and arns[0] == session["Arn"], arns

    # Errors: code and message come through.
    message = expect_error(
        "ResourceNotFoundException", client.get_stream_group, Identifier="sg-000000000"
    )
    assert "sg-000000000" in message, message
    message = expect_error(
        "ValidationException",
        client.start_stream_session,
        Identifier=group["Id"],
        ApplicationIdentifier=app["Id"],
        Protocol="WebRTC",
        SignalRequest="offer",
        ConnectionTimeoutSeconds=3601,
    )
    assert "connectionTimeoutSeconds" in message, message
    expect_error(
        "AccessDeniedException",
        client.get_stream_group,
        Identifier="arn:aws:gameliftstreams:us-west-2:111111111111:streamgroup/sg-000000000",
    )

    client.delete_stream_group(Identifier=group["Id"])
    wait(client, "stream_group_deleted", Identifier=group["Id"])
    client.delete_application(Identifier=app["Id"])
    wait(client, "application_deleted", Identifier=app["Id"])
    print("boto3 smoke test: OK")


if __name__ == "__main__":
    main()
