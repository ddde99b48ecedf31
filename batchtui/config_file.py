"""The config file: $XDG_CONFIG_HOME/batchtui/config.toml, its profiles, and the settings they give.

No Textual here. Every mistake in the file is a ConfigFileError whose one line names the file, the
line or setting, and what was expected — never the key. Precedence, from strongest: flags, the
environment, the chosen profile, the file's top-level settings, the defaults.

The safety rule: a key never goes to a server it was not configured for.
- A profile that names its own key (api_key_env, api_key_command or api_key) always uses it; the
  environment's OPENAI_API_KEY and AZURE_OPENAI_API_KEY stand in only for a profile that names none.
- The account flags and variables (--base-url, --org, --project, --azure*, --api-version,
  OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, AZURE_OPENAI_ENDPOINT, OPENAI_API_VERSION)
  apply to the profile chosen at start only, never to one switched to at runtime (load_profile).
- Only the chosen profile's key command runs at start: another's may ask for a passphrase.

A key command runs without a shell (shlex.split), with stdin closed, batchtui's own environment and a
time limit; the key is the first line it prints. Its error output is never shown: it may hold the key.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import shlex
import stat
import subprocess
import tomllib
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from batchtui.config import (
    ConfigError,
    ProfileAccount,
    Settings,
    Sourced,
    load_settings,
    sendable_value,
    unsendable,
    validate_base_url,
    validate_page_size,
    validate_refresh,
)
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.paths import config_dir

CONFIG_NAME = "config.toml"
KEY_COMMAND_TIMEOUT = 10.0  # seconds a key command may take
MAX_QUOTED = 40  # characters of a bad value quoted back in a message
DEFAULT_REFRESH = 5.0
DEFAULT_PAGE_SIZE = 20

TOP_LEVEL = ("refresh", "page_size", "theme", "notify", "read_only", "default_profile", "profiles", "keymap", "stuck")
PROFILE_SETTINGS = (
    "base_url",
    "azure_endpoint",
    "azure",
    "api_version",
    "organization",
    "project",
    "api_key_env",
    "api_key_command",
    "api_key",
    "read_only",
)
KEY_SOURCES = ("api_key_env", "api_key_command", "api_key")
# The environment's account variables: they apply to the profile chosen at start, never to one switched to.
ACCOUNT_VARIABLES = frozenset(
    {"OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "AZURE_OPENAI_ENDPOINT", "OPENAI_API_VERSION"}
)
_VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHOWN_VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]*")  # the usual shape; anything else might be a pasted key

Key = tuple[str, ...]  # a setting's place in the file: ("profiles", "work", "base_url")
T = TypeVar("T")


class ConfigFileError(ConfigError):
    """A mistake in the config file; the message names the file and the line or setting."""

    def __init__(self, message: str, path: Path, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


def default_config_path() -> Path:
    return config_dir() / CONFIG_NAME


@dataclass(frozen=True)
class Profile:
    """One [profiles.NAME] table, checked; its key is read only when the profile is used."""

    name: str
    base_url: str | None = None
    azure_endpoint: str | None = None
    azure: bool = False
    api_version: str | None = None
    organization: str | None = None
    project: str | None = None
    api_key_env: str | None = None
    api_key_command: str | None = None
    api_key: str | None = field(default=None, repr=False)
    read_only: bool | None = None


@dataclass(frozen=True)
class ConfigFile:
    path: Path
    refresh: float | None = None
    page_size: int | None = None
    theme: str | None = None
    theme_line: int | None = None  # where `theme = ...` is, or None when the file has no theme line
    notify: bool | None = None
    read_only: bool | None = None
    default_profile: str | None = None
    profiles: Mapping[str, Profile] = field(default_factory=dict)  # in the file's order
    keymap: Mapping[str, str] = field(default_factory=dict)
    stuck: StuckThresholds = DEFAULT_THRESHOLDS
    lines: Mapping[Key, int] = field(default_factory=dict, repr=False, compare=False)

    def where(self, *key: str) -> str:
        """The start of a message about a setting: the file, its line when known, the setting's name."""
        return f"{self.location(*key)}: {dotted(key)}" if key else str(self.path)

    def location(self, *key: str) -> str:
        line = self.line_of(key)
        return f"{self.path} line {line}" if line else str(self.path)

    def line_of(self, key: Key) -> int | None:
        """The line of a setting, else of the table that holds it (an inline table, a dotted key)."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None

    def error(self, key: Key, message: str) -> ConfigFileError:
        return ConfigFileError(f"{self.where(*key)} {message}", self.path, self.line_of(key))

    def profile(self, name: str) -> Profile:
        """The profile of that name; a name the file does not have is one line listing those it has."""
        if name in self.profiles:
            return self.profiles[name]
        raise ConfigFileError(f"{self.path} has no profile {_quoted(name)}; {self._profiles_listed()}", self.path)

    def _profiles_listed(self) -> str:
        if not self.profiles:
            return "it has no [profiles.NAME] table."
        return f"its profiles are: {', '.join(self.profiles)}."


# Reading and checking the file


def load_config(
    path: Path | None, *, explicit: bool, known_binding_ids: Collection[str] | None = None
) -> ConfigFile | None:
    """The file checked whole, or None when there is none at the default path (not an error).

    path None means the default path; explicit says the user named the file (--config), so a missing
    one is an error. known_binding_ids, when given, are the ids a [keymap] may name.
    """
    path = default_config_path() if path is None else path
    text, mode = _read(path, explicit=explicit)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _toml_error(path, error) from None
    config = _checked(ConfigFile(path, lines=MappingProxyType(setting_lines(text))), data, mode=mode)
    if known_binding_ids is not None:
        check_keymap(config, known_binding_ids)
    return config


def _read(path: Path, *, explicit: bool) -> tuple[str | None, int]:
    """The file's text and permission bits; (None, 0) for a missing file at the default path."""
    try:
        with path.open("rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            data = file.read()
    except FileNotFoundError:
        if os.path.lexists(path):
            raise ConfigFileError(f"{path} is a link to a file that does not exist.", path) from None
        if not explicit:
            return None, 0
        raise ConfigFileError(f"{path}: no such file (given by --config).", path) from None
    except IsADirectoryError:
        raise ConfigFileError(f"{path} is a folder, not a config file.", path) from None
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise ConfigFileError(f"{path} cannot be read: {reason}.", path) from None
    if stat.S_ISDIR(mode):
        raise ConfigFileError(f"{path} is a folder, not a config file.", path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigFileError(
            f"{path} line {line}: the file must be UTF-8 text, and this line is not.", path, line
        ) from None
    return text.removeprefix("\ufeff"), stat.S_IMODE(mode)


def _toml_error(path: Path, error: tomllib.TOMLDecodeError) -> ConfigFileError:
    # Python 3.11's tomllib puts the place only in the message: "Invalid value (at line 3, column 9)".
    message = str(error)
    place = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    reason = message[: place.start()] if place else message
    reason = f"{reason[:1].lower()}{reason[1:]}".rstrip(".")
    if place:
        line = int(place.group(1))
        return ConfigFileError(
            f"{path} line {line}, column {place.group(2)}: this is not valid TOML ({reason}).", path, line
        )
    if "end of document" in message:
        # Something opened near the end (a [ or a quote) was never closed: the place is the file's last line.
        last = _last_line(path)
        if last is not None:
            reason = reason.replace(" (at end of document)", "")
            return ConfigFileError(
                f"{path} line {last}: this is not valid TOML ({reason}, at the end of the file).", path, last
            )
    return ConfigFileError(f"{path}: this is not valid TOML ({reason}).", path)


def _last_line(path: Path) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return max((number for number, line in enumerate(lines, 1) if line.strip()), default=None)


def _checked(config: ConfigFile, data: dict[str, Any], *, mode: int) -> ConfigFile:
    _refuse_unknown(config, (), data, TOP_LEVEL)
    refresh = _number(config, ("refresh",), data.get("refresh"), "needs a number of seconds")
    if refresh is not None:
        with _line_of_setting(config, ("refresh",)):
            validate_refresh(refresh, config.where("refresh"))
    page_size = _page_size(config, data.get("page_size"))
    if page_size is not None:
        with _line_of_setting(config, ("page_size",)):
            validate_page_size(page_size, config.where("page_size"))
    profiles = _profiles(config, data.get("profiles"), mode=mode)
    checked = replace(
        config,
        refresh=refresh,
        page_size=page_size,
        theme=_string(config, ("theme",), data.get("theme"), 'must be a theme name in quotes, like "textual-dark"'),
        theme_line=config.lines.get(("theme",)),
        notify=_boolean(config, ("notify",), data.get("notify")),
        read_only=_boolean(config, ("read_only",), data.get("read_only")),
        default_profile=_string(config, ("default_profile",), data.get("default_profile"), "must be a profile's name"),
        profiles=MappingProxyType(profiles),
        keymap=MappingProxyType(_keymap(config, data.get("keymap"))),
        stuck=_stuck(config, data.get("stuck")),
    )
    if checked.default_profile is not None and checked.default_profile not in profiles:
        raise config.error(
            ("default_profile",),
            f"is {_quoted(checked.default_profile)}, but there is no [profiles.{checked.default_profile}]; "
            f"{checked._profiles_listed()}",
        )
    return checked


@contextmanager
def _line_of_setting(config: ConfigFile, key: Key) -> Iterator[None]:
    """A ConfigError worded by a shared check (naming the file and line already) carries them as well."""
    try:
        yield
    except ConfigFileError:
        raise
    except ConfigError as error:
        raise ConfigFileError(str(error), config.path, config.line_of(key)) from None


def _refuse_unknown(config: ConfigFile, table: Key, data: Mapping[str, Any], known: Collection[str]) -> None:
    for name in data:
        if name in known:
            continue
        key = (*table, name)
        if not table and name in PROFILE_SETTINGS:
            raise config.error(
                key, "belongs in a profile: put it under [profiles.NAME] and choose that profile with default_profile."
            )
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]}?" if close else f"expected one of: {', '.join(known)}."
        raise config.error(key, f"is not a setting batchtui knows; {hint}")


