"""Check a batch input file before it is uploaded, streaming it line by line.

Uploading 200 MB only to have the batch fail validation costs minutes; this finds
the same mistakes locally, each with its line number.
"""

from __future__ import annotations

import hashlib
import os
import reprlib
import stat
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from batchtui.api.endpoints import BATCH_ENDPOINTS, EMBEDDINGS_ENDPOINT
from batchtui.jsonl.limits import DEFAULT_LIMITS, InputLimits, byte_size
from batchtui.jsonl.line_reader import (
    LineError,
    LongLine,
    Progress,
    RawLine,
    iter_bounded_lines,
    json_type_name,
    parse_line,
    read_line,
)

# Pre-filling a form is worth parsing a long first line, not reading a file without line breaks.
FIRST_LINE_LIMIT = 16 * 1024 * 1024

# Longer custom_ids are remembered by their digest, so 50,000 of them cannot fill memory.
LONGEST_ID_KEPT = 64


class ProblemKind(StrEnum):
    FILE_NOT_FOUND = "file_not_found"
    NOT_A_FILE = "not_a_file"
    UNREADABLE = "unreadable"
    FILE_TOO_LARGE = "file_too_large"
    EMPTY_FILE = "empty_file"
    TOO_MANY_REQUESTS = "too_many_requests"
    TOO_MANY_EMBEDDING_INPUTS = "too_many_embedding_inputs"
    UNSUPPORTED_ENDPOINT = "unsupported_endpoint"
    LINE_TOO_LONG = "line_too_long"
    NOT_UTF8 = "not_utf8"
    INVALID_JSON = "invalid_json"
    NOT_AN_OBJECT = "not_an_object"
    MISSING_CUSTOM_ID = "missing_custom_id"
    DUPLICATE_CUSTOM_ID = "duplicate_custom_id"
    WRONG_METHOD = "wrong_method"
    MISSING_URL = "missing_url"
    URL_MISMATCH = "url_mismatch"
    MISSING_BODY = "missing_body"
    MODEL_MISMATCH = "model_mismatch"


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None
    """1-based line number; None for a problem with the whole file."""
    kind: str
    """A `ProblemKind` value."""
    message: str


@dataclass(frozen=True)
class PreflightReport:
    path: str
    size_bytes: int | None
    request_count: int | None
    """Non-blank lines; None when the file was not read through (missing, too large)."""
    blank_lines: int
    endpoint: str | None
    """The endpoint given, or else the first request's url."""
    model: str | None
    """The first request's body.model."""
    problems: list[Problem]
    """Whole-file problems first, then the first line problems in file order."""
    problem_counts: dict[str, int]
    """Every problem found, listed or not, by kind."""

    @property
    def total_problems(self) -> int:
        return sum(self.problem_counts.values())

    @property
    def ok(self) -> bool:
        return self.total_problems == 0

    def summary(self) -> str:
        if self.ok:
            model = f" ({self.model})" if self.model else ""
            size = byte_size(self.size_bytes or 0)
            return f"OK: {self.request_count:,} requests to {self.endpoint}{model}, {size}"
        counts = ", ".join(f"{count:,} {kind}" for kind, count in self.problem_counts.items())
        noun = "problem" if self.total_problems == 1 else "problems"
        return f"{self.total_problems:,} {noun}: {counts}"


def check_input_file(
    path: str | os.PathLike[str],
    endpoint: str | None = None,
    *,
    max_problems_listed: int = 50,
    progress: Progress | None = None,
    limits: InputLimits = DEFAULT_LIMITS,
) -> PreflightReport:
    """Check every rule the Batch API applies to an input file. Never raises for a bad file."""
    path = os.fspath(path)
    checker = _InputChecker(endpoint, limits, max_problems_listed)
    size = _regular_file_size(path, checker)
    if size is None:
        return checker.report(path, size=None, counted=False)
    if size > limits.max_file_bytes:
        checker.add(
            None,
            ProblemKind.FILE_TOO_LARGE,
            f"{byte_size(size)} is over the {byte_size(limits.max_file_bytes)} limit for a batch input file",
        )
        # Reading past the limit is pointless; the first line still pre-fills the endpoint.
        if checker.endpoint is None:
            checker.endpoint = detect_endpoint(path)
        return checker.report(path, size=size, counted=False)
    try:
        with open(path, "rb") as file:
            for raw in iter_bounded_lines(file, limits.max_line_bytes, progress):
                checker.check(raw)
    except OSError as error:
        checker.add(None, ProblemKind.UNREADABLE, f"cannot read the file: {error.strerror or error}")
        return checker.report(path, size=size, counted=False)
    checker.finish()
    return checker.report(path, size=size, counted=True)


