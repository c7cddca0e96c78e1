"""GameLiftStreamsMock itself: start, stop, the control API's helpers, errors, accounts."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import boto3
import pytest

import gameliftstreams_mock
from gameliftstreams_mock import (
    BINARY_ENV_VAR,
    ControlApiError,
    GameLiftStreamsMock,
    MockBinaryNotFoundError,
    MockError,
    MockStartError,
    find_binary,
)

JAN_1 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def make_group(client: "object") -> str:
    app = client.create_application(  # type: ignore[attr-defined]
        Description="g",
        RuntimeEnvironment={"Type": "PROTON", "Version": "20241007"},
        ExecutablePath="bin/game.exe",
        ApplicationSourceUri="s3://my-bucket/game",
    )
    group = client.create_stream_group(  # type: ignore[attr-defined]
        Description="g", StreamClass="gen5n_high", DefaultApplicationIdentifier=app["Arn"]
    )
    return str(group["Id"])


# -- the package as installed -----------------------------------------------------------


def test_the_wheel_installs_the_executable_and_the_typed_package() -> None:
    package = Path(gameliftstreams_mock.__file__).parent
    assert (package / "py.typed").is_file()
    if gameliftstreams_mock.__version__ == "0+unknown":
        pytest.skip("the package is imported from a source tree, not installed")
    # The installed package, not python/'s source: what CI means to test.
    assert package.parent == Path(sysconfig.get_path("purelib")), package
    if os.environ.get(BINARY_ENV_VAR):
        pytest.skip(f"${BINARY_ENV_VAR} overrides the installed executable")
    binary = Path(find_binary())
    assert binary.parent == Path(sysconfig.get_path("scripts")), binary


def test_the_version_is_the_crates() -> None:
    out = subprocess.run([find_binary(), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["gameliftstreams-mock", gameliftstreams_mock.__version__]


def test_python_m_runs_the_executable() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gameliftstreams_mock", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == f"gameliftstreams-mock {gameliftstreams_mock.__version__}"


# -- start and stop ---------------------------------------------------------------------


def test_starts_on_a_free_port_and_stops_cleanly() -> None:
    started = time.perf_counter()
    with GameLiftStreamsMock() as mock:
        ready = time.perf_counter() - started
        assert mock.url.startswith("http://127.0.0.1:") and mock.port > 0
        assert mock.health() == {"Status": "ok"}
        assert mock.running
        pid = mock.pid
        # Several at once: each has its own port.
        with GameLiftStreamsMock() as other:
            assert other.port != mock.port
    assert not mock.running and mock.returncode == 0
    assert mock.stop() == 0  # stopping twice does nothing
    assert any("SIGTERM received" in line for line in mock.recent_logs())
    with pytest.raises(OSError):
        os.kill(pid, 0)  # reaped: no zombie left behind
    assert ready < 10, ready


def test_stop_reports_the_exit_status() -> None:
    mock = GameLiftStreamsMock().start()
    assert mock.pid is not None
    os.kill(mock.pid, signal.SIGKILL)
    with pytest.raises(MockError, match="exited with status -9"):
        mock.stop()
    assert mock.stop(check=False) == -9


def test_a_dead_mock_is_reported_clearly() -> None:
    mock = GameLiftStreamsMock().start()
    assert mock.pid is not None
    os.kill(mock.pid, signal.SIGKILL)
    while mock.running:
        time.sleep(0.01)
    with pytest.raises(MockError, match=r"cannot reach the mock .*not running \(exit status -9\)"):
        mock.health()
    mock.stop(check=False)


def test_a_mock_that_cannot_start_says_why() -> None:
    with pytest.raises(MockStartError) as bad_option:
        GameLiftStreamsMock(extra_args=["--no-such-option"]).start()
    message = str(bad_option.value)
    assert "exit status 2" in message and "--no-such-option" in message, message

    # The port is taken: the server's own message comes through.
    with GameLiftStreamsMock() as first:
        with pytest.raises(MockStartError, match="(?i)address already in use"):
            GameLiftStreamsMock(listen=f"127.0.0.1:{first.port}").start()

    with pytest.raises(MockStartError, match="exit status 1.*state"):
        GameLiftStreamsMock(state_file="/nonexistent-dir/state.json").start()

    with pytest.raises(ValueError, match="clock"):
        GameLiftStreamsMock(clock="sundial")  # type: ignore[arg-type]


def test_webrtc_needs_a_build_with_the_feature() -> None:
    # The wheel is built without --features webrtc; a build with it would start.
    try:
        mock = GameLiftStreamsMock(webrtc=True).start()
    except MockStartError as e:
        assert "webrtc" in str(e), e
    else:
        assert mock.request("GET", "/_mock/webrtc")["Enabled"] is True
        mock.stop()


def test_a_missing_executable_raises_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(MockStartError, match="cannot run"):
        GameLiftStreamsMock(binary=tmp_path / "nothing-here").start()
    monkeypatch.setenv(BINARY_ENV_VAR, str(tmp_path / "nothing-here"))
    with pytest.raises(MockBinaryNotFoundError, match=BINARY_ENV_VAR):
        GameLiftStreamsMock().start()
    assert issubclass(MockBinaryNotFoundError, FileNotFoundError)


def test_a_silent_executable_times_out(tmp_path: Path) -> None:
    silent = tmp_path / "silent"
    silent.write_text("#!/bin/sh\nexec sleep 30\n")
    silent.chmod(0o755)
    started = time.monotonic()
    with pytest.raises(MockStartError, match="no 'listening on' line within 0.5 s"):
        GameLiftStreamsMock(binary=silent, start_timeout=0.5).start()
    assert time.monotonic() - started < 5


def test_stderr_is_drained_and_can_go_to_a_file(tmp_path: Path) -> None:
    log = tmp_path / "mock.log"
    with GameLiftStreamsMock(log_file=log) as mock:
        # Several times more log lines than a pipe buffer holds: nothing blocks or is lost.
        for _ in range(1000):
            mock.health()
    lines = log.read_text().splitlines()
    assert sum('path="/_mock/health"' in line for line in lines) == 1000
    assert mock.recent_logs() == lines  # all of them kept in memory too (up to 2000)


def test_the_state_file_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    with GameLiftStreamsMock(state_file=state, start_time=JAN_1, seed=7) as mock:
        group = make_group(mock.client())
        mock.advance(3600)
    assert json.loads(state.read_text())["ids"]["seed"] == 7
    with GameLiftStreamsMock(state_file=state) as mock:
        assert mock.now() == JAN_1 + timedelta(hours=1)  # a manual clock resumes
        assert mock.client().get_stream_group(Identifier=group)["Id"] == group


def test_options_mirror_the_command_line() -> None:
    with GameLiftStreamsMock(clock="real", region="eu-central-1", seed=42) as mock:
        assert mock.clock().mode == "real"
        assert mock.region == "eu-central-1"
        assert mock.config()["Seed"] == 42
        client = mock.client()
        assert client.meta.region_name == "eu-central-1"
        assert (
            ":eu-central-1:"
            in client.create_application(
                Description="g",
                RuntimeEnvironment={"Type": "PROTON", "Version": "20241007"},
                ExecutablePath="bin/game.exe",
                ApplicationSourceUri="s3://my-bucket/game",
            )["Arn"]
        )
        now = mock.now()
        assert abs((now - datetime.now(timezone.utc)).total_seconds()) < 5


# -- the control API --------------------------------------------------------------------


@pytest.mark.gameliftstreams_mock(start_time=JAN_1)
def test_the_clock(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    assert mock.clock().mode == "manual"
    assert mock.now() == JAN_1
    assert mock.advance(30) == JAN_1 + timedelta(seconds=30)
    assert mock.advance(timedelta(minutes=1, seconds=0.5)) == JAN_1 + timedelta(seconds=90.5)
    assert mock.set_clock(JAN_1 + timedelta(hours=1)) == JAN_1 + timedelta(hours=1)
    assert mock.set_clock(JAN_1.timestamp() + 7200) == JAN_1 + timedelta(hours=2)
    with pytest.raises(ControlApiError) as back:
        mock.set_clock(JAN_1)
    assert (back.value.status, back.value.code) == (400, "ValidationException")
    assert mock.now() == JAN_1 + timedelta(hours=2)


def test_config_merges_and_refuses_typos(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    assert mock.config()["Delays"]["Placement"] == 0
    merged = mock.config(Delays={"Placement": 5}, IdleTimeout=60)
    assert merged["Delays"]["Placement"] == 5 and merged["IdleTimeout"] == 60
    assert merged["Delays"]["StreamGroupActivation"] == 0  # merged, not replaced
    assert mock.config({"IdleTimeout": None})["IdleTimeout"] == 3600  # None: the default
    with pytest.raises(ControlApiError, match="Invalid configuration") as typo:
        mock.config(IdleTimeOut=60)
    assert typo.value.code == "ValidationException" and "IdleTimeOut" in typo.value.message
    assert mock.config()["Delays"]["Placement"] == 5  # a refused patch changes nothing


def test_quota_from_config_reaches_boto3(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    mock.config(Quotas={"StreamGroupsPerAccount": 1})
    client = mock.client()
    make_group(client)
    with pytest.raises(client.exceptions.ServiceQuotaExceededException):
        make_group(client)


def test_snapshot_restore_and_reset(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    client = mock.client()
    first = make_group(client)
    saved = mock.snapshot()
    assert saved["format"] == "gameliftstreams-lifecycle/engine"
    second = make_group(client)
    assert len(client.list_stream_groups()["Items"]) == 2

    mock.restore(saved)
    assert [g["Id"] for g in client.list_stream_groups()["Items"]] == [first]
    assert make_group(client) == second  # the ID generator was restored too
    mock.restore(json.dumps(saved))  # the JSON text does as well
    assert len(client.list_stream_groups()["Items"]) == 1

    with pytest.raises(ControlApiError, match="Invalid snapshot") as bad:
        mock.restore({"format": "something else"})
    assert bad.value.status == 400
    assert len(client.list_stream_groups()["Items"]) == 1  # unchanged

    mock.reset()
    assert client.list_stream_groups()["Items"] == []
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.get_stream_group(Identifier=first)


def test_client_events_take_ids_or_arns_and_reasons(
    gameliftstreams_mock: GameLiftStreamsMock,
) -> None:
    mock = gameliftstreams_mock
    client = mock.client(account_id="111111111111")
    group = make_group(client)
    group_arn = client.get_stream_group(Identifier=group)["Arn"]
    session = client.start_stream_session(
        Identifier=group,
        ApplicationIdentifier=client.list_applications()["Items"][0]["Arn"],
        Protocol="WebRTC",
        SignalRequest="v=0",
    )
    # The ARN names the account (111111111111): no account_id needed.
    assert mock.client_event(group_arn, session["Arn"], "CLIENT_CONNECTED")["Status"] == "CONNECTED"
    sid = session["Arn"].rsplit("/", 1)[1]
    with pytest.raises(ControlApiError) as wrong_account:
        mock.client_event(group, sid, "USER_INPUT")  # the default account has no such session
    assert wrong_account.value.status == 404
    with pytest.raises(ControlApiError, match="needs a Reason"):
        mock.client_event(group, sid, "FAILED", account_id="111111111111")
    with pytest.raises(ControlApiError, match="not an event Type"):
        mock.client_event(group, sid, "CLIENT_WAVED", account_id="111111111111")
    failed = mock.client_event(group, sid, "FAILED", "internalError", account_id="111111111111")
    assert (failed["Status"], failed["StatusReason"]) == ("ERROR", "internalError")


def test_accounts_never_see_each_other(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    default, other = mock.client(), mock.client(account_id="111111111111")
    group = make_group(other)
    assert ":111111111111:" in other.get_stream_group(Identifier=group)["Arn"]
    assert default.list_stream_groups()["Items"] == []
    with pytest.raises(default.exceptions.ResourceNotFoundException):
        default.get_stream_group(Identifier=group)
    with pytest.raises(ValueError, match="12 digits"):
        mock.client(account_id="1234")


def test_environ_points_a_plain_boto3_client_at_the_mock(
    gameliftstreams_mock: GameLiftStreamsMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What code under test that makes its own client sees."""
    mock = gameliftstreams_mock
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    for name, value in mock.environ(account_id="222222222222").items():
        monkeypatch.setenv(name, value)
    client = boto3.session.Session().client("gameliftstreams")
    group = make_group(client)
    assert ":222222222222:" in client.get_stream_group(Identifier=group)["Arn"]


def test_requests_from_several_threads(gameliftstreams_mock: GameLiftStreamsMock) -> None:
    mock = gameliftstreams_mock
    errors: list = []

    def work() -> None:
        try:
            for _ in range(50):
                mock.advance(1)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    before = mock.now()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert mock.now() == before + timedelta(seconds=200)


def test_a_mock_nobody_stopped_is_stopped_when_collected() -> None:
    import gc

    mock = GameLiftStreamsMock().start()
    pid = mock.pid
    assert pid is not None
    del mock
    gc.collect()
    with pytest.raises(OSError):
        os.kill(pid, 0)  # terminated and reaped
