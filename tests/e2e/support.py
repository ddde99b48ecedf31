"""Shared pieces of the end-to-end tests against the simulator."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from batchtui.ui.screens.batches import BatchesScreen
from batchtui.ui.widgets.batch_table import BatchTable
from tests.support.loopback import PLAIN_HTTP

START = 1_795_618_800.0
KEY = "sk-e2e-lifecycle-not-a-real-key"


# What the tests that read files whole (the app, then the test to compare) need of a batch: files of several of
# the simulator's 64 KB chunks. The account's first completed batch has 18,000 requests, seconds of JSON each way
# that show nothing 500 do not; how the app copes with size is what bench/ measures.
MODEST_REQUESTS = 500


def modest(batches: list[dict]) -> dict:
    """Of the batches a test could use, the one with the fewest requests, if possible MODEST_REQUESTS or more."""
    assert batches, "the simulator has no batch this test can use"
    by_size = sorted(batches, key=lambda batch: batch["request_counts"]["total"])
    return next((batch for batch in by_size if batch["request_counts"]["total"] >= MODEST_REQUESTS), by_size[-1])


def rows(app) -> list[str]:
    table = app.screen.query_one(BatchTable)
    return [table.coordinate_to_cell_key((i, 0))[0].value for i in range(table.row_count)]


async def select(app, pilot, batch_id: str) -> BatchesScreen:
    screen = app.screen
    assert isinstance(screen, BatchesScreen)
    assert screen.query_one(BatchTable).select_id(batch_id), f"{batch_id} is not on this page"
    await pilot.pause()
    assert screen.selected_id == batch_id
    return screen


def posts(simulator, path: str) -> list:
    return [r for r in simulator.requests if r.method == "POST" and r.path == path]


def content_requests(simulator, file_id: str) -> list:
    return [r for r in simulator.requests if r.method == "GET" and r.path == f"/v1/files/{file_id}/content"]


def file_bytes(simulator, file_id: str) -> bytes:
    """A file's content straight from the simulator, for comparing with what the app shows."""
    response = httpx.get(
        f"{simulator.base_url}/files/{file_id}/content",
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=30,
        verify=PLAIN_HTTP,
    )
    response.raise_for_status()
    return response.content


def file_lines(simulator, file_id: str) -> list[dict]:
    return [json.loads(line) for line in file_bytes(simulator, file_id).splitlines() if line.strip()]


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def chat_request(custom_id: str, model: str = "gpt-4o-mini") -> dict:
    return {
        "custom_id": custom_id,
        "method": "POST",
        "url": "/v1/chat/completions",
        "body": {"model": model, "messages": [{"role": "user", "content": f"hello {custom_id}"}]},
    }
