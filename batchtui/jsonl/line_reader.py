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
        return not self.data.strip()


class LineError(ValueError):
    """A line that is not UTF-8 JSON; `kind` is "not_utf8" or "invalid_json"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def iter_lines(file: BinaryIO, progress: Progress | None = None) -> Iterator[RawLine]:
    """Yield every line of a file opened in binary mode, reporting progress as it goes."""
    total = os.fstat(file.fileno()).st_size
    offset = 0
    next_report = PROGRESS_STEP
    for number, data in enumerate(file, start=1):
        yield RawLine(number, offset, data)
        offset += len(data)
        if progress is not None and offset >= next_report:
            progress(offset, total)
            next_report = offset + PROGRESS_STEP
    if progress is not None:
        progress(offset, total)


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
