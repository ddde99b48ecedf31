"""The detail pane: both columns, wrapped to the pane, and a new batch costs a repaint, not a layout."""

from __future__ import annotations

from decimal import Decimal

from textual.app import App, ComposeResult
from textual.color import Color
from textual.geometry import Region

from batchtui.api.models import Batch
from batchtui.glance.insight import Cost, Eta, Insight, Stuck, TokenCost
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


# What the glance computes about a batch, made by hand: the pane shows it, it does not compute it.
def eta(*, minutes: int = 12, left_at_close: float | None = None, from_observations: bool = True) -> Eta:
    return Eta(
        rate_per_minute=1240.0,
        remaining=14_880,
        finishes_at=NOW + minutes * 60,
        window_closes_at=NOW + 3 * 3600,
        left_at_close=left_at_close,
        from_observations=from_observations,
    )


PRICED = Cost(
    total=Decimal("2.10"),
    parts=(
        TokenCost("Input", 1_200_000, Decimal("0.90")),
        TokenCost("Cached input", 200_000, Decimal("0.08")),
        TokenCost("Output", 300_000, Decimal("1.02")),
        TokenCost("Reasoning", 50_000, Decimal("0.10")),
    ),
)
STUCK = Stuck(rule="validating", since=NOW - 7800, text="stuck? validating for 2h 10m, more than 30m")


def insight(eta: Eta | None = None, stuck: Stuck | None = None, cost: Cost = PRICED) -> Insight:
    return Insight(eta=eta, stuck=stuck, cost=cost)


def row(lines: list[str], label: str) -> str | None:
    return next((line for line in lines if line.startswith(label)), None)


async def shown(detail_batch: Batch, detail_insight: Insight | None, width: int = 80) -> tuple[App, list[str]]:
    """The pane's lines, one column at 80 cells: wide enough that none of the lines tested wraps."""
    app = DetailOnly()
    async with app.run_test(size=(width, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(detail_batch, NOW, detail_insight)
        await pilot.pause()
        return app, detail.plain_lines()


async def test_an_in_progress_batch_shows_its_eta_and_its_rate():
    _, lines = await shown(batch(1, in_progress_at=NOW - 600), insight(eta(from_observations=False)))
    eta_line = row(lines, "ETA")
    assert eta_line is not None and "in 12m (" in eta_line
    rate = row(lines, "Rate")
    assert rate is not None and "1,240 requests/min" in rate and "since it went in progress" in rate
    assert not any("will not finish" in line for line in lines)

    _, measured = await shown(batch(1), insight(eta()))
    assert "measured between refreshes" in (row(measured, "Rate") or "")


async def test_no_eta_without_one_or_once_the_batch_is_no_longer_in_progress():
    _, without = await shown(batch(1), insight())
    _, finished = await shown(batch(1, status="completed"), insight(eta()))
    _, nothing = await shown(batch(1), None)
    for lines in (without, finished, nothing):
        assert row(lines, "ETA") is None and row(lines, "Rate") is None


async def test_an_eta_past_the_window_warns_in_the_warning_colour():
    app = ThemedWarning()
    async with app.run_test(size=(120, 30)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(1), NOW, insight(eta(left_at_close=0.4)))
        await pilot.pause()
        lines = detail.plain_lines()
        warning = next(index for index, line in enumerate(lines) if "will not finish before the window closes" in line)
        assert "about 40% would be left" in " ".join(lines[warning : warning + 2])
        strip = detail.render_lines(Region(0, 0, *detail.size))[warning]
        sign = next(segment for segment in strip if segment.text.startswith("⚠"))
        assert sign.style.color.get_truecolor() == Color.parse(app.theme_variables["text-warning"]).rgb


async def test_a_stuck_batch_says_why_under_its_status():
    _, lines = await shown(batch(1, status="validating"), insight(stuck=STUCK))
    status = lines.index(row(lines, "Status"))
    assert "stuck? validating for 2h 10m" in lines[status + 1]
    _, moving = await shown(batch(1, status="validating"), insight())
    assert not any("stuck" in line for line in moving)


async def test_the_cost_section_breaks_the_estimate_down_token_by_token():
    _, lines = await shown(batch(1), insight())
    section = lines[lines.index("Cost (estimate)") :]
    for label, tokens, dollars in (
        ("Input", "1,200,000", "$0.90"),
        ("Cached input", "200,000", "$0.08"),
        ("Output", "300,000", "$1.02"),
        ("Reasoning", "50,000", "$0.10"),
    ):
        line = row(section, label)
        assert line is not None and f"{tokens} tokens" in line and dollars in line, (label, line)
    assert "$2.10" in (row(section, "Total") or "")
    assert any("estimate" in line and "half the listed price" in line for line in section)

    _, listed = await shown(batch(1), insight(cost=Cost(PRICED.total, PRICED.parts, batch_prices=True)))
    assert not any("half the listed price" in line for line in listed)


async def test_without_a_total_the_cost_is_a_dash_and_the_reason():
    _, lines = await shown(batch(1), insight(cost=Cost(None, reason="gpt-x is not in the price list")))
    total = row(lines[lines.index("Cost (estimate)") :], "Total")
    assert total is not None and "—" in total and "gpt-x is not in the price list" in total
    _, none = await shown(batch(1), None)
    assert "Cost (estimate)" not in none


async def test_a_changed_insight_repaints_and_the_same_one_does_nothing():
    app = DetailOnly()
    async with app.run_test(size=(120, 20)) as pilot:
        detail = app.query_one(BatchDetail)
        detail.show(batch(1), NOW, insight(eta()))
        await pilot.pause()
        calls: list[dict] = []
        original = detail.refresh

        def spy(*regions, **kwargs):
            calls.append(kwargs)
            return original(*regions, **kwargs)

        detail.refresh = spy  # type: ignore[method-assign]
        detail.show(batch(1), NOW, insight(eta()))
        assert calls == []
        detail.show(batch(1), NOW, insight(eta(minutes=15)))
        assert calls and not any(call.get("layout") for call in calls)
        await pilot.pause()
        assert "in 15m (" in (row(detail.plain_lines(), "ETA") or "")


class ThemedWarning(App):
    CSS = DetailOnly.CSS + "BatchDetail { height: 30; } BatchDetail > .batch-detail--warning { color: $text-warning; }"

    def compose(self) -> ComposeResult:
        yield BatchDetail()
