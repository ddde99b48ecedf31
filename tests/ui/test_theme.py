"""A theme switch recolours the statuses already on screen at once, in the table and the detail pane, paused or not."""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.geometry import Region
from textual.strip import Strip

from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.waiting import settle

# Which of the theme's colours each status is drawn in: what the user sees, whatever the code calls it.
STATUS_VARIABLES = {
    "validating": "text-primary",
    "in_progress": "text-primary",
    "finalizing": "text-primary",
    "completed": "text-success",
    "failed": "text-error",
    "expired": "text-warning",
    "cancelled": "text-warning",
}
BAR = set("▏▎▍▌▋▊▉█")  # the filled part of a progress bar; the track is "─"
NEW_THEME = "nord"


def theme_colour(app, variable: str) -> tuple[int, int, int]:
    return Color.parse(app.theme_variables[variable]).rgb


def colour_of(segment: Segment) -> tuple[int, int, int] | None:
    colour = segment.style.color if segment.style else None
    return None if colour is None else tuple(colour.get_truecolor())


def drawn(widget) -> list[Strip]:
    return widget.render_lines(Region(0, 0, *widget.size))


def status_and_bar_colours(strip: Strip, status: str) -> tuple[tuple[int, int, int] | None, set]:
    """The colour the status word is drawn in on this line, and the colours of its progress bar's filled part."""
    status_colour = next((colour_of(segment) for segment in strip if segment.text.strip() == status), None)
    bar_colours = {colour_of(segment) for segment in strip if set(segment.text.strip()) and set(segment.text) <= BAR}
    return status_colour, bar_colours


def table_rows(app) -> list[tuple[str, Strip]]:
    """Each batch row on screen away from the cursor (the cursor's row takes the cursor's colours), with its status."""
    table = app.screen.query_one(BatchTable)
    rows = []
    for y, strip in enumerate(drawn(table)[1:], start=table.scroll_offset.y):  # line 0 is the header
        if y < table.row_count and y != table.cursor_row:
            # A stuck batch's status comes after a ⚠, in the warning colour of its own.
            status = str(table.get_cell_at((y, table.get_column_index("status")))).removeprefix("⚠").strip()
            rows.append((status, strip))
    return rows


async def test_a_theme_switch_recolours_every_status_at_once_while_refresh_is_paused(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press(*["down"] * 5)  # batch_0005: expired, with some of its bar filled
        await pilot.press("space")
        await settle(app, pilot)
        assert app.screen.paused
        old = {variable: theme_colour(app, variable) for variable in set(STATUS_VARIABLES.values())}
        fetches = fake_api.count("GET", "/batches")

        app.theme = NEW_THEME
        await pilot.pause()
        new = {variable: theme_colour(app, variable) for variable in old}
        assert all(new[variable] != old[variable] for variable in old), "pick a theme whose colours all differ"

        rows = table_rows(app)
        assert {status for status, _ in rows} == set(STATUS_VARIABLES)
        for status, strip in rows:
            status_colour, bar_colours = status_and_bar_colours(strip, status)
            assert status_colour == new[STATUS_VARIABLES[status]], (status, strip.text)
            assert bar_colours <= {new["text-primary"]}, (status, strip.text)
        assert any(status_and_bar_colours(strip, status)[1] for status, strip in rows), "no progress bar drawn"

        detail = drawn(app.screen.query_one(BatchDetail))
        status_line = next(strip for strip in detail if strip.text.strip().startswith("Status"))
        assert status_and_bar_colours(status_line, "expired")[0] == new["text-warning"], status_line.text
        progress_line = next(strip for strip in detail if strip.text.strip().startswith("Progress"))
        assert status_and_bar_colours(progress_line, "")[1] == {new["text-primary"]}, progress_line.text
        assert fake_api.count("GET", "/batches") == fetches  # nothing was fetched: the switch alone recoloured


async def test_an_unknown_status_stays_italic_and_marked_after_a_theme_switch(make_app, fake_api):
    fake_api.batches[1]["status"] = "pondering"
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(app, pilot)
        app.theme = NEW_THEME
        await pilot.pause()
        strip = dict(table_rows(app))["pondering?"]
        segment = next(segment for segment in strip if segment.text.strip() == "pondering?")
        assert segment.style.italic, strip.text
