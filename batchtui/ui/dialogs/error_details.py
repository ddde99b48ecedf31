"""The last error in full: the server's message, type, code and request id."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from batchtui.ui.dialogs.dialog import Dialog
from batchtui.ui.formatting import clean, local_time


class ErrorDetails(Dialog[None]):
    BINDINGS = [Binding("escape,q,E", "close", "Close", id="close_error")]

    def __init__(self, details: str, when: float | None) -> None:
        super().__init__()
        self.details = details
        self.when = when

    def compose(self) -> ComposeResult:
        text = Text("What went wrong\n\n", style="bold")
        text.append(clean(self.details, single_line=False))
        if self.when is not None:
            text.append(f"\n\nAt {local_time(int(self.when))}", style="dim")
        text.append("\n\nEscape closes.", style="dim")
        with VerticalScroll(id="error-dialog", classes="dialog"):
            yield Static(text)

    def action_close(self) -> None:
        self.dismiss(None)
