"""One async client for the Batch and Files API, over a single httpx.AsyncClient.

Reads and cancel are retried by the shared RetryPolicy. Create and upload are
never retried blindly: a create whose answer was lost may have started a billed
batch, so the caller is told the outcome is unknown (`AmbiguousCreateError`)
and can look for the batch with `find_batch_by_input_file`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, TypeVar
from urllib.parse import quote, urljoin, urlsplit

import httpcore
import httpx
from pydantic import BaseModel, ValidationError

from batchtui import __version__
from batchtui.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BatchAPIError,
    ErrorBody,
    InternalServerError,
    InvalidResponseError,
    PaginationStalledError,
    RedirectRefusedError,
    status_error_class,
)
from batchtui.api.models import Batch, BatchPage, FileObject
from batchtui.api.retry import RetryPolicy, server_requested_wait

# httpcore reads 64 KiB at a time; a 200 MB result file then takes 3,200 trips through h11 and
# the event loop. Reads never wait for a full buffer, so small answers are unaffected.
httpcore.AsyncHTTP11Connection.READ_NUM_BYTES = 1 << 20

DEFAULT_BASE_URL = "https://api.openai.com/v1"
MAX_REDIRECTS = 5
REDACTED = "«redacted key»"

ModelT = TypeVar("ModelT", bound=BaseModel)


@dataclass(frozen=True)
class Timeouts:
    # Short connect so a dead server is reported quickly; a bounded read so a
    # hung response cannot hold the refresh loop for long.
    connect: float = 5.0
    read: float = 20.0
    write: float = 60.0
    pool: float = 5.0

    def to_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class ClientConfig:
    api_key: str | None = field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    organization: str | None = None
    project: str | None = None
    # "bearer" sends Authorization: Bearer KEY; "api-key" sends Azure's api-key header.
    auth_header: str = "bearer"
    api_version: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)


@dataclass(frozen=True)
class RetryNotice:
    """Told to the caller before each wait, so a UI can say what is going on."""

    attempt: int
    delay: float
    reason: str
    rate_limited: bool


class _Answer(NamedTuple):
    """A decoded JSON body and the request id that identifies it to the server's support."""

    payload: Any
    request_id: str | None


class AmbiguousCreateError(BatchAPIError):
    """The create request was sent but its answer was lost: a batch may or may not exist."""

    def __init__(self, message: str, *, input_file_id: str) -> None:
        super().__init__(message)
        self.input_file_id = input_file_id


