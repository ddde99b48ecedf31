"""Every way a request can fail becomes one typed error with the server's words and a clear line of text."""

from __future__ import annotations

import httpx
import pytest

from batchtui.api import errors
from batchtui.api.client import BatchClient
from batchtui.api.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
    describe,
)
from batchtui.api.retry import RetryPolicy
from tests.api.factories import Recorder, api_error, make_client
from tests.support.batches import batch_json

NO_RETRY = RetryPolicy(max_retries=0)


def client_for(*answers: object) -> BatchClient:
    return make_client(Recorder(*answers), retry=NO_RETRY)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "error_class", "headline"),
    [
        (400, BadRequestError, "HTTP 400"),
        (401, AuthenticationError, "API key rejected (HTTP 401)"),
        (403, PermissionDeniedError, "Permission denied (HTTP 403)"),
        (404, NotFoundError, "Not found (HTTP 404)"),
        (409, ConflictError, "HTTP 409"),
        (422, UnprocessableEntityError, "HTTP 422"),
        (429, RateLimitError, "Rate limited (HTTP 429)"),
        (500, InternalServerError, "Server error (HTTP 500)"),
        (503, InternalServerError, "Server error (HTTP 503)"),
        (418, APIStatusError, "HTTP 418"),
    ],
)
async def test_status_codes_map_to_their_error(status: int, error_class: type[APIStatusError], headline: str) -> None:
    answer = api_error(status, "Something specific went wrong", type_="some_type", code="some_code", param="limit")
    async with client_for(answer) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.list_batches(limit=5)
    error = caught.value
    assert type(error) is error_class
    assert (error.status_code, error.message, error.type, error.code, error.param) == (
        status,
        "Something specific went wrong",
        "some_type",
        "some_code",
        "limit",
    )
    assert error.request_id == "req_abc123"
    assert (error.method, error.path) == ("GET", "/v1/batches")
    assert str(error) == "Something specific went wrong"
    assert error.describe() == f"{headline}: Something specific went wrong"
    assert describe(error) == error.describe()
    assert error.details().splitlines() == [
        f"{headline}: Something specific went wrong",
        "Request: GET /v1/batches",
        "Type: some_type",
        "Code: some_code",
        "Param: limit",
        "Request id: req_abc123 (quote it to support)",
    ]


async def test_cancel_of_a_finished_batch_keeps_the_server_words() -> None:
    answer = api_error(400, "Cannot cancel a batch with status 'completed'.", code="batch_not_cancellable")
    async with client_for(answer) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.cancel_batch("batch_1")
    assert caught.value.code == "batch_not_cancellable"
    assert "Request: POST /v1/batches/batch_1/cancel" in caught.value.details()


async def test_details_leave_out_what_the_server_did_not_send() -> None:
    async with client_for(httpx.Response(404, json={"error": {"message": "No such batch"}})) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.retrieve_batch("batch_x")
    error = caught.value
    assert (error.type, error.code, error.param, error.request_id) == (None, None, None, None)
    assert error.details() == "Not found (HTTP 404): No such batch\nRequest: GET /v1/batches/batch_x"


async def test_numeric_error_code_is_kept_as_text() -> None:
    async with client_for(httpx.Response(400, json={"error": {"message": "bad", "code": 1234}})) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.list_batches()
    assert caught.value.code == "1234"


async def test_502_with_an_html_page() -> None:
    html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1></body></html>"
    answer = httpx.Response(502, text=html, headers={"content-type": "text/html", "x-request-id": "req_gw"})
    async with client_for(answer) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.list_batches()
    error = caught.value
    assert error.status_code == 502 and error.request_id == "req_gw"
    assert error.describe() == (
        "Server error (HTTP 502): Bad Gateway (the server or a proxy sent an HTML page instead of an API error)"
    )
    assert "<" not in error.details()


async def test_html_without_a_content_type_is_still_recognised() -> None:
    async with client_for(httpx.Response(503, content=b"  <html><body>down</body></html>")) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.list_batches()
    assert "HTML page" in caught.value.describe() and "Service Unavailable" in caught.value.describe()


async def test_problem_json_body() -> None:
    body = {
        "type": "https://stoplight.io/prism/errors#UNAUTHORIZED",
        "title": "Invalid security scheme used",
        "status": 401,
        "detail": "Your request does not fullfil the security requirements",
    }
    answer = httpx.Response(401, json=body, headers={"content-type": "application/problem+json"})
    async with client_for(answer) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.list_batches()
    error = caught.value
    assert error.message == "Invalid security scheme used: Your request does not fullfil the security requirements"
    assert error.type == "https://stoplight.io/prism/errors#UNAUTHORIZED"
    assert error.describe().startswith("API key rejected (HTTP 401): Invalid security scheme used")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"error": "model not found"}, "model not found"),
        ({"message": "Missing Authentication Token"}, "Missing Authentication Token"),
        ({"title": "Not Found"}, "Not Found"),
        ({"error": {"message": ""}, "detail": "from detail"}, "from detail"),
        ({"unexpected": True}, 'Not Found: {"unexpected":true}'),
        ([1, 2], "Not Found: [1,2]"),
    ],
)
async def test_other_json_error_shapes(body: object, message: str) -> None:
    async with client_for(httpx.Response(404, json=body)) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.retrieve_batch("b1")
    assert caught.value.message == message


