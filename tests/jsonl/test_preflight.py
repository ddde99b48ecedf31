from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from batchtui.jsonl import line_reader, preflight
from batchtui.jsonl.limits import DEFAULT_LIMITS, InputLimits
from batchtui.jsonl.preflight import ProblemKind, check_input_file, count_embedding_inputs, detect_endpoint

CHAT = "/v1/chat/completions"


def chat(custom_id: str = "req-1", **overrides: Any) -> dict[str, Any]:
    request = {
        "custom_id": custom_id,
        "method": "POST",
        "url": CHAT,
        "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]},
    }
    request.update(overrides)
    return request


def embed(custom_id: str, inputs: Any) -> dict[str, Any]:
    return {
        "custom_id": custom_id,
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "text-embedding-3-small", "input": inputs},
    }


def without(request: dict[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in request.items() if name != key}


def test_a_valid_file_passes(write_jsonl):
    path = write_jsonl("ok.jsonl", [chat("a"), "", chat("b"), chat("c")])

    report = check_input_file(path)

    assert report.ok
    assert report.problems == [] and report.problem_counts == {} and report.total_problems == 0
    assert report.request_count == 3
    assert report.blank_lines == 1
    assert report.endpoint == CHAT
    assert report.model == "gpt-4o-mini"
    assert report.size_bytes == path.stat().st_size
    assert report.summary().startswith("OK: 3 requests to /v1/chat/completions (gpt-4o-mini)")


def test_crlf_line_endings_and_unicode_are_fine(tmp_path):
    path = tmp_path / "crlf.jsonl"
    path.write_bytes(json.dumps(chat("ünï")).encode() + b"\r\n" + json.dumps(chat("b")).encode())

    assert check_input_file(path).ok


@pytest.mark.parametrize(
    ("bad_line", "kind", "words"),
    [
        ('{"custom_id": "x", ', ProblemKind.INVALID_JSON, "invalid JSON"),
        ('{"custom_id": "x", "n": NaN}', ProblemKind.INVALID_JSON, "NaN"),
        ("[1, 2]", ProblemKind.NOT_AN_OBJECT, "found array"),
        ('"just a string"', ProblemKind.NOT_AN_OBJECT, "found string"),
        (without(chat(), "custom_id"), ProblemKind.MISSING_CUSTOM_ID, "missing custom_id"),
        (chat(custom_id=7), ProblemKind.MISSING_CUSTOM_ID, "must be a string, found number"),
        (chat(custom_id=""), ProblemKind.MISSING_CUSTOM_ID, "empty"),
        (chat("first"), ProblemKind.DUPLICATE_CUSTOM_ID, "already used on line 1"),
        (chat("x", method="GET"), ProblemKind.WRONG_METHOD, "'GET'"),
        (without(chat("x"), "method"), ProblemKind.WRONG_METHOD, "missing method"),
        (without(chat("x"), "url"), ProblemKind.MISSING_URL, "missing url"),
        (chat("x", url=None), ProblemKind.MISSING_URL, "found null"),
        (chat("x", url="/v1/embeddings"), ProblemKind.URL_MISMATCH, "'/v1/chat/completions' (line 1)"),
        (without(chat("x"), "body"), ProblemKind.MISSING_BODY, "missing body"),
        (chat("x", body="hello"), ProblemKind.MISSING_BODY, "found string"),
        (chat("x", body={"model": "gpt-4o", "messages": []}), ProblemKind.MODEL_MISMATCH, "'gpt-4o-mini' (line 1)"),
    ],
)
def test_each_rule_names_the_bad_line(write_jsonl, bad_line, kind, words):
    path = write_jsonl("bad.jsonl", [chat("first"), bad_line, chat("last")])

    report = check_input_file(path)

    assert not report.ok
    assert [(problem.line, problem.kind) for problem in report.problems] == [(2, kind)]
    assert words in report.problems[0].message
    assert report.problem_counts == {kind: 1}
    assert report.request_count == 3


def test_undecodable_bytes_are_reported_with_their_line(write_jsonl):
    path = write_jsonl("latin1.jsonl", [chat("a"), b'{"custom_id": "caf\xe9"}', chat("c")])

    report = check_input_file(path)

    assert [(problem.line, problem.kind) for problem in report.problems] == [(2, ProblemKind.NOT_UTF8)]
    assert "UTF-8" in report.problems[0].message


def test_a_line_with_several_problems_reports_each(write_jsonl):
    path = write_jsonl("bad.jsonl", [chat("a"), {"custom_id": "a", "method": "PUT"}])

    kinds = [problem.kind for problem in check_input_file(path).problems]

    assert kinds == [
        ProblemKind.DUPLICATE_CUSTOM_ID,
        ProblemKind.WRONG_METHOD,
        ProblemKind.MISSING_URL,
        ProblemKind.MISSING_BODY,
    ]


def test_the_endpoint_argument_wins_over_the_first_line(write_jsonl):
    path = write_jsonl("chat.jsonl", [chat("a"), chat("b")])

    report = check_input_file(path, "/v1/embeddings")

    assert report.endpoint == "/v1/embeddings"
    assert [(problem.line, problem.kind) for problem in report.problems] == [
        (1, ProblemKind.URL_MISMATCH),
        (2, ProblemKind.URL_MISMATCH),
    ]
    assert "the batch endpoint" in report.problems[0].message


def test_an_unsupported_endpoint_argument_is_a_file_problem(write_jsonl):
    path = write_jsonl("x.jsonl", [chat("a", url="/v1/audio/speech")])

    report = check_input_file(path, "/v1/audio/speech")

    assert [(problem.line, problem.kind) for problem in report.problems] == [(None, ProblemKind.UNSUPPORTED_ENDPOINT)]


def test_an_unsupported_url_on_the_first_line_is_reported_once(write_jsonl):
    path = write_jsonl("x.jsonl", [chat("a", url="/v1/audio/speech"), chat("b", url="/v1/audio/speech")])

    report = check_input_file(path)

    assert [(problem.line, problem.kind) for problem in report.problems] == [(1, ProblemKind.UNSUPPORTED_ENDPOINT)]
    assert "/v1/responses" in report.problems[0].message


def test_the_endpoint_comes_from_the_first_line_that_has_a_url(write_jsonl):
    path = write_jsonl("x.jsonl", [without(chat("a"), "url"), chat("b"), chat("c", url="/v1/responses")])

    report = check_input_file(path)

    assert report.endpoint == CHAT
    assert [(problem.line, problem.kind) for problem in report.problems] == [
        (1, ProblemKind.MISSING_URL),
        (3, ProblemKind.URL_MISMATCH),
    ]
    assert "(line 2)" in report.problems[1].message


def test_more_than_the_documented_request_limit_is_reported_once(tmp_path):
    path = tmp_path / "many.jsonl"
    line = '{{"custom_id":"r{}","method":"POST","url":"/v1/embeddings","body":{{"model":"m","input":"x"}}}}\n'
    with path.open("w") as file:
        file.writelines(line.format(number) for number in range(DEFAULT_LIMITS.max_requests + 1))

    report = check_input_file(path)

    assert report.request_count == 50_001
    assert report.problem_counts == {
        ProblemKind.TOO_MANY_REQUESTS: 1,
        ProblemKind.TOO_MANY_EMBEDDING_INPUTS: 1,
    }
    assert [problem.line for problem in report.problems] == [None, None]
    assert "50,001 requests" in report.problems[0].message


def test_request_limit_can_be_lowered(write_jsonl):
    path = write_jsonl("three.jsonl", [chat("a"), chat("b"), chat("c")])

    assert check_input_file(path, limits=InputLimits(max_requests=3)).ok
    report = check_input_file(path, limits=InputLimits(max_requests=2))
    assert report.problem_counts == {ProblemKind.TOO_MANY_REQUESTS: 1}
    assert "3 requests; a batch takes at most 2" in report.problems[0].message


def test_duplicates_are_still_found_past_the_request_limit(write_jsonl):
    path = write_jsonl("dup.jsonl", [chat("a"), chat("b"), chat("a")])

    report = check_input_file(path, limits=InputLimits(max_requests=1))

    assert report.problem_counts == {ProblemKind.DUPLICATE_CUSTOM_ID: 1, ProblemKind.TOO_MANY_REQUESTS: 1}


def test_embedding_inputs_are_counted_across_the_file(write_jsonl):
    rows = [embed("a", ["one", "two", "three"]), embed("b", "four"), embed("c", [1, 2, 3])]
    limits = InputLimits(max_embedding_inputs=5)

    assert check_input_file(write_jsonl("five.jsonl", rows), limits=limits).ok
    report = check_input_file(write_jsonl("six.jsonl", [*rows, embed("d", [[1, 2], [3]])]), limits=limits)
    assert report.problem_counts == {ProblemKind.TOO_MANY_EMBEDDING_INPUTS: 1}
    assert "7 embedding inputs" in report.problems[0].message


@pytest.mark.parametrize(
    ("value", "inputs"),
    [("text", 1), (["a", "b"], 2), ([1, 2, 3], 1), ([[1], [2, 3]], 2), ([], 0), (None, 0), (True, 0)],
)
def test_count_embedding_inputs(value, inputs):
    assert count_embedding_inputs(value) == inputs


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    path = tmp_path / "huge.jsonl"
    first = json.dumps(chat("a")).encode() + b"\n"
    with path.open("wb") as file:
        file.write(first)
        file.truncate(DEFAULT_LIMITS.max_file_bytes + 1)  # sparse: nothing written to disk

    report = check_input_file(path)

    assert [(problem.line, problem.kind) for problem in report.problems] == [(None, ProblemKind.FILE_TOO_LARGE)]
    assert "200.0 MB" in report.problems[0].message
    assert report.request_count is None
    assert report.size_bytes == DEFAULT_LIMITS.max_file_bytes + 1
    assert report.endpoint == CHAT


def test_size_limit_can_be_lowered(write_jsonl):
    path = write_jsonl("small.jsonl", [chat("a")])
    size = path.stat().st_size

    assert check_input_file(path, limits=InputLimits(max_file_bytes=size)).ok
    report = check_input_file(path, limits=InputLimits(max_file_bytes=size - 1))
    assert report.problem_counts == {ProblemKind.FILE_TOO_LARGE: 1}


@pytest.mark.parametrize(("content", "words"), [(b"", "nothing"), (b"\n  \r\n\n", "only blank lines")])
def test_an_empty_file_is_a_problem(tmp_path, content, words):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)

    report = check_input_file(path)

    assert report.problem_counts == {ProblemKind.EMPTY_FILE: 1}
    assert words in report.problems[0].message
    assert report.request_count == 0


