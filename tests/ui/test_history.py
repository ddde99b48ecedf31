"""The local index behind the main screen: the history walk, a restart that shows rows at once, search."""

from __future__ import annotations

import asyncio
import threading

import httpx
import pytest

from batchtui.api.models import BatchPage
from batchtui.clock import ManualClock
from batchtui.store import open_index, save_batches
from batchtui.store.planner import HISTORY_PAGE_SIZE, ListPage, Purpose
from batchtui.ui import history as history_module
from batchtui.ui.app import BatchApp
from batchtui.ui.history import History
from batchtui.ui.widgets.batch_table import BatchTable
from batchtui.ui.widgets.search_bar import SearchBar
from tests.support.apps import build_app
from tests.support.batches import NOW, batch_json, numbered_batch
from tests.support.rendering import status_fetch, status_where, widget_text
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

STATUSES = ["in_progress", "completed", "failed", "expired", "cancelled", "completed", "completed"]


def account(size: int) -> FakeAPI:
    batches = [numbered_batch(i, STATUSES[i % len(STATUSES)]) for i in range(size)]
    if size > 137:
        batches[137]["metadata"] = {"project": "needle-search", "owner": "zoe"}
    return FakeAPI(batches=batches)


class Gate:
    """List requests wait here while the gate is closed."""

    def __init__(self, api: FakeAPI) -> None:
        self.api = api
        self.open = asyncio.Event()
        self.open.set()

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/batches"):
            await self.open.wait()
        return self.api.handle(request)


def indexed_app(api: FakeAPI, path, *, gate: Gate | None = None, clock: ManualClock | None = None) -> BatchApp:
    clock = clock or ManualClock(NOW)

    async def sleep(seconds: float) -> None:
        # The walk paces itself by the clock: here the clock moves instead of the test waiting.
        clock.advance(max(seconds, 0.0))
        await asyncio.sleep(0)

    transport = httpx.MockTransport(gate.handle if gate else api.handle)
    return build_app(transport=transport, clock=clock, history=History(path), sleep=sleep)


def list_requests(api: FakeAPI) -> list[httpx.Request]:
    return [r for r in api.requests if r.method == "GET" and r.url.path.endswith("/batches")]


def status_text(app) -> str:
    return status_where(app) + " | " + status_fetch(app)


@pytest.fixture
def index_file(tmp_path):
    return tmp_path / "index.sqlite3"


async def test_the_history_walk_indexes_every_batch_gently_and_says_so(index_file):
    api = account(250)
    app = indexed_app(api, index_file)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete)
        await settle(app, pilot)
        assert app.history.indexed == 250
        history = [r for r in list_requests(api) if r.url.params.get("limit") == "100"]
        # 250 batches, 100 a page: three pages (the walk may start before page 1 is in), each after the last seen.
        assert len(history) == 3
        assert all("after" in r.url.params for r in history[1:])
        app.screen._render_status()
        await pilot.pause()
        assert "all 250 indexed" in status_text(app)


async def test_a_restart_shows_the_indexed_page_before_the_server_answers(index_file):
    api = account(60)
    first = indexed_app(api, index_file)
    async with first.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: first.history.state.history_complete)
    gate = Gate(api)
    gate.open.clear()
    second = indexed_app(api, index_file, gate=gate)
    async with second.run_test(size=(160, 45)) as pilot:
        table = second.screen.query_one(BatchTable)
        await wait_until(pilot, lambda: table.row_count == 20)
        assert second.screen.pager.page is None  # nothing has come from the server yet
        await pilot.pause()
        assert "From the index, fetched" in status_text(second)
        gate.open.set()
        await wait_until(pilot, lambda: second.screen.pager.page is not None)
        await settle(second, pilot)
        assert "From the index" not in status_text(second)


