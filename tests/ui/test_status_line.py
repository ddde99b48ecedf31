"""The status line is asked to show itself every second; only a change may cost a redraw."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from batchtui.ui.widgets.status_line import StatusLine


class OneLine(App):
    def compose(self) -> ComposeResult:
        yield StatusLine()


async def test_an_unchanged_line_is_not_redrawn_and_a_changed_one_never_lays_out_the_screen():
    app = OneLine()
    async with app.run_test(size=(80, 3)) as pilot:
        line = app.query_one(StatusLine)
        line.show(Text("Page 1"), Text("Updated 10:00:00 · next 10:00:05"), problem=False)
        await pilot.pause()
        updates: list[tuple[str, bool]] = []
        for static in line.query(Static):
            original = static.update

            def spy(content, *, layout=True, _id=static.id, _original=original):
                updates.append((_id, layout))
                return _original(content, layout=layout)

            static.update = spy  # type: ignore[method-assign]

        line.show(Text("Page 1"), Text("Updated 10:00:00 · next 10:00:05"), problem=False)
        assert updates == []
        line.show(Text("Page 1"), Text("Updated 10:00:05 · next 10:00:10"), problem=False)
        assert updates == [("fetch-info", False)]
        line.show(Text("Page 2"), Text("Updated 10:00:05 · next 10:00:10"), problem=True)
        assert updates[1:] == [("page-info", False)]  # same width: no layout either
        line.show(Text("Page 2 · last page"), Text("Updated 10:00:05 · next 10:00:10"), problem=True)
        assert updates[2:] == [("page-info", False)]  # it takes what the fetch leaves: its width never lays out
        line.show(Text("Page 2 · last page"), Text("Refreshing… · updated 10:00:05"), problem=True)
        assert updates[3:] == [("fetch-info", True)]
        assert line.has_class("-problem")
