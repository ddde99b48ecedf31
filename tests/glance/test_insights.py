"""One Insight per batch: the ETA, stuck and cost rules together, and the sparkline's samples."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest

from batchtui.api.models import Batch
from batchtui.glance.insights import insight_for, insights_for
from batchtui.glance.text import cost_cell, eta_cell
from batchtui.glance.thresholds import StuckThresholds
from batchtui.store.reads import Observation
from tests.support.batches import NOW, numbered_batch

MINUTE = 60


def running(index: int, model: str = "gpt-4o-mini") -> Batch:
    return Batch.model_validate(
        numbered_batch(
            index,
            in_progress_at=NOW - 30 * MINUTE,
            model=model,
            request_counts={"total": 1_000, "completed": 400, "failed": 0},
            usage={"input_tokens": 2_000_000, "output_tokens": 1_000_000},
        )
    )


SEEN = [
    Observation(int(NOW - 2 * MINUTE), 300, 0, 1_000),
    Observation(int(NOW - 20 * MINUTE), None, None, 1_000),
    Observation(int(NOW - 4 * MINUTE), 200, 0, 1_000),
    Observation(int(NOW), 400, 0, 1_000),
]


def test_an_insight_brings_the_rules_together() -> None:
    insight = insight_for(running(1), SEEN, NOW)
    assert insight.eta is not None and insight.eta.rate_per_minute == 50
    assert insight.stuck is None
    assert insight.cost.total == Decimal("0.450")
    # Oldest first; an observation without a completed count is left out.
    assert insight.samples == ((NOW - 4 * MINUTE, 200), (NOW - 2 * MINUTE, 300), (NOW, 400))


def test_thresholds_reach_the_stuck_rule() -> None:
    strict = StuckThresholds(in_progress_idle_minutes=0.5)
    later = NOW + 60
    assert insight_for(running(1), SEEN, later).stuck is None
    stuck = insight_for(running(1), SEEN, later, strict).stuck
    assert stuck is not None and stuck.rule == "in_progress"


def test_insights_for_many_batches_on_many_threads_agree() -> None:
    batches = [running(n, model=("gpt-4o-mini", "gpt-4.1", "gpt-9000")[n % 3]) for n in range(1, 31)]
    observations = {batch.id: SEEN for batch in batches[::2]}
    expected = insights_for(batches, observations, NOW)
    assert set(expected) == {batch.id for batch in batches}
    assert expected[batches[1].id].samples == ()  # no observations given: judged on its own fields
    alone = expected[batches[1].id].eta
    assert alone is not None and not alone.from_observations
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: insights_for(batches, observations, NOW), range(8)))
    assert all(result == expected for result in results)


@pytest.mark.parametrize("absurd", [10**400, -(10**400), 2**63, 2**53 + 1])
@pytest.mark.parametrize("status", ["validating", "in_progress", "finalizing", "cancelling"])
@pytest.mark.parametrize("field", ["created_at", "in_progress_at", "expires_at", "finalizing_at", "cancelling_at"])
def test_absurd_numbers_from_a_server_read_as_unknown_never_as_an_error(absurd: int, status: str, field: str) -> None:
    # Valid JSON that no float can hold; the lenient models keep such integers as they came.
    raw = numbered_batch(
        1,
        status=status,
        **{field: absurd},
        request_counts={"total": absurd, "completed": 3, "failed": absurd},
        usage={"input_tokens": absurd, "output_tokens": absurd},
    )
    insight = insight_for(Batch.model_validate(raw), SEEN, NOW)
    assert insight.eta is None  # the total is unknown
    assert insight.cost.no_usage
    assert eta_cell(insight, NOW) == "—" and cost_cell(insight.cost) == "—"
    if insight.stuck is not None:
        assert "stuck" in insight.stuck.text
