"""Settings from the environment, like the official SDK, with command-line flags on top.

No network here: this only decides what to connect to and how.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin, urlsplit

import httpx

from batchtui.api.client import DEFAULT_BASE_URL, ClientConfig
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.paths import cache_dir
from batchtui.store.database import index_path

MIN_REFRESH = 1.0
MAX_REFRESH = 3600.0
MIN_PAGE_SIZE = 1
MAX_PAGE_SIZE = 100
MAX_SHOWN = 120  # characters of a bad URL quoted back in a message
REDACTED = "«redacted key»"
BAD_PORT = "has a port that is not a number from 1 to 65535"


class ConfigError(ValueError):
    """A setting the user gave cannot be used; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    organization: str | None = None
    project: str | None = None
    azure: bool = False
    api_version: str | None = None
    refresh_seconds: float = 5.0
    page_size: int = 20
    # Keep a local index of every batch seen (the command line turns it on unless --no-cache).
    index: bool = False
    # The profile in use (None: the environment alone, no config file or no profile chosen).
    profile: str | None = None
    # No cancel, no create, no retry-create: nothing that sends a POST.
    read_only: bool = False
    # A toast, the bell and a desktop notification when a watched batch ends.
    notify: bool = True
    theme: str | None = None
    # Binding id -> key(s), as Textual's App.set_keymap takes them.
    keymap: Mapping[str, str] = field(default_factory=dict)
    stuck: StuckThresholds = DEFAULT_THRESHOLDS
    # The config file these settings came from (the palette writes a chosen theme back to it).
    config_path: Path | None = None
    # Every profile's name in the config file, and how to build the settings of one (for switching at runtime).
    profile_names: tuple[str, ...] = ()
    load_profile: Callable[[str], Settings] | None = field(default=None, repr=False, compare=False)

    def client_config(self) -> ClientConfig:
        return ClientConfig(
            api_key=self.api_key,
            base_url=self.base_url,
            organization=self.organization,
            project=self.project,
            auth_header="api-key" if self.azure else "bearer",
            api_version=self.api_version,
            read_only=self.read_only,
        )

    def index_path(self) -> Path:
        """This account's index file: one per base URL, organization, project and profile; the key is no part of it."""
        path = index_path(cache_dir(), self.base_url, self.organization, self.project)
        if self.profile is None:
            return path  # the name it had before profiles existed, so an existing index is kept
        # Two profiles may name the same account (say, one read-only): each still keeps its own index.
        digest = hashlib.sha256(self.profile.encode("utf-8")).hexdigest()[:12]
        return path.with_name(f"{path.stem}-{digest}{path.suffix}")

    @property
    def server_label(self) -> str:
        """Where we are connected, for the title bar: scheme and host, never the key."""
        parts = urlsplit(self.base_url)
        # hostname and port, not netloc: a user:key@ in the URL must not reach the title bar.
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        return f"{host}{port}{parts.path.rstrip('/')}" or "the configured server"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def azure_base_url(endpoint: str, api_version: str | None) -> str:
    """Azure's v1 API lives at /openai/v1; the older dated API at /openai with ?api-version."""
    root = endpoint.rstrip("/")
    if root.endswith("/openai/v1") or root.endswith("/openai"):
        root = root.rsplit("/openai", 1)[0]
    return f"{root}/openai" if api_version else f"{root}/openai/v1"


def validate_refresh(value: float, name: str = "--refresh") -> float:
    if not (MIN_REFRESH <= value <= MAX_REFRESH):
        raise ConfigError(f"{name} must be between {MIN_REFRESH:g} and {MAX_REFRESH:g} seconds, not {value:g}.")
    return value


def validate_page_size(value: int, name: str = "--page-size") -> int:
    if not (MIN_PAGE_SIZE <= value <= MAX_PAGE_SIZE):
        raise ConfigError(f"{name} must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}, not {value}.")
    return value


def validate_base_url(
    value: str,
    source: str = "The base URL",
    *,
    secrets: Collection[str] = (),
    key_variable: str = "OPENAI_API_KEY",
) -> str:
    """The URL as given, if the client can use it; otherwise one line that never shows a key or password."""
    if "@" in _authority(value):
        raise ConfigError(
            f"{source} has a user name or password in it ({_shown_url(value, secrets)}); "
            f"batchtui does not send those: put the key in {key_variable} instead."
        )
    problem = _base_url_problem(value)
    if problem:
        if _could_be_a_key(value):
            raise ConfigError(f"{source} {problem} (what it holds is not shown: it looks like a key, not a URL).")
        # The reason can quote the host, and a key pasted into the wrong variable can be the host.
        raise ConfigError(_redacted(f"{source} {problem}: {_shown_url(value, secrets)}.", secrets))
    return value


