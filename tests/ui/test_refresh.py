"""Refreshing by hand while a refresh is in flight asks the server nothing more."""

from __future__ import annotations

import asyncio

import httpx

from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI


class GatedAPI:
    """The fake API, except that list requests wait at a gate the test opens."""

    def __init__(self, api: FakeAPI) -> None:
        self.api = api
        self.gate = asyncio.Event()
        self.gate.set()
        self.waiting = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.endswith("/batches"):
            self.waiting += 1
            await self.gate.wait()
            self.waiting -= 1
        return self.api.handle(request)


async def test_r_during_a_slow_refresh_does_not_start_another() -> None:
    api = FakeAPI(batches=[numbered_batch(i) for i in range(5)])
    gated = GatedAPI(api)
    app = build_app(transport=httpx.MockTransport(gated.handle))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        assert api.count("GET", "/batches") == 1
        gated.gate.clear()
        await pilot.press("r")
        while not gated.waiting:
            await pilot.pause()
        await pilot.press("r", "r", "r", "r", "r")
        await pilot.pause()
        assert gated.waiting == 1
        gated.gate.set()
        await settle(app, pilot)
        assert api.count("GET", "/batches") == 2
        assert app.screen.fetching is False
        await pilot.press("r")
        await settle(app, pilot)
        assert api.count("GET", "/batches") == 3
