"""The detail pane's trend line of completed requests, and the account's summary line over the table."""

from __future__ import annotations

from decimal import Decimal

from textual.app import App, ComposeResult
from textual.widgets import Sparkline

from batchtui.api.models import Batch
from batchtui.glance.insight import Cost, Insight
from batchtui.ui.app import stylesheet_dir
from batchtui.ui.widgets.batch_detail import BatchDetail
from batchtui.ui.widgets.detail_pane import DetailPane, resample
from batchtui.ui.widgets.summary_line import SummaryLine
from tests.support.batches import NOW, numbered_batch
from tests.support.rendering import screen_lines

COST = Cost(Decimal("1.00"))


class PaneOnly(App):
    CSS_PATH = [stylesheet_dir() / "app.tcss"]

    def compose(self) -> ComposeResult:
        yield SummaryLine(id="summary-line")
        yield DetailPane(id="detail-pane")


def batch() -> Batch:
    return Batch.model_validate(numbered_batch(1, "in_progress"))


def with_samples(*samples: tuple[float, int]) -> Insight:
    return Insight(eta=None, stuck=None, cost=COST, samples=samples)


def test_uneven_observations_are_resampled_onto_even_moments():
    # Three quick observations, then nothing for 50 minutes: the flat hour takes most of the line, not a third.
    samples = [(0.0, 0), (60.0, 100), (120.0, 200), (3120.0, 210)]
    values = resample(samples, points=53)  # a point a minute
    assert len(values) == 53
    assert values[0] == 0 and values[-1] == 210
    assert values[:3] == [0, 100, 200]
    assert values[3:-1] == [200] * 49  # the quiet stretch stays at the count last seen
    assert values == sorted(values)


async def test_the_trend_is_hidden_below_two_samples_and_shown_from_two():
    app = PaneOnly()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        trend = app.query_one("#detail-trend")
        for insight in (None, with_samples(), with_samples((NOW - 60, 5))):
            pane.show(batch(), NOW, insight)
            await pilot.pause()
            assert not trend.display and trend.size.height == 0

        pane.show(batch(), NOW, with_samples((NOW - 42 * 60, 0), (NOW - 600, 300), (NOW, 410)))
        await pilot.pause()
        assert trend.display and trend.size.height == 2
        assert app.query_one(Sparkline).data and max(app.query_one(Sparkline).data) == 410
        text = "\n".join(screen_lines(app))
        assert "completed over 42m" in text and "0 → 410" in text
        assert any(set("▁▂▃▄▅▆▇█") & set(line) for line in screen_lines(app))

        pane.show(batch(), NOW, with_samples((NOW, 410)))
        await pilot.pause()
        assert not trend.display


async def test_the_detail_below_is_still_the_batch_detail_the_screen_finds_by_id():
    app = PaneOnly()
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(DetailPane)
        pane.show(batch(), NOW, with_samples((NOW - 60, 0), (NOW, 10)))
        await pilot.pause()
        detail = app.query_one("#detail", BatchDetail)
        assert detail is app.query_one(BatchDetail) is pane.detail
        assert detail.plain_lines()[0].startswith("ID") and "batch_0001" in detail.plain_lines()[0]
        assert detail.region.y > app.query_one("#detail-trend").region.y


async def test_the_summary_line_is_one_line_of_plain_text_cut_with_an_ellipsis():
    app = PaneOnly()
    async with app.run_test(size=(60, 30)) as pilot:
        line = app.query_one(SummaryLine)
        line.show("[bold]3 active[/bold] · \x1b[31m " + "batches " * 20)
        await pilot.pause()
        assert line.size.height == 1
        shown = screen_lines(app)[0]
        assert shown.lstrip().startswith("[bold]3 active[/bold] · ␛[31m")  # markup and escapes stay as text
        assert shown.rstrip().endswith("…")
        assert "batches" not in screen_lines(app)[1]
