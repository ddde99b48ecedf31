"""Fill an empty index from the server as the app does: History.walk with the real BatchClient, until every batch is in.

argv: BASE_URL KEY INDEX_FILE paced|unpaced. Paced is the app as it runs (at most one request a
second, asyncio.sleep on the system clock); unpaced hands the walk a sleep that returns at once and
a clock that jumps over the time it asked to wait, so what is left is the requests and the writes.
"""

import asyncio
import json
import sys
import time
from pathlib import Path

from _memory import resident_kib

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.clock import SystemClock
from batchtui.ui.history import History

DEADLINE_SECONDS = 900.0


class SkippingClock:
    """The system clock, moved on by every wait instead of waiting."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def now(self) -> float:
        return time.time() + self.skipped

    async def sleep(self, seconds: float) -> None:
        self.skipped += max(0.0, seconds)
        await asyncio.sleep(0)


async def main(base_url: str, key: str, index_file: str, pacing: str) -> None:
    history = History(Path(index_file))
    if pacing == "paced":
        clock, sleep = SystemClock(), asyncio.sleep
    else:
        clock = SkippingClock()
        sleep = clock.sleep
    complete = asyncio.Event()
    failures = []

    def changed() -> None:
        if history.walk_error:
            failures.append(history.walk_error)
        if history.state.history_complete:
            complete.set()

    async with BatchClient(ClientConfig(api_key=key, base_url=base_url)) as client:
        await history.open(clock.now())
        before = resident_kib()
        started = time.perf_counter()
        # The screen's walk_history does the same, with the client's no-retry twin.
        walk = asyncio.create_task(
            history.walk(client.background(), clock, sleep=sleep, wake=asyncio.Event(), changed=changed)
        )
        finished = asyncio.create_task(complete.wait())
        await asyncio.wait({walk, finished}, timeout=DEADLINE_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        seconds = time.perf_counter() - started
        for task in (walk, finished):
            task.cancel()
        await asyncio.gather(walk, finished, return_exceptions=True)
        indexed = history.indexed
        await history.close()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "batches": indexed,
                "complete": complete.is_set(),
                "failures": failures,
                "rss_before_kib": before,
                "peak_kib": resident_kib("VmHWM"),
            }
        )
    )


asyncio.run(main(*sys.argv[1:5]))
