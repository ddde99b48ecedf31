"""The detail pane: both columns, wrapped to the pane, and a new batch costs a repaint, not a layout."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region

from batchtui.api.models import Batch
from batchtui.ui.widgets.batch_detail import STACK_BELOW, BatchDetail
from tests.support.batches import NOW, numbered_batch


class DetailOnly(App):
    CSS = "BatchDetail { height: 12; scrollbar-gutter: stable; }"

    def compose(self) -> ComposeResult:
        yield BatchDetail()


def batch(index: int, **overrides) -> Batch:
    return Batch.model_validate(numbered_batch(index, **overrides))


LONG_METADATA = {f"key_{n:02d}": f"value {n}" for n in range(16)}  # taller than the pane


async def test_the_columns_sit_side_by_side_and_stack_when_narrow():
    app = DetailOnly()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(1, metadata={"team": "search"}), NOW)
        await pilot.pause()
        wide = detail.plain_lines()
        assert wide[0].startswith("ID") and "Timeline" in wide[0]
        assert any("team" in line and "search" in line for line in wide)

        await pilot.resize_terminal(STACK_BELOW - 10, 20)
        await pilot.pause()
        narrow = detail.plain_lines()
        assert "Timeline" not in narrow[0]
        timeline = narrow.index("Timeline")
        assert narrow[timeline - 1] == ""  # a blank line between the stacked columns
        assert narrow.index("Requests") < timeline
        assert max(len(line) for line in narrow) <= detail.scrollable_content_region.width


async def test_a_long_pane_scrolls_and_every_line_is_there():
    app = DetailOnly()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(2, metadata=LONG_METADATA), NOW)
        await pilot.pause()
        lines = detail.plain_lines()
        assert all(any(f"key_{n:02d}" in line for line in lines) for n in range(16))
        assert detail.virtual_size.height == len(lines) > detail.size.height
        detail.focus()
        await pilot.press("end")
        assert detail.scroll_y == detail.max_scroll_y > 0


async def test_another_batch_repaints_without_a_layout_and_the_same_one_does_nothing():
    app = DetailOnly()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(1), NOW)
        await pilot.pause()
        calls: list[dict] = []
        original = detail.refresh

        def spy(*regions, **kwargs):
            calls.append(kwargs)
            return original(*regions, **kwargs)

        detail.refresh = spy  # type: ignore[method-assign]
        detail.show(batch(1), NOW)
        assert calls == []
        detail.show(batch(3, status="completed"), NOW)
        assert calls and not any(call.get("layout") for call in calls)
        await pilot.pause()
        assert "completed" in detail.plain_lines()[1]


async def test_another_batch_starts_at_the_top_and_a_refreshed_one_keeps_its_place():
    app = DetailOnly()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(2, metadata=LONG_METADATA), NOW)
        await pilot.pause()
        detail.scroll_end(animate=False)
        await pilot.pause()
        assert detail.scroll_y > 0
        detail.show(batch(2, metadata=LONG_METADATA, request_counts={"total": 9, "completed": 5, "failed": 0}), NOW)
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y > 0
        detail.show(batch(4, metadata=LONG_METADATA), NOW)
        await pilot.pause()
        assert detail.scroll_y == 0


class ThemedDetail(App):
    CSS = DetailOnly.CSS + "BatchDetail > .batch-detail--status-completed { color: $text-success; }"

    def compose(self) -> ComposeResult:
        yield BatchDetail()


async def test_a_theme_switch_recolours_the_shown_batch_where_it_is_scrolled_to():
    app = ThemedDetail()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(3, status="completed", metadata=LONG_METADATA), NOW)
        await pilot.pause()
        detail.scroll_to(y=1, animate=False)  # the Status line at the top
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
        assert detail.scroll_y == 1
        top = detail.render_lines(Region(0, 0, *detail.size))[0]
        status = next(segment for segment in top if segment.text.strip() == "completed")
        assert status.style.color.get_truecolor() == Color.parse(app.theme_variables["text-success"]).rgb
