"""The command line: flags and environment to settings, and one clear line when something is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from batchtui import __version__
from batchtui.cli import build_parser, main, terminal_problem
from batchtui.config import Settings

KEY = "sk-test-SECRET-4f9a1c"
FLAGS = [
    "--help",
    "--version",
    "--demo",
    "--faults",
    "--hostile",
    "--base-url",
    "--org",
    "--project",
    "--azure",
    "--azure-endpoint",
    "--api-version",
    "--refresh",
    "--page-size",
]


def run(argv: list[str], environ: dict[str, str] | None = None) -> int:
    """main()'s exit code, whether it returned it or argparse raised SystemExit."""
    try:
        return main(argv, environ={} if environ is None else environ)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Settings, dict[str, bool]]]:
    """Stands in for the app and the demo, recording what they were given instead of taking the terminal."""
    from batchtui import demo
    from batchtui.ui.app import BatchApp

    calls: list[tuple[str, Settings, dict[str, bool]]] = []
    monkeypatch.setattr("batchtui.cli.terminal_problem", lambda keys, screen: None)  # pytest has no terminal
    monkeypatch.setattr(BatchApp, "run", lambda self: calls.append(("app", self.settings, {})))
    monkeypatch.setattr(demo, "run_demo", lambda settings, **flags: calls.append(("demo", settings, flags)) or 0)
    return calls


def test_no_key_and_no_demo_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], environ={}) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert "OPENAI_API_KEY" in err and "--demo" in err
    assert err.startswith("batchtui: ")
    assert "Traceback" not in err


def test_no_key_for_azure_names_the_azure_variable(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--azure-endpoint", "https://r.openai.azure.com"]) == 2
    err = capsys.readouterr().err
    assert "AZURE_OPENAI_API_KEY" in err and "--demo" in err and err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--page-size", "0"], "--page-size must be between 1 and 100, not 0"),
        (["--page-size", "101"], "--page-size must be between 1 and 100, not 101"),
        (["--page-size", "x"], "--page-size needs a whole number, not 'x'"),
        (["--page-size", "2.5"], "--page-size needs a whole number, not '2.5'"),
        (["--refresh", "-1"], "--refresh must be between 1 and 3600 seconds, not -1"),
        (["--refresh", "0"], "--refresh must be between 1 and 3600 seconds, not 0"),
        (["--refresh", "abc"], "--refresh needs a number, not 'abc'"),
        (["--refresh", "7200"], "--refresh must be between 1 and 3600 seconds, not 7200"),
        (["--page-size"], "argument --page-size: expected one argument"),
        (["--base-url", "api.openai.com"], "The base URL must start with http:// or https://"),
        (["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["--faults"], "--faults and --hostile only apply to the simulated API: add --demo."),
        (["--hostile"], "--faults and --hostile only apply to the simulated API: add --demo."),
    ],
)
def test_bad_flags_exit_2_with_a_clear_message(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # With a key in the environment, so the only thing wrong is the flag.
    assert run(argv, {"OPENAI_API_KEY": KEY}) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert expected in err
    assert err.startswith("batchtui: ")
    assert "Traceback" not in err and "usage:" not in err
    assert KEY not in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"batchtui {__version__}"


def test_help_mentions_every_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    text = capsys.readouterr().out
    declared = {
        option for action in build_parser()._actions for option in action.option_strings if option.startswith("--")
    }
    assert declared == set(FLAGS)
    for flag in FLAGS:
        assert flag in text, flag
    for variable in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_ORG_ID",
        "OPENAI_PROJECT_ID",
        "AZURE_OPENAI_API_KEY",
        "AZURE_OPENAI_ENDPOINT",
        "OPENAI_API_VERSION",
    ):
        assert variable in text, variable


def test_flags_and_environment_reach_the_app(launched: list) -> None:
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "https://env.example/v1", "OPENAI_PROJECT_ID": "proj_env"}
    code = run(
        ["--base-url", "http://localhost:4010/v1", "--org", "org-flag", "--refresh", "2.5", "--page-size", "50"],
        environ,
    )
    assert code == 0
    ((what, settings, _),) = launched
    assert what == "app"
    assert settings.api_key == KEY
    assert (settings.base_url, settings.organization, settings.project) == (
        "http://localhost:4010/v1",
        "org-flag",
        "proj_env",
    )
    assert (settings.refresh_seconds, settings.page_size) == (2.5, 50)


def test_azure_flags_reach_the_app(launched: list) -> None:
    code = run(
        ["--azure-endpoint", "https://r.openai.azure.com", "--api-version", "2024-10-21"],
        {"AZURE_OPENAI_API_KEY": "azure-key-1234"},
    )
    assert code == 0
    settings = launched[0][1]
    assert settings.azure and settings.base_url == "https://r.openai.azure.com/openai"
    assert settings.api_version == "2024-10-21" and settings.client_config().auth_header == "api-key"


def test_demo_needs_no_key_and_never_gets_the_real_one(launched: list) -> None:
    assert run(["--demo", "--faults", "--hostile", "--page-size", "10"], {"OPENAI_API_KEY": KEY}) == 0
    ((what, settings, flags),) = launched
    assert what == "demo"
    assert flags == {"faults": True, "hostile": True}
    assert settings.api_key is None and settings.page_size == 10


def test_demo_without_a_key(launched: list) -> None:
    assert run(["--demo"]) == 0
    assert launched[0][0] == "demo" and launched[0][2] == {"faults": False, "hostile": False}


def _script_env() -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", "")}


def test_the_console_script_without_a_key() -> None:
    script = Path(sys.executable).with_name("batchtui")
    assert script.exists(), f"console script not installed at {script}"
    result = subprocess.run(
        [str(script)], env=_script_env(), capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert "OPENAI_API_KEY" in result.stderr and "--demo" in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_python_dash_m_batchtui_bad_flag() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "batchtui", "--page-size", "0"],
        env=_script_env(),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "--page-size must be between 1 and 100" in result.stderr and "Traceback" not in result.stderr


def test_redirected_input_is_refused_with_one_line_instead_of_spinning() -> None:
    # Textual's input thread would spin on end-of-file at 100% of a core, with no key to quit.
    result = subprocess.run(
        [sys.executable, "-m", "batchtui", "--demo"],
        env=_script_env(),
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    # Standard error is a pipe here too, so the line goes where a user could still see it: standard output.
    assert result.stderr == ""
    assert (
        result.stdout
        == "batchtui: needs a terminal to read keys from, but its input is redirected (from a pipe or a file).\n"
    )


def test_terminal_problem_names_what_is_redirected() -> None:
    class Stream:
        def __init__(self, tty: bool) -> None:
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    assert terminal_problem(Stream(True), Stream(True)) is None
    assert "input is redirected" in (terminal_problem(Stream(False), Stream(True)) or "")
    assert "input is redirected" in (terminal_problem(None, Stream(True)) or "")
    assert "standard error is redirected" in (terminal_problem(Stream(True), Stream(False)) or "")
