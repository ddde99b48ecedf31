"""One line of a result file in full: pretty-printed JSON in a scrollable, read-only view."""

from __future__ import annotations

import json

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from batchtui.jsonl.line_reader import LineError, parse_line
from batchtui.jsonl.result_file import ResultLine
from batchtui.ui.dialogs.dialog import Dialog
from batchtui.ui.formatting import clean

# An embeddings answer can be megabytes; past this the view says where to read the rest.
SHOWN_CHARACTERS = 2_000_000


def pretty_line(raw: bytes) -> tuple[str, str | None]:
    """The line as indented JSON with control characters made visible, and a note when it is not JSON."""
    try:
        parsed = parse_line(raw)
    except LineError as error:
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        note = f"This line is not valid JSON ({error.message}); shown as stored."
        indented = False  # no line breaks of ours: any in the line are the server's
    else:
        text = json.dumps(parsed, indent=2, ensure_ascii=False)
        note = None
        indented = True  # json.dumps breaks lines only to indent: a string's \n is escaped (U+2028 and NEL are not)
    if len(text) > SHOWN_CHARACTERS:
        hidden = len(text) - SHOWN_CHARACTERS
        text = text[:SHOWN_CHARACTERS]
        note = (note + " " if note else "") + f"{hidden:,} more characters not shown; save the file (d) to read them."
    return ("\n".join(clean(line) for line in text.split("\n")) if indented else clean(text)), note


class ResultLineScreen(Dialog[None]):
    BINDINGS = [Binding("escape,q", "close", "Close", id="close_line")]

    def __init__(self, result: ResultLine, text: str, note: str | None) -> None:
        super().__init__()
        self.result = result
        self.text = text
        self.note = note

    def compose(self) -> ComposeResult:
        title = Text(f"Line {self.result.line_number:,}", style="bold")
        if self.result.custom_id is not None:
            title.append("  ·  custom_id ")
            title.append(clean(self.result.custom_id), style="bold")
        with Vertical(id="line-dialog", classes="dialog"):
            yield Static(title)
            if self.note:
                yield Static(Text(self.note, style="italic"), id="line-note")
            yield TextArea(self.text, read_only=True, soft_wrap=True, show_line_numbers=True, id="line-text")
            yield Static(Text("↑ ↓ PgUp PgDn scroll · Escape closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(None)
