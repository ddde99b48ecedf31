"""Which requests to make next to keep the index whole and current: pure functions, no I/O.

The index is whole from `anchor` (the newest batch known to have everything older than it
indexed) down to where the backfill has reached. Three walks keep it so:
- the top: any list page with no `after` (the visible page 1 counts) moves the anchor up when it
  meets the anchor, and otherwise starts a catch-up below it;
- the catch-up: pages after the top until they meet the anchor; the gap it closes is recorded,
  so an interrupted catch-up resumes on the next run instead of leaving a hole;
- the backfill: older pages of 100 until `has_more` is false, resumable from its cursor.
A history request goes out at most once a second. Active batches off the visible page are
refreshed by one retrieve each, or by listing down to the oldest of them when that is fewer.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from batchtui.store import statuses
from batchtui.store.fields import timestamp

HISTORY_PAGE_SIZE = 100  # the most GET /batches returns at once
HISTORY_INTERVAL = 1.0  # seconds between two history requests: gentle on the account's rate limit


class Purpose(StrEnum):
    VISIBLE = "visible"  # the page on screen, refreshed by the UI's timer
    TOP = "top"  # the newest page, when the index has no anchor yet
    CATCH_UP = "catch_up"
    BACKFILL = "backfill"
    SWEEP = "sweep"  # listing down to the oldest active batch


@dataclass(frozen=True, slots=True)
class Mark:
    """A batch the walks compare pages with."""

    id: str
    created_at: int | None


@dataclass(frozen=True, slots=True)
class ListPage:
    """GET /batches?after=…&limit=…; `until` is the batch a sweep has to reach."""

    after: str | None
    limit: int
    purpose: Purpose
    until: Mark | None = None


@dataclass(frozen=True, slots=True)
class Retrieve:
    """GET /batches/{batch_id}."""

    batch_id: str


@dataclass(frozen=True, slots=True)
class Wait:
    """Nothing may be sent before `until` (the same clock as `now`)."""

    until: float


Request = ListPage | Retrieve


@dataclass(frozen=True, slots=True)
class SyncState:
    """Where the history walks stand; kept in the index between runs."""

    anchor: Mark | None = None
    backfill_after: str | None = None
    backfill_done: bool = False
    backfill_pages: int = 0
    backfill_batches: int = 0
    catch_up_after: str | None = None
    catch_up_top: Mark | None = None

    @property
    def history_complete(self) -> bool:
        """Every batch the server lists is indexed (as of the last top page)."""
        return self.anchor is not None and self.backfill_done and self.catch_up_after is None


@dataclass(frozen=True, slots=True)
class PageSeen:
    """What one list response said, reduced to what the walks need."""

    ids: tuple[str, ...]
    created_ats: tuple[int | None, ...]
    has_more: bool
    last_id: str | None = None

    @classmethod
    def from_raw(cls, data: Sequence[Any], *, has_more: Any, last_id: Any = None) -> PageSeen:
        """From the `data`, `has_more` and `last_id` of a GET /batches body, as the server sent them."""
        items = [item for item in data if isinstance(item, Mapping) and isinstance(item.get("id"), str)]
        more = has_more.strip().lower() in ("true", "1") if isinstance(has_more, str) else bool(has_more)
        return cls(
            ids=tuple(item["id"] for item in items),
            created_ats=tuple(timestamp(item.get("created_at")) for item in items),
            has_more=more,
            last_id=last_id if isinstance(last_id, str) and last_id else None,
        )

    @property
    def next_cursor(self) -> str | None:
        return self.last_id or (self.ids[-1] if self.ids else None)

    @property
    def top(self) -> Mark | None:
        return Mark(self.ids[0], self.created_ats[0]) if self.ids else None

    def continues_after(self, after: str | None) -> bool:
        """More pages follow, and the cursor moved (some servers repeat one page with has_more forever)."""
        cursor = self.next_cursor
        return self.has_more and cursor is not None and cursor != after and (after is None or after not in self.ids)

    def reaches(self, mark: Mark) -> bool:
        """The page holds `mark` or something older, so the walk has met it (lists are newest first)."""
        if mark.id in self.ids:
            return True
        if mark.created_at is None:
            return False
        return any(created is not None and created < mark.created_at for created in self.created_ats)


def next_history_request(
    state: SyncState,
    *,
    now: float,
    last_sent_at: float | None = None,
    paused_until: float | None = None,
    interval: float = HISTORY_INTERVAL,
) -> ListPage | Wait | None:
    """The next catch-up or backfill page, a Wait when it is too early, or None when history is whole.

    `last_sent_at` is when the previous history request went out; `paused_until` is a 429's retry-after.
    Feed the visible page 1 to `after_page` first: with no anchor yet, this asks for the top itself.
    """
    request = _history_request(state)
    if request is None:
        return None
    not_before = max(
        paused_until if paused_until is not None else -math.inf,
        last_sent_at + interval if last_sent_at is not None else -math.inf,
    )
    return Wait(not_before) if now < not_before else request


def _history_request(state: SyncState) -> ListPage | None:
    if state.anchor is None:
        return ListPage(None, HISTORY_PAGE_SIZE, Purpose.TOP)
    # New batches first: they are the ones the user is most likely to look for.
    if state.catch_up_after is not None:
        return ListPage(state.catch_up_after, HISTORY_PAGE_SIZE, Purpose.CATCH_UP)
    if not state.backfill_done:
        return ListPage(state.backfill_after, HISTORY_PAGE_SIZE, Purpose.BACKFILL)
    return None


def after_page(state: SyncState, request: ListPage, page: PageSeen) -> SyncState:
    """The state once `page`, the answer to `request`, is in the index (save both in one transaction)."""
    if request.after is None:
        return _after_top(state, page)
    if request.purpose is Purpose.CATCH_UP:
        return _after_catch_up(state, request, page)
    if request.purpose is Purpose.BACKFILL:
        return _after_backfill(state, request, page)
    return state


def _after_top(state: SyncState, page: PageSeen) -> SyncState:
    top = page.top
    if top is None:
        # An empty account: nothing to walk until a batch appears.
        return state if state.anchor is not None else replace(state, backfill_done=True)
    if state.anchor is None:
        more = page.continues_after(None)
        return SyncState(anchor=top, backfill_after=page.next_cursor if more else None, backfill_done=not more)
    if state.catch_up_after is not None:
        # A gap is still open below an earlier top: the anchor may move only once it is closed.
        return state
    if page.reaches(state.anchor) or not page.continues_after(None):
        return replace(state, anchor=top)
    return replace(state, catch_up_after=page.next_cursor, catch_up_top=top)


def _after_catch_up(state: SyncState, request: ListPage, page: PageSeen) -> SyncState:
    met = state.anchor is None or page.reaches(state.anchor)
    if met or not page.continues_after(request.after):
        return replace(state, anchor=state.catch_up_top or state.anchor, catch_up_after=None, catch_up_top=None)
    return replace(state, catch_up_after=page.next_cursor)


def _after_backfill(state: SyncState, request: ListPage, page: PageSeen) -> SyncState:
    more = page.continues_after(request.after)
    return replace(
        state,
        backfill_after=page.next_cursor or request.after,
        backfill_done=not more,
        backfill_pages=state.backfill_pages + 1,
        backfill_batches=state.backfill_batches + len(page.ids),
    )


@dataclass(frozen=True, slots=True)
class ActiveBatch:
    """An indexed batch that has not ended, and where it stands in the list."""

    id: str
    status: str
    created_at: int | None
    refreshed_at: float | None
    # How many indexed batches are newer: its place in the list, counting from 0.
    depth: int


def plan_active_refresh(
    active: Sequence[ActiveBatch],
    *,
    visible_ids: Collection[str],
    now: float,
    interval: float,
    page_size: int = HISTORY_PAGE_SIZE,
) -> tuple[Request, ...]:
    """This cycle's requests for active batches off the visible page: retrieves, or the first page of a sweep.

    A batch refreshed less than `interval` ago waits for the next cycle; one in a terminal state
    is never asked for again.
    """
    due = [
        batch
        for batch in active
        if not statuses.is_terminal(batch.status)
        and batch.id not in visible_ids
        and (batch.refreshed_at is None or now - batch.refreshed_at >= interval)
    ]
    if not due:
        return ()
    oldest = max(due, key=lambda batch: batch.depth)
    pages = oldest.depth // page_size + 1
    if pages < len(due):
        return (ListPage(None, page_size, Purpose.SWEEP, until=Mark(oldest.id, oldest.created_at)),)
    return tuple(Retrieve(batch.id) for batch in sorted(due, key=lambda batch: batch.depth))


def continue_sweep(request: ListPage, page: PageSeen) -> ListPage | None:
    """The sweep's next page, or None once it has reached the oldest active batch (or the list ended)."""
    if request.until is None or page.reaches(request.until) or not page.continues_after(request.after):
        return None
    return replace(request, after=page.next_cursor)
