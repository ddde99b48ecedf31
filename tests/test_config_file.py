"""The config file: the issue's example as written, every mistake one line (exit 2, no key), precedence, the key rule."""

from __future__ import annotations

import os
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from batchtui.cli import binding_ids, main
from batchtui.config import ConfigError, Settings
from batchtui.config_file import (
    ConfigFileError,
    Flags,
    default_config_path,
    load_config,
    setting_lines,
    settings_for,
)
from batchtui.paths import cache_dir
from batchtui.store.database import index_path

KEY = "sk-test-CONFIG-SECRET-93c1"  # a fake key: no message may contain it
WORK_KEY = "sk-test-WORK-SECRET-51ad"
AZURE_KEY = "azure-test-SECRET-0c7e"
AZURE_HEX = "d41d8cd98f00b204e9800998ecf8427e"

EXAMPLE = """\
refresh = 5                 # seconds
page_size = 20
theme = "textual-dark"
notify = true
default_profile = "work"

[profiles.work]
base_url = "https://api.openai.com/v1"
api_key_env = "OPENAI_API_KEY_WORK"        # the key is read from this variable
organization = "org-..."
project = "proj_..."

[profiles.azure]
azure_endpoint = "https://my-resource.openai.azure.com"
api_key_env = "AZURE_OPENAI_API_KEY"

[profiles.gateway]
base_url = "http://localhost:4000/v1"
api_key_command = "pass show litellm/key"  # the key is the command's output
read_only = true

[keymap]
cancel_batch = "x"                         # binding id = key(s)
"""
EXAMPLE_ENV = {"OPENAI_API_KEY_WORK": WORK_KEY, "AZURE_OPENAI_API_KEY": AZURE_KEY}


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "xdg-config" / "batchtui"


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Settings]]:
    """Stands in for the app and the demo, recording the settings they were given."""
    from batchtui import demo
    from batchtui.ui.app import BatchApp

    calls: list[tuple[str, Settings]] = []
    monkeypatch.setattr("batchtui.cli.terminal_problem", lambda keys, screen: None)  # pytest has no terminal
    monkeypatch.setattr(BatchApp, "run", lambda self: calls.append(("app", self.settings)))
    monkeypatch.setattr(demo, "run_demo", lambda settings, **flags: calls.append(("demo", settings)) or 0)
    return calls


def write_config(text: str, path: Path | None = None, mode: int = 0o600) -> Path:
    path = path or default_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    path.chmod(mode)
    return path


def key_script(tmp_path: Path, body: str) -> str:
    """A key command: this Python running a small script, quoted for shlex."""
    script = tmp_path / "key_command.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def run(argv: list[str], environ: dict[str, str]) -> int:
    try:
        return main(argv, environ=environ)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 1


def one_line(err: str) -> str:
    assert err.startswith("batchtui: ") and err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for secret in (KEY, WORK_KEY, AZURE_KEY, AZURE_HEX):
        assert secret not in err
    return err.removeprefix("batchtui: ").rstrip("\n")


# The example as written


def test_the_issues_example_works_as_written(launched: list) -> None:
    path = write_config(EXAMPLE)
    assert run([], EXAMPLE_ENV) == 0
    ((what, settings),) = launched
    assert what == "app"
    assert (settings.profile, settings.api_key, settings.base_url) == ("work", WORK_KEY, "https://api.openai.com/v1")
    assert (settings.organization, settings.project, settings.azure) == ("org-...", "proj_...", False)
    assert (settings.refresh_seconds, settings.page_size, settings.theme, settings.notify) == (
        5.0,
        20,
        "textual-dark",
        True,
    )
    assert dict(settings.keymap) == {"cancel_batch": "x"}
    assert settings.profile_names == ("work", "azure", "gateway")
    assert settings.config_path == path and settings.read_only is False and settings.index is True


def test_the_example_azure_profile(launched: list) -> None:
    write_config(EXAMPLE)
    assert run(["--profile", "azure"], EXAMPLE_ENV) == 0
    settings = launched[0][1]
    assert settings.azure and settings.api_key == AZURE_KEY and settings.profile == "azure"
    assert settings.base_url == "https://my-resource.openai.azure.com/openai/v1"
    assert settings.client_config().auth_header == "api-key"


