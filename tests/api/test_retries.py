"""Which requests are retried, how long the client waits, and the ones it must never repeat."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from batchtui.api.client import BatchClient
from batchtui.api.errors import (
    AmbiguousCreateError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
)
from batchtui.api.retry import RetryPolicy, server_requested_wait
from batchtui.api.sender import RetryNotice
from tests.api.factories import Recorder, RecordingSleep, api_error, make_client
from tests.support.batches import batch_json, page_json
from tests.support.files import file_json

Operation = Callable[[BatchClient], Awaitable[object]]


def _ok(request: httpx.Request) -> httpx.Response:
    """A success fitting whichever operation asked."""
    path = request.url.path
    if path.endswith("/content"):
        return httpx.Response(200, content=b"{}\n")
    if "/files" in path:
        return httpx.Response(200, json=file_json())
    if path.endswith("/batches") and request.method == "GET":
        return httpx.Response(200, json=page_json(["b1"]))
    return httpx.Response(200, json=batch_json())


def retried_operations(tmp_path: Path) -> dict[str, Operation]:
    return {
        "list": lambda c: c.list_batches(),
        "retrieve": lambda c: c.retrieve_batch("b1"),
        "cancel": lambda c: c.cancel_batch("b1"),
        "retrieve_file": lambda c: c.retrieve_file("file-1"),
        "download": lambda c: c.download_file("file-1", tmp_path / "out.jsonl"),
    }


RETRYABLE_ANSWERS = {
    "408": api_error(408, "Request timeout"),
    "409": api_error(409, "Conflict, try again"),
    "429": api_error(429, "Rate limit reached", type_="requests"),
    "500": api_error(500, "The server had an error"),
    "502-html": httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"}),
    "503": httpx.Response(503, text="Service Unavailable"),
    "504": httpx.Response(504),
    "connect": httpx.ConnectError("[Errno 111] Connection refused"),
    "read-timeout": httpx.ReadTimeout("The read operation timed out"),
    "connect-timeout": httpx.ConnectTimeout("timed out"),
    "disconnect": httpx.RemoteProtocolError("Server disconnected without sending a response."),
}


@pytest.mark.parametrize("operation", ["list", "retrieve", "cancel", "retrieve_file", "download"])
@pytest.mark.parametrize("failure", list(RETRYABLE_ANSWERS))
async def test_reads_and_cancel_are_retried_then_succeed(tmp_path: Path, operation: str, failure: str) -> None:
    recorder = Recorder(RETRYABLE_ANSWERS[failure], RETRYABLE_ANSWERS[failure], _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        await retried_operations(tmp_path)[operation](client)
    assert recorder.count == 3
    assert sleep.delays == [0.5, 1.0]
    assert len({(r.method, r.url) for r in recorder.requests}) == 1  # the same request each time


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("429", RateLimitError),
        ("500", InternalServerError),
        ("502-html", InternalServerError),
        ("connect", APIConnectionError),
        ("read-timeout", APITimeoutError),
    ],
)
@pytest.mark.parametrize("max_retries", [0, 1, 2, 4])
async def test_retries_stop_at_max_retries_and_raise(failure: str, expected: type[Exception], max_retries: int) -> None:
    recorder = Recorder(RETRYABLE_ANSWERS[failure])
    sleep = RecordingSleep()
    async with make_client(
        recorder, sleep=sleep, retry=RetryPolicy(max_retries=max_retries, jitter=lambda: 1.0)
    ) as client:
        with pytest.raises(expected):
            await client.list_batches()
    assert recorder.count == max_retries + 1
    assert len(sleep.delays) == max_retries


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
@pytest.mark.parametrize("operation", ["list", "retrieve", "cancel", "retrieve_file", "download"])
async def test_client_errors_are_not_retried(tmp_path: Path, status: int, operation: str) -> None:
    recorder = Recorder(api_error(status, "no"), _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        with pytest.raises(APIStatusError) as caught:
            await retried_operations(tmp_path)[operation](client)
    assert caught.value.status_code == status
    assert recorder.count == 1 and sleep.delays == []


async def test_x_should_retry_false_stops_a_retry_of_a_500() -> None:
    recorder = Recorder(api_error(500, "boom", headers={"x-should-retry": "false"}), _ok)
    async with make_client(recorder) as client:
        with pytest.raises(InternalServerError):
            await client.list_batches()
    assert recorder.count == 1


async def test_x_should_retry_true_forces_a_retry_of_a_400() -> None:
    recorder = Recorder(api_error(400, "try again", headers={"x-should-retry": "True"}), _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        page = await client.list_batches()
    assert recorder.count == 2 and sleep.delays == [0.5] and page.data[0].id == "b1"


async def test_x_should_retry_with_another_value_is_ignored() -> None:
    recorder = Recorder(api_error(400, "bad", headers={"x-should-retry": "maybe"}), _ok)
    async with make_client(recorder) as client:
        with pytest.raises(APIStatusError):
            await client.list_batches()
    assert recorder.count == 1


@pytest.mark.parametrize(
    ("headers", "delay"),
    [
        ({"retry-after-ms": "1500", "retry-after": "30"}, 1.5),
        ({"retry-after": "3"}, 3.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "120"}, 120.0),
        ({"retry-after": "121"}, 0.5),  # more than 120 s: our own backoff instead
        ({"retry-after": "3600"}, 0.5),
        ({"retry-after": "-5"}, 0.5),
        ({"retry-after": "soon"}, 0.5),
        ({"retry-after-ms": "200000", "retry-after": "3"}, 0.5),
        ({"retry-after-ms": "abc", "retry-after": "4"}, 4.0),
        ({}, 0.5),
    ],
)
async def test_the_server_can_set_the_wait(headers: dict[str, str], delay: float) -> None:
    recorder = Recorder(api_error(429, "slow down", headers=headers), _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        await client.list_batches()
    assert sleep.delays == [pytest.approx(delay)]


async def test_retry_after_as_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    recorder = Recorder(api_error(503, "busy", headers={"retry-after": when}), _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        await client.list_batches()
    (delay,) = sleep.delays
    assert 25 <= delay <= 30


def test_retry_after_http_date_against_a_fixed_now() -> None:
    now = 1_700_000_000.0
    in_ten = email.utils.formatdate(now + 10, usegmt=True)
    in_the_past = email.utils.formatdate(now - 10, usegmt=True)
    in_an_hour = email.utils.formatdate(now + 3600, usegmt=True)
    assert server_requested_wait({"retry-after": in_ten}, now=now) == 10
    assert server_requested_wait({"retry-after": in_the_past}, now=now) == 0
    assert server_requested_wait({"retry-after": in_an_hour}, now=now) is None
    assert server_requested_wait({"retry-after": "Mon, 99 Foo 2024"}, now=now) is None
    policy = RetryPolicy(jitter=lambda: 1.0)
    assert policy.delay(3, {"retry-after": in_an_hour}, now=now) == 4.0


async def test_a_429_error_carries_the_requested_wait() -> None:
    recorder = Recorder(api_error(429, "Rate limit reached", headers={"retry-after": "7"}))
    async with make_client(recorder, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(RateLimitError) as caught:
            await client.list_batches()
    assert caught.value.retry_after == 7.0


async def test_backoff_doubles_and_caps_at_eight_seconds() -> None:
    recorder = Recorder(api_error(500, "down"))
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep, retry=RetryPolicy(max_retries=7, jitter=lambda: 1.0)) as client:
        with pytest.raises(InternalServerError):
            await client.list_batches()
    assert sleep.delays == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


async def test_connection_errors_back_off_the_same_way() -> None:
    recorder = Recorder(httpx.ConnectError("[Errno 111] Connection refused"))
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep, retry=RetryPolicy(max_retries=5, jitter=lambda: 0.75)) as client:
        with pytest.raises(APIConnectionError):
            await client.list_batches()
    assert sleep.delays == [0.375, 0.75, 1.5, 3.0, 6.0]


def test_default_jitter_scales_between_three_quarters_and_one() -> None:
    policy = RetryPolicy()
    waits = [policy.backoff(4) for _ in range(200)]
    assert all(6.0 <= wait <= 8.0 for wait in waits)
    assert len(set(waits)) > 1


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (408, {}, True),
        (409, {}, True),
        (429, {}, True),
        (500, {}, True),
        (599, {}, True),
        (400, {}, False),
        (401, {}, False),
        (403, {}, False),
        (404, {}, False),
        (422, {}, False),
        (500, {"x-should-retry": "false"}, False),
        (400, {"x-should-retry": " TRUE "}, True),
    ],
)
def test_policy_should_retry_status(status: int, headers: dict[str, str], expected: bool) -> None:
    assert RetryPolicy().should_retry_status(status, httpx.Headers(headers)) is expected


async def test_on_retry_tells_the_caller_each_wait() -> None:
    notices: list[RetryNotice] = []
    recorder = Recorder(
        api_error(429, "Rate limit reached for requests", headers={"retry-after": "2"}),
        httpx.ConnectError("[Errno 111] Connection refused"),
        api_error(500, "boom"),
        _ok,
    )
    async with make_client(
        recorder, on_retry=notices.append, retry=RetryPolicy(max_retries=3, jitter=lambda: 1.0)
    ) as client:
        await client.list_batches()
    assert [(n.attempt, n.delay, n.rate_limited) for n in notices] == [(1, 2.0, True), (2, 1.0, False), (3, 2.0, False)]
    assert notices[0].reason == "Rate limited (HTTP 429): Rate limit reached for requests"
    assert notices[1].reason == "Connection refused by https://api.test: is the server running?"
    assert notices[2].reason == "Server error (HTTP 500): boom"


async def test_no_notice_without_a_retry() -> None:
    notices: list[RetryNotice] = []
    async with make_client(Recorder(api_error(404, "gone")), on_retry=notices.append) as client:
        with pytest.raises(APIStatusError):
            await client.retrieve_batch("b1")
    assert notices == []


# Create and upload: a repeat could start a second, billed batch or leave a duplicate file.

NEVER_REPEATED = {
    "500": api_error(500, "The server had an error"),
    "429": api_error(429, "Rate limit", headers={"retry-after": "1"}),
    "409": api_error(409, "Conflict"),
    "forced": api_error(503, "busy", headers={"x-should-retry": "true"}),
}


@pytest.mark.parametrize("failure", list(NEVER_REPEATED))
async def test_create_is_never_retried_on_a_status(failure: str) -> None:
    recorder = Recorder(NEVER_REPEATED[failure], _ok)
    sleep = RecordingSleep()
    notices: list[RetryNotice] = []
    async with make_client(recorder, sleep=sleep, on_retry=notices.append) as client:
        with pytest.raises((APIStatusError, AmbiguousCreateError)) as raised:
            await client.create_batch("file-in-1", "/v1/chat/completions")
    assert recorder.count == 1 and sleep.delays == [] and notices == []
    # A 5xx may have made the batch: the caller must look before trying again.
    status = (
        raised.value.__cause__.status_code
        if isinstance(raised.value, AmbiguousCreateError)
        else raised.value.status_code
    )
    assert isinstance(raised.value, AmbiguousCreateError) == (status >= 500)


@pytest.mark.parametrize(
    "lost",
    [
        httpx.ReadTimeout("The read operation timed out"),
        httpx.WriteTimeout("timed out"),
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("[Errno 104] Connection reset by peer"),
    ],
)
async def test_a_lost_create_is_ambiguous_and_not_retried(lost: Exception) -> None:
    recorder = Recorder(lost, _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        with pytest.raises(AmbiguousCreateError) as caught:
            await client.create_batch("file-in-42", "/v1/chat/completions")
    error = caught.value
    assert recorder.count == 1 and sleep.delays == []
    assert error.input_file_id == "file-in-42"
    assert isinstance(error.__cause__, APIConnectionError)
    assert error.describe().startswith("The create request may or may not have reached the server (")


@pytest.mark.parametrize("failure", [*NEVER_REPEATED, "timeout", "connect"])
async def test_upload_is_never_retried(tmp_path: Path, failure: str) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"custom_id": "r1"}\n')
    answers = {**NEVER_REPEATED, "timeout": httpx.ReadTimeout("timed out"), "connect": httpx.ConnectError("refused")}
    recorder = Recorder(answers[failure], _ok)
    sleep = RecordingSleep()
    async with make_client(recorder, sleep=sleep) as client:
        with pytest.raises((APIStatusError, APIConnectionError)):
            await client.upload_file(source)
    assert recorder.count == 1 and sleep.delays == []


async def test_find_batch_by_input_file_looks_through_recent_pages() -> None:
    pages = {
        None: page_json(["b5", "b4"], has_more=True),
        "b4": {
            **page_json([], has_more=True),
            "data": [batch_json("b3", input_file_id="file-lost"), batch_json("b2", input_file_id="file-lost")],
            "last_id": "b2",
        },
        "b2": page_json(["b1"]),
    }
    recorder = Recorder(lambda request: httpx.Response(200, json=pages[request.url.params.get("after")]))
    async with make_client(recorder) as client:
        found = await client.find_batch_by_input_file("file-lost")
        missing = await client.find_batch_by_input_file("file-never-used")
    assert found is not None and found.id == "b3"  # the newest one made from that file
    assert missing is None
    assert [r.url.params.get("after") for r in recorder.requests] == [None, "b4", None, "b4", "b2"]
    assert all(r.url.params["limit"] == "100" for r in recorder.requests)


async def test_find_batch_by_input_file_stops_after_max_pages() -> None:
    recorder = Recorder(
        lambda request: httpx.Response(200, json=page_json([f"{request.url.params.get('after', 'b')}x"], has_more=True))
    )
    async with make_client(recorder) as client:
        assert await client.find_batch_by_input_file("file-x", max_pages=2) is None
    assert recorder.count == 2
