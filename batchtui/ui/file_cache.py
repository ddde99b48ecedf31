"""Where downloaded batch files are kept, so opening the same results twice downloads them once.

A file's content never changes once the server has it, so a cached copy is reused
as long as it is complete: `BatchClient.download_file` writes to a temporary file of
its own (`.<file_id>.jsonl.XXXX.part`) and renames it only once the whole body has
arrived, so a `<file_id>.jsonl` is whole, even with two processes downloading it at once.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from batchtui.api.client import BatchClient, ClientConfig
from batchtui.api.downloads import TEMPORARY_SUFFIX
from batchtui.paths import cache_dir

# File ids come from the server: keep them from naming anything outside the cache.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
# A live download writes its temporary file at least once per read timeout (20 s): one untouched
# for an hour was left by a process killed mid-download (SIGKILL runs no cleanup).
STALE_AFTER_SECONDS = 3600.0


def safe_name(file_id: str) -> str:
    name = _UNSAFE_NAME.sub("_", file_id).lstrip(".")
    return name or "file"


def account_folder(config: ClientConfig) -> str:
    """One folder per account (base URL, organization, project; never the key): a gateway's file-1 is not another's."""
    account = "\n".join((config.base_url.rstrip("/"), config.organization or "", config.project or ""))
    return hashlib.sha256(account.encode()).hexdigest()[:16]


def cached_file(config: ClientConfig, file_id: str) -> Path:
    return cache_dir() / "files" / account_folder(config) / f"{safe_name(file_id)}.jsonl"


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
    path = cached_file(client.config, file_id)
    remove_stale_downloads(path.parent)
    if is_complete(path):
        return path, True
    await client.download_file(file_id, path, progress=progress)
    return path, False


def remove_stale_downloads(folder: Path) -> None:
    """Delete download temporary files no process has written to for an hour (earlier versions' `<id>.jsonl.part` too)."""
    cutoff = time.time() - STALE_AFTER_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # no cache yet (or unreadable): nothing to tidy, and the download says what is wrong
    for entry in entries:
        if not entry.name.endswith(TEMPORARY_SUFFIX):
            continue
        # Another process may tidy the same file first; tidying must never stop a download.
        with suppress(OSError):
            if entry.is_file(follow_symlinks=False) and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
