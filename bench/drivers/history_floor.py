"""The floor for walking the history: one keep-alive http.client connection and json.loads, nothing else."""

import http.client
import json
import sys
import time
from urllib.parse import urlsplit

from _memory import resident_kib

base_url, key, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
url = urlsplit(base_url)
before = resident_kib()
started = time.perf_counter()
connection = http.client.HTTPConnection(url.hostname, url.port)
count, after = 0, None
for _ in range(100_000):  # bounded: far more pages than any account here has
    query = f"limit={limit}" + (f"&after={after}" if after else "")
    connection.request("GET", f"{url.path}/batches?{query}", headers={"Authorization": f"Bearer {key}"})
    page = json.loads(connection.getresponse().read())
    count += len(page["data"])
    if not page["has_more"]:
        break
    after = page["data"][-1]["id"]
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "batches": count, "rss_before_kib": before, "peak_kib": resident_kib("VmHWM")}))
