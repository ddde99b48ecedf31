"""The account's summary over the table: one dim line of plain text, cut with an ellipsis, never wrapped."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from batchtui.ui.formatting import clean


class SummaryLine(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._text = ""

    @property
    def text(self) -> str:
        return self._text

    def show(self, text: str) -> None:
        """Show `text` as it is: brackets stay brackets, control characters show as symbols."""
        if text == self._text:
            return
        self._text = text
        self.display = bool(text)  # nothing to say (no index yet): no empty line over the table
        # One line high whatever it says (styles/app.tcss), so a new text needs no layout.
        self.update(Text(clean(text), no_wrap=True, overflow="ellipsis", end=""), layout=False)
