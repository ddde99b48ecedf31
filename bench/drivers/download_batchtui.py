"""Stream one file's content to disk with BatchClient.download_file."""

import asyncio
import json
import sys
import time

from _memory import resident_kib

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.errors import NotFoundError


async def main(base_url: str, key: str, file_id: str, destination: str) -> None:
    async with BatchClient(ClientConfig(api_key=key, base_url=base_url)) as client:
        # In the app a download comes after the list requests that showed the batch. A fresh process's
        # first request also pays for httpx's lazy imports and the connection (~20 ms on loopback),
        # which would count as download time here; one request that 404s pays for them first.
        try:
            await client.download_file("file-warm-up-not-there", destination)
        except NotFoundError:
            pass
        before = resident_kib()
        started = time.perf_counter()
        written = await client.download_file(file_id, destination)
        seconds = time.perf_counter() - started
    print(
        json.dumps({"seconds": seconds, "bytes": written, "rss_before_kib": before, "peak_kib": resident_kib("VmHWM")})
    )


asyncio.run(main(*sys.argv[1:5]))
