"""What can be done with a batch, and why not: light rules the main screen checks on every key.

Kept apart from the screens that act on them, so the batch list starts without loading those.
"""

from __future__ import annotations

from typing import Literal

from batchtui.api.models import Batch

FileKind = Literal["output", "error"]

RETRYABLE_STATUSES = frozenset({"expired", "cancelled"})


def can_retry(batch: Batch) -> bool:
    """Expired or cancelled, or finished with failed requests."""
    if batch.status in RETRYABLE_STATUSES:
        return True
    failed = batch.request_counts.failed if batch.request_counts else None
    return batch.is_terminal and batch.status != "failed" and (bool(failed) or batch.error_file_id is not None)


def why_not_retry(batch: Batch) -> str:
    if not batch.is_terminal:
        return f"{batch.id} is still {batch.status}: a retry file can be built once it has ended."
    if batch.status == "failed":
        return f"{batch.id} failed validation, so none of its requests ran: fix the input file and create a new batch."
    return f"{batch.id} has no failed requests: there is nothing to retry."


def missing_file_text(batch: Batch, kind: FileKind) -> str:
    """Why `o` or `e` has nothing to open for this batch."""
    what = "output file" if kind == "output" else "error file"
    if not batch.is_terminal:
        return f"{batch.id} has no {what} yet: it appears when the batch completes, expires or is cancelled."
    if kind == "output":
        return f"{batch.id} has no output file: no request in it succeeded."
    return f"{batch.id} has no error file: no request in it failed."
