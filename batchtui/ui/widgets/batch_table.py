"""The list of batches: one row per batch, keyed by batch id, updated in place."""

from __future__ import annotations

import operator
from collections.abc import Collection, Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from batchtui.api.endpoints import ENDPOINT_NAMES
from batchtui.api.models import Batch
from batchtui.api.statuses import KNOWN
from batchtui.glance.insight import Cost, Insight
from batchtui.glance.text import cost_cell, eta_cell
from batchtui.ui.formatting import compact, metadata_summary, percent, progress_cell, safe_text, table_age

# Column key, label, width in cells at full size. Widths are fixed so a refresh never makes the table jump.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("mark", "", 1),
    ("id", "ID", 20),
    ("status", "Status", 13),  # room for the ⚠ of a stuck batch
    ("endpoint", "Endpoint", 11),
    ("model", "Model", 14),
    ("progress", "Progress", 30),
    ("cost", "Cost", 8),
    ("created", "Created", 9),  # room for the ▼ of a sorted column
    ("metadata", "Metadata", 24),
)
LABELS = {key: label for key, label, _ in COLUMNS}
# The columns shown and their widths, widest first: the first that fits the table's width is used.
# Metadata's width here is its least; it takes whatever the others leave.
Layout = Mapping[str, int]
FULL: Layout = {key: width for key, _, width in COLUMNS} | {"metadata": 12}
MEDIUM: Layout = {
    "mark": 1,
    "id": 16,
    "status": 13,
    "model": 12,
    "progress": 30,
    "cost": 8,
    "created": 9,
    "metadata": 12,
}
NARROW: Layout = {"mark": 1, "id": 16, "status": 13, "progress": 18, "cost": 8, "created": 9}  # fits 80 columns
LAYOUTS: tuple[Layout, ...] = (FULL, MEDIUM, NARROW)
METADATA_TEXT_LIMIT = 300
CELL_PADDING = 2  # DataTable pads each cell by one on either side
NO_ROW = Coordinate(-2, -2)  # below the header's -1: highlights nothing
_WIDTH = {key: width for key, _, width in COLUMNS}
ETA_WIDTH = 7  # " 2h10m": the ETA sits at the right edge of the progress cell, so the bar never moves
BAR_AND_PERCENT = 11  # "██▍───  41%": what a progress cell keeps when the counts do not fit
MARK = "●"
STUCK = "⚠ "
# Sized for a page, not DataTable's 10,000 cells: each refresh makes every render stale (~10 MB of dead ones).
# Delete when DataTable lets a table size its private render caches (no upstream issue found).
# Cell renders kept (see _render_cell): two pages of the widest column set, and a few cursor positions.
CELL_RENDERS_KEPT = 1_000
LINE_RENDERS_KEPT = 300  # lines kept (see _render_line): a few pages' rows with the cursor on and off them
RENDER_CACHE_SIZES: Mapping[str, int] = {
    "_cell_render_cache": 1_000,
    "_row_render_cache": 300,
    "_row_renderable_cache": 300,
    "_line_cache": 300,
}

# How each known status, and the other themed parts (the keys below), look in the theme now.
StatusStyles = Mapping[str, Style]
PROGRESS = "progress"  # the filled part of a progress bar
WARNING = "warning"  # a stuck batch's marker, an ETA past the completion window
MARKED = "mark"  # the mark of a marked batch
PARTS = (PROGRESS, WARNING, MARKED)


def _component(widget_name: str, key: str) -> str:
    return f"{widget_name}--{key}" if key in PARTS else f"{widget_name}--status-{key.replace('_', '-')}"


def component_classes(widget_name: str) -> set[str]:
    """A component class per known status and one per themed part, styled in styles/app.tcss."""
    return {_component(widget_name, key) for key in (*KNOWN, *PARTS)}


def theme_styles(widget: Widget, widget_name: str) -> dict[str, Style]:
    """Each status's look from the widget's component classes, in the colours of the theme in force."""
    # Partial: colour and text style only, so a cell keeps its row's background (zebra stripes, the cursor).
    return {
        key: widget.get_component_rich_style(_component(widget_name, key), partial=True) for key in (*KNOWN, *PARTS)
    }


def status_text(status: str, styles: StatusStyles, width: int | None = None) -> Text:
    if status not in KNOWN:
        # A status this version has never heard of: shown as sent, marked as unknown.
        return safe_text(f"{status}?", style="italic", width=width)
    return safe_text(status, style=styles.get(status, ""), width=width)


