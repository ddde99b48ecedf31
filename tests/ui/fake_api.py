"""A small in-memory Batch API for app tests over httpx.MockTransport."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

NOW = 1_764_000_000  # 2025-11-24 16:00:00 UTC: every test and snapshot sees the same time


def make_batch(index: int, status: str = "in_progress", **overrides: Any) -> dict[str, Any]:
    created = NOW - index * 3600
    batch: dict[str, Any] = {
        "id": f"batch_{index:04d}",
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": f"file-in-{index:04d}",
        "completion_window": "24h",
        "status": status,
        "created_at": created,
        "expires_at": created + 86400,
        "model": "gpt-4o-mini",
        "request_counts": {"total": 1000, "completed": 10 * index, "failed": index % 3},
        "metadata": {"project": "triage", "run": f"r{index}"},
    }
    batch.update(overrides)
    return batch


@dataclass
class FakeAPI:
    batches: list[dict[str, Any]] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    fail_with: tuple[int, dict[str, Any]] | None = None
    cancel_refusal: tuple[int, dict[str, Any]] | None = None

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def count(self, method: str, path_suffix: str = "") -> int:
        return sum(1 for r in self.requests if r.method == method and r.url.path.endswith(path_suffix))

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.fail_with is not None:
            status, body = self.fail_with
            return httpx.Response(status, json=body, headers={"x-request-id": "req_fake"})
        path = request.url.path
        if request.method == "GET" and path.endswith("/batches"):
            return self._list(request)
        if request.method == "POST" and path.endswith("/cancel"):
            return self._cancel(path.split("/")[-2])
        if request.method == "GET" and "/batches/" in path:
            batch = self._find(path.rsplit("/", 1)[-1])
            return httpx.Response(200, json=batch) if batch else _error(404, "No such batch")
        return _error(404, "Unknown route")

    def _find(self, batch_id: str) -> dict[str, Any] | None:
        return next((b for b in self.batches if b["id"] == batch_id), None)

    def _list(self, request: httpx.Request) -> httpx.Response:
        limit = int(request.url.params.get("limit", 20))
        after = request.url.params.get("after")
        ids = [b["id"] for b in self.batches]
        start = ids.index(after) + 1 if after else 0
        page = self.batches[start : start + limit]
        return httpx.Response(
            200,
            content=json.dumps(
                {
                    "object": "list",
                    "data": page,
                    "first_id": page[0]["id"] if page else None,
                    "last_id": page[-1]["id"] if page else None,
                    "has_more": start + limit < len(self.batches),
                }
            ),
            headers={"content-type": "application/json"},
        )

    def _cancel(self, batch_id: str) -> httpx.Response:
        if self.cancel_refusal is not None:
            status, body = self.cancel_refusal
            return httpx.Response(status, json=body)
        batch = self._find(batch_id)
        if batch is None:
            return _error(404, "No such batch")
        batch["status"] = "cancelling"
        batch["cancelling_at"] = NOW
        return httpx.Response(200, json=batch)


def _error(status: int, message: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}},
        headers={"x-request-id": "req_fake"},
    )
