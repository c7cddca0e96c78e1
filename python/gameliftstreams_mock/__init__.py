"""A mock Amazon GameLift Streams server for Python tests.

The wheel installs the ``gameliftstreams-mock`` executable; this package starts it on a free
loopback port (:class:`GameLiftStreamsMock`), drives its control API (the clock, the
streaming client's events, the configuration, snapshots) and hands out boto3 clients pointed
at it. Its pytest plugin (loaded by pytest, no ``conftest.py`` needed) gives the fixtures
``gameliftstreams_mock`` (one mock per test) and ``gameliftstreams_mock_session`` (one mock
for the test session, restored to its starting state before each test).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ._mock import (
    BINARY_ENV_VAR,
    BINARY_NAME,
    Clock,
    ControlApiError,
    GameLiftStreamsMock,
    MockBinaryNotFoundError,
    MockError,
    MockStartError,
    find_binary,
)


def _version() -> str:
    try:
        return version("gameliftstreams-mock")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0+unknown"


#: The package's version: the mock-server crate's, which maturin gives the wheel.
__version__ = _version()

__all__ = [
    "BINARY_ENV_VAR",
    "BINARY_NAME",
    "Clock",
    "ControlApiError",
    "GameLiftStreamsMock",
    "MockBinaryNotFoundError",
    "MockError",
    "MockStartError",
    "__version__",
    "find_binary",
]
