"""Marks: `m` marks the selected batch (the cursor stays), marks outlive refreshes, pages and search, `u` clears them."""

from __future__ import annotations

import asyncio

import httpx

from batchtui.api.models import Batch
from batchtui.clock import ManualClock
from batchtui.ui.history import History
from batchtui.ui.marks import Marks
from batchtui.ui.pager import Pager
from batchtui.ui.text.status_line import page_info
from batchtui.ui.widgets.batch_table import MARK, BatchTable
from tests.support.apps import build_app
from tests.support.batches import NOW, numbered_batch
from tests.support.rendering import status_where
from tests.support.waiting import settle, wait_until
from tests.ui.fake_api import FakeAPI

KEYS = {"next_page": "n"}


def batch(index: int, status: str = "in_progress") -> Batch:
    return Batch.model_validate(numbered_batch(index, status))


def marked_cells(app) -> dict[str, str]:
    table = app.screen.query_one(BatchTable)
    ids = [table.coordinate_to_cell_key((row, 0))[0].value for row in range(table.row_count)]
    return {batch_id: table.get_cell(batch_id, "mark").plain for batch_id in ids}


def page_text(app) -> str:
    return status_where(app, 200)


# The plain object


def test_marks_toggle_in_the_order_marked_and_remember_the_newest_version():
    marks = Marks()
    assert not marks and len(marks) == 0
    assert marks.toggle(batch(2)) is True
    assert marks.toggle(batch(1)) is True
    assert [b.id for b in marks.batches()] == ["batch_0002", "batch_0001"]
    marks.see([batch(1, "completed"), batch(7, "completed")])
    assert [b.status for b in marks.batches()] == ["in_progress", "completed"]
    assert "batch_0007" not in marks  # seen, never marked
    assert marks.toggle(batch(2)) is False
    assert marks.ids == {"batch_0001"}
    marks.discard(["batch_0001", "batch_0009"])
    assert not marks
    marks.toggle(batch(3))
    marks.clear()
    assert len(marks) == 0


def test_the_status_line_counts_the_marks():
    pager = Pager()
    assert "marked" not in page_info(pager, 20, KEYS).plain
    assert "3 marked" in page_info(pager, 20, KEYS, marked=3).plain
    assert "saving output 1 of 2" in page_info(pager, 20, KEYS, activity="saving output 1 of 2: batch_1").plain


# On the main screen


async def test_m_marks_the_selected_batch_and_the_cursor_stays_on_it(make_app):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.check_action("clear_marks", ()) is False
        await pilot.press("down", "m")
        await pilot.pause()
        assert screen.selected_id == "batch_0001"
        assert screen.marks.ids == {"batch_0001"}
        cells = marked_cells(app)
        assert cells["batch_0001"] == MARK
        assert {cell for batch_id, cell in cells.items() if batch_id != "batch_0001"} == {""}
        assert "1 marked" in page_text(app)
        await pilot.press("m")  # again: unmarked
        await pilot.pause()
        assert not screen.marks and marked_cells(app)["batch_0001"] == ""
        assert "marked" not in page_text(app)


async def test_marks_survive_a_refresh_and_paging_and_u_clears_them(make_app, fake_api):
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("m", "down", "down", "m")
        fake_api.batches[0]["status"] = "finalizing"
        await pilot.press("r")
        await settle(app, pilot)
        screen = app.screen
        assert screen.selected_id == "batch_0002"
        assert marked_cells(app)["batch_0000"] == MARK and marked_cells(app)["batch_0002"] == MARK
        # The refresh's newer version is what the mark remembers.
        assert [b.status for b in screen.marks.batches()] == ["finalizing", "validating"]
        await pilot.press("n")
        await settle(app, pilot)
        assert screen.page_number == 2
        await pilot.press("m")
        await pilot.pause()
        assert "3 marked" in page_text(app)
        assert marked_cells(app)["batch_0020"] == MARK
        await pilot.press("p")
        await settle(app, pilot)
        assert marked_cells(app)["batch_0000"] == MARK
        assert screen.check_action("clear_marks", ()) is True
        await pilot.press("u")
        await pilot.pause()
        assert not screen.marks
        assert set(marked_cells(app).values()) == {""}
        assert "marked" not in page_text(app)
        assert screen.check_action("clear_marks", ()) is False


def indexed_app(api: FakeAPI, path):
    clock = ManualClock(NOW)

    async def sleep(seconds: float) -> None:
        clock.advance(max(seconds, 0.0))
        await asyncio.sleep(0)

    return build_app(transport=httpx.MockTransport(api.handle), clock=clock, history=History(path), sleep=sleep)


async def test_marks_survive_a_search_and_the_active_only_view(tmp_path):
    api = FakeAPI(batches=[numbered_batch(i, "in_progress" if i % 2 else "completed") for i in range(30)])
    api.batches[5]["metadata"] = {"project": "needle"}
    app = indexed_app(api, tmp_path / "index.sqlite3")
    async with app.run_test(size=(160, 45)) as pilot:
        await wait_until(pilot, lambda: app.history.state.history_complete)
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("down", "m")  # batch_0001
        await pilot.press("slash", *"needle")
        await wait_until(pilot, lambda: [b.id for b in screen.shown] == ["batch_0005"])
        await pilot.press("enter")
        await pilot.press("m")
        await pilot.pause()
        assert screen.marks.ids == {"batch_0001", "batch_0005"}
        assert marked_cells(app) == {"batch_0005": MARK}
        screen._render_status()
        assert "2 marked" in page_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen.view is None
        assert marked_cells(app)["batch_0001"] == MARK and marked_cells(app)["batch_0005"] == MARK
        await pilot.press("a")
        await wait_until(pilot, lambda: screen.shown and all(b.status == "in_progress" for b in screen.shown))
        await settle(app, pilot)
        assert marked_cells(app)["batch_0001"] == MARK and marked_cells(app)["batch_0005"] == MARK
        assert "batch_0002" not in marked_cells(app)
