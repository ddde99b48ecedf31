"""Settings from the environment, like the official SDK, with command-line flags on top.

No network here: this only decides what to connect to and how.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
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
        )

    def index_path(self) -> Path:
        """This account's index file: one per base URL, organization and project; the key is no part of it."""
        return index_path(cache_dir(), self.base_url, self.organization, self.project)

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


def validate_refresh(value: float) -> float:
    if not (MIN_REFRESH <= value <= MAX_REFRESH):
        raise ConfigError(f"--refresh must be between {MIN_REFRESH:g} and {MAX_REFRESH:g} seconds, not {value:g}.")
    return value


def validate_page_size(value: int) -> int:
    if not (MIN_PAGE_SIZE <= value <= MAX_PAGE_SIZE):
        raise ConfigError(f"--page-size must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}, not {value}.")
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
        # The reason can quote the host, and a key pasted into the wrong variable can be the host.
        raise ConfigError(_redacted(f"{source} {problem}: {_shown_url(value, secrets)}.", secrets))
    return value


def _base_url_problem(value: str) -> str | None:
    character = _bad_character(value)
    if character:
        return f"has {character}"
    try:
        parts = urlsplit(value)
    except ValueError as error:
        return "has a [ without its ] in the host" if "IPv6" in str(error) else "has a host name that is not valid"
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
) -> Settings:
    """Flags (the keyword arguments) override the environment."""
    env = {name: _clean(environ.get(name)) for name in _ENV_NAMES}
    endpoint, endpoint_source = _chosen(azure_endpoint, "--azure-endpoint", env, "AZURE_OPENAI_ENDPOINT")
    use_azure = azure or bool(azure_endpoint) or (endpoint is not None and env["OPENAI_API_KEY"] is None)
    version, version_source = _chosen(api_version, "--api-version", env, "OPENAI_API_VERSION")
    if version_source == "OPENAI_API_VERSION" and not use_azure:
        version = None
    key_variable = "AZURE_OPENAI_API_KEY" if use_azure and env["AZURE_OPENAI_API_KEY"] else "OPENAI_API_KEY"
    # Every key in the environment, not just the one in use: a message must show none of them.
    secrets = [value for name, value in env.items() if name.endswith("_API_KEY") and value]
    url, url_source = _chosen(base_url, "--base-url", env, "OPENAI_BASE_URL")
    from_endpoint = use_azure and url_source != "--base-url"
    if from_endpoint:
        if endpoint is None:
            raise ConfigError("Azure needs an endpoint: set AZURE_OPENAI_ENDPOINT or pass --azure-endpoint.")
        url, url_source = endpoint, endpoint_source
    url = validate_base_url(url or DEFAULT_BASE_URL, url_source, secrets=secrets, key_variable=key_variable)
    organization, organization_source = _chosen(organization, "--org", env, "OPENAI_ORG_ID")
    project, project_source = _chosen(project, "--project", env, "OPENAI_PROJECT_ID")
    return Settings(
        api_key=_plain_value(env[key_variable], key_variable),
        base_url=azure_base_url(url, version) if from_endpoint else url,
        organization=_plain_value(organization, organization_source),
        project=_plain_value(project, project_source),
        azure=use_azure,
        api_version=_plain_value(version, version_source, header=False),
        refresh_seconds=validate_refresh(refresh_seconds),
        page_size=validate_page_size(page_size),
    )


def _chosen(flag: str | None, flag_name: str, env: Mapping[str, str | None], variable: str) -> tuple[str | None, str]:
    """The flag if given, else the environment variable, and the name to blame in a message."""
    value = _clean(flag)
    return (value, flag_name) if value else (env[variable], variable)


def _plain_value(value: str | None, name: str, *, header: bool = True) -> str | None:
    problem = value and _bad_character(value, ascii_only=header)
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
