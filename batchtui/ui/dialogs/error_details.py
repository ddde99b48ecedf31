"""The last error in full: the server's message, type, code and request id."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from batchtui.ui.dialogs.dialog import Dialog
from batchtui.ui.formatting import local_time, safe_text


class ErrorDetails(Dialog[None]):
    BINDINGS = [Binding("escape,q,E", "close", "Close", id="close_error")]

    def __init__(self, lines: Sequence[str], when: float | None) -> None:
        """`lines` are the rows to show (`BatchAPIError.detail_lines()`); a line break inside one may be a server's."""
        super().__init__()
        self.lines = list(lines)
        self.when = when

    def compose(self) -> ComposeResult:
        text = Text("What went wrong\n\n", style="bold")
        # Each line wraps but keeps a server's line breaks as symbols, so a message cannot forge a "Code:" line.
        text.append_text(Text("\n").join(safe_text(line) for line in self.lines))
        if self.when is not None:
            text.append(f"\n\nAt {local_time(int(self.when))}", style="dim")
        text.append("\n\nEscape closes.", style="dim")
        with VerticalScroll(id="error-dialog", classes="dialog"):
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
