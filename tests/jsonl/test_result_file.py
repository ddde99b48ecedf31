from __future__ import annotations

import json
from typing import Any

import pytest

from batchtui.jsonl.result_file import ErrorGroup, group_errors, scan_result_file, successful_custom_ids


def ok(custom_id: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"batch_req_{custom_id}",
        "custom_id": custom_id,
        "response": {"status_code": 200, "request_id": "req_1", "body": body},
        "error": None,
    }


def http_error(custom_id: str, status: int, code: str | None, message: str) -> dict[str, Any]:
    body = {"error": {"message": message, "type": "invalid_request_error", "param": None, "code": code}}
    return {
        "id": f"batch_req_{custom_id}",
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": "req_2", "body": body},
        "error": None,
    }


EXPIRED_MESSAGE = "This request could not be executed before the completion window expired."


def expired(custom_id: str) -> dict[str, Any]:
    return {
        "id": f"batch_req_{custom_id}",
        "custom_id": custom_id,
        "response": None,
        "error": {"code": "batch_expired", "message": EXPIRED_MESSAGE},
    }


def chat_completion(content: Any, **message: Any) -> dict[str, Any]:
    return {
        "object": "chat.completion",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content, **message}}],
    }


RESPONSE = {
    "object": "response",
    "status": "completed",
    "output": [
        {"type": "reasoning", "summary": []},
        {"type": "message", "content": [{"type": "output_text", "text": "Paris is the capital.", "annotations": []}]},
    ],
}
EMBEDDINGS = {
    "object": "list",
    "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3, 0.4]}] * 2,
    "model": "text-embedding-3-small",
}
TOOL_CALLS = chat_completion(None, tool_calls=[{"type": "function", "function": {"name": "get_weather"}}])
COMPLETION = {"object": "text_completion", "choices": [{"text": "\n\nonce upon a time"}]}
MODERATION = {
    "id": "modr-1",
    "model": "omni-moderation-latest",
    "results": [{"flagged": True, "categories": {"violence": True, "hate": False, "harassment": True}}],
}
IMAGES = {"created": 1, "data": [{"b64_json": "AAAA"}, {"b64_json": "BBBB"}]}


@pytest.fixture
def output_file(write_jsonl):
    return write_jsonl(
        "output.jsonl",
        [
            ok("chat", chat_completion("Hello\n\tworld")),
            ok("tools", TOOL_CALLS),
            "",
            ok("resp", RESPONSE),
            ok("embed", EMBEDDINGS),
            ok("long", chat_completion("word " * 100)),
            "this is {not json",
            "[1, 2]",
            ok("completion", COMPLETION),
            ok("moderation", MODERATION),
            ok("images", IMAGES),
            ok("unknown", {"object": "thing.nobody.knows"}),
        ],
    )


@pytest.fixture
def error_file(write_jsonl):
    return write_jsonl(
        "errors.jsonl",
        [
            http_error("e1", 429, "rate_limit_exceeded", "Slow down"),
            expired("x1"),
            http_error("e2", 500, None, "The server had an error"),
            http_error("e3", 429, "rate_limit_exceeded", "Slow down"),
            expired("x2"),
            http_error("e4", 429, "rate_limit_exceeded", "Slow down"),
            {"custom_id": "html", "response": {"status_code": 502, "body": "<html>\n<b>Bad gateway</b></html>"}},
        ],
    )


def test_summaries_for_each_kind_of_result(output_file):
    index = scan_result_file(output_file)

    summaries = {line.custom_id: line.summary for line in index if line.parsed}
    assert summaries == {
        "chat": "Hello world",
        "tools": "tool calls: get_weather",
        "resp": "Paris is the capital.",
        "embed": "2 embeddings × 4 dims",
        "long": summaries["long"],
        "completion": "once upon a time",
        "moderation": "flagged: harassment, violence",
        "images": "2 images",
        "unknown": "thing.nobody.knows (no summary for this kind of body)",
    }
    assert len(summaries["long"]) == 200 and summaries["long"].endswith("…")
    assert all(line.status_code == 200 and line.succeeded and not line.failed for line in index if line.parsed)


def test_malformed_lines_become_entries(output_file):
    index = scan_result_file(output_file)

    broken = [line for line in index if not line.parsed]
    assert [line.line_number for line in broken] == [7, 8]
    assert all(line.custom_id is None and line.status_code is None for line in broken)
    assert broken[0].summary.startswith("unparseable line: invalid JSON")
    assert broken[1].summary == "unparseable line: JSON array, not an object"
    assert not broken[0].succeeded and not broken[0].failed


def test_blank_lines_are_skipped_but_line_numbers_match_the_file(output_file):
    index = scan_result_file(output_file)

    assert len(index) == 11
    assert [line.line_number for line in index][:4] == [1, 2, 4, 5]


