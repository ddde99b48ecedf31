"""Everything the table and the detail pane show at a glance about a batch, in one call.

Pure functions of their arguments (the price list aside, which is read-only and locked): safe to run on
a worker thread, as callers should, since the first cost estimate loads the price list.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from batchtui.api.models import Batch
from batchtui.glance.cost import estimate_cost
from batchtui.glance.eta import estimate_eta
from batchtui.glance.insight import Insight
from batchtui.glance.stuck import stuck_reason
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.store.reads import Observation


def insight_for(
    batch: Batch,
    observations: Sequence[Observation],
    now: float,
    thresholds: StuckThresholds = DEFAULT_THRESHOLDS,
) -> Insight:
    return Insight(
        eta=estimate_eta(batch, observations, now),
        stuck=stuck_reason(batch, observations, now, thresholds),
        cost=estimate_cost(batch),
        samples=samples(observations),
    )


def insights_for(
    batches: Iterable[Batch],
    observations_by_id: Mapping[str, Sequence[Observation]],
    now: float,
    thresholds: StuckThresholds = DEFAULT_THRESHOLDS,
) -> dict[str, Insight]:
    """One Insight per batch id; a batch without observations in the mapping is judged on its own fields."""
    return {batch.id: insight_for(batch, observations_by_id.get(batch.id, ()), now, thresholds) for batch in batches}


def samples(observations: Sequence[Observation]) -> tuple[tuple[float, int], ...]:
    """(observed_at, completed) oldest first, for the sparkline; observations without a completed count are left out."""
    ordered = sorted(observations, key=lambda observation: observation.observed_at)
    return tuple((float(item.observed_at), item.completed) for item in ordered if item.completed is not None)
