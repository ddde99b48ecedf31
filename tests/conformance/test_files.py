"""Every file call the client makes, against every Prism and Steady mode."""

from __future__ import annotations

import json
from pathlib import Path

from batchtui.api.models import FileObject

from .harness import Conformance, assert_kept

FILE_ID = "file-abc123"
INPUT_LINE = {
    "custom_id": "request-1",
    "method": "POST",
    "url": "/v1/chat/completions",
    "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}]},
}


def assert_file_read(file: FileObject, raw: dict[str, object]) -> None:
    assert_kept(raw, file.model_dump(mode="json"))


async def test_upload_file(api: Conformance, tmp_path: Path) -> None:
    source = tmp_path / "requests.jsonl"
    source.write_text(json.dumps(INPUT_LINE) + "\n", encoding="utf-8")
    for _ in range(api.mode.repeats):
        file = await api.client.upload_file(source, purpose="batch")
        exchange = api.last("POST", "/files")
        # CreateFileRequest forbids other fields; Steady flags them (E3009), Prism checks only the listed ones.
        parts = exchange.form_parts()
        assert set(parts) == {"file", "purpose"}
        assert parts["purpose"].get_payload() == "batch"
        assert parts["file"].get_filename() == "requests.jsonl"
        assert parts["file"].get_payload(decode=True) == source.read_bytes()
        assert_file_read(file, exchange.json())
    api.assert_conformant()


async def test_retrieve_file(api: Conformance) -> None:
    for _ in range(api.mode.repeats):
        file = await api.client.retrieve_file(FILE_ID)
        exchange = api.last("GET", f"/files/{FILE_ID}")
        assert_file_read(file, exchange.json())
    api.assert_conformant()


async def test_download_file(api: Conformance, tmp_path: Path) -> None:
    destination = tmp_path / "output.jsonl"
    for _ in range(api.mode.repeats):
        written = await api.client.download_file(FILE_ID, destination)
        exchange = api.last("GET", f"/files/{FILE_ID}/content")
        assert exchange.status_code == 200
        content = destination.read_bytes()
        assert written == len(content)
        if exchange.headers.get("transfer-encoding") == "chunked":
            assert "content-length" not in exchange.headers  # Steady streams it: no length to agree with
        else:
            assert int(exchange.headers["content-length"]) == written
        # The spec declares this body as application/json holding one string; it must land byte for byte.
        assert isinstance(json.loads(content), str)
        assert not destination.with_name(destination.name + ".part").exists()
    api.assert_conformant()
