"""The command line: flags and environment to settings, and one clear line when something is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from batchtui import __version__
from batchtui.cli import build_parser, main, parse_settings, terminal_problem
from batchtui.config import Settings

KEY = "sk-test-SECRET-4f9a1c"
AZURE_KEY = "azure-test-SECRET-77b2"
PASSWORD = "hunter2-PASSWORD"
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
    "--no-cache",
    "--config",
    "--profile",
    "--read-only",
    "--no-notify",
]


@pytest.fixture(autouse=True)
def no_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty config folder, so the tests never read the config file of whoever runs them."""
    folder = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder / "batchtui"


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
        (["--base-url", "api.openai.com"], "--base-url must start with http:// or https:// and name a host"),
        (["--refresh", "nan"], "--refresh must be between 1 and 3600 seconds, not nan"),
        (["--refresh", "inf"], "--refresh must be between 1 and 3600 seconds, not inf"),
        (["--refresh", "1e999"], "--refresh must be between 1 and 3600 seconds, not inf"),
        (["--page-size", "9" * 30], "--page-size must be between 1 and 100, not " + "9" * 30),
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


# Bad input of every kind: one line on stderr, exit 2, no key or password in it, nothing launched.

URL_SOURCES = ["--base-url", "OPENAI_BASE_URL", "--azure-endpoint", "AZURE_OPENAI_ENDPOINT"]
PORT = "has a port that is not a number from 1 to 65535"


def _with_url(source: str, url: str) -> tuple[list[str], dict[str, str]]:
    """argv and environment that hand url to batchtui through source, with both keys in the environment."""
    keys = {"OPENAI_API_KEY": KEY, "AZURE_OPENAI_API_KEY": AZURE_KEY}
    if source.startswith("--"):
        return [source, url], keys
    # --azure because OPENAI_API_KEY set beside an Azure endpoint means OpenAI, as in the SDK.
    return (["--azure"] if source.startswith("AZURE") else []), {**keys, source: url}


