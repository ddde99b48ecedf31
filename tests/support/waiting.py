"""Waiting for the app without sleeping: until its work is done, or until it reaches a state on its own."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import App
from textual.pilot import Pilot

# Runs as long as the app does, waiting for new batches: it never completes, so settle never waits for it.
ENDLESS_GROUPS = frozenset({"history-walk"})


async def settle(app: App, pilot: Pilot) -> None:
    """Every worker done (but the history walk) and the screen caught up."""
    others = [worker for worker in app.workers if worker.group not in ENDLESS_GROUPS]
    if others:  # an empty list would mean every worker to wait_for_complete
        await app.workers.wait_for_complete(others)
    await pilot.pause()


async def wait_until(pilot: Pilot, condition: Callable[[], object], timeout: float = 15.0) -> None:
    """Await something the app reaches on its own, with a deadline instead of a fixed sleep."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "condition not reached in time"
        await pilot.pause(0.02)
