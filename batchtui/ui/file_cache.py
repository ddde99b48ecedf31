"""Where downloaded batch files are kept, so opening the same results twice downloads them once.

A file's content never changes once the server has it, so a cached copy is reused
as long as it is complete: `BatchClient.download_file` writes to a `.part` file and
renames it only when the whole body has arrived, so a `<file_id>.jsonl` is whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from batchtui.api.client import BatchClient
from batchtui.paths import cache_dir

# File ids come from the server: keep them from naming anything outside the cache.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def safe_name(file_id: str) -> str:
    name = _UNSAFE_NAME.sub("_", file_id).lstrip(".")
    return name or "file"


def cached_file(file_id: str) -> Path:
    return cache_dir() / f"{safe_name(file_id)}.jsonl"


def retry_draft(batch_id: str) -> Path:
    """Where a retry file is built before the user picks where to save it."""
    return cache_dir() / "retry" / f"{safe_name(batch_id)}-retry.jsonl"


def is_complete(path: Path) -> bool:
    return path.is_file()


async def ensure_cached(
    client: BatchClient, file_id: str, progress: Callable[[int, int | None], None] | None = None
) -> tuple[Path, bool]:
    """The file's local copy, downloaded unless a complete one is cached; True when it was cached.

    Raises what `download_file` raises: APIStatusError (404 when the file is gone), BatchAPIError, OSError.
    """
    path = cached_file(file_id)
    if is_complete(path):
        return path, True
    await client.download_file(file_id, path, progress=progress)
    return path, False
