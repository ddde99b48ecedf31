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
    Scene("main", "The batch list with the detail pane", ("down", "down")),
    Scene("detail", "Everything about one batch, focused for scrolling", ("down", "down", "down", "enter")),
    Scene("cancel", "Cancelling asks first", ("c",)),
    Scene("help", "Every key on one screen", ("question_mark",)),
    # Row 8 of the demo account is a completed chat batch: its output file, downloaded and indexed.
    Scene("results", "The results of a completed batch", ("down",) * 8 + ("o",)),
    Scene(
        "search",
        "Searching the whole history: one project's finished batches",
        ("slash", *"project=invoice-extraction is:done", "enter"),
    ),
)
# Workers whose end a scene waits for: page loads, the index, a search, a results file being indexed.
LOAD_GROUPS = ("page", "results-load", "history-open", "history-cycle", "search")


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
    return Simulator(replace(demo_config(), api_key=SCENE_KEY), clock=ManualClock(start=SCENE_TIME))


def scene_app(base_url: str, scene: Scene) -> BatchApp:
    """The app for a scene; an indexed scene's index is filled first, as a second run's would be."""
    settings = Settings(api_key=SCENE_KEY, base_url=base_url, refresh_seconds=5.0, page_size=20)
    history = None
    if scene.indexed:
        path = Path(os.environ[CACHE_ENV]) / "index.sqlite3"
        asyncio.run(fill_index(base_url, path))
        history = History(path)
    return BatchApp(settings, clock=ManualClock(SCENE_TIME), server_label=SCENE_LABEL, history=history)


async def fill_index(base_url: str, path: Path) -> None:
    """Walk the whole history into the index before the scene: the app's clock then never moves."""
    history = History(path)
    clock = ManualClock(SCENE_TIME)

    async def sleep(seconds: float) -> None:
        clock.advance(max(seconds, 0.0))  # the walk's pacing, without the waiting

    async with BatchClient(ClientConfig(api_key=SCENE_KEY, base_url=base_url)) as client:
        await history.open(clock.now())
        page = await client.list_batches(limit=20)
        await history.record_page(visible_request(None, 20), page, seen_at=clock.now())
        walk = asyncio.ensure_future(
            history.walk(client, clock, sleep=sleep, wake=asyncio.Event(), changed=lambda: None)
        )
        while not history.state.history_complete and not walk.done():
            await asyncio.sleep(0.01)
        walk.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await walk
        await history.close()


async def settle(pilot) -> None:
    """Wait for data loads; a worker waiting on a dialog is left waiting."""
    loads = [worker for worker in pilot.app.workers if worker.group in LOAD_GROUPS]
    if loads:  # an empty list would mean "every worker" to wait_for_complete
        await pilot.app.workers.wait_for_complete(loads)
    await pilot.pause()
