"""Whether a batch looks stuck: too long in one status, no requests done lately, or short of time before its window.

A batch's own status rule is checked first (it names the cause); the expiry rule (the consequence) after it.
Terminal batches and statuses we do not know are never stuck.
"""

from __future__ import annotations

from collections.abc import Sequence

from batchtui.api.models import Batch
from batchtui.glance import bounds
from batchtui.glance.durations import MINUTE, clock_time, duration
from batchtui.glance.insight import Stuck
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.store.reads import Observation

# Where the expiry rule applies: finalizing means every request has run, cancelling that the user already acted.
_EXPIRY_STATUSES = frozenset({"validating", "in_progress"})


def stuck_reason(
    batch: Batch, observations: Sequence[Observation], now: float, thresholds: StuckThresholds = DEFAULT_THRESHOLDS
) -> Stuck | None:
    return _status_rule(batch, observations, now, thresholds) or _expiry_rule(batch, now, thresholds)


def _status_rule(
    batch: Batch, observations: Sequence[Observation], now: float, thresholds: StuckThresholds
) -> Stuck | None:
    status = batch.status
    if status == "validating":
        return _too_long("validating", bounds.moment(batch.created_at), thresholds.validating_minutes, now)
    if status == "finalizing":
        return _too_long("finalizing", bounds.moment(batch.finalizing_at), thresholds.finalizing_minutes, now)
    if status == "cancelling":
        return _too_long("cancelling", bounds.moment(batch.cancelling_at), thresholds.cancelling_minutes, now)
    if status == "in_progress":
        since = last_progress_at(batch, observations, now)
        limit = thresholds.in_progress_idle_minutes * MINUTE
        if since is None or now - since <= limit:
            return None
        text = f"stuck? no new requests done for {duration(now - since)}, more than {duration(limit)}"
        return Stuck(rule="in_progress", since=since, text=text)
    return None


def _too_long(status: str, since: float | None, minutes: float, now: float) -> Stuck | None:
    limit = minutes * MINUTE
    if since is None or now - since <= limit:
        return None
    text = f"stuck? {status} for {duration(now - since)}, more than {duration(limit)}"
    return Stuck(rule=status, since=since, text=text)


def last_progress_at(batch: Batch, observations: Sequence[Observation], now: float) -> float | None:
    """When the batch last finished a request, as far as the index saw; in_progress_at when it has finished none."""
    start = bounds.moment(batch.in_progress_at)
    previous, changed_at = 0, None
    for observation in sorted(observations, key=lambda item: item.observed_at):
        if start is not None and observation.observed_at < start:
            continue
        finished = (observation.completed or 0) + (observation.failed or 0)
        if finished != previous:
            changed_at = float(observation.observed_at)
        previous = finished
    counts = batch.request_counts
    if counts is not None and (counts.finished or 0) != previous:
        return now  # the batch in hand is newer than the index: it has just moved
    return changed_at if changed_at is not None else start


def _expiry_rule(batch: Batch, now: float, thresholds: StuckThresholds) -> Stuck | None:
    expires_at = bounds.moment(batch.expires_at)
    if batch.status not in _EXPIRY_STATUSES or expires_at is None:
        return None
    window = thresholds.expiry_window_minutes * MINUTE
    left = expires_at - now
    if left >= window:
        return None
    done = done_share(batch)
    if done * 100 >= thresholds.expiry_done_percent:
        return None
    closes = clock_time(expires_at, now)
    percent = f"{int(done * 100)}% done"
    if left > 0:
        text = f"stuck? {percent} with {duration(left)} left before the window closes at {closes}"
    else:
        text = f"stuck? {percent} and the window closed at {closes}"
    return Stuck(rule="expiry", since=expires_at - window, text=text)


def done_share(batch: Batch) -> float:
    """Finished requests over the total, 0 while the total is unknown (a validating batch has done none)."""
    counts = batch.request_counts
    total = bounds.count(counts.total) if counts is not None else None
    finished = bounds.count(counts.finished or 0) if counts is not None else None
    if not total or finished is None:
        return 0.0
    return min(1.0, finished / total)