def _profiles(config: ConfigFile, data: object, *, mode: int) -> dict[str, Profile]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise config.error(("profiles",), "must hold tables, one per profile: [profiles.NAME].")
    return {name: _profile(config, name, values, mode=mode) for name, values in data.items()}


def _profile(config: ConfigFile, name: str, data: object, *, mode: int) -> Profile:
    table = ("profiles", name)
    if not isinstance(data, dict):
        raise config.error(table, f"must be a table of settings: [profiles.{dotted((name,))}].")
    if not name.strip() or not name.isprintable():
        raise config.error(table, "needs a name of printable characters, since the title bar shows it.")
    _refuse_unknown(config, table, data, PROFILE_SETTINGS)
    given = [source for source in KEY_SOURCES if source in data]
    if len(given) > 1:
        raise config.error(table, f"names more than one key ({' and '.join(given)}); keep one.")
    values: dict[str, Any] = {}
    for setting in ("base_url", "azure_endpoint", "api_version", "organization", "project"):
        values[setting] = _string(config, (*table, setting), data.get(setting), "must be text in quotes")
    for setting in ("base_url", "azure_endpoint"):
        if values[setting] is not None:
            with _line_of_setting(config, (*table, setting)):
                validate_base_url(
                    values[setting], config.where(*table, setting), key_variable="the variable named by api_key_env"
                )
    for setting in ("organization", "project", "api_version"):
        with _line_of_setting(config, (*table, setting)):
            sendable_value(values[setting], config.where(*table, setting), header=setting != "api_version")
    azure = _boolean(config, (*table, "azure"), data.get("azure")) or False
    if values["base_url"] is not None and values["azure_endpoint"] is not None:
        raise config.error(
            (*table, "azure_endpoint"),
            "and base_url cannot both be set: keep azure_endpoint, or base_url with azure = true for a proxy in front of Azure.",
        )
    if values["api_version"] is not None and not (azure or values["azure_endpoint"]):
        raise config.error((*table, "api_version"), "only applies to Azure: add azure_endpoint (or azure = true).")
    return Profile(
        name=name,
        azure=azure,
        api_key_env=_key_variable(config, table, data.get("api_key_env")),
        api_key_command=_key_command(config, table, data.get("api_key_command")),
        api_key=_literal_key(config, table, data.get("api_key"), mode=mode),
        read_only=_boolean(config, (*table, "read_only"), data.get("read_only")),
        **values,
    )


