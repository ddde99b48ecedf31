"""A simulated batch: a plan fixed at creation, and its state at any instant derived from the clock.

State is never stored: each request asks the plan what it looks like "now", so no ticking thread is
needed and a ManualClock drives every transition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Its own copy, not batchtui.api.statuses: the simulator plays the server and must not share the client's view.
CANCELLABLE = frozenset({"validating", "in_progress", "finalizing"})

_WINDOW = re.compile(r"([1-9]\d*)([hd])")


def window_seconds(completion_window: str) -> float | None:
    match = _WINDOW.fullmatch(completion_window)
    if match is None:
        return None
    return int(match.group(1)) * (3600 if match.group(2) == "h" else 86400)


@dataclass(frozen=True)
class TokensPerRequest:
    input: int
    cached: int
    output: int
    reasoning: int


@dataclass
class BatchPlan:
    id: str
    endpoint: str
    model: str | None
    input_file_id: str
    output_file_id: str  # reserved up front, shown once the file exists
    error_file_id: str
    completion_window: str
    created_at: float
    total: int
    validating_seconds: float  # math.inf: stuck in validation for good
    in_progress_seconds: float
    finalizing_seconds: float
    failure_rate: float  # share of executed requests that land in the error file
    tokens: TokensPerRequest
    metadata: dict[str, str] | None
    seed: int  # drives the generated file contents
    custom_id_prefix: str = "request"
    input_filename: str = "batch_input.jsonl"
    custom_ids: list[str] | None = None  # from an uploaded input file; None: generated from the prefix
    validation_errors: list[dict] | None = None  # set: the batch fails when validation ends
    output_expires_seconds: int = 30 * 86400
    cancel_requested_at: float | None = None
    cancel_seconds: float = 4.0
    # Processing order is a fixed permutation of the input (position -> input index), so outputs do
    # not follow the input: index = (stride * position + offset) % total.
    order_stride: int = 1
    order_offset: int = 0

    @property
    def started_at(self) -> float:
        return self.created_at + self.validating_seconds

    @property
    def finalizing_from(self) -> float:
        return self.started_at + self.in_progress_seconds

    @property
    def done_at(self) -> float:
        return self.finalizing_from + self.finalizing_seconds

    @property
    def window_ends_at(self) -> float:
        return self.created_at + (window_seconds(self.completion_window) or 86400)

    @property
    def natural_outcome(self) -> tuple[str, float]:
        """How and when the batch ends if nobody cancels it."""
        if math.isinf(self.validating_seconds):
            return "validating", math.inf  # stuck: validation never ends, so neither does the batch
        if self.validation_errors:
            return "failed", self.started_at
        if self.finalizing_from > self.window_ends_at:
            return "expired", self.window_ends_at
        return "completed", self.done_at

    def custom_id(self, index: int) -> str:
        if self.custom_ids is not None:
            return self.custom_ids[index]
        return f"{self.custom_id_prefix}-{index + 1}"

    def input_index(self, position: int) -> int:
        return (self.order_stride * position + self.order_offset) % self.total

    def failures_within(self, executed: int) -> int:
        """Failed requests among the first `executed`; position p fails when this steps up at p+1."""
        return min(executed, math.ceil(executed * self.failure_rate)) if executed else 0

    def fails_at(self, position: int) -> bool:
        return self.failures_within(position + 1) > self.failures_within(position)

    def cancel(self, now: float, cancel_seconds: float) -> None:
        self.cancel_requested_at = now
        self.cancel_seconds = cancel_seconds

    def phase(self, now: float) -> Phase:
        outcome, ends_at = self.natural_outcome
        cancel_at = self.cancel_requested_at
        if cancel_at is not None and not (cancel_at < ends_at and now >= cancel_at):
            cancel_at = None  # too late to matter, or not yet
        frozen_at = cancel_at if cancel_at is not None else min(now, ends_at)

        if cancel_at is not None:
            status = "cancelled" if now >= cancel_at + self.cancel_seconds else "cancelling"
        elif now < self.started_at:
            status = "validating"
        elif outcome == "failed":
            status = "failed"
        elif outcome == "expired":
            status = "in_progress" if now < ends_at else "expired"
        elif now < self.finalizing_from:
            status = "in_progress"
        else:
            status = "finalizing" if now < self.done_at else "completed"

        started = outcome != "failed" and frozen_at >= self.started_at
        return Phase(
            status=status,
            executed=self._executed_by(frozen_at) if started else 0,
            total_known=started,
            in_progress_at=self.started_at if started else None,
            finalizing_at=self.finalizing_from
            if outcome == "completed" and frozen_at >= self.finalizing_from
            else None,
            completed_at=self.done_at if status == "completed" else None,
            failed_at=self.started_at if status == "failed" else None,
            expired_at=ends_at if status == "expired" else None,
            cancelling_at=cancel_at,
            cancelled_at=cancel_at + self.cancel_seconds if cancel_at is not None and status == "cancelled" else None,
        )

    def _executed_by(self, moment: float) -> int:
        if self.in_progress_seconds <= 0:
            return self.total
        share = (moment - self.started_at) / self.in_progress_seconds
        return max(0, min(self.total, math.floor(self.total * share)))


@dataclass(frozen=True)
class Phase:
    status: str
    executed: int  # requests run so far, successful or not
    total_known: bool  # the real API reports total 0 until validation is done
    in_progress_at: float | None
    finalizing_at: float | None
    completed_at: float | None
    failed_at: float | None
    expired_at: float | None
    cancelling_at: float | None
    cancelled_at: float | None

    @property
    def ended_at(self) -> float | None:
        return self.completed_at or self.expired_at or self.cancelled_at or self.failed_at


def has_output_file(plan: BatchPlan, phase: Phase) -> bool:
    succeeded = phase.executed - plan.failures_within(phase.executed)
    return phase.status in {"completed", "expired", "cancelled"} and succeeded > 0


def has_error_file(plan: BatchPlan, phase: Phase) -> bool:
    if phase.status == "expired" and phase.executed < plan.total:
        return True  # the requests cut off by expiry are reported there
    return phase.status in {"completed", "expired", "cancelled"} and plan.failures_within(phase.executed) > 0


def batch_json(plan: BatchPlan, now: float) -> dict:
    """The Batch object as the API returns it: every field present, null where it does not apply."""
    phase = plan.phase(now)
    failed = plan.failures_within(phase.executed)
    succeeded = phase.executed - failed
    tokens = plan.tokens
    return {
        "id": plan.id,
        "object": "batch",
        "endpoint": plan.endpoint,
        "model": plan.model,
        "errors": {"object": "list", "data": plan.validation_errors} if phase.status == "failed" else None,
        "input_file_id": plan.input_file_id,
        "completion_window": plan.completion_window,
        "status": phase.status,
        "output_file_id": plan.output_file_id if has_output_file(plan, phase) else None,
        "error_file_id": plan.error_file_id if has_error_file(plan, phase) else None,
        "created_at": int(plan.created_at),
        "in_progress_at": _unix(phase.in_progress_at),
        "expires_at": int(plan.window_ends_at),
        "finalizing_at": _unix(phase.finalizing_at),
        "completed_at": _unix(phase.completed_at),
        "failed_at": _unix(phase.failed_at),
        "expired_at": _unix(phase.expired_at),
        "cancelling_at": _unix(phase.cancelling_at),
        "cancelled_at": _unix(phase.cancelled_at),
        "request_counts": {
            "total": plan.total if phase.total_known else 0,
            "completed": succeeded,
            "failed": failed,
        },
        "usage": {
            "input_tokens": succeeded * tokens.input,
            "input_tokens_details": {"cached_tokens": succeeded * tokens.cached},
            "output_tokens": succeeded * tokens.output,
            "output_tokens_details": {"reasoning_tokens": succeeded * tokens.reasoning},
            "total_tokens": succeeded * (tokens.input + tokens.output),
        },
        "metadata": dict(plan.metadata) if plan.metadata is not None else None,
    }


def _unix(moment: float | None) -> int | None:
    return None if moment is None else int(moment)
