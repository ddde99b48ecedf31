"""The ETA against the simulator's known pace, recorded through a real index, and on hand-made observations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from batchtui.api.models import Batch
from batchtui.clock import ManualClock
from batchtui.glance.eta import RATE_WINDOW_SECONDS, estimate_eta
from batchtui.sim.lifecycle import BatchPlan, TokensPerRequest, batch_json
from batchtui.store import open_index, save_batches
from batchtui.store.reads import Observation
from batchtui.store.summary import observations_for
from tests.support.batches import NOW
from tests.support.batches import batch_json as server_batch

MINUTE = 60


def plan(*, total: int, in_progress_seconds: float, validating_seconds: float = 30) -> BatchPlan:
    return BatchPlan(
        id="batch_paced",
        endpoint="/v1/chat/completions",
        model="gpt-4o-mini",
        input_file_id="file-in",
        output_file_id="file-out",
        error_file_id="file-err",
        completion_window="24h",
        created_at=NOW,
        total=total,
        validating_seconds=validating_seconds,
        in_progress_seconds=in_progress_seconds,
        finalizing_seconds=60,
        failure_rate=0.02,
        tokens=TokensPerRequest(input=100, cached=0, output=20, reasoning=0),
        metadata=None,
        seed=1,
    )


def observe(plan: BatchPlan, clock: ManualClock, path: Path, steps: list[float]) -> tuple[Batch, list[Observation]]:
    """Fetch the batch as the screen would after each step of the clock, index it, and read the observations back."""
    with open_index(path).index as index:
        raw: dict[str, Any] = batch_json(plan, clock.now())
        save_batches(index, [raw], seen_at=clock.now())
        for step in steps:
            clock.advance(step)
            raw = batch_json(plan, clock.now())
            save_batches(index, [raw], seen_at=clock.now())
        found = observations_for(index, [plan.id])
    return Batch.model_validate(raw), found.get(plan.id, [])


@pytest.mark.parametrize(
    ("total", "in_progress_seconds"),
    [(12_000, 3_600), (500, 1_800), (200_000, 20 * 3_600)],
    ids=["200/min", "16.7/min", "166.7/min over 20h"],
)
def test_after_a_simulated_minute_the_rate_and_finish_match_the_plan(
    tmp_path: Path, total: int, in_progress_seconds: float
) -> None:
    batch_plan = plan(total=total, in_progress_seconds=in_progress_seconds)
    clock = ManualClock(NOW)
    # From inside validation (total 0, so those observations are not part of the run) to a minute after it.
    steps = [10.0, 10.0, 5.0, 7.0, 10.0, 5.0, 8.0, 10.0, 6.0, 9.0, 10.0]
    batch, seen = observe(batch_plan, clock, tmp_path / "index.sqlite3", steps)
    now = clock.now()
    assert batch.status == "in_progress"
    assert now - batch_plan.started_at >= MINUTE
    assert len(seen) >= 3 and any(observation.total == 0 for observation in seen)

    eta = estimate_eta(batch, seen, now)

    assert eta is not None and eta.from_observations
    planned_rate = total / in_progress_seconds * MINUTE
    assert eta.rate_per_minute == pytest.approx(planned_rate, rel=0.10)
    assert eta.finishes_at is not None
    assert eta.finishes_at - now == pytest.approx(batch_plan.finalizing_from - now, rel=0.10)
    assert eta.remaining == total - batch.request_counts.finished  # type: ignore[union-attr, operator]
    assert eta.window_closes_at == batch_plan.window_ends_at
    assert eta.left_at_close is None  # the plan ends well inside its 24h window


def test_before_two_observations_the_rate_is_measured_since_in_progress_at(tmp_path: Path) -> None:
    batch_plan = plan(total=6_000, in_progress_seconds=3_600, validating_seconds=0)
    clock = ManualClock(NOW)
    clock.advance(90)
    with open_index(tmp_path / "index.sqlite3").index as index:
        raw = batch_json(batch_plan, clock.now())
        save_batches(index, [raw], seen_at=clock.now())
        seen = observations_for(index, [batch_plan.id])[batch_plan.id]
    assert len(seen) == 1

    eta = estimate_eta(Batch.model_validate(raw), seen, clock.now())

    assert eta is not None and not eta.from_observations
    assert eta.rate_per_minute == pytest.approx(100, rel=0.10)
    assert eta.finishes_at == pytest.approx(batch_plan.finalizing_from, rel=0, abs=0.1 * 3_510)


def in_progress(finished: int, total: int = 1_000, **fields: Any) -> Batch:
    raw = server_batch(
        status="in_progress",
        created_at=NOW - 3_600,
        in_progress_at=NOW - 3_000,
        expires_at=NOW + 20 * 3_600,
        request_counts={"total": total, "completed": finished, "failed": 0},
    )
    return Batch.model_validate(raw | fields)


def at(minutes_ago: float, finished: int, total: int = 1_000) -> Observation:
    return Observation(observed_at=int(NOW - minutes_ago * MINUTE), completed=finished, failed=0, total=total)


@pytest.mark.parametrize(
    "raw_fields",
    [
        {"status": "validating"},
        {"status": "finalizing"},
        {"status": "completed"},
        {"request_counts": {"total": 0, "completed": 0, "failed": 0}},
        {"request_counts": None},
        {"request_counts": {"total": "lots", "completed": 3}},
    ],
)
def test_only_in_progress_batches_with_a_total_have_an_eta(raw_fields: dict[str, Any]) -> None:
    assert estimate_eta(in_progress(100, **raw_fields), [at(2, 50), at(1, 100)], NOW) is None


def test_a_batch_that_has_not_moved_has_no_finish_and_all_it_has_left_at_the_close() -> None:
    # Two observations that differ only in the total: nothing was done between them.
    eta = estimate_eta(in_progress(400), [at(5, 400, total=900), at(1, 400)], NOW)
    assert eta is not None
    assert eta.rate_per_minute == 0
    assert eta.finishes_at is None
    assert eta.left_at_close == pytest.approx(0.6)


def test_nothing_done_since_in_progress_at_is_a_zero_rate() -> None:
    eta = estimate_eta(in_progress(0), [], NOW)
    assert eta is not None and not eta.from_observations
    assert (eta.rate_per_minute, eta.finishes_at) == (0, None)


def test_a_batch_with_neither_observations_nor_in_progress_at_has_no_eta() -> None:
    assert estimate_eta(in_progress(10, in_progress_at=None), [], NOW) is None


def test_a_finish_after_the_window_says_what_would_be_left() -> None:
    # 10 requests a minute, 600 left, 30 minutes to the close: 300 left then, 30% of 1,000.
    batch = in_progress(400, expires_at=NOW + 30 * MINUTE)
    eta = estimate_eta(batch, [at(10, 300), at(0, 400)], NOW)
    assert eta is not None
    assert eta.rate_per_minute == pytest.approx(10)
    assert eta.finishes_at == pytest.approx(NOW + 60 * MINUTE)
    assert eta.window_closes_at == NOW + 30 * MINUTE
    assert eta.left_at_close == pytest.approx(0.3)


def test_a_window_already_closed_gives_no_share_left() -> None:
    eta = estimate_eta(in_progress(400, expires_at=NOW - 60), [at(10, 300), at(0, 400)], NOW)
    assert eta is not None and eta.left_at_close is None


def test_the_rate_follows_the_recent_window_not_the_whole_run() -> None:
    # Slow for the first hour (1/min), then 50/min over the last ten minutes.
    seen = [at(70, 0), at(10, 60), at(5, 310), at(0, 560)]
    eta = estimate_eta(in_progress(560), seen, NOW)
    assert eta is not None
    assert eta.rate_per_minute == pytest.approx(50)
    assert RATE_WINDOW_SECONDS == 10 * MINUTE


def test_two_observations_further_apart_than_the_window_still_give_a_rate() -> None:
    eta = estimate_eta(in_progress(300), [at(45, 0), at(30, 300)], NOW)
    assert eta is not None and eta.from_observations
    assert eta.rate_per_minute == pytest.approx(20)
    # Timed from the newest observation, when the batch reached its counts: 700 left at 20/min.
    assert eta.finishes_at == pytest.approx(NOW - 30 * MINUTE + 35 * MINUTE)


def test_a_batch_ahead_of_the_index_is_timed_from_now() -> None:
    eta = estimate_eta(in_progress(500), [at(10, 300), at(5, 400)], NOW)
    assert eta is not None
    assert eta.finishes_at == pytest.approx(NOW + 500 / 20 * MINUTE)


def test_counts_that_went_backwards_start_a_new_run() -> None:
    seen = [at(30, 900), at(20, 950), at(4, 0), at(2, 40), at(0, 80)]
    eta = estimate_eta(in_progress(80), seen, NOW)
    assert eta is not None and eta.rate_per_minute == pytest.approx(20)


def test_observations_before_in_progress_at_are_not_part_of_the_run() -> None:
    batch = in_progress(100, in_progress_at=NOW - 5 * MINUTE)
    seen = [at(50, 0), at(40, 90), at(3, 40), at(0, 100)]
    eta = estimate_eta(batch, seen, NOW)
    assert eta is not None and eta.rate_per_minute == pytest.approx(20)


def test_an_estimate_in_the_past_is_now() -> None:
    # Done at this pace ten minutes ago, by the index; the batch has not said so yet.
    eta = estimate_eta(in_progress(900), [at(30, 800), at(20, 900)], NOW)
    assert eta is not None and eta.finishes_at == NOW


def test_observations_only_seconds_apart_give_way_to_the_average_since_in_progress_at() -> None:
    # 0 then 1 done ten seconds later would read as 6 a minute and an ETA of hours: too little to go on.
    batch = in_progress(600)
    eta = estimate_eta(batch, [at(10 / MINUTE, 599), at(0, 600)], NOW)
    assert eta is not None and not eta.from_observations
    assert eta.rate_per_minute == pytest.approx(600 / 50)
    later = estimate_eta(batch, [at(0.5, 594), at(0, 600)], NOW)
    assert later is not None and later.from_observations and later.rate_per_minute == pytest.approx(12)
