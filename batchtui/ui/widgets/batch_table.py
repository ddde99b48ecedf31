"""The list of batches: one row per batch, keyed by batch id, updated in place."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.theme import Theme
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from batchtui.api.endpoints import ENDPOINT_NAMES
from batchtui.api.models import Batch
from batchtui.api.statuses import KNOWN
from batchtui.ui.formatting import age, metadata_summary, progress_cell, safe_text

# Column key, label, width in cells. Widths are fixed so a refresh never makes the table jump.
COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "ID", 20),
    ("status", "Status", 11),
    ("endpoint", "Endpoint", 11),
    ("model", "Model", 14),
    ("progress", "Progress", 28),
    ("created", "Created", 9),  # room for the ▼ of a sorted column
    ("metadata", "Metadata", 24),
)
MIN_METADATA_WIDTH = 12
METADATA_TEXT_LIMIT = 300
CELL_PADDING = 2  # DataTable pads each cell by one on either side
NO_ROW = Coordinate(-2, -2)  # below the header's -1: highlights nothing
_WIDTH = {key: width for key, _, width in COLUMNS}
# Sized for a page, not DataTable's 10,000 cells: each refresh makes every render stale (~10 MB of dead ones).
# Delete when DataTable lets a table size its private render caches (no upstream issue found).
RENDER_CACHE_SIZES: Mapping[str, int] = {
    "_cell_render_cache": 1_000,
    "_row_render_cache": 300,
    "_row_renderable_cache": 300,
    "_line_cache": 300,
}

# How each known status, and the filled part of a progress bar (PROGRESS), look in the theme now.
StatusStyles = Mapping[str, Style]
PROGRESS = "progress"


def _component(widget_name: str, key: str) -> str:
    return f"{widget_name}--{PROGRESS}" if key == PROGRESS else f"{widget_name}--status-{key.replace('_', '-')}"


def component_classes(widget_name: str) -> set[str]:
    """A component class per known status and one for the progress bar, styled in styles/app.tcss."""
    return {_component(widget_name, key) for key in (*KNOWN, PROGRESS)}


def theme_styles(widget: Widget, widget_name: str) -> dict[str, Style]:
    """Each status's look from the widget's component classes, in the colours of the theme in force."""
    # Partial: colour and text style only, so a cell keeps its row's background (zebra stripes, the cursor).
    return {
        key: widget.get_component_rich_style(_component(widget_name, key), partial=True) for key in (*KNOWN, PROGRESS)
    }


def status_text(status: str, styles: StatusStyles, width: int | None = None) -> Text:
    if status not in KNOWN:
        # A status this version has never heard of: shown as sent, marked as unknown.
        return safe_text(f"{status}?", style="italic", width=width)
    return safe_text(status, style=styles.get(status, ""), width=width)


def short_endpoint(endpoint: str) -> str:
    return ENDPOINT_NAMES.get(endpoint, endpoint)


class _OrderedIdCell(Text):
    """The id cell also carries the row's position in the server's order, for sorting."""

    position: int = 0


def themed_cells(batch: Batch, styles: StatusStyles) -> dict[str, Text]:
    """The cells drawn in the theme's colours: made again when the theme changes."""
    return {
        "status": status_text(batch.status, styles, width=_WIDTH["status"]),
        "progress": progress_cell(
            batch.request_counts, counting=batch.status == "validating", fill_style=styles.get(PROGRESS, "")
        ),
    }


def row_cells(batch: Batch, now: float, styles: StatusStyles, position: int) -> dict[str, Text]:
    id_cell = _OrderedIdCell(safe_text(batch.id, width=_WIDTH["id"]).plain, no_wrap=True)
    id_cell.position = position
    return {
        "id": id_cell,
        "endpoint": safe_text(short_endpoint(batch.endpoint), width=_WIDTH["endpoint"]),
        "model": safe_text(batch.model or "—", style="" if batch.model else "dim", width=_WIDTH["model"]),
        "created": Text(age(batch.created_at, now).replace(" ago", ""), no_wrap=True),
        # The column's width changes with the terminal; the table crops, this only bounds the work.
        "metadata": metadata_summary(batch.metadata, METADATA_TEXT_LIMIT),
        **themed_cells(batch, styles),
    }


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
        self._shown: dict[str, Batch] = {}
        self._status_styles: StatusStyles | None = None

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)
        # Colours go into cells when made, not into each render (rows off the cursor share one): re-style on a switch.
        self.app.theme_changed_signal.subscribe(self, self._restyle)

    def mark_sorted(self, column_key: str | None) -> None:
        """Put ▼ on the header of the column the rows are sorted by (None: the server's order)."""
        for key, label, _ in COLUMNS:
            column = self.columns.get(ColumnKey(key))
            if column is not None:
                column.label = Text(f"{label} ▼" if key == column_key else label)
        self.refresh()

    def on_resize(self) -> None:
        # Metadata takes whatever width the fixed columns leave, so the table fits without scrolling.
        fixed = sum(width + CELL_PADDING for key, _, width in COLUMNS if key != "metadata")
        column = self.columns.get("metadata")  # type: ignore[call-overload]
        if column is None:
            return
        wanted = max(MIN_METADATA_WIDTH, self.scrollable_content_region.width - fixed - CELL_PADDING)
        if column.width != wanted:
            column.width = wanted
            # DataTable measures a new Column.width only when this private flag is set (it reads it on idle).
            # Delete when DataTable re-measures after a column's width changes (no upstream issue found).
            self._require_update_dimensions = True
            self.refresh()

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

    def show_batches(self, batches: Sequence[Batch], now: float, keep_id: str | None = None) -> None:
        """Make the rows match `batches`: changed cells are updated, rows come and go, the cursor stays on its batch."""
        styles = self._current_styles()
        wanted = {batch.id: row_cells(batch, now, styles, index) for index, batch in enumerate(batches)}
        self._shown = {batch.id: batch for batch in batches}
        for row_key in list(self.rows):
            if row_key.value not in wanted:
                self.remove_row(row_key)
        for batch_id, cells in wanted.items():
            if batch_id in self.rows:
                self._update_row(batch_id, cells)
            else:
                self.add_row(*(cells[key] for key, _, _ in COLUMNS), key=batch_id)
        if [key.value for key in self._ordered_keys()] != list(wanted):
            self.sort("id", key=lambda cell: cell.position)
        if not self.select_id(keep_id) and self.row_count:
            # The kept batch is gone (or this is a new page): stay in place, within bounds.
            row = 0 if keep_id is None else min(self.cursor_row, self.row_count - 1)
            self.move_cursor(row=row, animate=False)

    def _restyle(self, _theme: Theme) -> None:
        """Every row in the new theme's colours at once, whether refresh is paused or not."""
        self._status_styles = None
        styles = self._current_styles()
        for batch_id, batch in self._shown.items():
            for key, cell in themed_cells(batch, styles).items():
                self.update_cell(batch_id, key, cell)

    def _current_styles(self) -> StatusStyles:
        if self._status_styles is None:  # once per theme: resolving them cost ~0.3 ms a refresh
            self._status_styles = theme_styles(self, "batch-table")
        return self._status_styles

    def _ordered_keys(self) -> list:
        return [self.coordinate_to_cell_key((index, 0))[0] for index in range(self.row_count)]

    def _update_row(self, batch_id: str, cells: Mapping[str, Text]) -> None:
        current = self.get_row(batch_id)
        for (key, _, _), old in zip(COLUMNS, current, strict=True):
            new = cells[key]
            if key == "id":
                old.position = new.position  # type: ignore[attr-defined]
                continue
            if old != new:
                self.update_cell(batch_id, key, new)

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
