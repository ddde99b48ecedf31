"""The app against a misbehaving simulator for hundreds of refreshes: it keeps answering, never sticks, never grows.

Ticks are driven by hand (the screen's reload, awaited) so 200 of them take seconds. Memory is checked by
counting live objects of the kinds a tick creates rather than with tracemalloc, which slows Textual four-fold
and whose byte counts over a few hundred ticks are dominated by Textual's and Rich's caches filling up.
"""

from __future__ import annotations

import asyncio
import gc

from textual.timer import Timer
from textual.widget import Widget
from textual.worker import Worker

from batchtui.api.models import Batch
from batchtui.api.retry import RetryPolicy
from batchtui.sim import FaultConfig, ManualClock, SimConfig, Simulator
from batchtui.ui.app import BatchApp
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_table import BatchTable
from tests.e2e.support import START
from tests.support.apps import build_app
from tests.support.notifications import notifications
from tests.support.rendering import status_fetch
from tests.support.waiting import settle

KEY = "sk-e2e-soak-key"
PAGE_SIZE = 15
TICKS = 200
# Every kind of misbehaviour, often, and fast: retry-after 0 s and slow answers of at most 20 ms.
FAULTS = FaultConfig(
    rate_limit=0.12,
    server_error=0.08,
    bad_gateway=0.06,
    unavailable=0.06,
    slow=0.1,
    garbage=0.06,
    wrong_shape=0.06,
    dropped=0.06,
    slow_seconds=(0.0, 0.02),
    retry_after_seconds=(0, 0),
    seed=5,
)
FAST_RETRIES = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.01)


def rows(app: BatchApp) -> list[str]:
    return [key.value for key in app.screen.query_one(BatchTable).rows]


def fetch_info(app: BatchApp) -> str:
    return status_fetch(app)


def assert_idle_and_consistent(app: BatchApp, screen: BatchesScreen, known_ids: set[str], tick: int) -> None:
    """After a tick: not fetching, the status line tells the truth, and the table shows exactly one valid page."""
    status = fetch_info(app)
    assert not screen.fetching and not screen.loading, tick
    assert "Loading" not in status and "Refreshing" not in status and "retrying" not in status, (tick, status)
    table = screen.query_one(BatchTable)
    if screen.error is not None:
        assert status.startswith("⚠ Stale, from"), (tick, status)
        assert table.has_class("-stale"), tick
    else:
        assert status.startswith("Updated"), (tick, status)
        assert not table.has_class("-stale"), tick
    shown = rows(app)
    assert shown == list(dict.fromkeys(b.id for b in screen.page.data)), tick
    # Never empty: the account has 40 batches, and a failed tick (the wrong-shape page {"data": [{"id": 42}]}
    # among them) keeps the rows it had, as
    # tests/ui/test_hostile_data.py::test_a_page_of_only_unreadable_items_is_not_an_empty_account pins.
    assert 0 < len(shown) <= PAGE_SIZE and set(shown) <= known_ids, tick
    assert screen.selected_id == shown[table.cursor_row], tick
    assert not notifications(app), tick


def live_objects() -> dict[str, int]:
    """How many of the objects a refresh makes are alive: a leak shows up as a count that follows the ticks."""
    gc.collect()
    objects = gc.get_objects()
    counts = {kind.__name__: sum(isinstance(o, kind) for o in objects) for kind in (Widget, Timer, Worker, Batch)}
    return counts | {"tasks": len(asyncio.all_tasks())}


async def start(app: BatchApp, pilot) -> BatchesScreen:
    await settle(app, pilot)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, BatchesScreen) and screen.error is None
    return screen


async def tick(app: BatchApp, pilot, screen: BatchesScreen) -> None:
    """One refresh, as the timer would start it, awaited to the end."""
    screen._reload_current()
    await settle(app, pilot)


async def test_two_hundred_refreshes_under_faults_stay_responsive_and_consistent():
    clock = ManualClock(start=START)
    with Simulator(SimConfig(seed=5, batch_count=40, api_key=KEY), clock=clock) as simulator:
        known_ids = {batch["id"] for batch in simulator.batches()}
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=PAGE_SIZE, retry=FAST_RETRIES)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await start(app, pilot)
            simulator.set_faults(FAULTS)
            failed = recovered = 0
            at_50: dict[str, int] = {}
            for number in range(1, TICKS + 1):
                was_failing = screen.error is not None
                await tick(app, pilot, screen)
                assert_idle_and_consistent(app, screen, known_ids, number)
                failed += screen.error is not None
                recovered += was_failing and screen.error is None
                simulator.clear_requests()  # the simulator's own log is not the app's memory
                if number % 20 == 0:
                    # A key press between ticks is handled at once (space pauses and resumes the refresh).
                    await pilot.press("space")
                    assert screen.paused, number
                    await pilot.press("space")
                    assert not screen.paused, number
                if number == 50:
                    at_50 = live_objects()
            at_end = live_objects()

            # The faults really happened, errors were shown, and later ticks cleared them.
            assert 20 <= failed <= TICKS - 50, failed
            assert recovered >= 10, recovered
            # What the app makes per tick does not pile up: one page of models, a few timers, workers, tasks.
            assert at_end["Batch"] <= 2 * PAGE_SIZE, at_end
            assert at_end["Timer"] <= at_50["Timer"] + 2 and at_end["tasks"] <= at_50["tasks"] + 20, (at_50, at_end)
            assert at_end["Worker"] <= 50, at_end


async def test_refreshes_do_not_leak_widgets():
    clock = ManualClock(start=START)
    with Simulator(SimConfig(seed=5, batch_count=40, api_key=KEY), clock=clock) as simulator:
        app = build_app(base_url=simulator.base_url, key=KEY, clock=clock, page_size=PAGE_SIZE, retry=FAST_RETRIES)
        async with app.run_test(size=(140, 45)) as pilot:
            screen = await start(app, pilot)
            for _ in range(5):
                await tick(app, pilot, screen)
            await pilot.pause()
            before = live_objects()["Widget"]
            for _ in range(25):
                await tick(app, pilot, screen)
            await pilot.press(*["j", "k"] * 5)
            await pilot.pause()
            after = live_objects()["Widget"]
            assert after - before < 20, f"{after - before} more live widgets after 25 refreshes and 10 cursor moves"


async def test_the_refresh_timer_keeps_running_through_failures():
    """The real one-shot timer: a failed tick re-arms it, so refreshes go on (1 s is the shortest allowed)."""
    clock = ManualClock(start=START)
    always_failing = FaultConfig.only(server_error=1.0)
    with Simulator(SimConfig(seed=5, batch_count=5, api_key=KEY), clock=clock) as simulator:
        app = build_app(
            base_url=simulator.base_url, key=KEY, clock=clock, refresh=1.0, page_size=PAGE_SIZE, retry=FAST_RETRIES
        )
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            simulator.set_faults(always_failing)
            simulator.clear_requests()
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 8.0
            while len(simulator.requests) < 2 * 3:  # two ticks of three tries (two retries) each
                assert loop.time() < deadline, f"only {len(simulator.requests)} requests: the timer stopped"
                await pilot.pause(0.05)
            await settle(app, pilot)
            screen = app.screen
            assert screen.error is not None and screen.query_one(BatchTable).has_class("-stale")
            assert not notifications(app)
            assert screen.fetching or screen.next_refresh_at is not None
