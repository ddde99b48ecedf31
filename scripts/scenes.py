"""The screens the README shows and the snapshot tests pin, built from the demo data at a fixed time.

Used by scripts/make_screenshots.py and tests/snapshots: both see exactly the same scenes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from batchtui.clock import ManualClock
from batchtui.config import Settings
from batchtui.demo import demo_config
from batchtui.paths import CACHE_ENV
from batchtui.sim import Simulator
from batchtui.ui.app import BatchApp
from batchtui.ui.history import History

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
    settings = Settings(api_key=SCENE_KEY, base_url=base_url, refresh_seconds=5.0, page_size=20)
    clock = ManualClock(SCENE_TIME)
    history = History(Path(os.environ[CACHE_ENV]) / "index.sqlite3") if scene.indexed else None

    async def sleep(seconds: float) -> None:
        # The history walk's pacing, without the waiting: the same number of steps every run.
        clock.advance(max(seconds, 0.0))

    return BatchApp(settings, clock=clock, server_label=SCENE_LABEL, history=history, sleep=sleep)


async def settle(pilot) -> None:
    """Wait for data loads (and the whole history, where indexed); a worker waiting on a dialog is left waiting."""
    history = pilot.app.history
    while history is not None and history.available and not history.state.history_complete:
        await pilot.pause(0.01)
    loads = [worker for worker in pilot.app.workers if worker.group in LOAD_GROUPS]
    if loads:  # an empty list would mean "every worker" to wait_for_complete
        await pilot.app.workers.wait_for_complete(loads)
    await pilot.pause()
