"""Ask before cancelling: cancelling cannot be undone, and partial results are all you keep."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Static

from batchtui.api.models import Batch
from batchtui.ui.dialogs.dialog import Question
from batchtui.ui.formatting import clean, percent, thousands


def describe_batch(batch: Batch) -> Text:
    counts = batch.request_counts
    fraction = percent(counts)
    if counts is None or fraction is None:
        progress = "progress unknown"
    else:
        progress = f"{fraction * 100:.0f}% done ({thousands(counts.finished)} of {thousands(counts.total)} requests)"
    text = Text()
    text.append("Cancel batch ", style="bold")
    text.append(clean(batch.id), style="bold")
    text.append("?\n\n")
    for label, value in (
        ("Endpoint", batch.endpoint),
        ("Model", batch.model or "—"),
        ("Status", batch.status),
        ("Progress", progress),
    ):
        text.append(f"{label:<10}", style="dim")
        text.append(clean(value))
        text.append("\n")
    text.append(
        "\nRequests not yet run are dropped; finished ones stay in a partial output file. This cannot be undone."
    )
    return text


class ConfirmCancel(Question[bool]):
    """Cancelling is final: only `y` or the cancel button confirms; Enter presses the focused button, Keep first."""

    BINDINGS = [
        Binding("y", "confirm", "Cancel the batch", id="confirm_cancel"),
        Binding("n,escape", "abort", "Keep it running", id="abort_cancel"),
    ]

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="confirm-dialog", classes="dialog", can_focus=False):
            yield Static(describe_batch(self.batch), id="confirm-text")
            with Horizontal(classes="dialog-buttons"):
                # Text, not a string: a string label is markup, and "[y]" would vanish.
                yield Button(Text("Cancel batch  [y]"), variant="error", id="confirm")
                yield Button(Text("Keep running  [n]"), variant="primary", id="abort")

    def first_focus(self) -> Widget:
        return self.query_one("#abort", Button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_abort(self) -> None:
        self.dismiss(False)
