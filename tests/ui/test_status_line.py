"""The status line is asked to show itself every second; only a change may cost a redraw, and no change of
either half's width may cost a layout pass of the screen."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from batchtui.ui.widgets.status_line import GAP, StatusLine, compose_line
from tests.support.rendering import screen_lines


class OneLine(App):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("\n".join(f"row {n}" for n in range(20)))
        yield StatusLine()


async def test_an_unchanged_line_is_not_redrawn_and_a_changed_one_never_lays_out_the_screen():
    app = OneLine()
    async with app.run_test(size=(80, 6)) as pilot:
        line = app.query_one(StatusLine)
        line.show(Text("Page 1"), Text("Updated 10:00:00 · next 10:00:05"), problem=False)
        await pilot.pause()
        refreshes: list[bool] = []
        original = line.refresh

        def spy(*regions, layout=False, **kwargs):
            refreshes.append(layout)
            return original(*regions, layout=layout, **kwargs)

        line.refresh = spy  # type: ignore[method-assign]
        layouts = 0

        def count_layout(_screen) -> None:
            nonlocal layouts
            layouts += 1

        app.screen.screen_layout_refresh_signal.subscribe(app.screen, count_layout)

        line.show(Text("Page 1"), Text("Updated 10:00:00 · next 10:00:05"), problem=False)
        assert refreshes == []
        line.show(Text("Page 1"), Text("Refreshing… · updated 10:00:00"), problem=False)
        await pilot.pause()
        line.show(Text("Page 2 · last page"), Text("Updated 10:00:05 · next 10:00:10"), problem=True)
        await pilot.pause()
        assert refreshes == [False, False]
        assert layouts == 0
        assert screen_lines(app)[-1] == "Page 2 · last page" + " " * 30 + "Updated 10:00:05 · next 10:00:10"
        assert line.has_class("-problem")


def test_where_you_are_gives_way_first_and_the_fetch_stays_whole():
    fetch = Text("Updated 10:00:05 · next 10:00:10")
    where = Text("Page 3 · 20 of 20 per page · more → n · all 60 indexed · this view: $84.56 over 20 batches")
    line = compose_line(where, fetch, 60).plain
    assert len(line) == 60
    assert line.endswith(" " * GAP + fetch.plain)
    assert line.startswith("Page 3 · 20 of 20 p") and line[60 - len(fetch.plain) - GAP - 1] == "…"


def test_a_short_line_keeps_both_halves_apart_and_a_too_narrow_one_keeps_the_fetch():
    assert compose_line(Text("Page 1"), Text("Loading…"), 20).plain == "Page 1      Loading…"
    assert compose_line(Text("Page 1"), Text("Updated 10:00:05"), 18).plain == "  Updated 10:00:05"
    assert compose_line(Text("Page 1"), Text("Updated 10:00:05 · next 10:00:10"), 10).plain == "Updated 1…"