def _key_variable(config: ConfigFile, table: Key, value: object) -> str | None:
    if value is None:
        return None
    key = (*table, "api_key_env")
    if not isinstance(value, str) or not _VARIABLE_NAME.fullmatch(value.strip()):
        # Not quoted back: the key itself pasted here is the likely mistake.
        raise config.error(
            key, "must be the name of an environment variable (letters, digits and _) that holds the key, not the key."
        )
    return value.strip()


def _key_command(config: ConfigFile, table: Key, value: object) -> str | None:
    if value is None:
        return None
    key = (*table, "api_key_command")
    # The command is never quoted back: it may carry the key (echo sk-...).
    if not isinstance(value, str):
        raise config.error(key, 'must be a command in quotes, like "pass show openai/key".')
    try:
        words = shlex.split(value)
    except ValueError as error:
        reason = str(error)
        raise config.error(key, f"cannot be split into words ({reason[:1].lower()}{reason[1:]}).") from None
    if not words:
        raise config.error(key, "is empty: give the command that prints the key.")
    return value


def _literal_key(config: ConfigFile, table: Key, value: object, *, mode: int) -> str | None:
    if value is None:
        return None
    key = (*table, "api_key")
    if not isinstance(value, str) or not value.strip():
        raise config.error(key, "must be the key in quotes (or use api_key_env or api_key_command).")
    if mode & 0o077:
        # As ssh does with a private key: a key in a file others can read is a key already shared.
        raise config.error(
            key,
            f"is refused: others can read this file (mode {mode:04o}); run chmod 600 {config.path}, "
            "or use api_key_env or api_key_command.",
        )
    return value.strip()


