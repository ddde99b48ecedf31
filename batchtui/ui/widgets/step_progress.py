"""One long step (checking, uploading, downloading, indexing) with its name and a progress bar."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from batchtui.jsonl.limits import byte_size
from batchtui.ui.screen_work import while_open


class StepProgress(Horizontal):
    """Safe to call after its screen has closed: work that outlives a screen reports into nothing."""

    def compose(self) -> ComposeResult:
        yield Static(classes="step-label")
        # No ETA: it would make every screenshot different, and byte counts say enough.
        yield ProgressBar(show_eta=False, classes="step-bar")
        yield Static(classes="step-count")

    @while_open
    def start(self, label: str, total: int | None = None) -> None:
        self.query_one(".step-label", Static).update(Text(label))
        self.query_one(ProgressBar).update(total=total, progress=0)
        self.query_one(".step-count", Static).update("")
        self.display = True

    @while_open
    def show(self, done: int, total: int | None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)
        self.query_one(".step-count", Static).update(Text(_amount(done, total), style="dim"))

    @while_open
    def stop(self) -> None:
        self.display = False


def _amount(done: int, total: int | None) -> str:
    return f"{byte_size(done)} of {byte_size(total)}" if total else byte_size(done)
