"""A server string is one line wherever it is shown: its own line breaks are symbols, so it cannot forge a row."""

from __future__ import annotations

import json
import re

from hypothesis import given
from hypothesis import strategies as st
from textual.app import App

from batchtui.jsonl.result_file import ResultLine
from batchtui.ui.dialogs.error_details import ErrorDetails
from batchtui.ui.dialogs.result_line import ResultLineScreen, pretty_line
from batchtui.ui.formatting import clean, safe_text
from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.batch_table import BatchTable
from batchtui.ui.widgets.result_table import ResultTable
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.rendering import assert_terminal_safe, widget_lines
from tests.support.waiting import settle
from tests.ui.fake_api import FakeAPI

FORGED = "\nStatus          completed\r\u2028\u202e"
# Every character that can end a line or reorder one; none may survive cleaning.
BREAKS_AND_BIDI = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SYMBOLS = ("␊", "␍", "⟨U+2028⟩", "⟨U+202E⟩")


def label_starts(lines: list[str], label: str) -> list[str]:
    """Lines where `label` begins a column: at the start of the line or after a gap of two spaces."""
    return [line for line in lines if re.search(rf"(?:^|  ){re.escape(label)}", line)]


def assert_symbols_shown(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert all(symbol in text for symbol in SYMBOLS), text
    assert BREAKS_AND_BIDI.search(text.replace("\n", "")) is None


def forged_batch() -> dict:
    return numbered_batch(
        0,
        "in_progress",
        id=f"batch_forged{FORGED}",
        model=f"gpt{FORGED}",
        metadata={f"team{FORGED}": f"search{FORGED}"},
        errors={"object": "list", "data": [{"code": f"bad{FORGED}", "message": f"oops{FORGED}", "line": 3}]},
        region=f"eu{FORGED}",
    )


async def test_a_forged_line_break_adds_no_row_to_the_detail_pane():
    api = FakeAPI(batches=[forged_batch(), numbered_batch(1)])
    # Side by side at 160 columns, stacked at 80: neither may show a second Status row.
    for size in ((160, 60), (80, 80)):
        app = build_app(transport=api.transport())
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            batch_id = api.batches[0]["id"]
            assert app.screen.query_one(BatchTable).select_id(batch_id)
            await pilot.pause()
            lines = app.screen.query_one(BatchDetail).plain_lines()
            status_rows = label_starts(lines, "Status")
            assert len(status_rows) == 1 and status_rows[0].startswith("Status          in_progress"), status_rows
            assert_symbols_shown(lines)
            text = "\n".join(lines)
            for shown in ("batch_forged␊Status", "gpt␊Status", "team␊Status", "search␊Status", "oops␊Status"):
                assert shown in text, shown
            assert "bad␊Status" in text and "eu␊Status" in text
            assert_terminal_safe(app, screenshot=False)


async def test_a_forged_line_break_adds_no_row_to_the_error_details():
    api = FakeAPI(batches=[numbered_batch(0)])
    app = build_app(transport=api.transport())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        body = {"message": f"boom{FORGED}\nCode: forged", "type": f"server_error{FORGED}", "code": "real"}
        api.fail_with = (500, {"error": body})
        await pilot.press("r")
        await settle(app, pilot)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ErrorDetails)
        lines = [line.strip() for line in widget_lines(app.screen.query_one("#error-dialog Static"))]
        assert label_starts(lines, "Status") == [], lines
        assert not [line for line in lines if line.startswith("Code: forged")], lines
        assert_symbols_shown(lines)
        assert_terminal_safe(app, screenshot=False)


async def test_error_details_given_lines_keep_them_and_show_a_servers_breaks_as_symbols():
    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ErrorDetails(["HTTP 500: boom" + FORGED, "Code: real"], None))

    app = Host()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        lines = [line.strip().strip("│").strip() for line in widget_lines(app.screen.query_one("#error-dialog Static"))]
        assert "Code: real" in lines, lines
        assert label_starts(lines, "Status") == [], lines
        assert_symbols_shown(lines)


async def test_the_title_bar_shows_the_server_label_on_one_line():
    app = build_app(transport=FakeAPI(batches=[numbered_batch(0)]).transport(), server_label=f"fake.test{FORGED}")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        lines = [line.strip() for line in widget_lines(app.screen.query_one("#title-bar"))]
        assert [line for line in lines if line] == ["batchtui  ·  fake.test␊Status          completed␍⟨U+2028⟩⟨U+202E⟩"]


def test_a_result_lines_text_breaks_only_where_the_json_is_indented():
    # TextArea splits on every line boundary str.splitlines knows, U+2028 among them.
    raw = json.dumps({"custom_id": "a\u2028b\u2029c\u0085d\u202ee"}).encode()
    text, _ = pretty_line(raw)
    assert text.splitlines() == ["{", '  "custom_id": "a⟨U+2028⟩b⟨U+2029⟩c⟨U+0085⟩d⟨U+202E⟩e"', "}"]
    not_json, note = pretty_line("not json\r\u2028 at all".encode())
    assert note is not None and not_json.splitlines() == ["not json␍⟨U+2028⟩ at all"]


async def test_the_result_line_header_and_the_results_table_keep_a_custom_id_on_one_line():
    result = ResultLine(1, 0, f"req{FORGED}", 200, f"answer{FORGED}")

    class Host(App):
        def compose(self):
            yield ResultTable()

        def on_mount(self) -> None:
            self.query_one(ResultTable).show_rows([result], widest_id=40)

    app = Host()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rows = [line.rstrip() for line in widget_lines(app.query_one(ResultTable))]
        assert len([row for row in rows if row]) == 2, rows  # the header and the one result
        assert "req␊Status          completed␍⟨U+2028⟩⟨…" in rows[1], rows[1]  # cut to the custom_id column
        assert "answer␊Status          completed␍⟨U+2028⟩⟨U+202E⟩" in rows[1], rows[1]
        app.push_screen(ResultLineScreen(result, "{}", None))
        await pilot.pause()
        header = widget_lines(app.screen.query("#line-dialog Static").first())
        assert [line.strip() for line in header if line.strip()] == [
            "Line 1  ·  custom_id req␊Status          completed␍⟨U+2028⟩⟨U+202E⟩"
        ]


# Any text, with the characters that matter drawn far more often than chance would.
# (a list joined, not st.text: st.text merges its alphabet into one range and loses the weighting).
RISKY = "\n\r\t\x0b\x85\u2028\u2029\u202e\u2067\u200d"
risky_text = st.lists(st.one_of(st.characters(), st.sampled_from(RISKY))).map("".join)


@given(risky_text)
def test_cleaned_text_never_breaks_or_reorders_a_line(value):
    for text in (clean(value), safe_text(value).plain, safe_text(value, width=20).plain):
        assert BREAKS_AND_BIDI.search(text) is None, repr(text)


def test_each_kind_of_invisible_or_line_breaking_character_has_a_visible_symbol():
    shown = {"\t": "␉", "\x1b": "␛", "\x7f": "␡", "\x85": "⟨U+0085⟩", "\u2029": "⟨U+2029⟩", "\u2066": "⟨U+2066⟩"}
    shown |= {"\u200b": "⟨U+200B⟩", "\u200d": "⟨U+200D⟩", "\u00ad": "⟨U+00AD⟩", "\ufeff": "⟨U+FEFF⟩"}
    assert {char: clean(f"a{char}b") for char in shown} == {char: f"a{symbol}b" for char, symbol in shown.items()}
    assert clean("日本語 🚀 e\u0301") == "日本語 🚀 e\u0301"  # wide characters and combining marks are text, kept
