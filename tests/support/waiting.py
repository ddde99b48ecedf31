"""Waiting for the app without sleeping: until its work is done, or until it reaches a state on its own."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

# Runs as long as the app does, waiting for new batches: it never completes, so settle never waits for it.
ENDLESS_GROUPS = frozenset({"history-walk"})
# A load starts the index's cycle, which starts the estimates: a few rounds, never an endless wait.
MAX_SETTLE_ROUNDS = 10


async def settle(app: App, pilot: Pilot) -> None:
    """Every worker done (but the history walk) and the screen caught up, including work that work started."""
    for _ in range(MAX_SETTLE_ROUNDS):
        others = [worker for worker in app.workers if worker.group not in ENDLESS_GROUPS and not worker.is_finished]
        if not others:
            break
        for worker in others:
            # An exclusive worker superseded by a newer one is cancelled, which is how it should end.
            with contextlib.suppress(WorkerCancelled):
                await worker.wait()
        await pilot.pause()
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Await something the app reaches on its own, with a deadline instead of a fixed sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await pilot.pause(0.02)
