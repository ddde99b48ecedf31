"""Writing raw batches: kept exactly as sent, indexed columns beside them, request counts over time."""

from __future__ import annotations

import json
from typing import Any

from batchtui.store import Index, get_batch, indexed_count, observations, save_batches, search
from batchtui.store.query import parse_query
from batchtui.store.reads import Observation, active_batches
from tests.support.batches import history_batch

NOW = 1_790_000_000


def test_raw_json_with_unknown_fields_round_trips_exactly(index: Index) -> None:
    raw = history_batch(
        "batch_exotic",
        metadata={"ünïcode": "値", "empty": "", "quote": 'say "hi"'},
        usage={"input_tokens": 2**53 + 1, "output_tokens_details": {"reasoning_tokens": 7}},
        future_field={"nested": [1, 2.5, None, True, {"deep": ["x"]}]},
        status="Finalizing",
        emoji="🧪",
        lone_surrogate="\ud800",
    )
    save_batches(index, [raw], seen_at=NOW)
    stored = get_batch(index, "batch_exotic")
    assert stored == raw
    # Key order too: what the server sent, as it sent it.
    assert list(stored) == list(raw)
    assert json.dumps(search(index, parse_query(""), now=NOW).batches[0]) == json.dumps(raw)


def test_a_page_is_counted_new_updated_and_skipped(index: Index) -> None:
    first = save_batches(index, [history_batch("batch_a"), history_batch("batch_b")], seen_at=NOW)
    assert (first.new, first.updated, first.skipped) == (2, 0, 0)
    second = save_batches(
        index,
        [history_batch("batch_b", status="failed"), history_batch("batch_c"), {"no": "id"}, "not a batch", {"id": 42}],
        seen_at=NOW + 1,
    )
    assert (second.new, second.updated, second.skipped) == (2, 1, 2)
    assert get_batch(index, "batch_b") == history_batch("batch_b", status="failed")
    # A numeric id is still an id, as text.
    assert get_batch(index, "42") == {"id": 42}
    assert indexed_count(index) == 4


def test_an_older_sighting_never_overwrites_a_newer_one(index: Index) -> None:
    save_batches(index, [history_batch("batch_x", status="completed")], seen_at=NOW + 10)
    late = save_batches(index, [history_batch("batch_x", status="in_progress")], seen_at=NOW)
    assert late.skipped == 1
    assert get_batch(index, "batch_x") == history_batch("batch_x", status="completed")


def test_odd_values_are_indexed_leniently_and_kept_as_sent(index: Index) -> None:
    odd: dict[str, Any] = {
        "id": "batch_odd",
        "status": "InProgress",
        "created_at": "2026-09-21T12:00:00Z",
        "endpoint": None,
        "model": 4,
        "metadata": {"n": 1, "none": None},
        "request_counts": {"total": "10", "completed": 1e400, "failed": True},
    }
    huge = {"id": "batch_huge", "status": "completed", "created_at": 10**30, "request_counts": {"total": 10**30}}
    assert save_batches(index, [odd, huge], seen_at=NOW).new == 2
    assert get_batch(index, "batch_odd") == odd
    assert [found["id"] for found in search(index, parse_query("status:in_progress"), now=NOW).batches] == ["batch_odd"]
    assert search(index, parse_query("n=1"), now=NOW).matching == 1
    assert search(index, parse_query("created:2026-09-21"), now=NOW).matching == 1


def test_metadata_changes_move_the_pairs_and_the_words(index: Index) -> None:
    save_batches(index, [history_batch("batch_m", metadata={"project": "apollo"})], seen_at=NOW)
    save_batches(index, [history_batch("batch_m", metadata={"project": "gemini", "owner": "dana"})], seen_at=NOW + 1)
    assert search(index, parse_query("project=apollo"), now=NOW).matching == 0
    assert search(index, parse_query("apollo"), now=NOW).matching == 0
    assert search(index, parse_query("project=gemini owner=dana"), now=NOW).matching == 1
    save_batches(index, [history_batch("batch_m", metadata=None)], seen_at=NOW + 2)
    assert search(index, parse_query("project="), now=NOW).matching == 0


def test_an_active_batch_leaves_one_observation_per_change_of_its_counts(index: Index) -> None:
    def sighting(completed: int, status: str = "in_progress") -> dict[str, Any]:
        return history_batch("batch_run", status=status, counts=(completed, 1, 100))

    results = [
        save_batches(index, [sighting(10)], seen_at=NOW),
        save_batches(index, [sighting(10)], seen_at=NOW + 60),
        save_batches(index, [sighting(40)], seen_at=NOW + 120),
        save_batches(index, [sighting(99, "completed")], seen_at=NOW + 180),
    ]
    assert [result.observations for result in results] == [1, 0, 1, 0]
    assert observations(index, "batch_run") == [
        Observation(observed_at=NOW, completed=10, failed=1, total=100),
        Observation(observed_at=NOW + 120, completed=40, failed=1, total=100),
    ]


def test_finished_batches_and_batches_without_counts_leave_no_observations(index: Index) -> None:
    save_batches(
        index,
        [history_batch("batch_done", status="completed"), history_batch("batch_new", status="validating", counts=None)],
        seen_at=NOW,
    )
    assert observations(index, "batch_done") == []
    assert observations(index, "batch_new") == []


def test_active_batches_know_when_they_were_fetched_and_how_deep_they_are(index: Index) -> None:
    save_batches(
        index,
        [
            history_batch("batch_newest", status="completed", created_at=NOW),
            history_batch("batch_running", status="in_progress", created_at=NOW - 10),
            history_batch("batch_finished", status="expired", created_at=NOW - 20),
            history_batch("batch_cancelling", status="cancelling", created_at=NOW - 30),
        ],
        seen_at=NOW,
    )
    save_batches(index, [history_batch("batch_cancelling", status="cancelling", created_at=NOW - 30)], seen_at=NOW + 5)
    found = {batch.id: batch for batch in active_batches(index)}
    assert set(found) == {"batch_running", "batch_cancelling"}
    assert (found["batch_running"].depth, found["batch_running"].refreshed_at) == (1, NOW)
    assert (found["batch_cancelling"].depth, found["batch_cancelling"].refreshed_at) == (3, NOW + 5)


def test_batches_of_one_second_keep_the_order_the_server_listed_them_in(index: Index) -> None:
    page = [history_batch(f"batch_{name}", created_at=NOW) for name in ("first", "second", "third")]
    save_batches(index, page, seen_at=NOW)
    assert [found["id"] for found in search(index, parse_query(""), now=NOW).batches] == [
        "batch_first",
        "batch_second",
        "batch_third",
    ]


def test_the_depth_of_active_batches_counts_only_strictly_newer_ones(index: Index) -> None:
    save_batches(
        index,
        [
            history_batch("batch_top", status="completed", created_at=NOW),
            history_batch("batch_tie_a", status="in_progress", created_at=NOW - 10),
            history_batch("batch_tie_b", status="validating", created_at=NOW - 10),
            history_batch("batch_between", status="completed", created_at=NOW - 15),
            history_batch("batch_deeper", status="finalizing", created_at=NOW - 20),
            {"id": "batch_timeless", "status": "in_progress"},
        ],
        seen_at=NOW,
    )
    depths = {batch.id: batch.depth for batch in active_batches(index)}
    assert depths == {"batch_tie_a": 1, "batch_tie_b": 1, "batch_deeper": 4, "batch_timeless": 5}