def test_error_lines(error_file):
    index = scan_result_file(error_file)

    rate_limited, batch_expired, server_error = index[0], index[1], index[2]
    assert (rate_limited.status_code, rate_limited.error_code, rate_limited.error_message) == (
        429,
        "rate_limit_exceeded",
        "Slow down",
    )
    assert rate_limited.summary == "HTTP 429 rate_limit_exceeded: Slow down"
    assert (batch_expired.status_code, batch_expired.error_code) == (None, "batch_expired")
    assert batch_expired.summary.startswith("batch_expired: This request could not be executed")
    # With no code, the error type names the failure.
    assert server_error.error_code == "invalid_request_error"
    assert index[6].error_code == "http_502"
    assert index[6].summary == "HTTP 502 http_502: <html> <b>Bad gateway</b></html>"
    assert all(line.failed and not line.succeeded for line in index)


def test_read_full_returns_the_line_found_by_its_offset(output_file):
    index = scan_result_file(output_file)
    lines = output_file.read_bytes().splitlines(keepends=True)

    assert index.read_full(3) == ok("embed", EMBEDDINGS)
    assert index.read_full(index[0]) == ok("chat", chat_completion("Hello\n\tworld"))
    for entry in index:
        assert index.read_raw(entry) == lines[entry.line_number - 1]
        assert output_file.read_bytes()[entry.byte_offset :].startswith(lines[entry.line_number - 1])


def test_read_full_of_a_malformed_line_raises_value_error(output_file):
    index = scan_result_file(output_file)

    with pytest.raises(ValueError, match="invalid JSON"):
        index.read_full(5)
    with pytest.raises(ValueError, match="found array"):
        index.read_full(6)


def test_filter_matches_custom_id_or_summary_ignoring_case(output_file):
    index = scan_result_file(output_file)

    assert [line.custom_id for line in index.filter("PARIS")] == ["resp"]
    assert [line.custom_id for line in index.filter("Embed")] == ["embed"]
    assert [line.line_number for line in index.filter("unparseable")] == [7, 8]
    assert index.filter("") == index.lines
    assert index.filter("no such text") == []


def test_group_errors_most_common_first(error_file, output_file):
    groups = group_errors(scan_result_file(error_file))

    assert groups == [
        ErrorGroup("rate_limit_exceeded", "Slow down", 3, ["e1", "e3", "e4"]),
        ErrorGroup("batch_expired", EXPIRED_MESSAGE, 2, ["x1", "x2"]),
        ErrorGroup("invalid_request_error", "The server had an error", 1, ["e2"]),
        ErrorGroup("http_502", "<html> <b>Bad gateway</b></html>", 1, ["html"]),
    ]
    assert group_errors(scan_result_file(output_file)) == []


def test_group_errors_keeps_a_few_examples(write_jsonl):
    path = write_jsonl("e.jsonl", [expired(f"x{number}") for number in range(20)])

    (group,) = group_errors(scan_result_file(path))

    assert group.count == 20
    assert group.example_custom_ids == ["x0", "x1", "x2", "x3", "x4"]


def test_an_error_without_an_http_status_uses_the_top_level_error(write_jsonl):
    path = write_jsonl(
        "e.jsonl",
        [
            {"custom_id": "a", "response": None, "error": {"message": "no code here"}},
            {"custom_id": "b", "response": None, "error": "plain text"},
            {"custom_id": "c", "response": None, "error": None},
        ],
    )

    index = scan_result_file(path)

    assert [(line.error_code, line.error_message) for line in index] == [
        ("error", "no code here"),
        ("error", "plain text"),
        (None, None),
    ]
    assert index[2].summary == "no response and no error"


def test_successful_custom_ids_only_counts_2xx(write_jsonl, output_file, error_file):
    accepted = write_jsonl("x.jsonl", [{"custom_id": "accepted", "response": {"status_code": 202, "body": {}}}])

    assert successful_custom_ids([output_file, error_file, accepted]) == {
        "chat",
        "tools",
        "resp",
        "embed",
        "long",
        "completion",
        "moderation",
        "images",
        "unknown",
        "accepted",
    }


def test_progress_ends_at_the_file_size(output_file):
    calls: list[tuple[int, int]] = []

    scan_result_file(output_file, progress=lambda done, total: calls.append((done, total)))

    size = output_file.stat().st_size
    assert calls == [(size, size)]


def test_a_missing_result_file_raises_os_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        scan_result_file(tmp_path / "missing.jsonl")


def test_non_utf8_result_line(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'{"custom_id": "\xff"}\n' + json.dumps(expired("ok")).encode())

    index = scan_result_file(path)

    assert index[0].summary.startswith("unparseable line: not valid UTF-8")
    assert index[1].custom_id == "ok"


def test_a_2xx_response_is_a_success_even_with_a_stray_error(write_jsonl):
    record = {**ok("a", chat_completion("fine")), "error": {"code": "odd", "message": "ignored"}}

    (line,) = scan_result_file(write_jsonl("x.jsonl", [record]))

    assert (line.succeeded, line.failed, line.error_code, line.summary) == (True, False, None, "fine")