async def test_search_finds_a_batch_pages_deep_by_a_metadata_word_and_escape_goes_back(index_file):
    api = account(250)
    app = indexed_app(api, index_file)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete)
        await settle(app, pilot)
        await pilot.press("slash", *"needle")
        await wait_until(pilot, lambda: app.screen.shown and len(app.screen.shown) == 1)
        assert app.screen.shown[0].id == "batch_0137"
        app.screen._render_status()
        await pilot.pause()
        assert "1 of 250 batches matches" in status_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.view is None
        assert not app.screen.query_one(SearchBar).display
        assert [b.id for b in app.screen.shown][:2] == ["batch_0000", "batch_0001"]


async def test_an_unreadable_token_is_explained_under_the_bar(index_file):
    api = account(30)
    app = indexed_app(api, index_file)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete)
        await pilot.press("slash", *"status:bogus")
        await settle(app, pilot)
        problems = app.screen.query_one("#search-problems")
        await wait_until(pilot, lambda: problems.display and "bogus" in widget_text(problems, 200))
        assert app.screen.view.query.problems


async def test_active_only_and_sort_keys(index_file):
    api = account(70)
    app = indexed_app(api, index_file)
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete)
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        await wait_until(pilot, lambda: app.screen.view and app.screen.view.result)
        assert app.screen.shown and all(batch.status == "in_progress" for batch in app.screen.shown)
        assert app.screen.query_one(SearchBar).input.value == "is:active"
        await pilot.press("s")
        await settle(app, pilot)
        assert app.screen.view.sort.value == "status"
        app.screen._render_status()
        await pilot.pause()
        assert "sorted by status" in status_text(app)


async def test_when_the_server_answers_before_the_index_opens_the_etas_come_from_its_observations(
    tmp_path, monkeypatch
):
    """The first estimates had no observations (the index was not open yet): they are worked out again at once."""
    path = tmp_path / "index.sqlite3"
    index = open_index(path, now=NOW).index
    for seconds_ago, completed in ((120, 100), (60, 400)):
        counts = {"total": 1000, "completed": completed, "failed": 0}
        raw = batch_json(id="batch_run", status="in_progress", in_progress_at=int(NOW) - 600, request_counts=counts)
        save_batches(index, [raw], seen_at=NOW - seconds_ago)
    index.close()
    api = FakeAPI(batches=[raw])

    opening = asyncio.Event()
    open_index_later = History.open

    async def held_open(self, now):
        await opening.wait()
        return await open_index_later(self, now)

    monkeypatch.setattr(History, "open", held_open)
    app = indexed_app(api, path)
    async with app.run_test(size=(140, 30)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: "batch_run" in screen.insights)
        assert not screen.insights["batch_run"].eta.from_observations  # no index yet: the average since it began
        opening.set()
        await wait_until(pilot, lambda: screen.insights["batch_run"].eta.from_observations)
        assert len(list_requests(api)) == 1  # worked out again from the index, not fetched again


async def test_while_a_page_is_counted_the_state_is_still_the_one_the_old_count_goes_with(tmp_path, monkeypatch):
    history = History(tmp_path / "index.sqlite3")
    await history.open(now=NOW)
    counting, counted = threading.Event(), threading.Event()
    count = history_module.indexed_count

    def slow_count(index):
        counting.set()
        assert counted.wait(10), "the test never let the count finish"
        return count(index)

    monkeypatch.setattr(history_module, "indexed_count", slow_count)
    page = BatchPage.model_validate({"object": "list", "data": [numbered_batch(0, "completed")], "has_more": False})
    writing = asyncio.create_task(
        history.record_page(ListPage(None, HISTORY_PAGE_SIZE, Purpose.TOP), page, seen_at=NOW)
    )
    assert await asyncio.to_thread(counting.wait, 10)
    # The page is written and being counted: a reader on the event loop sees both values from before it.
    assert (history.state.history_complete, history.indexed) == (False, 0)
    counted.set()
    await writing
    assert (history.state.history_complete, history.indexed) == (True, 1)
    await history.close()
