"""Settings from the environment like the official SDK, flags on top, Azure's names and URLs."""

from __future__ import annotations

import httpx
import pytest

from batchtui.api.client import DEFAULT_BASE_URL, BatchClient
from batchtui.config import (
    ConfigError,
    ProfileAccount,
    Settings,
    Sourced,
    azure_base_url,
    load_settings,
    validate_base_url,
    validate_page_size,
    validate_refresh,
)

KEY = "sk-test-SECRET-4f9a1c"
AZURE_KEY = "azure-test-SECRET-77b2"

OPENAI_ENV = {
    "OPENAI_API_KEY": KEY,
    "OPENAI_BASE_URL": "https://gateway.example/v1",
    "OPENAI_ORG_ID": "org-env",
    "OPENAI_PROJECT_ID": "proj_env",
}


def test_defaults_without_environment() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert (settings.api_key, settings.base_url, settings.azure, settings.api_version) == (
        None,
        DEFAULT_BASE_URL,
        False,
        None,
    )
    assert (settings.refresh_seconds, settings.page_size) == (5.0, 20)


def test_environment_like_the_sdk() -> None:
    settings = load_settings(OPENAI_ENV)
    assert settings.api_key == KEY
    assert settings.base_url == "https://gateway.example/v1"
    assert (settings.organization, settings.project) == ("org-env", "proj_env")
    assert not settings.azure
    config = settings.client_config()
    assert (config.api_key, config.base_url, config.organization, config.project, config.auth_header) == (
        KEY,
        "https://gateway.example/v1",
        "org-env",
        "proj_env",
        "bearer",
    )


def test_flags_override_the_environment() -> None:
    settings = load_settings(
        OPENAI_ENV,
        base_url="http://localhost:4010",
        organization="org-flag",
        project="proj_flag",
        refresh_seconds=30,
        page_size=100,
    )
    assert (settings.base_url, settings.organization, settings.project) == (
        "http://localhost:4010",
        "org-flag",
        "proj_flag",
    )
    assert (settings.refresh_seconds, settings.page_size) == (30, 100)
    assert settings.api_key == KEY


def test_blank_values_count_as_unset() -> None:
    settings = load_settings({"OPENAI_API_KEY": "  ", "OPENAI_BASE_URL": "", "OPENAI_ORG_ID": " "}, base_url=" ")
    assert (settings.api_key, settings.base_url, settings.organization) == (None, DEFAULT_BASE_URL, None)


def test_values_are_trimmed() -> None:
    settings = load_settings({"OPENAI_API_KEY": f" {KEY}\n", "OPENAI_BASE_URL": " https://g.example/v1 "})
    assert (settings.api_key, settings.base_url) == (KEY, "https://g.example/v1")


def test_the_api_version_is_ignored_for_openai() -> None:
    assert load_settings({**OPENAI_ENV, "OPENAI_API_VERSION": "2024-10-21"}).api_version is None


async def test_settings_reach_the_wire() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    settings = load_settings(OPENAI_ENV, page_size=7)
    async with BatchClient(settings.client_config(), transport=httpx.MockTransport(handler)) as client:
        await client.list_batches(limit=settings.page_size)
    request = seen[0]
    assert str(request.url) == "https://gateway.example/v1/batches?limit=7"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert (request.headers["openai-organization"], request.headers["openai-project"]) == ("org-env", "proj_env")


# Azure

AZURE_ENV = {"AZURE_OPENAI_API_KEY": AZURE_KEY, "AZURE_OPENAI_ENDPOINT": "https://myres.openai.azure.com"}


def test_azure_from_the_environment_uses_the_v1_api() -> None:
    settings = load_settings(AZURE_ENV)
    assert settings.azure
    assert settings.api_key == AZURE_KEY
    assert settings.base_url == "https://myres.openai.azure.com/openai/v1"
    assert settings.api_version is None
    assert settings.client_config().auth_header == "api-key"


