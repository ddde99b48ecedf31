"""Ask once before cancelling every marked batch: each one listed, and those that will be skipped named."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from batchtui.ui.bulk import BulkPlan
from batchtui.ui.dialogs.dialog import Question
from batchtui.ui.text.bulk import bulk_cancel_question


class ConfirmBulkCancel(Question[bool]):
    """As ConfirmCancel: only `y` or the cancel button confirms; focus starts on Keep."""

    BINDINGS = [
        Binding("y", "confirm", "Cancel them", id="confirm_bulk_cancel"),
        Binding("n,escape", "abort", "Keep them running", id="abort_bulk_cancel"),
    ]

    def __init__(self, plan: BulkPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        count = len(self.plan.chosen)
        with VerticalScroll(id="bulk-cancel-dialog", classes="dialog", can_focus=False):
            yield Static(bulk_cancel_question(self.plan), id="bulk-cancel-text")
            with Horizontal(classes="dialog-buttons"):
                # Text, not a string: a string label is markup, and "[y]" would vanish.
                yield Button(Text(f"Cancel {count}  [y]"), variant="error", id="confirm")
                yield Button(Text("Keep running  [n]"), variant="primary", id="abort")

    def first_focus(self) -> Widget:
        return self.query_one("#abort", Button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_abort(self) -> None:
        self.dismiss(False)
