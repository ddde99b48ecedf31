"""What the Files API holds for a batch: file objects, result lines, JSONL content."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from batchtui.api.client import ClientConfig
from batchtui.ui.file_cache import cached_file
from tests.support.apps import FAKE_URL
from tests.support.batches import NOW
from tests.support.keys import FAKE_KEY


def file_json(file_id: str = "file-abc", **overrides: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": file_id,
        "object": "file",
        "bytes": 120,
        "created_at": NOW,
        "filename": "input.jsonl",
        "purpose": "batch",
    }
    obj.update(overrides)
    return obj


def result_line(custom_id: str, status: int | None = 200, *, text: str = "fine", error: dict | None = None) -> dict:
    """One line of an output file (a status below 400) or an error file (400 and up, or None: no response)."""
    if status is None:
        return {"id": f"batch_req_{custom_id}", "custom_id": custom_id, "response": None, "error": error}
    if status >= 400:
        body: dict[str, Any] = {
            "error": error or {"message": "Bad request", "type": "invalid_request_error", "code": "invalid_value"}
        }
    else:
        body = {"object": "chat.completion", "choices": [{"message": {"role": "assistant", "content": text}}]}
    return {
        "id": f"batch_req_{custom_id}",
        "custom_id": custom_id,
        "response": {"status_code": status, "request_id": f"req_{custom_id}", "body": body},
        "error": None,
    }


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(record) + "\n" for record in records).encode()


def fake_cached_file(file_id: str) -> Path:
    """Where the app over the fake transport (build_app's defaults) caches a downloaded file."""
    return cached_file(ClientConfig(api_key=FAKE_KEY, base_url=FAKE_URL), file_id)
