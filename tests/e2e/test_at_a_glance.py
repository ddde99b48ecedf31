"""At a glance against the simulator: ETAs that match how fast the batches really move, a stuck marker on the
stuck one, costs on finished batches and the account's summary line, all from refreshes over loopback."""

from __future__ import annotations

import pytest

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.sim import SimConfig, Simulator
from batchtui.sim.demo_data import MINUTE, SHOWPIECES
from batchtui.ui.history import History
from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.batch_table import BatchTable
from batchtui.ui.widgets.summary_line import SummaryLine
from tests.e2e.support import KEY, START, select
from tests.support.apps import build_app
from tests.support.waiting import settle, wait_until

WATCH_STEPS = 7  # refreshes 10 s apart: one simulated minute of observations
STEP_SECONDS = 10.0


@pytest.fixture
def showcase(clock):
    with Simulator(SimConfig(seed=7, api_key=KEY, showcase=True, batch_count=30), clock=clock) as sim:
        yield sim


def piece(description: str):
    return next(p for p in SHOWPIECES if p.description == description)


def batch_described(screen: BatchesScreen, description: str):
    return next(b for b in screen.shown if (b.metadata or {}).get("description") == description)


async def every_batch(simulator) -> list:
    async with BatchClient(ClientConfig(api_key=KEY, base_url=simulator.base_url)) as client:
        return [batch async for page in client.iter_batches(limit=100) for batch in page.data]


async def watch_a_minute(app, pilot, clock) -> BatchesScreen:
    await settle(app, pilot)
    for _ in range(WATCH_STEPS - 1):
        clock.advance(STEP_SECONDS)
        await pilot.press("r")
        await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, BatchesScreen)
    return screen


@pytest.mark.parametrize("description", ["morning sweep of new tickets", "weekend queue labels"])
async def test_the_eta_matches_the_simulated_pace_after_a_minute_of_refreshes(showcase, clock, tmp_path, description):
    app = build_app(base_url=showcase.base_url, key=KEY, clock=clock, history=History(tmp_path / "index.sqlite3"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await watch_a_minute(app, pilot, clock)
        batch = batch_described(screen, description)
        eta = screen.insights[batch.id].eta
        assert eta is not None and eta.from_observations

        shown = piece(description)
        pace = shown.total / (shown.in_progress / MINUTE)  # requests a minute, as the simulator runs it
        assert eta.rate_per_minute == pytest.approx(pace, rel=0.10)
        finishes = START - shown.age + shown.validating + shown.in_progress
        left = finishes - clock.now()
        assert eta.finishes_at is not None
        assert eta.finishes_at - clock.now() == pytest.approx(left, rel=0.10)

        await select(app, pilot, batch.id)
        await settle(app, pilot)
        lines = screen.query_one(BatchDetail).plain_lines()
        assert any(line.split()[:2] == ["ETA", "in"] for line in lines), lines
        assert any("requests/min" in line and "measured between refreshes" in line for line in lines), lines


async def test_the_stuck_batch_is_marked_and_finished_ones_have_costs_and_the_summary_counts_the_account(
    showcase, clock, tmp_path
):
    app = build_app(base_url=showcase.base_url, key=KEY, clock=clock, history=History(tmp_path / "index.sqlite3"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await watch_a_minute(app, pilot, clock)
        table = screen.query_one(BatchTable)

        stuck = batch_described(screen, "Porto office scans")
        assert screen.insights[stuck.id].stuck is not None
        assert table.get_cell(stuck.id, "status").plain.startswith("⚠")
        await select(app, pilot, stuck.id)
        await settle(app, pilot)
        assert any("stuck? validating for 2h" in line for line in screen.query_one(BatchDetail).plain_lines())

        running = [b for b in screen.shown if b.status == "in_progress" and b.id != stuck.id]
        assert running and all(screen.insights[b.id].stuck is None for b in running)

        finished = [b for b in screen.shown if b.status == "completed" and b.usage is not None]
        assert finished
        assert any(table.get_cell(b.id, "cost").plain.strip().startswith("$") for b in finished)

        await wait_until(pilot, lambda: screen.history is not None and screen.history.state.history_complete)
        await settle(app, pilot)
        summary = screen.query_one(SummaryLine).text
        account = await every_batch(showcase)
        for status, words in (("validating", "validating"), ("in_progress", "in progress")):
            assert f"{sum(b.status == status for b in account)} {words}" in summary, summary
        assert "requests done" in summary and "to run" in summary


async def test_without_an_index_the_eta_comes_from_the_pace_since_the_batch_started(showcase, clock):
    app = build_app(base_url=showcase.base_url, key=KEY, clock=clock)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BatchesScreen)
        batch = batch_described(screen, "morning sweep of new tickets")
        eta = screen.insights[batch.id].eta
        assert eta is not None and not eta.from_observations
        shown = piece("morning sweep of new tickets")
        assert eta.rate_per_minute == pytest.approx(shown.total / (shown.in_progress / MINUTE), rel=0.10)
        assert not screen.query_one(SummaryLine).display
