"""When an in_progress batch should finish, from how fast its request counts have been moving.

The index stores an observation only when a batch's counts change, so the rate is measured between
changes: from the oldest to the newest observation of the last few minutes of the current run.
"""

from __future__ import annotations

from collections.abc import Sequence

from batchtui.api.models import Batch
from batchtui.glance import bounds
from batchtui.glance.insight import Eta
from batchtui.store.reads import Observation

# Long enough to smooth the steps of a batch counted in chunks, short enough to follow a change of pace.
RATE_WINDOW_SECONDS = 600
# Below this, two early observations (0 then 1 done) swing the ETA from minutes to hours: use the average instead.
MIN_MEASURED_SECONDS = 30


def estimate_eta(batch: Batch, observations: Sequence[Observation], now: float) -> Eta | None:
    """The ETA of an in_progress batch with a known total; None for any other batch, or with nothing to measure."""
    counts = batch.request_counts
    if batch.status != "in_progress" or counts is None:
        return None
    total = bounds.count(counts.total)
    finished = bounds.count(counts.finished or 0)
    if not total or finished is None:
        return None
    remaining = max(0, total - finished)
    in_progress_at = bounds.moment(batch.in_progress_at)
    expires_at = bounds.moment(batch.expires_at)
    run = current_run(observations, in_progress_at)
    measured = _rate_from_observations(run)
    if measured is not None:
        rate, last = measured
        # The newest observation is when the batch reached its counts; a newer batch than the index is timed from now.
        anchor = float(last.observed_at) if _finished(last) == finished else now
        from_observations = True
    elif in_progress_at is not None and now > in_progress_at:
        rate = finished / ((now - in_progress_at) / 60)
        anchor, from_observations = now, False
    else:
        return None
    finishes_at = max(now, anchor + remaining / rate * 60) if rate > 0 else None
    return Eta(
        rate_per_minute=rate,
        remaining=remaining,
        finishes_at=finishes_at,
        window_closes_at=expires_at,
        left_at_close=_left_at_close(expires_at, rate, remaining, total, anchor, finishes_at, now),
        from_observations=from_observations,
    )


def current_run(observations: Sequence[Observation], in_progress_at: float | None) -> list[Observation]:
    """The observations since the batch went in_progress with a known total, oldest first, after any reset."""
    run = sorted(
        (
            observation
            for observation in observations
            if observation.total and (in_progress_at is None or observation.observed_at >= in_progress_at)
        ),
        key=lambda observation: observation.observed_at,
    )
    # Counts that went backwards belong to another run (a server that restarted the batch): keep only the latest.
    start = 0
    for position in range(1, len(run)):
        if _finished(run[position]) < _finished(run[position - 1]):
            start = position
    return run[start:]


def _rate_from_observations(run: list[Observation]) -> tuple[float, Observation] | None:
    """Requests a minute between the newest observation and the oldest one within the window before it."""
    if len(run) < 2:
        return None
    last = run[-1]
    first = run[-2]
    for observation in reversed(run[:-1]):
        if last.observed_at - observation.observed_at > RATE_WINDOW_SECONDS:
            break
        first = observation
    elapsed = last.observed_at - first.observed_at
    if elapsed < MIN_MEASURED_SECONDS:
        return None
    return max(0, _finished(last) - _finished(first)) / (elapsed / 60), last


def _left_at_close(
    expires_at: float | None,
    rate: float,
    remaining: int,
    total: int,
    anchor: float,
    finishes_at: float | None,
    now: float,
) -> float | None:
    """The share of the total still to run when the window closes; None when it finishes first or has closed."""
    if expires_at is None or expires_at <= now or remaining == 0:
        return None
    if finishes_at is not None and finishes_at <= expires_at:
        return None
    left = remaining - rate * max(0.0, expires_at - anchor) / 60
    return min(1.0, max(0.0, left / total))


def _finished(observation: Observation) -> int:
    return (observation.completed or 0) + (observation.failed or 0)
