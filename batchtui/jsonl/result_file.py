"""Read batch output and error files: one streaming pass keeps only offsets and short summaries.

A UI can then list 50,000 results without holding their bodies, and re-read one
line by its offset when the user opens it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from batchtui.jsonl.line_reader import LineError, Progress, RawLine, iter_lines, json_type_name, parse_line
from batchtui.jsonl.result_summary import one_line, summarize_body

# Long enough for any real API error message; short enough that 50,000 HTML error pages stay small.
ERROR_MESSAGE_LENGTH = 1000
EXAMPLE_CUSTOM_IDS = 5


@dataclass(frozen=True, slots=True)
class ResultLine:
    line_number: int
    byte_offset: int
    custom_id: str | None
    status_code: int | None
    summary: str
    """One line, at most ~200 characters: the answer's text, or the error."""
    error_code: str | None = None
    """Set for every failure: the error's code, else its type, else "http_<status>" or "error"."""
    error_message: str | None = None
    parsed: bool = True
    """False for a line that is not a JSON object; its summary says why."""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def failed(self) -> bool:
        return self.error_code is not None


@dataclass(frozen=True, slots=True)
class ErrorGroup:
    code: str
    message: str
    count: int
    example_custom_ids: list[str]


@dataclass(frozen=True)
class ResultIndex:
    path: str
    lines: list[ResultLine]

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[ResultLine]:
        return iter(self.lines)

    def __getitem__(self, index: int) -> ResultLine:
        return self.lines[index]

    def filter(self, text: str) -> list[ResultLine]:
        """Lines whose custom_id or summary contains `text`, ignoring case; all lines for ""."""
        needle = text.casefold()
        return [line for line in self.lines if _mentions(line, needle)]

    def read_raw(self, entry: int | ResultLine) -> bytes:
        """The bytes of one line, read again from the file by its offset."""
        line = self.lines[entry] if isinstance(entry, int) else entry
        with open(self.path, "rb") as file:
            file.seek(line.byte_offset)
            return file.readline()

    def read_full(self, entry: int | ResultLine) -> dict[str, Any]:
        """The whole parsed line, for pretty-printing; ValueError if it is not a JSON object."""
        parsed = parse_line(self.read_raw(entry))
        if not isinstance(parsed, dict):
            raise ValueError(f"expected a JSON object, found {json_type_name(parsed)}")
        return parsed


def scan_result_file(path: str | os.PathLike[str], progress: Progress | None = None) -> ResultIndex:
    """Index an output or error file. Malformed lines become entries; OSError if it cannot be read."""
    return ResultIndex(os.fspath(path), list(iter_result_lines(path, progress)))


def iter_result_lines(path: str | os.PathLike[str], progress: Progress | None = None) -> Iterator[ResultLine]:
    with open(path, "rb") as file:
        for raw in iter_lines(file, progress):
            if not raw.is_blank:
                yield _read_result(raw)


def group_errors(results: Iterable[ResultLine]) -> list[ErrorGroup]:
    """Failures grouped by (code, message), most common first; ties keep file order."""
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], list[str]] = {}
    for result in results:
        if result.error_code is None:
            continue
        key = (result.error_code, result.error_message or "")
        counts[key] += 1
        custom_ids = examples.setdefault(key, [])
        if result.custom_id is not None and len(custom_ids) < EXAMPLE_CUSTOM_IDS:
            custom_ids.append(result.custom_id)
    return [ErrorGroup(*key, count, examples[key]) for key, count in counts.most_common()]


def successful_custom_ids(paths: Iterable[str | os.PathLike[str]]) -> set[str]:
    """custom_ids that got a 2xx response in any of the files."""
    return {
        result.custom_id
        for path in paths
        for result in iter_result_lines(path)
        if result.succeeded and result.custom_id is not None
    }


def _read_result(raw: RawLine) -> ResultLine:
    try:
        record = parse_line(raw.data)
    except LineError as error:
        return _unparseable(raw, error.message)
    if not isinstance(record, dict):
        return _unparseable(raw, f"JSON {json_type_name(record)}, not an object")
    custom_id = record.get("custom_id")
    response = record.get("response")
    response = response if isinstance(response, dict) else {}
    status = response.get("status_code")
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    failure = _failure(record, response, status)
    if failure is None:
        summary = summarize_body(response.get("body")) if response else "no response and no error"
        error_code = error_message = None
    else:
        error_code, error_message = failure
        prefix = f"HTTP {status} " if status is not None else ""
        summary = one_line(f"{prefix}{error_code}: {error_message}" if error_message else f"{prefix}{error_code}")
    return ResultLine(
        line_number=raw.number,
        byte_offset=raw.offset,
        custom_id=custom_id if isinstance(custom_id, str) else None,
        status_code=status,
        summary=summary,
        error_code=error_code,
        error_message=error_message,
    )


def _failure(record: dict[str, Any], response: dict[str, Any], status: int | None) -> tuple[str, str] | None:
    """(code, message) of a failed request, or None when it succeeded or has nothing to say."""
    if status is not None and status >= 400:
        body = response.get("body")
        error = body.get("error") if isinstance(body, dict) else body
        return _error_fields(error, fallback_code=f"http_{status}")
    if status is not None and 200 <= status < 300:
        return None
    error = record.get("error")
    return None if error is None else _error_fields(error, fallback_code="error")


def _error_fields(error: Any, *, fallback_code: str) -> tuple[str, str]:
    if isinstance(error, dict):
        names = [value for value in (error.get("code"), error.get("type")) if value and isinstance(value, str)]
        message = error.get("message")
        words = message if isinstance(message, str) else ""
        return (names or [fallback_code])[0], one_line(words, ERROR_MESSAGE_LENGTH)
    # Proxies answer with HTML or plain text instead of an error object.
    text = error if isinstance(error, str) else ("" if error is None else str(error))
    return fallback_code, one_line(text, ERROR_MESSAGE_LENGTH)


def _mentions(line: ResultLine, needle: str) -> bool:
    return needle in line.summary.casefold() or needle in (line.custom_id or "").casefold()


def _unparseable(raw: RawLine, reason: str) -> ResultLine:
    return ResultLine(
        line_number=raw.number,
        byte_offset=raw.offset,
        custom_id=None,
        status_code=None,
        summary=one_line(f"unparseable line: {reason}"),
        parsed=False,
    )
