"""The status line's words, from plain state: no app needed."""

from __future__ import annotations

from batchtui.api.errors import APIConnectionError
from batchtui.api.models import BatchPage
from batchtui.api.sender import RetryNotice
from batchtui.ui.pager import FIRST_PAGE, Pager
from batchtui.ui.text.status_line import FetchStatus, fetch_info, page_info
from tests.support.batches import page_json

NOW = 1_764_000_000.0  # 16:00:00 UTC; tests run with TZ=UTC
KEYS = {"next_page": "n", "show_error": "E", "toggle_pause": "space"}


def pager_with(*ids: str, has_more: bool, unreadable: int = 0) -> Pager:
    pager = Pager()
    page = BatchPage.model_validate(page_json(list(ids), has_more=has_more))
    page.unreadable = unreadable
    pager.accept(FIRST_PAGE, page, None)
    return pager


def test_page_info_before_anything_loaded() -> None:
    assert page_info(Pager(), 20, KEYS).plain == "Page 1 · 0 of 20 per page"


def test_page_info_says_where_more_is() -> None:
    assert page_info(pager_with("a", "b", has_more=True), 20, KEYS).plain == "Page 1 · 2 of 20 per page · more → n"
    assert page_info(pager_with("a", has_more=False), 20, KEYS).plain == "Page 1 · 1 of 20 per page · last page"


def test_page_info_names_a_refusal_and_unreadable_items() -> None:
    pager = pager_with("a", has_more=True, unreadable=2)
    request = pager.next()
    assert request is not None
    pager.accept(request, BatchPage.model_validate(page_json([], has_more=False)), "a")
    assert page_info(pager, 20, KEYS).plain == (
        "Page 1 · 1 of 20 per page · No more batches after this page. · 2 unreadable item(s) skipped"
    )


def test_fetch_info_through_a_refresh_cycle() -> None:
    assert fetch_info(FetchStatus(fetching=True), NOW, KEYS).plain == "Loading…"
    assert fetch_info(FetchStatus(), NOW, KEYS).plain == "Nothing loaded yet"
    loaded = FetchStatus(fetched_at=NOW - 65, next_refresh_at=NOW + 5)
    assert fetch_info(loaded, NOW, KEYS).plain == "Updated 15:58:55 · next 16:00:05"
    assert (
        fetch_info(FetchStatus(fetched_at=NOW - 65, fetching=True), NOW, KEYS).plain == "Refreshing… · updated 15:58:55"
    )
    paused = FetchStatus(fetched_at=NOW - 65, paused=True)
    assert fetch_info(paused, NOW, KEYS).plain == "⏸ Paused · updated 15:58:55 (1m 5s ago) · space resumes"


def test_fetch_info_marks_stale_data_and_says_why() -> None:
    error = APIConnectionError("Connection refused by http://127.0.0.1:9: is the server running?")
    stale = FetchStatus(fetched_at=NOW - 30, error=error, paused=True)
    assert fetch_info(stale, NOW, KEYS).plain == (
        "⚠ Stale, from 15:59:30 (30s ago) · Connection refused by http://127.0.0.1:9: is the server running? · "
        "E details · paused"
    )
    assert fetch_info(FetchStatus(error=error), NOW, KEYS).plain.startswith("⚠ Connection refused")


def test_fetch_info_counts_down_to_a_retry() -> None:
    notice = RetryNotice(attempt=1, delay=8, reason="HTTP 429", rate_limited=True)
    waiting = FetchStatus(fetching=True, retry=notice, retry_at=NOW + 8, max_retries=2)
    assert fetch_info(waiting, NOW, KEYS).plain == "Rate limited · retrying in 8s (1 of 2)"
    assert fetch_info(waiting, NOW + 8, KEYS).plain == "Rate limited · retrying now (1 of 2)"


def test_the_texts_name_the_keys_actually_bound() -> None:
    keys = {"next_page": "ctrl+n", "show_error": "X", "toggle_pause": "P"}
    assert page_info(pager_with("a", has_more=True), 20, keys).plain.endswith("more → ctrl+n")
    error = APIConnectionError("down")
    assert fetch_info(FetchStatus(error=error), NOW, keys).plain == "⚠ down · X details"
    assert fetch_info(FetchStatus(fetched_at=NOW, paused=True), NOW, keys).plain.endswith("· P resumes")