def test_a_missing_path_is_a_report_not_an_exception(tmp_path):
    report = check_input_file(tmp_path / "nope.jsonl")

    assert [(problem.line, problem.kind) for problem in report.problems] == [(None, ProblemKind.FILE_NOT_FOUND)]
    assert report.request_count is None and report.size_bytes is None
    assert report.summary() == "1 problem: 1 file_not_found"


def test_a_directory_is_a_report_not_an_exception(tmp_path):
    report = check_input_file(tmp_path)

    assert report.problem_counts == {ProblemKind.NOT_A_FILE: 1}


def test_a_named_pipe_is_not_opened(tmp_path):
    # The suite runs on POSIX only (pseudo-terminals, signals), so the pipe is always there to make.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    assert check_input_file(fifo).problem_counts == {ProblemKind.NOT_A_FILE: 1}


def test_a_path_through_a_file_is_unreadable(write_jsonl):
    path = write_jsonl("x.jsonl", [chat("a")])

    report = check_input_file(path / "child.jsonl")

    assert report.problem_counts == {ProblemKind.UNREADABLE: 1}


def test_only_the_first_problems_are_listed_but_all_are_counted(write_jsonl):
    path = write_jsonl("bad.jsonl", ["not json"] * 10)

    report = check_input_file(path, max_problems_listed=3, limits=InputLimits(max_requests=5))

    assert report.total_problems == 11
    assert report.problem_counts == {ProblemKind.INVALID_JSON: 10, ProblemKind.TOO_MANY_REQUESTS: 1}
    # Whole-file problems are never crowded out by line problems.
    assert [problem.line for problem in report.problems] == [None, 1, 2, 3]
    assert report.summary() == "11 problems: 10 invalid_json, 1 too_many_requests"


