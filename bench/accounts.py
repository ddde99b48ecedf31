"""Simulated accounts the benchmarks need that the seeded demo does not give: nothing but finished batches,
or exactly k batches running on a given page.

Batches are taken from the simulator's own seeded account (so they look like the demo's) and added
back with `Simulator.add_batch`, which serves them verbatim: they never change on their own.

`python -m bench.accounts --terminal 300` serves such an account in its own process; `--index FILE`
serves the batches an index holds (bench/warm_index.py), and `--delay 0.4` answers every request
0.4 s late (the simulator's slow fault at a fixed delay and a rate of 1).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from batchtui.sim import SimConfig, Simulator
from batchtui.sim.faults import FaultConfig
from bench.environment import API_KEY

TERMINAL = {"completed", "failed", "expired", "cancelled"}
_CLEARED_WHEN_RUNNING = (
    "finalizing_at",
    "completed_at",
    "failed_at",
    "expired_at",
    "cancelling_at",
    "cancelled_at",
    "output_file_id",
    "error_file_id",
    "errors",
    "usage",
)


def finished_batches(count: int, seed: int = 7) -> list[dict]:
    """`count` terminal batches from a seeded account, newest first."""
    source = Simulator(SimConfig(seed=seed, batch_count=count + 32))
    batches = [batch for batch in source.batches() if batch["status"] in TERMINAL][:count]
    if len(batches) < count:
        raise ValueError(f"the seeded account had only {len(batches)} finished batches")
    return batches


def running(batch: dict, now: float) -> dict:
    """The same batch, seen while it is in progress."""
    copy = {**batch, **{name: None for name in _CLEARED_WHEN_RUNNING if name in batch}}
    total = (batch.get("request_counts") or {}).get("total") or 1000
    copy.update(
        status="in_progress",
        created_at=int(now - 900),
        in_progress_at=int(now - 880),
        expires_at=int(now - 900 + 86400),
        request_counts={"total": total, "completed": total // 3, "failed": 0},
    )
    return copy


def account(pages: int, page_size: int, active: dict[int, int], now: float | None = None) -> list[dict]:
    """`pages` pages of finished batches, newest first, with active[p] of them running on page p (1-based)."""
    now = time.time() if now is None else now
    batches = finished_batches(pages * page_size)
    for page, count in active.items():
        first = (page - 1) * page_size
        for index in range(first, first + count):
            batches[index] = running(batches[index], now)
    return batches


def load(simulator: Simulator, newest_first: list[dict]) -> None:
    # add_batch puts each one on top, so the oldest goes in first.
    for batch in reversed(newest_first):
        simulator.add_batch(batch)


def empty_simulator(delay: float = 0.0) -> Simulator:
    faults = FaultConfig.only(slow=1.0, slow_seconds=(delay, delay)) if delay > 0 else False
    return Simulator(SimConfig(batch_count=0, api_key=API_KEY, faults=faults))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.accounts")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--terminal", type=int, help="this many finished batches, nothing running")
    source.add_argument("--index", type=Path, help="the batches this index file holds (bench/warm_index.py)")
    parser.add_argument("--delay", type=float, default=0.0, help="answer every request this many seconds late")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    simulator = empty_simulator(args.delay)
    if args.index is not None:
        from bench.warm_index import raw_batches

        for raw in raw_batches(args.index):  # oldest first, as add_batch wants them
            simulator.add_batch(json.loads(raw))
    else:
        load(simulator, finished_batches(args.terminal))
    # Never outlives a forgotten run by more than an hour.
    simulator.serve_until_signalled("bench account serving", port=args.port, limit=3600)
    return 0


if __name__ == "__main__":
    sys.exit(main())
