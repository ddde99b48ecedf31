"""Everything about one batch: every field the server sent, including ones this version does not know."""

from __future__ import annotations

import json

from rich.console import Console
from rich.text import Text
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.theme import Theme

from batchtui.api.models import Batch
from batchtui.glance.insight import Cost, Eta, Insight, Stuck
from batchtui.glance.text import eta_phrase, money, rate_phrase, window_warning
from batchtui.ui.field_layout import Item, Row, layout_lines, side_by_side
from batchtui.ui.formatting import age, clean, local_time, percent, progress_bar, relative, safe_text, thousands
from batchtui.ui.widgets.batch_table import (
    PROGRESS,
    WARNING,
    StatusStyles,
    component_classes,
    status_text,
    theme_styles,
)

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


def _labelled(rows: list[tuple[str, Text]]) -> list[Row]:
    return [(Text(label, style="bold"), value) for label, value in rows]


def _value(value: object, style: str = "") -> Text:
    if value is None or value == "":
        return Text("—", style="dim")
    return safe_text(value, style=style)


def overview(batch: Batch, styles: StatusStyles, stuck: Stuck | None = None) -> list[Row]:
    status = [("Status", status_text(batch.status, styles))]
    if stuck is not None:
        status.append(("", Text(f"⚠ {clean(stuck.text)}", style=styles.get(WARNING, ""))))
    return _labelled(
        [
            ("ID", _value(batch.id)),
            *status,
            ("Endpoint", _value(batch.endpoint)),
            ("Model", _value(batch.model)),
            ("Window", _value(batch.completion_window)),
            ("Input file", _value(batch.input_file_id)),
            ("Output file", _value(batch.output_file_id)),
            ("Error file", _value(batch.error_file_id)),
        ]
    )


def progress(batch: Batch, styles: StatusStyles, eta: Eta | None = None, now: float = 0.0) -> list[Row]:
    counts = batch.request_counts
    if counts is None:
        return _labelled([("Requests", _value(None))])
    rows: list[tuple[str, Text]] = []
    fraction = percent(counts)
    if fraction is not None:
        bar = progress_bar(fraction, 30, styles.get(PROGRESS, ""))
        bar.append(f" {fraction * 100:.1f}%")
    else:
        bar = Text("unknown", style="dim")
    rows.append(("Progress", bar))
    if eta is not None and batch.status == "in_progress":
        # Right under the bar: the pane shows a dozen lines, and when it will finish is what a user looks for.
        rows.extend(pace(eta, now, styles))
    rows.append(("Total", Text(thousands(counts.total))))
    rows.append(("Completed", Text(thousands(counts.completed))))
    rows.append(("Failed", Text(thousands(counts.failed), style="bold" if counts.failed else "")))
    if counts.total is not None and counts.finished is not None and counts.finished > counts.total:
        rows.append(("", Text("The server reports more finished requests than the total.", style="italic")))
    return _labelled(rows)


def rate_and_basis(eta: Eta) -> str:
    """'1,240 requests/min, measured between refreshes' (or on average since the batch went in progress)."""
    basis = "measured between refreshes" if eta.from_observations else "on average since it went in progress"
    return f"{rate_phrase(eta)}, {basis}"


def pace(eta: Eta, now: float, styles: StatusStyles) -> list[tuple[str, Text]]:
    """When an in_progress batch should finish, how fast it goes, and whether its window is long enough."""
    rows = [("ETA", Text(eta_phrase(eta, now), style="bold")), ("Rate", Text(rate_and_basis(eta)))]
    warning = window_warning(eta, now)
    if warning is not None:
        rows.append(("", Text(f"⚠ {warning}", style=styles.get(WARNING, ""))))
    return rows


def timeline(batch: Batch, now: float) -> list[Row]:
    rows: list[tuple[str, Text]] = []
    for field, label in TIMELINE:
        stamp = getattr(batch, field)
        if stamp is None and field not in ("created_at", "expires_at"):
            continue
        rows.append((label, Text(f"{local_time(stamp)}  ({age(stamp, now)})") if stamp is not None else _value(None)))
    if not batch.is_terminal and batch.expires_at is not None:
        left = batch.expires_at - int(now)  # integers: a timestamp can be past a float's range
        text = (
            f"{relative(left)} before the completion window closes" if left > 0 else "the completion window has passed"
        )
        rows.append(("Time left", Text(text, style="bold")))
    return _labelled(rows)


