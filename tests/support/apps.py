"""The one way to build a BatchApp for a test: with its own BatchClient over a fake transport or a real URL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

import httpx

from batchtui.api.client import BatchClient, Timeouts
from batchtui.api.retry import RetryPolicy
from batchtui.clock import Clock, ManualClock
from batchtui.config import Settings
from batchtui.ui.app import BatchApp
from batchtui.ui.history import History
from tests.support.batches import NOW
from tests.support.keys import FAKE_KEY

FAKE_URL = "http://fake.test/v1"
NO_RETRIES = RetryPolicy(max_retries=0)

Sleep = Callable[[float], Awaitable[None]]


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
) -> BatchApp:
    """A BatchApp on `clock` (the fixed NOW unless given), refreshing hourly unless told otherwise.

    Over `transport` (a fake in memory) the client retries nothing unless `retry` says so, so a test sees
    every request it causes. Over `base_url` alone (the simulator, a server on loopback) it is the client the
    app builds from its settings, the default retries included. `sleep` paces the history walk; `retry_sleep`
    is the client's wait between retries.
    """
    settings = Settings(api_key=key, base_url=base_url, page_size=page_size, refresh_seconds=refresh)
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
    )
