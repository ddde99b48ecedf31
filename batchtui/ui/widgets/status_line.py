"""The one line that says where you are and how fresh the data is."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

GAP = 3  # cells between the two halves


class StatusLine(Widget):
    """Where you are, on the left, and the fetch, on the right; where you are gives way first (cut with an
    ellipsis) when the line is too long, so how fresh the data is always stays whole.

    One widget drawing both halves on purpose: the fetch half changes width with every refresh ("Refreshing…"
    is shorter than "Updated … · next …"), and as two widgets side by side each change of width was a layout
    pass of the whole screen, in which Textual redraws every scroll view's scrollbars: four passes a refresh,
    a third of what an idle list cost. Here a change redraws this one line and nothing else."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.page_info = Text()
        self.fetch_info = Text()

    def show(self, page_info: Text, fetch_info: Text, *, problem: bool) -> None:
        # Called every second: an unchanged line is not redrawn.
        if page_info != self.page_info or fetch_info != self.fetch_info:
            self.page_info = page_info
            self.fetch_info = fetch_info
            self.refresh()
        self.set_class(problem, "-problem")

    def render(self) -> Text:
        return compose_line(self.page_info, self.fetch_info, self.content_size.width)


def compose_line(page_info: Text, fetch_info: Text, width: int) -> Text:
    """The two halves in exactly `width` cells: the fetch whole at the right (cut only if it alone is too
    long), where you are at the left in what is left after the gap."""
    fetch = fetch_info.copy()
    if fetch.cell_len > width:
        fetch.truncate(width, overflow="ellipsis")
    room = width - fetch.cell_len - GAP
    where = page_info.copy()
    if where.cell_len > room:
        if room > 0:
            where.truncate(room, overflow="ellipsis")
        else:
            where = Text()
    line = Text(no_wrap=True, end="")
    line.append_text(where)
    line.append(" " * max(width - where.cell_len - fetch.cell_len, 0))
    line.append_text(fetch)
    return line