def detect_endpoint(path: str | os.PathLike[str]) -> str | None:
    """The url of the first request, reading nothing past the first non-blank line."""
    try:
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as file:
            # Ends at the end of the file and at a line too long to parse (read_line gives b"" or None).
            while line := read_line(file, FIRST_LINE_LIMIT):
                if not line.isspace():
                    return _url_of(line)
    except (OSError, LineError):
        return None
    return None


def _url_of(line: bytes) -> str | None:
    request = parse_line(line)
    url = request.get("url") if isinstance(request, dict) else None
    return url if isinstance(url, str) else None


def count_embedding_inputs(value: Any) -> int:
    """How many inputs one embeddings request carries: a string, a list of them, or token arrays."""
    if isinstance(value, str):
        return 1
    if not isinstance(value, list) or not value:
        return 0
    # A flat list of integers is one tokenised input, not many.
    if all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return 1
    return len(value)


def _regular_file_size(path: str, checker: _InputChecker) -> int | None:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        checker.add(None, ProblemKind.FILE_NOT_FOUND, f"no such file: {path}")
        return None
    except OSError as error:
        checker.add(None, ProblemKind.UNREADABLE, f"cannot read {path}: {error.strerror or error}")
        return None
    if not stat.S_ISREG(info.st_mode):
        # Directories fail to open; pipes and devices would block or never end.
        checker.add(None, ProblemKind.NOT_A_FILE, f"not a regular file: {path}")
        return None
    return info.st_size


