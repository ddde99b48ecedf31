"""Pick an input file from a folder tree: folders and .jsonl files only."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import DirectoryTree, Static

from batchtui.ui.dialogs.dialog import Question
from batchtui.ui.formatting import clean


class JsonlTree(DirectoryTree):
    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [path for path in paths if not path.name.startswith(".") and (path.is_dir() or path.suffix == ".jsonl")]


class FilePicker(Question[str | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_pick"),
        Binding("backspace", "parent", "Parent folder", id="parent_folder"),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog", classes="dialog"):
            yield Static(self._title(self.start), id="picker-title")
            yield JsonlTree(self.start, id="picker-tree")
            yield Static(
                Text(
                    "Enter picks a .jsonl file or opens a folder · Backspace: parent folder · Escape cancels",
                    style="dim",
                )
            )

    def first_focus(self) -> Widget:
        return self.query_one(JsonlTree)

    @staticmethod
    def _title(folder: Path) -> Text:
        text = Text("Choose the input file  ", style="bold")
        text.append(clean(folder), style="dim")
        return text

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(str(event.path))

    def action_parent(self) -> None:
        tree = self.query_one(JsonlTree)
        parent = Path(tree.path).resolve().parent
        tree.path = parent
        self.query_one("#picker-title", Static).update(self._title(parent))

    def action_cancel(self) -> None:
        self.dismiss(None)