class BatchClient:
    def __init__(
        self,
        config: ClientConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        on_retry: Callable[[RetryNotice], None] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.config = config
        self.on_retry = on_retry
        self._sleep = sleep
        self._base = config.base_url.rstrip("/") + "/"
        self._origin = _origin(self._base)
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=_tls_context(self._origin[0]),
            timeout=config.timeouts.to_httpx(),
            follow_redirects=False,  # redirects are followed by hand, same origin only
            headers={"User-Agent": f"batchtui/{__version__}", "Accept": "application/json"},
        )

    async def __aenter__(self) -> BatchClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    # Batches

    async def list_batches(self, after: str | None = None, limit: int = 20) -> BatchPage:
        params: dict[str, Any] = {"limit": limit}
        if after:
            params["after"] = after
        return self._parse_page(await self._json("GET", "batches", params=params))

    async def retrieve_batch(self, batch_id: str) -> Batch:
        return self._parse(Batch, await self._json("GET", f"batches/{_segment(batch_id)}"), "batch")

    async def cancel_batch(self, batch_id: str) -> Batch:
        # Cancel is idempotent on the server (a second cancel is refused, not repeated), so retrying is safe.
        return self._parse(Batch, await self._json("POST", f"batches/{_segment(batch_id)}/cancel"), "batch")

    async def create_batch(
        self,
        input_file_id: str,
        endpoint: str,
        completion_window: str = "24h",
        metadata: Mapping[str, str] | None = None,
        output_expires_after_seconds: int | None = None,
    ) -> Batch:
        body: dict[str, Any] = {
            "input_file_id": input_file_id,
            "endpoint": endpoint,
            "completion_window": completion_window,
        }
        if metadata:
            body["metadata"] = dict(metadata)
        if output_expires_after_seconds is not None:
            body["output_expires_after"] = {"anchor": "created_at", "seconds": output_expires_after_seconds}
        try:
            answer = await self._json("POST", "batches", json_body=body, retry=False)
        except (APIConnectionError, InternalServerError) as error:
            # A lost answer or a 5xx from a gateway says nothing about whether the batch was made.
            raise AmbiguousCreateError(
                f"The create request may or may not have reached the server ({error.describe()}).",
                input_file_id=input_file_id,
            ) from error
        return self._parse(Batch, answer, "batch")

    async def iter_batches(self, limit: int = 100, max_pages: int | None = None) -> AsyncIterator[BatchPage]:
        """Every page, oldest cursor first; stops with PaginationStalledError if the server loops."""
        after: str | None = None
        seen_cursors: set[str] = set()
        pages = 0
        while True:
            page = await self.list_batches(after=after, limit=limit)
            pages += 1
            yield page
            if not page.has_more or (max_pages is not None and pages >= max_pages):
                return
            cursor = page.next_cursor
            if cursor is None or cursor in seen_cursors:
                raise PaginationStalledError(
                    "The server keeps saying there are more batches but sends the same page again; stopped paging."
                )
            seen_cursors.add(cursor)
            after = cursor

    async def find_batch_by_input_file(self, input_file_id: str, max_pages: int = 3) -> Batch | None:
        """The newest batch made from this file, looking only at recent pages."""
        async for page in self.iter_batches(limit=100, max_pages=max_pages):
            for batch in page.data:
                if batch.input_file_id == input_file_id:
                    return batch
        return None

    # Files

    async def upload_file(
        self,
        path: str | os.PathLike[str],
        purpose: str = "batch",
        progress: Callable[[int, int], None] | None = None,
    ) -> FileObject:
        """Upload once; never retried (a retry could leave a duplicate file behind)."""
        file_path = Path(path)
        total = file_path.stat().st_size
        with file_path.open("rb") as handle:
            reader = _ProgressReader(handle, total, progress)
            files = {"file": (file_path.name, reader, "application/jsonl")}
            answer = await self._json("POST", "files", data={"purpose": purpose}, files=files, retry=False)
        return self._parse(FileObject, answer, "file")

    async def retrieve_file(self, file_id: str) -> FileObject:
        return self._parse(FileObject, await self._json("GET", f"files/{_segment(file_id)}"), "file")

    @asynccontextmanager
    async def stream_file_content(self, file_id: str) -> AsyncIterator[httpx.Response]:
        """The raw body of a file, not yet read: iterate `response.aiter_bytes()`."""
        response = await self._send("GET", f"files/{_segment(file_id)}/content", stream=True)
        try:
            yield response
        finally:
            await response.aclose()

    async def download_file(
        self,
        file_id: str,
        destination: str | os.PathLike[str],
        progress: Callable[[int, int | None], None] | None = None,
    ) -> int:
        """Stream a file's content to `destination` (written whole or not at all); returns bytes written."""
        dest = Path(destination)
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".part")
        written = 0
        try:
            async with self.stream_file_content(file_id) as response:
                total = _int_or_none(response.headers.get("content-length"))
                with partial.open("wb") as out:
                    try:
                        async for chunk in response.aiter_bytes():
                            out.write(chunk)
                            written += len(chunk)
                            if progress:
                                progress(written, total)
                    except httpx.TimeoutException as error:
                        # A stalled body is a timeout, not "could not reach": the server did answer.
                        raise APITimeoutError(
                            f"The download stalled ({_timeout_kind(error)}).", url=_safe_url(response.request.url)
                        ) from error
                    except httpx.TransportError as error:
                        raise _connection_error(error, _safe_url(response.request.url)) from error
                    except httpx.DecodingError:
                        raise InvalidResponseError(
                            "The file's content could not be decoded (a corrupt compressed body)."
                        ) from None
                # Content-Length counts bytes on the wire; decoded gzip is larger, so only "short" is wrong.
                received = max(response.num_bytes_downloaded, written)
                if total is not None and received < total:
                    # The body ended cleanly but short: caching it would pass a truncated file off as whole.
                    raise APIConnectionError(
                        f"The download ended after {received:,} of {total:,} bytes.",
                        url=_safe_url(response.request.url),
                    )
            os.replace(partial, dest)
        finally:
            partial.unlink(missing_ok=True)
        return written

    # Plumbing

    async def _json(self, method: str, path: str, *, retry: bool = True, **kwargs: Any) -> _Answer:
        response = await self._send(method, path, retry=retry, **kwargs)
        request_id = self._redact_optional(response.headers.get("x-request-id"))
        try:
            return _Answer(response.json(), request_id)
        # ValueError covers JSONDecodeError and Python's limit on the digits of an integer.
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise InvalidResponseError(
                f"The server answered {method} {_path_of(response)} with something that is not JSON.",
                request_id=request_id,
                snippet=_snippet(self._redact(response.text)),
            ) from None

    async def _send(
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
        url = urljoin(self._base, path)
        query = dict(params or {})
        if self.config.api_version:
            query["api-version"] = self.config.api_version
        retries_left = self.config.retry.max_retries if retry else 0
        attempt = 0
        while True:
            request = self._http.build_request(
                method, url, params=query, json=json_body, data=data, files=files, headers=self._auth_headers()
            )
            try:
                response = await self._send_following_redirects(request, stream=stream)
            except APIConnectionError as error:
                if retries_left <= 0:
                    raise
                delay = self.config.retry.backoff(attempt)
                reason = error.describe()
                rate_limited = False
            else:
                if response.status_code < 400:
                    return response
                if stream:
                    await response.aread()
                error = self._status_error(response)
                if retries_left <= 0 or not self.config.retry.should_retry_status(
                    response.status_code, response.headers
                ):
                    raise error
                delay = self.config.retry.delay(attempt, response.headers)
                reason = error.describe()
                rate_limited = response.status_code == 429
            if self.on_retry:
                self.on_retry(RetryNotice(attempt=attempt + 1, delay=delay, reason=reason, rate_limited=rate_limited))
            await self._sleep(delay)
            retries_left -= 1
            attempt += 1

    async def _send_following_redirects(self, request: httpx.Request, *, stream: bool) -> httpx.Response:
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = await self._http.send(request, stream=stream)
            except httpx.TimeoutException as error:
                raise APITimeoutError(
                    f"The server did not answer in time ({_timeout_kind(error)}).", url=_safe_url(request.url)
                ) from error
            except httpx.TransportError as error:
                failure = _connection_error(error, _safe_url(request.url))
                redacted = self._redact(str(failure))
                if redacted != str(failure):
                    # httpx quotes a bad Location header, which a server can fill with the key: keep the chain out.
                    raise APIConnectionError(redacted, url=failure.url, kind=failure.kind) from None
                raise failure from error
            if not response.is_redirect:
                return response
            location = response.headers.get("location", "")
            await response.aclose()
            try:
                target = httpx.URL(urljoin(str(request.url), location))
                origin = _origin(str(target))
            except (httpx.InvalidURL, ValueError):
                raise RedirectRefusedError("The server redirected to an address that is not a valid URL.") from None
            if origin != self._origin:
                # The key is only ever sent to the configured server.
                raise RedirectRefusedError(
                    self._redact(
                        f"The server redirected to {target.scheme}://{target.host}, which is not the configured "
                        f"base URL; not following it with your API key. Set the base URL to the final address."
                    )
                )
            keeps_body = response.status_code in (307, 308)
            headers = self._auth_headers()
            if keeps_body and "content-type" in request.headers:
                # The body is resent as is, so the server must still be told it is JSON.
                headers["Content-Type"] = request.headers["content-type"]
            request = self._http.build_request(
                request.method if keeps_body else "GET",
                target,
                headers=headers,
                content=request.content if keeps_body else None,
            )
        raise APIConnectionError("Too many redirects from the server.", url=_safe_url(request.url))

    def _auth_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        key = self.config.api_key
        if key:
            if self.config.auth_header == "api-key":
                headers["api-key"] = key
            else:
                headers["Authorization"] = f"Bearer {key}"
        if self.config.organization:
            headers["OpenAI-Organization"] = self.config.organization
        if self.config.project:
            headers["OpenAI-Project"] = self.config.project
        return headers

    def _status_error(self, response: httpx.Response) -> APIStatusError:
        # Servers echo a rejected key back ("Incorrect API key provided: sk-..."), in any field.
        body = _error_body(response, self._redact(response.text))
        body = ErrorBody(
            message=self._redact(body.message),
            type=self._redact_optional(body.type),
            code=self._redact_optional(body.code),
            param=self._redact_optional(body.param),
        )
        error_class = status_error_class(response.status_code)
        return error_class(
            response.status_code,
            body,
            request_id=self._redact_optional(response.headers.get("x-request-id")),
            retry_after=server_requested_wait(response.headers),
            method=response.request.method,
            path=_path_of(response),
        )

    def _parse(self, model: type[ModelT], answer: _Answer, what: str) -> ModelT:
        try:
            return model.model_validate(answer.payload)
        except ValidationError as error:
            raise InvalidResponseError(
                f"The server sent a {what} this client cannot read: {_validation_summary(error)}.",
                request_id=answer.request_id,
                snippet=_snippet(self._redact(json.dumps(answer.payload, default=str))),
            ) from None

    def _parse_page(self, answer: _Answer) -> BatchPage:
        payload = answer.payload
        if not isinstance(payload, dict) or not isinstance(payload.get("data"), list):
            raise InvalidResponseError(
                "The server's batch list is not a list object (no 'data' array).",
                request_id=answer.request_id,
                snippet=_snippet(self._redact(json.dumps(payload, default=str))),
            )
        batches: list[Batch] = []
        unreadable = 0
        for item in payload["data"]:
            try:
                batches.append(Batch.model_validate(item))
            except ValidationError:
                unreadable += 1
        if unreadable and not batches:
            # Not an empty account: the server sent batches, none of them readable.
            raise InvalidResponseError(
                f"None of the {unreadable} batches the server sent could be read (they lack required fields).",
                request_id=answer.request_id,
                snippet=_snippet(self._redact(json.dumps(payload["data"][:1], default=str))),
            )
        # `unreadable` is ours: a server field of that name must not reach (and fail) validation.
        page = BatchPage.model_validate({**payload, "data": [], "unreadable": unreadable})
        page.data = batches
        return page

    def _redact(self, text: str) -> str:
        key = self.config.api_key
        if key and len(key) >= 4:
            # Case-insensitive: URLs and headers pass through code that lowercases them.
            return re.sub(re.escape(key), REDACTED, text, flags=re.IGNORECASE)
        return text

    def _redact_optional(self, text: str | None) -> str | None:
        return None if text is None else self._redact(text)


class _ProgressReader:
    """A file wrapper that reports how much of it httpx has read for the upload."""

    def __init__(self, handle: BinaryIO, total: int, progress: Callable[[int, int], None] | None) -> None:
        self._handle = handle
        self._total = total
        self._progress = progress
        self._sent = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._sent += len(chunk)
        if self._progress:
            self._progress(self._sent, self._total)
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


def _error_body(response: httpx.Response, text: str) -> ErrorBody:
    """The server's own words, from OpenAI JSON, problem+json, or anything else; `text` is the redacted body."""
    try:
        payload = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return ErrorBody(
                message=str(error.get("message")),
                type=_str_or_none(error.get("type")),
                code=_str_or_none(error.get("code")),
                param=_str_or_none(error.get("param")),
            )
        if isinstance(error, str) and error:
            return ErrorBody(message=error)
        # RFC 7807 problem+json, as Prism and some gateways send.
        if payload.get("title") or payload.get("detail"):
            parts = [str(payload[k]) for k in ("title", "detail") if payload.get(k)]
            return ErrorBody(message=": ".join(parts), type=_str_or_none(payload.get("type")))
        if isinstance(payload.get("message"), str):
            return ErrorBody(message=payload["message"])
    content_type = response.headers.get("content-type", "")
    reason = response.reason_phrase or "error"
    if "html" in content_type or text.lstrip().lower().startswith(("<!doctype", "<html")):
        return ErrorBody(message=f"{reason} (the server or a proxy sent an HTML page instead of an API error)")
    if text.strip():
        return ErrorBody(message=f"{reason}: {_snippet(text)}")
    return ErrorBody(message=f"{reason} (empty response)")


def _connection_error(error: httpx.TransportError, url: str) -> APIConnectionError:
    text = str(error) or type(error).__name__
    lowered = text.lower()
    cause = error.__cause__ or error.__context__
    if isinstance(cause, ssl.SSLError) or "ssl" in lowered or "certificate" in lowered:
        return APIConnectionError(f"TLS handshake with {url} failed: {text}", url=url, kind="tls")
    if any(word in lowered for word in ("name or service not known", "nodename", "getaddrinfo", "name resolution")):
        return APIConnectionError(f"Could not resolve the host of {url}.", url=url, kind="dns")
    if "refused" in lowered:
        return APIConnectionError(f"Connection refused by {url}: is the server running?", url=url, kind="refused")
    if isinstance(error, httpx.RemoteProtocolError):
        return APIConnectionError(f"The server closed the connection without answering ({text}).", url=url)
    return APIConnectionError(f"Could not reach {url}: {text}", url=url)


def _timeout_kind(error: httpx.TimeoutException) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return "connecting took too long"
    if isinstance(error, httpx.ReadTimeout):
        return "no response within the read timeout"
    return "timed out"


def _tls_context(scheme: str) -> ssl.SSLContext | bool:
    """Full verification for https; for plain http (the demo, a gateway on localhost) a context without CAs."""
    if scheme == "https":
        return True  # httpx's default: certifi's CA bundle, hostnames checked
    # Loading the CA bundle costs 20-35 ms of start-up. A plain-http client never speaks TLS, since
    # redirects are followed to the same origin only; should it ever try, a context that trusts no CA
    # fails closed instead of connecting unverified.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return (parts.scheme, (parts.hostname or "").lower(), port)


def _safe_url(url: httpx.URL) -> str:
    """Scheme, host and port only: enough to say where, without query strings."""
    return f"{url.scheme}://{url.netloc.decode('ascii', 'replace')}"


def _path_of(response: httpx.Response) -> str:
    return response.request.url.path


def _segment(identifier: str) -> str:
    """Ids go into the path; keep a hostile id from changing the path."""
    segment = quote(identifier, safe="")
    # quote() leaves dots alone, and a "." or ".." segment would be resolved away by urljoin and httpx.
    return segment.replace(".", "%2E") if segment in (".", "..") else segment


def _snippet(text: str, limit: int = 200) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _validation_summary(error: ValidationError) -> str:
    problems = []
    for item in error.errors()[:3]:
        where = ".".join(str(part) for part in item.get("loc", ())) or "body"
        problems.append(f"{where}: {item.get('msg', 'invalid')}")
    return "; ".join(problems)


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
