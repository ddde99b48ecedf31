"""Batches as a server sends them: one factory, `batch_json`, and thin wrappers over it for the usual shapes."""

from __future__ import annotations

import random
from typing import Any

NOW = 1_764_000_000  # 2025-11-24 16:00:00 UTC: every test and snapshot sees the same time
DAY = 86_400
HOUR = 3_600


def batch_json(batch_id: str = "batch_1", **fields: Any) -> dict[str, Any]:
    """The fields the API always sends, then `fields` on top (a None stays a null)."""
    batch: dict[str, Any] = {
        "id": batch_id,
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file-in-1",
        "completion_window": "24h",
        "status": "in_progress",
        "created_at": NOW,
    }
    batch.update(fields)
    return batch


def page_json(ids: list[str], *, has_more: bool = False, **overrides: Any) -> dict[str, Any]:
    """A GET /batches page of `batch_json` batches with these ids."""
    page: dict[str, Any] = {
        "object": "list",
        "data": [batch_json(batch_id) for batch_id in ids],
        "first_id": ids[0] if ids else None,
        "last_id": ids[-1] if ids else None,
        "has_more": has_more,
    }
    page.update(overrides)
    return page


def numbered_batch(index: int, status: str = "in_progress", **overrides: Any) -> dict[str, Any]:
    """Batch number `index` of a listing, an hour older than the one before, with a model, counts and metadata."""
    created = NOW - index * HOUR
    fields: dict[str, Any] = {
        "input_file_id": f"file-in-{index:04d}",
        "status": status,
        "created_at": created,
        "expires_at": created + DAY,
        "model": "gpt-4o-mini",
        "request_counts": {"total": 1000, "completed": 10 * index, "failed": index % 3},
        "metadata": {"project": "triage", "run": f"r{index}"},
    }
    return batch_json(f"batch_{index:04d}", **(fields | overrides))


def history_batch(
    batch_id: str = "batch_abc123",
    *,
    status: str = "completed",
    created_at: int = 1_790_000_000,
    endpoint: str = "/v1/chat/completions",
    model: str | None = "gpt-4.1",
    metadata: dict[str, Any] | None = None,
    counts: tuple[int, int, int] | None = (10, 0, 10),
    **extra: Any,
) -> dict[str, Any]:
    """One batch of an account's history, finished by default; counts are (completed, failed, total), `extra`
    adds fields the store does not know."""
    fields: dict[str, Any] = {
        "endpoint": endpoint,
        "input_file_id": f"file-in-{batch_id}",
        "status": status,
        "created_at": created_at,
        "output_file_id": None,
        "error_file_id": None,
        "expires_at": created_at + DAY,
        "metadata": metadata,
    }
    if model is not None:
        fields["model"] = model
    if counts is not None:
        completed, failed, total = counts
        fields["request_counts"] = {"total": total, "completed": completed, "failed": failed}
    return batch_json(batch_id, **(fields | extra))


PROJECTS = ("apollo", "gemini", "mercury", "artemis", "voyager", "pioneer")
OWNERS = ("alice", "bob", "chen", "dana", "emeka")
MODELS = ("gpt-4.1", "gpt-4.1-mini", "gpt-4o", "text-embedding-3-small", None)
ENDPOINTS = ("/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/completions", "/v1/moderations")
# Mostly finished, as a real account's history is.
STATUS_WEIGHTS = {
    "completed": 80,
    "failed": 6,
    "expired": 3,
    "cancelled": 3,
    "in_progress": 4,
    "validating": 2,
    "finalizing": 1,
    "cancelling": 1,
}


def long_history(count: int, *, now: int, days: int = 90, seed: int = 11) -> list[dict[str, Any]]:
    """`count` history batches over the last `days`, newest first as GET /batches lists them."""
    rng = random.Random(seed)
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    step = days * DAY / max(count, 1)
    batches = []
    for position in range(count):
        total = rng.randint(1, 50_000)
        done = rng.randint(0, total)
        metadata = {"project": rng.choice(PROJECTS), "owner": rng.choice(OWNERS), "run": f"nightly-{position % 97}"}
        if position % 1000 == 7:
            metadata["note"] = "zebra crossing"
        batches.append(
            history_batch(
                f"batch_{position:05d}{rng.getrandbits(40):010x}",
                status=rng.choices(statuses, weights)[0],
                created_at=int(now - position * step),
                endpoint=rng.choice(ENDPOINTS),
                model=rng.choice(MODELS),
                metadata=metadata,
                counts=(done, rng.randint(0, total - done), total),
            )
        )
    return batches


# The fields a batch has by the spec: the seven always sent, and the rest, each of which may be absent or null.
REQUIRED_FIELDS = ("id", "object", "endpoint", "input_file_id", "completion_window", "status", "created_at")
OPTIONAL_FIELDS = (
    "errors",
    "output_file_id",
    "error_file_id",
    "in_progress_at",
    "expires_at",
    "finalizing_at",
    "completed_at",
    "failed_at",
    "expired_at",
    "cancelling_at",
    "cancelled_at",
    "request_counts",
    "usage",
    "metadata",
    "model",
)
