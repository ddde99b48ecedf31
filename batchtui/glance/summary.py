"""The account summary line: what is running, how many requests are left, and what ended today at what cost.

The line keeps its shape from one refresh to the next: the four active statuses always show once
anything runs, today's completed and failed always show, and only rare groups (an unknown status,
expired or cancelled today, batches that could not be priced) appear when they are not zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from batchtui.glance.cost import cost_of_usage
from batchtui.glance.text import money
from batchtui.store.summary import AccountCounts

SECTIONS = " │ "  # the sections apart from the items inside them, in the fewest cells
ITEMS = " · "


@dataclass(frozen=True)
class DayCost:
    """What today's finished batches cost, estimated; `not_priced` batches had usage on a model not in the list."""

    total: Decimal
    priced: int
    not_priced: int


def day_cost(counts: AccountCounts) -> DayCost:
    """The estimated cost of the batches that ended today (loads the price list: call it on a worker thread)."""
    total, priced, not_priced = Decimal(0), 0, 0
    for batch in counts.finished_today:
        cost = cost_of_usage(batch.model, batch.usage, endpoint=batch.endpoint, created_at=batch.created_at)
        if cost.total is not None:
            total += cost.total
            priced += 1
        elif not cost.no_usage:
            not_priced += 1
    return DayCost(total=total, priced=priced, not_priced=not_priced)


def summary_text(counts: AccountCounts, cost: DayCost | None = None) -> str:
    """'2 validating · 5 in progress · 1 finalizing · 0 cancelling │ 41,200 requests done, 18,800 to run
    │ today: 12 completed, 1 failed, ~$14.20'; without `cost` (not estimated yet) the amount is left out."""
    return SECTIONS.join([*_running(counts), _today(counts, cost)])


def _running(counts: AccountCounts) -> list[str]:
    if counts.active == 0:
        return ["nothing running"]
    statuses = [
        f"{counts.validating:,} validating",
        f"{counts.in_progress:,} in progress",
        f"{counts.finalizing:,} finalizing",
        f"{counts.cancelling:,} cancelling",
    ]
    if counts.other_active:
        statuses.append(f"{counts.other_active:,} other")
    requests = f"{counts.requests_done:,} requests done, {counts.requests_to_run:,} to run"
    return [ITEMS.join(statuses), requests]


def _today(counts: AccountCounts, cost: DayCost | None) -> str:
    items = [f"{counts.completed_today:,} completed", f"{counts.failed_today:,} failed"]
    if counts.expired_today:
        items.append(f"{counts.expired_today:,} expired")
    if counts.cancelled_today:
        items.append(f"{counts.cancelled_today:,} cancelled")
    if cost is not None:
        amount = f"~{money(cost.total)}"
        items.append(f"{amount} ({cost.not_priced:,} not priced)" if cost.not_priced else amount)
    return "today: " + ", ".join(items)
