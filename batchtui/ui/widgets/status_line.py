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
        self.query_one("#page-info", Static).update(page_info)
        self.query_one("#fetch-info", Static).update(fetch_info)
        self.set_class(problem, "-problem")
