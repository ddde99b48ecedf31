"""The local index behind the main screen: every page seen, the history walks, search.

No Textual here: the screen's workers await these methods. Every index call runs in one thread
of its own (an sqlite3 connection belongs to the thread that opened it), so a write or a search
never holds the event loop. A failing index is an expected condition: it is reported once, in
words, and batchtui carries on without it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from batchtui.api.client import BatchClient
from batchtui.api.errors import APIStatusError, BatchAPIError, describe
from batchtui.api.models import Batch, BatchPage
from batchtui.clock import Clock
from batchtui.store import (
    Index,
    IndexBusy,
    IndexCorrupt,
    Query,
    SearchResult,
    Sort,
    StoreError,
    active_batches,
    indexed_count,
    load_sync_state,
    open_index,
    rebuild_index,
    save_batches,
    search,
)
from batchtui.store.planner import (
    HISTORY_INTERVAL,
    ListPage,
    PageSeen,
    Purpose,
    Request,
    Retrieve,
    SyncState,
    Wait,
    continue_sweep,
    next_history_request,
    plan_active_refresh,
)
from batchtui.store.writes import record_list_page

T = TypeVar("T")

FAILURE_PAUSE = 30.0  # seconds the history walk waits after a failure the server gave no wait for


@dataclass(frozen=True)
class IndexedPage:
    """A page of batches read back from the index, and when the stalest of them was fetched."""

    batches: list[Batch]
    matching: int
    indexed: int
    fetched_at: int | None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActiveRefresh:
    """What one refresh of the active batches off the page did: requests sent, batches the server sent back."""

    requests: int
    batches: tuple[Batch, ...]


class History:
    def __init__(self, path: Path, *, interval: float = HISTORY_INTERVAL) -> None:
        """`interval`: seconds between two history requests (the demo's loopback server needs no gentleness)."""
        self.path = path
        self.interval = interval
        self.state = SyncState()
        self.indexed = 0
        # Why the index is off (one line, shown once), or what happened to it (a rebuild).
        self.problem: str | None = None
        self.note: str | None = None
        self.last_sent_at: float | None = None
        # The last failure of the history walk, for the status line; None while it goes well.
        self.walk_error: str | None = None
        self.paused_until: float | None = None
        self._index: Index | None = None
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="batchtui-index")

    @property
    def available(self) -> bool:
        return self._index is not None

    async def open(self, now: float) -> None:
        def opening() -> None:
            opened = open_index(self.path, now=now)
            self._index = opened.index
            self.note = opened.note
            self.state = load_sync_state(opened.index)
            self.indexed = indexed_count(opened.index)

        await self._run(opening)
        if self._index is None and self.problem is None:
            self.problem = "another batchtui held the batch index too long: this one runs without it"

    async def close(self) -> None:
        if self._index is not None:
            index, self._index = self._index, None
            await asyncio.get_running_loop().run_in_executor(self._thread, index.close)
        self._thread.shutdown(wait=False)

    # Reading

    async def page(self, query: Query, *, now: float, sort: Sort, limit: int, offset: int = 0) -> IndexedPage | None:
        def reading(index: Index) -> SearchResult:
            return search(index, query, now=now, sort=sort, limit=limit, offset=offset)

        result = await self._with_index(reading)
        if result is None:
            return None
        self.indexed = result.indexed
        batches = []
        for raw in result.batches:
            try:
                batches.append(Batch.model_validate(raw))
            except ValueError:
                continue  # an item the client could not read from the server either: counted, not shown
        return IndexedPage(batches, result.matching, result.indexed, result.fetched_at, result.problems)

    # Writing what the server sent

    async def record_page(self, request: ListPage, page: BatchPage, *, seen_at: float) -> None:
        body = {"data": [batch.raw for batch in page.data], "has_more": page.has_more, "last_id": page.last_id}

        def writing(index: Index) -> None:
            state, _ = record_list_page(index, self.state, request, body, seen_at=seen_at)
            # The event loop reads these two while this thread writes them: the count goes first, so no reader
            # sees the new state (say, the history complete) beside the count from before this page.
            self.indexed = indexed_count(index)
            self.state = state

        await self._with_index(writing)

    async def record_batches(self, batches: Sequence[Batch], *, seen_at: float) -> None:
        raws = [batch.raw for batch in batches]
        await self._with_index(lambda index: save_batches(index, raws, seen_at=seen_at))

    # What to ask the server next

    def next_history_request(self, now: float) -> ListPage | Wait | None:
        return next_history_request(
            self.state, now=now, last_sent_at=self.last_sent_at, paused_until=self.paused_until, interval=self.interval
        )

    async def active_refresh(self, *, visible_ids: Collection[str], now: float, interval: float) -> tuple[Request, ...]:
        active = await self._with_index(active_batches)
        if not active:
            return ()
        return plan_active_refresh(active, visible_ids=visible_ids, now=now, interval=interval)

    # The walks, run by the screen's workers

    async def walk(
        self,
        client: BatchClient,
        clock: Clock,
        *,
        sleep: Callable[[float], Awaitable[None]],
        wake: asyncio.Event,
        changed: Callable[[], None],
    ) -> None:
        """Fill the index, oldest pages last, one request a second at most; then wait to be woken.

        `wake` is set when the visible page 1 was recorded: new batches on top start a catch-up.
        """
        while self.available:
            step = self.next_history_request(clock.now())
            if step is None:
                wake.clear()
                await wake.wait()
                continue
            if isinstance(step, Wait):
                await sleep(max(0.0, step.until - clock.now()))
                continue
            self.last_sent_at = clock.now()
            try:
                page = await client.list_batches(after=step.after, limit=step.limit)
            except APIStatusError as error:
                # A 429 says how long to wait; anything else waits a while and tries the same page again.
                self.paused_until = clock.now() + (error.retry_after or FAILURE_PAUSE)
                self.walk_error = describe(error)
                changed()
                continue
            except BatchAPIError as error:
                self.paused_until = clock.now() + FAILURE_PAUSE
                self.walk_error = describe(error)
                changed()
                continue
            self.walk_error = None
            await self.record_page(step, page, seen_at=clock.now())
            changed()

    async def refresh_active(
        self, client: BatchClient, *, visible_ids: Collection[str], now: float, interval: float
    ) -> ActiveRefresh:
        """Bring active batches off the visible page up to date: how many requests that took, and what came back."""
        sent = 0
        fetched: list[Batch] = []
        for request in await self.active_refresh(visible_ids=visible_ids, now=now, interval=interval):
            try:
                if isinstance(request, Retrieve):
                    sent += 1
                    batch = await client.retrieve_batch(request.batch_id)
                    fetched.append(batch)
                    await self.record_batches([batch], seen_at=now)
                    continue
                sweep: ListPage | None = request
                while sweep is not None:
                    sent += 1
                    page = await client.list_batches(after=sweep.after, limit=sweep.limit)
                    fetched.extend(page.data)
                    await self.record_page(sweep, page, seen_at=now)
                    seen = PageSeen.from_raw([b.raw for b in page.data], has_more=page.has_more, last_id=page.last_id)
                    sweep = continue_sweep(sweep, seen)
            except BatchAPIError:
                continue  # the next cycle asks again; the visible page's own errors are what the user sees
        return ActiveRefresh(sent, tuple(fetched))

    def progress_text(self) -> str | None:
        """For the status line: how far the history walk has come."""
        if not self.available:
            return None
        if self.state.history_complete:
            return f"all {self.indexed:,} indexed"
        return f"history: {self.indexed:,} indexed…"

    async def read(self, work: Callable[[Index], T]) -> T | None:
        """Any read of the index, on its own thread; None when there is no index (or it is busy)."""
        return await self._with_index(work)

    # Plumbing

    async def _with_index(self, work: Callable[[Index], T]) -> T | None:
        if self._index is None:
            return None
        index = self._index
        return await self._run(lambda: work(index))

    async def _run(self, work: Callable[[], T]) -> T | None:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._thread, work)
        except IndexBusy:
            return None  # another batchtui holds the lock: this write waits for the next refresh
        except IndexCorrupt:
            await loop.run_in_executor(self._thread, self._rebuild)
            return None
        except StoreError as error:
            self._off(error.message)
            return None
        except OSError as error:
            self._off(f"batchtui runs without its batch index ({error.strerror or error})")
            return None

    def _rebuild(self) -> None:
        if self._index is not None:
            self._index.close()
        try:
            opened = rebuild_index(self.path, "it was damaged while in use")
        except StoreError as error:
            self._index = None
            self.problem = error.message
            return
        self._index = opened.index
        self.note = opened.note
        self.state = SyncState()
        self.indexed = 0

    def _off(self, message: str) -> None:
        index, self._index = self._index, None
        if index is not None:
            self._thread.submit(index.close)
        self.problem = message


def visible_request(cursor: str | None, page_size: int) -> ListPage:
    """The visible page's list request, as the history walks count it (page 1 shows what is new on top)."""
    return ListPage(cursor, page_size, Purpose.VISIBLE)