def status_cell(status: str, styles: StatusStyles, width: int, stuck: bool) -> Text:
    """The status, after a ⚠ in the warning colour when the batch looks stuck."""
    # The status is cut to the same width either way: the ⚠ has room of its own.
    shown = status_text(status, styles, width=width - len(STUCK))
    if not stuck:
        return shown
    cell = Text(STUCK, style=styles.get(WARNING, ""), no_wrap=True, overflow="ellipsis")
    cell.append_text(shown)
    return cell


def short_endpoint(endpoint: str) -> str:
    return ENDPOINT_NAMES.get(endpoint, endpoint)


def cost_text(cost: Cost | None) -> Text:
    """The estimated cost, right-aligned; '—' when it cannot be estimated, blank when nobody tried."""
    if cost is None:
        return Text("", no_wrap=True)
    return Text(cost_cell(cost), style="" if cost.total is not None else "dim", justify="right", no_wrap=True)


def progress_text(batch: Batch, insight: Insight | None, now: float, styles: StatusStyles, width: int) -> Text:
    """Bar, percentage, counts and failures; an in_progress batch's ETA at the right edge, so the bar never moves."""
    counts = batch.request_counts
    cell = progress_cell(counts, counting=batch.status == "validating", fill_style=styles.get(PROGRESS, ""))
    eta = insight.eta if insight is not None and batch.status == "in_progress" else None
    room = width if eta is None else width - ETA_WIDTH
    if counts is not None and percent(counts) is not None and cell.cell_len > room:
        cell = _without_counts(cell, counts.failed, room)
    if insight is None or eta is None:
        return cell
    cell.truncate(room, overflow="ellipsis", pad=True)
    late = eta.left_at_close is not None
    cell.append(eta_cell(insight, now)[: ETA_WIDTH - 1].rjust(ETA_WIDTH), style=styles.get(WARNING, "") if late else "")
    return cell


def _without_counts(cell: Text, failed: int | None, room: int) -> Text:
    """The bar and the percentage, and the failures if they fit: what matters when finished/total does not."""
    short = cell[:BAR_AND_PERCENT]
    failures = f" ✗{compact(failed)}" if failed else ""
    if failures and short.cell_len + len(failures) <= room:
        short.append(failures, style="bold")
    return short


class _OrderedIdCell(Text):
    """The id cell also carries the row's position in the server's order, for sorting."""

    position: int = 0


def themed_cells(
    batch: Batch,
    styles: StatusStyles,
    insight: Insight | None = None,
    *,
    marked: bool = False,
    now: float = 0.0,
    layout: Layout = FULL,
) -> dict[str, Text]:
    """The cells drawn in the theme's colours: made again when the theme changes."""
    return {
        "mark": Text(MARK if marked else "", style=styles.get(MARKED, ""), no_wrap=True),
        "status": status_cell(
            batch.status, styles, layout["status"], stuck=insight is not None and insight.stuck is not None
        ),
        "progress": progress_text(batch, insight, now, styles, layout["progress"]),
    }


def row_cells(
    batch: Batch,
    now: float,
    styles: StatusStyles,
    position: int,
    insight: Insight | None = None,
    *,
    marked: bool = False,
    layout: Layout = FULL,
) -> dict[str, Text]:
    """Every cell of the batch's row, for the columns of `layout`."""
    id_cell = _OrderedIdCell(safe_text(batch.id, width=layout["id"]).plain, no_wrap=True)
    id_cell.position = position
    cells = {
        "id": id_cell,
        "endpoint": safe_text(short_endpoint(batch.endpoint), width=layout.get("endpoint", _WIDTH["endpoint"])),
        "model": safe_text(
            batch.model or "—", style="" if batch.model else "dim", width=layout.get("model", _WIDTH["model"])
        ),
        "cost": cost_text(insight.cost if insight else None),
        "created": Text(table_age(batch.created_at, now), no_wrap=True),
        # The column's width changes with the terminal; the table crops, this only bounds the work.
        "metadata": metadata_summary(batch.metadata, METADATA_TEXT_LIMIT),
        **themed_cells(batch, styles, insight, marked=marked, now=now, layout=layout),
    }
    return {key: cells[key] for key in layout}


def layout_for(width: int) -> Layout:
    """The widest layout whose columns fit `width` cells, else the narrowest."""
    for layout in LAYOUTS:
        if sum(layout.values()) + CELL_PADDING * len(layout) <= width:
            return layout
    return LAYOUTS[-1]


