"""A file's content streamed from the server: as a response to read, or to disk, whole or not at all."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpcore
import httpx

from batchtui.api.errors import APIConnectionError, APITimeoutError, InvalidResponseError
from batchtui.api.sender import Sender
from batchtui.api.transport_errors import connection_error, safe_url, timeout_kind

# 64 KiB reads cost a 200 MB result file 3,200 trips through h11 and the loop; small answers are unaffected.
# Delete when httpcore makes its read size configurable: no issue asks yet (closest: encode/httpcore#135).
httpcore.AsyncHTTP11Connection.READ_NUM_BYTES = 1 << 20

Progress = Callable[[int, int | None], None]


@asynccontextmanager
async def open_content(sender: Sender, path: str) -> AsyncIterator[httpx.Response]:
    """The raw body at `path`, not yet read: iterate `response.aiter_bytes()`."""
    response = await sender.send("GET", path, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


async def save_content(
    sender: Sender, path: str, destination: str | os.PathLike[str], progress: Progress | None
) -> int:
    """Stream the body at `path` to `destination` through a `.part` file; returns bytes written."""
    final = Path(destination)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(final.name + ".part")
    try:
        async with open_content(sender, path) as response:
            written = await _write_body(response, partial, progress)
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    return written


async def _write_body(response: httpx.Response, partial: Path, progress: Progress | None) -> int:
    total = _int_or_none(response.headers.get("content-length"))
    written = 0
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
                f"The download stalled ({timeout_kind(error)}).", url=safe_url(response.request.url)
            ) from error
        except httpx.TransportError as error:
            raise connection_error(error, safe_url(response.request.url)) from error
        except httpx.DecodingError:
            raise InvalidResponseError("The file's content could not be decoded (a corrupt compressed body).") from None
    # Content-Length counts bytes on the wire; decoded gzip is larger, so only "short" is wrong.
    received = max(response.num_bytes_downloaded, written)
    if total is not None and received < total:
        # The body ended cleanly but short: caching it would pass a truncated file off as whole.
        raise APIConnectionError(
            f"The download ended after {received:,} of {total:,} bytes.", url=safe_url(response.request.url)
        )
    return written


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