def test_azure_with_an_api_version_uses_the_dated_api() -> None:
    settings = load_settings({**AZURE_ENV, "OPENAI_API_VERSION": "2024-10-21"})
    assert settings.base_url == "https://myres.openai.azure.com/openai"
    assert settings.api_version == "2024-10-21"
    assert settings.client_config().api_version == "2024-10-21"


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://myres.openai.azure.com",
        "https://myres.openai.azure.com/",
        "https://myres.openai.azure.com/openai",
        "https://myres.openai.azure.com/openai/v1",
        "https://myres.openai.azure.com/openai/v1/",
    ],
)
def test_azure_endpoint_forms_all_give_one_url(endpoint: str) -> None:
    assert azure_base_url(endpoint, None) == "https://myres.openai.azure.com/openai/v1"
    assert azure_base_url(endpoint, "2024-10-21") == "https://myres.openai.azure.com/openai"


def test_azure_flags() -> None:
    settings = load_settings(
        {"AZURE_OPENAI_API_KEY": AZURE_KEY}, azure_endpoint="https://flagres.openai.azure.com", api_version="2025-01-01"
    )
    assert settings.azure and settings.base_url == "https://flagres.openai.azure.com/openai"
    assert settings.api_version == "2025-01-01"


def test_azure_flag_endpoint_overrides_the_environment() -> None:
    settings = load_settings(AZURE_ENV, azure_endpoint="https://other.openai.azure.com")
    assert settings.base_url == "https://other.openai.azure.com/openai/v1"


def test_azure_falls_back_to_openai_api_key() -> None:
    settings = load_settings({"OPENAI_API_KEY": KEY}, azure=True, azure_endpoint="https://r.openai.azure.com")
    assert settings.api_key == KEY and settings.azure


def test_openai_api_key_wins_over_an_azure_endpoint_alone() -> None:
    # Both sets of variables present: the SDK's own (OpenAI) wins unless --azure says otherwise.
    settings = load_settings({**AZURE_ENV, "OPENAI_API_KEY": KEY})
    assert not settings.azure and settings.api_key == KEY and settings.base_url == DEFAULT_BASE_URL
    azure = load_settings({**AZURE_ENV, "OPENAI_API_KEY": KEY}, azure=True)
    assert azure.azure and azure.api_key == AZURE_KEY


def test_azure_base_url_flag_wins_over_the_endpoint() -> None:
    settings = load_settings(AZURE_ENV, base_url="https://proxy.example/openai/v1")
    assert settings.azure and settings.base_url == "https://proxy.example/openai/v1"


def test_azure_without_an_endpoint_is_an_error() -> None:
    with pytest.raises(ConfigError, match="AZURE_OPENAI_ENDPOINT"):
        load_settings({"AZURE_OPENAI_API_KEY": AZURE_KEY}, azure=True)


async def test_azure_on_the_wire() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    settings = load_settings({**AZURE_ENV, "OPENAI_API_VERSION": "2024-10-21"})
    async with BatchClient(settings.client_config(), transport=httpx.MockTransport(handler)) as client:
        await client.list_batches()
    request = seen[0]
    assert str(request.url) == "https://myres.openai.azure.com/openai/batches?limit=20&api-version=2024-10-21"
    assert request.headers["api-key"] == AZURE_KEY
    assert "authorization" not in request.headers


# Validation


@pytest.mark.parametrize(
    "url", ["api.openai.com/v1", "ftp://files.example/v1", "https://", "http:///v1", "localhost:4010", "://x"]
)
def test_a_bad_base_url_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="http:// or https://"):
        load_settings({}, base_url=url)
    with pytest.raises(ConfigError, match="http:// or https://"):
        load_settings({"OPENAI_BASE_URL": url})


