"""GET /batches and GET /batches/{id} over a list in memory, counting what it is asked."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FakeBatchList:
    """Newest first, as the API lists them; `stuck` repeats the first page with has_more forever."""

    batches: list[dict[str, Any]]
    stuck: bool = False
    requests: list[tuple[str, str | None]] = field(default_factory=list)

    def list(self, after: str | None, limit: int) -> dict[str, Any]:
        self.requests.append(("list", after))
        ids = [batch["id"] for batch in self.batches]
        start = 0 if after is None or self.stuck else ids.index(after) + 1
        data = self.batches[start : start + limit]
        has_more = self.stuck or start + limit < len(self.batches)
        return {
            "object": "list",
            "data": data,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None,
            "has_more": has_more,
        }

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        self.requests.append(("retrieve", batch_id))
        return next(batch for batch in self.batches if batch["id"] == batch_id)

    def add_newer(self, batches: list[dict[str, Any]]) -> None:
        self.batches[:0] = batches
