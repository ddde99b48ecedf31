"""The local index against the simulator over loopback: the whole history, a restart, search deep down,
what steady state costs, and an index file that is damaged, shared or cannot be written."""

from __future__ import annotations

import sqlite3

import pytest

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.sim import SimConfig, Simulator
from batchtui.ui.app import BatchApp
from batchtui.ui.history import History
from tests.e2e.support import KEY
from tests.support.apps import build_app
from tests.support.notifications import heard_notifications
from tests.support.waiting import settle, wait_until

HISTORY_SIZE = 1_500  # 75 pages of 20: a batch 60 pages down is batch 1,200
# For the tests about the index file itself (damaged, unwritable, what is in it): a walk of three pages of 100.
SMALL_HISTORY = 300


@pytest.fixture
def big_account(clock):
    with Simulator(SimConfig(seed=5, api_key=KEY, batch_count=HISTORY_SIZE), clock=clock) as sim:
        yield sim


@pytest.fixture
def small_account(clock):
    with Simulator(SimConfig(seed=5, api_key=KEY, batch_count=SMALL_HISTORY), clock=clock) as sim:
        yield sim


def app_with_index(simulator, clock, path, *, refresh: float = 3600.0) -> BatchApp:
    async def sleep(seconds: float) -> None:
        clock.advance(max(seconds, 0.0))  # the walk's pacing moves the simulated clock, not the test's

    return build_app(
        base_url=simulator.base_url, key=KEY, refresh=refresh, clock=clock, history=History(path), sleep=sleep
    )


def list_requests(simulator) -> list:
    return [r for r in simulator.requests if r.method == "GET" and r.path.endswith("/batches")]


async def all_batches(simulator) -> list:
    async with BatchClient(ClientConfig(api_key=KEY, base_url=simulator.base_url)) as client:
        return [batch async for page in client.iter_batches(limit=100) for batch in page.data]


async def test_the_walk_indexes_the_whole_history_and_a_restart_resumes_without_walking_again(
    big_account, clock, tmp_path
):
    path = tmp_path / "index.sqlite3"
    app = app_with_index(big_account, clock, path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete, timeout=60)
        assert app.history.indexed == HISTORY_SIZE
        walked = [r for r in list_requests(big_account) if r.query.get("limit") == "100"]
        assert len(walked) <= HISTORY_SIZE // 100 + 1
    # Interrupted half-way, a later run picks up where the walk stopped.
    state = sqlite3.connect(path).execute("SELECT count(*) FROM batches").fetchone()[0]
    assert state == HISTORY_SIZE

    before = len(list_requests(big_account))
    again = app_with_index(big_account, clock, path)
    async with again.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: again.screen.pager.page is not None)
        await settle(again, pilot)
        assert again.history.state.history_complete
        # Only what is new on top: the visible page (and nothing older than what is indexed).
        assert len(list_requests(big_account)) - before <= 2


async def test_a_walk_cut_short_resumes_from_its_cursor(big_account, clock, tmp_path):
    path = tmp_path / "index.sqlite3"
    app = app_with_index(big_account, clock, path)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.backfill_pages >= 4, timeout=60)
    cut = sqlite3.connect(path).execute("SELECT count(*) FROM batches").fetchone()[0]
    assert 0 < cut < HISTORY_SIZE
    first_run = len(list_requests(big_account))

    again = app_with_index(big_account, clock, path)
    async with again.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: again.history.state.history_complete, timeout=60)
        assert again.history.indexed == HISTORY_SIZE
    second_run = [r for r in list_requests(big_account)[first_run:] if r.query.get("limit") == "100"]
    # No page walked twice: the second run starts after the first one's last cursor.
    assert len(second_run) <= (HISTORY_SIZE - cut) // 100 + 2
    assert all(r.query.get("after") for r in second_run)


async def test_a_batch_sixty_pages_deep_is_found_by_a_metadata_word(big_account, clock, tmp_path):
    batches = await all_batches(big_account)
    deep = next(batch for batch in batches[1_200:] if batch.metadata and batch.metadata.get("run"))
    # Its run id is one word of its metadata, shared by few batches if any.
    word = deep.metadata["run"]
    app = app_with_index(big_account, clock, tmp_path / "index.sqlite3")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete, timeout=60)
        await pilot.press("slash", *word)
        await wait_until(pilot, lambda: deep.id in {batch.id for batch in app.screen.shown})
        assert app.screen.view.result.matching <= 20


async def test_in_steady_state_a_tick_costs_one_list_request_plus_active_batches_off_the_page(clock, tmp_path):
    path = tmp_path / "index.sqlite3"
    with Simulator(SimConfig(seed=11, api_key=KEY, batch_count=300), clock=clock) as sim:
        app = app_with_index(sim, clock, path)
        async with app.run_test(size=(160, 45)) as pilot:
            await wait_until(pilot, lambda: app.history.state.history_complete, timeout=60)
            await settle(app, pilot)
            for _ in range(3):
                clock.advance(10)
                visible = {batch.id for batch in app.screen.shown}
                active = {row[0] for row in sqlite3.connect(path).execute("SELECT id FROM batches WHERE terminal = 0")}
                start = len(sim.requests)
                await pilot.press("r")
                await wait_until(pilot, lambda start=start: len(sim.requests) > start)
                await settle(app, pilot)
                tick = sim.requests[start:]
                assert all(r.method == "GET" for r in tick)
                assert tick[0].path.endswith("/batches") and tick[0].query.get("limit") == "20"
                assert "after" not in tick[0].query
                # The rest keeps active batches off the page current: never more than one request each.
                assert len(tick) - 1 <= len(active - visible)


async def test_a_damaged_index_is_moved_aside_rebuilt_and_said_once(small_account, clock, tmp_path):
    path = tmp_path / "index.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    app = app_with_index(small_account, clock, path)
    toasts = heard_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.available and app.history.indexed > 0, timeout=30)
        await settle(app, pilot)
        assert sum("unusable" in toast and "rebuilt" in toast for toast in toasts) == 1
    assert list(tmp_path.glob("index.sqlite3.corrupt-*"))


async def test_an_index_that_cannot_be_written_leaves_batchtui_working_and_says_so_once(small_account, clock, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    app = app_with_index(small_account, clock, blocker / "index.sqlite3")
    toasts = heard_notifications(app)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.screen.pager.page is not None)
        await settle(app, pilot)
        assert not app.history.available
        assert app.screen.shown  # the live list works without it
        assert sum("without its batch index" in toast for toast in toasts) == 1
        assert app.screen.check_action("search", ()) is None  # dimmed: nothing to search


async def test_two_batchtuis_share_one_index(big_account, clock, tmp_path):
    path = tmp_path / "index.sqlite3"
    first = app_with_index(big_account, clock, path)
    second = app_with_index(big_account, clock, path)
    heard = {first: heard_notifications(first), second: heard_notifications(second)}
    async with first.run_test(size=(160, 45)) as pilot_one, second.run_test(size=(160, 45)) as pilot_two:
        await wait_until(pilot_one, lambda: first.history.state.history_complete, timeout=60)
        await wait_until(pilot_two, lambda: second.history.state.history_complete, timeout=60)
        for app in (first, second):
            assert app.history.available and app.history.problem is None
            assert not any("locked" in toast for toast in heard[app])
    assert sqlite3.connect(path).execute("SELECT count(*) FROM batches").fetchone()[0] == HISTORY_SIZE


async def test_the_key_is_written_to_no_file(small_account, clock, tmp_path):
    app = app_with_index(small_account, clock, tmp_path / "index.sqlite3")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete, timeout=60)
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert KEY.encode() not in file.read_bytes(), file
