"""One async client for the Batch and Files API, over a single httpx.AsyncClient.

Reads and cancel are retried by the shared RetryPolicy. Create and upload are
never retried blindly: a create whose answer was lost may have started a billed
batch, so the caller is told the outcome is unknown (`AmbiguousCreateError`)
and can look for the batch with `find_batch_by_input_file`.

This module is the facade; sending, redirects, redaction, parsing and downloads
each live in their own module beside it.
"""

from __future__ import annotations

import asyncio
import copy
import os
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from batchtui import __version__
from batchtui.api.downloads import Progress, open_content, save_content
from batchtui.api.errors import AmbiguousCreateError, APIConnectionError, InternalServerError, PaginationStalledError
from batchtui.api.models import Batch, BatchPage, FileObject
from batchtui.api.redaction import Redactor
from batchtui.api.response_parsing import Answer, ModelT, parse_model, parse_page, read_answer
from batchtui.api.retry import RetryPolicy
from batchtui.api.sender import RetryNotice, Sender
from batchtui.api.upload_progress import ProgressReader

DEFAULT_BASE_URL = "https://api.openai.com/v1"


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


# How long an idle connection is kept for the next request. httpx's default, 5 s, is exactly the default refresh
# interval: every refresh found its connection just expired and opened a new one (a TLS handshake, against the
# real API). A connection the server closed meanwhile is noticed before reuse, and a GET that meets one closing
# under it is retried like any dropped connection.
KEEPALIVE_SECONDS = 120.0


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
    # Only GET leaves the client: the screen dims what would change the account, and this holds even if it did not.
    read_only: bool = False

    def auth_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.api_key:
            if self.auth_header == "api-key":
                headers["api-key"] = self.api_key
            else:
                headers["Authorization"] = f"Bearer {self.api_key}"
        if self.organization:
            headers["OpenAI-Organization"] = self.organization
        if self.project:
            headers["OpenAI-Project"] = self.project
        return headers


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
        base = config.base_url.rstrip("/") + "/"
        self._redact = Redactor(config.api_key)
        self._http = httpx.AsyncClient(
            transport=transport,
            verify=_tls_context(urlsplit(base).scheme),
            timeout=config.timeouts.to_httpx(),
            follow_redirects=False,  # redirects are followed by hand, same origin only
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=KEEPALIVE_SECONDS),
            headers={"User-Agent": f"batchtui/{__version__}", "Accept": "application/json"},
        )
        self._sleep = sleep
        self._sender = self._make_sender(config)
        self.on_retry = on_retry

    def _make_sender(self, config: ClientConfig) -> Sender:
        return Sender(
            self._http,
            base_url=config.base_url.rstrip("/") + "/",
            auth_headers=config.auth_headers(),
            api_version=config.api_version,
            retry=config.retry,
            redact=self._redact,
            sleep=self._sleep,
            read_only=config.read_only,
        )

    def background(self) -> BatchClient:
        """This client for background walks: the same server, key and connections, but no retries.

        A walk paces itself (and waits out a 429 as the server says), and its waits must not show
        in the status line as if the visible page were waiting. Close only the original.
        """
        twin = copy.copy(self)
        twin.config = replace(self.config, retry=RetryPolicy(max_retries=0))
        twin._sender = twin._make_sender(twin.config)
        return twin

    @property
    def on_retry(self) -> Callable[[RetryNotice], None] | None:
        """Called before each wait between retries; a screen sets it to show the wait."""
        return self._sender.on_retry

    @on_retry.setter
    def on_retry(self, callback: Callable[[RetryNotice], None] | None) -> None:
        self._sender.on_retry = callback

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
            reader = ProgressReader(handle, total, progress)
            files = {"file": (file_path.name, reader, "application/jsonl")}
            answer = await self._json("POST", "files", data={"purpose": purpose}, files=files, retry=False)
        return self._parse(FileObject, answer, "file")

    async def retrieve_file(self, file_id: str) -> FileObject:
        return self._parse(FileObject, await self._json("GET", f"files/{_segment(file_id)}"), "file")

    def stream_file_content(self, file_id: str) -> AbstractAsyncContextManager[httpx.Response]:
        """The raw body of a file, not yet read: `async with` it, then iterate `response.aiter_bytes()`."""
        return open_content(self._sender, _content_path(file_id))

    async def download_file(
        self, file_id: str, destination: str | os.PathLike[str], progress: Progress | None = None
    ) -> int:
        """Stream a file's content to `destination` (written whole or not at all); returns bytes written.

        A body ended by a closed connection (no Content-Length, no chunks) costs one more request,
        GET /files/{id}, whose `bytes` tells a whole body from a cut one.
        """

        async def file_size() -> int | None:
            return (await self.retrieve_file(file_id)).bytes

        return await save_content(self._sender, _content_path(file_id), destination, progress, file_size)

    # Plumbing

    async def _json(self, method: str, path: str, *, retry: bool = True, **kwargs: Any) -> Answer:
        response = await self._sender.send(method, path, retry=retry, **kwargs)
        return read_answer(response, method, self._redact)

    def _parse(self, model: type[ModelT], answer: Answer, what: str) -> ModelT:
        return parse_model(model, answer, what, self._redact)

    def _parse_page(self, answer: Answer) -> BatchPage:
        return parse_page(answer, self._redact)


def _tls_context(scheme: str) -> ssl.SSLContext | bool:
    """Full verification for https; for plain http (the demo, a gateway on localhost) a context without CAs."""
    if scheme == "https":
        return True  # httpx's default: certifi's CA bundle, hostnames checked
    # Loading the CA bundle costs 20-35 ms of start-up. A plain-http client never speaks TLS, since
    # redirects are followed to the same origin only; should it ever try, a context that trusts no CA
    # fails closed instead of connecting unverified.
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def _content_path(file_id: str) -> str:
    return f"files/{_segment(file_id)}/content"


def _segment(identifier: str) -> str:
    """Ids go into the path; keep a hostile id from changing the path."""
    segment = quote(identifier, safe="")
    # quote() leaves dots alone, and a "." or ".." segment would be resolved away by urljoin and httpx.
    return segment.replace(".", "%2E") if segment in (".", "..") else segment
