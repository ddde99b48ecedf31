"""Stream one file's content to disk with BatchClient.download_file."""

import asyncio
import json
import sys
import time

from _memory import resident_kib

from batchtui.api.client import BatchClient, ClientConfig


async def main(base_url: str, key: str, file_id: str, destination: str) -> None:
    async with BatchClient(ClientConfig(api_key=key, base_url=base_url)) as client:
        before = resident_kib()
        started = time.perf_counter()
        written = await client.download_file(file_id, destination)
        seconds = time.perf_counter() - started
    print(
        json.dumps({"seconds": seconds, "bytes": written, "rss_before_kib": before, "peak_kib": resident_kib("VmHWM")})
    )


asyncio.run(main(*sys.argv[1:5]))
