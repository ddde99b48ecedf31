"""What can be done with the marked batches together: which can be cancelled and why not, which have an
output file to save, and the file name each gets. No Textual here; the main screen acts on the answers."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from batchtui.api import statuses
from batchtui.api.models import Batch
from batchtui.jsonl.atomic import atomic_write_from
from batchtui.ui.file_cache import safe_name

# Where a cancel leads: the one active status no cancel starts from, then the end it reaches. A refused
# cancel whose batch shows one of these got through after all (an earlier attempt, retried).
CANCEL_UNDER_WAY = (statuses.ACTIVE - statuses.CANCELLABLE) | {"cancelled"}
# A folder full of `<id>_output-2.jsonl` … `-999` is a mistake somewhere; stop rather than loop on.
MAX_SUFFIX = 999


@dataclass(frozen=True)
class Skipped:
    batch: Batch
    reason: str


@dataclass(frozen=True)
class BulkPlan:
    """The marked batches split into those the action applies to and those it skips, with why."""

    chosen: tuple[Batch, ...]
    skipped: tuple[Skipped, ...]


def why_not_cancel(batch: Batch) -> str | None:
    """Why this batch cannot be cancelled ("already completed"), or None when it can."""
    if batch.status in statuses.CANCELLABLE:
        return None
    if batch.status in statuses.ACTIVE | statuses.TERMINAL:
        return f"already {batch.status}"  # cancelling, or ended
    return f"status {batch.status!r} cannot be cancelled"


def cancel_plan(batches: Sequence[Batch]) -> BulkPlan:
    chosen, skipped = [], []
    for batch in batches:
        reason = why_not_cancel(batch)
        if reason is None:
            chosen.append(batch)
        else:
            skipped.append(Skipped(batch, reason))
    return BulkPlan(tuple(chosen), tuple(skipped))


def download_plan(batches: Sequence[Batch]) -> BulkPlan:
    chosen, skipped = [], []
    for batch in batches:
        if batch.output_file_id:
            chosen.append(batch)
        elif batch.is_terminal:
            skipped.append(Skipped(batch, "no output file"))
        else:
            skipped.append(Skipped(batch, "no output yet"))
    return BulkPlan(tuple(chosen), tuple(skipped))


def output_name(batch_id: str) -> str:
    """`<batch_id>_output.jsonl`; an id the server sent cannot name a path outside the folder."""
    return f"{safe_name(batch_id)}_output.jsonl"


def candidate_names(name: str) -> Iterator[str]:
    """The name, then `<stem>-2<suffix>`, `-3`, …: a file already there is never replaced."""
    stem, suffix = os.path.splitext(name)
    yield name
    for number in range(2, MAX_SUFFIX + 1):
        yield f"{stem}-{number}{suffix}"


def default_folder(home: Path | None = None, current: Path | None = None) -> Path:
    """~/Downloads when there is one, else the current directory."""
    downloads = (home or Path.home()) / "Downloads"
    return downloads if downloads.is_dir() else (current or Path.cwd())


def save_beside_others(source: Path, folder: Path, name: str) -> Path:
    """Copy `source` into `folder` as `name`, or the first numbered name free; returns where it went.

    Each try is atomic and refuses an existing file, so a file that appears meanwhile is not replaced either.
    """
    for candidate in candidate_names(name):
        target = folder / candidate
        try:
            atomic_write_from(source, target, overwrite=False)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(f"{folder / name} and {MAX_SUFFIX - 1} numbered copies already exist")
