"""Starts the `gameliftstreams-mock` executable, drives its control API, stops it."""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import threading
import urllib.error
import urllib.parse
import urllib.request
import weakref
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Deque, Dict, List, Mapping, Optional, Sequence, Union

if TYPE_CHECKING:  # boto3-stubs[gameliftstreams] types the client when it is installed.
    from typing import Literal

    from mypy_boto3_gameliftstreams import GameLiftStreamsClient  # type: ignore[import-not-found]

    ClockMode = Literal["real", "manual"]
else:
    ClockMode = str

__all__ = [
    "BINARY_ENV_VAR",
    "BINARY_NAME",
    "Clock",
    "ControlApiError",
    "GameLiftStreamsMock",
    "MockBinaryNotFoundError",
    "MockError",
    "MockStartError",
    "find_binary",
]

#: The executable the wheel installs (into the environment's scripts directory).
BINARY_NAME = "gameliftstreams-mock"
#: Names an executable to use instead of the installed one (a development build, say
#: ``target/release/gameliftstreams-mock``).
BINARY_ENV_VAR = "GAMELIFTSTREAMS_MOCK_BIN"

#: The secret every client of the mock may use: signatures are not verified (without
#: ``--credentials``), and the access key alone picks the account.
SECRET_ACCESS_KEY = "not-checked"
#: The access key that acts for the default account, 123456789012.
DEFAULT_ACCESS_KEY = "AKIDEXAMPLE"

_LISTENING = re.compile(r"^listening on (http://\S+)$")
_ACCOUNT = re.compile(r"^[0-9]{12}$")
# The newest stderr lines kept in memory (see `recent_logs`).
_LOG_LINES_KEPT = 2000


class MockError(Exception):
    """Anything that goes wrong with the mock: its start, its stop, reaching it."""


class MockStartError(MockError):
    """The mock did not start: it exited, said nothing, or could not be found.

    The message carries the exit status and the end of what the mock wrote on stderr.
    """


class MockBinaryNotFoundError(MockStartError, FileNotFoundError):
    """No ``gameliftstreams-mock`` executable was found (see :func:`find_binary`)."""


