"""The table at a glance: marks, the estimated cost, the ETA in the progress cell, the stuck marker; every width fits."""

from __future__ import annotations

from decimal import Decimal

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region

from batchtui.api.models import Batch
from batchtui.glance.insight import Cost, Eta, Insight, Stuck
from batchtui.ui.app import stylesheet_dir
from batchtui.ui.formatting import progress_cell
from batchtui.ui.widgets.batch_table import COLUMNS, MARK, BatchTable, row_cells, status_text
from tests.support.batches import NOW, numbered_batch
from tests.support.rendering import widget_lines

WIDTH = {key: width for key, _, width in COLUMNS}
STYLES: dict = {}


class TableOnly(App):
    CSS_PATH = [stylesheet_dir() / "app.tcss"]

    def compose(self) -> ComposeResult:
        yield BatchTable(id="batch-table")


def batch(index: int, status: str = "in_progress", **overrides) -> Batch:
    return Batch.model_validate(numbered_batch(index, status, **overrides))


def insight(
    *, eta: Eta | None = None, stuck: Stuck | None = None, total: str | None = "1.24", reason: str | None = None
) -> Insight:
    return Insight(eta=eta, stuck=stuck, cost=Cost(Decimal(total) if total else None, reason=reason))


def eta(minutes: float = 12, left_at_close: float | None = None) -> Eta:
    return Eta(
        rate_per_minute=50.0,
        remaining=600,
        finishes_at=NOW + minutes * 60,
        window_closes_at=NOW + 3600,
        left_at_close=left_at_close,
        from_observations=True,
    )


STUCK = Stuck(rule="in_progress", since=NOW - 3600, text="stuck? nothing finished for 1h, more than 30m")
BATCHES = [batch(0), batch(1), batch(2, "completed"), batch(3, "validating")]


async def test_a_row_without_an_insight_shows_what_it_showed_before_and_no_cost():
    cells = row_cells(BATCHES[0], NOW, STYLES, 0)
    counts = BATCHES[0].request_counts
    assert cells["progress"] == progress_cell(counts)
    assert cells["status"] == status_text("in_progress", STYLES, width=WIDTH["status"] - 2)
    assert cells["mark"].plain == "" and cells["cost"].plain == ""


async def test_marked_rows_carry_the_mark_until_unmarked_and_only_that_cell_changes():
    app = TableOnly()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(BATCHES, NOW)
        await pilot.pause()
        assert all(table.get_cell(item.id, "mark").plain == "" for item in BATCHES)

        updated: list[tuple[str, str]] = []
        original = table.update_cell

        def spy(row_key, column_key, value, **kwargs):
            updated.append((str(row_key), str(column_key)))
            return original(row_key, column_key, value, **kwargs)

        table.update_cell = spy  # type: ignore[method-assign]
        table.show_batches(BATCHES, NOW, marked={"batch_0001"})
        await pilot.pause()
        assert updated == [("batch_0001", "mark")]
        assert table.get_cell("batch_0001", "mark").plain == MARK
        assert MARK in widget_lines(table)[2]  # the header, batch_0000, then batch_0001

        table.show_batches(BATCHES, NOW)
        await pilot.pause()
        assert table.get_cell("batch_0001", "mark").plain == ""
        assert not any(MARK in line for line in widget_lines(table))


async def test_the_cost_column_shows_the_estimate_or_a_dash():
    insights = {"batch_0000": insight(), "batch_0001": insight(total=None, reason="no usage reported yet")}
    app = TableOnly()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(BATCHES, NOW, insights=insights)
        await pilot.pause()
        assert table.get_cell("batch_0000", "cost").plain == "$1.24"
        assert table.get_cell("batch_0001", "cost").plain == "—"
        assert table.get_cell("batch_0002", "cost").plain == ""  # no insight: nothing claimed
        header, row = widget_lines(table)[:2]
        # Right-aligned under a right-aligned header.
        assert row.index("$1.24") + len("$1.24") == header.index("Cost") + len("Cost")


async def test_the_eta_sits_at_the_right_of_the_progress_cell_for_in_progress_batches_only():
    insights = {
        "batch_0000": insight(eta=eta(12)),
        "batch_0001": insight(eta=eta(130, left_at_close=0.4)),
        "batch_0002": insight(eta=eta(12)),  # completed: an ETA is never shown, whatever the insight says
    }
    app = TableOnly()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(BATCHES, NOW, insights=insights)
        await pilot.pause()
        plain = {batch_id: table.get_cell(batch_id, "progress").plain for batch_id in ("batch_0000", "batch_0001")}
        assert plain["batch_0000"].endswith(" 12m") and plain["batch_0001"].endswith(" 2h10m")
        # The same width with any ETA, and the bar where it was without one: nothing moves as the ETA changes.
        assert {cell_len(text) for text in plain.values()} == {WIDTH["progress"]}
        without = row_cells(BATCHES[0], NOW, STYLES, 0)["progress"].plain
        assert plain["batch_0000"].startswith(without.rstrip())
        assert "12m" not in table.get_cell("batch_0002", "progress").plain
        assert table.get_cell("batch_0003", "progress").plain == row_cells(BATCHES[3], NOW, STYLES, 3)["progress"].plain


async def test_a_stuck_batch_has_a_warning_sign_before_its_status_recoloured_by_a_theme_switch():
    app = TableOnly()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(BATCHES, NOW, insights={"batch_0001": insight(stuck=STUCK)})
        await pilot.pause()
        assert table.get_cell("batch_0001", "status").plain == "⚠ in_progress"
        assert table.get_cell("batch_0000", "status").plain == "in_progress"

        app.theme = "nord"
        await pilot.pause()
        warning = Color.parse(app.theme_variables["text-warning"]).rgb
        primary = Color.parse(app.theme_variables["text-primary"]).rgb
        strip = table.render_lines(Region(0, 0, *table.size))[2]  # batch_0001, away from the cursor
        sign = next(segment for segment in strip if segment.text.strip() == "⚠")
        status = next(segment for segment in strip if segment.text.strip() == "in_progress")
        assert tuple(sign.style.color.get_truecolor()) == warning
        assert tuple(status.style.color.get_truecolor()) == primary  # the status keeps its own colour


async def test_the_table_fits_80_120_and_140_columns_without_scrolling_sideways():
    insights = {item.id: insight(eta=eta(), stuck=STUCK) for item in BATCHES}
    app = TableOnly()
    async with app.run_test(size=(140, 20)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(BATCHES, NOW, insights=insights, marked={"batch_0000"})
        table.move_cursor(row=2)
        await pilot.pause()
        headers = {}
        for width in (80, 120, 140):
            await pilot.resize_terminal(width, 20)
            await pilot.pause()
            await pilot.pause()
            lines = widget_lines(table)
            assert table.max_scroll_x == 0, (width, table.virtual_size)
            assert max(cell_len(line.rstrip()) for line in lines) <= table.size.width, width
            headers[width] = lines[0]
            assert table.selected_id == "batch_0002", width  # a new set of columns keeps the cursor on its batch
            assert table.get_cell("batch_0000", "mark").plain == MARK
            assert "12m" in table.get_cell("batch_0000", "progress").plain
        for width, header in headers.items():
            assert all(label in header for label in ("ID", "Status", "Progress", "Cost", "Created")), (width, header)
        assert "Metadata" not in headers[80] and "Model" not in headers[80]
        assert "Model" in headers[120] and "Metadata" in headers[120]
        assert all(label in headers[140] for label in ("Endpoint", "Model", "Metadata"))