def _one_line_without_secrets(err: str) -> str:
    assert err.startswith("batchtui: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for secret in (KEY, AZURE_KEY, PASSWORD):
        assert secret not in err
    return err


@pytest.mark.parametrize("source", URL_SOURCES)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:99999/v1", f"{PORT}: 'http://localhost:99999/v1'."),
        ("http://localhost:abc/v1", f"{PORT}: 'http://localhost:abc/v1'."),
        ("http://localhost:-1/v1", PORT),
        ("http://localhost:0/v1", PORT),
        ("http://[::1/v1", "has a [ without its ] in the host: 'http://[::1/v1'."),
        ("http://[::1]x/v1", "has something after the ] of its host where only a :port can go"),
        ("http://::1]/v1", "has a ] without its [ in the host"),
        ("http://[v1.x]/v1", "is not a URL httpx can use (invalid IPv6 address)"),
        ("http://999.999.999.999/v1", "is not a URL httpx can use (invalid IPv4 address)"),
        ("http://xn--/v1", "is not a URL httpx can use (malformed A-label"),
        ("http://example.com\uff0fv1", "has a host name that is not valid"),
        ("http://:80/v1", "must start with http:// or https:// and name a host: 'http://:80/v1'."),
        ("ftp://files.example/v1", "must start with http:// or https:// and name a host"),
        ("http://local host/v1", "has a space or line break (character 13): 'http://local host/v1'."),
        ("http://exa\nmple.com/v1", "has a space or line break (character 11): 'http://exa\\nmple.com/v1'."),
        ("http://h.example/v1\x00", "has a control or invisible character (character 20)"),
        (
            "http://h.example/v1\udcff",
            "has a byte that is not UTF-8 text (character 20): 'http://h.example/v1\\udcff'.",
        ),
        (f"https://gateway.example/v1?key={KEY}&azure={AZURE_KEY}", "cannot have a query (?…) or a fragment (#…)"),
        ("https://gateway.example/v1#top", "cannot have a query (?…) or a fragment (#…)"),
        (f"https://{KEY}.example:abc/v1", f"{PORT}: 'https://«redacted key».example:abc/v1'."),
        (f"http://h.example:99999/{AZURE_KEY}/v1", f"{PORT}: 'http://h.example:99999/«redacted key»/v1'."),
    ],
)
def test_a_malformed_url_is_one_line_without_secrets(
    source: str, url: str, expected: str, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    argv, environ = _with_url(source, url)
    assert run(argv, environ) == 2
    out, err = capsys.readouterr()
    assert out == "" and launched == []
    assert _one_line_without_secrets(err).startswith(f"batchtui: {source} {expected}"), err


@pytest.mark.parametrize("source", URL_SOURCES)
@pytest.mark.parametrize(
    "url",
    [
        f"http://alice:{PASSWORD}@localhost:4010/v1",
        f"http://{KEY}@localhost/v1",
        f"https://bob:{PASSWORD}@[::1/v1",  # refused for the password before the broken host is looked at
        f"https://bob:{PASSWORD}@gateway.example:99999/v1?x=1",
        "https://bob:p@ss@gateway.example/v1",  # an @ in the password too
    ],
)
def test_credentials_in_a_url_are_refused_by_name(
    source: str, url: str, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    # They would replace the key (httpx turns user:password@ into Basic auth), and the app would blame the key.
    argv, environ = _with_url(source, url)
    assert run(argv, environ) == 2
    err = _one_line_without_secrets(capsys.readouterr().err)
    assert launched == []
    variable = "AZURE_OPENAI_API_KEY" if "AZURE" in source or "azure" in source else "OPENAI_API_KEY"
    assert err.startswith(f"batchtui: {source} has a user name or password in it ('http"), err
    assert err.endswith(f"batchtui does not send those: put the key in {variable} instead.\n")
    assert "alice" not in err and "bob" not in err and "p@ss" not in err and "…@" in err


@pytest.mark.parametrize(
    ("environ", "argv", "expected"),
    [
        ({"OPENAI_API_KEY": f"{KEY}\nsk-other"}, [], "OPENAI_API_KEY has a space or line break (character 22)"),
        ({"OPENAI_API_KEY": f"{KEY} {KEY}"}, [], "OPENAI_API_KEY has a space or line break (character 22)"),
        (
            {"OPENAI_API_KEY": f"\u201c{KEY}\u201d"},
            [],
            "OPENAI_API_KEY has a character that is not ASCII (character 1)",
        ),
        ({"OPENAI_API_KEY": f"{KEY}\udcff"}, [], "OPENAI_API_KEY has a byte that is not UTF-8 text (character 22)"),
        ({"OPENAI_API_KEY": f"{KEY}\x7f"}, [], "OPENAI_API_KEY has a control or invisible character (character 22)"),
        (
            {"AZURE_OPENAI_API_KEY": f"{AZURE_KEY}\r\nX-Injected: 1", "AZURE_OPENAI_ENDPOINT": "https://r.example"},
            [],
            "AZURE_OPENAI_API_KEY has a space or line break (character 23)",
        ),
        (
            {"OPENAI_API_KEY": KEY, "OPENAI_ORG_ID": "org-1\r\nX-Injected: 1"},
            [],
            "OPENAI_ORG_ID has a space or line break",
        ),
        ({"OPENAI_API_KEY": KEY}, ["--org", "org-\udcff"], "--org has a byte that is not UTF-8 text (character 5)"),
        (
            {"OPENAI_API_KEY": KEY, "OPENAI_PROJECT_ID": "proj_\u00e9"},
            [],
            "OPENAI_PROJECT_ID has a character that is not ASCII",
        ),
        ({"OPENAI_API_KEY": KEY}, ["--project", "proj\tx"], "--project has a space or line break (character 5)"),
        (
            {
                "AZURE_OPENAI_API_KEY": AZURE_KEY,
                "AZURE_OPENAI_ENDPOINT": "https://r.example",
                "OPENAI_API_VERSION": "2024-10-21\x00",
            },
            [],
            "OPENAI_API_VERSION has a control or invisible character (character 11)",
        ),
        (
            {"AZURE_OPENAI_API_KEY": AZURE_KEY, "AZURE_OPENAI_ENDPOINT": "https://r.example"},
            ["--api-version", "2024-10-21\udcff"],
            "--api-version has a byte that is not UTF-8 text (character 11)",
        ),
    ],
)
def test_a_value_that_cannot_be_sent_is_one_line_naming_its_place(
    environ: dict[str, str], argv: list[str], expected: str, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    # Before, these passed and then failed inside httpx on the first request (UnicodeEncodeError, an injected header).
    assert run(argv, environ) == 2
    err = _one_line_without_secrets(capsys.readouterr().err)
    assert launched == []
    assert err.startswith(f"batchtui: {expected}"), err
    assert err.endswith(", so it cannot be sent to the server; check what was pasted into it.\n")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--page-size", "9" * 5000],
            "argument --page-size: --page-size must be between 1 and 100, not a number of 5000 digits",
        ),
        (["--page-size", "1\n2"], "argument --page-size: --page-size needs a whole number, not '1\\n2'"),
        (["--page-size", "x" * 100], "argument --page-size: --page-size needs a whole number, not '" + "x" * 40 + "…'"),
        (["--refresh", "5\x1b[2J"], "argument --refresh: --refresh needs a number, not '5\\x1b[2J'"),
        (["\udcff\nfake line"], "unrecognized arguments: \\udcff\\nfake line"),
        (["--org"], "argument --org: expected one argument"),
    ],
)
def test_a_flag_argparse_refuses_is_one_escaped_line_and_the_hint(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(argv, {"OPENAI_API_KEY": KEY}) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"batchtui: {expected}", "Try 'batchtui --help'."]


