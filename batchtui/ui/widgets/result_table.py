"""The lines of a result file as a table that renders only what is on screen.

A DataTable took over ten seconds to take 50,000 rows; this draws the visible
lines from the index on demand (Textual's Line API), so 50,000 rows cost no
more than 50, and a new filter is a new list, not a rebuild.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from batchtui.jsonl.result_file import ResultLine
from batchtui.ui.formatting import clean, truncate

LINE_WIDTH = 7
STATUS_WIDTH = 6
CUSTOM_ID_WIDTH = (12, 40)  # narrowest and widest the custom_id column gets
GAP = 2


def status_label(result: ResultLine) -> str:
    if result.status_code is not None:
        return str(result.status_code)
    if result.error_code is not None:
        return "error"
    return "—" if result.parsed else "bad"


class ResultTable(ScrollView, can_focus=True):
    """Line number, custom_id, status code and the one-line summary of each result."""

    COMPONENT_CLASSES = {
        "result-table--header",
        "result-table--cursor",
        "result-table--dim",
        "result-table--success",
        "result-table--failure",
    }
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end,G", "last", "Last", show=False),
        Binding("enter", "open", "Open line"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Opened(Message):
        """Enter on a row: show this result in full."""

        result: ResultLine

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: Sequence[ResultLine] = ()
        self.empty_text = "No lines."
        self._id_width = CUSTOM_ID_WIDTH[0]

    def show_rows(
        self, rows: Sequence[ResultLine], *, widest_id: int | None = None, empty_text: str = "No lines."
    ) -> None:
        """Replace what is listed; the cursor goes back to the top."""
        self.rows = rows
        self.empty_text = empty_text
        if widest_id is not None:
            self._id_width = max(CUSTOM_ID_WIDTH[0], min(CUSTOM_ID_WIDTH[1], widest_id))
        self.virtual_size = Size(self.size.width, len(rows) + 1)
        self.scroll_to(y=0, animate=False)
        self.cursor = 0
        self.refresh()

    @property
    def current(self) -> ResultLine | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def _body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)

    def watch_cursor(self, cursor: int) -> None:
        top = round(self.scroll_y)
        if cursor < top:
            self.scroll_to(y=cursor, animate=False)
        elif cursor >= top + self._body_height:
            self.scroll_to(y=cursor - self._body_height + 1, animate=False)
        self.refresh()

    def _move_to(self, row: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, row))

    def action_cursor_up(self) -> None:
        self._move_to(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self._move_to(self.cursor + 1)

    def action_page_up(self) -> None:
        self._move_to(self.cursor - self._body_height)

    def action_page_down(self) -> None:
        self._move_to(self.cursor + self._body_height)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current))

    def on_click(self, event: events.Click) -> None:
        if event.y >= 1:
            self._move_to(round(self.scroll_y) + event.y - 1)
            if event.chain >= 2:
                self.action_open()

    # Rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            return self._header(width)
        index = round(self.scroll_y) + y - 1
        if not self.rows and y == 1:
            dim = self.rich_style + self.get_component_rich_style("result-table--dim")
            return Strip([Segment(f"  {self.empty_text}", dim)]).adjust_cell_length(width, self.rich_style)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        return self._row(self.rows[index], width, index == self.cursor)

    def _columns(self, width: int) -> tuple[int, int]:
        id_width = min(self._id_width, max(8, width // 3))
        summary_width = max(0, width - LINE_WIDTH - id_width - STATUS_WIDTH - 3 * GAP)
        return id_width, summary_width

    def _header(self, width: int) -> Strip:
        style = self.get_component_rich_style("result-table--header")
        id_width, summary_width = self._columns(width)
        cells = [("Line", LINE_WIDTH, True), ("custom_id", id_width, False), ("Status", STATUS_WIDTH, False)]
        cells.append(("Summary", summary_width, False))
        return self._strip(cells, [style] * 4, width, style)

    def _row(self, result: ResultLine, width: int, selected: bool) -> Strip:
        base = self.rich_style
        dim = self.get_component_rich_style("result-table--dim")
        if result.succeeded:
            status_style = self.get_component_rich_style("result-table--success")
        elif result.failed or not result.parsed:
            status_style = self.get_component_rich_style("result-table--failure")
        else:
            status_style = dim
        id_width, summary_width = self._columns(width)
        cells = [
            (f"{result.line_number:,}", LINE_WIDTH, True),
            (clean(result.custom_id) if result.custom_id is not None else "—", id_width, False),
            (status_label(result), STATUS_WIDTH, False),
            (clean(result.summary), summary_width, False),
        ]
        styles = [base + dim, base if result.custom_id is not None else base + dim, base + status_style, base]
        line_style = base
        if selected:
            cursor = self.get_component_rich_style("result-table--cursor")
            styles = [style + cursor for style in styles]
            line_style = base + cursor
        return self._strip(cells, styles, width, line_style)

    @staticmethod
    def _strip(cells: list[tuple[str, int, bool]], styles: list[Style], width: int, fill: Style) -> Strip:
        segments: list[Segment] = []
        for position, ((text, cell_width, right), style) in enumerate(zip(cells, styles, strict=True)):
            if cell_width <= 0:
                continue
            shown = truncate(text, cell_width)
            # Padding counts cells, not characters, so wide characters keep the columns straight.
            pad = " " * (cell_width - cell_len(shown))
            segments.append(Segment(pad + shown if right else shown + pad, style))
            if position < len(cells) - 1:
                segments.append(Segment(" " * GAP, fill))
        return Strip(segments).adjust_cell_length(width, fill)
