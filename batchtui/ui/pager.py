"""Which page of batches is shown, and how to get back to earlier ones.

The API pages newest-first with `after` only (there is no `before`), so going
back means remembering the cursor that loaded each page. Plain Python: the
screen asks it what to load and hands it what came back.
"""

from __future__ import annotations

from dataclasses import dataclass

from batchtui.api.models import BatchPage


@dataclass(frozen=True)
class PageRequest:
    """Load page `index` (0 is the first) with this `after` cursor."""

    index: int
    cursor: str | None


@dataclass(frozen=True)
class Landing:
    """What happened to a loaded page: shown (with the batch to select on it), or refused with a reason."""

    shown: bool
    keep_id: str | None = None


FIRST_PAGE = PageRequest(0, None)


class Pager:
    def __init__(self) -> None:
        # cursors[i] is the `after` that loads page i+1; page 1 has none.
        self.cursors: list[str | None] = [None]
        self.page: BatchPage | None = None
        # Why paging forward stopped, when the server's "next page" could not be shown.
        self.note: str | None = None
        # The batch selected on each page visited, so going back lands where the user was.
        self._selected_on_page: dict[int, str] = {}

    @property
    def number(self) -> int:
        return len(self.cursors)

    @property
    def has_next(self) -> bool:
        return self.page is not None and self.page.has_more and self.note is None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def current(self) -> PageRequest:
        index = self.number - 1
        return PageRequest(index, self.cursors[index])

    def next(self) -> PageRequest | None:
        if not self.has_next or self.page is None:
            return None
        return PageRequest(self.number, self.page.next_cursor)

    def previous(self) -> PageRequest | None:
        if not self.has_previous:
            return None
        index = self.number - 2
        return PageRequest(index, self.cursors[index])

    def select_later(self, request: PageRequest, batch_id: str) -> None:
        """Select this batch when `request`'s page is next shown (a batch just created, on page 1)."""
        self._selected_on_page[request.index] = batch_id

    def accept(self, request: PageRequest, page: BatchPage, selected_id: str | None) -> Landing:
        """Take a loaded page; `selected_id` is the batch selected on the page shown until now."""
        shown_index = self.number - 1
        if request.index >= self.number:
            refusal = self._refuse_forward(page)
            if refusal:
                self.note = refusal
                return Landing(shown=False)
            self.cursors.append(request.cursor)
        else:
            del self.cursors[request.index + 1 :]
        self.note = None
        if request.index == shown_index:
            # A reload keeps the selection, unless a batch was set aside for this page (see select_later).
            keep_id = self._selected_on_page.pop(request.index, selected_id)
        else:
            if selected_id:
                self._selected_on_page[shown_index] = selected_id
            # A page visited before lands on the batch selected there; a new one on its first row.
            keep_id = self._selected_on_page.pop(request.index, None)
        self.page = page
        return Landing(shown=True, keep_id=keep_id)

    def _refuse_forward(self, page: BatchPage) -> str | None:
        """Why the page the server sent as 'next' cannot be shown, if it cannot."""
        if not page.data:
            return "No more batches after this page."
        current = {batch.id for batch in self.page.data} if self.page else set()
        # has_more with a cursor that does not advance, or that leads back to an earlier page: seen on
        # mocks and some gateways. Either way the user would page through the same batches forever.
        if current & {batch.id for batch in page.data} or page.next_cursor in self.cursors[1:]:
            return "The server sent the same batches again for the next page; paging stopped here."
        return None
