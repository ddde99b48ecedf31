"""The main screen's status line put together: where you are (the page, or the search's matches, the marks,
a bulk action under way, the history walk, what the rows on screen cost) and how fresh the data is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from batchtui.glance.text import view_total
from batchtui.ui.text.status_line import FetchStatus, fetch_info, index_info, page_info

if TYPE_CHECKING:
    from batchtui.api.client import BatchClient
    from batchtui.api.errors import BatchAPIError
    from batchtui.api.models import Batch
    from batchtui.api.sender import RetryNotice
    from batchtui.glance.insight import Insight
    from batchtui.ui.history import History
    from batchtui.ui.index_view import IndexView
    from batchtui.ui.marks import Marks
    from batchtui.ui.pager import Pager


class StatusState(Protocol):
    """What the status line tells, as the screen keeps it."""

    client: BatchClient
    history: History | None
    view: IndexView | None
    pager: Pager
    page_size: int
    marks: Marks
    activity: str | None
    fetching: bool
    paused: bool
    fetched_at: float | None
    next_refresh_at: float | None
    cached_at: float | None
    error: BatchAPIError | None
    retry_notice: RetryNotice | None
    retry_at: float | None
    shown: Sequence[Batch]
    insights: Mapping[str, Insight]


def status_texts(state: StatusState, now: float, keys: Mapping[str, str]) -> tuple[Text, Text]:
    """The line's two halves: where you are, and the fetch (`keys`: binding id -> the key bound now)."""
    status = FetchStatus(
        fetching=state.fetching,
        paused=state.paused,
        fetched_at=state.fetched_at,
        next_refresh_at=state.next_refresh_at,
        error=state.error,
        retry=state.retry_notice,
        retry_at=state.retry_at,
        max_retries=state.client.config.retry.max_retries,
        cached_at=state.cached_at,
    )
    history = state.history.progress_text() if state.history is not None else None
    marked = len(state.marks)
    if state.view is not None:
        complete = state.history is not None and state.history.state.history_complete
        where = index_info(state.view, history_complete=complete, marked=marked, activity=state.activity)
    else:
        where = page_info(state.pager, state.page_size, keys, history, marked=marked, activity=state.activity)
    if state.shown and state.insights:
        where.append(" · ", style="dim")
        where.append(view_total(state.shown, state.insights))
    return where, fetch_info(status, now, keys)
