"""The Batch, BatchPage and FileObject models: strict where the API is, lenient everywhere else."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from batchtui.api.lenient import normalise_status, parse_timestamp
from batchtui.api.models import Batch, BatchPage, FileObject, RequestCounts
from tests.support.batches import NOW, OPTIONAL_FIELDS, REQUIRED_FIELDS, batch_json

REQUIRED = REQUIRED_FIELDS
OPTIONAL = OPTIONAL_FIELDS


def test_a_minimal_batch_reads() -> None:
    batch = Batch.model_validate(batch_json())
    assert (batch.id, batch.status, batch.created_at) == ("batch_1", "in_progress", NOW)
    assert batch.is_cancellable and not batch.is_terminal and batch.is_known_status


@pytest.mark.parametrize("field", [f for f in REQUIRED if f != "object"])
def test_each_required_field_is_required(field: str) -> None:
    payload = batch_json()
    del payload[field]
    with pytest.raises(ValidationError) as caught:
        Batch.model_validate(payload)
    assert field in str(caught.value)


@pytest.mark.parametrize("field", [f for f in REQUIRED if f != "object"])
def test_required_fields_cannot_be_null(field: str) -> None:
    with pytest.raises(ValidationError):
        Batch.model_validate(batch_json(**{field: None}))


def test_a_null_object_tag_does_not_lose_the_batch() -> None:
    # 'object' tells nothing the client needs; a gateway that nulls it must not hide the batch.
    assert Batch.model_validate(batch_json(object=None)).id


def test_object_defaults_to_batch_when_absent() -> None:
    payload = batch_json()
    del payload["object"]
    assert Batch.model_validate(payload).object == "batch"


@pytest.mark.parametrize("value", [None, "absent"])
def test_every_optional_field_may_be_null_or_absent(value: object) -> None:
    payload = batch_json()
    if value is None:
        payload.update({name: None for name in OPTIONAL})
    batch = Batch.model_validate(payload)
    for name in OPTIONAL:
        assert getattr(batch, name) is None, name
    assert batch.extra_fields == {}


def test_a_full_batch_reads_every_field() -> None:
    batch = Batch.model_validate(
        batch_json(
            status="failed",
            model="gpt-4o-mini",
            output_file_id="file-out",
            error_file_id="file-err",
            in_progress_at=NOW + 1,
            expires_at=NOW + 86400,
            failed_at=NOW + 2,
            request_counts={"total": 10, "completed": 7, "failed": 2},
            usage={
                "input_tokens": 100,
                "input_tokens_details": {"cached_tokens": 40},
                "output_tokens": 50,
                "output_tokens_details": {"reasoning_tokens": 10},
                "total_tokens": 150,
            },
            metadata={"project": "triage"},
            errors={
                "object": "list",
                "data": [
                    {
                        "code": "token_limit_exceeded",
                        "message": "Enqueued token limit reached",
                        "param": None,
                        "line": 3,
                    }
                ],
            },
        )
    )
    assert batch.is_terminal and not batch.is_cancellable
    assert batch.expires_at == NOW + 86400
    assert batch.request_counts is not None and batch.request_counts.finished == 9
    assert batch.usage is not None and batch.usage.input_tokens_details is not None
    assert batch.usage.input_tokens_details.cached_tokens == 40
    assert batch.usage.output_tokens_details is not None and batch.usage.output_tokens_details.reasoning_tokens == 10
    assert batch.errors is not None and batch.errors.data[0].code == "token_limit_exceeded"
    assert batch.errors.data[0].line == 3
    assert batch.metadata == {"project": "triage"}


def test_unknown_fields_are_kept() -> None:
    batch = Batch.model_validate(batch_json(priority="high", region={"name": "eu"}, object="batch"))
    assert batch.extra_fields == {"priority": "high", "region": {"name": "eu"}}


def test_an_unknown_status_is_kept_as_is() -> None:
    batch = Batch.model_validate(batch_json(status="paused_for_review"))
    assert batch.status == "paused_for_review"
    assert not batch.is_known_status and not batch.is_terminal and not batch.is_cancellable


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("InProgress", "in_progress"),
        ("Validating", "validating"),
        ("in-progress", "in_progress"),
        (" Completed ", "completed"),
        ("IN_PROGRESS", "in_progress"),
        ("in progress", "in_progress"),
        ("cancelled", "cancelled"),
    ],
)
def test_status_is_normalised(raw: str, expected: str) -> None:
    assert normalise_status(raw) == expected
    assert Batch.model_validate(batch_json(status=raw)).status == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1_700_000_000, 1_700_000_000),
        (1_700_000_000.9, 1_700_000_000),
        ("1700000000", 1_700_000_000),
        (" 1700000000.5 ", 1_700_000_000),
        ("2023-11-14T22:13:20Z", 1_700_000_000),
        ("2023-11-14T22:13:20+00:00", 1_700_000_000),
        ("2023-11-14T23:13:20+01:00", 1_700_000_000),
        ("2023-11-14T22:13:20", 1_700_000_000),  # naive: read as UTC
        ("2023-11-14T22:13:20.123456Z", 1_700_000_000),
        ("yesterday", None),
        ("", None),
        ("   ", None),
        (None, None),
        (True, None),
        ([], None),
        ({"seconds": 1}, None),
        (float("nan"), None),
        (float("inf"), None),
        ("inf", None),
        ("-inf", None),
        ("nan", None),
        ("1e400", None),
    ],
)
def test_timestamps_are_read_leniently(raw: object, expected: int | None) -> None:
    assert parse_timestamp(raw) == expected
    assert Batch.model_validate(batch_json(completed_at=raw)).completed_at == expected


def test_created_at_accepts_iso_and_numeric_strings() -> None:
    assert Batch.model_validate(batch_json(created_at="2023-11-14T22:13:20Z")).created_at == 1_700_000_000
    assert Batch.model_validate(batch_json(created_at="1700000000")).created_at == 1_700_000_000


def test_unreadable_created_at_makes_the_batch_unreadable() -> None:
    with pytest.raises(ValidationError):
        Batch.model_validate(batch_json(created_at="garbage"))


def test_counts_may_be_strings_floats_or_junk() -> None:
    batch = Batch.model_validate(
        batch_json(request_counts={"total": "100", "completed": 40.0, "failed": "two"}, usage={"total_tokens": " 12 "})
    )
    assert batch.request_counts is not None
    assert (batch.request_counts.total, batch.request_counts.completed, batch.request_counts.failed) == (100, 40, None)
    assert batch.usage is not None and batch.usage.total_tokens == 12


@pytest.mark.parametrize("junk", ["inf", "1e400", float("inf"), float("nan"), True, [], {}])
def test_count_junk_becomes_none(junk: object) -> None:
    batch = Batch.model_validate(batch_json(request_counts={"total": junk}))
    assert batch.request_counts is not None and batch.request_counts.total is None


def test_request_counts_fields_may_be_null() -> None:
    batch = Batch.model_validate(batch_json(request_counts={"total": None, "completed": None, "failed": None}))
    assert batch.request_counts is not None
    assert batch.request_counts.total is None
    assert batch.request_counts.finished is None


@pytest.mark.parametrize(
    ("counts", "finished"),
    [
        ({"completed": 5, "failed": 2}, 7),
        ({"completed": 5}, 5),
        ({"failed": 3}, 3),
        ({"total": 10}, None),
        ({"completed": 0, "failed": 0}, 0),
    ],
)
def test_finished_adds_completed_and_failed(counts: dict[str, int], finished: int | None) -> None:
    assert RequestCounts.model_validate(counts).finished == finished


@pytest.mark.parametrize("junk", ["text", 42, ["a"], True])
@pytest.mark.parametrize("field", ["metadata", "usage", "errors", "request_counts"])
def test_non_object_nested_fields_become_none(field: str, junk: object) -> None:
    batch = Batch.model_validate(batch_json(**{field: junk}))
    assert getattr(batch, field) is None


def test_usage_details_that_are_not_objects_become_none() -> None:
    batch = Batch.model_validate(
        batch_json(usage={"input_tokens": 1, "input_tokens_details": "x", "output_tokens_details": 3})
    )
    assert batch.usage is not None
    assert batch.usage.input_tokens_details is None and batch.usage.output_tokens_details is None


def test_errors_data_keeps_only_objects() -> None:
    batch = Batch.model_validate(
        batch_json(errors={"object": "list", "data": ["oops", {"code": 5, "message": None}, 7]})
    )
    assert batch.errors is not None
    assert [(e.code, e.message) for e in batch.errors.data] == [("5", None)]
    assert Batch.model_validate(batch_json(errors={"data": "nope"})).errors.data == []  # type: ignore[union-attr]


def test_metadata_values_become_strings() -> None:
    batch = Batch.model_validate(batch_json(metadata={"n": 3, "ok": True, "none": None, "nested": {"a": 1}, "s": "x"}))
    assert batch.metadata == {"n": "3", "ok": "True", "none": "", "nested": "{'a': 1}", "s": "x"}


def test_model_text_fields_tolerate_numbers_and_reject_objects() -> None:
    batch = Batch.model_validate(batch_json(model=4, output_file_id={"id": "x"}))
    assert batch.model == "4"
    assert batch.output_file_id is None


def test_page_reads_and_has_more_null_means_false() -> None:
    page = BatchPage.model_validate(
        {
            "object": "list",
            "data": [batch_json("b1"), batch_json("b2")],
            "first_id": "b1",
            "last_id": "b2",
            "has_more": None,
        }
    )
    assert [b.id for b in page.data] == ["b1", "b2"]
    assert page.has_more is False
    assert page.next_cursor == "b2"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (True, True),
        (False, False),
        (None, False),
        ("true", True),
        ("false", False),
        ("False", False),
        (1, True),
        (0, False),
    ],
)
def test_has_more_is_read_leniently(raw: object, expected: bool) -> None:
    assert BatchPage.model_validate({"data": [], "has_more": raw}).has_more is expected


def test_page_cursor_falls_back_to_the_last_item() -> None:
    page = BatchPage.model_validate({"data": [batch_json("b1"), batch_json("b2")], "has_more": True})
    assert page.last_id is None and page.next_cursor == "b2"
    assert BatchPage.model_validate({"data": [], "has_more": True}).next_cursor is None


def test_file_object_is_lenient() -> None:
    obj = FileObject.model_validate(
        {"id": "file-1", "bytes": "120", "created_at": "2023-11-14T22:13:20Z", "purpose": None, "x": 1}
    )
    assert (obj.bytes, obj.created_at, obj.purpose, obj.object) == (120, 1_700_000_000, None, "file")
    assert obj.model_extra == {"x": 1}
    with pytest.raises(ValidationError):
        FileObject.model_validate({"object": "file", "bytes": 3})
