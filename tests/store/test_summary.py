"""The account summary and many batches' observations, read from a real index file."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from batchtui.store import Index, save_batches
from batchtui.store.reads import Observation
from batchtui.store.summary import ENDED_LOOKBACK_SECONDS, AccountCounts, account_counts, observations_for
from tests.support.batches import DAY, HOUR, NOW, history_batch

DAY_START = NOW - 16 * HOUR  # NOW is 16:00 UTC


def active(batch_id: str, status: str, counts: tuple[int, int, int] | None, **extra: Any) -> dict[str, Any]:
    return history_batch(batch_id, status=status, created_at=NOW - HOUR, counts=counts, **extra)


def ended(batch_id: str, status: str, ended_at: Any, created_at: int = NOW - 3 * HOUR, **extra: Any) -> dict[str, Any]:
    field = {"completed": "completed_at", "failed": "failed_at", "expired": "expired_at", "cancelled": "cancelled_at"}
    return history_batch(batch_id, status=status, created_at=created_at, **({field[status]: ended_at} | extra))


def test_an_empty_index_counts_nothing(index: Index) -> None:
    assert account_counts(index, DAY_START) == AccountCounts()


def test_active_batches_and_their_requests(index: Index) -> None:
    save_batches(
        index,
        [
            active("batch_v1", "validating", (0, 0, 0)),
            active("batch_v2", "Validating", None),  # Azure's spelling, no counts at all
            active("batch_p1", "in_progress", (300, 20, 1_000)),
            active("batch_p2", "in_progress", (50, 0, 0)),  # done but no total: counted done, nothing to run
            active("batch_f1", "finalizing", (990, 10, 1_000)),
            active("batch_c1", "cancelling", (10, 0, 100)),
            active("batch_x1", "paused", (1, 0, 10)),  # a status this version does not know
            history_batch("batch_done", status="completed", counts=(5_000, 0, 5_000)),
        ],
        seen_at=NOW,
    )
    counts = account_counts(index, DAY_START)
    assert (counts.validating, counts.in_progress, counts.finalizing, counts.cancelling) == (2, 2, 1, 1)
    assert counts.other_active == 1 and counts.active == 7
    assert counts.requests_done == 320 + 50 + 1_000 + 10 + 1
    assert counts.requests_to_run == 680 + 90 + 9


def test_absurd_counts_do_not_break_the_sums(index: Index) -> None:
    # SQLite's sum() raises on integer overflow; these are near what an int64 column holds.
    huge = 2**62
    save_batches(index, [active(f"batch_{n}", "in_progress", (huge, huge, 2**63 - 1)) for n in range(3)], seen_at=NOW)
    counts = account_counts(index, DAY_START)
    assert counts.in_progress == 3
    assert counts.requests_done == pytest.approx(3 * 2**63, rel=1e-9)


def test_what_ended_today_by_the_servers_end_time(index: Index) -> None:
    usage = {"input_tokens": 1_000, "output_tokens": 10}
    save_batches(
        index,
        [
            ended("batch_c_today", "completed", NOW - HOUR, model="gpt-4o-mini", usage=usage),
            ended("batch_c_iso", "completed", "2025-11-24T09:30:00Z", model="gpt-4.1"),  # Azure's ISO time
            ended("batch_c_midnight", "completed", DAY_START),
            ended("batch_c_yesterday", "completed", DAY_START - 1),
            ended("batch_c_no_time", "completed", None),
            ended("batch_c_garbage", "completed", {"when": "soon"}),
            # Created six days ago on a 7-day window, ended today: inside the lookback.
            ended("batch_c_long", "completed", NOW - 2 * HOUR, created_at=DAY_START - 6 * DAY),
            ended("batch_c_ancient", "completed", NOW - HOUR, created_at=DAY_START - ENDED_LOOKBACK_SECONDS - 1),
            ended("batch_f_today", "failed", NOW - 5 * HOUR, usage="garbage"),
            ended("batch_e_today", "expired", NOW - 2 * HOUR),
            ended("batch_x_today", "cancelled", NOW - 3 * HOUR),
            ended("batch_x_old", "cancelled", NOW - 2 * DAY),
        ],
        seen_at=NOW,
    )
    counts = account_counts(index, DAY_START)
    assert (counts.completed_today, counts.failed_today, counts.expired_today, counts.cancelled_today) == (4, 1, 1, 1)
    by_id = {batch.id: batch for batch in counts.finished_today}
    assert set(by_id) == {
        "batch_c_today",
        "batch_c_iso",
        "batch_c_midnight",
        "batch_c_long",
        "batch_f_today",
        "batch_e_today",
        "batch_x_today",
    }
    today = by_id["batch_c_today"]
    assert (today.status, today.ended_at, today.model, today.usage) == ("completed", NOW - HOUR, "gpt-4o-mini", usage)
    assert today.endpoint == "/v1/chat/completions" and today.created_at == NOW - 3 * HOUR
    assert by_id["batch_c_iso"].ended_at == NOW - 6 * HOUR - 30 * 60
    assert by_id["batch_f_today"].usage is None and by_id["batch_c_iso"].usage is None


def test_the_ended_query_reads_through_the_status_index(index: Index) -> None:
    from batchtui.store.summary import _ENDED

    with index.reading() as connection:
        plan = " ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + _ENDED, (0,)))
    assert "USING INDEX batches_status" in plan


def observed(index: Index, batch_id: str, moments: list[tuple[int, int]]) -> None:
    for moment, completed in moments:
        save_batches(index, [active(batch_id, "in_progress", (completed, 0, 1_000))], seen_at=moment)


def test_observations_of_many_batches_in_one_query(index: Index) -> None:
    observed(index, "batch_a", [(NOW, 0), (NOW + 10, 100), (NOW + 20, 250)])
    observed(index, "batch_b", [(NOW + 5, 7)])
    statements: list[str] = []
    # The one connection this Index holds (private, read only to count what it runs).
    connection: sqlite3.Connection = index._connection
    connection.set_trace_callback(statements.append)
    try:
        found = observations_for(index, ["batch_b", "batch_a", "batch_a", "batch_missing"])
    finally:
        connection.set_trace_callback(None)
    assert found == {
        "batch_a": [
            Observation(NOW, 0, 0, 1_000),
            Observation(NOW + 10, 100, 0, 1_000),
            Observation(NOW + 20, 250, 0, 1_000),
        ],
        "batch_b": [Observation(NOW + 5, 7, 0, 1_000)],
    }
    assert len([statement for statement in statements if "observations" in statement]) == 1


def test_only_the_newest_observations_of_each_batch_come_back(index: Index) -> None:
    observed(index, "batch_long", [(NOW + step, step) for step in range(50)])
    observed(index, "batch_short", [(NOW, 1), (NOW + 1, 2)])
    found = observations_for(index, ["batch_long", "batch_short"], per_batch=5)
    assert [item.observed_at for item in found["batch_long"]] == [NOW + step for step in range(45, 50)]
    assert len(found["batch_short"]) == 2


def test_many_ids_are_still_one_parameter(index: Index) -> None:
    observed(index, "batch_00042", [(NOW, 3)])
    ids = [f"batch_{n:05d}" for n in range(40_000)]  # past SQLite's limit of bound parameters
    assert list(observations_for(index, ids)) == ["batch_00042"]
    assert observations_for(index, []) == {}
