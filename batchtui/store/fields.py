"""What the store reads out of a raw batch, as leniently as the API models do.

The store works on the JSON the server sent, not on pydantic models (the store must not load
the service layer), so the few coercions it needs are repeated here in plain Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from batchtui.api import lenient
from batchtui.store import statuses


@dataclass(frozen=True, slots=True)
class BatchRow:
    """The indexed columns of one batch, beside the raw JSON they came from."""

    id: str
    raw: str
    status: str
    created_at: int | None
    endpoint: str | None
    model: str | None
    metadata: dict[str, str]
    completed: int | None
    failed: int | None
    total: int | None

    @property
    def terminal(self) -> bool:
        return statuses.is_terminal(self.status)

    @property
    def progress(self) -> float | None:
        """Finished share of the requests, or None when the server gave no total."""
        if not self.total or self.total < 0:
            return None
        return ((self.completed or 0) + (self.failed or 0)) / self.total

    @property
    def metadata_words(self) -> str:
        """Keys and values as one text for full-text search."""
        return " ".join(f"{key} {value}" for key, value in self.metadata.items())


def row_from_raw(raw: Any) -> BatchRow | None:
    """The row for one batch as the server sent it; None when it has no usable id."""
    if not isinstance(raw, dict):
        return None
    batch_id = _text(raw.get("id"))
    if not batch_id:
        return None
    counts = raw.get("request_counts")
    counts = counts if isinstance(counts, dict) else {}
    return BatchRow(
        id=batch_id,
        # ASCII escapes: a lone surrogate from a "\ud800" escape survives the trip, where UTF-8 would refuse it.
        raw=json.dumps(raw, ensure_ascii=True, separators=(",", ":")),
        status=normalise_status(raw.get("status")),
        created_at=timestamp(raw.get("created_at")),
        endpoint=_text(raw.get("endpoint")),
        model=_text(raw.get("model")),
        metadata=_metadata(raw.get("metadata")),
        completed=count(counts.get("completed")),
        failed=count(counts.get("failed")),
        total=count(counts.get("total")),
    )


def normalise_status(value: Any) -> str:
    """The API's snake_case status (see batchtui/api/lenient.py); '' when absent."""
    status = lenient.normalise_status(value)
    return clean(status) if status else ""


def timestamp(value: Any) -> int | None:
    return _int64(lenient.parse_timestamp(value))


def count(value: Any) -> int | None:
    return _int64(lenient.lenient_int(value))


def _int64(value: int | None) -> int | None:
    # SQLite integers are 64-bit: a larger one would fail the whole page's write.
    return value if value is not None and -(2**63) <= value < 2**63 else None


def clean(text: str) -> str:
    """The text with lone surrogates replaced: SQLite stores UTF-8, which cannot hold them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _metadata(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {clean(str(key)): "" if item is None else clean(str(item)) for key, item in value.items()}
