"""FakeAPI plus files and create, with scripted outcomes, for the create, results and retry screen tests."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import httpx

from tests.support.batches import NOW, numbered_batch
from tests.support.files import file_json
from tests.ui.fake_api import FakeAPI, error_response

# What POST /batches does, in order: "ok" creates; "drop" loses the request (nothing created);
# "lost" creates, then loses the answer; "refuse" answers 400; "garbled" creates and answers non-JSON.
Outcome = str


@dataclass
class LifecycleAPI(FakeAPI):
    files: dict[str, bytes] = field(default_factory=dict)
    create_outcomes: list[Outcome] = field(default_factory=list)
    list_failures: int = 0
    """How many of the next list requests answer 500."""
    create_gate: asyncio.Event | None = None
    """When set, creates wait for it: a create still in flight."""
    uploads: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if self.fail_with is not None:
            return self.handle(request)
        if request.method == "POST" and path.endswith("/files"):
            self.requests.append(request)
            return self._upload(request)
        if request.method == "POST" and path.endswith("/batches"):
            self.requests.append(request)
            if self.create_gate is not None:
                await self.create_gate.wait()
            return self._create(request)
        if request.method == "GET" and "/files/" in path:
            self.requests.append(request)
            return self._file(path)
        if request.method == "GET" and path.endswith("/batches") and self.list_failures:
            self.requests.append(request)
            self.list_failures -= 1
            return error_response(500, "The server had an error while processing your request.")
        return self.handle(request)

    def posts(self, suffix: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == "POST" and r.url.path.endswith(suffix)]

    def content_requests(self, file_id: str) -> int:
        return sum(1 for r in self.requests if r.method == "GET" and r.url.path.endswith(f"/files/{file_id}/content"))

    def _upload(self, request: httpx.Request) -> httpx.Response:
        self.uploads += 1
        file_id = f"file-up-{self.uploads}"
        self.files[file_id] = request.content
        return httpx.Response(200, json=file_json(file_id, bytes=len(request.content)))

    def _create(self, request: httpx.Request) -> httpx.Response:
        outcome = self.create_outcomes.pop(0) if self.create_outcomes else "ok"
        body = json.loads(request.content)
        if outcome == "drop":
            raise httpx.ReadTimeout("timed out", request=request)
        if outcome == "refuse":
            return httpx.Response(
                400,
                json={
                    "error": {
                        "message": "Invalid value for 'completion_window': '48h'. Supported values are: '24h'.",
                        "type": "invalid_request_error",
                        "param": "completion_window",
                        "code": "invalid_value",
                    }
                },
            )
        batch = numbered_batch(
            len(self.batches) + 100,
            "validating",
            id=f"batch_new{len(self.posts('/batches'))}",
            input_file_id=body["input_file_id"],
            endpoint=body["endpoint"],
            created_at=NOW,
            metadata=body.get("metadata"),
        )
        self.batches.insert(0, batch)
        if outcome == "lost":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if outcome == "garbled":
            return httpx.Response(200, content=b"<html>upstream reset</html>")
        return httpx.Response(200, json=batch)

    def _file(self, path: str) -> httpx.Response:
        file_id = path.split("/files/", 1)[1].split("/", 1)[0]
        content = self.files.get(file_id)
        if content is None:
            return error_response(404, f"No such File object: {file_id}")
        if path.endswith("/content"):
            return httpx.Response(200, content=content, headers={"content-type": "application/octet-stream"})
        return httpx.Response(200, json={"id": file_id, "object": "file", "bytes": len(content), "created_at": NOW})