def usage(batch: Batch) -> list[Row] | None:
    tokens = batch.usage
    if tokens is None:
        return None
    rows: list[tuple[str, Text]] = []
    cached = tokens.input_tokens_details.cached_tokens if tokens.input_tokens_details else None
    reasoning = tokens.output_tokens_details.reasoning_tokens if tokens.output_tokens_details else None
    rows.append(("Input tokens", Text(thousands(tokens.input_tokens) + (f"  ({cached:,} cached)" if cached else ""))))
    rows.append(
        ("Output tokens", Text(thousands(tokens.output_tokens) + (f"  ({reasoning:,} reasoning)" if reasoning else "")))
    )
    rows.append(("Total tokens", Text(thousands(tokens.total_tokens))))
    return _labelled(rows)


def cost(estimate: Cost | None) -> list[Row] | None:
    """The estimate token by token and its total, at batch prices; '—' and why when there is none."""
    if estimate is None:
        return None
    if estimate.total is None:
        reason = Text("—", style="dim")
        if estimate.reason:
            reason.append(f"  {clean(estimate.reason)}", style="dim")
        return _labelled([("Total", reason)])
    token_width = max((len(f"{part.tokens:,}") for part in estimate.parts), default=0)
    rows = [(part.label, Text(f"{part.tokens:>{token_width},} tokens  {money(part.cost)}")) for part in estimate.parts]
    rows.append(("Total", Text(money(estimate.total), style="bold")))
    if estimate.basis:
        rows.append(("", Text(estimate.basis, style="dim")))
    else:
        basis = (
            "at the price list's batch prices" if estimate.batch_prices else "at batch prices: half the listed price"
        )
        rows.append(("", Text(f"an estimate {basis}", style="dim")))
    return _labelled(rows)


def errors(batch: Batch) -> list[Row] | None:
    if batch.errors is None or not batch.errors.data:
        return None
    rows: list[tuple[str, Text]] = []
    for error in batch.errors.data:
        where = f"line {error.line}" if error.line is not None else "file"
        message = Text()
        if error.code:
            message.append(clean(error.code), style="bold")
            message.append(": ")
        message.append(clean(error.message or "(no message)"))
        if error.param:
            message.append(f"  (param {clean(error.param)})", style="dim")
        rows.append((where, message))
    return _labelled(rows)


def metadata(batch: Batch) -> list[Row] | None:
    if not batch.metadata:
        return None
    return _labelled([(clean(key), _value(value)) for key, value in batch.metadata.items()])


def extra_fields(batch: Batch) -> list[Row] | None:
    extra = batch.extra_fields
    if not extra:
        return None
    rows: list[tuple[str, Text]] = []
    for key, value in extra.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        rows.append((clean(key), _value(shown)))
    return _labelled(rows)


def _sections(parts: list[tuple[str, list[Row] | None]]) -> list[Item]:
    shown: list[Item] = []
    for title, rows in parts:
        if rows is None:
            continue
        if title:
            if shown:
                shown.append(Text())
            shown.append(Text(title, style="bold underline"))
        shown.extend(rows)
    return shown


def main_column(batch: Batch, styles: StatusStyles, insight: Insight | None = None, now: float = 0.0) -> list[Item]:
    """What the batch is, how far it got, and what it cost."""
    return _sections(
        [
            ("", overview(batch, styles, insight.stuck if insight else None)),
            ("Requests", progress(batch, styles, insight.eta if insight else None, now)),
            ("Usage", usage(batch)),
            ("Cost (estimate)", cost(insight.cost if insight else None)),
        ]
    )


def side_column(batch: Batch, now: float) -> list[Item]:
    """When things happened, what went wrong, and what the user attached."""
    return _sections(
        [
            ("Timeline", timeline(batch, now)),
            ("Errors", errors(batch)),
            ("Metadata", metadata(batch)),
            ("Other fields from the server", extra_fields(batch)),
        ]
    )