def _keymap(config: ConfigFile, data: object) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise config.error(("keymap",), 'must be a table: [keymap] with lines like cancel_batch = "x".')
    keymap: dict[str, str] = {}
    for binding, keys in data.items():
        if not isinstance(keys, str) or not keys.strip():
            raise config.error(
                ("keymap", binding), f'must be a key in quotes, like "x" or "ctrl+x", not {_shown(keys)}.'
            )
        keymap[binding] = keys.strip()
    return keymap


def check_keymap(config: ConfigFile, known_binding_ids: Collection[str]) -> None:
    """Every [keymap] entry names a binding the app has."""
    for binding in config.keymap:
        if binding not in known_binding_ids:
            close = difflib.get_close_matches(binding, known_binding_ids, n=1)
            hint = f"did you mean {close[0]}?" if close else f"the ids are: {', '.join(sorted(known_binding_ids))}."
            raise config.error(("keymap", binding), f"is not a binding id batchtui knows; {hint}")


def _stuck(config: ConfigFile, data: object) -> StuckThresholds:
    if data is None:
        return DEFAULT_THRESHOLDS
    if not isinstance(data, dict):
        raise config.error(("stuck",), "must be a table: [stuck] with lines like finalizing_minutes = 60.")
    names = StuckThresholds.names()
    _refuse_unknown(config, ("stuck",), data, names)
    values: dict[str, float] = {}
    for name, value in data.items():
        key = ("stuck", name)
        percent = name.endswith("_percent")
        expected = "a percentage above 0 and at most 100" if percent else "a number of minutes above 0"
        number = _number(config, key, value, f"must be {expected}")
        if number is not None and not (0 < number <= (100 if percent else math.inf)):
            raise config.error(key, f"must be {expected}, not {_shown(value)}.")
        values[name] = float(value)
    return StuckThresholds(**values)


