"""A small in-memory Batch API for app tests over httpx.MockTransport."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.batches import NOW


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
            return httpx.Response(200, json=batch) if batch else error_response(404, "No such batch")
        return error_response(404, "Unknown route")

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
            return error_response(404, "No such batch")
        batch["status"] = "cancelling"
        batch["cancelling_at"] = NOW
        return httpx.Response(200, json=batch)


def error_response(status: int, message: str) -> httpx.Response:
    return httpx.Response(
        status,
        json={"error": {"message": message, "type": "invalid_request_error", "param": None, "code": None}},
        headers={"x-request-id": "req_fake"},
    )
