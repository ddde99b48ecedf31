"""The at-a-glance facts in words: plain strings for the table's cells, the detail pane and the status line.

Times are local (time.localtime); money is US dollars from Decimal, never float.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from batchtui.api.models import Batch
from batchtui.glance.durations import MINUTE, clock_time, compact_duration, duration
from batchtui.glance.insight import Cost, Eta, Insight

NOTHING = "—"
CENT = Decimal("0.01")


def eta_phrase(eta: Eta, now: float) -> str:
    """'in 12m (14:05)', 'in 2h 5m (tomorrow 03:10)', or why there is no estimate."""
    if eta.finishes_at is None:
        return "no estimate: no requests done lately"
    left = eta.finishes_at - now
    when = clock_time(eta.finishes_at, now)
    if left < MINUTE:
        return f"in under a minute ({when})"
    return f"in {duration(left)} ({when})"


def eta_cell(insight: Insight, now: float) -> str:
    """At most six characters: '12m', '2h5m', '<1m', or '—' when there is no estimate."""
    eta = insight.eta
    if eta is None or eta.finishes_at is None:
        return NOTHING
    return compact_duration(eta.finishes_at - now)


def window_warning(eta: Eta, now: float | None = None) -> str | None:
    """'will not finish before the window closes at 19:00; about 40% would be left', or None when it will.

    With `now`, a close on another day is named ('tomorrow 03:10'); without, only the time of day is.
    """
    if eta.left_at_close is None or eta.window_closes_at is None:
        return None
    closes = clock_time(eta.window_closes_at, eta.window_closes_at if now is None else now)
    return f"will not finish before the window closes at {closes}; {_share_left(eta.left_at_close)} would be left"


def _share_left(share: float) -> str:
    percent = round(share * 100)
    if percent < 1:
        return "less than 1%"
    return f"about {min(percent, 100)}%"


def money(amount: Decimal) -> str:
    """'$1.24', '$1,240.50', '<$0.01' for a positive amount under a cent, '$0.00' for nothing."""
    if not amount.is_finite():
        return "?"
    if Decimal(0) < amount < CENT:
        return "<$0.01"
    try:
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than Decimal's precision: no real batch costs that much
        return "?"
    return f"-${-rounded:,.2f}" if rounded < 0 else f"${rounded:,.2f}"


def cost_cell(cost: Cost) -> str:
    """'$1.24', '<$0.01', '$1,240' (no cents from a thousand up, so the cell stays narrow), or '—'."""
    if cost.total is None:
        return NOTHING
    if cost.total.is_finite() and cost.total >= 1000:
        try:
            return f"${cost.total.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"
        except InvalidOperation:
            return "?"
    return money(cost.total)


def view_total(batches: Iterable[Batch], insights: Mapping[str, Insight]) -> str:
    """'this view: $41.20 over 38 batches, 3 without usage, 1 not priced' — the batches shown, summed."""
    total, count, without_usage, unpriced = Decimal(0), 0, 0, 0
    for batch in batches:
        count += 1
        insight = insights.get(batch.id)
        if insight is None or insight.cost.no_usage:
            without_usage += 1
        elif insight.cost.total is None:
            unpriced += 1
        else:
            total += insight.cost.total
    text = f"this view: {money(total)} over {_plural(count, 'batch', 'batches')}"
    if without_usage:
        text += f", {without_usage} without usage"
    if unpriced:
        text += f", {unpriced} not priced"
    return text


def rate_phrase(eta: Eta) -> str:
    """'1,240 requests/min', '2.5 requests/min', '1 request/min'."""
    rate = eta.rate_per_minute
    shown = f"{rate:,.0f}" if rate >= 10 or rate == 0 else f"{rate:.1f}".removesuffix(".0")
    return f"{shown} {'request' if shown == '1' else 'requests'}/min"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"
