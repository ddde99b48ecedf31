"""The two halves of the main screen's status line: where you are, and how fresh the data is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.text import Text

from batchtui.api.errors import BatchAPIError, describe
from batchtui.api.sender import RetryNotice
from batchtui.ui.formatting import clean, local_time, relative, truncate
from batchtui.ui.index_view import IndexView
from batchtui.ui.pager import Pager


@dataclass(frozen=True)
class FetchStatus:
    """What the screen knows about its refreshes at one moment."""

    fetching: bool = False
    paused: bool = False
    fetched_at: float | None = None
    next_refresh_at: float | None = None
    error: BatchAPIError | None = None
    retry: RetryNotice | None = None
    retry_at: float | None = None
    max_retries: int = 0
    # When the rows on screen, read from the local index before the network answered, were fetched.
    cached_at: float | None = None


def page_info(
    pager: Pager,
    page_size: int,
    keys: Mapping[str, str],
    history: str | None = None,
    *,
    marked: int = 0,
    activity: str | None = None,
) -> Text:
    """`keys` maps binding ids to the keys bound now, as `key_names` gives them; `history`, the walk's progress;
    `marked`, how many batches are marked; `activity`, a bulk action under way ("saving output 2 of 5: …")."""
    text = Text(f"Page {pager.number}", style="bold")
    page = pager.page
    text.append(f" · {len(page.data) if page else 0} of {page_size} per page")
    if pager.note:
        text.append(f" · {pager.note}", style="italic")
    elif page is not None:
        text.append(f" · more → {keys['next_page']}" if page.has_more else " · last page")
    if page is not None and page.unreadable:
        text.append(f" · {page.unreadable} unreadable item(s) skipped", style="italic")
    _marks(text, marked, activity)
    if history:
        text.append(f" · {history}", style="dim")
    return text


def _marks(text: Text, marked: int, activity: str | None) -> None:
    if marked:
        text.append(f" · {marked:,} marked", style="bold")
    if activity:
        text.append(f" · {activity}", style="italic")


def index_info(view: IndexView, *, history_complete: bool, marked: int = 0, activity: str | None = None) -> Text:
    """Where you are in the index's matches: 'Page 2 of 8 · 143 of 12,408 batches match · sorted by created'."""
    text = Text(f"Page {view.page_number} of {view.page_count}", style="bold")
    result = view.result
    if result is None:
        text.append(" · searching…")
        _marks(text, marked, activity)
        return text
    # Until the history walk is done, a count says how much of the account it covers.
    scope = f"{result.indexed:,} batches" if history_complete else f"{result.indexed:,} indexed so far"
    text.append(f" · {result.matching:,} of {scope} {'matches' if result.matching == 1 else 'match'}")
    text.append(f" · sorted by {view.sort.value}")
    _marks(text, marked, activity)
    return text


def clock_time(timestamp: float) -> str:
    return local_time(int(timestamp))[11:]


def fetch_info(status: FetchStatus, now: float, keys: Mapping[str, str]) -> Text:
    if status.retry is not None and status.retry_at is not None:
        return _retrying(status.retry, status.retry_at - now, status.max_retries)
    if status.fetched_at is None and status.cached_at is not None and status.error is None:
        cached = f"{clock_time(status.cached_at)} ({relative(now - status.cached_at)} ago)"
        return Text(f"From the index, fetched {cached} · {'refreshing…' if status.fetching else 'not refreshed yet'}")
    if status.fetched_at is None:
        if status.error is None:
            return Text("Loading…" if status.fetching else "Nothing loaded yet")
        fetched = aged = None
    else:
        fetched = clock_time(status.fetched_at)
        aged = f"{fetched} ({relative(now - status.fetched_at)} ago)"  # only where the age matters
    if status.error is not None:
        text = Text("⚠ ", style="bold")
        if aged is not None:
            text.append(f"Stale, from {aged} · ", style="bold")
        text.append(truncate(clean(describe(status.error)), 70))
        text.append(f" · {keys['show_error']} details")
        if status.paused:
            text.append(" · paused")
        return text
    if status.fetching:
        return Text(f"Refreshing… · updated {fetched}")
    if status.paused:
        return Text(f"⏸ Paused · updated {aged} · {keys['toggle_pause']} resumes")
    text = Text(f"Updated {fetched}")
    if status.next_refresh_at is not None:
        # A clock time, not a countdown: the line then changes once per fetch instead of every second.
        text.append(f" · next {clock_time(status.next_refresh_at)}")
    return text


def _retrying(notice: RetryNotice, wait: float, max_retries: int) -> Text:
    label = "Rate limited" if notice.rate_limited else truncate(clean(notice.reason), 60)
    when = f"in {relative(wait)}" if wait >= 1 else "now"
    return Text(f"{label} · retrying {when} ({notice.attempt} of {max_retries})", style="bold")
