"""Whatever bytes a file holds, checking and scanning it must report, never raise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from batchtui.jsonl import line_reader
from batchtui.jsonl.limits import InputLimits
from batchtui.jsonl.preflight import ProblemKind, check_input_file
from batchtui.jsonl.result_file import group_errors, scan_result_file

# Names the readers look for, so generated objects reach deep into their branches.
KEYS = [
    "custom_id", "method", "url", "body", "model", "input", "response", "status_code", "error", "code",
    "message", "type", "object", "choices", "content", "refusal", "tool_calls", "function", "name", "output",
    "output_text", "text", "status", "incomplete_details", "reason", "data", "embedding", "results", "flagged",
    "categories", "revised_prompt", "id",
]  # fmt: skip
VALUES = [
    "POST", "/v1/chat/completions", "/v1/embeddings", "chat.completion", "response", "text_completion",
    "list", "video", "message", "function_call", "incomplete", "batch_expired",
]  # fmt: skip

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-1000, max_value=1000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(VALUES)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=30,
)
json_lines = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8).map(lambda obj: json.dumps(obj).encode())
result_lines = st.fixed_dictionaries(
    {
        "custom_id": json_values,
        "response": st.none() | st.fixed_dictionaries({"status_code": st.integers(100, 600), "body": json_values}),
        "error": json_values,
    }
).map(lambda value: json.dumps(value).encode())
any_lines = st.lists(st.binary(max_size=60) | json_lines | result_lines, max_size=12)
fixture_reuse = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(path: Path, lines: list[bytes]) -> Path:
    path.write_bytes(b"\n".join(lines))
    return path


@fixture_reuse
@given(lines=any_lines)
def test_check_input_file_never_raises(tmp_path, lines):
    report = check_input_file(write(tmp_path / "input.jsonl", lines), max_problems_listed=5)

    assert report.ok == (report.total_problems == 0)
    assert len(report.problems) <= report.total_problems
    assert all(problem.line is None or problem.line >= 1 for problem in report.problems)
    assert report.summary()


@fixture_reuse
@given(lines=any_lines, max_line_bytes=st.integers(0, 80), chunk=st.integers(1, 16))
def test_check_input_file_never_raises_on_lines_too_long_to_check(tmp_path, lines, max_line_bytes, chunk):
    path = write(tmp_path / "input.jsonl", lines)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(line_reader, "READ_CHUNK_BYTES", chunk)
        report = check_input_file(path, max_problems_listed=5, limits=InputLimits(max_line_bytes=max_line_bytes))

    *ended, last = path.read_bytes().split(b"\n")
    lengths = [len(line.removesuffix(b"\r")) for line in ended] + [len(last)]
    assert report.problem_counts.get(ProblemKind.LINE_TOO_LONG, 0) == sum(n > max_line_bytes for n in lengths)
    assert report.summary()


@fixture_reuse
@given(lines=any_lines)
def test_scan_result_file_never_raises(tmp_path, lines):
    path = write(tmp_path / "output.jsonl", lines)

    index = scan_result_file(path)
    group_errors(index)

    content = path.read_bytes()
    for entry in index:
        assert len(entry.summary) <= 200 and "\n" not in entry.summary
        assert content[entry.byte_offset :].startswith(index.read_raw(entry))
        if entry.parsed:
            assert index.read_full(entry) == json.loads(index.read_raw(entry))
