"""The one way to build a BatchApp for a test: with its own BatchClient over a fake transport or a real URL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path

import httpx

from batchtui.api.client import BatchClient, Timeouts
from batchtui.api.retry import RetryPolicy
from batchtui.clock import Clock, ManualClock
from batchtui.config import ConfigError, Settings
from batchtui.ui.app import BatchApp, connect
from batchtui.ui.history import History
from tests.support.batches import NOW
from tests.support.keys import FAKE_KEY

FAKE_URL = "http://fake.test/v1"
NO_RETRIES = RetryPolicy(max_retries=0)

Sleep = Callable[[float], Awaitable[None]]
Connect = Callable[[Settings], BatchClient]


def build_app(
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    base_url: str = FAKE_URL,
    key: str = FAKE_KEY,
    page_size: int = 20,
    refresh: float = 3600.0,
    clock: Clock | None = None,
    history: History | None = None,
    sleep: Sleep = asyncio.sleep,
    retry: RetryPolicy | None = None,
    retry_sleep: Sleep = asyncio.sleep,
    timeouts: Timeouts | None = None,
    server_label: str | None = None,
    settings: Settings | None = None,
    connect_profile: Connect | None = None,
) -> BatchApp:
    """A BatchApp on `clock` (the fixed NOW unless given), refreshing hourly unless told otherwise.

    Over `transport` (a fake in memory) the client retries nothing unless `retry` says so, so a test sees
    every request it causes. Over `base_url` alone (the simulator, a server on loopback) it is the client the
    app builds from its settings, the default retries included. `sleep` paces the history walk; `retry_sleep`
    is the client's wait between retries.

    `settings` (with_profiles' for instance) replaces those built from key, base_url, page_size and refresh;
    `connect_profile` builds the client of each profile, the first one's included (connect_over's).
    """
    settings = settings or Settings(api_key=key, base_url=base_url, page_size=page_size, refresh_seconds=refresh)
    if connect_profile is not None:
        client = connect_profile(settings)
    else:
        config = settings.client_config()
        if retry is not None or transport is not None:
            config = replace(config, retry=retry or NO_RETRIES)
        if timeouts is not None:
            config = replace(config, timeouts=timeouts)
        client = BatchClient(config, transport=transport, sleep=retry_sleep)
    return BatchApp(
        settings,
        client=client,
        clock=clock or ManualClock(NOW),
        history=history,
        sleep=sleep,
        server_label=server_label,
        connect=connect_profile or connect,
    )


def with_profiles(
    profiles: Mapping[str, Settings | ConfigError], current: str, *, config_path: Path | None = None
) -> Settings:
    """The settings of profile `current`, knowing them all: load_profile(name) gives that profile's settings,
    or raises its ConfigError, as the config file's loader does."""
    names = tuple(profiles)

    def load(name: str) -> Settings:
        chosen = profiles[name]
        if isinstance(chosen, ConfigError):
            raise chosen
        return replace(chosen, profile=name, profile_names=names, load_profile=load, config_path=config_path)

    return load(current)


def connect_over(transports: Mapping[str, httpx.AsyncBaseTransport]) -> Connect:
    """Each profile's client over the fake transport of its base URL, retrying nothing."""

    def connect_profile(settings: Settings) -> BatchClient:
        config = replace(settings.client_config(), retry=NO_RETRIES)
        return BatchClient(config, transport=transports[settings.base_url])

    return connect_profile
