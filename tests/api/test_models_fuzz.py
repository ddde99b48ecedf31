"""Whatever JSON a server sends, reading it fails only in the ways the client handles."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.errors import InvalidResponseError
from batchtui.api.models import Batch, BatchPage
from batchtui.api.response_parsing import Answer
from tests.support.batches import OPTIONAL_FIELDS, batch_json
from tests.support.keys import FAKE_KEY

# Strings servers have been seen to send, plus the ones that break naive parsers.
TRICKY_TEXT = st.sampled_from(
    [
        "",
        " ",
        "inf",
        "-inf",
        "nan",
        "1e400",
        "-1e400",
        "0x10",
        "1_000",
        "12",
        " 12.5 ",
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:00:00",
        "2024-13-40T99:99:99Z",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
        "Validating",
        "InProgress",
        "in-progress",
        "true",
        "false",
        "null",
        "\x00",
        "[red]x[/red]",
        "\u202e",
        FAKE_KEY,
    ]
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | TRICKY_TEXT
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | TRICKY_TEXT, children, max_size=4)
    ),
    max_leaves=12,
)
KNOWN_FIELDS = [*batch_json(), *OPTIONAL_FIELDS]
FIELD_NAMES = st.sampled_from(KNOWN_FIELDS) | st.text(max_size=12)


@st.composite
def batch_objects(draw: st.DrawFn) -> dict[str, Any]:
    """A valid batch, then some fields replaced, removed or added with arbitrary JSON."""
    payload: dict[str, Any] = batch_json()
    for name in draw(st.lists(FIELD_NAMES, max_size=8)):
        if draw(st.booleans()) and name in payload:
            del payload[name]
        else:
            payload[name] = draw(JSON)
    return payload


@st.composite
def page_payloads(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)  # not even a dict, sometimes
    page: dict[str, Any] = {
        "object": "list",
        "data": draw(st.lists(batch_objects() | JSON, max_size=5)),
    }
    for name in draw(
        st.lists(
            st.sampled_from(["first_id", "last_id", "has_more", "unreadable", "object", "data"]) | st.text(max_size=8),
            max_size=4,
        )
    ):
        page[name] = draw(JSON)
    return page


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch_objects())
def test_batch_validation_raises_only_validation_error(payload: dict[str, Any]) -> None:
    try:
        batch = Batch.model_validate(payload)
    except ValidationError:
        return
    # Whatever was accepted is usable by the UI without further checks.
    assert isinstance(batch.id, str) and isinstance(batch.status, str) and isinstance(batch.created_at, int)
    assert batch.metadata is None or all(isinstance(v, str) for v in batch.metadata.values())
    batch.is_terminal, batch.is_cancellable, batch.extra_fields  # noqa: B018 - properties must not raise


@pytest.fixture(scope="module")
def client() -> Iterator[BatchClient]:
    client = BatchClient(
        ClientConfig(api_key=FAKE_KEY), transport=httpx.MockTransport(lambda request: httpx.Response(500))
    )
    yield client
    asyncio.run(client.aclose())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=page_payloads())
def test_parse_page_raises_only_invalid_response_error(client: BatchClient, payload: Any) -> None:
    try:
        page = client._parse_page(Answer(payload, "req_fuzz"))
    except InvalidResponseError as error:
        assert FAKE_KEY not in error.details()
        assert error.request_id == "req_fuzz"
        return
    assert isinstance(page, BatchPage)
    assert len(page.data) + page.unreadable == len(payload["data"])
    assert isinstance(page.has_more, bool)
    page.next_cursor  # noqa: B018 - must not raise