def _could_be_a_key(value: str) -> bool:
    """A key pasted where the URL goes: OpenAI's start with sk-, and a host or URL has a dot, a slash or a colon."""
    text = value.strip()
    return text.startswith("sk-") or (len(text) >= 20 and not any(mark in text for mark in "./:"))


def _base_url_problem(value: str) -> str | None:
    character = _bad_character(value)
    if character:
        return f"has {character}"
    # The brackets of an IPv6 host are checked here rather than left to urlsplit, which refuses different
    # hosts on different Pythons (Debian 12's 3.11.2 refuses "[::1]x", 3.11.7 takes it): the same words on each.
    before, bracket, after = _authority(value).partition("[")
    if bracket and "]" not in after:
        return "has a [ without its ] in the host"
    if "]" in before:
        return "has a ] without its [ in the host"
    if bracket and after.partition("]")[2][:1] not in ("", ":"):
        return "has something after the ] of its host where only a :port can go"
    try:
        parts = urlsplit(value)
    except ValueError:
        return "has a host name that is not valid"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must start with http:// or https:// and name a host"
    if "?" in value or "#" in value:
        # urljoin would put the API's paths in place of the last segment, losing the /v1.
        return "cannot have a query (?…) or a fragment (#…), since the API's paths go after it"
    try:
        port = parts.port
    except ValueError:
        return BAD_PORT
    if port == 0:
        return BAD_PORT
    try:
        # The same join and URL type the client's requests use, so nothing that passes here fails there.
        host = httpx.URL(urljoin(value.rstrip("/") + "/", "batches")).host
    except (ValueError, httpx.InvalidURL) as error:
        reason = str(error).split(":")[0].rstrip(".")
        return f"is not a URL httpx can use ({reason[:1].lower()}{reason[1:]})"
    return None if host else "must start with http:// or https:// and name a host"


def _authority(value: str) -> str:
    """What sits between // and the path, without the parsing that can fail on a malformed host."""
    _, slashes, rest = value.partition("//")
    return re.split(r"[/?#]", rest, maxsplit=1)[0] if slashes else ""


def _shown_url(value: str, secrets: Collection[str]) -> str:
    """The URL for a message: no key, nothing before an @, no query, on one line."""
    value = _redacted(value, secrets)
    start = value.find("//") + 2 if "//" in value else 0
    at = value.rfind("@")
    if at >= start:
        value = f"{value[:start]}…{value[at:]}"
    query = re.search(r"[?#]", value)
    if query:
        value = f"{value[: query.start()]}{query.group()}…"
    if len(value) > MAX_SHOWN:
        value = f"{value[:MAX_SHOWN]}…"
    return repr(value)


def _bad_character(text: str, *, ascii_only: bool = False) -> str | None:
    """Why text cannot go into a URL or header, naming the position, never the text."""
    for position, char in enumerate(text, 1):
        if "\udc80" <= char <= "\udcff":
            return f"a byte that is not UTF-8 text (character {position})"
        if char.isspace():
            return f"a space or line break (character {position})"
        if not char.isprintable():
            return f"a control or invisible character (character {position})"
        if ascii_only and not char.isascii():
            return f"a character that is not ASCII (character {position})"
    return None


