"""How long a search takes on an index of 100,000 batches: p50 and p99 per kind of query.

A measurement, not a test (timings on a shared machine make flaky asserts):
    .venv/bin/python -m tests.store.search_timings [--rows 100000] [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from batchtui.store import Index, open_index, parse_query, save_batches, search
from batchtui.store.reads import active_batches
from batchtui.store.searching import Sort
from tests.support.batches import long_history

NOW = 1_800_000_000

QUERIES = {
    "everything": "",
    "one letter": "a",
    "metadata word": "apollo",
    "rare word": "zebra",
    "id prefix": "batch_00042",
    "status": "status:failed",
    "status list": "status:failed,expired",
    "active": "is:active",
    "model": "model:gpt-4.1",
    "endpoint": "endpoint:embeddings",
    "metadata pair": "project=apollo",
    "created age": "created:<7d",
    "created date": "created:>2026-11-01",
    "negated word": "-apollo",
    "combined": "apollo status:completed created:<30d -model:gpt-4o",
    "hostile": 'AND " * - : NEAR( OR',
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="build the index at this path once and reuse it on later runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        path = args.keep or Path(directory) / "index.sqlite3"
        fresh = not path.exists()
        index = open_index(path).index
        if fresh:
            _fill(index, args.rows)
        print(f"{'query':<16} {'sort':<9} {'matching':>9} {'p50 ms':>8} {'p99 ms':>8}")
        for name, text in QUERIES.items():
            for sort in Sort if name in ("everything", "metadata word") else (Sort.CREATED,):
                _measure(index, name, text, sort, args.runs)
        _measure(index, "deep page", "", Sort.CREATED, args.runs, offset=args.rows - 100)
        _measure_writes(index, args.runs)
        _measure_call("active batches", lambda: len(active_batches(index)), 20)
        _measure_call("open the index", lambda: _open_and_close(path), 20)
        index.close()


def _fill(index: Index, rows: int) -> None:
    started = time.perf_counter()
    batches = long_history(rows, now=NOW)
    # Pages of 100, as the backfill writes them.
    for start in range(0, len(batches), 100):
        save_batches(index, batches[start : start + 100], seen_at=NOW)
    print(f"indexed {rows:,} batches in {time.perf_counter() - started:.1f} s")


def _measure(index: Index, name: str, text: str, sort: Sort, runs: int, offset: int = 0) -> None:
    timings = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        # Parsing is part of a keystroke's cost, so it is inside the timing.
        result = search(index, parse_query(text), now=NOW, sort=sort, limit=50, offset=offset)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    matching = result.matching if result else 0
    print(f"{name:<16} {sort.value:<9} {matching:>9,} {statistics.median(timings):>8.2f} {p99:>8.2f}")


def _open_and_close(path: Path) -> int:
    open_index(path).index.close()
    return 0


def _measure_call(name: str, call: Callable[[], int], runs: int) -> None:
    timings = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        size = call()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{name:<16} {'-':<9} {size:>9,} {statistics.median(timings):>8.2f} {p99:>8.2f}")


def _measure_writes(index: Index, runs: int) -> None:
    """A backfill step: one page of 100 batches the index already holds, with new counts."""
    pages = [long_history(100, now=NOW, seed=11) for _ in range(2)]
    timings = []
    for run in range(min(runs, 50)):
        page = pages[run % 2]
        started = time.perf_counter()
        save_batches(index, page, seen_at=NOW + run + 1)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]
    print(f"{'write 100':<16} {'-':<9} {100:>9,} {statistics.median(timings):>8.2f} {p99:>8.2f}")


if __name__ == "__main__":
    main()
