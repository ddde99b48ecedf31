"""What the bulk actions on marked batches say: the cancel question, and each outcome in one toast.

Server text (ids, endpoints, reasons) is cleaned here and never becomes markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.text import Text

from batchtui.api.models import Batch
from batchtui.ui.bulk import BulkPlan, Skipped, output_name
from batchtui.ui.formatting import clean, percent, thousands, truncate

# Ids named in one toast before the rest are only counted: a toast is a few lines.
NAMED_IN_SUMMARY = 3
REASON_CELLS = 80


def progress_text(batch: Batch) -> str:
    counts = batch.request_counts
    fraction = percent(counts)
    if counts is None or fraction is None:
        return "progress unknown"
    return f"{fraction * 100:.0f}% ({thousands(counts.finished)} of {thousands(counts.total)})"


def bulk_cancel_question(plan: BulkPlan) -> Text:
    """Every marked batch: those to cancel with endpoint and progress, then the skipped ones and why."""
    count = len(plan.chosen)
    text = Text(f"Cancel {count} marked batch{'' if count == 1 else 'es'}?", style="bold")
    text.append("\n\n")
    for batch in plan.chosen:
        _batch_line(text, batch, progress_text(batch))
    if plan.skipped:
        text.append(f"\n{len(plan.skipped)} skipped (nothing is sent for them):\n", style="bold")
        for skipped in plan.skipped:
            _batch_line(text, skipped.batch, f"skipped: {skipped.reason}")
    text.append(
        "\nRequests not yet run are dropped; finished ones stay in a partial output file. This cannot be undone."
    )
    return text


def _batch_line(text: Text, batch: Batch, note: str) -> None:
    text.append(clean(batch.id), style="bold")
    text.append(f"  {clean(batch.endpoint)}  ", style="dim")
    text.append(clean(note))
    text.append("\n")


def nothing_to_cancel(skipped: Sequence[Skipped]) -> str:
    return f"None of the {len(skipped)} marked batches can be cancelled: {_named(skipped)}."


def cancel_summary(cancelled: Sequence[str], failed: Sequence[tuple[str, str]], skipped: Sequence[Skipped]) -> str:
    """One line for the whole bulk cancel: 'Cancelling 3 batches; 1 could not be cancelled: <id>: <reason>'."""
    parts = [f"Cancelling {len(cancelled)} batch{'' if len(cancelled) == 1 else 'es'}"]
    if failed:
        named = "; ".join(f"{clean(batch_id)}: {truncate(clean(reason), REASON_CELLS)}" for batch_id, reason in failed)
        parts.append(f"{len(failed)} could not be cancelled: {named}")
    if skipped:
        parts.append(f"{len(skipped)} skipped ({_named(skipped)})")
    return "; ".join(parts)


def download_summary(
    folder: Path, saved: Sequence[tuple[str, Path]], failed: Sequence[tuple[str, str]], skipped: Sequence[Skipped]
) -> str:
    """'Saved 2 output files into /home/a/Downloads; 1 failed: <id>: <reason>; 1 skipped (<id>: no output file)'.

    `saved` pairs each batch id with where its output went.
    """
    parts = [f"Saved {len(saved)} output file{'' if len(saved) == 1 else 's'} into {clean(folder)}"]
    renamed = sum(1 for batch_id, path in saved if path.name != output_name(batch_id))
    if renamed:
        parts.append(f"{renamed} numbered (name taken)")
    if failed:
        named = "; ".join(f"{clean(batch_id)}: {truncate(clean(reason), REASON_CELLS)}" for batch_id, reason in failed)
        parts.append(f"{len(failed)} failed: {named}")
    if skipped:
        parts.append(f"{len(skipped)} skipped ({_named(skipped)})")
    return "; ".join(parts)


def download_progress(done: int, total: int, batch_id: str) -> str:
    return f"saving output {done} of {total}: {clean(batch_id)}"


def _named(skipped: Sequence[Skipped]) -> str:
    named = [f"{clean(item.batch.id)}: {item.reason}" for item in skipped[:NAMED_IN_SUMMARY]]
    if len(skipped) > NAMED_IN_SUMMARY:
        named.append(f"{len(skipped) - NAMED_IN_SUMMARY} more")
    return ", ".join(named)
