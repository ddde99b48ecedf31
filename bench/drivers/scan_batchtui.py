"""Index a result file the way the results view does: batchtui.jsonl.result_file.scan_result_file."""

import json
import sys
import time

from _memory import resident_kib

from batchtui.jsonl.result_file import scan_result_file

before = resident_kib()
started = time.perf_counter()
index = scan_result_file(sys.argv[1])
seconds = time.perf_counter() - started
after = resident_kib()
print(
    json.dumps(
        {
            "seconds": seconds,
            "lines": len(index),
            "rss_before_kib": before,
            "rss_after_kib": after,
            "peak_kib": resident_kib("VmHWM"),
        }
    )
)
