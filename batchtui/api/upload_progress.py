"""Progress for an upload: how much of the file httpx has read so far."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, BinaryIO


class ProgressReader:
    """A file wrapper that reports each read; httpx streams the multipart body from it."""

    def __init__(self, handle: BinaryIO, total: int, progress: Callable[[int, int], None] | None) -> None:
        self._handle = handle
        self._total = total
        self._progress = progress
        self._sent = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._handle.read(size)
        self._sent += len(chunk)
        if self._progress:
            self._progress(self._sent, self._total)
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)
