"""Ask for a folder to save several files into; files already there are never replaced."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Input, Static

from batchtui.ui.dialogs.dialog import Question, QuestionInput
from batchtui.ui.formatting import clean


def folder_problem(text: str) -> str | None:
    """Why files cannot be saved into this folder, in words; None when it can be tried."""
    if not text.strip():
        return "Type a folder."
    path = Path(text).expanduser()
    if not path.exists():
        return f"There is no folder {clean(path)}."
    if not path.is_dir():
        return f"{clean(path)} is not a folder."
    return None


class ChooseFolder(Question[Path | None]):
    """A folder, pre-filled; Enter chooses it, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_choose_folder")]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__()
        self.title_text = title
        self.default = default

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="folder-dialog", classes="dialog", can_focus=False):
            yield Static(Text(self.title_text, style="bold"))
            yield QuestionInput(value=str(self.default), id="folder-path", placeholder="folder to save into")
            yield Static(id="folder-message")
            yield Static(Text("Enter saves · Escape cancels · a file already there is kept", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#folder-message").display = False

    def first_focus(self) -> Widget:
        return self.query_one("#folder-path", Input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = folder_problem(event.value)
        if problem is not None:
            message = self.query_one("#folder-message", Static)
            message.update(Text(problem))
            message.display = True
            return
        self.dismiss(Path(event.value).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