async def test_plain_text_error_body() -> None:
    answer = httpx.Response(503, text="upstream connect error or disconnect/reset before headers\n\n  retry later")
    async with client_for(answer) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.list_batches()
    assert caught.value.describe() == (
        "Server error (HTTP 503): Service Unavailable: upstream connect error or disconnect/reset before headers retry later"
    )


async def test_a_long_plain_text_body_is_shortened() -> None:
    async with client_for(httpx.Response(500, text="x" * 5000)) as client:
        with pytest.raises(InternalServerError) as caught:
            await client.list_batches()
    assert len(caught.value.message) < 300 and caught.value.message.endswith("…")


@pytest.mark.parametrize("status", [500, 401, 429])
async def test_empty_error_body(status: int) -> None:
    async with client_for(httpx.Response(status)) as client:
        with pytest.raises(APIStatusError) as caught:
            await client.list_batches()
    reason = httpx.codes.get_reason_phrase(status)
    assert caught.value.message == f"{reason} (empty response)"
    assert caught.value.describe().endswith(f"{reason} (empty response)")


@pytest.mark.parametrize(
    "body",
    [b"<html><body>Welcome to nginx!</body></html>", b"", b"OK", b"{not json", b"\xff\xfe\x00garbage"],
)
async def test_a_200_that_is_not_json(body: bytes) -> None:
    answer = httpx.Response(200, content=body, headers={"x-request-id": "req_200"})
    async with client_for(answer) as client:
        with pytest.raises(InvalidResponseError) as caught:
            await client.list_batches()
    error = caught.value
    assert str(error) == "The server answered GET /v1/batches with something that is not JSON."
    assert error.request_id == "req_200"
    details = error.details()
    assert details.startswith(str(error)) and "Request id: req_200" in details
    if body.startswith(b"<html>"):
        assert "Body starts: <html><body>Welcome to nginx!" in details


@pytest.mark.parametrize(
    ("call", "payload", "fragment"),
    [
        ("list", {"data": "oops"}, "not a list object"),
        ("list", [batch_json()], "not a list object"),
        ("list", {"object": "list"}, "not a list object"),
        ("list", "a string", "not a list object"),
        ("retrieve", {k: v for k, v in batch_json().items() if k != "id"}, "id: Field required"),
        ("retrieve", [batch_json()], "batch this client cannot read"),
        ("retrieve", 42, "batch this client cannot read"),
        ("cancel", {"ok": True}, "batch this client cannot read"),
        ("create", {"status": "validating"}, "batch this client cannot read"),
        ("file", {"object": "file"}, "file this client cannot read"),
    ],
)
async def test_json_of_the_wrong_shape(call: str, payload: object, fragment: str) -> None:
    async with client_for(httpx.Response(200, json=payload)) as client:
        operations = {
            "list": client.list_batches,
            "retrieve": lambda: client.retrieve_batch("b1"),
            "cancel": lambda: client.cancel_batch("b1"),
            "create": lambda: client.create_batch("file-1", "/v1/responses"),
            "file": lambda: client.retrieve_file("file-1"),
        }
        with pytest.raises(InvalidResponseError) as caught:
            await operations[call]()
    assert fragment in str(caught.value)
    assert "Body starts: " in caught.value.details()


@pytest.mark.parametrize(
    ("raised", "error_class", "kind", "text"),
    [
        (
            httpx.ConnectError("[Errno 111] Connection refused"),
            APIConnectionError,
            "refused",
            "Connection refused by https://api.test: is the server running?",
        ),
        (
            httpx.ConnectError("[Errno -2] Name or service not known"),
            APIConnectionError,
            "dns",
            "Could not resolve the host of https://api.test.",
        ),
        (
            httpx.ConnectError("[Errno 8] nodename nor servname provided, or not known"),
            APIConnectionError,
            "dns",
            "Could not resolve the host of https://api.test.",
        ),
        (
            httpx.ConnectError("[Errno -3] Temporary failure in name resolution"),
            APIConnectionError,
            "dns",
            "Could not resolve the host of https://api.test.",
        ),
        (
            httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"),
            APIConnectionError,
            "tls",
            "TLS handshake with https://api.test failed: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
            "self-signed certificate",
        ),
        (
            httpx.ReadTimeout("The read operation timed out"),
            APITimeoutError,
            "timeout",
            "The server did not answer in time (no response within the read timeout).",
        ),
        (
            httpx.ConnectTimeout("timed out"),
            APITimeoutError,
            "timeout",
            "The server did not answer in time (connecting took too long).",
        ),
        (httpx.PoolTimeout("pool"), APITimeoutError, "timeout", "The server did not answer in time (timed out)."),
        (
            httpx.RemoteProtocolError("Server disconnected without sending a response."),
            APIConnectionError,
            "connection",
            "The server closed the connection without answering (Server disconnected without sending a response.).",
        ),
        (
            httpx.ReadError("[Errno 104] Connection reset by peer"),
            APIConnectionError,
            "connection",
            "Could not reach https://api.test: [Errno 104] Connection reset by peer",
        ),
        (httpx.ConnectError(""), APIConnectionError, "connection", "Could not reach https://api.test: ConnectError"),
    ],
)
async def test_transport_failures(raised: Exception, error_class: type, kind: str, text: str) -> None:
    async with client_for(raised) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.list_batches()
    error = caught.value
    assert type(error) is error_class
    assert error.kind == kind
    assert error.url == "https://api.test"
    assert error.describe() == text == str(error) == error.details() == describe(error)
    assert isinstance(error.__cause__, httpx.TransportError)


