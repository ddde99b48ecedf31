"""Label/value rows wrapped to a width, values hanging beside their labels."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from batchtui.ui.field_layout import GAP, MIN_LABEL_WIDTH, layout_lines

CONSOLE = Console(width=200)


def plain(items, width: int) -> list[str]:
    return [line.plain for line in layout_lines(items, width, CONSOLE)]


def test_a_long_value_wraps_under_itself_not_under_its_label():
    lines = plain([(Text("Message"), Text("one two three four five six"))], 30)
    indent = MIN_LABEL_WIDTH + GAP
    assert lines[0].startswith("Message") and lines[0][indent:].startswith("one")
    assert len(lines) > 1
    assert all(line[:indent].strip() == "" and line[indent:].strip() for line in lines[1:])


def test_a_word_longer_than_the_column_is_folded_not_cut():
    token = "batch_" + "x" * 60
    lines = plain([(Text("ID"), Text(token))], 40)
    assert "".join(line[MIN_LABEL_WIDTH + GAP :].rstrip() for line in lines) == token


def test_labels_share_one_column_widened_by_a_long_key_up_to_a_third():
    items = [(Text("ID"), Text("a")), (Text("a_rather_long_key_name"), Text("b"))]
    wide = plain(items, 120)
    assert wide[0].index("a") == wide[1].index("b") == len("a_rather_long_key_name") + GAP
    narrow = plain(items, 60)
    assert narrow[0].index("a") == 20 + GAP  # a third of 60: the key goes on a line of its own, above its value
    assert narrow[1:] == ["a_rather_long_key_name", " " * (20 + GAP) + "b"]


def test_a_label_wider_than_its_column_is_one_line_so_it_cannot_forge_a_row():
    # At 80 cells the label column is 26 wide: wrapped, this key's second line would be a row of its own.
    key = "a_key_that_fills_26_cells_ Status          completed"
    lines = plain([(Text("Status"), Text("in_progress")), (Text(key), Text("value"))], 80)
    assert [line for line in lines if line.startswith("Status")] == ["Status".ljust(26 + GAP) + "in_progress"]
    assert lines[1:] == [key, " " * (26 + GAP) + "value"]
    # Wider than the whole width: cut with an ellipsis, still one line.
    assert plain([(Text(key), Text("value"))], 30) == [
        "a_key_that_fills_26_cells_ St…",
        " " * (MIN_LABEL_WIDTH + GAP) + "value",
    ]


def test_paragraphs_span_the_width_and_an_empty_one_is_a_blank_line():
    lines = plain([Text("Timeline"), (Text("Created"), Text("now")), Text(), Text("Errors")], 40)
    assert lines == ["Timeline", "Created".ljust(MIN_LABEL_WIDTH + GAP) + "now", "", "Errors"]


@given(
    st.lists(
        st.one_of(
            st.text(max_size=80).map(Text),
            st.tuples(st.text(max_size=40).map(Text), st.text(max_size=200).map(Text)),
        ),
        max_size=8,
    ),
    st.integers(min_value=1, max_value=160),
)
def test_no_line_is_ever_wider_than_the_width(items, width):
    for line in layout_lines(items, width, CONSOLE):
        assert line.cell_len <= max(width, GAP + 2)
