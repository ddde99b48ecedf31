"""The floor for reading a result file: every line through json.loads, nothing kept."""

import json
import sys
import time

from _memory import resident_kib

before = resident_kib()
started = time.perf_counter()
lines = 0
with open(sys.argv[1], "rb") as file:
    for line in file:
        json.loads(line)
        lines += 1
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "lines": lines, "rss_before_kib": before, "peak_kib": resident_kib("VmHWM")}))
