"""The screens the README shows and the snapshot tests pin, built from the demo data at a fixed time.

Used by scripts/make_screenshots.py and tests/snapshots: both see exactly the same scenes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

from batchtui.clock import ManualClock
from batchtui.config import Settings
from batchtui.paths import CACHE_ENV
from batchtui.sim import SimConfig, Simulator
from batchtui.ui.app import BatchApp

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


SCENES = (
    Scene("main", "The batch list with the detail pane", ("down", "down")),
    Scene("detail", "Everything about one batch, focused for scrolling", ("down", "down", "down", "enter")),
    Scene("cancel", "Cancelling asks first", ("c",)),
    Scene("help", "Every key on one screen", ("question_mark",)),
    # Row 12 of the demo account is a completed chat batch: its output file, downloaded and indexed.
    Scene("results", "The results of a completed batch", ("down",) * 12 + ("o",)),
)
# Workers whose end a scene waits for: page loads, and a results file being downloaded and indexed.
LOAD_GROUPS = ("page", "results-load")


def pin_timezone() -> None:
    """Local times are on screen; the same scene must look the same on every machine."""
    os.environ["TZ"] = "UTC"
    time.tzset()


def scene_simulator() -> Simulator:
    # A fresh cache every time: a scene must not depend on what an earlier run downloaded.
    cache = tempfile.mkdtemp(prefix="batchtui-scene-cache-")
    atexit.register(shutil.rmtree, cache, ignore_errors=True)
    os.environ[CACHE_ENV] = cache
    return Simulator(SimConfig(seed=7, api_key=SCENE_KEY), clock=ManualClock(start=SCENE_TIME))


def scene_app(base_url: str) -> BatchApp:
    settings = Settings(api_key=SCENE_KEY, base_url=base_url, refresh_seconds=5.0, page_size=20)
    return BatchApp(settings, clock=ManualClock(SCENE_TIME), server_label=SCENE_LABEL)


async def settle(pilot) -> None:
    """Wait for data loads; a worker waiting on an open dialog is left waiting."""
    loads = [worker for worker in pilot.app.workers if worker.group in LOAD_GROUPS]
    if loads:  # an empty list would mean "every worker" to wait_for_complete
        await pilot.app.workers.wait_for_complete(loads)
    await pilot.pause()
