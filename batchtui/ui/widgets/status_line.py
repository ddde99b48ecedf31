"""The one line that says where you are and how fresh the data is."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class StatusLine(Horizontal):
    def compose(self) -> ComposeResult:
        yield Static(id="page-info")
        yield Static(id="fetch-info")

    def show(self, page_info: Text, fetch_info: Text, *, problem: bool) -> None:
        # Called every second; an unchanged line is not redrawn, and a redraw never needs a layout pass
        # unless fetch-info (width: auto) changed width.
        page = self.query_one("#page-info", Static)
        if page_info != page.content:
            page.update(page_info, layout=False)
        fetch = self.query_one("#fetch-info", Static)
        if fetch_info != fetch.content:
            fetch.update(fetch_info, layout=fetch_info.cell_len != getattr(fetch.content, "cell_len", None))
        self.set_class(problem, "-problem")
