"""Build a new input file holding only the requests of a batch that did not succeed.

Lines are copied byte for byte from the original input, so a retry sends exactly
what was sent before.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from batchtui.jsonl.atomic import atomic_write_from
from batchtui.jsonl.line_reader import LineError, iter_lines, parse_line
from batchtui.jsonl.result_file import ResultLine, iter_result_lines

BATCH_EXPIRED = "batch_expired"

PathLike = str | os.PathLike[str]


@dataclass(frozen=True)
class RetryReport:
    dest_path: str
    input_requests: int
    """Non-blank lines of the input file."""
    succeeded: int
    """Input requests left out because they got a 2xx response."""
    failed_by_status: dict[int, int]
    """Included: requests answered with an HTTP error (any non-2xx status), by status code."""
    expired: int
    """Included: requests cut off by the 24 h window (error code batch_expired)."""
    failed_by_error: dict[str, int]
    """Included: requests with another error and no HTTP status, by error code."""
    no_result: int
    """Included: requests with no result at all (cancelled, or never reached)."""
    unreadable_input_lines: int
    """Left out: input lines without a readable custom_id, which cannot be matched to results."""

    @property
    def included(self) -> int:
        return sum(self.failed_by_status.values()) + self.expired + sum(self.failed_by_error.values()) + self.no_result

    def summary(self) -> str:
        reasons = [f"HTTP {status}: {count:,}" for status, count in sorted(self.failed_by_status.items())]
        if self.expired:
            reasons.append(f"expired: {self.expired:,}")
        reasons += [f"{code}: {count:,}" for code, count in sorted(self.failed_by_error.items())]
        if self.no_result:
            reasons.append(f"no result: {self.no_result:,}")
        why = f" ({', '.join(reasons)})" if reasons else ""
        text = f"{self.included:,} of {self.input_requests:,} requests to retry{why}; {self.succeeded:,} succeeded"
        if self.unreadable_input_lines:
            text += f"; {self.unreadable_input_lines:,} unreadable input lines left out"
        return text


def build_retry_file(
    input_path: PathLike,
    output_paths: Iterable[PathLike],
    error_paths: Iterable[PathLike],
    dest_path: PathLike,
    *,
    overwrite: bool = False,
) -> RetryReport:
    """Write the input lines whose custom_id has no successful result to `dest_path`, atomically.

    The file is written even when nothing is left to retry; check `included`.
    Raises OSError if a file cannot be read, FileExistsError as atomic_write_from does.
    """
    outcomes = _best_outcomes([*output_paths, *error_paths])
    tally = _Tally()
    atomic_write_from(_unfinished_lines(input_path, outcomes, tally), dest_path, overwrite=overwrite)
    return RetryReport(
        dest_path=os.fspath(dest_path),
        input_requests=tally.input_requests,
        succeeded=tally.succeeded,
        failed_by_status=dict(sorted(tally.by_status.items())),
        expired=tally.expired,
        failed_by_error=dict(sorted(tally.by_error.items())),
        no_result=tally.no_result,
        unreadable_input_lines=tally.unreadable,
    )


@dataclass
class _Tally:
    input_requests: int = 0
    succeeded: int = 0
    by_status: Counter[int] = field(default_factory=Counter)
    expired: int = 0
    by_error: Counter[str] = field(default_factory=Counter)
    no_result: int = 0
    unreadable: int = 0

    def count_included(self, outcome: ResultLine | None) -> None:
        if outcome is None:
            self.no_result += 1
        elif outcome.status_code is not None:
            self.by_status[outcome.status_code] += 1
        elif outcome.error_code == BATCH_EXPIRED:
            self.expired += 1
        elif outcome.error_code is not None:
            self.by_error[outcome.error_code] += 1
        else:
            self.no_result += 1


def _best_outcomes(paths: list[PathLike]) -> dict[str, ResultLine]:
    """One result per custom_id; a success wins over a failure recorded elsewhere."""
    outcomes: dict[str, ResultLine] = {}
    for path in paths:
        for result in iter_result_lines(path):
            if result.custom_id is None:
                continue
            known = outcomes.get(result.custom_id)
            if known is None or (result.succeeded and not known.succeeded):
                outcomes[result.custom_id] = result
    return outcomes


def _unfinished_lines(input_path: PathLike, outcomes: dict[str, ResultLine], tally: _Tally) -> Iterator[bytes]:
    with open(input_path, "rb") as file:
        for raw in iter_lines(file):
            if raw.is_blank:
                continue
            tally.input_requests += 1
            custom_id = _custom_id(raw.data)
            if custom_id is None:
                tally.unreadable += 1
                continue
            outcome = outcomes.get(custom_id)
            if outcome is not None and outcome.succeeded:
                tally.succeeded += 1
                continue
            tally.count_included(outcome)
            yield raw.data


def _custom_id(data: bytes) -> str | None:
    try:
        request = parse_line(data)
    except LineError:
        return None
    custom_id = request.get("custom_id") if isinstance(request, dict) else None
    return custom_id if isinstance(custom_id, str) else None
