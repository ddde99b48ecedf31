"""One batch and its output file over a real loopback socket, the content framed by hand as a test asks.

The simulator always sends a Content-Length; this server can also end a body by closing the
connection (HTTP/1.0 style, no length, no chunks) or hold a body half-sent until a test lets it go.
"""

from __future__ import annotations

import asyncio
import json
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

from tests.support.files import file_json


class FileServer:
    def __init__(self, batch: dict[str, Any], content: bytes) -> None:
        self.batch = batch
        self.file_id: str = batch["output_file_id"]
        self.content = content
        self.cut_after: int | None = None
        """Send this many bytes of the content, then close the connection."""
        self.cut_announces_length = False
        """Whether a cut body says the whole file's Content-Length first (else it has no length at all)."""
        self.hold: asyncio.Event | None = None
        """Send half the content, then wait for this before the rest."""
        self.requests: list[str] = []
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> FileServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    def content_requests(self) -> int:
        return self.requests.count(f"GET /v1/files/{self.file_id}/content")

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            path = urlsplit(target).path
            self.requests.append(f"{method} {path}")
            await self._answer(path, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client gave up first
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()

    async def _answer(self, path: str, writer: asyncio.StreamWriter) -> None:
        batch_id = self.batch["id"]
        if path == "/v1/batches":
            page = {"object": "list", "data": [self.batch], "first_id": batch_id, "last_id": batch_id}
            await _send_json(writer, 200, {**page, "has_more": False})
        elif path == f"/v1/batches/{batch_id}":
            await _send_json(writer, 200, self.batch)
        elif path == f"/v1/files/{self.file_id}":
            metadata = file_json(
                self.file_id, bytes=len(self.content), filename="batch_output.jsonl", purpose="batch_output"
            )
            await _send_json(writer, 200, metadata)
        elif path == f"/v1/files/{self.file_id}/content":
            await self._send_content(writer)
        else:
            await _send_json(
                writer, 404, {"error": {"message": f"Invalid URL (GET {path})", "type": "invalid_request_error"}}
            )

    async def _send_content(self, writer: asyncio.StreamWriter) -> None:
        if self.cut_after is not None:
            # Without a Content-Length (and no chunks), closing the connection is the only end this body has.
            length = b"Content-Length: %d\r\n" % len(self.content) if self.cut_announces_length else b""
            writer.write(b"HTTP/1.1 200 OK\r\n%sConnection: close\r\n\r\n" % length + self.content[: self.cut_after])
            await writer.drain()
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(self.content)
        )
        half = len(self.content) // 2
        writer.write(self.content[:half])
        await writer.drain()
        if self.hold is not None:
            await self.hold.wait()
        writer.write(self.content[half:])
        await writer.drain()


async def _send_json(writer: asyncio.StreamWriter, status: int, payload: object) -> None:
    body = json.dumps(payload).encode()
    reason = "OK" if status == 200 else "Not Found"
    writer.write(
        b"HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
        % (status, reason.encode(), len(body))
        + body
    )
    await writer.drain()
