"""Everything about one batch: every field the server sent, including ones this version does not know."""

from __future__ import annotations

import json
from collections.abc import Mapping

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from batchtui.api.models import Batch
from batchtui.ui.formatting import age, clean, local_time, percent, progress_bar, relative, thousands
from batchtui.ui.widgets.batch_table import status_text

TIMELINE = (
    ("created_at", "Created"),
    ("in_progress_at", "In progress"),
    ("finalizing_at", "Finalizing"),
    ("completed_at", "Completed"),
    ("failed_at", "Failed"),
    ("expired_at", "Expired"),
    ("cancelling_at", "Cancelling"),
    ("cancelled_at", "Cancelled"),
    ("expires_at", "Expires"),
)


def _grid() -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, min_width=14)
    grid.add_column(overflow="fold")
    return grid


def _value(value: object, style: str = "") -> Text:
    if value is None or value == "":
        return Text("—", style="dim")
    return Text(clean(value, single_line=False), style=style)


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def overview(batch: Batch, theme: Mapping[str, str]) -> Table:
    grid = _grid()
    grid.add_row("ID", _value(batch.id))
    grid.add_row("Status", status_text(batch.status, theme))
    grid.add_row("Endpoint", _value(batch.endpoint))
    grid.add_row("Model", _value(batch.model))
    grid.add_row("Window", _value(batch.completion_window))
    grid.add_row("Input file", _value(batch.input_file_id))
    grid.add_row("Output file", _value(batch.output_file_id))
    grid.add_row("Error file", _value(batch.error_file_id))
    return grid


def progress(batch: Batch, theme: Mapping[str, str]) -> Table:
    counts = batch.request_counts
    grid = _grid()
    if counts is None:
        grid.add_row("Requests", _value(None))
        return grid
    fraction = percent(counts)
    if fraction is not None:
        bar = progress_bar(fraction, 30, theme.get("text-primary", ""))
        bar.append(f" {fraction * 100:.1f}%")
    else:
        bar = Text("unknown", style="dim")
    grid.add_row("Progress", bar)
    grid.add_row("Total", Text(thousands(counts.total)))
    grid.add_row("Completed", Text(thousands(counts.completed)))
    grid.add_row("Failed", Text(thousands(counts.failed), style="bold" if counts.failed else ""))
    if counts.total is not None and counts.finished is not None and counts.finished > counts.total:
        grid.add_row("", Text("The server reports more finished requests than the total.", style="italic"))
    return grid


def timeline(batch: Batch, now: float) -> Table:
    grid = _grid()
    for field, label in TIMELINE:
        stamp = getattr(batch, field)
        if stamp is None and field not in ("created_at", "expires_at"):
            continue
        grid.add_row(label, Text(f"{local_time(stamp)}  ({age(stamp, now)})" if stamp is not None else "—"))
    if not batch.is_terminal and batch.expires_at is not None:
        left = batch.expires_at - int(now)  # integers: a timestamp can be past a float's range
        text = f"{relative(left)} before the completion window closes" if left > 0 else "the completion window has passed"
        grid.add_row("Time left", Text(text, style="bold"))
    return grid


def usage(batch: Batch) -> Table | None:
    tokens = batch.usage
    if tokens is None:
        return None
    grid = _grid()
    cached = tokens.input_tokens_details.cached_tokens if tokens.input_tokens_details else None
    reasoning = tokens.output_tokens_details.reasoning_tokens if tokens.output_tokens_details else None
    grid.add_row("Input tokens", Text(thousands(tokens.input_tokens) + (f"  ({cached:,} cached)" if cached else "")))
    grid.add_row(
        "Output tokens", Text(thousands(tokens.output_tokens) + (f"  ({reasoning:,} reasoning)" if reasoning else ""))
    )
    grid.add_row("Total tokens", Text(thousands(tokens.total_tokens)))
    return grid


def errors(batch: Batch) -> Table | None:
    if batch.errors is None or not batch.errors.data:
        return None
    grid = _grid()
    for error in batch.errors.data:
        where = f"line {error.line}" if error.line is not None else "file"
        message = Text()
        if error.code:
            message.append(clean(error.code), style="bold")
            message.append(": ")
        message.append(clean(error.message or "(no message)", single_line=False))
        if error.param:
            message.append(f"  (param {clean(error.param)})", style="dim")
        grid.add_row(where, message)
    return grid


def metadata(batch: Batch) -> Table | None:
    if not batch.metadata:
        return None
    grid = _grid()
    for key, value in batch.metadata.items():
        grid.add_row(Text(clean(key)), _value(value))
    return grid


def extra_fields(batch: Batch) -> Table | None:
    extra = batch.extra_fields
    if not extra:
        return None
    grid = _grid()
    for key, value in extra.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        grid.add_row(Text(clean(key)), _value(shown))
    return grid


def _sections(parts: list[tuple[str, RenderableType | None]]) -> Group:
    shown: list[RenderableType] = []
    for title, section in parts:
        if section is None:
            continue
        if title:
            shown.append(Text(title, style="bold underline") if not shown else _heading(title))
        shown.append(section)
    return Group(*shown)


def main_column(batch: Batch, theme: Mapping[str, str]) -> Group:
    """What the batch is and how far it got."""
    return _sections([("", overview(batch, theme)), ("Requests", progress(batch, theme)), ("Usage", usage(batch))])


def side_column(batch: Batch, now: float) -> Group:
    """When things happened, what went wrong, and what the user attached."""
    return _sections(
        [
            ("Timeline", timeline(batch, now)),
            ("Errors", errors(batch)),
            ("Metadata", metadata(batch)),
            ("Other fields from the server", extra_fields(batch)),
        ]
    )


class BatchDetail(VerticalScroll, can_focus=True):
    """Scrolls when focused (Enter from the table); Escape goes back."""

    def compose(self):
        with Horizontal(id="detail-columns"):
            yield Static(Text("Select a batch to see everything about it.", style="dim"), id="detail-main")
            yield Static(id="detail-side")

    def show(self, batch: Batch | None, now: float) -> None:
        main = self.query_one("#detail-main", Static)
        side = self.query_one("#detail-side", Static)
        if batch is None:
            main.update(Text("No batch selected.", style="dim"))
            side.update("")
            return
        main.update(main_column(batch, self.app.theme_variables))
        side.update(side_column(batch, now))
