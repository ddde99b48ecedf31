"""The demo's account (SimConfig.long_history): a busy quarter of batches, and the showcase running now."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from batchtui.sim import ManualClock, SimConfig, Simulator
from tests.support.loopback import PLAIN_HTTP

from .support import all_batches
from .test_seeded_account import ENDPOINT_MODELS, STATUSES

DAY = 86400
ACTIVE = {"validating", "in_progress", "finalizing", "cancelling"}
REASONING = ("o3", "o4")
# A word in one batch's metadata only, and how many days ago (at least) that batch was created.
LANDMARK_WORDS = {"holiday": 20, "schema": 30, "lisbon": 40, "quarterly": 50, "tokenizer": 70}
# A word in one running batch's metadata only, and its status at the start.
SHOWCASE_WORDS = {
    "porto": "validating",
    "sweep": "in_progress",
    "lane": "in_progress",
    "40k": "in_progress",
    "month-end": "finalizing",
    "wrong": "cancelling",
}


@pytest.fixture
def demo(clock: ManualClock) -> Iterator[Simulator]:
    """The account on the test's own clock, for a test that moves the clock or changes a batch."""
    with Simulator(SimConfig.long_history(), clock=clock) as simulator:
        yield simulator


@pytest.fixture(scope="module")
def untouched() -> Iterator[Simulator]:
    """The account as it starts, built once for the tests that only read it (4,000 batches take a while)."""
    with Simulator(SimConfig.long_history(), clock=ManualClock()) as simulator:
        yield simulator


def by_id(simulator: Simulator) -> dict[str, dict]:
    return {batch["id"]: batch for batch in simulator.batches()}


def finished(batch: dict) -> int:
    return batch["request_counts"]["completed"] + batch["request_counts"]["failed"]


def metadata_words(batch: dict) -> set[str]:
    text = " ".join(f"{key} {value}" for key, value in (batch["metadata"] or {}).items())
    return set(text.lower().replace(",", " ").split())


