"""Downloads are whole or absent: each body checked against the size the server gave, each in its own temporary file."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from batchtui.api.client import BatchClient
from batchtui.api.errors import APIConnectionError, InvalidResponseError
from tests.api.factories import make_client
from tests.support.files import file_json

FILE_ID = "file-out"
Piece = bytes | Callable[[], Awaitable[object]]
CONTENT = b"".join(b'{"custom_id": "r%d", "response": {"status_code": 200}}\n' % i for i in range(2_000))


class Body(httpx.AsyncByteStream):
    """A response body in pieces; a wait between pieces (an Event's `wait`) holds the stream there."""

    def __init__(self, *pieces: Piece) -> None:
        self.pieces = pieces

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, bytes):
                yield piece
            else:
                await piece()


class FilesServer:
    """GET /files/{id} and its content, counting the requests of each."""

    def __init__(self, content: httpx.Response, *, size: int | None = len(CONTENT)) -> None:
        self.content = content
        self.size = size
        self.paths: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if request.url.path.endswith("/content"):
            return self.content
        return httpx.Response(200, json=file_json(FILE_ID, bytes=self.size))

    def client(self) -> BatchClient:
        return make_client(self.handler)

    @property
    def metadata_requests(self) -> int:
        return self.paths.count(f"/v1/files/{FILE_ID}")


def closed_at_end(*pieces: Piece, **headers: str) -> httpx.Response:
    """A body with neither Content-Length nor chunking: it ends when the server closes the connection."""
    return httpx.Response(200, stream=Body(*pieces), headers=headers)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize(
    ("received", "error", "words"),
    [
        (CONTENT[:10_000], APIConnectionError, f"The download ended after 10,000 of {len(CONTENT):,} bytes."),
        (CONTENT + b"<html>502</html>", InvalidResponseError, f"The server sent {len(CONTENT) + 16:,} bytes"),
    ],
    ids=["short", "long"],
)
async def test_a_body_ended_by_a_closed_connection_must_match_the_files_bytes(
    tmp_path: Path, received: bytes, error: type[Exception], words: str
) -> None:
    server = FilesServer(closed_at_end(received))
    destination = tmp_path / "out.jsonl"
    async with server.client() as client:
        with pytest.raises(error) as caught:
            await client.download_file(FILE_ID, destination)
    assert words in str(caught.value)
    assert leftovers(tmp_path) == []
    assert server.metadata_requests == 1


async def test_a_short_body_keeps_the_complete_copy_already_there(tmp_path: Path) -> None:
    destination = tmp_path / "out.jsonl"
    destination.write_bytes(CONTENT)
    server = FilesServer(closed_at_end(CONTENT[:100]))
    async with server.client() as client:
        with pytest.raises(APIConnectionError, match=f"after 100 of {len(CONTENT):,} bytes"):
            await client.download_file(FILE_ID, destination)
    assert destination.read_bytes() == CONTENT
    assert leftovers(tmp_path) == ["out.jsonl"]


@pytest.mark.parametrize(
    ("framing", "metadata_requests"),
    [({"content-length": str(len(CONTENT))}, 0), ({"transfer-encoding": "chunked"}, 0), ({}, 1)],
    ids=["content-length", "chunked", "closed-connection"],
)
async def test_the_files_bytes_are_asked_for_only_when_the_framing_cannot_tell_a_cut_from_the_end(
    tmp_path: Path, framing: dict[str, str], metadata_requests: int
) -> None:
    server = FilesServer(closed_at_end(CONTENT[:5_000], CONTENT[5_000:], **framing))
    async with server.client() as client:
        written = await client.download_file(FILE_ID, tmp_path / "out.jsonl")
    assert written == len(CONTENT) and (tmp_path / "out.jsonl").read_bytes() == CONTENT
    assert server.metadata_requests == metadata_requests


@pytest.mark.parametrize("framing", ["content-length", "closed-connection"])
async def test_a_whole_gzip_body_is_kept_though_it_decodes_larger_than_it_travels(tmp_path: Path, framing: str) -> None:
    wire = gzip.compress(CONTENT)
    headers = {"content-encoding": "gzip"}
    if framing == "content-length":
        headers["content-length"] = str(len(wire))
    server = FilesServer(closed_at_end(wire[:1_000], wire[1_000:], **headers))
    async with server.client() as client:
        written = await client.download_file(FILE_ID, tmp_path / "out.jsonl")
    assert len(wire) < written == len(CONTENT)
    assert (tmp_path / "out.jsonl").read_bytes() == CONTENT
    # Without a Content-Length the decoded size is what is compared with the file's bytes.
    assert server.metadata_requests == (framing == "closed-connection")


async def test_a_cut_gzip_body_is_not_kept(tmp_path: Path) -> None:
    wire = gzip.compress(CONTENT)
    server = FilesServer(closed_at_end(wire[: len(wire) // 2], **{"content-encoding": "gzip"}))
    async with server.client() as client:
        with pytest.raises(APIConnectionError, match=f"The download ended after [0-9,]+ of {len(CONTENT):,} bytes"):
            await client.download_file(FILE_ID, tmp_path / "out.jsonl")
    assert leftovers(tmp_path) == []


async def test_without_a_size_anywhere_the_body_is_taken_as_it_came(tmp_path: Path) -> None:
    server = FilesServer(closed_at_end(CONTENT), size=None)
    async with server.client() as client:
        assert await client.download_file(FILE_ID, tmp_path / "out.jsonl") == len(CONTENT)
    assert server.metadata_requests == 1


async def test_a_cancelled_download_removes_its_temporary_file(tmp_path: Path) -> None:
    destination = tmp_path / "out.jsonl"
    destination.write_bytes(b"an older complete copy\n")
    never = asyncio.Event()
    first_piece_written = asyncio.Event()
    server = FilesServer(closed_at_end(CONTENT[:1_000], never.wait, CONTENT[1_000:]))
    async with server.client() as client:
        task = asyncio.create_task(
            client.download_file(FILE_ID, destination, progress=lambda done, total: first_piece_written.set())
        )
        await first_piece_written.wait()
        (temporary,) = [path for path in tmp_path.iterdir() if path != destination]
        assert temporary.name.startswith(".out.jsonl.") and temporary.name.endswith(".part")
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert leftovers(tmp_path) == ["out.jsonl"]
    assert destination.read_bytes() == b"an older complete copy\n"


async def test_a_download_cut_short_does_not_disturb_another_of_the_same_file(tmp_path: Path) -> None:
    destination = tmp_path / "out.jsonl"
    both_writing, short_one_done = asyncio.Event(), asyncio.Event()
    writing: set[str] = set()

    def progress(name: str):  # type: ignore[no-untyped-def]
        def report(done: int, total: int | None) -> None:
            writing.add(name)
            if len(writing) == 2:
                both_writing.set()

        return report

    length = {"content-length": str(len(CONTENT))}
    whole = FilesServer(
        closed_at_end(CONTENT[:1_000], both_writing.wait, short_one_done.wait, CONTENT[1_000:], **length)
    )
    short = FilesServer(closed_at_end(CONTENT[:1_000], both_writing.wait, **length))
    async with whole.client() as first, short.client() as second:
        whole_task = asyncio.create_task(first.download_file(FILE_ID, destination, progress=progress("whole")))
        with pytest.raises(APIConnectionError, match="ended after 1,000 of"):
            await second.download_file(FILE_ID, destination, progress=progress("short"))
        short_one_done.set()
        assert await whole_task == len(CONTENT)
    assert destination.read_bytes() == CONTENT
    assert leftovers(tmp_path) == ["out.jsonl"]
