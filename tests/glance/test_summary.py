"""The account summary line, and today's cost from what the index says ended today."""

from __future__ import annotations

from decimal import Decimal

from batchtui.glance.summary import DayCost, day_cost, summary_text
from batchtui.store.summary import AccountCounts, FinishedBatch
from tests.support.batches import NOW

BUSY = AccountCounts(
    validating=2,
    in_progress=5,
    finalizing=1,
    cancelling=0,
    requests_done=41_200,
    requests_to_run=18_800,
    completed_today=12,
    failed_today=1,
)


def test_the_line_in_full() -> None:
    assert summary_text(BUSY, DayCost(total=Decimal("14.2"), priced=12, not_priced=0)) == (
        "2 validating · 5 in progress · 1 finalizing · 0 cancelling │ 41,200 requests done, 18,800 to run"
        " │ today: 12 completed, 1 failed, ~$14.20"
    )


def test_before_the_cost_is_estimated_the_amount_is_left_out() -> None:
    assert summary_text(BUSY).endswith(" │ today: 12 completed, 1 failed")


def test_zero_counts_keep_their_place_while_anything_runs() -> None:
    quiet = AccountCounts(in_progress=1, requests_done=0, requests_to_run=10)
    assert summary_text(quiet) == (
        "0 validating · 1 in progress · 0 finalizing · 0 cancelling │ 0 requests done, 10 to run"
        " │ today: 0 completed, 0 failed"
    )


def test_nothing_running() -> None:
    assert summary_text(AccountCounts(completed_today=3), DayCost(Decimal("0.004"), 3, 0)) == (
        "nothing running │ today: 3 completed, 0 failed, ~<$0.01"
    )


def test_rare_groups_appear_only_when_not_zero() -> None:
    counts = AccountCounts(other_active=1, expired_today=2, cancelled_today=1, completed_today=1)
    text = summary_text(counts, DayCost(Decimal("1.5"), 1, 2))
    assert "0 cancelling · 1 other" in text
    assert text.endswith("today: 1 completed, 0 failed, 2 expired, 1 cancelled, ~$1.50 (2 not priced)")


def finished(model: str | None, usage: object) -> FinishedBatch:
    return FinishedBatch(
        id="batch_x",
        status="completed",
        ended_at=NOW,
        created_at=NOW - 3_600,
        endpoint="/v1/chat/completions",
        model=model,
        usage=usage if isinstance(usage, dict) else None,
    )


def test_day_cost_adds_up_what_can_be_priced() -> None:
    counts = AccountCounts(
        completed_today=4,
        finished_today=(
            # gpt-4o-mini at half its listed price: 2M input at 0.075 + 1M output at 0.30.
            finished("gpt-4o-mini", {"input_tokens": 2_000_000, "output_tokens": 1_000_000}),
            finished("gpt-4o-mini-2024-07-18", {"prompt_tokens": 1_000_000, "completion_tokens": 0}),
            finished("gpt-9000", {"input_tokens": 5}),
            finished("gpt-4o-mini", None),
        ),
    )
    assert day_cost(counts) == DayCost(total=Decimal("0.525"), priced=2, not_priced=1)
