"""Requests the spec forbids are flagged, by each tool, on both channels the other tests rely on.

Without these, "the server did not object" could mean only that it was not looking: each one
proves a check the conformance tests make can fail (JSON body enums and nested fields,
multipart fields, query types, the bearer key), for Prism and for Steady.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path

import httpx

from batchtui.api.errors import APIStatusError, AuthenticationError

from .harness import AUTH, Conformance, MockServer, harness_for


@dataclass(frozen=True)
class Verdict:
    """How one tool answers a forbidden request: status, what its log (and Steady's headers) name,
    and what the client's error message then says (None: no error, or not checked)."""

    status: int
    names: str
    said: str | None = None


def prism_rejects(names: str) -> Verdict:
    return Verdict(422, names, said="Invalid request")  # Prism's problem+json title


def steady_rejects(names: str) -> Verdict:
    return Verdict(400, names, said="Validation failed")  # Steady's {"error": …} body


def assert_flagged(api: Conformance, **verdicts: Verdict) -> Verdict:
    """The last exchange got the tool's status and is named in its answers and in its log."""
    verdict = verdicts[api.tool]
    exchange = api.exchanges[-1]
    assert exchange.status_code == verdict.status, exchange.describe()
    answers = api.heard_in_answers()
    assert any(exchange.describe() in line for line in answers), answers
    logged = api.heard_in_log()
    assert any(verdict.names in line for line in logged), f"no log line names {verdict.names!r}: {logged}"
    if api.tool == "steady":
        # Steady's headers carry the code and field, not only the status.
        assert any(verdict.names in line for line in answers), answers
    return verdict


async def assert_client_flagged(
    api: Conformance, call: Awaitable[object], **verdicts: Verdict
) -> APIStatusError | None:
    """As assert_flagged, for a client call: it raises on a 4xx, with the server's message, and not otherwise."""
    try:
        await call
    except APIStatusError as raised:
        error: APIStatusError | None = raised
    else:
        error = None
    verdict = assert_flagged(api, **verdicts)
    if verdict.status < 400:
        assert error is None, f"{verdict.status} answered, yet the client raised {error!r}"
        return None
    assert error is not None and error.status_code == verdict.status
    if verdict.said is not None:
        assert verdict.said in error.message
    return error


async def test_create_with_an_endpoint_outside_the_enum(tool_api: Conformance) -> None:
    await assert_client_flagged(
        tool_api,
        tool_api.client.create_batch("file-abc123", "/v1/not-a-batch-endpoint"),
        prism=prism_rejects("endpoint"),
        steady=steady_rejects("E3016 body.endpoint"),
    )


async def test_create_with_output_expiry_below_the_minimum(tool_api: Conformance) -> None:
    # CreateBatchRequest allows unknown fields, so this is what proves the server sees the
    # client's output_expires_after under the spec's name and shape. Steady calls a range a
    # content note (E4004, info) and answers 200: the diagnostic alone is what fails a test.
    await assert_client_flagged(
        tool_api,
        tool_api.client.create_batch("file-abc123", "/v1/embeddings", output_expires_after_seconds=60),
        prism=prism_rejects("seconds"),
        steady=Verdict(200, "E4004 body.output_expires_after.seconds"),
    )
    assert json.loads(tool_api.exchanges[-1].request.content)["output_expires_after"]["seconds"] == 60


async def test_upload_with_a_purpose_outside_the_enum(tool_api: Conformance, tmp_path: Path) -> None:
    source = tmp_path / "requests.jsonl"
    source.write_text('{"custom_id": "request-1"}\n', encoding="utf-8")
    await assert_client_flagged(
        tool_api,
        tool_api.client.upload_file(source, purpose="not-a-purpose"),
        prism=prism_rejects("purpose"),
        steady=steady_rejects("E3016 body.purpose"),
    )


async def test_list_with_a_limit_that_is_not_an_integer(tool_server: MockServer) -> None:
    # The client cannot send this (limit is an int), so raw httpx does; limit=0 would not do:
    # the spec gives limit no minimum, so neither tool objects to it.
    async with harness_for(tool_server) as api, httpx.AsyncClient(transport=api.transport) as raw:
        await raw.get(f"{tool_server.url}/batches", params={"limit": "twenty"}, headers=AUTH)
        assert_flagged(api, prism=prism_rejects("limit"), steady=steady_rejects("E3003 query.limit"))


async def test_steady_flags_an_upload_field_the_spec_does_not_list(seeded_steady: MockServer) -> None:
    # CreateFileRequest says additionalProperties: false. Prism ignores extra multipart fields
    # (test_upload_file checks the parts itself); Steady flags them, so this runs on Steady only.
    async with harness_for(seeded_steady) as api, httpx.AsyncClient(transport=api.transport) as raw:
        await raw.post(
            f"{seeded_steady.url}/files",
            data={"purpose": "batch", "expires_in": "soon"},
            files={"file": ("requests.jsonl", b'{"custom_id": "request-1"}\n', "application/jsonl")},
            headers=AUTH,
        )
        assert_flagged(api, steady=steady_rejects("E3009 body: Unknown property: expires_in"))


async def test_steady_flags_a_query_parameter_the_spec_does_not_list(seeded_steady: MockServer) -> None:
    # A misnamed cursor (`cursor=` for `after=`) would page nowhere. Steady notes an undocumented
    # query parameter (E3015, info) and answers 200; Prism does not look. Steady only, then.
    async with harness_for(seeded_steady) as api, httpx.AsyncClient(transport=api.transport) as raw:
        await raw.get(f"{seeded_steady.url}/batches", params={"limit": "20", "cursor": "batch_abc123"}, headers=AUTH)
        assert_flagged(api, steady=Verdict(200, "E3015 query.cursor"))


async def test_prism_flags_a_request_without_an_api_key(static_prism: MockServer) -> None:
    # Prism only: Steady does not check the spec's security scheme (any key, or none, is fine).
    async with harness_for(static_prism, api_key=None) as api:
        error = await assert_client_flagged(
            api, api.client.retrieve_batch("batch_abc123"), prism=Verdict(401, "security")
        )
        assert isinstance(error, AuthenticationError)
        assert "Authorization" not in api.exchanges[-1].request.headers