def _string(config: ConfigFile, key: Key, value: object, expected: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise config.error(key, f"{expected}, not {_shown(value)}.")
    return value.strip()


def _boolean(config: ConfigFile, key: Key, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise config.error(key, f"must be true or false, not {_shown(value)}.")


def _number(config: ConfigFile, key: Key, value: object, expected: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise config.error(key, f"{expected}, not {_shown(value)}.")
    if not math.isfinite(value):
        raise config.error(key, f"{expected}, not {_shown(value)}.")
    return float(value)


def _page_size(config: ConfigFile, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise config.error(("page_size",), f"must be a whole number from 1 to 100, not {_shown(value)}.")
    return value


def _shown(value: object) -> str:
    """A value from the file as TOML would spell it, cut short."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _quoted(text: str) -> str:
    return json.dumps(text if len(text) <= MAX_QUOTED else f"{text[:MAX_QUOTED]}…", ensure_ascii=False)


def dotted(key: Key) -> str:
    """A setting's name as TOML writes it: profiles.work.base_url, quoting what is not a bare key."""
    return ".".join(part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part) for part in key)


# Where each setting is: tomllib gives line numbers for syntax errors only.

_HEADER = re.compile(r"\s*\[\[?(?P<name>[^\[\]]*)\]\]?\s*(?:#.*)?")
_BARE_OR_QUOTED = r"[A-Za-z0-9_-]+|\"(?:[^\"\\]|\\.)*\"|'[^']*'"
_KEY_PART = re.compile(rf"\s*(?P<part>{_BARE_OR_QUOTED})\s*(?P<next>\.|=|$)")


def setting_lines(text: str) -> dict[Key, int]:
    """The line (from 1) where each table and key is first written, by a scan good enough for messages."""
    lines: dict[Key, int] = {}
    table: Key = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_multiline:
            if line.count(in_multiline) % 2:
                in_multiline = None
            continue
        header = _HEADER.fullmatch(line)
        if header:
            table = _key_parts(header.group("name"), end="") or table
            lines.setdefault(table, number)
            continue
        key = _key_parts(line, end="=")
        if key:
            for depth in range(1, len(key) + 1):
                lines.setdefault((*table, *key[:depth]), number)
            value = line.split("=", 1)[1]
            for quotes in ('"""', "'''"):
                if value.count(quotes) % 2:
                    in_multiline = quotes
    return lines


def _key_parts(text: str, *, end: str) -> Key:
    """The dotted key at the start of text, up to end ('=' for a key line, '' for a header); () if none."""
    parts: list[str] = []
    position = 0
    while True:
        match = _KEY_PART.match(text, position)
        if not match:
            return ()
        parts.append(_unquoted(match.group("part")))
        position = match.end()
        if match.group("next") != ".":
            return tuple(parts) if match.group("next") == end else ()


def _unquoted(part: str) -> str:
    if part.startswith("'"):
        return part[1:-1]
    if part.startswith('"'):
        try:
            return str(json.loads(part))
        except ValueError:
            return part[1:-1]
    return part


# From the file to Settings


@dataclass(frozen=True)
class Flags:
    """What the command line said; None or False where it said nothing."""

    base_url: str | None = None
    organization: str | None = None
    project: str | None = None
    azure: bool = False
    azure_endpoint: str | None = None
    api_version: str | None = None
    refresh_seconds: float | None = None
    page_size: int | None = None
    read_only: bool = False
    notify: bool = True  # False with --no-notify
    index: bool = False  # True unless --no-cache

    def without_account(self) -> Flags:
        """The flags that apply to every profile: not the ones that say which server or account."""
        return Flags(
            refresh_seconds=self.refresh_seconds,
            page_size=self.page_size,
            read_only=self.read_only,
            notify=self.notify,
            index=self.index,
        )


def settings_for(
    config: ConfigFile | None,
    profile_name: str | None,
    environ: Mapping[str, str],
    flags: Flags,
    *,
    key_command_timeout: float = KEY_COMMAND_TIMEOUT,
) -> Settings:
    """The settings to start with: the named profile, else the file's default_profile, else none.

    With no profile the account comes from the flags and the environment alone, as without a file.
    Only the chosen profile's key is read; the others' when load_profile is called for them.
    """
    if config is None:
        if profile_name is not None:
            raise ConfigError(
                f"--profile needs a config file, and there is none at {default_config_path()}; "
                "create it, or name one with --config PATH."
            )
        return _settings(None, None, environ, flags, key_command_timeout)
    name = profile_name if profile_name is not None else config.default_profile
    profile = config.profile(name) if name is not None else None
    runtime_environ = {variable: value for variable, value in environ.items() if variable not in ACCOUNT_VARIABLES}
    runtime_flags = flags.without_account()

    def load_profile(other: str) -> Settings:
        if other == name:
            return start  # the start profile keeps the flags and variables it began with
        settings = _settings(config, config.profile(other), runtime_environ, runtime_flags, key_command_timeout)
        if not settings.api_key:
            raise ConfigError(missing_key_message(settings))
        return replace(settings, load_profile=load_profile)

    start = replace(_settings(config, profile, environ, flags, key_command_timeout), load_profile=load_profile)
    return start


def demo_settings(config: ConfigFile | None, flags: Flags) -> Settings:
    """For --demo: the file's look and behaviour (theme, keymap, refresh, stuck...), none of its accounts."""
    return replace(_settings(config, None, {}, flags.without_account(), KEY_COMMAND_TIMEOUT), profile_names=())


def missing_key_message(settings: Settings) -> str:
    variable = "AZURE_OPENAI_API_KEY" if settings.azure else "OPENAI_API_KEY"
    if settings.profile is None:
        return f"no API key: set {variable}, or try the simulated API with 'batchtui --demo'."
    return (
        f"no API key for profile {_quoted(settings.profile)}: give it api_key_env or api_key_command "
        f"in {settings.config_path}, or set {variable}."
    )


def _settings(
    config: ConfigFile | None, profile: Profile | None, environ: Mapping[str, str], flags: Flags, timeout: float
) -> Settings:
    top = config or ConfigFile(Path())
    account = _account(config, profile, environ, timeout) if config is not None and profile is not None else None
    settings = load_settings(
        environ,
        base_url=flags.base_url,
        organization=flags.organization,
        project=flags.project,
        azure=flags.azure,
        azure_endpoint=flags.azure_endpoint,
        api_version=flags.api_version,
        refresh_seconds=_first_given(flags.refresh_seconds, top.refresh, DEFAULT_REFRESH),
        page_size=_first_given(flags.page_size, top.page_size, DEFAULT_PAGE_SIZE),
        profile=account,
    )
    profile_read_only = profile.read_only if profile is not None else None
    return replace(
        settings,
        index=flags.index,
        profile=profile.name if profile is not None else None,
        read_only=flags.read_only or _first_given(profile_read_only, top.read_only, False),
        notify=flags.notify and _first_given(top.notify, True),
        theme=top.theme,
        keymap=top.keymap,
        stuck=top.stuck,
        config_path=config.path if config is not None else None,
        profile_names=tuple(top.profiles),
    )


def _first_given(*values: T | None) -> T:
    for value in values:
        if value is not None:
            return value
    raise AssertionError("the last value is the default and is never None")


def _account(config: ConfigFile, profile: Profile, environ: Mapping[str, str], timeout: float) -> ProfileAccount:
    table = ("profiles", profile.name)

    def sourced(setting: str) -> Sourced | None:
        value = getattr(profile, setting)
        return Sourced(value, config.where(*table, setting)) if value is not None else None

    return ProfileAccount(
        base_url=sourced("base_url"),
        azure_endpoint=sourced("azure_endpoint"),
        api_version=sourced("api_version"),
        organization=sourced("organization"),
        project=sourced("project"),
        azure=profile.azure,
        api_key=profile_key(config, profile, environ, timeout=timeout),
    )


def profile_key(
    config: ConfigFile, profile: Profile, environ: Mapping[str, str], *, timeout: float = KEY_COMMAND_TIMEOUT
) -> Sourced | None:
    """The profile's own key, read now (its command run now), or None when it names no key."""
    table = ("profiles", profile.name)
    if profile.api_key_env is not None:
        key = (*table, "api_key_env")
        value = (environ.get(profile.api_key_env) or "").strip()
        if not value:
            shown = _shown_variable(profile.api_key_env)
            named = f"{shown}, which" if shown else "a variable that"
            raise config.error(key, f"names {named} is not set in the environment.")
        shown = _shown_variable(profile.api_key_env)
        return Sourced(value, f"{config.where(*key)} ({shown})" if shown else config.where(*key))
    if profile.api_key_command is not None:
        key = (*table, "api_key_command")
        return Sourced(_run_key_command(config, key, profile.api_key_command, timeout), config.where(*key))
    if profile.api_key is not None:
        return Sourced(profile.api_key, config.where(*table, "api_key"))
    return None


def _shown_variable(name: str) -> str | None:
    """The variable's name if it has the usual shape; otherwise it may be the key pasted in the wrong place."""
    return name if _SHOWN_VARIABLE.fullmatch(name) else None


def _run_key_command(config: ConfigFile, key: Key, command: str, timeout: float) -> str:
    """The first line the command prints. Its error output is never shown: it may hold the key."""
    words = shlex.split(command)
    program = Path(words[0]).name
    try:
        result = subprocess.run(
            words, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, shell=False, check=False
        )
    except FileNotFoundError:
        raise config.error(key, f"could not be run: {_quoted(program)} was not found.") from None
    except subprocess.TimeoutExpired:
        raise config.error(key, f"did not finish within {timeout:g} seconds.") from None
    except OSError as error:
        reason = (error.strerror or type(error).__name__).lower()
        raise config.error(key, f"could not be run: {_quoted(program)}: {reason}.") from None
    if result.returncode < 0:
        raise config.error(key, f"was stopped by signal {-result.returncode}.")
    if result.returncode:
        raise config.error(key, f"exited with status {result.returncode}.")
    try:
        output = result.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise config.error(key, "printed something that is not UTF-8 text, not a key.") from None
    lines = output.strip().splitlines()
    if not lines or not lines[0].strip():
        raise config.error(key, "printed nothing: it should print the key.")
    problem = unsendable(lines[0].strip())
    if problem:
        raise config.error(key, f"printed a key that has {problem}, so it cannot be sent to the server.")
    return lines[0].strip()
