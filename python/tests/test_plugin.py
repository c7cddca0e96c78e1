"""The pytest plugin, through pytester: a test directory with no conftest.py gets the
fixtures, the marker and the option from the installed entry point alone."""

from __future__ import annotations

import pytest

from gameliftstreams_mock import GameLiftStreamsMock


def test_the_fixture_needs_no_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_one(gameliftstreams_mock):
            client = gameliftstreams_mock.client()
            assert client.list_stream_groups()["Items"] == []
            assert gameliftstreams_mock.clock().mode == "manual"
            test_one.port = gameliftstreams_mock.port

        def test_two(gameliftstreams_mock):
            # A mock of its own: another process.
            assert gameliftstreams_mock.health() == {"Status": "ok"}
            assert gameliftstreams_mock.port != test_one.port
        """
    )
    assert not (pytester.path / "conftest.py").exists()
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_fixture_is_listed_and_the_marker_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--fixtures")
    result.stdout.fnmatch_lines(["*gameliftstreams_mock*", "*gameliftstreams_mock_session*"])
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.gameliftstreams_mock(**options):*"])


def test_the_marker_sets_process_options_and_config(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.gameliftstreams_mock(seed=3, region="eu-west-1")

        @pytest.mark.gameliftstreams_mock(clock="real", config={"IdleTimeout": 60})
        def test_marked(gameliftstreams_mock):
            assert gameliftstreams_mock.clock().mode == "real"
            config = gameliftstreams_mock.config()
            assert (config["Seed"], config["Region"], config["IdleTimeout"]) == (3, "eu-west-1", 60)

        def test_module_marker_only(gameliftstreams_mock):
            assert gameliftstreams_mock.clock().mode == "manual"
            assert gameliftstreams_mock.config()["Seed"] == 3
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_the_option_and_the_ini_choose_the_clock(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        """
        import os

        def test_clock(gameliftstreams_mock, gameliftstreams_mock_session):
            assert gameliftstreams_mock.clock().mode == os.environ["EXPECTED_CLOCK"]
            assert gameliftstreams_mock_session.clock().mode == os.environ["EXPECTED_CLOCK"]
        """
    )

    def run(expected: str, *args: str) -> None:
        monkeypatch.setenv("EXPECTED_CLOCK", expected)
        pytester.runpytest(*args).assert_outcomes(passed=1)

    run("manual")
    run("real", "--gameliftstreams-mock-clock=real")
    pytester.makeini("[pytest]\ngameliftstreams_mock_clock = real\n")
    run("real")
    run("manual", "--gameliftstreams-mock-clock", "manual")  # the option wins over the ini
    result = pytester.runpytest("--gameliftstreams-mock-clock=sundial")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*invalid choice*sundial*"])


def test_the_session_fixture_is_one_mock_restored_before_each_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import pytest

        seen = []

        def make_group(mock):
            client = mock.client()
            app = client.create_application(
                Description="g", RuntimeEnvironment={"Type": "PROTON", "Version": "20241007"},
                ExecutablePath="bin/game.exe", ApplicationSourceUri="s3://my-bucket/game")
            return client.create_stream_group(
                Description="g", StreamClass="gen5n_high",
                DefaultApplicationIdentifier=app["Arn"])["Id"]

        @pytest.mark.parametrize("n", range(3))
        def test_each(gameliftstreams_mock_session, n):
            mock = gameliftstreams_mock_session
            assert mock.client().list_stream_groups()["Items"] == []
            assert mock.config()["IdleTimeout"] == 3600
            seen.append((mock.pid, make_group(mock)))
            mock.config(IdleTimeout=5)   # undone before the next test
            mock.advance(10)             # not undone: the clock never moves back

        @pytest.mark.gameliftstreams_mock(config={"Delays": {"Placement": 7}})
        def test_marker_config(gameliftstreams_mock_session):
            assert gameliftstreams_mock_session.config()["Delays"]["Placement"] == 7

        def test_after(gameliftstreams_mock_session):
            assert gameliftstreams_mock_session.config()["Delays"]["Placement"] == 0
            pids = {pid for pid, _ in seen}
            groups = {group for _, group in seen}
            assert pids == {gameliftstreams_mock_session.pid}   # one process
            assert len(groups) == 1                              # the same ID every time

        @pytest.mark.gameliftstreams_mock(clock="real")
        def test_process_options_are_refused(gameliftstreams_mock_session):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:randomly")
    result.assert_outcomes(passed=5, errors=1)
    result.stdout.fnmatch_lines(["*gameliftstreams_mock_session is shared by the session*clock*"])


def test_a_failing_start_is_a_setup_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.gameliftstreams_mock(extra_args=["--seed", "not-a-number"])
        def test_bad(gameliftstreams_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*MockStartError*exit status 2*"])


def test_an_unclean_stop_fails_the_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os, signal

        def test_kills_its_mock(gameliftstreams_mock):
            os.kill(gameliftstreams_mock.pid, signal.SIGKILL)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*exited with status -9*"])


def test_the_fixture_gives_the_class() -> None:
    # What the plugin's fixtures yield is the public class, typed (py.typed).
    from gameliftstreams_mock import plugin

    assert plugin.GameLiftStreamsMock is GameLiftStreamsMock