def test_non_utf8_bytes_in_argv_through_the_console_script() -> None:
    script = Path(sys.executable).with_name("batchtui")
    result = subprocess.run(
        [os.fsencode(script), b"--base-url", b"http://h.example/v1\xff"],
        env={**_script_env(), "OPENAI_API_KEY": KEY},
        capture_output=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and result.stdout == b""
    assert result.stderr == (
        b"batchtui: --base-url has a byte that is not UTF-8 text (character 20): 'http://h.example/v1\\udcff'.\n"
    )


def test_a_bad_url_in_the_environment_is_ignored_when_a_flag_overrides_it(launched: list) -> None:
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://localhost:99999/v1"}
    assert run(["--base-url", "http://localhost:4010/v1"], environ) == 0
    assert launched[0][1].base_url == "http://localhost:4010/v1"


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
    # The config folder as the autouse fixture set it: empty.
    return {"PATH": os.environ.get("PATH", ""), "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"]}


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


@pytest.mark.parametrize("status", [1, 143])
@pytest.mark.parametrize("argv", [[], ["--demo"]], ids=["app", "demo"])
def test_the_apps_exit_status_is_the_process_status(monkeypatch: pytest.MonkeyPatch, argv: list, status: int) -> None:
    # 1 after an unexpected error, 128 + n after signal n: a crash must not look like a clean quit to a script.
    from batchtui.ui.app import BatchApp

    monkeypatch.setattr("batchtui.cli.terminal_problem", lambda keys, screen: None)  # pytest has no terminal
    monkeypatch.setattr(BatchApp, "run", lambda self: None)
    monkeypatch.setattr(BatchApp, "return_code", property(lambda self: status))
    assert run(argv, {"OPENAI_API_KEY": KEY}) == status


