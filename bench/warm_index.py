"""Indexes the way a finished history walk leaves them, built once and kept in bench/.cache.

An index here holds an account of finished batches (bench/accounts.py), recorded page by page
through the store's own planner and writes (`next_history_request`, `record_list_page`): the
visible page 1, then the backfill in pages of 100 until `has_more` is false, just as the app's walk
does, minus the network and the one-request-a-second pacing. The file is then the account's
source of truth: `python -m bench.accounts --index FILE` serves exactly the batches it holds, so
a batchtui started on a copy finds the server and its index in agreement.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import time
from pathlib import Path

from batchtui.store import index_path, open_index
from batchtui.store.planner import ListPage, Purpose, SyncState, next_history_request
from batchtui.store.schema import SCHEMA_VERSION
from batchtui.store.writes import record_list_page
from bench.environment import CACHE

# Bump when what is built here changes: older files are then rebuilt, not reused.
BUILD_VERSION = 1
VISIBLE_PAGE = 20  # the app's default page size: its page 1 is the first list page an index records


def cached_index(count: int, say=print) -> Path:
    """The index of an account of `count` finished batches, built on first use (100,000: about 30 s, 230 MB)."""
    folder = CACHE / f"index-v{BUILD_VERSION}-schema{SCHEMA_VERSION}"
    path = folder / f"finished-{count}.sqlite3"
    if path.exists():
        return path
    for stale in CACHE.glob("index-v*"):  # another version's files are never read again
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    say(f"building an index of {count:,} batches in {folder.relative_to(CACHE.parent.parent)} (once)")
    building = path.with_name(path.name + ".building")
    _remove(building)
    began = time.perf_counter()
    build(count, building)
    building.rename(path)
    say(f"built in {time.perf_counter() - began:.0f} s, {path.stat().st_size / 2**20:.0f} MiB")
    return path


def build(count: int, path: Path) -> None:
    # Imported here: making the account takes the simulator, which the runs that only read an index never need.
    from bench.accounts import finished_batches

    batches = finished_batches(count)
    positions = {batch["id"]: number for number, batch in enumerate(batches)}
    seen_at = time.time()

    def page(after: str | None, limit: int) -> dict:
        start = positions[after] + 1 if after is not None else 0
        data = batches[start : start + limit]
        last = data[-1]["id"] if data else None
        return {"object": "list", "data": data, "last_id": last, "has_more": start + limit < len(batches)}

    index = open_index(path, now=seen_at).index
    try:
        visible = ListPage(None, VISIBLE_PAGE, Purpose.VISIBLE)
        state, _ = record_list_page(index, SyncState(), visible, page(None, VISIBLE_PAGE), seen_at=seen_at)
        while (step := next_history_request(state, now=seen_at)) is not None:
            assert isinstance(step, ListPage)  # no Wait: nothing was sent, so nothing paces it
            state, _ = record_list_page(index, state, step, page(step.after, step.limit), seen_at=seen_at)
        if not state.history_complete:
            raise RuntimeError(f"the walk over {count} batches did not complete: {state}")
    finally:
        index.close()  # the last connection checkpoints the WAL into the file: one self-contained file


def install(source: Path, cache_dir: Path, base_url: str) -> Path:
    """A copy of `source` where batchtui looks for the index of `base_url` under BATCHTUI_CACHE_DIR=cache_dir."""
    target = index_path(cache_dir, base_url, None, None)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove(target)
    shutil.copyfile(source, target)
    return target


def raw_batches(path: Path) -> list[str]:
    """Every batch in the index as the server sent it (JSON text), oldest first."""
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        rows = connection.execute(
            "SELECT raw FROM batch_json JOIN batches USING (seq) ORDER BY created_at, seq"
        ).fetchall()
    finally:
        connection.close()
    return [raw for (raw,) in rows]


def newest_id(path: Path) -> str:
    """The batch the table shows first (sorted by created, newest first)."""
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        (batch_id,) = connection.execute("SELECT id FROM batches ORDER BY created_at DESC, seq DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    return batch_id


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
