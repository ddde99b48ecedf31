"""Settings from the environment, like the official SDK, with command-line flags on top.

No network here: this only decides what to connect to and how.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from batchtui.api.client import DEFAULT_BASE_URL, ClientConfig

MIN_REFRESH = 1.0
MAX_REFRESH = 3600.0
MIN_PAGE_SIZE = 1
MAX_PAGE_SIZE = 100


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

    def client_config(self) -> ClientConfig:
        return ClientConfig(
            api_key=self.api_key,
            base_url=self.base_url,
            organization=self.organization,
            project=self.project,
            auth_header="api-key" if self.azure else "bearer",
            api_version=self.api_version,
        )

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


def validate_base_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"The base URL must start with http:// or https:// and name a host, not {value!r}.")
    return value


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
    endpoint = _clean(azure_endpoint) or env["AZURE_OPENAI_ENDPOINT"]
    use_azure = azure or bool(azure_endpoint) or (endpoint is not None and env["OPENAI_API_KEY"] is None)
    version = _clean(api_version) or (env["OPENAI_API_VERSION"] if use_azure else None)
    if use_azure:
        key = env["AZURE_OPENAI_API_KEY"] or env["OPENAI_API_KEY"]
        if _clean(base_url):
            url = _clean(base_url)
        elif endpoint:
            url = azure_base_url(endpoint, version)
        else:
            raise ConfigError("Azure needs an endpoint: set AZURE_OPENAI_ENDPOINT or pass --azure-endpoint.")
    else:
        key = env["OPENAI_API_KEY"]
        url = _clean(base_url) or env["OPENAI_BASE_URL"] or DEFAULT_BASE_URL
    return Settings(
        api_key=key,
        base_url=validate_base_url(url),
        organization=_clean(organization) or env["OPENAI_ORG_ID"],
        project=_clean(project) or env["OPENAI_PROJECT_ID"],
        azure=use_azure,
        api_version=version,
        refresh_seconds=validate_refresh(refresh_seconds),
        page_size=validate_page_size(page_size),
    )


_ENV_NAMES = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "AZURE_OPENAI_API_KEY",
    "AZURE_OPENAI_ENDPOINT",
    "OPENAI_API_VERSION",
)
