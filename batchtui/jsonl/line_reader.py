"""Stream the lines of a JSONL file with their byte offsets, and parse one line."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

Progress = Callable[[int, int], None]
"""Called with (bytes_read, total_bytes)."""

# Report about once per megabyte so a progress bar moves without flooding the UI.
PROGRESS_STEP = 1024 * 1024

# The bounded readers hold at most this much of a line they have not yet measured.
READ_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawLine:
    number: int
    """1-based, counting blank lines too, so it matches what an editor shows."""
    offset: int
    """Byte offset of the line's first byte."""
    data: bytes
    """The line as stored, terminator included."""

    @property
    def is_blank(self) -> bool:
        # isspace, not strip: stripping would copy a long line only to test it.
        return not self.data or self.data.isspace()


@dataclass(frozen=True, slots=True)
class LongLine:
    """A line longer than a bounded reader's limit: measured, never held in memory."""

    number: int
    offset: int
    length: int
    """Bytes without the line break."""


class LineError(ValueError):
    """A line that is not UTF-8 JSON; `kind` is "not_utf8" or "invalid_json"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def iter_lines(file: BinaryIO, progress: Progress | None = None) -> Iterator[RawLine]:
    """Yield every line of a file opened in binary mode, reporting progress as it goes."""
    reporter = _Reporter(file, progress)
    offset = 0
    for number, data in enumerate(file, start=1):
        yield RawLine(number, offset, data)
        offset += len(data)
        reporter.reached(offset)
    reporter.finish(offset)


def iter_bounded_lines(
    file: BinaryIO, max_line_bytes: int, progress: Progress | None = None
) -> Iterator[RawLine | LongLine]:
    """Like `iter_lines`, but a line longer than `max_line_bytes` (its break not counted) comes as a LongLine.

    `file` must be seekable: a line longer than one read chunk is measured first and read second.
    """
    reporter = _Reporter(file, progress)
    offset = 0
    number = 0
    while first := file.readline(READ_CHUNK_BYTES):
        number += 1
        size, length = _measure(file, first, offset, reporter)
        if length > max_line_bytes:
            yield LongLine(number, offset, length)
        else:
            yield RawLine(number, offset, first if size == len(first) else _read_at(file, offset, size))
        offset += size
        reporter.reached(offset)
    reporter.finish(offset)


def read_line(file: BinaryIO, max_line_bytes: int) -> bytes | None:
    """The next line, b"" at the end of the file, or None when it is longer than `max_line_bytes`.

    Reads about `max_line_bytes` at most, so a file without line breaks is not read through; after a
    None the file is left inside that line.
    """
    offset = file.tell()
    first = file.readline(READ_CHUNK_BYTES)
    size, length = _measure(file, first, offset, None, stop_past=max_line_bytes)
    if length > max_line_bytes:
        return None
    return first if size == len(first) else _read_at(file, offset, size)


def _measure(
    file: BinaryIO, first: bytes, offset: int, reporter: _Reporter | None, stop_past: int | None = None
) -> tuple[int, int]:
    """(size with the line break, length without) of the line that begins with `first`, keeping no chunk."""
    size, piece, tail = len(first), first, first[-2:]
    while not _ends_line(piece) and (stop_past is None or size - 2 <= stop_past):
        if reporter is not None:
            reporter.reached(offset + size)
        piece = file.readline(READ_CHUNK_BYTES)
        size += len(piece)
        tail = (tail + piece[-2:])[-2:]
    return size, size - _break_length(tail)


def _ends_line(piece: bytes) -> bool:
    # readline(n) returns fewer than n bytes without a line break only at the end of the file.
    return piece.endswith(b"\n") or len(piece) < READ_CHUNK_BYTES


def _break_length(tail: bytes) -> int:
    if tail.endswith(b"\r\n"):
        return 2
    return 1 if tail.endswith(b"\n") else 0


def _read_at(file: BinaryIO, offset: int, size: int) -> bytes:
    file.seek(offset)
    return file.read(size)


class _Reporter:
    """Calls `progress` about once per PROGRESS_STEP, and once at the end."""

    def __init__(self, file: BinaryIO, progress: Progress | None) -> None:
        self.progress = progress
        self.total = os.fstat(file.fileno()).st_size if progress is not None else 0
        self.next_report = PROGRESS_STEP

    def reached(self, offset: int) -> None:
        if self.progress is not None and offset >= self.next_report:
            self.progress(offset, self.total)
            self.next_report = offset + PROGRESS_STEP

    def finish(self, offset: int) -> None:
        if self.progress is not None:
            self.progress(offset, self.total)


def parse_line(data: bytes, *, strict: bool = False) -> Any:
    """Decode one line as UTF-8 JSON; `strict` also refuses NaN and Infinity, which are not JSON."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise LineError("not_utf8", f"not valid UTF-8 (bad byte at position {error.start + 1})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant if strict else None)
    except json.JSONDecodeError as error:
        raise LineError("invalid_json", f"invalid JSON: {error.msg} (column {error.colno})") from None
    except RecursionError:
        raise LineError("invalid_json", "invalid JSON: nested too deeply") from None
    except ValueError as error:
        raise LineError("invalid_json", f"invalid JSON: {error}") from None


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


def json_type_name(value: Any) -> str:
    """The JSON name of a parsed value's type, for messages a user can act on."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"
