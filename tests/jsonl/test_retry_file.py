from __future__ import annotations

import json
from typing import Any

import pytest

from batchtui.jsonl.retry_file import build_retry_file


def request(custom_id: str) -> bytes:
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Say {custom_id} ✓"}]}
    return json.dumps({"custom_id": custom_id, "method": "POST", "url": "/v1/chat/completions", "body": body}).encode()


def result(custom_id: str, status: int | None = 200, error: Any = None) -> dict[str, Any]:
    response = None if status is None else {"status_code": status, "body": {"object": "chat.completion"}}
    return {"custom_id": custom_id, "response": response, "error": error}


@pytest.fixture
def batch(tmp_path, write_jsonl):
    lines = {
        "ok": request("ok") + b"\n",
        "rate": request("rate") + b"\r\n",  # byte for byte, CRLF included
        "gone": request("gone") + b"\n",
        "never": request("never") + b"\n",
        "late-ok": request("late-ok") + b"\n",
        "crash": request("crash") + b"\n",
        "bad": request("bad") + b"\n",
        "cancelled": request("cancelled"),  # no newline at the end of the file
    }
    input_path = tmp_path / "input.jsonl"
    rest = b"".join(list(lines.values())[3:])
    input_path.write_bytes(lines["ok"] + lines["rate"] + b"\n" + lines["gone"] + b"{oops\n" + rest)
    output = write_jsonl("output.jsonl", [result("ok"), result("late-ok"), "garbage"])
    errors = write_jsonl(
        "errors.jsonl",
        [
            result("rate", 429),
            result("gone", None, {"code": "batch_expired", "message": "expired"}),
            result("late-ok", 500),
            result("crash", 500),
            result("bad", 400),
            result("cancelled", None, {"code": "batch_cancelled", "message": "cancelled"}),
        ],
    )
    return input_path, output, errors, lines


def test_retry_file_holds_exactly_the_unfinished_lines_byte_for_byte(tmp_path, batch):
    input_path, output, errors, lines = batch
    dest = tmp_path / "retry.jsonl"

    report = build_retry_file(input_path, [output], [errors], dest)

    expected = ["rate", "gone", "never", "crash", "bad", "cancelled"]
    assert dest.read_bytes() == b"".join(lines[custom_id] for custom_id in expected)
    assert report.input_requests == 9
    assert report.succeeded == 2
    assert report.included == 6
    assert report.failed_by_status == {400: 1, 429: 1, 500: 1}
    assert report.expired == 1
    assert report.failed_by_error == {"batch_cancelled": 1}
    assert report.no_result == 1
    assert report.unreadable_input_lines == 1
    assert report.dest_path == str(dest)
    assert report.summary() == (
        "6 of 9 requests to retry (HTTP 400: 1, HTTP 429: 1, HTTP 500: 1, expired: 1, batch_cancelled: 1,"
        " no result: 1); 2 succeeded; 1 unreadable input lines left out"
    )


def test_with_no_results_everything_is_retried(tmp_path, batch):
    input_path, _, _, _ = batch
    dest = tmp_path / "retry.jsonl"

    report = build_retry_file(input_path, [], [], dest)

    assert report.included == report.no_result == 8
    assert dest.read_bytes() == input_path.read_bytes().replace(b"\n\n", b"\n").replace(b"{oops\n", b"")


def test_when_everything_succeeded_the_retry_file_is_empty(tmp_path, write_jsonl):
    input_path = write_jsonl("in.jsonl", [request("a"), request("b")])
    output = write_jsonl("out.jsonl", [result("b"), result("a")])
    dest = tmp_path / "retry.jsonl"

    report = build_retry_file(input_path, [output], [], dest)

    assert (report.included, report.succeeded) == (0, 2)
    assert dest.read_bytes() == b""
    assert report.summary() == "0 of 2 requests to retry; 2 succeeded"


def test_an_existing_destination_is_kept_unless_overwrite(tmp_path, batch):
    input_path, output, errors, _ = batch
    dest = tmp_path / "retry.jsonl"
    dest.write_bytes(b"precious")

    with pytest.raises(FileExistsError):
        build_retry_file(input_path, [output], [errors], dest)
    assert dest.read_bytes() == b"precious"

    assert build_retry_file(input_path, [output], [errors], dest, overwrite=True).included == 6
    assert dest.read_bytes() != b"precious"
    leftovers = sorted(path.name for path in tmp_path.iterdir())
    assert leftovers == ["errors.jsonl", "input.jsonl", "output.jsonl", "retry.jsonl"]
