"""The create form's own checks: the spec's limits, each broken one named in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from batchtui.ui.batch_form import format_metadata, parse_expiry, parse_form, parse_metadata, parse_window


@pytest.mark.parametrize(("text", "window"), [("24h", "24h"), (" 48h ", "48h"), ("7d", "7d"), ("72 h", "72h")])
def test_windows_in_hours_or_days_are_accepted(text, window):
    assert parse_window(text) == (window, None)


@pytest.mark.parametrize("text", ["", "24", "0h", "1w", "-24h", "24hours", "1.5d"])
def test_other_windows_are_refused_with_an_example(text):
    window, problem = parse_window(text)
    assert window is None
    assert "like 24h, 48h or 7d" in problem


def test_metadata_pairs_split_on_the_first_equals_sign():
    pairs, problems = parse_metadata("project=search\n\nquery=a=b\n  owner = dana")
    assert problems == []
    assert pairs == {"project": "search", "query": "a=b", "owner": "dana"}
    assert parse_metadata(format_metadata(pairs)) == (pairs, [])


def test_metadata_at_the_limits_is_accepted():
    text = "\n".join(f"{'k' * 62}{i:02d}={'v' * 512}" for i in range(16))
    pairs, problems = parse_metadata(text)
    assert problems == [] and len(pairs) == 16


def test_each_metadata_mistake_is_named_with_its_line():
    text = "\n".join(["ok=1", "no separator", "=empty key", "k" * 65 + "=x", "long=" + "v" * 513, "ok=2"])
    _, problems = parse_metadata(text)
    assert problems == [
        "Metadata line 2: no '=' in it; write key=value.",
        "Metadata line 3: the key is empty.",
        "Metadata line 4: the key is 65 characters; keys are at most 64.",
        "Metadata line 5: the value is 513 characters; values are at most 512.",
        "Metadata line 6: the key 'ok' is already used above.",
    ]


def test_seventeen_pairs_are_one_too_many():
    _, problems = parse_metadata("\n".join(f"k{i}=v" for i in range(17)))
    assert problems == ["Metadata: 17 pairs; a batch takes at most 16."]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("", None), ("3600", 3600), ("2592000", 2592000), ("12h", 43200), ("30d", 2592000), ("90m", 5400)],
)
def test_expiry_in_seconds_or_with_a_unit(text, seconds):
    assert parse_expiry(text) == (seconds, None)


@pytest.mark.parametrize(
    ("text", "shown"), [("3599", "3,599 seconds"), ("31d", "2,678,400 seconds"), ("0", "0 seconds")]
)
def test_expiry_out_of_range_says_the_range(text, shown):
    seconds, problem = parse_expiry(text)
    assert seconds is None
    assert problem.startswith(f"Output expiry: {shown} is out of range")
    assert "between 3,600 (1 hour) and 2,592,000 seconds (30 days), or empty" in problem


def test_expiry_that_is_not_a_number():
    assert "is not a number of seconds" in parse_expiry("soon")[1]


def test_the_form_collects_every_problem_at_once():
    form, problems = parse_form("", None, "1w", "x", "1")
    assert form is None
    assert [problem.split(":")[0] for problem in problems] == [
        "Input file",
        "Completion window",
        "Metadata line 1",
        "Output expiry",
    ]


def test_a_good_form_becomes_a_request(tmp_path):
    form, problems = parse_form("~/in.jsonl", "/v1/embeddings", "24h", "a=b", "")
    assert problems == []
    assert form.path == Path("~/in.jsonl").expanduser()
    assert (form.endpoint, form.completion_window, form.metadata, form.output_expires_after) == (
        "/v1/embeddings",
        "24h",
        {"a": "b"},
        None,
    )
