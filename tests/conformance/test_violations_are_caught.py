"""Requests the spec forbids are flagged, on both channels the other tests rely on.

Without these, "Prism did not object" could mean only that Prism was not looking: each one
proves a check the conformance tests make can fail (JSON body enums and nested fields,
multipart fields, query types, the bearer key).
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from batchtui.api import APIStatusError, AuthenticationError

from .harness import AUTH, Conformance, PrismServer, harness_for


def assert_flagged(api: Conformance, status: int, *words: str) -> None:
    exchange = api.exchanges[-1]
    assert exchange.status_code == status
    objections = api.objections()
    assert any(exchange.describe() in line for line in objections), objections
    log_lines = [line for line in objections if "[VALIDATOR]" in line or "Violation" in line]
    for word in words:
        assert any(word in line for line in log_lines), f"no log line names {word!r}: {log_lines}"


async def test_create_with_an_endpoint_outside_the_enum(static_api: Conformance) -> None:
    with pytest.raises(APIStatusError) as raised:
        await static_api.client.create_batch("file-abc123", "/v1/not-a-batch-endpoint")
    assert raised.value.status_code == 422
    assert "Invalid request" in raised.value.message  # Prism's problem+json, read by the client
    assert_flagged(static_api, 422, "endpoint")


async def test_create_with_output_expiry_below_the_minimum(static_api: Conformance) -> None:
    # CreateBatchRequest allows unknown fields, so this is what proves Prism sees the client's
    # output_expires_after under the spec's name and shape.
    with pytest.raises(APIStatusError) as raised:
        await static_api.client.create_batch("file-abc123", "/v1/embeddings", output_expires_after_seconds=60)
    assert raised.value.status_code == 422
    assert json.loads(static_api.exchanges[-1].request.content)["output_expires_after"]["seconds"] == 60
    assert_flagged(static_api, 422, "seconds")


async def test_upload_with_a_purpose_outside_the_enum(static_api: Conformance, tmp_path: Path) -> None:
    source = tmp_path / "requests.jsonl"
    source.write_text('{"custom_id": "request-1"}\n', encoding="utf-8")
    with pytest.raises(APIStatusError) as raised:
        await static_api.client.upload_file(source, purpose="not-a-purpose")
    assert raised.value.status_code == 422
    assert_flagged(static_api, 422, "purpose")


async def test_list_with_a_limit_that_is_not_an_integer(static_prism: PrismServer) -> None:
    # The client cannot send this (limit is an int), so raw httpx does; limit=0 would not do:
    # the spec gives limit no minimum, so Prism accepts it.
    async with harness_for(static_prism) as api, httpx.AsyncClient(transport=api.transport) as raw:
        response = await raw.get(f"{static_prism.url}/batches", params={"limit": "twenty"}, headers=AUTH)
        assert response.status_code == 422
        assert_flagged(api, 422, "limit")


async def test_request_without_an_api_key(static_prism: PrismServer) -> None:
    async with harness_for(static_prism, api_key=None) as api:
        with pytest.raises(AuthenticationError) as raised:
            await api.client.retrieve_batch("batch_abc123")
        assert raised.value.status_code == 401
        assert "Authorization" not in api.exchanges[-1].request.headers
        assert_flagged(api, 401, "security")
