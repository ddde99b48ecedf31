"""Every key, grouped by screen. Built from the bindings and the keymap, so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from batchtui.ui.keys import KeyGroup


def help_table(groups: Iterable[KeyGroup]) -> Table:
    table = Table.grid(padding=(0, 3))
    table.add_column(style="bold", no_wrap=True, min_width=10)
    table.add_column()
    for number, group in enumerate(groups):
        if number:
            table.add_row("", "")
        table.add_row(Text(group.title, style="bold underline"), "")
        for keys, description in group.rows:
            table.add_row(keys, description)
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="close_help")]

    def __init__(self, groups: Iterable[KeyGroup]) -> None:
        super().__init__()
        self.groups = list(groups)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text("Keys", style="bold"))
            yield Static(help_table(self.groups))
            yield Static(
                Text(
                    "\nThe list refreshes on its own; the status line says when it last did and when it "
                    "will next. When something fails, the old rows stay, marked stale, and the error key "
                    "shows the full error with the server's request id.\n\nEscape closes this screen.",
                    style="dim",
                )
            )

    def action_close(self) -> None:
        self.dismiss(None)
