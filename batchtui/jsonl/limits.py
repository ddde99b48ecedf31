"""What the Batch API accepts in an input file (docs/batch-api.md, "Create, cancel and files")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class InputLimits:
    """The documented limits; a parameter so tests can shrink them."""

    # Decimal megabytes: if the server means MiB we warn ~5% early, never upload 200 MB in vain.
    max_file_bytes: int = 200_000_000
    max_requests: int = 50_000
    max_embedding_inputs: int = 50_000
    # The largest request payload OpenAI documents is 50 MB (image, file inputs); read as MiB, no valid line is longer.
    max_line_bytes: int = 50 * 1024 * 1024


DEFAULT_LIMITS = InputLimits()


def byte_size(size: int) -> str:
    """1,234 bytes, 12.3 kB, 4.5 MB: decimal units, as the API's limits are written."""
    if size < 1000:
        return f"{size:,} bytes"
    value = size / 1000
    for unit in ("kB", "MB"):
        if value < 1000:
            return f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
