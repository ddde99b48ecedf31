"""The Created column changes once a minute, not at every refresh: seconds only in a batch's first minute."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from batchtui.api.models import Batch
from batchtui.ui.formatting import table_age
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.batches import NOW, numbered_batch


@pytest.mark.parametrize(
    ("age_seconds", "shown"),
    [
        (0, "0s"),
        (45, "45s"),
        (60, "1m"),
        (6 * 60 + 30, "6m"),
        (9 * 60 + 59, "9m"),
        (2 * 3600 + 10 * 60 + 59, "2h 10m"),
        (3 * 86_400 + 5 * 3600, "3d 5h"),
        (-30, "in 30s"),
        (-(2 * 60 + 30), "in 2m"),
    ],
)
def test_an_age_in_the_table_is_in_whole_minutes_after_the_first(age_seconds, shown):
    assert table_age(NOW - age_seconds, NOW) == shown


def test_no_timestamp_is_a_dash():
    assert table_age(None, NOW) == "—"


class TableOnly(App):
    def compose(self) -> ComposeResult:
        yield BatchTable(id="batch-table")


async def test_a_refresh_five_seconds_later_leaves_young_rows_as_they_were(monkeypatch):
    young = [Batch.model_validate(numbered_batch(index, created_at=NOW - 90 - 40 * index)) for index in range(6)]
    app = TableOnly()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(BatchTable)
        table.show_batches(young, NOW)
        await pilot.pause()
        updated: list[object] = []
        original = DataTable.update_cell

        def counting(self, row_key, column_key, value, **kwargs):
            updated.append(column_key)
            return original(self, row_key, column_key, value, **kwargs)

        monkeypatch.setattr(DataTable, "update_cell", counting)
        table.show_batches(young, NOW + 5)
        # Ages 1m 30s to 4m 50s: across five seconds only the row turning a minute older may change.
        assert len(updated) <= 1, updated
