"""Every key, in one place. Built from the bindings themselves so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

# Keys that belong to the table widget rather than to a screen binding.
TABLE_KEYS: tuple[tuple[str, str], ...] = (
    ("↑ ↓  j k", "Move between batches"),
    ("g  G", "First / last row of the page"),
    ("Enter", "Read the selected batch in the detail pane (↑ ↓ scroll it)"),
    ("Escape", "Back to the batch list"),
)


def key_label(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"space": "Space", "question_mark": "?", "escape": "Escape", "enter": "Enter"}
    return " ".join(names.get(key, key) for key in binding.key.split(","))


def help_table(bindings: Iterable[Binding]) -> Table:
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold", no_wrap=True, min_width=10)
    table.add_column()
    for keys, description in TABLE_KEYS:
        table.add_row(keys, description)
    for binding in bindings:
        table.add_row(key_label(binding), binding.tooltip or binding.description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="close_help")]

    def __init__(self, bindings: Iterable[Binding]) -> None:
        super().__init__()
        self.key_bindings = list(bindings)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("Keys", style="bold"))
            yield Static(help_table(self.key_bindings))
            yield Static(
                Text(
                    "\nThe list refreshes on its own; the status line says when it last did and when it "
                    "will next. When something fails, the old rows stay, marked stale, and E shows the "
                    "full error with the server's request id.\n\nEscape closes this screen.",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
