"""The stuck rules as a table: each just over and just under its threshold, on a fixed clock (tests run in UTC)."""

from __future__ import annotations

from typing import Any

import pytest

from batchtui.api.models import Batch
from batchtui.glance.stuck import stuck_reason
from batchtui.glance.thresholds import DEFAULT_THRESHOLDS, StuckThresholds
from batchtui.store.reads import Observation
from tests.support.batches import NOW
from tests.support.batches import batch_json as server_batch

MINUTE = 60
HOUR = 3_600
FAR = NOW + 20 * HOUR  # an expiry far enough away for the expiry rule to stay quiet


def batch(status: str, **fields: Any) -> Batch:
    defaults: dict[str, Any] = {"status": status, "created_at": NOW - 3 * HOUR, "expires_at": FAR}
    return Batch.model_validate(server_batch(**(defaults | fields)))


def running(finished: int = 100, total: int = 1_000, **fields: Any) -> Batch:
    counts = {"total": total, "completed": finished, "failed": 0}
    return batch("in_progress", **({"in_progress_at": NOW - 2 * HOUR, "request_counts": counts} | fields))


def seen(minutes_ago: float, finished: int, total: int = 1_000) -> Observation:
    return Observation(observed_at=int(NOW - minutes_ago * MINUTE), completed=finished, failed=0, total=total)


# (id, batch, observations, the rule expected or None)
CASES: list[tuple[str, Batch, list[Observation], str | None]] = [
    ("validating 31m", batch("validating", created_at=NOW - 31 * MINUTE), [], "validating"),
    ("validating 29m", batch("validating", created_at=NOW - 29 * MINUTE), [], None),
    ("validating exactly 30m", batch("validating", created_at=NOW - 30 * MINUTE), [], None),
    ("in_progress, none done, in_progress_at 31m", running(0, in_progress_at=NOW - 31 * MINUTE), [], "in_progress"),
    ("in_progress, none done, in_progress_at 29m", running(0, in_progress_at=NOW - 29 * MINUTE), [], None),
    ("in_progress, last change 31m ago", running(100), [seen(90, 50), seen(31, 100)], "in_progress"),
    ("in_progress, last change 29m ago", running(100), [seen(90, 50), seen(29, 100)], None),
    # Only the total changed 5m ago: no request was done since 31m ago.
    ("in_progress, total changed since", running(100), [seen(31, 100, total=900), seen(5, 100)], "in_progress"),
    # The batch in hand is ahead of the index: it has just moved.
    ("in_progress, batch newer than the index", running(150), [seen(90, 50), seen(40, 100)], None),
    ("in_progress, without in_progress_at or observations", running(0, in_progress_at=None), [], None),
    ("finalizing 61m", batch("finalizing", finalizing_at=NOW - 61 * MINUTE), [], "finalizing"),
    ("finalizing 59m", batch("finalizing", finalizing_at=NOW - 59 * MINUTE), [], None),
    ("finalizing without finalizing_at", batch("finalizing"), [], None),
    ("cancelling 21m", batch("cancelling", cancelling_at=NOW - 21 * MINUTE), [], "cancelling"),
    ("cancelling 19m", batch("cancelling", cancelling_at=NOW - 19 * MINUTE), [], None),
    ("89% done, 1h59m left", running(890, expires_at=NOW + 119 * MINUTE), [seen(1, 890)], "expiry"),
    ("89% done, 2h01m left", running(890, expires_at=NOW + 121 * MINUTE), [seen(1, 890)], None),
    ("91% done, 1h left", running(910, expires_at=NOW + HOUR), [seen(1, 910)], None),
    ("validating, 1h left", batch("validating", created_at=NOW - 5 * MINUTE, expires_at=NOW + HOUR), [], "expiry"),
    ("in_progress past its window", running(400, expires_at=NOW - 10 * MINUTE), [seen(1, 400)], "expiry"),
    ("finalizing near the close", batch("finalizing", finalizing_at=NOW - MINUTE, expires_at=NOW + 60), [], None),
    # The status rule names the cause, so it wins over the expiry rule.
    ("idle and near the close", running(100, expires_at=NOW + HOUR), [seen(45, 100)], "in_progress"),
    *[
        (f"{status} long ago", batch(status, created_at=NOW - 50 * HOUR, expires_at=NOW - 26 * HOUR), [], None)
        for status in ("completed", "failed", "expired", "cancelled")
    ],
    ("an unknown status", batch("paused", created_at=NOW - 50 * HOUR, expires_at=NOW + 60), [], None),
]