def test_the_example_gateway_profile_with_a_key_command(tmp_path: Path, launched: list) -> None:
    command = key_script(tmp_path, "print('sk-from-the-command')\nprint('a second line, not the key')\n")
    write_config(EXAMPLE.replace('"pass show litellm/key"', f"'{command}'"))
    assert run(["--profile", "gateway"], EXAMPLE_ENV) == 0
    settings = launched[0][1]
    assert (settings.api_key, settings.base_url, settings.read_only) == (
        "sk-from-the-command",
        "http://localhost:4000/v1",
        True,
    )


def test_config_flag_names_another_file(tmp_path: Path, launched: list) -> None:
    path = write_config(EXAMPLE, tmp_path / "elsewhere.toml")
    assert run(["--config", str(path)], EXAMPLE_ENV) == 0
    assert launched[0][1].config_path == path and launched[0][1].profile == "work"


def test_no_file_at_the_default_path_is_no_error(launched: list) -> None:
    assert not default_config_path().exists()
    assert run([], {"OPENAI_API_KEY": KEY}) == 0
    settings = launched[0][1]
    assert (settings.profile, settings.config_path, settings.profile_names, settings.api_key) == (None, None, (), KEY)
    assert load_config(None, explicit=False) is None


def test_a_file_without_profiles_keeps_the_account_from_the_environment(launched: list) -> None:
    write_config('page_size = 50\ntheme = "nord"\n')
    assert run([], {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "http://localhost:4010/v1"}) == 0
    settings = launched[0][1]
    assert (settings.api_key, settings.base_url, settings.page_size, settings.theme, settings.profile) == (
        KEY,
        "http://localhost:4010/v1",
        50,
        "nord",
        None,
    )


def test_stuck_thresholds_and_read_only_from_the_file(launched: list) -> None:
    write_config("read_only = true\n[stuck]\nfinalizing_minutes = 90\nexpiry_done_percent = 100\n")
    assert run([], {"OPENAI_API_KEY": KEY}) == 0
    settings = launched[0][1]
    assert settings.read_only
    assert (settings.stuck.finalizing_minutes, settings.stuck.expiry_done_percent) == (90.0, 100.0)
    assert settings.stuck.validating_minutes == 30


