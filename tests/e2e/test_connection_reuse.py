"""Refreshes reuse one kept-alive connection: with httpx's default expiry (5 s, the default refresh interval)
every refresh opened a new one, which against the real API is a TLS handshake each time."""

from __future__ import annotations

import time

from batchtui.api.client import KEEPALIVE_SECONDS, BatchClient, ClientConfig
from batchtui.config import Settings
from tests.e2e.support import KEY


class ShiftedMonotonic:
    """The monotonic clock, by which httpcore ages idle connections, moved forward by hand instead of waiting."""

    def __init__(self, real) -> None:
        self.real = real
        self.offset = 0.0

    def __call__(self) -> float:
        return self.real() + self.offset


async def test_refreshes_a_refresh_interval_apart_share_one_connection(simulator, monkeypatch):
    clock = ShiftedMonotonic(time.monotonic)
    monkeypatch.setattr(time, "monotonic", clock)
    async with BatchClient(ClientConfig(api_key=KEY, base_url=simulator.base_url)) as client:
        for _ in range(3):
            await client.list_batches(limit=5)
            clock.offset += Settings.refresh_seconds + 1  # the default interval, and a second more
    lists = [r for r in simulator.requests if r.path == "/v1/batches"]
    assert len(lists) == 3
    assert len({r.client_port for r in lists}) == 1


async def test_a_connection_idle_longer_than_the_expiry_is_not_reused(simulator, monkeypatch):
    clock = ShiftedMonotonic(time.monotonic)
    monkeypatch.setattr(time, "monotonic", clock)
    async with BatchClient(ClientConfig(api_key=KEY, base_url=simulator.base_url)) as client:
        await client.list_batches(limit=5)
        clock.offset += KEEPALIVE_SECONDS + 1
        await client.list_batches(limit=5)
    lists = [r for r in simulator.requests if r.path == "/v1/batches"]
    assert len({r.client_port for r in lists}) == 2