def test_progress_is_reported_about_once_per_megabyte(tmp_path):
    path = tmp_path / "big.jsonl"
    line = json.dumps(chat("r", body={"model": "m", "pad": "x" * 1000})) + "\n"
    with path.open("w") as file:
        file.writelines(line.replace('"r"', f'"r{number}"') for number in range(2500))
    size = path.stat().st_size
    calls: list[tuple[int, int]] = []

    assert check_input_file(path, progress=lambda done, total: calls.append((done, total))).ok

    assert calls[-1] == (size, size)
    assert all(total == size for _, total in calls)
    done = [bytes_read for bytes_read, _ in calls]
    assert done == sorted(done)
    assert len(calls) <= size // line_reader.PROGRESS_STEP + 1
    assert all(later - earlier >= line_reader.PROGRESS_STEP for earlier, later in itertools.pairwise(done[:-1]))


def test_detect_endpoint_reads_the_first_request(write_jsonl, tmp_path):
    assert detect_endpoint(write_jsonl("a.jsonl", ["", "  ", chat("a", url="/v1/responses"), "garbage"])) == (
        "/v1/responses"
    )
    assert detect_endpoint(write_jsonl("b.jsonl", ["garbage", chat("a")])) is None
    assert detect_endpoint(write_jsonl("c.jsonl", [without(chat("a"), "url")])) is None
    assert detect_endpoint(write_jsonl("d.jsonl", [])) is None
    assert detect_endpoint(tmp_path / "missing.jsonl") is None
    assert detect_endpoint(tmp_path) is None


