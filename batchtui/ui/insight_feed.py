"""The at-a-glance figures for what is on screen, worked out off the event loop.

Observations come from the index's own thread; ETAs, stuck rules and costs are then computed on a
worker thread, since the first cost estimate loads the price list (a third of a second) and must
never hold up a key press or the first paint.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from batchtui.api.models import Batch
from batchtui.api.statuses import ACTIVE
from batchtui.glance.insight import Insight
from batchtui.glance.insights import insights_for
from batchtui.glance.summary import day_cost, summary_text
from batchtui.glance.thresholds import StuckThresholds
from batchtui.store.reads import Observation
from batchtui.store.summary import account_counts, observations_for
from batchtui.ui.history import History


def day_start(now: float) -> int:
    """Local midnight before `now`: "today" in the summary line is the user's day."""
    moment = time.localtime(now)
    return int(time.mktime((moment.tm_year, moment.tm_mon, moment.tm_mday, 0, 0, 0, 0, 0, -1)))


def with_counts_now(
    observations: dict[str, list[Observation]], batches: Sequence[Batch], now: float
) -> dict[str, list[Observation]]:
    """The index's observations plus the counts the batches have now, as the index records them once this page
    is in (only a change is kept): the figures drawn with a fresh page are the ones the next look gives."""
    merged = dict(observations)
    for batch in batches:
        counts = batch.request_counts
        if batch.status not in ACTIVE or counts is None:
            continue
        current = (counts.completed, counts.failed, counts.total)
        recorded = merged.get(batch.id, [])
        last = recorded[-1] if recorded else None
        if last is None or ((last.completed, last.failed, last.total) != current and last.observed_at < int(now)):
            merged[batch.id] = [*recorded, Observation(int(now), *current)]
    return merged


class InsightFeed:
    def __init__(self, history: History | None, thresholds: StuckThresholds) -> None:
        self.history = history
        self.thresholds = thresholds
        # True once an estimate has been made: the price list is loaded, and the next ones take a millisecond.
        self.warm = False

    async def insights(self, batches: Sequence[Batch], now: float) -> dict[str, Insight]:
        """ETA, stuck and cost of each batch, keyed by id."""
        watched = [batch.id for batch in batches if batch.status in ACTIVE]
        observations: dict[str, list[Observation]] = {}
        history = self.history
        if watched and history is not None and history.available:
            found = await history.read(lambda index: observations_for(index, watched))
            observations = with_counts_now(found or {}, batches, now)
        insights = await asyncio.to_thread(insights_for, list(batches), observations, now, self.thresholds)
        self.warm = True
        return insights

    async def summary(self, now: float) -> str | None:
        """The account summary line, from the index alone; None without an index."""
        history = self.history
        if history is None or not history.available:
            return None
        counts = await history.read(lambda index: account_counts(index, day_start(now)))
        if counts is None:
            return None
        # The day's cost needs the price list: not before an estimate has loaded it, after the first page.
        cost = await asyncio.to_thread(day_cost, counts) if self.warm else None
        return summary_text(counts, cost)
