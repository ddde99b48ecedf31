"""The API key goes to the configured server in a header, and nowhere else: never into error text."""

from __future__ import annotations

import json
import traceback
from pathlib import Path

import httpx
import pytest

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.errors import APIConnectionError, BatchAPIError, InvalidResponseError, RedirectRefusedError
from batchtui.api.retry import RetryPolicy
from batchtui.config import load_settings
from tests.api.factories import BASE, Recorder, make_client
from tests.support.batches import batch_json, page_json
from tests.support.keys import FAKE_KEY

# Any ten characters of the key: a key cut in half by a snippet limit is still a leak.
FRAGMENTS = [FAKE_KEY[i : i + 10] for i in range(len(FAKE_KEY) - 9)]


def all_text(error: BaseException) -> str:
    """Everything a user or a log could ever see of an error, its causes included."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if isinstance(error, BatchAPIError):
        parts += [error.describe(), error.details()]
    parts += [repr(value) for value in vars(error).values()]
    return "\n".join(parts)


def assert_no_key(error: BaseException) -> None:
    text = all_text(error)
    leaked = [fragment for fragment in FRAGMENTS if fragment in text]
    assert not leaked, leaked


async def fail_with(answer: httpx.Response, tmp_path: Path | None = None, operation: str = "list") -> BatchAPIError:
    async with make_client(Recorder(answer), retry=RetryPolicy(max_retries=0)) as client:
        calls = {
            "list": client.list_batches,
            "retrieve": lambda: client.retrieve_batch("b1"),
            "create": lambda: client.create_batch("file-1", "/v1/responses"),
            "file": lambda: client.retrieve_file("file-1"),
        }
        with pytest.raises(BatchAPIError) as caught:
            await calls[operation]()
    return caught.value


async def test_a_server_echoing_the_key_in_its_message() -> None:
    body = {
        "error": {
            "message": f"Incorrect API key provided: {FAKE_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        }
    }
    error = await fail_with(httpx.Response(401, json=body))
    assert_no_key(error)
    assert "Incorrect API key provided: «redacted key»." in error.describe()


@pytest.mark.parametrize("field", ["type", "code", "param"])
async def test_a_server_echoing_the_key_in_any_error_field(field: str) -> None:
    error_body = {"message": "bad key", "type": "t", "code": "c", "param": "p", field: f"key={FAKE_KEY}"}
    error = await fail_with(httpx.Response(400, json={"error": error_body}))
    assert_no_key(error)
    assert "«redacted key»" in error.details()


@pytest.mark.parametrize("status", [401, 500, 502])
async def test_the_key_in_a_plain_text_or_html_error_body(status: int) -> None:
    error = await fail_with(httpx.Response(status, text=f"Authorization: Bearer {FAKE_KEY} was rejected"))
    assert_no_key(error)


@pytest.mark.parametrize("status", [200, 401])
@pytest.mark.parametrize("offset", [170, 180, 185, 188])
async def test_a_key_cut_by_the_snippet_limit_does_not_leak_a_fragment(status: int, offset: int) -> None:
    body = "x" * offset + " " + FAKE_KEY + " and more text after it"
    error = await fail_with(httpx.Response(status, text=body))
    assert_no_key(error)


async def test_the_key_in_a_non_json_200_body() -> None:
    error = await fail_with(httpx.Response(200, text=f"<html>debug: api key {FAKE_KEY}</html>"))
    assert isinstance(error, InvalidResponseError)
    assert_no_key(error)
    assert "«redacted key»" in error.details()


@pytest.mark.parametrize("padding", [0, 150, 170])
@pytest.mark.parametrize("operation", ["list", "retrieve", "create", "file"])
async def test_the_key_inside_json_of_the_wrong_shape(operation: str, padding: int) -> None:
    payload = {"data": "oops", "note": "n" * padding, "echo": f"Bearer {FAKE_KEY}"}
    error = await fail_with(httpx.Response(200, json=payload), operation=operation)
    assert isinstance(error, InvalidResponseError)
    assert_no_key(error)


async def test_a_lost_create_does_not_leak_the_key() -> None:
    error = await fail_with(httpx.ReadTimeout("timed out"), operation="create")  # type: ignore[arg-type]
    assert_no_key(error)


def test_configs_do_not_show_the_key() -> None:
    config = ClientConfig(api_key=FAKE_KEY, base_url=BASE, organization="org-1")
    assert FAKE_KEY not in repr(config) and FAKE_KEY not in str(config)
    settings = load_settings({"OPENAI_API_KEY": FAKE_KEY})
    assert settings.api_key == FAKE_KEY
    assert FAKE_KEY not in repr(settings) and FAKE_KEY not in str(settings)
    assert FAKE_KEY not in repr(settings.client_config())
    assert FAKE_KEY not in settings.server_label
    azure = load_settings({"AZURE_OPENAI_API_KEY": FAKE_KEY, "AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com"})
    assert FAKE_KEY not in repr(azure) and FAKE_KEY not in repr(azure.client_config())


# Redirects

EVIL_LOCATIONS = [
    "https://evil.example/v1/batches",
    f"https://evil.example/collect?key={FAKE_KEY}",
    f"https://{FAKE_KEY}@evil.example/v1/batches",
    "//evil.example/v1/batches",  # scheme-relative: still another host
    "http://api.test/v1/batches",  # same host, but downgraded to plain HTTP
    "https://api.test:8443/v1/batches",  # same host, another port
    "https://api.test.evil.example/v1/batches",
]


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("location", EVIL_LOCATIONS)
async def test_a_redirect_to_another_origin_is_refused(status: int, location: str) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        if request.url.host == "api.test" and request.url.port is None:
            return httpx.Response(status, headers={"location": location})
        return httpx.Response(200, json=page_json(["b1"]))

    async with make_client(handler) as client:
        with pytest.raises(RedirectRefusedError) as caught:
            await client.list_batches()
    assert len(reached) == 1  # refused, and not retried either
    assert_no_key(caught.value)
    assert "not following it with your API key" in caught.value.describe()


@pytest.mark.parametrize("status", [307, 308])
async def test_a_post_redirected_to_another_origin_is_refused(status: int) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        return httpx.Response(status, headers={"location": f"https://evil.example/steal?k={FAKE_KEY}"})

    async with make_client(handler) as client:
        with pytest.raises(RedirectRefusedError) as caught:
            await client.create_batch("file-1", "/v1/responses")
        with pytest.raises(RedirectRefusedError):
            await client.cancel_batch("b1")
    assert [r.url.host for r in reached] == ["api.test", "api.test"]
    assert_no_key(caught.value)


@pytest.mark.parametrize(
    "location",
    [
        "https://api.test:99999/x",
        "http://[::1/x",
        "https://exa mple.com/",
        f"https://{FAKE_KEY}@[::1/x",
        f"http://h:{FAKE_KEY}/",
    ],
)
async def test_a_malformed_redirect_is_refused_cleanly(location: str) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        return httpx.Response(302, headers={"location": location})

    async with make_client(handler) as client:
        with pytest.raises(BatchAPIError) as caught:
            await client.list_batches()
    assert all(r.url.host == "api.test" for r in reached)
    assert_no_key(caught.value)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("location", ["/v1/batches-moved", "https://API.test/v1/batches-moved", "batches-moved"])
async def test_a_same_origin_redirect_is_followed_with_the_key(status: int, location: str) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        if request.url.path == "/v1/batches":
            return httpx.Response(status, headers={"location": location})
        return httpx.Response(200, json=page_json(["b1"]))

    async with make_client(handler, organization="org-1") as client:
        page = await client.list_batches()
    assert [b.id for b in page.data] == ["b1"]
    assert [(r.method, r.url.path) for r in reached] == [("GET", "/v1/batches"), ("GET", "/v1/batches-moved")]
    moved = reached[1]
    assert moved.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert moved.headers["openai-organization"] == "org-1"
    assert moved.headers["user-agent"].startswith("batchtui/")


@pytest.mark.parametrize("status", [307, 308])
async def test_a_same_origin_307_keeps_the_method_and_body(status: int) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        if request.url.path == "/v1/batches":
            return httpx.Response(status, headers={"location": "/v1/batches/"})
        return httpx.Response(200, json=batch_json("batch_new"))

    async with make_client(handler) as client:
        batch = await client.create_batch("file-1", "/v1/responses")
    assert batch.id == "batch_new"
    first, moved = reached
    assert moved.method == "POST" and moved.url.path == "/v1/batches/"
    assert moved.content == first.content and json.loads(moved.content)["input_file_id"] == "file-1"
    assert moved.headers["content-type"] == "application/json"
    assert moved.headers["authorization"] == f"Bearer {FAKE_KEY}"


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_a_post_redirected_with_301_to_303_becomes_a_get(status: int) -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        if request.url.path.endswith("/cancel"):
            return httpx.Response(status, headers={"location": "/v1/batches/b1"})
        return httpx.Response(200, json=batch_json("b1", status="cancelling"))

    async with make_client(handler) as client:
        await client.cancel_batch("b1")
    assert [(r.method, r.content) for r in reached] == [("POST", b""), ("GET", b"")]


async def test_azure_redirects_keep_the_api_key_header_on_the_same_origin() -> None:
    reached: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        reached.append(request)
        if request.url.path == "/openai/batches":
            return httpx.Response(302, headers={"location": "/openai/v1/batches"})
        return httpx.Response(200, json=page_json([]))

    config = ClientConfig(api_key=FAKE_KEY, base_url="https://r.openai.azure.com/openai", auth_header="api-key")
    async with BatchClient(config, transport=httpx.MockTransport(handler)) as client:
        await client.list_batches()
    assert reached[1].headers["api-key"] == FAKE_KEY and "authorization" not in reached[1].headers


async def test_a_redirect_loop_gives_up() -> None:
    recorder = Recorder(httpx.Response(302, headers={"location": "/v1/batches"}))
    async with make_client(recorder, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.list_batches()
    assert caught.value.describe() == "Too many redirects from the server."
    assert recorder.count == 6
