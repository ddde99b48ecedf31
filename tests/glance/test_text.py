"""The at-a-glance texts (tests run in UTC; NOW is 16:00)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from batchtui.api.models import Batch
from batchtui.glance.durations import clock_time, compact_duration, duration
from batchtui.glance.insight import Cost, Eta, Insight
from batchtui.glance.text import cost_cell, eta_cell, eta_phrase, money, rate_phrase, view_total, window_warning
from tests.support.batches import NOW
from tests.support.batches import batch_json as server_batch

MINUTE = 60
HOUR = 3_600


def eta(
    finishes_in: float | None, *, rate: float = 100, closes_in: float | None = None, left: float | None = None
) -> Eta:
    return Eta(
        rate_per_minute=rate,
        remaining=1_000,
        finishes_at=None if finishes_in is None else NOW + finishes_in,
        window_closes_at=None if closes_in is None else NOW + closes_in,
        left_at_close=left,
        from_observations=True,
    )


def insight(an_eta: Eta | None = None, cost: Cost | None = None) -> Insight:
    return Insight(eta=an_eta, stuck=None, cost=cost or Cost(total=None, reason="no usage reported yet", no_usage=True))


@pytest.mark.parametrize(
    ("finishes_in", "phrase"),
    [
        (12 * MINUTE, "in 12m (16:12)"),
        (11 * HOUR + 10 * MINUTE, "in 11h 10m (tomorrow 03:10)"),
        (2 * HOUR + 5 * MINUTE, "in 2h 5m (18:05)"),
        (30, "in under a minute (16:00)"),
        (3 * 86_400, "in 3d (Thu 16:00)"),
        (None, "no estimate: no requests done lately"),
    ],
)
def test_eta_phrase(finishes_in: float | None, phrase: str) -> None:
    assert eta_phrase(eta(finishes_in), NOW) == phrase


@pytest.mark.parametrize(
    ("finishes_in", "cell"),
    [
        (12 * MINUTE, "12m"),
        (2 * HOUR + 5 * MINUTE, "2h5m"),
        (3 * HOUR, "3h"),
        (23 * HOUR + 59 * MINUTE, "23h59m"),
        (3 * 86_400 + 4 * HOUR, "3d4h"),
        (10, "<1m"),
        (0, "<1m"),
        (5_000 * 86_400, ">999d"),
    ],
)
def test_eta_cell(finishes_in: float, cell: str) -> None:
    assert eta_cell(insight(eta(finishes_in)), NOW) == cell


def test_eta_cell_without_an_estimate_and_never_over_six_characters() -> None:
    assert eta_cell(insight(None), NOW) == "—"
    assert eta_cell(insight(eta(None)), NOW) == "—"
    lengths = {len(eta_cell(insight(eta(seconds)), NOW)) for seconds in range(0, 2_000 * 86_400, 4_999)}
    assert max(lengths) <= 6


def test_window_warning() -> None:
    assert window_warning(eta(4 * HOUR, closes_in=3 * HOUR, left=0.4)) == (
        "will not finish before the window closes at 19:00; about 40% would be left"
    )
    assert window_warning(eta(20 * HOUR, closes_in=11 * HOUR, left=0.004), NOW) == (
        "will not finish before the window closes at tomorrow 03:00; less than 1% would be left"
    )
    assert window_warning(eta(HOUR, closes_in=3 * HOUR)) is None


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("1.24", "$1.24"),
        ("1.245", "$1.25"),
        ("41.2", "$41.20"),
        ("1234.5", "$1,234.50"),
        ("0.004", "<$0.01"),
        ("0", "$0.00"),
        ("-2.5", "-$2.50"),
        ("NaN", "?"),
    ],
)
def test_money(amount: str, text: str) -> None:
    assert money(Decimal(amount)) == text


@pytest.mark.parametrize(
    ("total", "cell"),
    [("1.24", "$1.24"), ("0.001", "<$0.01"), ("0", "$0.00"), ("1239.6", "$1,240"), (None, "—")],
)
def test_cost_cell(total: str | None, cell: str) -> None:
    cost = Cost(
        total=None if total is None else Decimal(total), reason=None if total else "gpt-x is not in the price list"
    )
    assert cost_cell(cost) == cell


def test_view_total() -> None:
    batches = [Batch.model_validate(server_batch(f"batch_{n}")) for n in range(6)]
    insights = {
        "batch_0": insight(cost=Cost(total=Decimal("40.00"))),
        "batch_1": insight(cost=Cost(total=Decimal("1.2"))),
        "batch_2": insight(cost=Cost(total=Decimal("0"))),
        "batch_3": insight(),  # no usage
        "batch_4": insight(cost=Cost(total=None, reason="gpt-x is not in the price list")),
        # batch_5 has no insight yet: nothing is known of its usage
    }
    assert view_total(batches, insights) == "this view: $41.20 over 6 batches, 2 without usage, 1 not priced"
    assert view_total(batches[:1], insights) == "this view: $40.00 over 1 batch"
    assert view_total([], {}) == "this view: $0.00 over 0 batches"


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (1_240.4, "1,240 requests/min"),
        (2.54, "2.5 requests/min"),
        (1, "1 request/min"),
        (0.4, "0.4 requests/min"),
        (0, "0 requests/min"),
        (12.5, "12 requests/min"),
    ],
)
def test_rate_phrase(rate: float, text: str) -> None:
    assert rate_phrase(eta(HOUR, rate=rate)) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (-5, "0s"),
        (59, "59s"),
        (60, "1m"),
        (3_599, "59m"),
        (3_600, "1h"),
        (7_800, "2h 10m"),
        (90_000, "1d 1h"),
        (864_000, "10d"),
        (float("inf"), "?"),
    ],
)
def test_duration(seconds: float, text: str) -> None:
    assert duration(seconds) == text
    assert compact_duration(seconds) == ("?" if text == "?" else "<1m" if seconds < 60 else text.replace(" ", ""))


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (NOW + 5 * MINUTE, "16:05"),
        (NOW + 9 * HOUR, "tomorrow 01:00"),
        (NOW - 17 * HOUR, "yesterday 23:00"),
        (NOW + 4 * 86_400, "Fri 16:00"),
        (NOW + 30 * 86_400, "2025-12-24 16:00"),
        (1e300, "?"),
    ],
)
def test_clock_time(moment: float, text: str) -> None:
    assert clock_time(moment, NOW) == text
