"""Keeping the local index current behind the batch list: each page shown recorded, the history walk started
once page 1 is in, the active batches off the page brought up to date, the index's trouble told once.

No Textual here: the screen's workers (history-walk, history-cycle) await these methods, so the work stops
when the screen leaves."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import NamedTuple

from batchtui.api.client import BatchClient
from batchtui.api.models import Batch, BatchPage
from batchtui.clock import Clock
from batchtui.ui.history import History, visible_request
from batchtui.ui.pager import PageRequest


class Untold(NamedTuple):
    """The index's news not yet shown: a note (each time there is one), a problem (once)."""

    note: str | None
    problem: str | None


class IndexSync:
    def __init__(
        self,
        history: History,
        client: BatchClient,
        clock: Clock,
        *,
        page_size: int,
        refresh_seconds: float,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.history = history
        self.client = client
        self.clock = clock
        self.page_size = page_size
        self.refresh_seconds = refresh_seconds
        self.sleep = sleep
        self.cycle_running = False
        self._walking = False
        self._woken = asyncio.Event()
        self._problem_told = False

    @property
    def ready(self) -> bool:
        """Whether a page shown now should be indexed now: the index works and no cycle is under way."""
        return self.history.available and not self.cycle_running

    async def walk(self, changed: Callable[[], None]) -> None:
        await self.history.walk(
            self.client.background(), self.clock, sleep=self.sleep, wake=self._woken, changed=changed
        )

    async def cycle(
        self,
        request: PageRequest,
        page: BatchPage,
        *,
        start_walk: Callable[[], object],
        received: Callable[[Sequence[Batch]], None],
    ) -> None:
        """Index the page, then bring active batches off the page up to date."""
        self.cycle_running = True
        try:
            now = self.clock.now()
            await self.history.record_page(visible_request(request.cursor, self.page_size), page, seen_at=now)
            if not self._walking:
                # Only once page 1 is in: the walk then goes on below it instead of asking for the top again.
                self._walking = True
                start_walk()
            self._woken.set()
            refreshed = await self.history.refresh_active(
                self.client.background(),
                visible_ids={batch.id for batch in page.data},
                now=now,
                interval=self.refresh_seconds,
            )
            received(refreshed.batches)
        finally:
            self.cycle_running = False

    def untold(self) -> Untold:
        """The index's trouble, said once each: what to show now."""
        history = self.history
        note = history.note or None
        if note:
            history.note = None
        problem = None
        if history.problem and not self._problem_told:
            self._problem_told = True
            problem = history.problem
        return Untold(note, problem)