def test_the_demo_takes_the_files_look_but_none_of_its_accounts(launched: list, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = key_script(tmp_path, f"open({str(marker)!r}, 'w').write('x')\nprint('k')\n")
    write_config(EXAMPLE.replace('"pass show litellm/key"', f"'{command}'").replace('"work"', '"gateway"', 1))
    assert run(["--demo"], {"OPENAI_API_KEY": KEY}) == 0
    ((what, settings),) = launched
    assert what == "demo"
    assert (settings.api_key, settings.profile, settings.profile_names) == (None, None, ())
    assert (settings.theme, dict(settings.keymap)) == ("textual-dark", {"cancel_batch": "x"})
    assert not marker.exists()


def test_the_demo_without_a_file(launched: list) -> None:
    assert run(["--demo"], {}) == 0
    assert launched[0][0] == "demo" and launched[0][1].config_path is None


# Every mistake: one line naming the file and the line or setting, exit 2, no traceback, no key.

MISTAKES = [
    ("refresh = \n", [], "line 1, column 11: this is not valid TOML (invalid value)."),
    ('[profiles.work\nbase_url = "x"\n', [], "line 1, column 15: this is not valid TOML"),
    ("refresh = 5\nids = [1, 2\n", [], "line 2: this is not valid TOML (unclosed array, at the end of the file)."),
    ('colour = "red"\n', [], "line 1: colour is not a setting batchtui knows; expected one of: refresh, page_size"),
    ("refesh = 5\n", [], "line 1: refesh is not a setting batchtui knows; did you mean refresh?"),
    (
        'base_url = "http://x"\n',
        [],
        "line 1: base_url belongs in a profile: put it under [profiles.NAME] and choose that profile with default_profile.",
    ),
    (
        '[profiles.work]\nbase_ur = "http://x"\n',
        ["--profile", "work"],
        "line 2: profiles.work.base_ur is not a setting batchtui knows; did you mean base_url?",
    ),
    ("[stuck]\nfinalising_minutes = 5\n", [], "line 2: stuck.finalising_minutes is not a setting batchtui knows"),
    ('refresh = 5\npage_size = "x"\n', [], 'line 2: page_size must be a whole number from 1 to 100, not "x".'),
    ("page_size = 2.5\n", [], "line 1: page_size must be a whole number from 1 to 100, not 2.5."),
    ("page_size = 0\n", [], "line 1: page_size must be between 1 and 100, not 0."),
    ("page_size = true\n", [], "line 1: page_size must be a whole number from 1 to 100, not true."),
    ("refresh = 0\n", [], "line 1: refresh must be between 1 and 3600 seconds, not 0."),
    ('refresh = "fast"\n', [], 'line 1: refresh needs a number of seconds, not "fast".'),
    ("refresh = nan\n", [], "line 1: refresh needs a number of seconds, not nan."),
    ('notify = "yes"\n', [], 'line 1: notify must be true or false, not "yes".'),
    ("theme = 5\n", [], 'line 1: theme must be a theme name in quotes, like "textual-dark", not 5.'),
    ("[profiles.work]\nread_only = 1\n", [], "line 2: profiles.work.read_only must be true or false, not 1."),
    ("profiles = 5\n", [], "line 1: profiles must hold tables, one per profile: [profiles.NAME]."),
    ('[profiles]\nwork = "x"\n', [], "line 2: profiles.work must be a table of settings: [profiles.work]."),
    (
        'default_profile = "wrok"\n[profiles.work]\n',
        [],
        'line 1: default_profile is "wrok", but there is no [profiles.wrok]; its profiles are: work.',
    ),
    ("[profiles.work]\n", ["--profile", "nope"], 'has no profile "nope"; its profiles are: work.'),
    ('theme = "x"\n', ["--profile", "nope"], 'has no profile "nope"; it has no [profiles.NAME] table.'),
    (
        '[profiles.work]\napi_key_env = "OPENAI_API_KEY_WORK"\n',
        ["--profile", "work"],
        "line 2: profiles.work.api_key_env names OPENAI_API_KEY_WORK, which is not set in the environment.",
    ),
    (
        # Shaped like an Azure key, not like a variable: not repeated in the message.
        f'[profiles.work]\napi_key_env = "{AZURE_HEX}"\n',
        ["--profile", "work"],
        "line 2: profiles.work.api_key_env names a variable that is not set in the environment.",
    ),
    (
        f'[profiles.work]\napi_key_env = "{KEY}"\n',
        ["--profile", "work"],
        "line 2: profiles.work.api_key_env must be the name of an environment variable (letters, digits and _) "
        "that holds the key, not the key.",
    ),
    (
        '[profiles.work]\napi_key_env = "K"\napi_key_command = "true"\n',
        ["--profile", "work"],
        "line 1: profiles.work names more than one key (api_key_env and api_key_command); keep one.",
    ),
    (
        '[profiles.work]\napi_key_command = "pass \'show"\n',
        [],
        "line 2: profiles.work.api_key_command cannot be split into words (no closing quotation).",
    ),
    ('[profiles.work]\napi_key_command = "  "\n', [], "line 2: profiles.work.api_key_command is empty"),
    (
        '[profiles.work]\napi_key_command = "no-such-program-batchtui --key"\n',
        ["--profile", "work"],
        'line 2: profiles.work.api_key_command could not be run: "no-such-program-batchtui" was not found.',
    ),
    (
        '[profiles.work]\nbase_url = "api.openai.com/v1"\n',
        [],
        "line 2: profiles.work.base_url must start with http:// or https:// and name a host: 'api.openai.com/v1'.",
    ),
    (
        '[profiles.work]\nbase_url = "https://x.example/v1"\nazure_endpoint = "https://r.openai.azure.com"\n',
        [],
        "line 3: profiles.work.azure_endpoint and base_url cannot both be set",
    ),
    (
        '[profiles.work]\napi_version = "2024-10-21"\n',
        [],
        "line 2: profiles.work.api_version only applies to Azure: add azure_endpoint (or azure = true).",
    ),
    (
        '[profiles.work]\norganization = "org-1\\r\\nX-Injected: 1"\n',
        [],
        "line 2: profiles.work.organization has a space or line break (character 6)",
    ),
    (
        "[stuck]\nexpiry_done_percent = 150\n",
        [],
        "line 2: stuck.expiry_done_percent must be a percentage above 0 and at most 100, not 150.",
    ),
    (
        "[stuck]\nfinalizing_minutes = -1\n",
        [],
        "line 2: stuck.finalizing_minutes must be a number of minutes above 0, not -1.",
    ),
    ("[stuck]\nfinalizing_minutes = 0\n", [], "must be a number of minutes above 0, not 0."),
    ("[stuck]\nfinalizing_minutes = inf\n", [], "must be a number of minutes above 0, not inf."),
    ('[stuck]\nfinalizing_minutes = "1h"\n', [], 'must be a number of minutes above 0, not "1h".'),
    ('stuck = "x"\n', [], "line 1: stuck must be a table"),
    (
        '[keymap]\ncancel_batch = ""\n',
        [],
        'line 2: keymap.cancel_batch must be a key in quotes, like "x" or "ctrl+x", not "".',
    ),
    (
        "[keymap]\ncancel_batch = 5\n",
        [],
        'line 2: keymap.cancel_batch must be a key in quotes, like "x" or "ctrl+x", not 5.',
    ),
    (
        '[keymap]\ncancel_bach = "x"\n',
        [],
        "line 2: keymap.cancel_bach is not a binding id batchtui knows; did you mean cancel_batch?",
    ),
    ('[keymap]\nzzzzzz = "x"\n', [], "line 2: keymap.zzzzzz is not a binding id batchtui knows; the ids are: "),
]


@pytest.mark.parametrize(("text", "argv", "expected"), MISTAKES)
def test_a_mistake_in_the_file_is_one_line_naming_the_place(
    text: str, argv: list[str], expected: str, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    path = write_config(text)
    assert run(argv, {"OPENAI_API_KEY": KEY}) == 2
    out, err = capsys.readouterr()
    message = one_line(err)
    assert out == "" and launched == []
    assert message.startswith(str(path)), message
    assert expected in message, message


def test_line_numbers_follow_tables_quoted_names_and_dotted_keys() -> None:
    text = '# top\ntheme = "x"\n[profiles."my work"]\nbase_url = "h"\n[profiles]\ngate.base_url = "g"\n'
    lines = setting_lines(text)
    assert lines[("theme",)] == 2
    assert (lines[("profiles", "my work")], lines[("profiles", "my work", "base_url")]) == (3, 4)
    assert lines[("profiles", "gate", "base_url")] == 6


def test_a_mistake_in_a_quoted_profile_name_quotes_it(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config('[profiles."my work"]\nbase_url = 5\n')
    assert run([], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == (
        f'{path} line 2: profiles."my work".base_url must be text in quotes, not 5.'
    )


def test_a_line_inside_a_multiline_string_is_not_a_setting() -> None:
    text = 'theme = """\nrefresh = 5\n"""\nrefresh = 7\n'
    assert setting_lines(text)[("refresh",)] == 4


def test_a_missing_file_named_by_config_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.toml"
    assert run(["--config", str(missing)], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == f"{missing}: no such file (given by --config)."


def test_a_folder_or_a_dangling_link_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--config", str(tmp_path)], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == f"{tmp_path} is a folder, not a config file."
    default = default_config_path()
    default.parent.mkdir(parents=True)
    default.symlink_to(tmp_path / "gone.toml")
    assert run([], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == f"{default} is a link to a file that does not exist."


def test_a_file_that_is_not_utf8(capsys: pytest.CaptureFixture[str]) -> None:
    path = default_config_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b'theme = "x"\n# caf\xe9\n')
    assert run([], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == f"{path} line 2: the file must be UTF-8 text, and this line is not."


def test_profile_without_a_config_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--profile", "work"], {"OPENAI_API_KEY": KEY}) == 2
    assert one_line(capsys.readouterr().err) == (
        f"--profile needs a config file, and there is none at {default_config_path()}; "
        "create it, or name one with --config PATH."
    )


def test_profile_with_demo(capsys: pytest.CaptureFixture[str]) -> None:
    write_config(EXAMPLE)
    assert run(["--demo", "--profile", "work"], {}) == 2
    assert "--profile chooses a real account and --demo a simulated one" in one_line(capsys.readouterr().err)


def test_a_profile_with_no_key_says_where_to_put_one(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config('default_profile = "work"\n[profiles.work]\nbase_url = "http://localhost:4000/v1"\n')
    assert run([], {}) == 2
    assert one_line(capsys.readouterr().err) == (
        f'no API key for profile "work": give it api_key_env or api_key_command in {path}, or set OPENAI_API_KEY.'
    )


def test_the_error_carries_the_file_and_line() -> None:
    path = write_config("\n\npage_size = 0\n")
    with pytest.raises(ConfigFileError) as refused:
        load_config(None, explicit=False)
    assert (refused.value.path, refused.value.line) == (path, 3)


def test_binding_ids_are_the_apps() -> None:
    ids = binding_ids()
    assert {"cancel_batch", "quit", "help", "first_row", "leave_create", "save_retry", "results_back"} <= ids


# A literal api_key: only in a file its owner alone can read, as ssh does.


def test_a_literal_key_in_a_private_file_is_used(launched: list) -> None:
    write_config(f'default_profile = "p"\n[profiles.p]\napi_key = "{KEY}"\n', mode=0o600)
    assert run([], {}) == 0
    assert launched[0][1].api_key == KEY


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_literal_key_in_a_file_others_can_read_is_refused(
    mode: int, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    path = write_config(f'default_profile = "p"\n[profiles.p]\napi_key = "{KEY}"\n', mode=mode)
    assert run([], {}) == 2
    assert launched == []
    assert one_line(capsys.readouterr().err) == (
        f"{path} line 3: profiles.p.api_key is refused: others can read this file (mode {mode:04o}); "
        f"run chmod 600 {path}, or use api_key_env or api_key_command."
    )


def test_a_literal_key_of_a_profile_not_in_use_is_still_refused(capsys: pytest.CaptureFixture[str]) -> None:
    write_config(f'[profiles.p]\napi_key = "{KEY}"\n', mode=0o644)
    assert run([], {"OPENAI_API_KEY": "sk-env"}) == 2
    assert "api_key is refused" in one_line(capsys.readouterr().err)


# Key commands


def command_config(tmp_path: Path, body: str) -> Path:
    command = key_script(tmp_path, body)
    return write_config(f"default_profile = \"g\"\n[profiles.g]\napi_key_command = '{command}'\n")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (f"import sys\nprint({KEY!r}, file=sys.stderr)\nsys.exit(3)\n", "exited with status 3."),
        (f"print({KEY!r})\nraise SystemExit(1)\n", "exited with status 1."),
        ("print('')\n", "printed nothing: it should print the key."),
        ("pass\n", "printed nothing: it should print the key."),
        (
            "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe')\n",
            "printed something that is not UTF-8 text, not a key.",
        ),
        ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", "was stopped by signal 9."),
    ],
)
def test_a_failing_key_command_is_one_line_without_its_output(
    tmp_path: Path, body: str, expected: str, capsys: pytest.CaptureFixture[str], launched: list
) -> None:
    path = command_config(tmp_path, body)
    assert run([], {}) == 2
    assert launched == []
    assert one_line(capsys.readouterr().err) == f"{path} line 3: profiles.g.api_key_command {expected}"


def test_a_key_command_that_hangs_times_out(tmp_path: Path) -> None:
    command_config(tmp_path, "import time\ntime.sleep(30)\n")
    config = load_config(None, explicit=False)
    with pytest.raises(ConfigError, match=r"line 3: profiles\.g\.api_key_command did not finish within 0\.3 seconds\."):
        settings_for(config, None, {}, Flags(), key_command_timeout=0.3)


def test_a_key_command_reads_no_input(tmp_path: Path) -> None:
    # stdin is closed: a command that would wait for typing gets end-of-file at once.
    command_config(tmp_path, "import sys\nprint(sys.stdin.read() or 'sk-no-input')\n")
    settings = settings_for(load_config(None, explicit=False), None, {}, Flags(), key_command_timeout=5)
    assert settings.api_key == "sk-no-input"


def test_a_key_command_is_not_run_through_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "shell-ran"
    write_config(f"default_profile = \"g\"\n[profiles.g]\napi_key_command = 'echo sk-x$(touch${{IFS}}{marker})'\n")
    settings = settings_for(load_config(None, explicit=False), None, {}, Flags())
    assert settings.api_key == f"sk-x$(touch${{IFS}}{marker})" and not marker.exists()


def test_a_key_command_printing_an_unsendable_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = command_config(tmp_path, f"print({KEY!r} + ' x')\n")
    assert run([], {}) == 2
    assert one_line(capsys.readouterr().err) == (
        f"{path} line 3: profiles.g.api_key_command printed a key that has a space or line break (character 27), "
        "so it cannot be sent to the server."
    )


def test_a_key_with_a_line_break_from_the_variable_names_its_place(capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config('default_profile = "w"\n[profiles.w]\napi_key_env = "WORK_KEY"\n')
    assert run([], {"WORK_KEY": f"{KEY} {KEY}"}) == 2
    assert one_line(capsys.readouterr().err).startswith(
        f"{path} line 3: profiles.w.api_key_env (WORK_KEY) has a space or line break (character 27)"
    )


# Precedence: flags > environment > the chosen profile > top-level settings > defaults

PRECEDENCE = """\
refresh = 7
page_size = 30
read_only = true
notify = false
default_profile = "work"

[profiles.work]
base_url = "https://profile.example/v1"
organization = "org-profile"
project = "proj_profile"
api_key_env = "WORK_KEY"
read_only = false

[profiles.plain]
base_url = "https://plain.example/v1"
"""


@pytest.mark.parametrize(
    ("environ", "flags", "expected"),
    [
        ({}, Flags(), ("https://profile.example/v1", "org-profile", "proj_profile")),
        (
            {"OPENAI_BASE_URL": "https://env.example/v1", "OPENAI_ORG_ID": "org-env"},
            Flags(),
            ("https://env.example/v1", "org-env", "proj_profile"),
        ),
        (
            {"OPENAI_BASE_URL": "https://env.example/v1", "OPENAI_ORG_ID": "org-env", "OPENAI_PROJECT_ID": "proj_env"},
            Flags(base_url="https://flag.example/v1", project="proj_flag"),
            ("https://flag.example/v1", "org-env", "proj_flag"),
        ),
    ],
)
def test_account_flags_beat_the_environment_which_beats_the_profile(
    environ: dict[str, str], flags: Flags, expected: tuple[str, str, str]
) -> None:
    write_config(PRECEDENCE)
    settings = settings_for(load_config(None, explicit=False), None, {"WORK_KEY": WORK_KEY, **environ}, flags)
    assert (settings.base_url, settings.organization, settings.project) == expected


def test_behaviour_flags_beat_the_profile_which_beats_the_top_level_which_beats_the_defaults() -> None:
    write_config(PRECEDENCE)
    config = load_config(None, explicit=False)
    environ = {"WORK_KEY": WORK_KEY, "OPENAI_API_KEY": KEY}
    work = settings_for(config, None, environ, Flags())
    assert (work.refresh_seconds, work.page_size, work.notify) == (7.0, 30, False)
    assert work.read_only is False  # the profile's false beats the top level's true
    assert settings_for(config, "plain", environ, Flags()).read_only is True  # no word from the profile: top level
    flagged = settings_for(config, None, environ, Flags(refresh_seconds=2, page_size=5, read_only=True))
    assert (flagged.refresh_seconds, flagged.page_size, flagged.read_only) == (2, 5, True)
    assert settings_for(config, None, environ, Flags(notify=False)).notify is False
    defaults = settings_for(None, None, environ, Flags())
    assert (defaults.refresh_seconds, defaults.page_size, defaults.read_only, defaults.notify) == (5.0, 20, False, True)


def test_a_bad_flag_is_still_named_as_the_flag() -> None:
    write_config(PRECEDENCE)
    with pytest.raises(ConfigError, match=r"^--page-size must be between 1 and 100, not 0"):
        settings_for(load_config(None, explicit=False), None, {"WORK_KEY": WORK_KEY}, Flags(page_size=0))


# The key rule: a key never goes to a server it was not configured for.


def test_the_environments_key_never_becomes_a_key_of_a_profile_with_its_own() -> None:
    write_config(PRECEDENCE)
    config = load_config(None, explicit=False)
    settings = settings_for(config, "work", {"OPENAI_API_KEY": KEY, "WORK_KEY": WORK_KEY}, Flags())
    assert settings.api_key == WORK_KEY
    # Its own key missing is an error, not a fall back to the environment's.
    with pytest.raises(ConfigError, match="api_key_env names WORK_KEY, which is not set") as refused:
        settings_for(config, "work", {"OPENAI_API_KEY": KEY}, Flags())
    assert KEY not in str(refused.value)


def test_the_environments_key_stands_in_for_a_profile_that_names_none() -> None:
    write_config(PRECEDENCE)
    settings = settings_for(load_config(None, explicit=False), "plain", {"OPENAI_API_KEY": KEY}, Flags())
    assert (settings.api_key, settings.base_url) == (KEY, "https://plain.example/v1")


def test_an_azure_variable_in_the_shell_does_not_turn_an_openai_profile_into_azure() -> None:
    write_config(PRECEDENCE)
    environ = {
        "WORK_KEY": WORK_KEY,
        "AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com",
        "AZURE_OPENAI_API_KEY": AZURE_KEY,
    }
    settings = settings_for(load_config(None, explicit=False), "work", environ, Flags())
    assert not settings.azure and settings.api_key == WORK_KEY and settings.base_url == "https://profile.example/v1"


def test_a_profile_switched_to_ignores_the_account_flags_and_variables() -> None:
    write_config(PRECEDENCE + '\n[profiles.other]\nbase_url = "https://other.example/v1"\napi_key_env = "OTHER_KEY"\n')
    config = load_config(None, explicit=False)
    environ = {
        "WORK_KEY": WORK_KEY,
        "OTHER_KEY": "sk-other",
        "OPENAI_BASE_URL": "https://env.example/v1",
        "OPENAI_ORG_ID": "org-env",
        "OPENAI_PROJECT_ID": "proj_env",
    }
    flags = Flags(base_url="https://flag.example/v1", organization="org-flag", refresh_seconds=3, index=True)
    start = settings_for(config, None, environ, flags)
    assert (start.profile, start.base_url, start.organization) == ("work", "https://flag.example/v1", "org-flag")
    assert start.load_profile is not None
    other = start.load_profile("other")
    assert (other.profile, other.api_key, other.base_url) == ("other", "sk-other", "https://other.example/v1")
    assert (other.organization, other.project) == (None, None)
    assert (other.refresh_seconds, other.index, other.read_only) == (3, True, True)  # non-account flags still apply
    assert other.load_profile is not None and other.load_profile("work") is start  # the start profile as it began


def test_only_the_chosen_profiles_key_command_runs_at_start(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    command = key_script(tmp_path, f"open({str(marker)!r}, 'w').write('x')\nprint('sk-other')\n")
    write_config(PRECEDENCE + f"\n[profiles.other]\napi_key_command = '{command}'\n")
    start = settings_for(load_config(None, explicit=False), None, {"WORK_KEY": WORK_KEY}, Flags())
    assert not marker.exists()
    assert start.load_profile is not None and start.load_profile("other").api_key == "sk-other"
    assert marker.exists()


def test_loading_a_profile_that_cannot_be_used_raises_config_error() -> None:
    write_config(PRECEDENCE + '\n[profiles.other]\napi_key_env = "UNSET_KEY"\n')
    start = settings_for(
        load_config(None, explicit=False), None, {"WORK_KEY": WORK_KEY, "OPENAI_API_KEY": KEY}, Flags()
    )
    assert start.load_profile is not None
    with pytest.raises(ConfigError, match="UNSET_KEY, which is not set"):
        start.load_profile("other")
    with pytest.raises(ConfigError, match='has no profile "gone"'):
        start.load_profile("gone")
    with pytest.raises(ConfigError, match='no API key for profile "plain"'):
        settings_for(load_config(None, explicit=False), None, {"WORK_KEY": WORK_KEY}, Flags()).load_profile("plain")  # type: ignore[misc]


# Each profile its own index


def test_index_paths_differ_per_profile_and_stay_as_before_without_one() -> None:
    write_config(
        '[profiles.a]\nbase_url = "https://same.example/v1"\n[profiles.b]\nbase_url = "https://same.example/v1"\nread_only = true\n'
    )
    config = load_config(None, explicit=False)
    environ = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": "https://same.example/v1"}
    a, b = (settings_for(config, name, environ, Flags()) for name in ("a", "b"))
    none = settings_for(config, None, environ, Flags())
    assert len({a.index_path(), b.index_path(), none.index_path()}) == 3
    assert none.index_path() == index_path(cache_dir(), "https://same.example/v1", None, None)
    assert a.index_path().parent == cache_dir() and KEY not in str(a.index_path())


def test_settings_repr_shows_no_key_from_the_file() -> None:
    write_config(f'default_profile = "p"\n[profiles.p]\napi_key = "{KEY}"\n')
    config = load_config(None, explicit=False)
    assert config is not None and KEY not in repr(config)
    assert KEY not in repr(settings_for(config, None, {}, Flags()))


def test_default_path_follows_xdg_config_home(config_home: Path) -> None:
    assert default_config_path() == config_home / "config.toml"
    assert os.environ["XDG_CONFIG_HOME"] in str(default_config_path())
