"""Two accounts on two simulators: switching profiles back and forth never sends one profile's key to the other's
server, and after a switch the table holds only the new account's batches."""

from __future__ import annotations

import pytest

from batchtui.config import Settings
from batchtui.paths import CACHE_ENV
from batchtui.sim import SimConfig, Simulator
from batchtui.ui.screens.batches import BatchesScreen
from tests.e2e.support import rows
from tests.support.apps import build_app, with_profiles
from tests.support.waiting import settle, wait_until

KEY_A = "sk-e2e-profile-a-not-a-real-key"
KEY_B = "sk-e2e-profile-b-not-a-real-key"


@pytest.fixture
def server_a(clock):
    with Simulator(SimConfig(seed=21, api_key=KEY_A, batch_count=30), clock=clock) as sim:
        yield sim


@pytest.fixture
def server_b(clock):
    with Simulator(SimConfig(seed=22, api_key=KEY_B, batch_count=30), clock=clock) as sim:
        yield sim


def ids_of(simulator) -> set[str]:
    return {batch["id"] for batch in simulator.batches()}


def keys_sent(simulator) -> set[str]:
    return {request.headers.get("authorization", "") for request in simulator.requests}


async def switch_to(app, pilot, name: str) -> BatchesScreen:
    before = app.screen
    app.switch_profile(name)
    await wait_until(pilot, lambda: app.screen is not before and isinstance(app.screen, BatchesScreen))
    await wait_until(pilot, lambda: app.screen.page is not None)
    await settle(app, pilot)
    assert app.settings.profile == name
    return app.screen


async def test_switching_back_and_forth_keeps_each_key_on_its_own_server(
    server_a, server_b, clock, tmp_path, monkeypatch
):
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))  # each profile's index in a folder of the test's own
    profiles = {
        "a": Settings(api_key=KEY_A, base_url=server_a.base_url, refresh_seconds=3600, index=True),
        "b": Settings(api_key=KEY_B, base_url=server_b.base_url, refresh_seconds=3600, index=True),
    }
    assert ids_of(server_a).isdisjoint(ids_of(server_b))
    app = build_app(settings=with_profiles(profiles, "a"), clock=clock)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.screen.page is not None)
        await settle(app, pilot)
        assert set(rows(app)) <= ids_of(server_a)
        a_requests = len(server_a.requests)
        a_index = app.history.path

        await switch_to(app, pilot, "b")
        shown = set(rows(app))
        assert shown and shown <= ids_of(server_b)
        assert app.screen.history is app.history and app.history.path != a_index  # one index per profile
        assert server_b.requests, "the new profile's server was never asked"

        await switch_to(app, pilot, "a")
        shown = set(rows(app))
        assert shown and shown <= ids_of(server_a)
        assert len(server_a.requests) > a_requests, "back on a, its server was asked again"
        assert app.history.path == a_index

    assert keys_sent(server_a) == {f"Bearer {KEY_A}"}
    assert keys_sent(server_b) == {f"Bearer {KEY_B}"}
    assert all(request.status != 401 for request in [*server_a.requests, *server_b.requests])
