"""Shared pieces of the service-layer tests: error answers, a recording transport, clients over MockTransport."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.retry import RetryPolicy
from batchtui.api.sender import RetryNotice
from tests.support.keys import FAKE_KEY

BASE = "https://api.test/v1"

Handler = Callable[[httpx.Request], httpx.Response]


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
    config.setdefault("api_key", FAKE_KEY)
    config.setdefault("base_url", BASE)
    return BatchClient(
        ClientConfig(retry=retry or RetryPolicy(jitter=lambda: 1.0), **config),
        transport=httpx.MockTransport(handler),
        on_retry=on_retry,
        sleep=sleep or RecordingSleep(),
    )
