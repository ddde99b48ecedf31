"""Shared builders for the service-layer tests: batch JSON, pages, and clients over MockTransport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.retry import RetryPolicy
from batchtui.api.sender import RetryNotice

# Recognisable, so a leak shows up in any text; never a real key.
KEY = "sk-test-SECRET-4f9a1c"
BASE = "https://api.test/v1"
NOW = 1_764_000_000

Handler = Callable[[httpx.Request], httpx.Response]


def batch_json(batch_id: str = "batch_1", **overrides: Any) -> dict[str, Any]:
    batch: dict[str, Any] = {
        "id": batch_id,
        "object": "batch",
        "endpoint": "/v1/chat/completions",
        "input_file_id": "file-in-1",
        "completion_window": "24h",
        "status": "in_progress",
        "created_at": NOW,
    }
    batch.update(overrides)
    return batch


def page_json(ids: list[str], *, has_more: bool = False, **overrides: Any) -> dict[str, Any]:
    page: dict[str, Any] = {
        "object": "list",
        "data": [batch_json(batch_id) for batch_id in ids],
        "first_id": ids[0] if ids else None,
        "last_id": ids[-1] if ids else None,
        "has_more": has_more,
    }
    page.update(overrides)
    return page


def file_json(file_id: str = "file-abc", **overrides: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": file_id,
        "object": "file",
        "bytes": 120,
        "created_at": NOW,
        "filename": "input.jsonl",
        "purpose": "batch",
    }
    obj.update(overrides)
    return obj


def api_error(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    code: str | None = None,
    param: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    body = {"error": {"message": message, "type": type_, "param": param, "code": code}}
    return httpx.Response(status, json=body, headers={"x-request-id": "req_abc123", **(headers or {})})


class RecordingSleep:
    """Stands in for asyncio.sleep: records the delays, waits for nothing."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class Recorder:
    """A MockTransport handler that records every request and answers from a script or a function."""

    # More requests than any test needs means the client is looping: fail instead of hanging.
    MAX_REQUESTS = 50

    def __init__(self, *answers: httpx.Response | Exception | Handler) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if len(self.requests) > self.MAX_REQUESTS:
            raise AssertionError(f"runaway client: more than {self.MAX_REQUESTS} requests")
        # The last answer repeats, so "always 500" is one answer.
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise _bound(answer, request)
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    @property
    def count(self) -> int:
        return len(self.requests)


def _bound(error: Exception, request: httpx.Request) -> Exception:
    if isinstance(error, httpx.RequestError):
        error.request = request
    return error


def make_client(
    handler: Handler,
    *,
    sleep: RecordingSleep | None = None,
    on_retry: Callable[[RetryNotice], None] | None = None,
    retry: RetryPolicy | None = None,
    **config: Any,
) -> BatchClient:
    config.setdefault("api_key", KEY)
    config.setdefault("base_url", BASE)
    return BatchClient(
        ClientConfig(retry=retry or RetryPolicy(jitter=lambda: 1.0), **config),
        transport=httpx.MockTransport(handler),
        on_retry=on_retry,
        sleep=sleep or RecordingSleep(),
    )
