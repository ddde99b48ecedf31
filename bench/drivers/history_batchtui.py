"""Walk the whole batch history through batchtui's service layer: BatchClient.iter_batches(limit=100)."""

import asyncio
import json
import sys
import time

from _memory import resident_kib

from batchtui.api.client import BatchClient, ClientConfig


async def main(base_url: str, key: str, limit: int) -> None:
    async with BatchClient(ClientConfig(api_key=key, base_url=base_url)) as client:
        before = resident_kib()
        started = time.perf_counter()
        count = pages = 0
        async for page in client.iter_batches(limit=limit):
            pages += 1
            count += len(page.data)
        seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "batches": count,
                "pages": pages,
                "rss_before_kib": before,
                "peak_kib": resident_kib("VmHWM"),
            }
        )
    )


asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
