"""Raw batches as a server sends them: one factory for a single batch, one for a long history."""

from __future__ import annotations

import random
from typing import Any

DAY = 86_400
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


def batch(
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
    """One batch; counts are (completed, failed, total); `extra` adds fields the store does not know."""
    raw: dict[str, Any] = {
        "id": batch_id,
        "object": "batch",
        "endpoint": endpoint,
        "input_file_id": f"file-in-{batch_id}",
        "completion_window": "24h",
        "status": status,
        "created_at": created_at,
        "output_file_id": None,
        "error_file_id": None,
        "expires_at": created_at + DAY,
        "metadata": metadata,
    }
    if model is not None:
        raw["model"] = model
    if counts is not None:
        completed, failed, total = counts
        raw["request_counts"] = {"total": total, "completed": completed, "failed": failed}
    raw.update(extra)
    return raw


def history(count: int, *, now: int, days: int = 90, seed: int = 11) -> list[dict[str, Any]]:
    """`count` batches over the last `days`, newest first as GET /batches lists them."""
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
            batch(
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
