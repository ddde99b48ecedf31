"""What the create form says, checked before anything leaves the machine; every problem in words.

Limits from the spec: at most 16 metadata pairs, keys up to 64 characters, values up
to 512; an output expiry between 3600 and 2592000 seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_METADATA_PAIRS = 16
MAX_KEY_LENGTH = 64
MAX_VALUE_LENGTH = 512
EXPIRY_RANGE = (3600, 2_592_000)
DEFAULT_WINDOW = "24h"

_WINDOW = re.compile(r"([1-9]\d*)\s*([hd])")
_DURATION = re.compile(r"(\d+)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class BatchForm:
    """A create request, checked: what the screen sends once the file passes its own check."""

    path: Path
    endpoint: str | None
    """None: take it from the file."""
    completion_window: str = DEFAULT_WINDOW
    metadata: dict[str, str] = field(default_factory=dict)
    output_expires_after: int | None = None


@dataclass(frozen=True)
class CreateDefaults:
    """How the form starts out, e.g. for a retry of an earlier batch."""

    path: str = ""
    endpoint: str | None = None
    completion_window: str = DEFAULT_WINDOW
    metadata: dict[str, str] = field(default_factory=dict)


def parse_path(text: str) -> tuple[Path | None, str | None]:
    if not text.strip():
        return None, "Input file: type the path of a .jsonl file (ctrl+o browses)."
    return Path(text.strip()).expanduser(), None


def parse_window(text: str) -> tuple[str | None, str | None]:
    match = _WINDOW.fullmatch(text.strip())
    if match is None:
        return None, (
            f"Completion window: {text.strip()!r} is not a duration; write hours or days, like 24h, 48h or 7d."
        )
    return f"{match.group(1)}{match.group(2)}", None


def parse_metadata(text: str) -> tuple[dict[str, str], list[str]]:
    """`key=value` lines (the first = separates); blank lines are skipped."""
    pairs: dict[str, str] = {}
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"Metadata line {number}"
        key, separator, value = line.partition("=")
        # Spaces around the = are layout, not data.
        key, value = key.strip(), value.strip()
        if not separator:
            problems.append(f"{where}: no '=' in it; write key=value.")
            continue
        if not key:
            problems.append(f"{where}: the key is empty.")
        elif len(key) > MAX_KEY_LENGTH:
            problems.append(f"{where}: the key is {len(key)} characters; keys are at most {MAX_KEY_LENGTH}.")
        elif key in pairs:
            problems.append(f"{where}: the key {key!r} is already used above.")
        if len(value) > MAX_VALUE_LENGTH:
            problems.append(f"{where}: the value is {len(value)} characters; values are at most {MAX_VALUE_LENGTH}.")
        if key:
            pairs.setdefault(key, value)
    if len(pairs) > MAX_METADATA_PAIRS:
        problems.append(f"Metadata: {len(pairs)} pairs; a batch takes at most {MAX_METADATA_PAIRS}.")
    return pairs, problems


def format_metadata(metadata: dict[str, str]) -> str:
    return "\n".join(f"{key}={value}" for key, value in metadata.items())


def parse_expiry(text: str) -> tuple[int | None, str | None]:
    """Seconds, or with a unit (90m, 12h, 30d); empty for the server's default."""
    stripped = text.strip().lower()
    if not stripped:
        return None, None
    match = _DURATION.fullmatch(stripped)
    low, high = EXPIRY_RANGE
    span = f"between {low:,} (1 hour) and {high:,} seconds (30 days), or empty"
    if match is None:
        return None, f"Output expiry: {text.strip()!r} is not a number of seconds; it must be {span}."
    seconds = int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if not low <= seconds <= high:
        return None, f"Output expiry: {seconds:,} seconds is out of range; it must be {span}."
    return seconds, None


def parse_form(
    path: str, endpoint: str | None, window: str, metadata: str, expiry: str
) -> tuple[BatchForm | None, list[str]]:
    """The checked request, or every problem with the form (not with the file: pre-flight does that)."""
    problems: list[str] = []
    parsed_path, problem = parse_path(path)
    problems += [problem] if problem else []
    parsed_window, problem = parse_window(window)
    problems += [problem] if problem else []
    pairs, metadata_problems = parse_metadata(metadata)
    problems += metadata_problems
    seconds, problem = parse_expiry(expiry)
    problems += [problem] if problem else []
    if problems or parsed_path is None or parsed_window is None:
        return None, problems
    return BatchForm(parsed_path, endpoint, parsed_window, pairs, seconds), []
