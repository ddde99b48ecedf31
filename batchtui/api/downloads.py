"""A file's content streamed from the server: as a response to read, or to disk, whole or not at all."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import BinaryIO

import httpcore
import httpx

from batchtui.api.errors import APIConnectionError, APITimeoutError, InvalidResponseError
from batchtui.api.sender import Sender
from batchtui.api.transport_errors import connection_error, safe_url, timeout_kind

# 64 KiB reads cost a 200 MB result file 3,200 trips through h11 and the loop; small answers are unaffected.
# Delete when httpcore makes its read size configurable: no issue asks yet (closest: encode/httpcore#135).
httpcore.AsyncHTTP11Connection.READ_NUM_BYTES = 1 << 20

Progress = Callable[[int, int | None], None]
# The file's size as its metadata gives it (`FileObject.bytes`), None when the server does not say.
FileSize = Callable[[], Awaitable[int | None]]

TEMPORARY_SUFFIX = ".part"


def temporary_prefix(final: Path) -> str:
    """Temporary files start with a dot and the final name: hidden, and easy to tell apart from finished files."""
    return f".{final.name}."


@asynccontextmanager
async def open_content(sender: Sender, path: str) -> AsyncIterator[httpx.Response]:
    """The raw body at `path`, not yet read: iterate `response.aiter_bytes()`."""
    response = await sender.send("GET", path, stream=True)
    try:
        yield response
    finally:
        await response.aclose()


async def save_content(
    sender: Sender, path: str, destination: str | os.PathLike[str], progress: Progress | None, file_size: FileSize
) -> int:
    """Stream the body at `path` to `destination`, moved into place only once whole; returns bytes written."""
    final = Path(destination)
    final.parent.mkdir(parents=True, exist_ok=True)
    temporary: str | None = None
    try:
        async with open_content(sender, path) as response:
            # A name of its own: two processes downloading the same file must never write into one file.
            descriptor, temporary = tempfile.mkstemp(
                dir=final.parent, prefix=temporary_prefix(final), suffix=TEMPORARY_SUFFIX
            )
            with os.fdopen(descriptor, "wb") as out:
                written = await _write_body(response, out, progress)
        await _check_complete(response, written, file_size)
        # On disk before the rename, or a crash could leave an empty file at the final name, taken as whole.
        await asyncio.to_thread(_sync_to_disk, temporary)
        # Atomic: readers see no file or a whole one; a second whole copy of the same file replaces the first.
        os.replace(temporary, final)
        temporary = None
    finally:
        if temporary is not None:
            # Also on cancellation (the screen left, the app quitting): no partial file stays behind.
            Path(temporary).unlink(missing_ok=True)
    return written


async def _write_body(response: httpx.Response, out: BinaryIO, progress: Progress | None) -> int:
    total = _int_or_none(response.headers.get("content-length"))
    url = safe_url(response.request.url)
    written = 0
    try:
        async for chunk in response.aiter_bytes():
            out.write(chunk)
            written += len(chunk)
            if progress:
                progress(written, total)
    except httpx.TimeoutException as error:
        # A stalled body is a timeout, not "could not reach": the server did answer.
        raise APITimeoutError(f"The download stalled ({timeout_kind(error)}).", url=url) from error
    except httpx.RemoteProtocolError as error:
        # h11 saw the connection close short of the Content-Length or before the last chunk.
        raise _ended_early(response.num_bytes_downloaded, total, url) from error
    except httpx.TransportError as error:
        raise connection_error(error, url) from error
    except httpx.DecodingError:
        raise InvalidResponseError("The file's content could not be decoded (a corrupt compressed body).") from None
    return written


async def _check_complete(response: httpx.Response, written: int, file_size: FileSize) -> None:
    """Complete means the size the server gave: its Content-Length, else the file's bytes from its metadata."""
    url = safe_url(response.request.url)
    length = _int_or_none(response.headers.get("content-length"))
    if length is not None:
        # Content-Length counts bytes on the wire; decoded gzip is larger, so only "short" is wrong.
        received = max(response.num_bytes_downloaded, written)
        if received < length:
            # The body ended cleanly but short: caching it would pass a truncated file off as whole.
            raise _ended_early(received, length, url)
        return
    if "chunked" in response.headers.get("transfer-encoding", "").lower():
        return  # a chunked body cut off lacks its last chunk, which h11 reports (see _write_body)
    # Ended by a closed connection, a cut looks just like the end: only the file's metadata can tell
    # (one request more, for such bodies only; a length or chunks prove the end without it).
    expected = await file_size()
    if expected is None:
        return  # no Content-Length and no `bytes` in the metadata: the one case taken as it came, unchecked
    # Compared with the decoded size: `bytes` is the file's own size, whatever the encoding on the wire.
    if written < expected:
        raise _ended_early(written, expected, url)
    if written > expected:
        raise InvalidResponseError(f"The server sent {written:,} bytes for a file of {expected:,} bytes.")


def _ended_early(received: int, expected: int | None, url: str) -> APIConnectionError:
    if expected is None:
        return APIConnectionError(f"The download ended after {received:,} bytes, before the end of the file.", url=url)
    return APIConnectionError(f"The download ended after {received:,} of {expected:,} bytes.", url=url)


def _sync_to_disk(path: str) -> None:
    with open(path, "rb") as written:
        os.fsync(written.fileno())


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
