"""The screens the README shows and the snapshot tests pin, built from the demo data at a fixed time.

Used by scripts/make_screenshots.py and tests/snapshots: both see exactly the same scenes.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from textual.worker import WorkerCancelled

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.clock import ManualClock
from batchtui.config import Settings
from batchtui.demo import demo_config
from batchtui.paths import CACHE_ENV
from batchtui.sim import Simulator
from batchtui.ui.app import BatchApp
from batchtui.ui.history import History, visible_request

# 2026-11-25 15:00:00 UTC: the moment every scene is taken at (shown in UTC, see pin_timezone).
SCENE_TIME = 1_795_618_800.0
# The app "watched" the account this long before the scene, so ETAs and sparklines have observations.
WATCHED_SECONDS = 2 * 60
WATCH_STEP = 15
SCENE_SIZE = (132, 40)
SCENE_KEY = "sk-scene-not-a-real-key"
SCENE_LABEL = "demo · simulated Batch API on this machine"


@dataclass(frozen=True)
class Scene:
    name: str
    title: str
    keys: tuple[str, ...] = ()
    # Scenes wait for the index to hold the whole history before their keys, as a user's second run would.
    indexed: bool = True


SCENES = (
    # Row 4 is running at 600 requests a minute: its ETA, trend line and cost in the detail pane.
    Scene("main", "The batch list with the detail pane: ETA, cost, the trend", ("down", "down", "down")),
    Scene("detail", "Everything about one batch, focused for scrolling", ("down", "down", "enter")),
    Scene("cancel", "Cancelling asks first", ("c",)),
    # Three running batches and a cancelled one marked: one question, the cancelled one skipped.
    Scene(
        "bulk",
        "Cancelling the marked batches with one question",
        ("m", "down", "m", "down", "m", "down", "down", "m", "c"),
    ),
    Scene("help", "Every key on one screen", ("question_mark",)),
    # Row 6 of the demo account is a completed chat batch: its output file, downloaded and indexed.
    Scene("results", "The results of a completed batch", ("down",) * 5 + ("o",)),
    Scene(
        "search",
        "Searching the whole history: one project's finished batches",
        ("slash", *"project=invoice-extraction is:done", "enter"),
    ),
)
# Workers whose end a scene waits for: page loads, the index, a search, a results file being indexed.
LOAD_GROUPS = ("page", "results-load", "history-open", "history-cycle", "search", "insights", "summary")


def pin_timezone() -> None:
    """Local times are on screen; the same scene must look the same on every machine."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def scene_simulator() -> Simulator:
    # A fresh cache every time: a scene must not depend on what an earlier run downloaded.
    cache = tempfile.mkdtemp(prefix="batchtui-scene-cache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    os.environ[CACHE_ENV] = cache
    # The account `make demo` serves, so the pictures show what a user sees there.
    # It starts WATCHED_SECONDS early: the scene's index records the first page along the way up to SCENE_TIME.
    start = SCENE_TIME - WATCHED_SECONDS
    return Simulator(replace(demo_config(), api_key=SCENE_KEY), clock=ManualClock(start=start))


def scene_app(sim: Simulator, scene: Scene) -> BatchApp:
    """The app for a scene; an indexed scene's index is filled first, as a second run's would be."""
    settings = Settings(api_key=SCENE_KEY, base_url=sim.base_url, refresh_seconds=5.0, page_size=20)
    history = None
    if scene.indexed:
        path = Path(os.environ[CACHE_ENV]) / "index.sqlite3"
        asyncio.run(fill_index(sim, path))
        history = History(path)
    else:
        _advance_to(sim, SCENE_TIME)
    return BatchApp(settings, clock=ManualClock(SCENE_TIME), server_label=SCENE_LABEL, history=history)


# The first indexed scene's index, copied for the others: every scene's simulator serves the same history, so
# the walk (most of a scene's cost) would fill the same file each time.
_filled_index: Path | None = None


async def fill_index(sim: Simulator, path: Path) -> None:
    """Watch the first page up to SCENE_TIME, then walk the whole history: the app's clock then never moves."""
    global _filled_index
    # The watching also drives the simulator (arrivals come in as its clock is read), so it runs every time.
    history = History(path) if _filled_index is None else None
    server_clock = sim.clock
    assert isinstance(server_clock, ManualClock)
    async with BatchClient(ClientConfig(api_key=SCENE_KEY, base_url=sim.base_url)) as client:
        if history is not None:
            await history.open(server_clock.now())
        while True:  # what a watching app records every refresh: observations for the ETAs
            page = await client.list_batches(limit=20)
            if history is not None:
                await history.record_page(visible_request(None, 20), page, seen_at=server_clock.now())
            if server_clock.now() >= SCENE_TIME:
                break
            _advance_to(sim, min(server_clock.now() + WATCH_STEP, SCENE_TIME))
        if history is None:
            assert _filled_index is not None
            shutil.copyfile(_filled_index, path)
            return
        await _walk_history(history, client)
    template = Path(tempfile.mkdtemp(prefix="batchtui-scene-index-")) / path.name
    atexit.register(shutil.rmtree, template.parent, ignore_errors=True)
    shutil.copyfile(path, template)
    _filled_index = template


async def _walk_history(history: History, client: BatchClient) -> None:
    clock = ManualClock(SCENE_TIME)

    async def sleep(seconds: float) -> None:
        clock.advance(max(seconds, 0.0))  # the walk's pacing, without the waiting

    walk = asyncio.ensure_future(history.walk(client, clock, sleep=sleep, wake=asyncio.Event(), changed=lambda: None))
    while not history.state.history_complete and not walk.done():
        await asyncio.sleep(0.01)
    walk.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await walk
    await history.close()


def _advance_to(sim: Simulator, moment: float) -> None:
    clock = sim.clock
    assert isinstance(clock, ManualClock)
    clock.advance(max(0.0, moment - clock.now()))


async def settle(pilot) -> None:
    """Wait for data loads and what they start (the figures, the summary); a worker waiting on a dialog is left."""
    for _ in range(10):
        loads = [w for w in pilot.app.workers if w.group in LOAD_GROUPS and not w.is_finished]
        if not loads:
            break
        for worker in loads:
            with contextlib.suppress(WorkerCancelled):  # superseded by a newer one of its group
                await worker.wait()
        await pilot.pause()
    await pilot.pause()
