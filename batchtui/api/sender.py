"""Sending one request: redirects followed to the same origin, failures retried as the RetryPolicy says.

Callers choose `retry=False` for requests that must not be repeated blindly (create, upload).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from batchtui.api.errors import APIConnectionError, APITimeoutError, ReadOnlyError
from batchtui.api.redaction import Redactor
from batchtui.api.redirects import MAX_REDIRECTS, origin_of, redirected_request
from batchtui.api.response_parsing import status_error
from batchtui.api.retry import RetryPolicy
from batchtui.api.transport_errors import connection_error, safe_url, timeout_kind


@dataclass(frozen=True)
class RetryNotice:
    """Told to the caller before each wait, so a UI can say what is going on."""

    attempt: int
    delay: float
    reason: str
    rate_limited: bool


class Sender:
    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        auth_headers: Mapping[str, str],
        api_version: str | None,
        retry: RetryPolicy,
        redact: Redactor,
        sleep: Callable[[float], Awaitable[None]],
        read_only: bool = False,
    ) -> None:
        self.on_retry: Callable[[RetryNotice], None] | None = None
        self._http = http
        self._base = base_url
        self._origin = origin_of(base_url)
        self._auth_headers = dict(auth_headers)
        self._api_version = api_version
        self._retry = retry
        self._redact = redact
        self._sleep = sleep
        self._read_only = read_only

    async def send(
        self,
        method: str,
        path: str,
        *,
        retry: bool = True,
        stream: bool = False,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        data: Mapping[str, Any] | None = None,
        files: Any = None,
    ) -> httpx.Response:
        """The first answer below 400; a typed error once retries are spent or not allowed."""
        if self._read_only and method.upper() != "GET":
            raise ReadOnlyError(f"read-only: batchtui sends no {method.upper()} request in read-only mode")
        url = urljoin(self._base, path)
        query = dict(params or {})
        if self._api_version:
            query["api-version"] = self._api_version
        retries_left = self._retry.max_retries if retry else 0
        attempt = 0
        while True:
            request = self._http.build_request(
                method, url, params=query, json=json_body, data=data, files=files, headers=self._auth_headers
            )
            try:
                response = await self._send_following_redirects(request, stream=stream)
            except APIConnectionError as error:
                if retries_left <= 0:
                    raise
                delay = self._retry.backoff(attempt)
                reason = error.describe()
                rate_limited = False
            else:
                if response.status_code < 400:
                    return response
                if stream:
                    await response.aread()
                failure = status_error(response, self._redact)
                if retries_left <= 0 or not self._retry.should_retry_status(response.status_code, response.headers):
                    raise failure
                delay = self._retry.delay(attempt, response.headers)
                reason = failure.describe()
                rate_limited = response.status_code == 429
            if self.on_retry:
                self.on_retry(RetryNotice(attempt=attempt + 1, delay=delay, reason=reason, rate_limited=rate_limited))
            await self._sleep(delay)
            retries_left -= 1
            attempt += 1

    async def _send_following_redirects(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            response = await self._send_once(request, stream=stream)
            if not response.is_redirect:
                return response
            await response.aclose()
            request = redirected_request(
                self._http, request, response, origin=self._origin, auth_headers=self._auth_headers, redact=self._redact
            )
        raise APIConnectionError("Too many redirects from the server.", url=safe_url(request.url))

    async def _send_once(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        try:
            return await self._http.send(request, stream=stream)
        except httpx.TimeoutException as error:
            raise APITimeoutError(
                f"The server did not answer in time ({timeout_kind(error)}).", url=safe_url(request.url)
            ) from error
        except httpx.TransportError as error:
            failure = connection_error(error, safe_url(request.url))
            redacted = self._redact(str(failure))
            if redacted != str(failure):
                # httpx quotes a bad Location header, which a server can fill with the key: keep the chain out.
                raise APIConnectionError(redacted, url=failure.url, kind=failure.kind) from None
            raise failure from error
