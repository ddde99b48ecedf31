"""Walk the whole batch history with the official SDK's auto-paging list, sync or async."""

import asyncio
import json
import sys
import time

from _memory import resident_kib
from openai import AsyncOpenAI, OpenAI


def sync_walk(base_url: str, key: str, limit: int) -> tuple[float, int, int]:
    client = OpenAI(base_url=base_url, api_key=key)
    before = resident_kib()
    started = time.perf_counter()
    count = sum(1 for _ in client.batches.list(limit=limit))
    return time.perf_counter() - started, count, before


async def async_walk(base_url: str, key: str, limit: int) -> tuple[float, int, int]:
    client = AsyncOpenAI(base_url=base_url, api_key=key)
    before = resident_kib()
    started = time.perf_counter()
    count = 0
    async for _ in client.batches.list(limit=limit):
        count += 1
    seconds = time.perf_counter() - started
    await client.close()
    return seconds, count, before


mode, base_url, key, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
if mode == "sync":
    seconds, count, before = sync_walk(base_url, key, limit)
else:
    seconds, count, before = asyncio.run(async_walk(base_url, key, limit))
print(json.dumps({"seconds": seconds, "batches": count, "rss_before_kib": before, "peak_kib": resident_kib("VmHWM")}))