class ControlApiError(MockError):
    """An error answer of the mock: its HTTP status, exception name and message.

    The control API answers errors in the API's shape: the status, the exception's name in
    ``x-amzn-ErrorType`` (``ValidationException``, ``ConflictException``, …) and a JSON body
    whose ``Message`` this carries.
    """

    def __init__(self, status: int, code: str, message: str, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: {status} {code}: {message}")
        #: The HTTP status (400, 404, 409, …).
        self.status = status
        #: The exception's name, as ``x-amzn-ErrorType`` gives it.
        self.code = code
        #: The server's message.
        self.message = message
        self.method = method
        self.path = path


@dataclass(frozen=True)
class Clock:
    """A reading of the mock's clock."""

    now: datetime
    """What the clock reads (UTC)."""
    mode: str
    """``"real"`` or ``"manual"``."""


def find_binary() -> str:
    """The path of the ``gameliftstreams-mock`` executable.

    In order: ``$GAMELIFTSTREAMS_MOCK_BIN``; the scripts directory of this Python environment
    (where ``pip install`` put it, also for a venv that is not activated); the user scheme's
    (``pip install --user``); then ``PATH``.
    """
    override = os.environ.get(BINARY_ENV_VAR)
    if override:
        if not os.path.isfile(override) or not os.access(override, os.X_OK):
            raise MockBinaryNotFoundError(
                f"${BINARY_ENV_VAR} is {override!r}, which is not an executable file"
            )
        return override
    name = BINARY_NAME + (".exe" if os.name == "nt" else "")
    candidates: List[Path] = []
    for scheme in (None, f"{os.name}_user"):
        try:
            scripts = (
                sysconfig.get_path("scripts")
                if scheme is None
                else sysconfig.get_path("scripts", scheme)
            )
        except KeyError:
            continue
        if scripts:
            candidates.append(Path(scripts) / name)
    candidates.append(Path(sys.executable).parent / name)
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    on_path = shutil.which(BINARY_NAME)
    if on_path:
        return on_path
    searched = ", ".join(dict.fromkeys(str(c.parent) for c in candidates))
    raise MockBinaryNotFoundError(
        f"no {BINARY_NAME} executable in {searched} or on PATH: install the wheel "
        f"(pip install gameliftstreams_mock-*.whl), or name a build in ${BINARY_ENV_VAR} "
        f"(cargo build --release -p gameliftstreams-mock; "
        f"{BINARY_ENV_VAR}=target/release/gameliftstreams-mock)"
    )


def _epoch(value: Union[datetime, float, int]) -> float:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.timestamp()
    return float(value)


def _from_epoch(value: float) -> datetime:
    return datetime.fromtimestamp(value, tz=timezone.utc)


def _rfc3339(value: Union[datetime, str]) -> str:
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _last_part(identifier: str) -> str:
    """The ID in an ARN (its last path part), or the identifier itself."""
    return identifier.rsplit("/", 1)[-1] if identifier.startswith("arn:") else identifier


def _account_of(arn: str) -> Optional[str]:
    parts = arn.split(":")
    return parts[4] if arn.startswith("arn:") and len(parts) > 5 and parts[4] else None


def _access_key(account_id: Optional[str]) -> str:
    if account_id is None:
        return DEFAULT_ACCESS_KEY
    if not isinstance(account_id, str) or not _ACCOUNT.match(account_id):
        raise ValueError(f"account_id must be 12 digits as a string, not {account_id!r}")
    # The mock takes an access key of exactly 12 digits for that account.
    return account_id


class GameLiftStreamsMock:
    """A ``gameliftstreams-mock`` server in a process of its own, on a free loopback port.

    ::

        with GameLiftStreamsMock() as mock:
            client = mock.client()             # boto3, pointed at the mock
            ...
            mock.advance(121)                  # the manual clock moves only when told

    The keywords mirror the command line (``gameliftstreams-mock --help``); ``clock`` is
    ``"manual"`` unless said otherwise (the command line's default is ``"real"``), so that a
    test's time moves only when the test moves it. The process's stdout and stderr are read
    by threads of their own, so that it can never block on them; stderr's last lines are kept
    (:meth:`recent_logs`) and, with ``log_file``, appended to that file.

    Control calls that the mock refuses raise :class:`ControlApiError`; a mock that does not
    start raises :class:`MockStartError` with its exit status and stderr.
    """

    def __init__(
        self,
        *,
        clock: ClockMode = "manual",
        start_time: Union[datetime, str, None] = None,
        seed: Optional[int] = None,
        region: Optional[str] = None,
        webrtc: bool = False,
        state_file: Union[str, "os.PathLike[str]", None] = None,
        listen: str = "127.0.0.1:0",
        account_map: Optional[Mapping[str, str]] = None,
        control_token: Optional[str] = None,
        log_level: Optional[str] = None,
        log_file: Union[str, "os.PathLike[str]", None] = None,
        extra_args: Sequence[str] = (),
        binary: Union[str, "os.PathLike[str]", None] = None,
        env: Optional[Mapping[str, str]] = None,
        start_timeout: float = 30.0,
        stop_timeout: float = 15.0,
    ) -> None:
        if clock not in ("real", "manual"):
            raise ValueError(f"clock must be 'real' or 'manual', not {clock!r}")
        args = ["--listen", listen, "--clock", clock]
        if start_time is not None:
            args += ["--start-time", _rfc3339(start_time)]
        if seed is not None:
            args += ["--seed", str(int(seed))]
        if region is not None:
            args += ["--region", region]
        if state_file is not None:
            args += ["--state-file", os.fspath(state_file)]
        for key, account in (account_map or {}).items():
            args += ["--account-map", f"{key}={account}"]
        if control_token is not None:
            args += ["--control-token", control_token]
        if log_level is not None:
            args += ["--log-level", log_level]
        if webrtc:
            args.append("--webrtc")
        args += list(extra_args)
        self.args: List[str] = args
        """The command-line arguments the mock is started with."""
        self._binary = None if binary is None else os.fspath(binary)
        self._env = None if env is None else dict(env)
        self._control_token = control_token
        self._log_file = None if log_file is None else os.fspath(log_file)
        self._start_timeout = start_timeout
        self._stop_timeout = stop_timeout
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._url: Optional[str] = None
        self._region: Optional[str] = region
        self._logs: Deque[str] = collections.deque(maxlen=_LOG_LINES_KEPT)
        self._threads: List[threading.Thread] = []
        self._finalizer: Optional["weakref.finalize[Any, Any]"] = None
        # Loopback only: no proxy from the environment may stand between us and the mock.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    # -- the process --------------------------------------------------------------------

    def start(self) -> "GameLiftStreamsMock":
        """Starts the mock and waits for its ``listening on`` line and its first answer."""
        if self._process is not None:
            raise MockError("this mock has already been started")
        binary = self._binary or find_binary()
        command = [binary, *self.args]
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self._env,
                close_fds=True,
            )
        except OSError as e:
            raise MockStartError(f"cannot run {binary}: {e}") from e
        self._process = process
        self._finalizer = weakref.finalize(self, _kill, process)
        first_line: "collections.deque[Optional[str]]" = collections.deque()
        got_line = threading.Event()
        assert process.stdout is not None and process.stderr is not None
        log = open(self._log_file, "ab") if self._log_file else None  # noqa: SIM115
        self._threads = [
            threading.Thread(
                target=_drain_stdout,
                args=(process.stdout, first_line, got_line),
                name="gameliftstreams-mock-stdout",
                daemon=True,
            ),
            threading.Thread(
                target=_drain_stderr,
                args=(process.stderr, self._logs, log),
                name="gameliftstreams-mock-stderr",
                daemon=True,
            ),
        ]
        for thread in self._threads:
            thread.start()
        if not got_line.wait(self._start_timeout):
            self._abort()
            raise MockStartError(
                f"{BINARY_NAME} printed no 'listening on' line within {self._start_timeout} s"
                + self._stderr_tail()
            )
        line = first_line[0] if first_line else None
        match = _LISTENING.match(line) if line is not None else None
        if match is None:
            self._abort()
            what = "exited" if line is None else f"printed {line!r}"
            raise MockStartError(
                f"{BINARY_NAME} {what} instead of 'listening on http://…' "
                f"(exit status {process.returncode}; command: {' '.join(command)})"
                + self._stderr_tail()
            )
        self._url = match.group(1)
        try:
            self._region = self.config()["Region"]
        except MockError as e:
            self._abort()
            raise MockStartError(
                f"{BINARY_NAME} listens on {self._url} but does not answer: {e}"
            ) from e
        return self

    def stop(self, timeout: Optional[float] = None, *, check: bool = True) -> int:
        """Stops the mock with SIGTERM (it saves ``state_file``, if any) and waits for it.

        A mock that has not exited after ``timeout`` seconds (15 by default) is killed. Returns
        the exit status; with ``check`` (the default), a status other than 0 raises
        :class:`MockError` with the end of its stderr. Stopping a stopped mock does nothing.
        """
        process = self._process
        if process is None:
            return 0
        if process.returncode is None:
            timeout = self._stop_timeout if timeout is None else timeout
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                self._join_threads()
                raise MockError(
                    f"{BINARY_NAME} did not stop within {timeout} s of SIGTERM and was killed"
                    + self._stderr_tail()
                ) from None
        self._join_threads()
        if self._finalizer is not None:
            self._finalizer.detach()
        status = process.returncode
        if check and status != 0:
            raise MockError(f"{BINARY_NAME} exited with status {status}" + self._stderr_tail())
        return status

    def __enter__(self) -> "GameLiftStreamsMock":
        if self._process is None:
            self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        # An exception in the block wins over a failed stop.
        self.stop(check=exc_info[0] is None)

    def _abort(self) -> None:
        process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        if process is not None:
            process.wait()
        self._join_threads()
        if self._finalizer is not None:
            self._finalizer.detach()

    def _join_threads(self) -> None:
        for thread in self._threads:
            thread.join(timeout=5)

    def _stderr_tail(self, lines: int = 20) -> str:
        tail = list(self._logs)[-lines:]
        return ("; its stderr ends:\n" + "\n".join(tail)) if tail else "; its stderr is empty"

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> Optional[int]:
        """The process ID, once started."""
        return None if self._process is None else self._process.pid

    @property
    def returncode(self) -> Optional[int]:
        """The exit status once the process has exited, else ``None``."""
        return None if self._process is None else self._process.poll()

    @property
    def url(self) -> str:
        """The endpoint URL, ``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise MockError("the mock is not started")
        return self._url

    @property
    def port(self) -> int:
        """The TCP port the mock listens on."""
        port = urllib.parse.urlsplit(self.url).port
        assert port is not None
        return port

    @property
    def region(self) -> str:
        """The region the mock serves (``us-west-2`` unless given or restored)."""
        return self._region or "us-west-2"

    def recent_logs(self) -> List[str]:
        """The newest lines the mock wrote on stderr (up to 2000), oldest first."""
        return list(self._logs)

    # -- clients ------------------------------------------------------------------------

    def client(self, account_id: Optional[str] = None, **kwargs: Any) -> "GameLiftStreamsClient":
        """A boto3 ``gameliftstreams`` client pointed at the mock.

        Its access key selects ``account_id`` (12 digits; the default account,
        123456789012, without one): the mock takes a 12-digit access key for that account.
        Other keywords go to ``boto3.session.Session.client`` (``config=``, say). Needs boto3
        (``pip install 'gameliftstreams-mock[boto3]'``).
        """
        options: Dict[str, Any] = {
            "endpoint_url": self.url,
            "region_name": self.region,
            "aws_access_key_id": _access_key(account_id),
            "aws_secret_access_key": SECRET_ACCESS_KEY,
        }
        options.update(kwargs)
        with _BOTO3_LOCK:  # boto3 sessions are not thread-safe
            return _boto3_session().client("gameliftstreams", **options)

    def environ(self, account_id: Optional[str] = None) -> Dict[str, str]:
        """Environment variables that point an AWS SDK or the AWS CLI at the mock.

        For code under test that builds its own client, or a process it starts:
        ``monkeypatch.setattr(os, "environ", {**os.environ, **mock.environ()})``, or
        ``subprocess.run(..., env={**os.environ, **mock.environ()})``. The endpoint is
        ``AWS_ENDPOINT_URL_GAMELIFTSTREAMS``, which boto3, the AWS CLI and the other SDKs
        read (2023 releases and later), so other services' endpoints are left alone.
        """
        return {
            "AWS_ENDPOINT_URL_GAMELIFTSTREAMS": self.url,
            "AWS_ACCESS_KEY_ID": _access_key(account_id),
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    # -- the control API ----------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, *, timeout: float = 60.0) -> Any:
        """One request to the mock (``path`` starts with ``/``): ``body`` is sent as JSON
        (``bytes`` and ``str`` as they are); the answer is parsed JSON, or ``None`` when empty.

        Errors raise :class:`ControlApiError`; a mock that cannot be reached, :class:`MockError`.
        """
        if isinstance(body, (bytes, bytearray)):
            data: Optional[bytes] = bytes(body)
        elif isinstance(body, str):
            data = body.encode()
        elif body is None:
            data = None
        else:
            data = json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if self._control_token is not None:
            request.add_header("x-mock-control-token", self._control_token)
        try:
            with self._opener.open(request, timeout=timeout) as response:
                text = response.read()
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                message = json.loads(raw).get("Message") or raw.decode(errors="replace")
            except (ValueError, AttributeError):
                message = raw.decode(errors="replace")
            code = e.headers.get("x-amzn-ErrorType") or "-"
            raise ControlApiError(e.code, code, message, method, path) from None
        except (urllib.error.URLError, OSError) as e:
            state = "running" if self.running else f"not running (exit status {self.returncode})"
            raise MockError(
                f"{method} {path}: cannot reach the mock at {self._url} ({state}): {e}"
                + ("" if self.running else self._stderr_tail())
            ) from e
        return json.loads(text) if text else None

    def health(self) -> Dict[str, Any]:
        """``GET /_mock/health``: ``{"Status": "ok"}``."""
        result: Dict[str, Any] = self.request("GET", "/_mock/health")
        return result

    def clock(self) -> Clock:
        """What the mock's clock reads, and its mode."""
        return self._clock(self.request("GET", "/_mock/clock"))

    def now(self) -> datetime:
        """What the mock's clock reads (UTC)."""
        return self.clock().now

    def advance(self, seconds: Union[float, timedelta]) -> datetime:
        """Moves the clock forward (a real clock too: its offset grows); every timer due by
        then fires. Returns the new reading. A negative amount is a :class:`ControlApiError`."""
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        return self._clock(self.request("POST", "/_mock/clock", {"AdvanceSeconds": seconds})).now

    def set_clock(self, now: Union[datetime, float, int]) -> datetime:
        """Moves the clock to ``now`` (a ``datetime``, naive meaning UTC, or epoch seconds);
        moving it back is a :class:`ControlApiError`. Returns the new reading."""
        return self._clock(self.request("POST", "/_mock/clock", {"Now": _epoch(now)})).now

    @staticmethod
    def _clock(reading: Mapping[str, Any]) -> Clock:
        return Clock(now=_from_epoch(reading["Now"]), mode=reading["Mode"])

    def client_event(
        self,
        group: str,
        session: str,
        type: str,
        reason: Optional[str] = None,
        *,
        account_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Plays the streaming client: ``type`` is ``CLIENT_CONNECTED``,
        ``CLIENT_DISCONNECTED``, ``USER_INPUT``, ``APPLICATION_EXITED``, ``FAILED`` (with an
        ERROR ``reason`` such as ``internalError``) or ``EXPORT_FAILED`` (with a ``reason``).

        ``group`` and ``session`` are IDs or ARNs; the account is ``account_id``, else the
        session ARN's, else the default one. Returns the session as ``GetStreamSession``
        answers it; an event its status does not allow is a 409 :class:`ControlApiError`.
        """
        body: Dict[str, Any] = {"Type": type}
        if reason is not None:
            body["Reason"] = reason
        account = account_id or _account_of(session) or _account_of(group)
        if account is not None:
            body["AccountId"] = account
        path = "/_mock/streamgroups/{}/streamsessions/{}/events".format(
            urllib.parse.quote(_last_part(group), safe=""),
            urllib.parse.quote(_last_part(session), safe=""),
        )
        result: Dict[str, Any] = self.request("POST", path, body)
        return result

    def config(self, patch: Optional[Mapping[str, Any]] = None, **members: Any) -> Dict[str, Any]:
        """The engine's configuration; with a patch (a mapping, or keywords), first merges it
        in (RFC 7396: objects merge, ``None`` restores a default)::

            mock.config(Delays={"StreamGroupActivation": 60, "Placement": 5})

        An unknown member or a bad value is a :class:`ControlApiError`.
        """
        merged: Dict[str, Any] = dict(patch or {})
        merged.update(members)
        result: Dict[str, Any]
        if merged or patch is not None:
            result = self.request("PUT", "/_mock/config", merged)
        else:
            result = self.request("GET", "/_mock/config")
        return result

    def snapshot(self) -> Dict[str, Any]:
        """The engine's whole state (resources, timers, configuration, ID generator)."""
        result: Dict[str, Any] = self.request("GET", "/_mock/snapshot")
        return result

    def restore(self, snapshot: Union[Mapping[str, Any], str, bytes]) -> None:
        """Replaces the engine's state with a snapshot (a parsed one, or its JSON text); one
        that does not restore is a :class:`ControlApiError` and changes nothing. The clock
        stays: it never moves back."""
        self.request("PUT", "/_mock/snapshot", snapshot)

    def reset(self) -> None:
        """Forgets every resource (the configuration and the clock stay)."""
        self.request("POST", "/_mock/reset")

    def events(self) -> List[Dict[str, Any]]:
        """Every status change since the last call, oldest first (the call drains them)."""
        result: List[Dict[str, Any]] = self.request("GET", "/_mock/events")
        return result

    def __repr__(self) -> str:
        where = self._url or "not started"
        return f"<GameLiftStreamsMock {where} pid={self.pid} args={self.args!r}>"


_BOTO3_LOCK = threading.Lock()
_BOTO3_SESSION: Any = None


def _boto3_session() -> Any:
    """One boto3 session for every client(): a session loads the service's model once, which
    makes a client in 12 ms instead of 200 (each call still passes its own endpoint,
    credentials and region)."""
    global _BOTO3_SESSION
    if _BOTO3_SESSION is None:
        try:
            import boto3.session  # type: ignore[import-untyped, unused-ignore]
        except ImportError as e:
            raise MockError(
                "client() needs boto3: pip install 'gameliftstreams-mock[boto3]' (or boto3)"
            ) from e
        session = boto3.session.Session()
        if "gameliftstreams" not in session.get_available_services():
            raise MockError(
                "this boto3 does not know GameLift Streams (botocore 1.37 or later does): "
                "pip install -U boto3"
            )
        _BOTO3_SESSION = session
    return _BOTO3_SESSION


def _drain_stdout(
    pipe: IO[bytes], first_line: "collections.deque[Optional[str]]", got_line: threading.Event
) -> None:
    try:
        line = pipe.readline()
        first_line.append(line.decode(errors="replace").strip() if line else None)
        got_line.set()
        while pipe.read(65536):
            pass
    finally:
        got_line.set()
        pipe.close()


def _drain_stderr(pipe: IO[bytes], logs: Deque[str], log: Optional[IO[bytes]]) -> None:
    try:
        for line in iter(pipe.readline, b""):
            logs.append(line.decode(errors="replace").rstrip("\n"))
            if log is not None:
                log.write(line)
                log.flush()
    finally:
        pipe.close()
        if log is not None:
            log.close()


def _kill(process: "subprocess.Popen[bytes]") -> None:
    """At garbage collection or interpreter exit: no mock outlives the mock object."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