def _redacted(text: str, secrets: Collection[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class Sourced(NamedTuple):
    """A value and the place to blame when it is wrong (a flag, a variable, a line of the config file)."""

    value: str
    source: str


@dataclass(frozen=True)
class ProfileAccount:
    """What a config file's profile says about the account: beneath the flags and the environment."""

    base_url: Sourced | None = None
    azure_endpoint: Sourced | None = None
    api_version: Sourced | None = None
    organization: Sourced | None = None
    project: Sourced | None = None
    # The api-key header, for a base_url that is a proxy in front of Azure.
    azure: bool = False
    # The profile's own key (from its api_key_env, api_key_command or api_key): the environment's is then unused.
    api_key: Sourced | None = field(default=None, repr=False)

    @property
    def names_a_server(self) -> bool:
        return self.base_url is not None or self.azure_endpoint is not None or self.azure


def load_settings(
    environ: Mapping[str, str],
    *,
    base_url: str | None = None,
    organization: str | None = None,
    project: str | None = None,
    azure: bool = False,
    azure_endpoint: str | None = None,
    api_version: str | None = None,
    refresh_seconds: float = 5.0,
    page_size: int = 20,
    profile: ProfileAccount | None = None,
) -> Settings:
    """Flags (the keyword arguments) override the environment, which overrides the profile.

    A key never goes to a server it was not configured for: a profile with a key of its own always
    uses that key, and the environment's OPENAI_API_KEY and AZURE_OPENAI_API_KEY only stand in for a
    profile that names no key.
    """
    env = {name: _clean(environ.get(name)) for name in _ENV_NAMES}
    account = profile or ProfileAccount()
    endpoint, endpoint_source = _first(
        (azure_endpoint, "--azure-endpoint"),
        (env["AZURE_OPENAI_ENDPOINT"], "AZURE_OPENAI_ENDPOINT"),
        account.azure_endpoint,
    )
    if azure or _clean(azure_endpoint):
        use_azure = True
    elif account.names_a_server:
        # The profile says which kind of server it is; an Azure variable left in the shell does not change that.
        use_azure = account.azure or account.azure_endpoint is not None
    else:
        use_azure = env["AZURE_OPENAI_ENDPOINT"] is not None and env["OPENAI_API_KEY"] is None
    version, version_source = _first(
        (api_version, "--api-version"), (env["OPENAI_API_VERSION"], "OPENAI_API_VERSION"), account.api_version
    )
    if version_source == "OPENAI_API_VERSION" and not use_azure:
        version = None
    key_variable = "AZURE_OPENAI_API_KEY" if use_azure and env["AZURE_OPENAI_API_KEY"] else "OPENAI_API_KEY"
    key, key_source = account.api_key or (env[key_variable], key_variable)
    # Every key in sight, not just the one in use: a message must show none of them.
    secrets = [value for name, value in env.items() if name.endswith("_API_KEY") and value]
    secrets += [account.api_key.value] if account.api_key else []
    url, url_source = _first((base_url, "--base-url"), (env["OPENAI_BASE_URL"], "OPENAI_BASE_URL"), account.base_url)
    from_endpoint = False
    if use_azure and url_source != "--base-url":
        if endpoint is not None:
            url, url_source, from_endpoint = endpoint, endpoint_source, True
        elif account.base_url is not None:
            url, url_source = account.base_url  # a proxy in front of Azure
        else:
            raise ConfigError("Azure needs an endpoint: set AZURE_OPENAI_ENDPOINT or pass --azure-endpoint.")
    url = validate_base_url(url or DEFAULT_BASE_URL, url_source, secrets=secrets, key_variable=key_variable)
    organization, organization_source = _first(
        (organization, "--org"), (env["OPENAI_ORG_ID"], "OPENAI_ORG_ID"), account.organization
    )
    project, project_source = _first(
        (project, "--project"), (env["OPENAI_PROJECT_ID"], "OPENAI_PROJECT_ID"), account.project
    )
    return Settings(
        api_key=sendable_value(key, key_source),
        base_url=azure_base_url(url, version) if from_endpoint else url,
        organization=sendable_value(organization, organization_source),
        project=sendable_value(project, project_source),
        azure=use_azure,
        api_version=sendable_value(version, version_source, header=False),
        refresh_seconds=validate_refresh(refresh_seconds),
        page_size=validate_page_size(page_size),
    )


def unsendable(value: str, *, header: bool = True) -> str | None:
    """Why value cannot go into a request (a header unless header=False), by position only; None if it can."""
    return _bad_character(value, ascii_only=header)


def _first(*candidates: tuple[str | None, str] | None) -> tuple[str | None, str]:
    """The first value given (flag, variable, profile), and the name to blame in a message."""
    named = [candidate for candidate in candidates if candidate is not None]
    for value, source in named:
        cleaned = _clean(value)
        if cleaned:
            return cleaned, source
    # Nothing given: blame the variable, as before profiles, should the default ever be refused.
    return None, named[min(1, len(named) - 1)][1]


def sendable_value(value: str | None, name: str, *, header: bool = True) -> str | None:
    """The value, if it can go into a request (a header unless header=False); the message never shows it."""
    problem = value and unsendable(value, header=header)
    if problem:
        # Named by position only: the value may be the key.
        raise ConfigError(f"{name} has {problem}, so it cannot be sent to the server; check what was pasted into it.")
    return value


_ENV_NAMES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
)
