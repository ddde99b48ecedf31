"""The batch list read from the local index: a query as typed, a sort, and which page of the matches.

Plain Python, like the Pager: the screen asks it what to search and hands it what came back.
"""

from __future__ import annotations

import math

from batchtui.store import Query, Sort, parse_query, toggle_active
from batchtui.ui.history import IndexedPage


class IndexView:
    def __init__(self, page_size: int) -> None:
        self.page_size = page_size
        self.text = ""
        self.query: Query = parse_query("")
        self.sort = Sort.CREATED
        self.offset = 0
        self.result: IndexedPage | None = None

    def set_text(self, text: str) -> None:
        """A new query starts at its first page."""
        if text != self.text:
            self.text = text
            self.query = parse_query(text)
            self.offset = 0

    def toggle_active(self) -> str:
        """Add or remove `is:active`; returns the new text for the search bar."""
        self.set_text(toggle_active(self.text))
        return self.text

    def cycle_sort(self) -> Sort:
        self.sort = self.sort.next()
        self.offset = 0
        return self.sort

    @property
    def page_number(self) -> int:
        return self.offset // self.page_size + 1

    @property
    def page_count(self) -> int:
        matching = self.result.matching if self.result else 0
        return max(1, math.ceil(matching / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.result is not None and self.offset + self.page_size < self.result.matching

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    def next(self) -> bool:
        if not self.has_next:
            return False
        self.offset += self.page_size
        return True

    def previous(self) -> bool:
        if not self.has_previous:
            return False
        self.offset = max(0, self.offset - self.page_size)
        return True

    def accept(self, result: IndexedPage) -> bool:
        """Take a search's answer; False when the page asked for is past the end and must be asked again."""
        self.result = result
        if result.matching and self.offset >= result.matching:
            # Fewer matches than before (a batch changed status): go to the last page there is.
            self.offset = (self.page_count - 1) * self.page_size
            return False
        return True