@pytest.mark.parametrize(("batch_", "observations", "rule"), [case[1:] for case in CASES], ids=[c[0] for c in CASES])
def test_the_rules(batch_: Batch, observations: list[Observation], rule: str | None) -> None:
    stuck = stuck_reason(batch_, observations, NOW, DEFAULT_THRESHOLDS)
    assert (stuck.rule if stuck else None) == rule
    if stuck is not None:
        assert "stuck" in stuck.text
        assert stuck.since < NOW


@pytest.mark.parametrize(
    ("stuck_batch", "observations", "text", "since"),
    [
        (
            batch("validating", created_at=NOW - (2 * HOUR + 10 * MINUTE)),
            [],
            "stuck? validating for 2h 10m, more than 30m",
            NOW - (2 * HOUR + 10 * MINUTE),
        ),
        (running(100), [seen(45, 100)], "stuck? no new requests done for 45m, more than 30m", NOW - 45 * MINUTE),
        (
            batch("finalizing", finalizing_at=NOW - 65 * MINUTE),
            [],
            "stuck? finalizing for 1h 5m, more than 1h",
            NOW - 65 * MINUTE,
        ),
        (
            batch("cancelling", cancelling_at=NOW - 25 * MINUTE),
            [],
            "stuck? cancelling for 25m, more than 20m",
            NOW - 25 * MINUTE,
        ),
        # NOW is 16:00 UTC: the window closes at 17:20.
        (
            running(400, expires_at=NOW + 80 * MINUTE),
            [seen(1, 400)],
            "stuck? 40% done with 1h 20m left before the window closes at 17:20",
            NOW + 80 * MINUTE - 2 * HOUR,
        ),
        (
            running(400, expires_at=NOW - 30 * MINUTE),
            [seen(1, 400)],
            "stuck? 40% done and the window closed at 15:30",
            NOW - 30 * MINUTE - 2 * HOUR,
        ),
    ],
    ids=["validating", "in_progress", "finalizing", "cancelling", "expiry", "expiry, window passed"],
)
def test_the_texts_name_the_rule_and_since_when(
    stuck_batch: Batch, observations: list[Observation], text: str, since: float
) -> None:
    stuck = stuck_reason(stuck_batch, observations, NOW)
    assert stuck is not None
    assert (stuck.text, stuck.since) == (text, since)


def test_custom_thresholds_are_honoured() -> None:
    quick = StuckThresholds(
        validating_minutes=5,
        in_progress_idle_minutes=10,
        finalizing_minutes=2,
        cancelling_minutes=1,
        expiry_window_minutes=600,
        expiry_done_percent=50,
    )
    cases = [
        (batch("validating", created_at=NOW - 6 * MINUTE), "validating"),
        (running(100), "in_progress"),
        (batch("finalizing", finalizing_at=NOW - 3 * MINUTE), "finalizing"),
        (batch("cancelling", cancelling_at=NOW - 2 * MINUTE), "cancelling"),
        (running(400, expires_at=NOW + 9 * HOUR), "expiry"),
    ]
    observations = {"in_progress": [seen(11, 100)], "expiry": [seen(1, 400)]}
    for stuck_batch, rule in cases:
        assert stuck_reason(stuck_batch, observations.get(rule, []), NOW) is None, rule
        stuck = stuck_reason(stuck_batch, observations.get(rule, []), NOW, quick)
        assert stuck is not None and stuck.rule == rule
    assert stuck_reason(batch("validating", created_at=NOW - 6 * MINUTE), [], NOW, quick).text.endswith(  # type: ignore[union-attr]
        "more than 5m"
    )
    # Half done is enough with these thresholds, even with an hour left.
    assert stuck_reason(running(500, expires_at=NOW + HOUR), [seen(1, 500)], NOW, quick) is None