class BatchTable(DataTable):
    COMPONENT_CLASSES = component_classes("batch-table")
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first_row", "First row", show=False, id="first_row"),
        Binding("G", "last_row", "Last row", show=False, id="last_row"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        for name, size in RENDER_CACHE_SIZES.items():
            getattr(self, name).maxsize = size
        self._cell_renders: dict[tuple[object, ...], tuple[object, object]] = {}
        self._line_renders: dict[tuple[object, ...], tuple[list[object], Strip]] = {}
        self._shown: dict[str, Batch] = {}
        self._insights: Mapping[str, Insight] = {}
        self._marked: frozenset[str] = frozenset()
        self._now = 0.0
        self._layout: Layout = FULL
        self._sorted_by: str | None = None
        self._status_styles: StatusStyles | None = None

    def on_mount(self) -> None:
        self._add_columns()
        # Colours go into cells when made, not into each render (rows off the cursor share one): re-style on a switch.
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def _add_columns(self) -> None:
        for key, width in self._layout.items():
            self.add_column(self._label(key), key=key, width=_WIDTH["metadata"] if key == "metadata" else width)

    def _label(self, key: str) -> Text:
        label = f"{LABELS[key]} ▼" if key == self._sorted_by else LABELS[key]
        return Text(label, justify="right" if key == "cost" else "left")  # over right-aligned amounts

    def mark_sorted(self, column_key: str | None) -> None:
        """Put ▼ on the header of the column the rows are sorted by (None: the server's order)."""
        self._sorted_by = column_key
        for key in self._layout:
            column = self.columns.get(ColumnKey(key))
            if column is not None:
                column.label = self._label(key)
        self.refresh()

    def on_resize(self) -> None:
        width = self.scrollable_content_region.width
        layout = layout_for(width)
        if layout is not self._layout:
            self._relayout(layout)
        if "metadata" not in layout:
            return
        # Metadata takes whatever width the other columns leave, so the table fits without scrolling.
        fixed = sum(width + CELL_PADDING for key, width in layout.items() if key != "metadata")
        column = self.columns.get("metadata")  # type: ignore[call-overload]
        if column is None:
            return
        wanted = max(layout["metadata"], width - fixed - CELL_PADDING)
        if column.width != wanted:
            column.width = wanted
            # DataTable measures a new Column.width only when this private flag is set (it reads it on idle).
            # Delete when DataTable re-measures after a column's width changes (no upstream issue found).
            self._require_update_dimensions = True
            self.refresh()

    def _relayout(self, layout: Layout) -> None:
        """Other columns for another width: the rows are made again, the cursor stays on its batch."""
        keep = self.selected_id
        self._layout = layout
        self.clear(columns=True)
        self._add_columns()
        styles = self._current_styles()
        for index, batch in enumerate(self._shown.values()):
            cells = self._cells(batch, styles, index)
            self.add_row(*cells.values(), key=batch.id)
        self.select_id(keep)

    @property
    def selected_id(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    def select_id(self, batch_id: str | None) -> bool:
        """Put the cursor on this batch; False when it is not on this page."""
        if batch_id is None or batch_id not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(batch_id), animate=False)
        return True

    def show_batches(
        self,
        batches: Sequence[Batch],
        now: float,
        keep_id: str | None = None,
        *,
        insights: Mapping[str, Insight] | None = None,
        marked: Collection[str] = (),
    ) -> None:
        """Make the rows match `batches`: changed cells are updated, rows come and go, the cursor stays on its batch.

        `insights` (by batch id) adds the ETA, the cost and the stuck marker; a batch without one shows neither.
        `marked` are the ids that get the mark in the first column.
        """
        styles = self._current_styles()
        self._now, self._insights, self._marked = now, dict(insights or {}), frozenset(marked)
        self._shown = {batch.id: batch for batch in batches}
        wanted = {batch.id: self._cells(batch, styles, index) for index, batch in enumerate(batches)}
        for row_key in list(self.rows):
            if row_key.value not in wanted:
                self.remove_row(row_key)
        for batch_id, cells in wanted.items():
            if batch_id in self.rows:
                self._update_row(batch_id, cells)
            else:
                self.add_row(*cells.values(), key=batch_id)
        if [key.value for key in self._ordered_keys()] != list(wanted):
            self.sort("id", key=lambda cell: cell.position)
        if not self.select_id(keep_id) and self.row_count:
            # The kept batch is gone (or this is a new page): stay in place, within bounds.
            row = 0 if keep_id is None else min(self.cursor_row, self.row_count - 1)
            self.move_cursor(row=row, animate=False)

    def _cells(self, batch: Batch, styles: StatusStyles, position: int) -> dict[str, Text]:
        return row_cells(
            batch,
            self._now,
            styles,
            position,
            self._insights.get(batch.id),
            marked=batch.id in self._marked,
            layout=self._layout,
        )

    def _restyle(self, _theme: Theme) -> None:
        """Every row in the new theme's colours at once, whether refresh is paused or not."""
        self._status_styles = None
        self._cell_renders.clear()  # drawn in the old theme's component styles
        self._line_renders.clear()
        styles = self._current_styles()
        for batch_id, batch in self._shown.items():
            cells = themed_cells(
                batch,
                styles,
                self._insights.get(batch_id),
                marked=batch_id in self._marked,
                now=self._now,
                layout=self._layout,
            )
            for key, cell in cells.items():
                self.update_cell(batch_id, key, cell)

    def _current_styles(self) -> StatusStyles:
        if self._status_styles is None:  # once per theme: resolving them cost ~0.3 ms a refresh
            self._status_styles = theme_styles(self, "batch-table")
        return self._status_styles

    def _ordered_keys(self) -> list:
        return [self.coordinate_to_cell_key((index, 0))[0] for index in range(self.row_count)]

    def _update_row(self, batch_id: str, cells: Mapping[str, Text]) -> None:
        current = self.get_row(batch_id)
        for key, old in zip(self._layout, current, strict=True):
            new = cells[key]
            if key == "id":
                old.position = new.position  # type: ignore[attr-defined]
                continue
            if old != new:
                self.update_cell(batch_id, key, new)

    def _render_cell(self, row_index, column_index, base_style, width, cursor=False, hover=False):
        # DataTable keys every cell's render on one table-wide update count, so a refresh that changed a few cells
        # drew all ~180 again (0.2 ms each: most of a refresh's CPU). Here a render is reused while the cell holds
        # the same value object (update_cell puts a new one) at the same place, style and width.
        # Delete when DataTable keys cell renders per cell (no upstream issue found); tests/framework guards it.
        if row_index < 0 or column_index < 0:  # the header
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        value = self.get_cell_at(Coordinate(row_index, column_index))
        key = (row_index, column_index, base_style, width, cursor, hover, self._show_hover_cursor)
        key += (self._pseudo_class_state,)
        cached = self._cell_renders.get(key)
        if cached is not None and cached[0] is value:
            return cached[1]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._cell_renders) >= CELL_RENDERS_KEPT:
            self._cell_renders.clear()
        self._cell_renders[key] = (value, lines)
        return lines

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        # DataTable keys each line's render on the same table-wide update count: one changed cell, and every line
        # was put together from its cells again (while batches run, most of what a refresh cost to draw). Here a
        # line is reused while its row holds the same cell value objects, at the same place, widths, style and
        # cursor; the cached entry holds those objects, so an identity match can never be a recycled id.
        # Delete when DataTable keys line renders per row (no upstream issue found); tests/framework guards it.
        try:
            row_key, line_no = self._get_offsets(y)
        except LookupError:  # below the last row
            return super()._render_line(y, x1, x2, base_style)
        if row_key not in self._row_locations:  # the header
            return super()._render_line(y, x1, x2, base_style)
        row_index = self._row_locations.get(row_key)
        cursor = self.cursor_coordinate if self.cursor_coordinate.row == row_index else NO_ROW
        hover = self.hover_coordinate if self.hover_coordinate.row == row_index else NO_ROW
        widths = tuple(column.get_render_width(self) for column in self.ordered_columns)
        key = (row_key, line_no, row_index, x1, x2, self.size.width, widths, base_style, cursor, hover)
        key += (self.cursor_type, self.show_cursor, self._show_hover_cursor, self._pseudo_class_state)
        values = self.get_row(row_key)
        cached = self._line_renders.get(key)
        if cached is not None and len(cached[0]) == len(values) and all(map(operator.is_, cached[0], values)):
            return cached[1]
        strip = super()._render_line(y, x1, x2, base_style)
        if len(self._line_renders) >= LINE_RENDERS_KEPT:
            self._line_renders.clear()
        self._line_renders[key] = (values, strip)
        return strip

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_renders.clear()  # a new stylesheet or theme: component styles the key does not name

    def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
        # DataTable keys row renders on the cursor, so each move redrew every row (15–20 ms): the rest now share one.
        # Delete when DataTable stops keying row renders on the cursor (no upstream issue found).
        row_index = self._row_locations.get(row_key) if row_key in self._row_locations else -1  # -1: header
        if cursor_location.row != row_index:
            cursor_location = NO_ROW
        if hover_location.row != row_index:
            hover_location = NO_ROW
        return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=max(0, self.row_count - 1))
