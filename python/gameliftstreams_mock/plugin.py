"""The pytest plugin (entry point ``pytest11``: pytest loads it, no ``conftest.py`` needed).

Fixtures:

``gameliftstreams_mock``
    A :class:`~gameliftstreams_mock.GameLiftStreamsMock` of the test's own, started before it
    and stopped (cleanly, or the test errors) after it. ``@pytest.mark.gameliftstreams_mock``
    passes it options: any keyword of ``GameLiftStreamsMock`` (``clock``, ``start_time``,
    ``seed``, ``region``, ``state_file``, ``webrtc``, …), and ``config={...}``, a configuration
    patch applied once it answers.

``gameliftstreams_mock_session``
    One mock for the whole test session, restored before each test to the state it started
    in (no resources, the starting configuration, the ID generator at its start, so that
    every test sees the same IDs). Its clock is not put back: a clock never moves back.
    The marker's ``config`` applies; process options need the function-scoped fixture.

``gameliftstreams_mock_shared``
    The session-scoped mock itself, not restored: for session-scoped fixtures of your own.

Options: ``--gameliftstreams-mock-clock=real|manual`` (or the ini option
``gameliftstreams_mock_clock``) chooses the clock of every fixture's mock; ``manual`` unless
said otherwise, or unless a test's marker says ``clock=``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterator, cast

import pytest

from ._mock import GameLiftStreamsMock

if TYPE_CHECKING:
    from ._mock import ClockMode

MARKER = "gameliftstreams_mock"
_CLOCKS = ("real", "manual")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("gameliftstreams-mock", "GameLift Streams mock server")
    group.addoption(
        "--gameliftstreams-mock-clock",
        choices=_CLOCKS,
        default=None,
        help="clock of the gameliftstreams_mock fixtures' servers (default: the ini option "
        "gameliftstreams_mock_clock, else manual)",
    )
    parser.addini(
        "gameliftstreams_mock_clock",
        "clock of the gameliftstreams_mock fixtures' servers: real or manual (default manual)",
        default="manual",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): options of the test's gameliftstreams_mock server "
        "(GameLiftStreamsMock's keywords: clock, start_time, seed, region, state_file, webrtc, "
        "…) and config={...}, a configuration patch applied once it runs",
    )


def _clock(config: pytest.Config) -> "ClockMode":
    clock = config.getoption("--gameliftstreams-mock-clock") or config.getini(
        "gameliftstreams_mock_clock"
    )
    if clock not in _CLOCKS:
        raise pytest.UsageError(
            f"gameliftstreams_mock_clock must be one of {', '.join(_CLOCKS)}, not {clock!r}"
        )
    return cast("ClockMode", clock)


def _marker_options(node: pytest.Item) -> Dict[str, Any]:
    """The markers' keywords, the closest marker winning (a test's over its class's)."""
    options: Dict[str, Any] = {}
    for marker in reversed(list(node.iter_markers(MARKER))):
        if marker.args:
            raise pytest.UsageError(
                f"@pytest.mark.{MARKER} takes keywords only (clock=..., config=...), "
                f"not {marker.args!r}"
            )
        options.update(marker.kwargs)
    return options


@pytest.fixture
def gameliftstreams_mock(request: pytest.FixtureRequest) -> Iterator[GameLiftStreamsMock]:
    """A GameLift Streams mock server of this test's own (see the plugin's docstring)."""
    options: Dict[str, Any] = {"clock": _clock(request.config)}
    options.update(_marker_options(request.node))
    patch = options.pop("config", None)
    with GameLiftStreamsMock(**options) as mock:
        if patch:
            mock.config(patch)
        yield mock


@pytest.fixture(scope="session")
def gameliftstreams_mock_shared(
    request: pytest.FixtureRequest,
) -> Iterator[GameLiftStreamsMock]:
    """One GameLift Streams mock server for the whole session, never reset."""
    with GameLiftStreamsMock(clock=_clock(request.config)) as mock:
        yield mock


@pytest.fixture(scope="session")
def _gameliftstreams_mock_initial_state(
    gameliftstreams_mock_shared: GameLiftStreamsMock,
) -> Dict[str, Any]:
    return gameliftstreams_mock_shared.snapshot()


@pytest.fixture
def gameliftstreams_mock_session(
    request: pytest.FixtureRequest,
    gameliftstreams_mock_shared: GameLiftStreamsMock,
    _gameliftstreams_mock_initial_state: Dict[str, Any],
) -> GameLiftStreamsMock:
    """The session's GameLift Streams mock server, restored to its starting state."""
    options = _marker_options(request.node)
    patch = options.pop("config", None)
    if options:
        raise pytest.UsageError(
            f"{request.node.nodeid}: gameliftstreams_mock_session is shared by the session, "
            f"so @pytest.mark.{MARKER} can give it only config=..., not "
            f"{', '.join(sorted(options))}: use the gameliftstreams_mock fixture for those"
        )
    mock = gameliftstreams_mock_shared
    mock.restore(_gameliftstreams_mock_initial_state)
    if patch:
        mock.config(patch)
    return mock