async def test_the_error_url_names_the_port_but_never_the_query() -> None:
    async with make_client(
        Recorder(httpx.ConnectError("[Errno 111] Connection refused")),
        retry=NO_RETRY,
        base_url="http://127.0.0.1:8080/openai",
        api_version="2024-10-21",
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.list_batches()
    assert caught.value.url == "http://127.0.0.1:8080"
    assert caught.value.describe() == "Connection refused by http://127.0.0.1:8080: is the server running?"


def test_describe_any_exception() -> None:
    assert describe(ValueError("boom")) == "Unexpected error: ValueError: boom"
    assert describe(errors.PaginationStalledError("looping")) == "looping"


def test_every_status_error_subclasses_the_base() -> None:
    for status in (400, 401, 403, 404, 409, 422, 429, 500, 502, 503, 504, 418):
        cls = errors.status_error_class(status)
        assert issubclass(cls, APIStatusError) and issubclass(cls, errors.BatchAPIError)


async def test_a_5xx_on_create_is_ambiguous_not_a_plain_failure():
    import httpx

    from batchtui.api.client import BatchClient, ClientConfig
    from batchtui.api.errors import AmbiguousCreateError

    sent = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(502, text="<html>Bad Gateway</html>", headers={"content-type": "text/html"})

    client = BatchClient(ClientConfig(api_key="sk-x", base_url="http://t/v1"), transport=httpx.MockTransport(handler))
    try:
        await client.create_batch("file-abc", "/v1/chat/completions")
    except AmbiguousCreateError as error:
        assert error.input_file_id == "file-abc"
        assert "Bad Gateway" in str(error)
    else:
        raise AssertionError("a 502 on create must be reported as ambiguous")
    assert len(sent) == 1  # and never retried
    await client.aclose()


async def test_deeply_nested_json_is_an_invalid_response_not_a_crash():
    import httpx

    from batchtui.api.client import BatchClient, ClientConfig
    from batchtui.api.errors import InvalidResponseError

    body = "[" * 100_000 + "]" * 100_000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=body, headers={"content-type": "application/json"})

    client = BatchClient(ClientConfig(api_key="sk-x", base_url="http://t/v1"), transport=httpx.MockTransport(handler))
    try:
        await client.list_batches()
    except InvalidResponseError:
        pass
    else:
        raise AssertionError("expected InvalidResponseError")
    await client.aclose()


def test_a_null_status_makes_the_batch_unreadable():
    import pydantic
    import pytest

    from batchtui.api.models import Batch

    with pytest.raises(pydantic.ValidationError):
        Batch.model_validate(batch_json("b", endpoint="/v1/x", input_file_id="f", created_at=1, status=None))


@pytest.mark.parametrize(
    "body",
    [
        # Python's json refuses integers past 4,300 digits with a ValueError, not a JSONDecodeError.
        '{"error": {"message": "Too big", "code": ' + "9" * 5000 + "}}",
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["huge-integer", "deep-nesting"],
)
async def test_an_error_body_json_cannot_decode_is_still_a_status_error(body: str) -> None:
    answer = httpx.Response(400, text=body, headers={"content-type": "application/json"})
    async with client_for(answer) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.list_batches()
    assert caught.value.status_code == 400
    assert caught.value.message.startswith("Bad Request: ") and len(caught.value.message) < 300


def test_detail_lines_keep_our_rows_apart_from_a_servers_line_breaks() -> None:
    error = errors.NotFoundError(
        404, errors.ErrorBody(message="No such batch\nType: forged", code="gone"), method="GET", path="/v1/batches/x"
    )
    assert error.detail_lines() == (
        "Not found (HTTP 404): No such batch\nType: forged",
        "Request: GET /v1/batches/x",
        "Code: gone",
    )
    assert error.details() == "\n".join(error.detail_lines())