def test_thousands_of_batches_over_ninety_days_newest_first(untouched: Simulator) -> None:
    batches = untouched.batches()
    now = untouched.clock.now()
    assert 3_000 <= len(batches) <= 5_000
    created = [batch["created_at"] for batch in batches]
    assert created == sorted(created, reverse=True)
    assert now - 90 * DAY <= created[-1] < now - 85 * DAY
    per_month = Counter(int((now - moment) // (30 * DAY)) for moment in created)
    assert per_month[0] > per_month[1] > per_month[2] > 300  # the account grew, and it was busy from the start


def test_every_status_with_realistic_counts_errors_and_usage(untouched: Simulator) -> None:
    batches = untouched.batches()
    statuses = Counter(batch["status"] for batch in batches)
    assert set(statuses) == STATUSES
    assert statuses["completed"] > 0.7 * len(batches)
    assert all(1 <= statuses[status] <= 12 for status in ACTIVE)  # a handful running now
    assert statuses["in_progress"] >= 3
    assert max(batch["request_counts"]["total"] for batch in batches) == 50_000
    for batch in batches:
        assert batch["model"] in ENDPOINT_MODELS[batch["endpoint"]]
        counts = batch["request_counts"]
        assert finished(batch) <= counts["total"] <= 50_000
        if batch["status"] == "expired":
            assert 0 < finished(batch) < counts["total"]
        if batch["status"] == "completed":
            assert finished(batch) == counts["total"]
            usage = batch["usage"]
            assert usage["input_tokens"] >= 30 * counts["completed"]
            assert usage["input_tokens_details"]["cached_tokens"] <= usage["input_tokens"]
            reasoning = usage["output_tokens_details"]["reasoning_tokens"]
            assert (reasoning > 0) == batch["model"].startswith(REASONING)
            assert reasoning <= usage["output_tokens"]
            assert (usage["output_tokens"] == 0) == (batch["endpoint"] in {"/v1/embeddings", "/v1/moderations"})
    failures = [batch["errors"]["data"] for batch in batches if batch["status"] == "failed"]
    lines = [error["line"] for errors in failures for error in errors if error["line"] is not None]
    assert len(lines) > 50 and all(isinstance(line, int) and line >= 1 for line in lines)
    assert any(error["code"] == "token_limit_exceeded" for errors in failures for error in errors)


def test_metadata_names_projects_owners_runs_and_environments(untouched: Simulator) -> None:
    metadata = [batch["metadata"] for batch in untouched.batches() if batch["metadata"]]
    projects = Counter(entry.get("project") for entry in metadata)
    owners = Counter(entry.get("owner") for entry in metadata)
    assert {"invoice-extraction", "support-triage", "catalog-embeddings", "eval-suite"} <= set(projects)
    assert len([owner for owner, count in owners.items() if owner and count >= 50]) >= 6
    assert {entry.get("env") for entry in metadata} >= {"prod", "staging", "dev"}
    assert len({entry["run"] for entry in metadata if "run" in entry}) > 1_000
    assert any(entry["run"].startswith("nightly-") for entry in metadata if "run" in entry)


def test_a_metadata_word_finds_one_batch_from_weeks_ago(untouched: Simulator) -> None:
    batches = untouched.batches()
    for word, days in LANDMARK_WORDS.items():
        found = [batch for batch in batches if word in metadata_words(batch)]
        assert len(found) == 1, word
        assert found[0]["created_at"] < untouched.clock.now() - days * DAY, word


def test_a_metadata_word_finds_each_running_showpiece(untouched: Simulator) -> None:
    batches = untouched.batches()
    for word, status in SHOWCASE_WORDS.items():
        found = [batch for batch in batches if word in metadata_words(batch)]
        assert [batch["status"] for batch in found] == [status], word


def test_the_running_batches_move_at_steady_different_rates(demo: Simulator, clock: ManualClock) -> None:
    start = by_id(demo)
    running = [batch_id for batch_id, batch in start.items() if batch["status"] == "in_progress"]
    clock.advance(60)
    one_minute = by_id(demo)
    clock.advance(60)
    two_minutes = by_id(demo)
    rates = {batch_id: finished(one_minute[batch_id]) - finished(start[batch_id]) for batch_id in running}
    for batch_id, rate in rates.items():
        assert abs(finished(two_minutes[batch_id]) - finished(one_minute[batch_id]) - rate) <= 1, "steady"
    assert all(rate > 0 for rate in rates.values())
    assert len(set(rates.values())) == len(rates), rates  # no two alike
    assert max(rates.values()) > 50 * min(rates.values())  # from a few a minute to a thousand


def test_some_finish_within_minutes_and_others_run_for_hours(demo: Simulator, clock: ManualClock) -> None:
    active = {batch_id for batch_id, batch in by_id(demo).items() if batch["status"] in ACTIVE}

    def still_active_after(minutes: int) -> set[str]:
        clock.advance(minutes * 60)
        return {batch_id for batch_id, batch in by_id(demo).items() if batch["status"] in ACTIVE} & active

    assert len(active) >= 8
    assert len(still_active_after(3)) < len(active)  # the first one finishes while you watch
    assert len(still_active_after(2)) <= len(active) - 4
    assert len(still_active_after(55)) >= 4  # hours to go, and the stuck one
    assert len(still_active_after(5 * 60)) == 1  # only the stuck one


def test_the_stuck_batch_never_leaves_validating(demo: Simulator, clock: ManualClock) -> None:
    now = clock.now()
    stuck = [b for b in demo.batches() if b["status"] == "validating" and b["created_at"] < now - 3600]
    assert len(stuck) == 1
    clock.advance(3 * DAY)
    batch = by_id(demo)[stuck[0]["id"]]
    assert batch["status"] == "validating"
    assert batch["request_counts"] == {"total": 0, "completed": 0, "failed": 0}
    assert batch["in_progress_at"] is None


def test_the_stuck_batch_can_still_be_cancelled(demo: Simulator, clock: ManualClock) -> None:
    stuck = next(b for b in demo.batches() if b["status"] == "validating" and b["created_at"] < clock.now() - 3600)
    cancelled = httpx.post(f"{demo.base_url}/batches/{stuck['id']}/cancel", verify=PLAIN_HTTP).json()
    assert cancelled["status"] == "cancelling"
    clock.advance(60)
    assert by_id(demo)[stuck["id"]]["status"] == "cancelled"


def test_yesterdays_batches_still_run_pages_down_the_list(demo: Simulator, clock: ManualClock) -> None:
    batches = demo.batches()
    now = clock.now()
    deep = [(i, b) for i, b in enumerate(batches) if b["status"] == "in_progress" and b["created_at"] < now - 19 * 3600]
    assert len(deep) == 2
    assert all(position >= 40 for position, _ in deep)  # page 3 or later at 20 a page
    clock.advance(4 * 3600)  # past the end of both 24 h windows
    outcomes = sorted(by_id(demo)[batch["id"]]["status"] for _, batch in deep)
    assert outcomes == ["completed", "expired"]


def test_paging_the_whole_history_returns_every_batch_once_newest_first(untouched: Simulator) -> None:
    with httpx.Client(base_url=untouched.base_url, timeout=10, verify=PLAIN_HTTP) as client:
        listed = all_batches(client, limit=100)
    ids = [batch["id"] for batch in listed]
    assert len(ids) == len(set(ids)) == len(untouched.batches())
    assert ids == [batch["id"] for batch in untouched.batches()]
    created = [batch["created_at"] for batch in listed]
    assert created == sorted(created, reverse=True)


def test_the_long_history_is_deterministic_for_a_seed_and_clock_start() -> None:
    def account(seed: int) -> list[dict]:
        config = SimConfig.long_history()
        return Simulator(SimConfig(**{**vars(config), "seed": seed}), clock=ManualClock(1_795_618_800)).batches()

    seven = account(7)
    assert seven == account(7)
    assert seven != account(8)
