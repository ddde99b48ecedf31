"""The pre-flight's peak memory does not follow the length of a line: measured in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, BinaryIO

REPO = Path(__file__).parents[2]
CHAT = "/v1/chat/completions"
LONG_LINE_BYTES = 60_000_000
# Far below the line: reading in chunks costs a few MB, holding the line would cost 60 MB or more.
MOST_EXTRA_MEMORY = 20 * 1024 * 1024

PROBE = """
import json, resource, sys
from batchtui.jsonl.preflight import check_input_file, detect_endpoint
report = check_input_file(sys.argv[1])
endpoint = detect_endpoint(sys.argv[1])
print(json.dumps({
    "peak_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "problems": [[problem.line, problem.kind] for problem in report.problems],
    "request_count": report.request_count,
    "endpoint": report.endpoint,
    "detected": endpoint,
}))
"""


def request(custom_id: str) -> bytes:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": CHAT, "body": body}).encode()


def write_long_request(file: BinaryIO, custom_id: str, size: int) -> None:
    """A well-formed request of `size` bytes, written a megabyte at a time."""
    head, tail = request(custom_id).split(b'"Hi"')
    file.write(head + b'"')
    left = size - len(head) - len(tail) - 2
    chunk = b"x" * 1024 * 1024
    while left > 0:
        file.write(chunk[:left])
        left -= len(chunk)
    file.write(b'"' + tail)


def run_probe(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True, cwd=REPO
    )
    probe: dict[str, Any] = json.loads(result.stdout)
    return probe


def extra_memory(probe: dict[str, Any], tmp_path: Path) -> int:
    """How much more the probe's peak was than the baseline's."""
    return int(probe["peak_bytes"]) - baseline(tmp_path)


def baseline(tmp_path: Path) -> int:
    """The peak of the same interpreter checking a one-line file: imports and all."""
    path = tmp_path / "tiny.jsonl"
    path.write_bytes(request("a") + b"\n")
    probe = run_probe(path)
    assert probe["problems"] == []
    return int(probe["peak_bytes"])


def test_a_file_that_is_one_long_line_is_checked_in_bounded_memory(tmp_path):
    path = tmp_path / "one-line.jsonl"
    with path.open("wb") as file:
        write_long_request(file, "big", LONG_LINE_BYTES)
    assert path.stat().st_size == LONG_LINE_BYTES

    probe = run_probe(path)

    assert probe["problems"] == [[1, "line_too_long"]]
    assert probe["request_count"] == 1
    assert probe["endpoint"] is None and probe["detected"] is None
    extra = extra_memory(probe, tmp_path)
    assert extra < MOST_EXTRA_MEMORY, f"{extra / 1e6:.1f} MB over the baseline"


def test_a_long_line_among_valid_ones_is_skipped_and_the_rest_checked(tmp_path):
    path = tmp_path / "mixed.jsonl"
    with path.open("wb") as file:
        file.write(request("a") + b"\n" + request("b") + b"\n")
        write_long_request(file, "long", LONG_LINE_BYTES)
        file.write(b"\n" + request("a") + b"\n" + request("c") + b"\n")

    probe = run_probe(path)

    assert probe["problems"] == [[3, "line_too_long"], [4, "duplicate_custom_id"]]
    assert probe["request_count"] == 5
    assert probe["endpoint"] == CHAT and probe["detected"] == CHAT
    extra = extra_memory(probe, tmp_path)
    assert extra < MOST_EXTRA_MEMORY, f"{extra / 1e6:.1f} MB over the baseline"