COLUMN_GAP = 2
STACK_BELOW = 90  # cells: a narrower pane shows the two columns one under the other
Columns = tuple[tuple[Item, ...], tuple[Item, ...]]


class BatchDetail(ScrollView, can_focus=True):
    """Scrolls when focused (Enter from the table); Escape goes back.

    Drawn line by line at a fixed size: showing another batch repaints the pane and never makes
    Textual lay out the screen again (a full layout pass cost more than the rest of a cursor move).
    """

    COMPONENT_CLASSES = component_classes("batch-detail")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._columns: Columns = ((Text("Select a batch to see everything about it.", style="dim"),), ())
        self._drawn_for: tuple[int, object] | None = None  # (width, base style) of self._lines
        self._lines: list[Strip] = []
        self._batch: Batch | None = None
        self._shown_at = 0.0  # the `now` the batch was shown for
        self._insight: Insight | None = None
        self._status_styles: StatusStyles | None = None

    def on_mount(self) -> None:
        # Status colours go into the columns once per batch, not into every paint: a theme switch remakes them.
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def show(self, batch: Batch | None, now: float, insight: Insight | None = None) -> None:
        """Show this batch, and what `insight` says about it (its ETA, whether it is stuck, its cost)."""
        columns = self._columns_for(batch, now, insight)
        if columns == self._columns:
            return  # most refresh ticks change nothing the pane shows (the insight's text is in the columns)
        another = batch is None or self._batch is None or batch.id != self._batch.id
        self._batch, self._shown_at, self._insight = batch, now, insight
        self._columns = columns
        self._drawn_for = None
        self._fit()
        if another:
            self.scroll_home(animate=False)  # another batch starts at its top; a refreshed one stays put
        self.refresh()

    def _columns_for(self, batch: Batch | None, now: float, insight: Insight | None) -> Columns:
        if batch is None:
            return ((Text("No batch selected.", style="dim"),), ())
        if self._status_styles is None:  # once per theme: resolving them cost ~0.3 ms a cursor move
            self._status_styles = theme_styles(self, "batch-detail")
        return (tuple(main_column(batch, self._status_styles, insight, now)), tuple(side_column(batch, now)))

    def _restyle(self, _theme: Theme) -> None:
        self._status_styles = None
        if self._batch is None:
            return  # what is shown without a batch is dim, in none of the theme's colours
        self._columns = self._columns_for(self._batch, self._shown_at, self._insight)
        self._drawn_for = None
        self.refresh()

    def plain_lines(self) -> list[str]:
        """Every line of the pane at its current width, scrolled out of view or not."""
        return [strip.text.rstrip() for strip in self._strips()]

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._strips()))

    def _strips(self) -> list[Strip]:
        """The pane's lines, made again only when the batch, the width or the theme changed."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if (width, base) != self._drawn_for:
            console = self.app.console
            self._lines = [
                Strip(line.render(console)).apply_style(base).crop_extend(0, width, base)
                for line in self._text_lines(width, console)
            ]
            self._drawn_for = (width, base)
        return self._lines

    def _text_lines(self, width: int, console: Console) -> list[Text]:
        main, side = self._columns
        if width < STACK_BELOW:
            below = [Text(), *layout_lines(side, width, console)] if side else []
            return [*layout_lines(main, width, console), *below]
        left_width = (width - COLUMN_GAP) // 2
        left = layout_lines(main, left_width, console)
        right = layout_lines(side, width - COLUMN_GAP - left_width, console)
        return [
            side_by_side(left, right, index, left_width + COLUMN_GAP) for index in range(max(len(left), len(right)))
        ]

    def render_lines(self, crop: Region) -> list[Strip]:
        self._strips()  # brought up to date once per paint, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        lines = self._lines
        width = self._drawn_for[0] if self._drawn_for else 0
        if scroll_y + y >= len(lines):
            return Strip.blank(width, self.rich_style)
        return lines[scroll_y + y].crop_extend(scroll_x, scroll_x + width, self.rich_style)
