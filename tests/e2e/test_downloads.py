"""Downloads over a real socket: a body cut by a closed connection is an error r retries; two at once both end whole."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.ui.file_cache import cached_file, ensure_cached
from batchtui.ui.screens.results import ResultsScreen
from batchtui.ui.widgets.result_table import ResultTable
from tests.e2e.file_server import FileServer
from tests.e2e.support import KEY, select
from tests.support.apps import build_app
from tests.support.batches import numbered_batch
from tests.support.files import jsonl, result_line
from tests.support.rendering import widget_text
from tests.support.waiting import settle, wait_until

LINES = 3_000
CONTENT = jsonl([result_line(f"request-{i}", text=f"answer number {i}") for i in range(LINES)])
BATCH = numbered_batch(0, "completed", output_file_id="file-output-0")


@pytest.fixture(autouse=True)
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("BATCHTUI_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def files_in(folder) -> list[str]:
    """Every file under the cache (each account's downloads have a folder of their own), by name."""
    return sorted(path.name for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


@pytest.mark.parametrize("framing", ["no-length", "content-length"])
async def test_a_body_cut_by_a_closed_connection_is_an_error_and_r_downloads_it_whole(clock, cache_dir, framing):
    cut = len(CONTENT) // 3
    async with FileServer(BATCH, CONTENT) as server:
        server.cut_after = cut
        server.cut_announces_length = framing == "content-length"
        app = build_app(base_url=server.base_url, key=KEY, clock=clock)
        async with app.run_test(size=(140, 45)) as pilot:
            await settle(app, pilot)
            await select(app, pilot, BATCH["id"])
            await pilot.press("o")
            await wait_until(
                pilot,
                lambda: (
                    isinstance(app.screen, ResultsScreen)
                    and (app.screen.retryable_failure or app.screen.indexed is not None)
                ),
            )
            screen = app.screen
            assert screen.indexed is None, "a third of the file was shown as the whole of it"
            notice = widget_text(screen.query_one("#results-notice"))
            assert f"The download ended after {cut:,} of {len(CONTENT):,} bytes." in notice
            assert "r tries again" in notice
            assert files_in(cache_dir) == []

            # The whole file now, framed the same way: without a length its size is checked with the metadata.
            server.cut_after = len(CONTENT) if framing == "no-length" else None
            await pilot.press("r")
            await wait_until(pilot, lambda: screen.indexed is not None)
            assert [row.custom_id for row in screen.query_one(ResultTable).rows] == [
                f"request-{i}" for i in range(LINES)
            ]
        assert server.content_requests() == 2
        assert server.requests.count(f"GET /v1/files/{BATCH['output_file_id']}") == (2 if framing == "no-length" else 0)
    assert cached_file(app.client.config, BATCH["output_file_id"]).read_bytes() == CONTENT
    assert files_in(cache_dir) == [f"{BATCH['output_file_id']}.jsonl"]


async def test_two_downloads_of_the_same_file_at_once_both_end_whole(cache_dir):
    file_id = BATCH["output_file_id"]
    writing: set[str] = set()
    async with FileServer(BATCH, CONTENT) as server:
        # Each body stops halfway until both downloads have written their first part: they overlap.
        server.hold = asyncio.Event()

        def progress(name: str):
            def report(done: int, total: int | None) -> None:
                writing.add(name)
                if len(writing) == 2:
                    server.hold.set()

            return report

        # Two clients, two connection pools: two processes as far as the server and the cache can tell.
        first = BatchClient(ClientConfig(api_key=KEY, base_url=server.base_url))
        second = BatchClient(ClientConfig(api_key=KEY, base_url=server.base_url))
        async with first, second:
            results = await asyncio.gather(
                ensure_cached(first, file_id, progress("first")), ensure_cached(second, file_id, progress("second"))
            )
        assert server.content_requests() == 2
    path = cached_file(first.config, file_id)
    assert results == [(path, False), (path, False)]
    assert path.read_bytes() == CONTENT
    assert files_in(cache_dir) == [f"{file_id}.jsonl"]


async def test_temporary_files_a_killed_process_left_are_removed_after_an_hour(cache_dir):
    file_id = BATCH["output_file_id"]
    two_hours_ago = time.time() - 7_200
    stale = {".other.jsonl.k1lled.part", "older-version.jsonl.part"}
    kept = {".other.jsonl.l1ve.part", "finished.jsonl"}  # a download still writing; a whole file
    async with (
        FileServer(BATCH, CONTENT) as server,
        BatchClient(ClientConfig(api_key=KEY, base_url=server.base_url)) as client,
    ):
        folder = cached_file(client.config, file_id).parent
        folder.mkdir(parents=True)
        for name in stale | kept:
            (folder / name).write_bytes(b"{}\n")
        for name in stale | {"finished.jsonl"}:
            os.utime(folder / name, (two_hours_ago, two_hours_ago))
        await ensure_cached(client, file_id)
    assert files_in(cache_dir) == sorted(kept | {f"{file_id}.jsonl"})


def test_each_account_keeps_its_downloads_apart():
    # Gateways number their files: another server's file-1 is another file.
    here = ClientConfig(api_key=KEY, base_url="http://127.0.0.1:4000/v1")
    there = ClientConfig(api_key=KEY, base_url="http://127.0.0.1:4001/v1")
    other_project = ClientConfig(api_key=KEY, base_url="http://127.0.0.1:4000/v1", project="proj_b")
    paths = {cached_file(config, "file-1") for config in (here, there, other_project)}
    assert len(paths) == 3
    assert cached_file(ClientConfig(api_key="sk-another-key", base_url=here.base_url), "file-1") == cached_file(
        here, "file-1"
    )