def test_a_bad_azure_endpoint_is_refused() -> None:
    with pytest.raises(ConfigError, match="http:// or https://"):
        load_settings({"AZURE_OPENAI_API_KEY": AZURE_KEY, "AZURE_OPENAI_ENDPOINT": "myres.openai.azure.com"})


@pytest.mark.parametrize(
    ("url", "requested"),
    [
        ("http://localhost:4010", "http://localhost:4010/batches"),
        ("http://localhost:4010/", "http://localhost:4010/batches"),
        ("http://localhost:/v1", "http://localhost/v1/batches"),
        ("http://localhost:1/v1", "http://localhost:1/v1/batches"),
        ("http://localhost:65535/v1/", "http://localhost:65535/v1/batches"),
        ("http://[::1]:4010/v1", "http://[::1]:4010/v1/batches"),
        ("HTTPS://API.OPENAI.COM/v1", "https://api.openai.com/v1/batches"),
        ("https://bücher.example/v1", "https://xn--bcher-kva.example/v1/batches"),
        ("http://gateway_1.internal/openai/v1", "http://gateway_1.internal/openai/v1/batches"),
    ],
)
async def test_an_unusual_but_valid_url_is_kept_as_given_and_works_in_the_client(url: str, requested: str) -> None:
    # No /v1 is added to a bare host: a gateway may serve the API at its root.
    settings = load_settings({"OPENAI_API_KEY": KEY}, base_url=url)
    assert settings.base_url == url
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    async with BatchClient(settings.client_config(), transport=httpx.MockTransport(handler)) as client:
        await client.list_batches()
    assert str(seen[0].url).split("?")[0] == requested


def test_a_refused_url_never_shows_the_secrets_given() -> None:
    for url in (f"http://h:abc/{KEY}", f"http://{KEY}:x/v1", f"http://h/v1?k={KEY}", f"http://{KEY}@h/v1"):
        with pytest.raises(ConfigError) as refused:
            validate_base_url(url, "OPENAI_BASE_URL", secrets=[KEY])
        assert KEY not in str(refused.value) and str(refused.value).startswith("OPENAI_BASE_URL ")


def test_a_very_long_bad_url_is_cut_in_the_message() -> None:
    with pytest.raises(ConfigError) as refused:
        validate_base_url("http://h:abc/" + "x" * 5000)
    assert len(str(refused.value)) < 250 and "…" in str(refused.value)


@pytest.mark.parametrize("value", [0, -1, 0.5, 3601, float("inf"), float("nan")])
def test_refresh_out_of_range(value: float) -> None:
    with pytest.raises(ConfigError, match="--refresh must be between 1 and 3600 seconds"):
        validate_refresh(value)


@pytest.mark.parametrize("value", [1, 2.5, 3600])
def test_refresh_in_range(value: float) -> None:
    assert validate_refresh(value) == value


@pytest.mark.parametrize("value", [0, -5, 101])
def test_page_size_out_of_range(value: int) -> None:
    with pytest.raises(ConfigError, match=f"--page-size must be between 1 and 100, not {value}"):
        validate_page_size(value)


def test_page_size_bounds_are_inclusive() -> None:
    assert (validate_page_size(1), validate_page_size(100)) == (1, 100)


@pytest.mark.parametrize(
    ("base_url", "label"),
    [
        ("https://api.openai.com/v1", "api.openai.com/v1"),
        ("http://127.0.0.1:4010/", "127.0.0.1:4010"),
        ("https://myres.openai.azure.com/openai/v1", "myres.openai.azure.com/openai/v1"),
    ],
)
def test_server_label(base_url: str, label: str) -> None:
    assert Settings(base_url=base_url).server_label == label


def test_settings_repr_hides_the_key() -> None:
    settings = load_settings({**AZURE_ENV})
    assert AZURE_KEY not in repr(settings) and AZURE_KEY not in repr(settings.client_config())
    assert KEY not in repr(load_settings(OPENAI_ENV))


# A config file's profile, beneath the flags and the environment

