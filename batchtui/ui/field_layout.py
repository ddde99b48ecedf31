"""Label/value rows under headings, wrapped to a width as plain lines of text.

Rich tables did this before, but a Static holding them renders them two or three times per update
and every nested table again each time; lines are wrapped once and kept until something changes.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.text import Text

# A paragraph spans the whole width; a row is (label, value) with the value wrapped beside the label.
Row = tuple[Text, Text]
Item = Text | Row

MIN_LABEL_WIDTH = 14
GAP = 2


def layout_lines(items: Sequence[Item], width: int, console: Console) -> list[Text]:
    """The items as lines of at most `width` cells; long values wrap under themselves, labels never wrap."""
    width = max(1, width)
    labels = [item[0].cell_len for item in items if isinstance(item, tuple)]
    # Long metadata keys may widen the label column, but never past a third of the width.
    label_width = min(max([MIN_LABEL_WIDTH, *labels]), max(MIN_LABEL_WIDTH, width // 3))
    if label_width + GAP >= width:  # a very narrow pane: halve it rather than push values off the edge
        label_width = max(1, (width - GAP) // 2)
    value_width = max(1, width - label_width - GAP)
    lines: list[Text] = []
    for item in items:
        if isinstance(item, Text):
            lines.extend(item.wrap(console, width, overflow="fold"))
            continue
        label, value = item
        value_lines = value.wrap(console, value_width, overflow="fold") if value.plain else [Text()]
        beside = [label]
        if label.cell_len > label_width:
            # Above its value, never wrapped: a label's second line in the label column would read as a row of its own.
            lines.append(_one_line(label, width))
            beside = []
        for index in range(len(value_lines)):
            lines.append(side_by_side(beside, value_lines, index, label_width + GAP))
    return lines


def _one_line(text: Text, width: int) -> Text:
    """The text cut to `width` cells with an ellipsis."""
    cut = text.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut


def side_by_side(left: Sequence[Text], right: Sequence[Text], index: int, right_at: int) -> Text:
    """Line `index` of two columns, the right one starting at cell `right_at`."""
    # Appended, not copied: each part keeps its own style and none leaks into the padding.
    line = Text()
    if index < len(left):
        line.append_text(left[index])
    line.pad_right(right_at - line.cell_len)
    if index < len(right):
        line.append_text(right[index])
    return line
