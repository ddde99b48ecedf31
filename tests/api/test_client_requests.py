"""What the client puts on the wire: URLs, query strings, headers and bodies, for every operation."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
import respx

from batchtui import __version__
from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.errors import APIConnectionError, APITimeoutError, NotFoundError, ReadOnlyError
from batchtui.api.retry import RetryPolicy
from tests.api.factories import BASE, Recorder, make_client
from tests.support.batches import batch_json, page_json
from tests.support.files import file_json
from tests.support.keys import FAKE_KEY


async def test_list_batches_url_query_and_result() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json(["b1", "b2"], has_more=True)))
    async with make_client(recorder) as client:
        page = await client.list_batches(after="b0", limit=50)
    request = recorder.requests[0]
    assert request.method == "GET"
    assert request.url.copy_with(query=None) == httpx.URL(f"{BASE}/batches")
    assert dict(request.url.params) == {"after": "b0", "limit": "50"}
    assert [b.id for b in page.data] == ["b1", "b2"] and page.has_more and page.next_cursor == "b2"


async def test_first_page_sends_no_after_and_the_default_limit() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json([])))
    async with make_client(recorder) as client:
        page = await client.list_batches()
    assert dict(recorder.requests[0].url.params) == {"limit": "20"}
    assert page.data == [] and page.next_cursor is None


async def test_page_counts_items_it_cannot_read() -> None:
    payload = page_json(["b1"])
    payload["data"] += [{"id": "b2", "status": "in_progress"}, "junk", batch_json("b3")]
    async with make_client(Recorder(httpx.Response(200, json=payload))) as client:
        page = await client.list_batches()
    assert [b.id for b in page.data] == ["b1", "b3"]
    assert page.unreadable == 2


@pytest.mark.parametrize("base_url", [BASE, BASE + "/", "http://localhost:8080/openai/v1"])
async def test_retrieve_and_cancel_urls(base_url: str) -> None:
    recorder = Recorder(lambda request: httpx.Response(200, json=batch_json("batch_9", status="cancelling")))
    async with make_client(recorder, base_url=base_url) as client:
        retrieved = await client.retrieve_batch("batch_9")
        cancelled = await client.cancel_batch("batch_9")
    root = base_url.rstrip("/")
    assert [(r.method, str(r.url)) for r in recorder.requests] == [
        ("GET", f"{root}/batches/batch_9"),
        ("POST", f"{root}/batches/batch_9/cancel"),
    ]
    assert recorder.requests[1].content == b""
    assert retrieved.id == cancelled.id == "batch_9" and cancelled.status == "cancelling"


@pytest.mark.parametrize("hostile_id", ["../files", "..", ".", "a/b", "x?limit=1", "x#y", "%2e%2e"])
async def test_a_hostile_id_stays_inside_its_path_segment(hostile_id: str) -> None:
    recorder = Recorder(httpx.Response(404, json={"error": {"message": "No such batch"}}))
    async with make_client(recorder, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(NotFoundError):
            await client.cancel_batch(hostile_id)
        with pytest.raises(NotFoundError):
            await client.retrieve_file(hostile_id)
    cancel, retrieve = recorder.requests
    assert cancel.url.raw_path.startswith(b"/v1/batches/") and cancel.url.raw_path.endswith(b"/cancel")
    assert cancel.url.raw_path.count(b"/") == 4 and cancel.url.query == b""
    assert retrieve.url.raw_path.startswith(b"/v1/files/") and retrieve.url.raw_path.count(b"/") == 3


async def test_headers_for_openai() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json([])))
    async with make_client(recorder, organization="org-123", project="proj_456") as client:
        await client.list_batches()
    headers = recorder.requests[0].headers
    assert headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert "api-key" not in headers
    assert headers["openai-organization"] == "org-123"
    assert headers["openai-project"] == "proj_456"
    assert headers["user-agent"] == f"batchtui/{__version__}"
    assert headers["accept"] == "application/json"


async def test_no_organization_or_project_headers_unless_set() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json([])))
    async with make_client(recorder) as client:
        await client.list_batches()
    assert "openai-organization" not in recorder.requests[0].headers
    assert "openai-project" not in recorder.requests[0].headers


async def test_no_key_sends_no_auth_header() -> None:
    recorder = Recorder(httpx.Response(200, json=page_json([])))
    async with make_client(recorder, api_key=None) as client:
        await client.list_batches()
    assert "authorization" not in recorder.requests[0].headers and "api-key" not in recorder.requests[0].headers


async def test_azure_uses_api_key_header_and_api_version_on_every_request(tmp_path: Path) -> None:
    router = respx.Router(base_url="https://res.openai.azure.com/openai", assert_all_called=True)
    router.get("/batches").respond(200, json=page_json([]))
    router.get("/batches/b1").respond(200, json=batch_json("b1"))
    router.post("/batches/b1/cancel").respond(200, json=batch_json("b1", status="cancelling"))
    router.post("/batches").respond(200, json=batch_json("b2"))
    router.post("/files").respond(200, json=file_json())
    router.get("/files/f1").respond(200, json=file_json("f1"))
    router.get("/files/f1/content").respond(200, content=b"{}\n")
    source = tmp_path / "in.jsonl"
    source.write_text("{}\n")
    config = ClientConfig(
        api_key=FAKE_KEY,
        base_url="https://res.openai.azure.com/openai",
        auth_header="api-key",
        api_version="2024-10-21",
    )
    async with BatchClient(config, transport=httpx.MockTransport(router.handler)) as client:
        await client.list_batches(after="b0")
        await client.retrieve_batch("b1")
        await client.cancel_batch("b1")
        await client.create_batch("f1", "/v1/chat/completions")
        await client.upload_file(source)
        await client.retrieve_file("f1")
        await client.download_file("f1", tmp_path / "out.jsonl")
    requests = [call.request for call in router.calls]
    assert len(requests) == 7
    for request in requests:
        assert request.url.params["api-version"] == "2024-10-21", request.url
        assert request.headers["api-key"] == FAKE_KEY
        assert "authorization" not in request.headers
    assert dict(requests[0].url.params) == {"after": "b0", "limit": "20", "api-version": "2024-10-21"}


async def test_create_batch_body() -> None:
    recorder = Recorder(httpx.Response(200, json=batch_json("batch_new", status="validating")))
    async with make_client(recorder) as client:
        batch = await client.create_batch(
            "file-in-1", "/v1/embeddings", metadata={"run": "r1"}, output_expires_after_seconds=3600
        )
    request = recorder.requests[0]
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/batches")
    assert request.headers["content-type"] == "application/json"
    assert json.loads(request.content) == {
        "input_file_id": "file-in-1",
        "endpoint": "/v1/embeddings",
        "completion_window": "24h",
        "metadata": {"run": "r1"},
        "output_expires_after": {"anchor": "created_at", "seconds": 3600},
    }
    assert batch.id == "batch_new" and batch.status == "validating"


async def test_create_batch_leaves_out_what_was_not_given() -> None:
    recorder = Recorder(httpx.Response(200, json=batch_json()))
    async with make_client(recorder) as client:
        await client.create_batch("file-in-1", "/v1/chat/completions", completion_window="7d")
    assert json.loads(recorder.requests[0].content) == {
        "input_file_id": "file-in-1",
        "endpoint": "/v1/chat/completions",
        "completion_window": "7d",
    }


async def test_upload_sends_multipart_with_purpose_and_the_file(tmp_path: Path) -> None:
    content = b'{"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions", "body": {}}\n' * 50
    source = tmp_path / "requests.jsonl"
    source.write_bytes(content)
    recorder = Recorder(httpx.Response(200, json=file_json("file-up", bytes=len(content))))
    seen: list[tuple[int, int]] = []
    async with make_client(recorder) as client:
        uploaded = await client.upload_file(source, progress=lambda sent, total: seen.append((sent, total)))
    request = recorder.requests[0]
    assert (request.method, str(request.url)) == ("POST", f"{BASE}/files")
    content_type = request.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    boundary = content_type.split("boundary=", 1)[1].encode()
    parts = [part for part in request.content.split(b"--" + boundary) if part.strip(b"-\r\n")]
    by_name = {}
    for part in parts:
        head, _, body = part.partition(b"\r\n\r\n")
        name = head.split(b'name="', 1)[1].split(b'"', 1)[0]
        by_name[name] = (head, body.removesuffix(b"\r\n"))
    assert by_name[b"purpose"][1] == b"batch"
    head, body = by_name[b"file"]
    assert b'filename="requests.jsonl"' in head
    assert body == content
    assert request.headers["authorization"] == f"Bearer {FAKE_KEY}"
    assert uploaded.id == "file-up" and uploaded.bytes == len(content)
    assert seen and seen[-1] == (len(content), len(content))


async def test_retrieve_file() -> None:
    recorder = Recorder(httpx.Response(200, json=file_json("file-7", expires_at="2030-01-01T00:00:00Z")))
    async with make_client(recorder) as client:
        obj = await client.retrieve_file("file-7")
    assert (recorder.requests[0].method, str(recorder.requests[0].url)) == ("GET", f"{BASE}/files/file-7")
    assert obj.id == "file-7" and obj.expires_at == 1_893_456_000


async def test_download_writes_the_whole_file(tmp_path: Path) -> None:
    # Not JSON as a whole, and bigger than one read chunk: it must be streamed byte for byte.
    content = b"".join(b'{"custom_id": "r%d"}\n' % i for i in range(120_000)) + b"no newline at the end"
    recorder = Recorder(httpx.Response(200, content=content))
    destination = tmp_path / "nested" / "out.jsonl"
    seen: list[tuple[int, int | None]] = []
    async with make_client(recorder) as client:
        written = await client.download_file("file-out", destination, progress=lambda n, total: seen.append((n, total)))
    assert str(recorder.requests[0].url) == f"{BASE}/files/file-out/content"
    assert written == len(content)
    assert destination.read_bytes() == content
    assert seen[-1] == (len(content), len(content))
    assert list(destination.parent.iterdir()) == [destination]


class _BrokenStream(httpx.AsyncByteStream):
    def __init__(self, error: Exception) -> None:
        self.error = error

    async def __aiter__(self):  # type: ignore[override]
        yield b'{"custom_id": "r1"}\n'
        raise self.error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (httpx.RemoteProtocolError("peer closed connection without sending complete message body"), APIConnectionError),
        (httpx.ReadTimeout("The read operation timed out"), APITimeoutError),
    ],
)
async def test_download_cut_off_leaves_no_part_file_and_keeps_the_old_file(
    tmp_path: Path, error: Exception, expected: type[Exception]
) -> None:
    destination = tmp_path / "out.jsonl"
    destination.write_bytes(b"previous download\n")
    recorder = Recorder(lambda request: httpx.Response(200, stream=_BrokenStream(error)))
    async with make_client(recorder) as client:
        with pytest.raises(expected) as caught:
            await client.download_file("file-out", destination)
    assert type(caught.value) is expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    assert destination.read_bytes() == b"previous download\n"


async def test_download_of_a_missing_file_writes_nothing(tmp_path: Path) -> None:
    recorder = Recorder(httpx.Response(404, json={"error": {"message": "No such File object: file-x"}}))
    async with make_client(recorder, retry=RetryPolicy(max_retries=0)) as client:
        with pytest.raises(NotFoundError) as caught:
            await client.download_file("file-x", tmp_path / "out.jsonl")
    assert caught.value.message == "No such File object: file-x"
    assert list(tmp_path.iterdir()) == []


async def test_stream_file_content_gives_the_raw_bytes() -> None:
    recorder = Recorder(httpx.Response(200, content=b"line 1\nline 2\n"))
    async with make_client(recorder) as client, client.stream_file_content("file-out") as response:
        chunks = [chunk async for chunk in response.aiter_bytes()]
    assert b"".join(chunks) == b"line 1\nline 2\n"


async def test_a_download_that_ends_short_is_not_kept(tmp_path):
    import httpx
    import pytest

    from batchtui.api.client import BatchClient, ClientConfig
    from batchtui.api.errors import APIConnectionError

    def handler(request: httpx.Request) -> httpx.Response:
        # Claims 100 bytes, sends 10: what a proxy that gives up mid-body looks like.
        return httpx.Response(200, content=b"0123456789", headers={"content-length": "100"})

    client = BatchClient(ClientConfig(api_key="sk-x", base_url="http://t/v1"), transport=httpx.MockTransport(handler))
    dest = tmp_path / "out.jsonl"
    with pytest.raises(APIConnectionError, match="10 of 100 bytes"):
        await client.download_file("file-1", dest)
    assert not dest.exists() and not list(tmp_path.iterdir())
    await client.aclose()


def test_saved_files_get_the_usual_permissions(tmp_path):
    import os

    from batchtui.jsonl.atomic import atomic_write_from

    dest = tmp_path / "saved.jsonl"
    old = os.umask(0o022)
    try:
        atomic_write_from([b"{}\n"], dest)
    finally:
        os.umask(old)
    assert dest.stat().st_mode & 0o777 == 0o644


async def test_a_read_only_client_sends_only_gets_and_refuses_the_rest_before_the_network():
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        return httpx.Response(200, json={"object": "list", "data": [], "has_more": False})

    config = ClientConfig(api_key="sk-read-only-test", base_url="http://fake.test/v1", read_only=True)
    async with BatchClient(config, transport=httpx.MockTransport(handle)) as client:
        await client.list_batches()
        for attempt in (
            client.cancel_batch("batch_1"),
            client.create_batch("file-1", "/v1/chat/completions"),
        ):
            with pytest.raises(ReadOnlyError, match="read-only"):
                await attempt
    assert seen == ["GET"]
