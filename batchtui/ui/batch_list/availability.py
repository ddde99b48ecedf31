"""What each batch-list key can do now, and why not: the screen's check_action and its "why is this dimmed"
answers as plain functions of what the screen shows. Asked on every key, so kept light."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol

from batchtui.ui.batch_list.web_dashboard import host_problem
from batchtui.ui.batch_rules import can_retry, missing_file_text, why_not_retry
from batchtui.ui.bulk import why_not_cancel

if TYPE_CHECKING:
    from batchtui.api.client import BatchClient
    from batchtui.api.errors import BatchAPIError
    from batchtui.api.models import Batch
    from batchtui.ui.history import History
    from batchtui.ui.index_view import IndexView
    from batchtui.ui.marks import Marks
    from batchtui.ui.pager import Pager

# What a read-only session never asks for: each would send a POST that changes the account.
CHANGES_THE_ACCOUNT = frozenset({"cancel_batch", "create_batch", "retry_batch"})
READ_ONLY_TEXT = "Read-only: this session sends nothing that changes the account (no cancel, create or retry)."


class ListState(Protocol):
    """What the batch list shows, as far as the keys care."""

    client: BatchClient
    view: IndexView | None
    pager: Pager
    history: History | None
    marks: Marks
    error: BatchAPIError | None
    read_only: bool

    @property
    def selected_id(self) -> str | None: ...

    @property
    def selected_batch(self) -> Batch | None: ...


class Reason(NamedTuple):
    """Why a dimmed key does nothing, and how long the toast saying so stays."""

    text: str
    timeout: float = 6


def web_problem(state: ListState) -> str | None:
    return host_problem(state.client.config.base_url)


def availability(state: ListState, action: str) -> bool | None:
    """check_action's answer: True to offer the key, None to dim it, False to hide it."""
    if action == "next_page":
        return True if (state.view.has_next if state.view else state.pager.has_next) else None
    if action == "previous_page":
        return True if (state.view.has_previous if state.view else state.pager.has_previous) else None
    if action in ("search", "active_only"):
        return True if state.history is not None and state.history.available else None
    # False, not None: hidden from the footer, which has no room for keys that mean nothing yet.
    if action == "cycle_sort":
        return state.view is not None
    if action in CHANGES_THE_ACCOUNT and state.read_only:
        return None
    if action == "cancel_batch":
        batch = state.selected_batch
        return True if state.marks or (batch is not None and batch.is_cancellable) else None
    if action == "toggle_mark":
        return True if state.selected_id else None
    if action in ("clear_marks", "download_marked"):
        return bool(state.marks)
    if action == "open_web":
        return True if state.selected_id and web_problem(state) is None else None
    if action == "copy_id":
        return True if state.selected_id else None
    if action == "show_error":
        return state.error is not None
    if action in ("open_results", "open_errors"):
        batch = state.selected_batch
        file_id = None if batch is None else batch.output_file_id if action == "open_results" else batch.error_file_id
        return True if file_id else None
    if action == "retry_batch":
        batch = state.selected_batch
        return True if batch is not None and can_retry(batch) else None
    return True


def why_unavailable(state: ListState, what: str, keys: Mapping[str, str]) -> Reason | None:
    """What a dimmed key says when pressed (`what` names it: "output", "cancel", …); None: nothing to say."""
    batch = state.selected_batch
    if state.read_only and what in ("cancel", "create", "retry"):
        return Reason(READ_ONLY_TEXT)
    if what == "download":
        return Reason(f"Mark batches with {keys['toggle_mark']} first: their output files are saved.")
    if what == "web" and (problem := web_problem(state)) is not None:
        return Reason(problem)
    if what == "create":
        return None  # never dimmed unless read-only
    if batch is None:
        return Reason("Select a batch first.", timeout=3)
    if what == "retry":
        return Reason(why_not_retry(batch))
    if what == "cancel":
        return Reason(f"{batch.id} cannot be cancelled: {why_not_cancel(batch) or 'it changed meanwhile'}.")
    if what in ("output", "error"):
        return Reason(missing_file_text(batch, "output" if what == "output" else "error"))
    return None