PROFILE = ProfileAccount(
    base_url=Sourced("https://profile.example/v1", "config.toml line 3: profiles.p.base_url"),
    organization=Sourced("org-profile", "config.toml line 4: profiles.p.organization"),
    api_key=Sourced("sk-profile-key", "config.toml line 5: profiles.p.api_key_env (P_KEY)"),
)


def test_the_profile_fills_what_the_environment_and_flags_leave_unset() -> None:
    settings = load_settings({"OPENAI_ORG_ID": "org-env"}, project="proj_flag", profile=PROFILE)
    assert (settings.base_url, settings.organization, settings.project) == (
        "https://profile.example/v1",
        "org-env",
        "proj_flag",
    )


def test_a_profiles_own_key_beats_the_environments() -> None:
    settings = load_settings({"OPENAI_API_KEY": KEY, "AZURE_OPENAI_API_KEY": AZURE_KEY}, profile=PROFILE)
    assert settings.api_key == "sk-profile-key"
    assert load_settings({"OPENAI_API_KEY": KEY}, profile=ProfileAccount()).api_key == KEY


def test_a_bad_profile_value_is_blamed_on_its_line() -> None:
    bad = ProfileAccount(base_url=Sourced("api.example", "config.toml line 3: profiles.p.base_url"))
    with pytest.raises(ConfigError, match=r"^config\.toml line 3: profiles\.p\.base_url must start with http"):
        load_settings({}, profile=bad)
    key = ProfileAccount(api_key=Sourced(f"{KEY}\n", "config.toml line 5: profiles.p.api_key"))
    with pytest.raises(ConfigError, match=r"^config\.toml line 5: profiles\.p\.api_key has a space") as refused:
        load_settings({}, profile=key)
    assert KEY not in str(refused.value)


def test_an_azure_profile() -> None:
    endpoint = ProfileAccount(azure_endpoint=Sourced("https://r.openai.azure.com", "profiles.a.azure_endpoint"))
    settings = load_settings({"OPENAI_API_KEY": KEY, "AZURE_OPENAI_API_KEY": AZURE_KEY}, profile=endpoint)
    assert settings.azure and settings.api_key == AZURE_KEY
    assert settings.base_url == "https://r.openai.azure.com/openai/v1"
    proxy = ProfileAccount(base_url=Sourced("https://proxy.example/openai/v1", "profiles.a.base_url"), azure=True)
    settings = load_settings({"AZURE_OPENAI_API_KEY": AZURE_KEY}, profile=proxy)
    assert settings.azure and settings.base_url == "https://proxy.example/openai/v1"
    assert settings.client_config().auth_header == "api-key"


def test_an_openai_profile_stays_openai_beside_azure_variables() -> None:
    environ = {"AZURE_OPENAI_API_KEY": AZURE_KEY, "AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com"}
    settings = load_settings(environ, profile=PROFILE)
    assert not settings.azure and settings.base_url == "https://profile.example/v1"


def test_each_profile_has_its_own_index_and_no_profile_keeps_the_old_one() -> None:
    plain = Settings(base_url="https://same.example/v1")
    work, home = (Settings(base_url="https://same.example/v1", profile=name) for name in ("work", "home"))
    assert len({plain.index_path(), work.index_path(), home.index_path()}) == 3
    assert work.index_path() == Settings(base_url="https://same.example/v1", profile="work").index_path()


@pytest.mark.parametrize("pasted", ["sk-review-1234567890abcdef", "0123456789abcdef0123456789abcdef"])
def test_a_key_pasted_where_the_base_url_goes_is_not_quoted_back(pasted):
    with pytest.raises(ConfigError) as caught:
        validate_base_url(pasted, "OPENAI_BASE_URL")
    message = str(caught.value)
    assert pasted not in message and pasted[:8] not in message
    assert "must start with http:// or https://" in message and "looks like a key" in message