def test_detect_endpoint_gives_up_on_a_first_line_too_long_to_read(tmp_path: Path, monkeypatch):
    path = tmp_path / "x.jsonl"
    line = json.dumps(chat("a"))
    path.write_text(line + "\n")

    monkeypatch.setattr(preflight, "FIRST_LINE_LIMIT", len(line))
    assert detect_endpoint(path) == CHAT
    monkeypatch.setattr(preflight, "FIRST_LINE_LIMIT", len(line) - 1)
    assert detect_endpoint(path) is None


def padded(custom_id: str, size: int) -> bytes:
    """A valid chat request of exactly `size` bytes, without a line break."""
    empty = json.dumps(chat(custom_id, body={"model": "gpt-4o-mini", "pad": ""})).encode()
    return empty.replace(b'"pad": ""', b'"pad": "' + b"x" * (size - len(empty)) + b'"')


def test_a_line_over_the_line_limit_is_a_problem_of_its_own(write_jsonl):
    path = write_jsonl("long.jsonl", [chat("a"), padded("b", 5000), chat("a"), chat("c")])

    report = check_input_file(path, limits=InputLimits(max_line_bytes=1000))

    assert [(problem.line, problem.kind) for problem in report.problems] == [
        (2, ProblemKind.LINE_TOO_LONG),
        (3, ProblemKind.DUPLICATE_CUSTOM_ID),
    ]
    assert report.problems[0].message == "5.0 kB is longer than the 1.0 kB a request can be; too long to check"
    assert report.request_count == 4
    assert report.endpoint == CHAT and report.model == "gpt-4o-mini"
    assert report.summary() == "2 problems: 1 line_too_long, 1 duplicate_custom_id"


def test_a_line_just_over_the_limit_gives_its_exact_size(write_jsonl):
    path = write_jsonl("long.jsonl", [padded("a", 1001)])

    report = check_input_file(path, limits=InputLimits(max_line_bytes=1000))

    assert report.problems[0].message == "1,001 bytes is longer than the 1.0 kB a request can be; too long to check"


@pytest.mark.parametrize("line_break", [b"\n", b"\r\n", b""])
def test_a_line_as_long_as_the_limit_passes_whatever_its_line_break(tmp_path, line_break):
    path = tmp_path / "edge.jsonl"
    path.write_bytes(json.dumps(chat("a")).encode() + b"\n" + padded("b", 1000) + line_break)

    assert check_input_file(path, limits=InputLimits(max_line_bytes=1000)).ok
    report = check_input_file(path, limits=InputLimits(max_line_bytes=999))
    assert [(problem.line, problem.kind) for problem in report.problems] == [(2, ProblemKind.LINE_TOO_LONG)]


def test_a_valid_line_as_long_as_the_default_limit_passes(tmp_path):
    path = tmp_path / "near.jsonl"
    with path.open("wb") as file:
        file.write(json.dumps(chat("a")).encode() + b"\n")
        file.write(padded("b", DEFAULT_LIMITS.max_line_bytes) + b"\r\n")
        file.write(json.dumps(chat("c")).encode() + b"\n")

    report = check_input_file(path)

    assert report.ok, report.problems
    assert report.request_count == 3
    # Above the 50 MB payload OpenAI documents, so no request it accepts is refused here.
    assert DEFAULT_LIMITS.max_line_bytes > 50_000_000


def test_long_custom_ids_are_compared_whole(write_jsonl):
    shared = "x" * 200
    rows = [chat(shared + "1"), chat(shared + "2"), chat(shared + "1"), chat("\ud800" * 100), chat("\ud800" * 100)]

    report = check_input_file(write_jsonl("ids.jsonl", rows))

    assert [(problem.line, problem.kind) for problem in report.problems] == [
        (3, ProblemKind.DUPLICATE_CUSTOM_ID),
        (5, ProblemKind.DUPLICATE_CUSTOM_ID),
    ]
    assert "already used on line 1" in report.problems[0].message
    assert "already used on line 4" in report.problems[1].message
    assert all(len(problem.message) < 120 for problem in report.problems)


def test_huge_values_are_cut_in_messages(write_jsonl):
    huge = list(range(100_000))
    path = write_jsonl("huge.jsonl", [chat("a"), chat("b", method=huge, url="/v1/" + "x" * 10_000)])

    messages = [problem.message for problem in check_input_file(path).problems]

    assert len(messages) == 2
    assert messages[0].startswith("method is [0, 1, 2,") and len(messages[0]) < 100
    assert messages[1].startswith("url '/v1/xxx") and len(messages[1]) < 160
