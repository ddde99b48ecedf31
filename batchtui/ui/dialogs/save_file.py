"""Ask where to save a file, and never overwrite one without asking first."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Static
from textual.worker import WorkerFailed

from batchtui.jsonl.limits import byte_size
from batchtui.ui.dialogs.dialog import Question, QuestionInput
from batchtui.ui.formatting import clean, local_time
from batchtui.ui.screen_work import in_thread

T = TypeVar("T")


def path_problem(text: str) -> str | None:
    """Why this path cannot be saved to, in words; None when it can be tried."""
    if not text.strip():
        return "Type a file name."
    path = Path(text).expanduser()
    if path.is_dir():
        return f"{clean(path)} is a folder: add a file name."
    parent = path.parent
    if not parent.exists():
        return f"There is no folder {clean(parent)}."
    if not parent.is_dir():
        return f"{clean(parent)} is not a folder."
    return None


class SaveFileScreen(Question[str | None]):
    """A path, pre-filled; Enter saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_save")]

    def __init__(self, title: str, default: str, message: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.message = message

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="save-dialog", classes="dialog", can_focus=False):
            yield Static(Text(self.title_text, style="bold"))
            yield QuestionInput(value=self.default, id="save-path", placeholder="path of the file to write")
            yield Static(Text(self.message or ""), id="save-message")
            yield Static(
                Text("Enter saves · Escape cancels · an existing file is only replaced if you say so", style="dim")
            )

    def on_mount(self) -> None:
        self.query_one("#save-message").display = bool(self.message)

    def first_focus(self) -> Widget:
        return self.query_one("#save-path", Input)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        problem = path_problem(event.value)
        if problem is not None:
            message = self.query_one("#save-message", Static)
            message.update(Text(problem))
            message.display = True
            return
        self.dismiss(str(Path(event.value).expanduser()))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmOverwrite(Question[bool]):
    """Replacing a file is final: only `y` or the replace button does it; focus starts on Keep."""

    BINDINGS = [
        Binding("y", "overwrite", "Overwrite", id="confirm_overwrite"),
        Binding("n,escape", "keep", "Keep it", id="keep_existing"),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        text = Text()
        text.append(clean(self.path), style="bold")
        text.append(" already exists")
        try:
            info = self.path.stat()
        except OSError:
            pass
        else:
            text.append(f" ({byte_size(info.st_size)}, changed {local_time(int(info.st_mtime))})")
        text.append(".\n\nReplace it, or go back to choose another name?")
        with VerticalScroll(id="overwrite-dialog", classes="dialog", can_focus=False):
            yield Static(text, id="overwrite-text")
            with Horizontal(classes="dialog-buttons"):
                # Text, not a string: a string label is markup, and "[y]" would vanish.
                yield Button(Text("Replace  [y]"), variant="warning", id="overwrite")
                yield Button(Text("Keep it  [n]"), variant="primary", id="keep")

    def first_focus(self) -> Widget:
        return self.query_one("#keep", Button)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "overwrite")

    def action_overwrite(self) -> None:
        self.dismiss(True)

    def action_keep(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True)
class Saved(Generic[T]):
    path: Path
    result: T


class SavePrompt(Generic[T]):
    """Ask for a path, confirm an overwrite, then run `write(path, overwrite)` in a thread.

    Made in the action that asks, so its first dialog is pushed at once and keys typed right after
    meet it, not the screen behind; `run()` is then awaited in a worker. A failed write is shown in
    the dialog, which opens again; None when the user gives up. A write under way when the worker is
    cancelled (its screen was left) finishes: the file is whole.
    """

    def __init__(self, app: App, title: str, default: str, write: Callable[[Path, bool], T]) -> None:
        self._app = app
        self._title = title
        self._write = write
        self._answer = SaveFileScreen(title, default, None).ask(app)

    async def run(self) -> Saved[T] | None:
        while True:
            chosen = await self._answer
            if chosen is None:
                return None
            path = Path(chosen)
            overwrite = os.path.lexists(path)
            if overwrite and not await ConfirmOverwrite(path).ask(self._app):
                self._answer = SaveFileScreen(self._title, chosen, None).ask(self._app)
                continue
            try:
                result = await in_thread(self._app, lambda path=path, overwrite=overwrite: self._write(path, overwrite))
            except WorkerFailed as failure:
                self._answer = SaveFileScreen(self._title, chosen, _write_failure(path, failure.error)).ask(self._app)
                continue
            return Saved(path, result)


def _write_failure(path: Path, error: BaseException) -> str:
    if isinstance(error, FileExistsError):
        return f"{clean(path)} appeared while saving; choose again (nothing was overwritten)."
    if isinstance(error, OSError):
        reason = error.strerror or os.strerror(error.errno or errno.EIO)
        return f"Could not write {clean(path)}: {clean(reason)}."
    return f"Could not write {clean(path)}: {clean(error)}"
