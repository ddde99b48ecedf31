"""2. Request economy: HTTP requests per refresh tick while watching a page with k batches running.

The app runs headless (App.run_test) against an in-process simulator, whose request log counts what
reached the server. A tick is a refresh the screen completed (its `fetched_at` moved), counted
independently of the requests. The naive alternative, re-reading every visible batch on each tick,
would cost one list plus one retrieve per row.
"""

from __future__ import annotations

import asyncio

from batchtui.config import Settings
from batchtui.ui.app import BatchApp
from bench import accounts
from bench.environment import API_KEY, TERMINAL_SIZE, Context
from bench.processes import BenchError
from bench.report import Figure, Section

TITLE = "2. Request economy"
PAGE_SIZE = 20
PAGES = (1, 3)
ACTIVE_COUNTS = (0, 3, 20)


def run(context: Context) -> Section:
    section = Section("requests", TITLE)
    sessions = context.pick(3, 2)
    ticks = context.pick(4, 2)
    refresh = 0.25 if context.quick else 1.0
    per_tick: dict[tuple[int, int], list[dict[str, float]]] = {}
    for active in ACTIVE_COUNTS:
        simulator = accounts.empty_simulator()
        accounts.load(simulator, accounts.account(3, PAGE_SIZE, {page: active for page in PAGES}))
        with simulator:
            context.say(f"k={active}: {sessions} sessions, {ticks} ticks on pages {PAGES} every {refresh:g} s")
            for _ in range(sessions):
                for page, counts in asyncio.run(_session(simulator, ticks, refresh)).items():
                    per_tick.setdefault((page, active), []).append(counts)

    for (page, active), runs in sorted(per_tick.items()):
        worst_list = max(run["list"] for run in runs)
        worst_retrieve = max(run["retrieve"] for run in runs)
        worst_other = max(run["other"] for run in runs)
        figure = section.add(
            Figure(
                f"requests.page{page}_k{active}",
                f"page {page}, {active} running: requests per tick",
                "req",
                [run["total"] for run in runs],
                note=f"at most {worst_list:.2f} list and {worst_retrieve:.2f} retrieve requests per tick",
            )
        )
        figure.judge("≤ 1 list, 0 retrieves", worst_list <= 1 and worst_retrieve == 0 and worst_other == 0)
    section.add(
        Figure("requests.naive", "naive: retrieve every visible batch", "req", [1.0 + PAGE_SIZE], note="computed")
    )
    section.notes.append(
        f"page size {PAGE_SIZE}; an account of 3 pages with k batches running on pages 1 and 3; "
        f"{ticks} refresh ticks per page per session, {sessions} sessions; refresh every {refresh:g} s; "
        "the naive figure is computed (1 list + one retrieve per row), not measured."
    )
    return section


async def _session(simulator, ticks: int, refresh: float) -> dict[int, dict[str, float]]:
    settings = Settings(api_key=API_KEY, base_url=simulator.base_url, refresh_seconds=refresh, page_size=PAGE_SIZE)
    app = BatchApp(settings)
    results: dict[int, dict[str, float]] = {}
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await _settle(app, pilot)
        screen = app.screen
        for page in PAGES:
            for _ in range(page):  # bounded: at most `page` presses of n
                if screen.page_number >= page:
                    break
                await pilot.press("n")
                await _settle(app, pilot)
            if screen.page_number != page:
                raise BenchError(f"could not reach page {page}")
            results[page] = await _count_ticks(simulator, app, pilot, ticks, refresh, screen.pager.cursors[-1])
    return results


async def _settle(app, pilot) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()


async def _count_ticks(simulator, app, pilot, ticks: int, refresh: float, cursor: str | None) -> dict[str, float]:
    screen = app.screen
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (ticks + 1) * (refresh + 2) + 10
    seen, last = -1, screen.fetched_at
    while seen < ticks:
        if loop.time() > deadline:
            raise BenchError(f"only {seen} refresh ticks in time")
        await pilot.pause(0.01)
        if screen.fetched_at != last:
            last = screen.fetched_at
            seen += 1
            if seen == 0:
                # Start counting right after a tick has finished: the next one is `refresh` seconds away.
                simulator.clear_requests()
    if screen.error is not None:
        raise BenchError(f"a refresh failed: {screen.error}")
    requests = simulator.requests
    listed = [r for r in requests if r.method == "GET" and r.path.rstrip("/").endswith("/batches")]
    if any(r.query.get("after") != cursor for r in listed):
        raise BenchError(f"a refresh listed another page than the one shown (after={cursor!r})")
    lists = len(listed)
    retrieves = sum(1 for r in requests if r.method == "GET" and "/batches/" in r.path)
    other = len(requests) - lists - retrieves
    return {
        "total": len(requests) / ticks,
        "list": lists / ticks,
        "retrieve": retrieves / ticks,
        "other": other / ticks,
    }
