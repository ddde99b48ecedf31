"""The query bar over the batch table: what the user types, and one line for what could not be read."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Static

from batchtui.ui.formatting import clean

PLACEHOLDER = "words, status:failed, is:active, model:gpt-4.1, endpoint:embeddings, key=value, created:<7d, -word"


class SearchBar(Vertical):
    BINDINGS = [
        Binding("escape", "close", "Clear search", id="close_search", tooltip="Clear the search: back to the live list")
    ]

    @dataclass
    class Changed(Message):
        text: str

    class Closed(Message):
        """Escape in the bar: back to the live list."""

    class Done(Message):
        """Enter in the bar: keep the query, move to the results."""

    def compose(self) -> ComposeResult:
        yield Input(placeholder=PLACEHOLDER, id="search-input")
        yield Static(id="search-problems")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def on_mount(self) -> None:
        # Hidden, it must not take focus (it comes first on the screen, so it would at start).
        self.input.disabled = True

    def open(self, text: str | None = None) -> None:
        self.input.disabled = False
        if text is not None and text != self.input.value:
            self.input.value = text
        self.display = True
        self.input.focus()

    def close(self) -> None:
        self.input.value = ""
        self.input.disabled = True
        self.show_problems(())
        self.display = False

    def show_problems(self, problems: tuple[str, ...]) -> None:
        line = self.query_one("#search-problems", Static)
        line.display = bool(problems)
        if problems:
            # The parser's words quote what was typed: literal text, never markup.
            line.update(Text("⚠ " + " · ".join(clean(problem) for problem in problems)))

    @on(Input.Changed, "#search-input")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done())

    def action_close(self) -> None:
        self.post_message(self.Closed())