class _InputChecker:
    """The state of one pass over an input file: what has been seen, what is wrong."""

    def __init__(self, endpoint: str | None, limits: InputLimits, max_listed: int) -> None:
        self.limits = limits
        self.max_listed = max_listed
        self.endpoint = endpoint
        self.endpoint_line: int | None = None
        self.model: Any = None
        self.model_line: int | None = None
        self.first_line_for_id: dict[str | bytes, int] = {}
        self.request_count = 0
        self.blank_lines = 0
        self.embedding_inputs = 0
        self.file_problems: list[Problem] = []
        self.line_problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        if endpoint is not None and endpoint not in BATCH_ENDPOINTS:
            self.add(None, ProblemKind.UNSUPPORTED_ENDPOINT, _unsupported(endpoint))

    def add(self, line: int | None, kind: ProblemKind, message: str) -> None:
        self.counts[kind.value] = self.counts.get(kind.value, 0) + 1
        if line is None:
            self.file_problems.append(Problem(None, kind.value, message))
        elif len(self.line_problems) < self.max_listed:
            self.line_problems.append(Problem(line, kind.value, message))

    def check(self, raw: RawLine | LongLine) -> None:
        if isinstance(raw, LongLine):
            self.request_count += 1
            self.add(raw.number, ProblemKind.LINE_TOO_LONG, self._too_long(raw.length))
            return
        if raw.is_blank:
            self.blank_lines += 1
            return
        self.request_count += 1
        try:
            request = parse_line(raw.data, strict=True)
        except LineError as error:
            self.add(raw.number, ProblemKind(error.kind), error.message)
            return
        if not isinstance(request, dict):
            self.add(raw.number, ProblemKind.NOT_AN_OBJECT, f"expected a JSON object, found {json_type_name(request)}")
            return
        self._check_custom_id(raw.number, request)
        self._check_method(raw.number, request)
        self._check_url(raw.number, request)
        self._check_body(raw.number, request)

    def finish(self) -> None:
        if self.request_count == 0:
            what = "only blank lines" if self.blank_lines else "nothing"
            self.add(None, ProblemKind.EMPTY_FILE, f"no requests: the file contains {what}")
        if self.request_count > self.limits.max_requests:
            self.add(
                None,
                ProblemKind.TOO_MANY_REQUESTS,
                f"{self.request_count:,} requests; a batch takes at most {self.limits.max_requests:,}",
            )
        if self.embedding_inputs > self.limits.max_embedding_inputs:
            self.add(
                None,
                ProblemKind.TOO_MANY_EMBEDDING_INPUTS,
                f"{self.embedding_inputs:,} embedding inputs; a batch takes at most"
                f" {self.limits.max_embedding_inputs:,} in total",
            )

    def report(self, path: str, *, size: int | None, counted: bool) -> PreflightReport:
        return PreflightReport(
            path=path,
            size_bytes=size,
            request_count=self.request_count if counted else None,
            blank_lines=self.blank_lines,
            endpoint=self.endpoint,
            model=self.model if isinstance(self.model, str) else None,
            problems=self.file_problems + self.line_problems,
            problem_counts=dict(self.counts),
        )

    def _too_long(self, length: int) -> str:
        limit = byte_size(self.limits.max_line_bytes)
        size = byte_size(length)
        if size == limit:
            size = f"{length:,} bytes"  # rounded, both would read the same
        return f"{size} is longer than the {limit} a request can be; too long to check"

    def _check_custom_id(self, line: int, request: dict[str, Any]) -> None:
        if "custom_id" not in request:
            self.add(line, ProblemKind.MISSING_CUSTOM_ID, "missing custom_id")
            return
        custom_id = request["custom_id"]
        if not isinstance(custom_id, str):
            self.add(
                line, ProblemKind.MISSING_CUSTOM_ID, f"custom_id must be a string, found {json_type_name(custom_id)}"
            )
            return
        if not custom_id:
            self.add(line, ProblemKind.MISSING_CUSTOM_ID, "custom_id is empty")
            return
        key = _id_key(custom_id)
        first_line = self.first_line_for_id.get(key)
        if first_line is not None:
            self.add(
                line,
                ProblemKind.DUPLICATE_CUSTOM_ID,
                f"custom_id {_clip(custom_id)} is already used on line {first_line}",
            )
        elif self.request_count <= self.limits.max_requests:
            # Past the request limit the file is rejected anyway; stop growing memory.
            self.first_line_for_id[key] = line

    def _check_method(self, line: int, request: dict[str, Any]) -> None:
        method = request.get("method")
        if method == "POST":
            return
        found = "missing method" if "method" not in request else f"method is {_clip(method)}"
        self.add(line, ProblemKind.WRONG_METHOD, f'{found}; it must be "POST"')

    def _check_url(self, line: int, request: dict[str, Any]) -> None:
        url = request.get("url")
        if not isinstance(url, str):
            found = "missing url" if "url" not in request else f"url must be a string, found {json_type_name(url)}"
            self.add(line, ProblemKind.MISSING_URL, found)
            return
        if self.endpoint is None:
            self.endpoint, self.endpoint_line = url, line
            if url not in BATCH_ENDPOINTS:
                self.add(line, ProblemKind.UNSUPPORTED_ENDPOINT, _unsupported(url))
        elif url != self.endpoint:
            source = f"line {self.endpoint_line}" if self.endpoint_line else "the batch endpoint"
            self.add(
                line,
                ProblemKind.URL_MISMATCH,
                f"url {_clip(url)} differs from {_clip(self.endpoint)} ({source}); a batch has one endpoint",
            )

    def _check_body(self, line: int, request: dict[str, Any]) -> None:
        body = request.get("body")
        if not isinstance(body, dict):
            found = "missing body" if "body" not in request else f"body must be an object, found {json_type_name(body)}"
            self.add(line, ProblemKind.MISSING_BODY, found)
            return
        if request.get("url") == EMBEDDINGS_ENDPOINT:
            self.embedding_inputs += count_embedding_inputs(body.get("input"))
        if "model" not in body:
            return
        model = body["model"]
        if self.model_line is None:
            self.model, self.model_line = model, line
        elif model != self.model:
            self.add(
                line,
                ProblemKind.MODEL_MISMATCH,
                f"model {_clip(model)} differs from {_clip(self.model)} (line {self.model_line}); one model per file",
            )


def _unsupported(endpoint: str) -> str:
    return f"{_clip(endpoint)} is not a batch endpoint; use one of {', '.join(BATCH_ENDPOINTS)}"


def _id_key(custom_id: str) -> str | bytes:
    if len(custom_id) <= LONGEST_ID_KEPT:
        return custom_id
    # surrogatepass: JSON can spell a lone surrogate, which strict UTF-8 refuses to encode.
    return hashlib.sha256(custom_id.encode("utf-8", "surrogatepass")).digest()


def _clip(value: Any, limit: int = 60) -> str:
    """A value quoted for a message, cut so one huge field cannot swamp the report."""
    # Only a prefix is ever shown: the repr of a whole huge value would copy it first.
    text = repr(value[:limit]) if isinstance(value, str) else reprlib.repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
