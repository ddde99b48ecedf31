"""Every batch call the client makes, against every Prism and Steady mode: spec-valid requests, spec responses read whole."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from batchtui.api.endpoints import BATCH_ENDPOINTS
from batchtui.api.errors import PaginationStalledError
from batchtui.api.models import Batch, BatchPage

from .harness import Conformance, assert_kept

BATCH_ID = "batch_abc123"
MAX_PAGES = 5
WALK_SECONDS = 5


def assert_batch_read(batch: Batch, raw: dict[str, Any]) -> None:
    assert_kept(raw, batch.model_dump(mode="json"))
    # The spec's status enum is what the client calls known; a status outside it would show as "unknown".
    assert batch.is_known_status, f"spec status {raw['status']!r} not known to the client"


def assert_page_read(page: BatchPage, raw: dict[str, Any]) -> None:
    assert page.unreadable == 0, f"{page.unreadable} spec-valid batches were counted unreadable"
    assert_kept(raw, page.model_dump(mode="json"))
    for batch, raw_batch in zip(page.data, raw["data"], strict=True):
        assert_batch_read(batch, raw_batch)


async def test_list_batches_first_page(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        page = await api.client.list_batches(limit=20)
        exchange = api.last("GET", "/batches")
        assert dict(exchange.request.url.params) == {"limit": "20"}
        assert_page_read(page, exchange.json())
        if page.has_more:
            assert page.next_cursor is not None or not page.data
    api.assert_conformant()


async def test_list_batches_after_cursor(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        page = await api.client.list_batches(after=BATCH_ID, limit=100)
        exchange = api.last("GET", "/batches")
        assert dict(exchange.request.url.params) == {"limit": "100", "after": BATCH_ID}
        assert_page_read(page, exchange.json())
    api.assert_conformant()


async def test_iter_batches_terminates(api: Conformance) -> None:
    # Deterministic modes repeat the same page, so the stall check alone must end the walk;
    # the random mode can say has_more with a fresh cursor every time, so max_pages ends it.
    max_pages = None if api.mode.deterministic else MAX_PAGES
    for _ in range(api.mode.repeats):
        pages: list[BatchPage] = []

        async def walk(pages: list[BatchPage] = pages) -> str:
            try:
                async for page in api.client.iter_batches(limit=100, max_pages=max_pages):
                    pages.append(page)
            except PaginationStalledError:
                return "stalled"
            return "finished"

        start = len(api.exchanges)
        try:
            outcome = await asyncio.wait_for(walk(), timeout=WALK_SECONDS)
        except TimeoutError:
            pytest.fail(f"iter_batches(max_pages={max_pages}) still paging after {WALK_SECONDS} s, {len(pages)} pages")
        requests = [exchange.request for exchange in api.exchanges[start:]]
        assert 1 <= len(pages) == len(requests) <= MAX_PAGES
        assert "after" not in requests[0].url.params
        for previous, request in zip(pages, requests[1:], strict=False):
            assert request.url.params["after"] == previous.next_cursor
        for page, exchange in zip(pages, api.exchanges[start:], strict=True):
            assert_page_read(page, exchange.json())
        last = pages[-1]
        if outcome == "finished":
            assert not last.has_more or len(pages) == max_pages
        else:
            cursors = [page.next_cursor for page in pages[:-1]]
            assert last.has_more and (last.next_cursor is None or last.next_cursor in cursors)
    api.assert_conformant()


async def test_retrieve_batch(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        batch = await api.client.retrieve_batch(BATCH_ID)
        exchange = api.last("GET", f"/batches/{BATCH_ID}")
        assert_batch_read(batch, exchange.json())
    api.assert_conformant()


async def test_cancel_batch(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        batch = await api.client.cancel_batch(BATCH_ID)
        exchange = api.last("POST", f"/batches/{BATCH_ID}/cancel")
        assert exchange.request.content == b""
        assert_batch_read(batch, exchange.json())
    api.assert_conformant()


async def test_create_batch_with_every_option(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        batch = await api.client.create_batch(
            "file-abc123",
            "/v1/chat/completions",
            metadata={"customer_id": "user_123456789", "batch_description": "Nightly eval job"},
            output_expires_after_seconds=2_592_000,
        )
        exchange = api.last("POST", "/batches")
        assert exchange.request.headers["content-type"] == "application/json"
        assert json.loads(exchange.request.content) == {
            "input_file_id": "file-abc123",
            "endpoint": "/v1/chat/completions",
            "completion_window": "24h",
            "metadata": {"customer_id": "user_123456789", "batch_description": "Nightly eval job"},
            "output_expires_after": {"anchor": "created_at", "seconds": 2_592_000},
        }
        assert_batch_read(batch, exchange.json())
    api.assert_conformant()


async def test_create_batch_for_every_endpoint_the_client_offers(api: Conformance) -> None:
    for endpoint in BATCH_ENDPOINTS:
        batch = await api.client.create_batch("file-abc123", endpoint)
        exchange = api.last("POST", "/batches")
        assert json.loads(exchange.request.content) == {
            "input_file_id": "file-abc123",
            "endpoint": endpoint,
            "completion_window": "24h",
        }
        assert_batch_read(batch, exchange.json())
    api.assert_conformant()