def test_after_a_crash_main_prints_the_apps_one_line_and_returns_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from batchtui.ui.app import BatchApp
    from batchtui.ui.crash_log import CrashReport

    def crashed(self: BatchApp) -> None:
        self.crash = CrashReport("RuntimeError: boom", Path("/state/crash-1.log"))

    monkeypatch.setattr("batchtui.cli.terminal_problem", lambda keys, screen: None)
    monkeypatch.setattr(BatchApp, "run", crashed)
    monkeypatch.setattr(BatchApp, "return_code", property(lambda self: 1))
    assert run([], {"OPENAI_API_KEY": KEY}) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "batchtui stopped on an unexpected error: RuntimeError: boom. Details were written to /state/crash-1.log.\n"
    )


def test_the_index_is_on_unless_no_cache() -> None:
    environ = {"OPENAI_API_KEY": "sk-test-index-0000"}
    assert parse_settings(build_parser().parse_args([]), environ).index is True
    assert parse_settings(build_parser().parse_args(["--no-cache"]), environ).index is False


# The config file's flags


def test_read_only_and_no_notify_reach_the_app(launched: list) -> None:
    assert run(["--read-only", "--no-notify"], {"OPENAI_API_KEY": KEY}) == 0
    settings = launched[0][1]
    assert settings.read_only is True and settings.notify is False


def test_without_the_new_flags_the_app_may_write_and_notify(launched: list) -> None:
    assert run([], {"OPENAI_API_KEY": KEY}) == 0
    settings = launched[0][1]
    assert (settings.read_only, settings.notify, settings.profile, settings.config_path) == (False, True, None, None)
    assert (settings.refresh_seconds, settings.page_size) == (5.0, 20)


def test_the_demo_takes_read_only_and_no_notify(launched: list) -> None:
    assert run(["--demo", "--read-only", "--no-notify"]) == 0
    settings = launched[0][1]
    assert launched[0][0] == "demo" and settings.read_only and not settings.notify


def test_config_and_profile_reach_the_app(tmp_path: Path, launched: list) -> None:
    path = tmp_path / "my.toml"
    path.write_text(
        'refresh = 9\n[profiles.one]\nbase_url = "https://one.example/v1"\n'
        '[profiles.two]\nbase_url = "https://two.example/v1"\nread_only = true\n'
    )
    assert run(["--config", str(path), "--profile", "two", "--page-size", "7"], {"OPENAI_API_KEY": KEY}) == 0
    settings = launched[0][1]
    assert (settings.profile, settings.base_url, settings.read_only) == ("two", "https://two.example/v1", True)
    assert (settings.refresh_seconds, settings.page_size, settings.profile_names) == (9.0, 7, ("one", "two"))
    assert settings.config_path == path


def test_the_config_file_is_found_under_xdg_config_home(no_config_file: Path, launched: list) -> None:
    no_config_file.mkdir(parents=True)
    (no_config_file / "config.toml").write_text('theme = "nord"\n')
    assert run([], {"OPENAI_API_KEY": KEY}) == 0
    assert launched[0][1].theme == "nord"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--profile", "work"], "--profile needs a config file, and there is none at "),
        (["--config", "/nonexistent/batchtui.toml"], "/nonexistent/batchtui.toml: no such file (given by --config)."),
        (["--demo", "--profile", "work"], "--profile chooses a real account and --demo a simulated one"),
        (["--profile"], "argument --profile: expected one argument"),
        (["--config"], "argument --config: expected one argument"),
    ],
)
def test_bad_config_flags_are_one_line(argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv, {"OPENAI_API_KEY": KEY}) == 2
    err = capsys.readouterr().err
    assert err.startswith("batchtui: ") and expected in err and "Traceback" not in err and KEY not in err


def test_a_bad_config_file_through_the_console_script(no_config_file: Path) -> None:
    no_config_file.mkdir(parents=True)
    path = no_config_file / "config.toml"
    path.write_text("page_size = 0\n")
    script = Path(sys.executable).with_name("batchtui")
    result = subprocess.run(
        [str(script)],
        env={**_script_env(), "OPENAI_API_KEY": KEY},
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == f"batchtui: {path} line 1: page_size must be between 1 and 100, not 0.\n"
