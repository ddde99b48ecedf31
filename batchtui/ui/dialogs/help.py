"""Every key, grouped by screen. Built from the bindings and the keymap, so it cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from batchtui.ui.dialogs.dialog import Dialog
from batchtui.ui.keys import KeyGroup


def help_table(groups: Iterable[KeyGroup]) -> Group:
    """One titled table per screen, their key columns one width so the descriptions line up."""
    groups = list(groups)
    key_width = max((cell_len(keys) for group in groups for keys, _ in group.rows), default=1)
    parts: list[Text | Table] = []
    for number, group in enumerate(groups):
        parts.append(Text(("\n" if number else "") + group.title, style="bold underline"))
        table = Table.grid(padding=(0, 3))
        table.add_column(style="bold", no_wrap=True, min_width=key_width)
        table.add_column()
        for keys, description in group.rows:
            table.add_row(keys, description)
        parts.append(table)
    return Group(*parts)


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close", id="close_help")]

    def __init__(self, groups: Iterable[KeyGroup]) -> None:
        super().__init__()
        self.groups = list(groups)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog", classes="dialog"):
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
